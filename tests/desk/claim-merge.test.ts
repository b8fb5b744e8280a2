import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost } from "./helpers";

const TIMEOUT = { timeout: 60_000 };
const read = async (claimId: string) => json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));

describe("the desk's 'Merge into another claim' and 'Remove this claim' forms", () => {
	it(
		"merge: the box is checked on the server, a claim address is understood, the kept claim's page shows the merge",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const kept = await makeClaim({ language: "en" });
			const duplicate = await makeClaim({ language: "en" });
			const note = `Two checkers, one <claim> ${newId()}`;
			const noted = await apiCall("POST", `/api/v1/claims/${duplicate.id}/notes`, {
				token: (await apiToken(editor.user, ["claims:write"])).token,
				body: { text: "Found in the morning papers." },
			});
			expect(noted.status).toBe(201);
			const page = await (
				await deskGet(editor, `/desk/claims/${duplicate.id}?lang=en&mergeInto=${kept.id}`)
			).text();
			expect(page).toContain(`action="/desk/claims/${duplicate.id}/merge"`);
			expect(page).toContain(`value="${kept.id}"`);
			expect(page).toContain(`action="/desk/claims/${duplicate.id}/remove"`);

			const fields = {
				version: String((await read(duplicate.id)).version),
				into: `https://claims.example/claims/${kept.id}`,
				note,
				_idem: newToken(18),
			};
			const unconfirmed = await deskPost(editor, `/desk/claims/${duplicate.id}/merge?lang=en`, fields);
			expect(unconfirmed.status).toBe(422);
			const again = await unconfirmed.text();
			expect(again).toContain("Nothing was merged: tick the box to confirm.");
			expect(again).toContain("Two checkers, one &lt;claim&gt;");

			const merged = await deskPost(editor, `/desk/claims/${duplicate.id}/merge`, {
				...fields,
				confirm: "1",
				_idem: newToken(18),
			});
			expect(merged.status, await merged.clone().text()).toBe(303);
			expect(merged.headers.get("location")).toBe(`/desk/claims/${kept.id}?done=claim-merged`);
			const keptPage = await (
				await deskGet(editor, `/desk/claims/${kept.id}?lang=en&done=claim-merged`)
			).text();
			expect(keptPage).toContain("The duplicate was merged into this claim");
			expect(keptPage).toContain("Found in the morning papers.");
			expect(keptPage).toContain(`from merged claim <code>${duplicate.id}</code>`);
			// The timeline: the merge with its note, and the duplicate's own entries.
			expect(keptPage).toContain(`merged from claim <code>${duplicate.id}</code>`);
			expect(keptPage).toContain(`<code>${duplicate.id}</code>)`);
			const old = await deskGet(editor, `/desk/claims/${duplicate.id}`);
			expect(old.status).toBe(302);
			expect(old.headers.get("location")).toBe(`/desk/claims/${kept.id}`);
		},
	);

	it("the kept claim's timeline shows the duplicate's discarded drafts", TIMEOUT, async () => {
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
		const kept = await makeClaim({ language: "en" });
		const duplicate = await makeClaim({ language: "en" });
		// A draft begun on the duplicate and discarded: the claim may then be merged away.
		const drafted = await draft(duplicate.id);
		const discarded = await apiCall("DELETE", `/api/v1/verdicts/${drafted.id}`, {
			token,
			body: { version: drafted.version },
		});
		expect(discarded.status).toBe(204);
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: (await read(duplicate.id)).version, note: "The same claim." },
		});
		expect(merged.status).toBe(200);
		const page = await (await deskGet(editor, `/desk/claims/${kept.id}?lang=en`)).text();
		expect(page).toContain(`merged from claim <code>${duplicate.id}</code>`);
		expect(page).toContain(`drafted a verdict (verdict <code>${drafted.id}</code>)`);
		expect(page).toContain(`discarded a draft (verdict <code>${drafted.id}</code>)`);
	});

	it(
		"refusals re-show the form in German; a reviewed claim offers neither form; a checker gets none",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const checker = await account("checker");
			const reviewed = await makeClaim();
			await publish(reviewed.id);
			const reviewedPage = await (await deskGet(editor, `/desk/claims/${reviewed.id}?lang=en`)).text();
			expect(reviewedPage).not.toContain(`/desk/claims/${reviewed.id}/merge"`);
			expect(reviewedPage).toContain("it stays in the corrections log");

			const plain = await makeClaim();
			expect(await (await deskGet(checker, `/desk/claims/${plain.id}?lang=en`)).text()).not.toContain(
				`/desk/claims/${plain.id}/merge"`,
			);
			const forbidden = await deskPost(checker, `/desk/claims/${plain.id}/remove`, {
				version: String((await read(plain.id)).version),
				reason: "x",
				confirm: "1",
				_idem: newToken(18),
			});
			expect(forbidden.status).toBe(403);

			const self = await deskPost(editor, `/desk/claims/${plain.id}/merge?lang=de`, {
				version: String((await read(plain.id)).version),
				into: plain.id,
				note: "Gleich.",
				confirm: "1",
				_idem: newToken(18),
			});
			expect(self.status).toBe(422);
			expect(await self.text()).toContain("Eine Behauptung kann nicht in sich selbst zusammengeführt werden");
		},
	);

	it(
		"remove: confirmed, the claim leaves and the desk says so; its desk address says it was removed",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const claim = await makeClaim();
			const removed = await deskPost(editor, `/desk/claims/${claim.id}/remove`, {
				version: String((await read(claim.id)).version),
				reason: "A private individual.",
				confirm: "1",
				_idem: newToken(18),
			});
			expect(removed.status, await removed.clone().text()).toBe(303);
			expect(removed.headers.get("location")).toBe("/desk?done=claim-removed");
			expect(await (await deskGet(editor, "/desk?lang=en&done=claim-removed")).text()).toContain(
				"The claim was removed from the tracker.",
			);
			const gone = await deskGet(editor, `/desk/claims/${claim.id}?lang=de`);
			expect(gone.status).toBe(410);
			expect(await gone.text()).toContain("Diese Behauptung wurde aus dem Verzeichnis entfernt.");
		},
	);
});
