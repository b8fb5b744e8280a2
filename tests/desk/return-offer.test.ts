import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { draft, makeClaim, submit } from "../factories";
import { account, deskGet, deskPost, hidden, verdictForm } from "./helpers";

/**
 * "Return to the checker" is offered where there is a checker to return it to: on a draft
 * someone else writes, submitted or still being written (the team's flow: an editor says what
 * to change before the submission too). An editor's own draft has no one to return it to (it
 * was offered there).
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

	it("is offered on a checker's draft, being written or submitted", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const opened = await draft(claim.id, "A checker's draft", checker.user.id);
		const writing = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(writing).toContain(`action="/desk/verdicts/${opened.id}/return"`);

		await submit(opened);
		const waiting = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(waiting).toContain(`action="/desk/verdicts/${opened.id}/return"`);
		expect(waiting).toContain("Return to the checker");
	});

	it("is offered to the editor who began a draft a checker then writes and submits, as the claim was handed on", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const id = await openDraftId(claim.id);
		expect(await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text()).not.toContain(
			`action="/desk/verdicts/${id}/return"`,
		);
		const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: checker.user.email,
			_idem: newToken(18),
		});
		expect(handed.status).toBe(303);
		const form = await (await deskGet(checker, `/desk/verdicts/${id}/edit`)).text();
		const submitted = await deskPost(checker, `/desk/verdicts/${id}`, {
			...verdictForm({ rating: "false", headline: "Finished by the checker" }),
			version: hidden(form, "version") ?? "",
			submitForReview: "1",
		});
		expect(submitted.status).toBe(303);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain(`action="/desk/verdicts/${id}/return"`);
		expect(page).toContain("Return to the checker");
	});

	it("says in German that the draft goes back for revision, not into review (Prüfung is review)", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const opened = await draft(claim.id, "Ein Entwurf der Prüferin", checker.user.id);
		await submit(opened);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		const form = page.slice(
			page.indexOf('<details class="return"'),
			page.indexOf("</details>", page.indexOf('<details class="return"')),
		);
		expect(/<summary>([^<]*)<\/summary>/.exec(form)?.[1]).toBe("Zur Überarbeitung zurückgeben");
		expect(/<button type="submit">([^<]*)<\/button>/.exec(form)?.[1]).toBe("Zur Überarbeitung zurückgeben");

		const returned = await deskPost(editor, `/desk/verdicts/${opened.id}/return`, {
			version: String(
				(
					await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
						.bind(opened.id)
						.first<{ version: number }>()
				)?.version,
			),
			returnNote: "Bitte die Zahlen des Ministeriums zitieren.",
			_idem: newToken(18),
		});
		expect(returned.status).toBe(303);
		const after = await (await deskGet(editor, `${returned.headers.get("location")}&lang=de`)).text();
		expect(after).toContain("Der Entwurf ging mit Ihrer Notiz zur Überarbeitung zurück");
		// The claim's timeline says the same.
		expect(after).toContain("Entwurf mit Anmerkung zur Überarbeitung zurückgegeben");
		expect(after).not.toMatch(/an die Prüfung zurück/i);
	});
});
