import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { draft, makeClaim, submit } from "../factories";
import { account, deskGet, deskPost, verdictForm } from "./helpers";

/**
 * "Return to the checker" is offered where there is a checker waiting on it: on a draft
 * submitted for review by someone else. An editor's own draft, or one never submitted, has no
 * one to return it to (it was offered on an editor's own draft being written).
 */

const openDraftId = async (claimId: string) =>
	(
		await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
			.bind(claimId)
			.first<{ id: string }>()
	)?.id ?? "";

describe("returning a draft to its checker", () => {
	it("is not offered on an editor's own draft, submitted or not", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const id = await openDraftId(claim.id);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain(`id="verdict-${id}"`);
		expect(page).not.toContain(`action="/desk/verdicts/${id}/return"`);
		expect(page).not.toContain("Return to the checker");

		// Submitted for review by the editor themselves: still no checker to return it to.
		const second = await makeClaim();
		const sent = await deskPost(editor, `/desk/claims/${second.id}/verdicts`, {
			...verdictForm({ rating: "false" }),
			submitForReview: "1",
		});
		expect(sent.status).toBe(303);
		const mine = await (await deskGet(editor, `/desk/claims/${second.id}?lang=de`)).text();
		expect(mine).not.toContain(`action="/desk/verdicts/${await openDraftId(second.id)}/return"`);
	});

	it("is not offered on a checker's draft not submitted, and is once it is", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const opened = await draft(claim.id, "A checker's draft", checker.user.id);
		const writing = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(writing).not.toContain(`action="/desk/verdicts/${opened.id}/return"`);

		await submit(opened);
		const waiting = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(waiting).toContain(`action="/desk/verdicts/${opened.id}/return"`);
		expect(waiting).toContain("Return to the checker");
	});
});
