import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import type { ClaimDetail } from "../../src/store/claims";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, json, uniquePlace } from "../helpers";

/*
 * Which recorded claim an import record restating it is linked to, when the record names
 * the speaker another way (an alias, a spelling the speaker matcher accepts) or when many
 * speakers said the same words (src/commands/import-batch `sameClaims`).
 */

interface ImportAnswer {
	summary: Record<string, number>;
	results: { index: number; status: string; claimId?: string; changes?: string[]; warnings?: string[] }[];
}

interface ClaimJson {
	appearances: { source: { url: string } }[];
	verdict: { rating: { key: string } } | null;
	history: unknown[];
}

/** Letters only: a digit in a name would be a number the claim's words do not have. */
const letters = () =>
	newId()
		.replace(/\d/g, (d) => "abcdefghij"[Number(d)] ?? "a")
		.slice(0, 6);

async function importer() {
	const { user } = await makeUser("editor");
	return (await apiToken(user, ["import"])).token;
}

function record(text: string, speaker: string) {
	return {
		claim: { text, language: "de", claimedAt: "2025-03-01" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://andere-zeitung.example/${newId()}`, title: "Bericht" }],
		verdict: {
			rating: "false",
			originalRating: "Falsch",
			headline: "Stimmt nicht",
			url: `https://faktencheck.example/${newId()}`,
		},
	};
}

async function send(token: string, records: unknown[]) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<ImportAnswer>(response);
}

const claimJson = async (id: string) => json<ClaimJson>(await call(`/api/v1/claims/${id}`));

describe("POST /api/v1/import links a restatement to its speaker's claim", () => {
	it("by an alias of the speaker, and by another spelling the speaker matcher takes, as the claim's appearances", async () => {
		const token = await importer();
		const tag = letters();
		const town = uniquePlace();
		const original = await makeClaim({
			text: `Die Lage in ${town} ist stabil.`,
			language: "de",
			speaker: { name: `Sergei Lawrow${tag}`, aliases: [`Sergey Lavrov${tag}`] },
		});
		await publish(original.id, "false");
		const restated = `Die Lage in ${town} sei stabil.`;
		const byAlias = record(restated, `Sergey Lavrov${tag}`);
		const bySpelling = record(restated, `Sergej Lawrow${tag}`);

		const first = await send(token, [byAlias]);
		expect(first.results[0]).toMatchObject({
			status: "linked",
			claimId: original.id,
			changes: ["appearance"],
		});
		expect(first.results[0]?.warnings?.[0]).toContain("its verdict was not imported");
		const second = await send(token, [bySpelling]);
		expect(second.results[0]).toMatchObject({
			status: "linked",
			claimId: original.id,
			changes: ["appearance"],
		});
		expect(second.summary).toMatchObject({ linked: 1, created: 0 });

		// No second claim: both sources are the recorded claim's, its verdict as it was.
		const detail = await claimJson(original.id);
		expect(detail.appearances.map((a) => a.source.url)).toEqual(
			expect.arrayContaining([byAlias.sources[0]?.url, bySpelling.sources[0]?.url]),
		);
		expect(detail.verdict?.rating.key).toBe("false");
		expect(detail.history).toHaveLength(1);
		const speaker = original.speaker?.slug ?? "";
		const listed = await json<{ data: unknown[] }>(await call(`/api/v1/claims?speaker=${speaker}`));
		expect(listed.data).toHaveLength(1);
	});

	it("among many speakers who said the same words, the record's own speaker's claim, however far down", async () => {
		const token = await importer();
		const town = uniquePlace();
		const text = `Die Fähre nach ${town} fährt seit Mai nicht mehr.`;
		const speakers = Array.from({ length: 4 }, () => `Ratsherr ${letters()}`);
		// The first speaker's claim is the oldest: the matcher ranks the others before it.
		const recorded: ClaimDetail[] = [];
		for (const speaker of speakers)
			recorded.push(await makeClaim({ text, language: "de", speaker: { name: speaker } }));
		const restated = `Die Fähre nach ${town} fahre seit Mai nicht mehr.`;
		const matches = await json<{ data: { claim: { id: string }; relation: string }[] }>(
			await call(`/api/v1/claims/matches?${new URLSearchParams({ text: restated, language: "de" })}`),
		);
		expect(matches.data.filter((m) => m.relation === "same")).toHaveLength(4);
		expect(matches.data.findIndex((m) => m.claim.id === recorded[0]?.id)).toBe(3);

		const answer = await send(token, [record(restated, speakers[0] ?? "")]);
		expect(answer.results[0]).toMatchObject({ status: "linked", claimId: recorded[0]?.id });
		expect(answer.summary).toMatchObject({ linked: 1, created: 0 });
		// A fifth speaker saying it is a claim of their own.
		const fifth = await send(token, [record(restated, `Ratsherr ${letters()}`)]);
		expect(fifth.results[0]?.status).toBe("created");
		expect(recorded.map((c) => c.id)).not.toContain(fifth.results[0]?.claimId);
	});

	it("not a record by another speaker in the same words: that is a claim of its own", async () => {
		const token = await importer();
		const town = uniquePlace();
		const tag = letters();
		const original = await makeClaim({
			text: `Die Lage in ${town} ist stabil.`,
			language: "de",
			speaker: { name: `Sergei Lawrow${tag}`, aliases: [] },
		});
		const other = `Annalena Baerbock ${letters()}`;
		const answer = await send(token, [record(`Die Lage in ${town} sei stabil.`, other)]);
		expect(answer.results[0]?.status).toBe("created");
		expect(answer.results[0]?.claimId).not.toBe(original.id);
		// Nor by another person of the speaker's surname.
		const namesake = await send(token, [record(`Die Lage in ${town} sei stabil.`, `Olga Lawrow${tag}`)]);
		expect(namesake.results[0]?.status).toBe("created");
		expect(namesake.results[0]?.claimId).not.toBe(original.id);
	});

	it("a record in the very words of a claim of no speaker (or naming no one) is linked, as a rewording is", async () => {
		const token = await importer();
		const town = uniquePlace();
		const text = `Die Lage in ${town} ist stabil.`;
		const recorded = await makeClaim({ text, language: "de", speaker: null });
		await publish(recorded.id, "false");
		const reworded = await send(token, [
			record(`Die Lage in ${town} sei stabil.`, `Anna Beispiel ${letters()}`),
		]);
		expect(reworded.results[0]).toMatchObject({ status: "linked", claimId: recorded.id });
		const same = await send(token, [record(text, `Anna Beispiel ${letters()}`)]);
		expect(same.results[0]).toMatchObject({
			status: "linked",
			claimId: recorded.id,
			changes: ["appearance"],
		});
		expect(same.summary).toMatchObject({ linked: 1, created: 0 });

		// A record naming no one, in the very words of a speaker's claim: that claim, as in other words.
		const said = `Der Hafen von ${uniquePlace()} ist seit Mai geschlossen.`;
		const bySpeaker = await makeClaim({
			text: said,
			language: "de",
			speaker: { name: `Ratsherr ${letters()}` },
		});
		const anonymous = await send(token, [{ ...record(said, ""), speaker: null }]);
		expect(anonymous.results[0]).toMatchObject({ status: "linked", claimId: bySpeaker.id });
		// Its own speaker's record in its very words is still that claim, its verdict imported.
		const own = await send(token, [record(said, bySpeaker.speaker?.name ?? "")]);
		expect(own.results[0]).toMatchObject({ status: "updated", claimId: bySpeaker.id });
	});

	it("a record in its own speaker's very words updates that claim, though a newer claim of no speaker reads the same", async () => {
		const token = await importer();
		const text = `Der Hafen von ${uniquePlace()} ist seit Mai geschlossen.`;
		const name = `Ratsherr ${letters()}`;
		const own = await makeClaim({ text, language: "de", speaker: { name } });
		// Newer, so the matcher ranks it first among equal scores.
		await new Promise((resolve) => setTimeout(resolve, 20));
		await makeClaim({ text, language: "de", speaker: null });
		const answer = await send(token, [record(text, name)]);
		expect(answer.results[0]).toMatchObject({ status: "updated", claimId: own.id });
	});

	it("a record in the very words of a claim it created, whose speaker the desk took away since, is that claim still", async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write", "import"]);
		const first = record(`Die Brücke von ${uniquePlace()} ist seit Mai gesperrt.`, `Ratsherr ${letters()}`);
		const created = await send(token, [first]);
		const claimId = created.results[0]?.claimId ?? "";
		expect(created.results[0]?.status).toBe("created");
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: read.version, speaker: null, note: "The source makes the claim." },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const again = await send(token, [first]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId });
	});
});
