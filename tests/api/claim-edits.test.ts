import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";

interface PublicClaim {
	text: string;
	version: number;
	speaker: { name: string } | null;
	changes: { field: string; from: string | null; to: string | null; note: string | null; at: string }[];
}

async function editorWriter() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write"])).token;
}

async function writer() {
	const checker = await account("checker");
	return (await apiToken(checker.user, ["claims:write"])).token;
}

describe("PATCH /api/v1/claims/:id", () => {
	it("edits an unreviewed claim without a note and without a public change entry", async () => {
		const token = await writer();
		const claim = await makeClaim();
		const response = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, text: `Edited ${newId()} wording`, claimedAt: "2025-07-11" },
		});
		expect(response.status, await response.clone().text()).toBe(200);
		const body = await json<PublicClaim>(response);
		expect(body.version).toBe(claim.version + 1);
		expect(body.changes).toEqual([]);
	});

	it("refuses to make a claim the same as another of the same speaker, by text or by speaker", async () => {
		const token = await writer();
		const words = `Die Brücke ${newId()} kostete 300 Millionen.`;
		const original = await makeClaim({ text: words });
		const typo = await makeClaim({
			text: `${words} `.replace("Brücke", "Brüke"),
			speaker: { id: original.speaker?.id ?? "" },
		});
		const fixed = await apiCall("PATCH", `/api/v1/claims/${typo.id}`, {
			token,
			body: { version: typo.version, text: words },
		});
		expect(fixed.status).toBe(409);
		expect(await json(fixed)).toMatchObject({
			type: "urn:claimtrack:problem:duplicate-claim",
			claimId: original.id,
		});
		// The same words of another speaker, moved to the original's speaker.
		const elsewhere = await makeClaim({ text: words });
		const moved = await apiCall("PATCH", `/api/v1/claims/${elsewhere.id}`, {
			token,
			body: { version: elsewhere.version, speaker: { id: original.speaker?.id ?? "" } },
		});
		expect(moved.status).toBe(409);
		expect((await json<{ text: string }>(await call(`/api/v1/claims/${typo.id}`))).text).not.toBe(words);
		// Other changes to such a claim stay possible.
		const context = await apiCall("PATCH", `/api/v1/claims/${elsewhere.id}`, {
			token,
			body: { version: elsewhere.version, context: "Im Stadtrat" },
		});
		expect(context.status).toBe(200);
	});

	it("refuses an outdated version with 409 and saves nothing", async () => {
		const token = await writer();
		const claim = await makeClaim();
		const first = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, context: "First edit" },
		});
		expect(first.status).toBe(200);
		const stale = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, context: "Second edit from an old form" },
		});
		expect(stale.status).toBe(409);
		expect((await json<{ type: string }>(stale)).type).toBe("urn:claimtrack:problem:version-conflict");
		const now = await json<{ context: string }>(await call(`/api/v1/claims/${claim.id}`));
		expect(now.context).toBe("First edit");
	});

	it("on a reviewed claim is an editor's: a checker's token is refused with 403 and nothing changes", async () => {
		const token = await writer();
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id);
		const current = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		for (const change of [
			{ text: `Reworded ${newId()}` },
			{ speaker: { name: `Another Speaker ${newId()}` } },
			{ claimedAt: "2024-01-01" },
			{ language: "de" },
			{ context: "Different context" },
		]) {
			const refused = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: current.version, ...change, note: "Looked wrong." },
			});
			expect(refused.status, JSON.stringify(change)).toBe(403);
			await refused.body?.cancel();
		}
		const after = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(after).toEqual(current);
		// Topics are not the claim's words: a checker still files them.
		const tagged = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: current.version, tags: [`Topic ${newId()}`] },
		});
		expect(tagged.status, await tagged.clone().text()).toBe(200);
	});

	it("on a reviewed claim needs a note, and the change is public in JSON, on the page and in search", async () => {
		const token = await editorWriter();
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id);
		const word = `Wording${newId()}`;
		const noNote = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version + 1, text: `${word} corrected quote` },
		});
		// publish() bumps the claim's version once; either way a missing note is refused first.
		expect([409, 422]).toContain(noNote.status);
		const current = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const refused = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: current.version, text: `${word} corrected quote` },
		});
		expect(refused.status).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(refused)).errors[0]?.path).toBe("note");
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: {
				version: current.version,
				text: `${word} corrected quote`,
				speaker: { name: `Renamed Speaker ${newId()}` },
				note: "The quote was transcribed wrongly.",
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const body = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(body.text).toBe(`${word} corrected quote`);
		expect(body.changes.map((c) => [c.field, c.to, c.note])).toEqual([
			["text", `${word} corrected quote`, "The quote was transcribed wrongly."],
			["speaker", body.speaker?.name, "The quote was transcribed wrongly."],
		]);
		expect(body.changes[0]?.from).toBe(current.text);
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain("Changes to the claim");
		expect(page).toContain("The quote was transcribed wrongly.");
		const found = await json<{ data: { id: string }[] }>(await call(`/api/v1/claims?q=${word}`));
		expect(found.data.map((c) => c.id)).toContain(claim.id);
	});
});
