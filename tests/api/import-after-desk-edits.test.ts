import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { createSpeaker } from "../../src/store/speakers";
import { account, apiCall, apiToken, deskGet, deskPost } from "../desk/helpers";
import { call, json, testDb, uniquePlace } from "../helpers";

/**
 * A re-import of the same file after desk work on its claims (a speaker renamed, a namesake
 * recorded, a claim's text corrected): "running an import twice changes nothing", and the
 * publisher's verdict corrections still come in.
 */

interface ImportAnswer {
	summary: Record<string, number>;
	results: { status: string; claimId?: string; reason?: string; changes?: string[]; warnings?: string[] }[];
}

interface SpeakerJson {
	slug: string;
	name: string;
	version: number;
	aliases: string[];
}

async function importer() {
	const editor = await account("editor");
	const { token } = await apiToken(editor.user, ["import", "claims:write"]);
	return { editor, token };
}

async function send(token: string, records: unknown[]) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<ImportAnswer>(response);
}

function record(
	word: string,
	speaker: string,
	options: { externalId?: string; rating?: string; text?: string } = {},
) {
	return {
		...(options.externalId ? { externalId: options.externalId } : {}),
		claim: {
			text: options.text ?? `The ferry to ${word} carried grain through the strait at night.`,
			language: "en",
			claimedAt: "2025-07-01",
		},
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://news.example/${word}`, title: "Article" }],
		verdict: {
			rating: options.rating ?? "false",
			originalRating: options.rating ?? "False",
			headline: `The ferry to ${word} carried none`,
			url: `https://check.example/${word}`,
			publishedAt: "2025-07-02",
		},
	};
}

async function speaker(slug: string): Promise<SpeakerJson> {
	const response = await call(`/api/v1/speakers/${slug}`);
	expect(response.status, slug).toBe(200);
	return json<SpeakerJson>(response);
}

async function rename(token: string, slug: string, body: Record<string, unknown>) {
	const read = await speaker(slug);
	const response = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
		token,
		body: { version: read.version, ...body },
	});
	expect(response.status, await response.clone().text()).toBe(200);
	return json<SpeakerJson>(response);
}

async function claimSpeaker(claimId: string): Promise<string | null> {
	const claim = await json<{ speaker: { slug: string } | null }>(await call(`/api/v1/claims/${claimId}`));
	return claim.speaker?.slug ?? null;
}

/** Speakers of this exact name or any name starting with it (a `-2` namesake included). */
async function speakersNamed(prefix: string): Promise<string[]> {
	const rows = await env.DB.prepare("SELECT slug FROM speakers WHERE name LIKE ? || '%' ORDER BY slug")
		.bind(prefix)
		.all<{ slug: string }>();
	return rows.results.map((row) => row.slug);
}

async function claimsWithText(text: string): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text = ?")
		.bind(text)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("a re-import after the desk corrected the claim's text", () => {
	it("answers with a warning, keeps the desk's text and imports the corrected verdict", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const externalId = `ext-${newId()}`;
		const original = `Unemployment in ${word} rose by 20 percent last year.`;
		const corrected = `Unemployment in ${word} rose by 2 percent last year.`;
		const first = await send(token, [record(word, `Eva Ferrywoman ${word}`, { externalId, text: original })]);
		const claimId = first.results[0]?.claimId ?? "";
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: {
				version: read.version,
				text: corrected,
				note: "Transcription fixed: the speaker said 2 percent.",
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);

		const again = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: original, rating: "half-true" }),
		]);
		expect(again.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		expect(again.results[0]?.warnings).toEqual([
			`the publisher's wording of the claim (“${original}”) differs from ours (“${corrected}”), which is kept as it is`,
		]);
		const claim = await json<{ text: string; verdict: { rating: { key: string } } }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(claim).toMatchObject({ text: corrected, verdict: { rating: { key: "half-true" } } });
		const third = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: original, rating: "half-true" }),
		]);
		expect(third.results[0]).toMatchObject({ status: "unchanged", claimId });
		// Another claim under that id is still refused.
		const other = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: `The bridge in ${word} cost 300 million.` }),
		]);
		expect(other.results[0]?.status).toBe("rejected");
	});
});

describe("a re-import without an externalId after the desk corrected the claim's text", () => {
	it("finds the claim by its earlier text: a warning, the desk's text kept, the verdict imported, no second claim", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const original = `Unemployment in ${word} rose by 20 percent last year.`;
		const corrected = `Unemployment in ${word} rose by 2 percent last year.`;
		const name = `Ida Ferrywoman ${word}`;
		const first = await send(token, [record(word, name, { text: original })]);
		const claimId = first.results[0]?.claimId ?? "";
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: {
				version: read.version,
				text: corrected,
				note: "Transcription fixed: the speaker said 2 percent.",
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);

		const again = await send(token, [record(word, name, { text: original, rating: "half-true" })]);
		expect(again.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		expect(again.results[0]?.warnings).toEqual([
			`the publisher's wording of the claim (“${original}”) differs from ours (“${corrected}”), which is kept as it is`,
		]);
		expect(await claimsWithText(original)).toBe(0);
		const claim = await json<{ text: string; verdict: { rating: { key: string } } }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(claim).toMatchObject({ text: corrected, verdict: { rating: { key: "half-true" } } });
		// In other quote marks too: the words decide (the fingerprint), as for a claim's text now.
		const third = await send(token, [record(word, name, { text: `“${original}”`, rating: "half-true" })]);
		expect(third.results[0]).toMatchObject({ status: "unchanged", claimId });
		// Another speaker's record of the old words is another claim.
		const other = await send(token, [record(word, `Olga Shipwright ${word}`, { text: original })]);
		expect(other.results[0]?.status).toBe("created");
	});

	it("finds a claim whose text was corrected before its earlier texts were fingerprinted", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const original = `Rents in ${word} rose by 40 percent in a year.`;
		const corrected = `Rents in ${word} rose by 4 percent in a year.`;
		const name = `Uma Ferrywoman ${word}`;
		const first = await send(token, [record(word, name, { text: original })]);
		const claimId = first.results[0]?.claimId ?? "";
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: read.version, text: corrected, note: "Transcription fixed." },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		// As a change recorded before migration 0047 (or restored from an older backup) is.
		await env.DB.prepare("UPDATE claim_changes SET from_fingerprint = NULL WHERE claim_id = ?")
			.bind(claimId)
			.run();

		const again = await send(token, [record(word, name, { text: original, rating: "half-true" })]);
		expect(again.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		const filled = await env.DB.prepare(
			"SELECT count(*) AS n FROM claim_changes WHERE claim_id = ? AND field = 'text' AND from_fingerprint IS NOT NULL",
		)
			.bind(claimId)
			.first<{ n: number }>();
		expect(filled?.n).toBe(1);
	});
});

describe("a re-import without an externalId after the desk corrected a claim's text, then merged it", () => {
	async function recordClaim(token: string, text: string, name: string) {
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { text, language: "en", speaker: { name }, source: { url: `https://desk.example/${newId()}` } },
		});
		expect(response.status, await response.clone().text()).toBe(201);
		return json<{ id: string; version: number }>(response);
	}

	async function mergeInto(token: string, id: string, into: string) {
		const { version } = await json<{ version: number }>(await call(`/api/v1/claims/${id}`));
		const merged = await apiCall("POST", `/api/v1/claims/${id}/merge`, {
			token,
			body: { into, version, note: "The same statement." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
	}

	/** A claim recorded in the publisher's words, its text corrected on the desk. */
	async function corrected(token: string, word: string, name: string) {
		const original = `Unemployment in ${word} rose by 20 percent last year.`;
		const text = `Unemployment in ${word} rose by 2 percent last year.`;
		const claim = await recordClaim(token, original, name);
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, text, note: "Transcription fixed: the speaker said 2 percent." },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		return { id: claim.id, original, text };
	}

	it("links the merged claim's earlier words to the claim kept, as its last ones, on through a second merge; a removal forgets them", {
		timeout: 60_000,
	}, async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const name = `Rhea Ferrywoman ${word}`;
		const a = await corrected(token, word, name);
		const b = await recordClaim(token, `Joblessness in ${word} went up by two percent in a year.`, name);
		await mergeInto(token, a.id, b.id);

		const again = await send(token, [record(word, name, { text: a.original })]);
		expect(again.results[0]).toMatchObject({ status: "linked", claimId: b.id });
		expect(await claimsWithText(a.original)).toBe(0);
		const last = await send(token, [record(`${word}-2`, name, { text: a.text })]);
		expect(last.results[0]).toMatchObject({ status: "linked", claimId: b.id });

		// Merged on, they lead to the claim kept then.
		const c = await recordClaim(token, `In ${word}, the jobless rate climbed two percent.`, name);
		await mergeInto(token, b.id, c.id);
		const onward = await send(token, [record(`${word}-3`, name, { text: a.original })]);
		expect(onward.results[0]).toMatchObject({ status: "linked", claimId: c.id });

		// A removed claim is never matched: not by the words of those merged into it either.
		const removed = await apiCall("DELETE", `/api/v1/claims/${c.id}`, {
			token,
			body: {
				version: (await json<{ version: number }>(await call(`/api/v1/claims/${c.id}`))).version,
				reason: "Not a claim.",
			},
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		const gone = await env.DB.prepare("SELECT count(*) AS n FROM claim_changes WHERE merged_from IN (?, ?)")
			.bind(a.id, b.id)
			.first<{ n: number }>();
		expect(gone?.n).toBe(0);
		const anew = await send(token, [record(`${word}-4`, name, { text: a.original })]);
		expect(anew.results[0]?.status).toBe("created");
		expect(anew.results[0]?.claimId).not.toBe(c.id);
	});

	it("keeps the merged claim's edit out of a reviewed claim kept's public changes", {
		timeout: 60_000,
	}, async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const name = `Nora Ferrywoman ${word}`;
		const a = await corrected(token, word, name);
		const kept = await send(token, [
			record(word, name, { text: `Joblessness in ${word} went up by two percent.` }),
		]);
		const keptId = kept.results[0]?.claimId ?? "";
		expect(kept.results[0]?.status).toBe("created");
		await mergeInto(token, a.id, keptId);
		const page = await call(`/claims/${keptId}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).not.toContain("20 percent");
		const claim = await json<Record<string, unknown>>(await call(`/api/v1/claims/${keptId}`));
		expect(JSON.stringify(claim)).not.toContain("20 percent");

		const again = await send(token, [record(`${word}-2`, name, { text: a.original, rating: "half-true" })]);
		expect(again.results[0]).toMatchObject({ status: "linked", claimId: keptId });
		const after = await json<{ verdict: { rating: { key: string } } }>(
			await call(`/api/v1/claims/${keptId}`),
		);
		expect(after.verdict.rating.key).toBe("false");
	});
});

describe("a re-import matched by its externalId", () => {
	it("creates no speaker for the record's name when its claim's speaker was renamed (and the old name dropped)", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const oldName = `Dana Ferrywoman ${word}`;
		const externalId = `ext-${newId()}`;
		const first = await send(token, [record(word, oldName, { externalId })]);
		const claimId = first.results[0]?.claimId ?? "";
		const slug = (await claimSpeaker(claimId)) ?? "";
		// Renamed, then its old spelling removed by a second edit (works before and after).
		await rename(token, slug, { name: `Dana Shipwright ${word}` });
		await rename(token, slug, { aliases: [] });
		const audits = async () =>
			(
				await env.DB.prepare(
					"SELECT count(*) AS n FROM audit_log WHERE entity = 'speaker' AND action = 'create' AND changes LIKE ?",
				)
					.bind(`%${word}%`)
					.first<{ n: number }>()
			)?.n;
		expect(await audits()).toBe(1);

		const again = await send(token, [record(word, oldName, { externalId })]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId });
		expect(await speakersNamed(oldName)).toEqual([]);
		expect(await audits()).toBe(1);
		expect(await claimSpeaker(claimId)).toBe(slug);
	});

	it("attaches no alias to a speaker other than its claim's", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const other = `Sergei Ferrovich ${word}`;
		await createSpeaker(testDb(), SYSTEM("test"), {
			name: other,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		const externalId = `ext-${newId()}`;
		const first = await send(token, [record(word, `Olga Ferrywoman ${word}`, { externalId })]);
		const claimId = first.results[0]?.claimId ?? "";
		const slug = (await claimSpeaker(claimId)) ?? "";
		// The publisher's next export names someone else, in a spelling of the other speaker.
		const again = await send(token, [record(word, `Sergej Ferrovich ${word}`, { externalId })]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId });
		// No public page yet (no claim names it): its spellings as stored.
		const spellings = await env.DB.prepare(
			"SELECT a.alias FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id WHERE s.name = ?",
		)
			.bind(other)
			.all<{ alias: string }>();
		expect(spellings.results.map((row) => row.alias)).toEqual([other]);
		expect(await claimSpeaker(claimId)).toBe(slug);
	});
});

describe("a re-import after a namesake of the claim's speaker was recorded", () => {
	it("matches the stored claim by its externalId (or its quote) and imports the corrected verdict", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const name = `Thomas Ferrymann ${word}`;
		const externalId = `ext-${newId()}`;
		const byId = record(word, name, { externalId });
		const byQuote = record(`${word}x`, name, {
			text: `The harbour of ${word} closed twice in one winter.`,
		});
		const first = await send(token, [byId, byQuote]);
		expect(first.results.map((r) => r.status)).toEqual(["created", "created"]);
		// The desk records a second Thomas Ferrymann (another person).
		await createSpeaker(testDb(), SYSTEM("test"), {
			name,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		const again = await send(token, [
			record(word, name, { externalId, rating: "half-true" }),
			{ ...byQuote, verdict: { ...byQuote.verdict, rating: "mostly-false", originalRating: "Mostly false" } },
			// A new claim by that name still needs to know which one is meant.
			record(`${word}y`, name, { text: `The lighthouse of ${word} was sold.` }),
		]);
		expect(again.results[0]).toMatchObject({
			status: "updated",
			claimId: first.results[0]?.claimId,
			changes: ["verdict"],
		});
		expect(again.results[1]).toMatchObject({
			status: "updated",
			claimId: first.results[1]?.claimId,
			changes: ["verdict"],
		});
		expect(again.results[2]?.status).toBe("rejected");
		expect(again.results[2]?.reason).toContain("several speakers are called");
		const claim = await json<{ verdict: { rating: { key: string } } }>(
			await call(`/api/v1/claims/${first.results[0]?.claimId}`),
		);
		expect(claim.verdict.rating.key).toBe("half-true");
	});
});

describe("a re-import after the speaker was renamed on the desk", () => {
	it("PATCH with a new name keeps the old one as an alias: the same file again is unchanged, one claim, one speaker", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const oldName = `Ada Ferrywoman ${word}`;
		const first = await send(token, [record(word, oldName)]);
		expect(first.results[0]?.status).toBe("created");
		const claimId = first.results[0]?.claimId ?? "";
		const slug = (await claimSpeaker(claimId)) ?? "";

		const renamed = await rename(token, slug, { name: `Ada Shipwright ${word}` });
		expect(renamed.name).toBe(`Ada Shipwright ${word}`);
		expect(renamed.aliases).toContain(oldName);

		const again = await send(token, [record(word, oldName)]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId });
		expect(again.results[0]?.changes).toBeUndefined();
		expect(await claimsWithText(record(word, oldName).claim.text)).toBe(1);
		expect((await speakersNamed(`Ada Ferrywoman ${word}`)).length).toBe(0);
		expect(await claimSpeaker(claimId)).toBe(slug);
		// The public page and JSON name the old spelling among the others.
		expect((await speaker(slug)).aliases).toEqual([oldName]);
		expect(await (await call(`/speakers/${slug}`)).text()).toContain(oldName);
	});

	it("the desk's form keeps the old name unless told to drop it; dropped, the re-import still finds its claim", async () => {
		const { editor, token } = await importer();
		const word = uniquePlace();
		const oldName = `Bea Ferrywoman ${word}`;
		const first = await send(token, [record(word, oldName)]);
		const claimId = first.results[0]?.claimId ?? "";
		const slug = (await claimSpeaker(claimId)) ?? "";
		const form = async () => (await deskGet(editor, `/desk/speakers/${slug}`)).text();
		const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";
		const fields = { kind: "person", description: "", wikidataId: "", aliases: "" };

		const html = await form();
		expect(html).toContain("dropOldName");
		const saved = await deskPost(editor, `/desk/speakers/${slug}`, {
			...fields,
			name: `Bea Shipwright ${word}`,
			version: version(html),
			_idem: newToken(18),
		});
		expect(saved.status, await saved.clone().text()).toBe(303);
		expect((await speaker(slug)).aliases).toEqual([oldName]);
		expect((await send(token, [record(word, oldName)])).results[0]).toMatchObject({
			status: "unchanged",
			claimId,
		});

		// Renamed again, the editor ticking "drop the old name": neither old spelling is kept …
		const dropped = await deskPost(editor, `/desk/speakers/${slug}`, {
			...fields,
			name: `Bea Boatwright ${word}`,
			dropOldName: "on",
			version: version(await form()),
			_idem: newToken(18),
		});
		expect(dropped.status, await dropped.clone().text()).toBe(303);
		expect((await speaker(slug)).aliases).toEqual([]);
		// … and the same file again is still its claim (by the name it was imported with).
		const again = await send(token, [record(word, oldName, { rating: "half-true" })]);
		expect(again.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		expect(await claimsWithText(record(word, oldName).claim.text)).toBe(1);
		expect(await speakersNamed(oldName)).toEqual([]);
		expect((await speaker(slug)).aliases).toEqual([]);
	});

	it("the API's dropOldName drops it; the OpenAPI description says a rename keeps it", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const first = await send(token, [record(word, `Cem Ferryman ${word}`)]);
		const slug = (await claimSpeaker(first.results[0]?.claimId ?? "")) ?? "";
		const kept = await rename(token, slug, { name: `Cem Shipwright ${word}`, aliases: ["C. S."] });
		expect(kept.aliases).toEqual(["C. S.", `Cem Ferryman ${word}`].sort());
		const dropped = await rename(token, slug, { name: `Cem Boatwright ${word}`, dropOldName: true });
		expect(dropped.aliases).toEqual(["C. S.", `Cem Ferryman ${word}`].sort());
		const doc = await json<{ paths: Record<string, Record<string, { description?: string }>> }>(
			await call("/api/v1/openapi.json"),
		);
		expect(doc.paths["/api/v1/speakers/{slug}"]?.patch?.description).toContain("old name");
	});

	it("a rename that would leave more than 200 other names is a 422 unless it drops the old name", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const name = `Finn Ferryman ${word}`;
		const created = await createSpeaker(testDb(), SYSTEM("test"), {
			name,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: Array.from({ length: 200 }, (_, i) => `Finn Alias ${i} ${word}`),
		});
		const body = { version: created.version, name: `Finn Shipwright ${word}` };
		const refused = await apiCall("PATCH", `/api/v1/speakers/${created.slug}`, { token, body });
		expect(refused.status).toBe(422);
		expect(await json(refused)).toMatchObject({ errors: [{ path: "aliases" }] });
		const dropped = await apiCall("PATCH", `/api/v1/speakers/${created.slug}`, {
			token,
			body: { ...body, dropOldName: true },
		});
		expect(dropped.status, await dropped.clone().text()).toBe(200);
		expect((await json<SpeakerJson>(dropped)).aliases).not.toContain(name);
	});
});
