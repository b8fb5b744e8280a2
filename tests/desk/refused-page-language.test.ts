import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish } from "../factories";
import { type Account, account, deskGet, deskPost, verdictForm } from "./helpers";

/**
 * A post the desk refuses re-renders a page: its language switch must lead to that page in
 * the other language (a GET of its address), not to one guessed from the post's address.
 * A refused verdict step shows the claim page; its switch led to the draft's edit form,
 * for a published verdict a 409.
 */
const german = (who: Account): Account => ({ ...who, cookie: `${who.cookie}; lang=de` });

/** The language switch of a page: the address it leads to. */
function switchHref(html: string): string {
	const href = /<a class="lang" href="([^"]*)"/.exec(html)?.[1];
	if (!href) throw new Error("no language switch");
	return href.replaceAll("&amp;", "&");
}

/** The refused page's switch is `expected`, and following it shows that page in English. */
async function switchLeadsTo(who: Account, refused: Response, status: number, expected: string) {
	const html = await refused.text();
	expect(refused.status).toBe(status);
	expect(html).toContain('<html lang="de"');
	expect(switchHref(html)).toBe(`${expected}?lang=en`);
	const followed = await deskGet(who, switchHref(html));
	expect(followed.status).toBe(200);
	expect(await followed.text()).toContain('<html lang="en"');
}

const idem = () => ({ _idem: newToken(18) });

describe("the language switch on a page a refused post shows", () => {
	it("publish, retract, return, submit and discard refused: the claim page", {
		timeout: 60_000,
	}, async () => {
		const editor = german(await account("editor"));
		const checker = german(await account("checker"));

		const toPublish = await makeClaim();
		const open = await draft(toPublish.id);
		// A draft without evidence is refused (422): the claim page with the publish form's errors.
		const publish422 = await deskPost(editor, `/desk/verdicts/${open.id}/publish`, {
			version: String(open.version),
			...idem(),
		});
		await switchLeadsTo(editor, publish422, 422, `/desk/claims/${toPublish.id}`);

		const toRetract = await makeClaim();
		const published = await publish(toRetract.id);
		const retract422 = await deskPost(editor, `/desk/verdicts/${published.id}/retract`, {
			version: String(published.version),
			note: "",
			...idem(),
		});
		await switchLeadsTo(editor, retract422, 422, `/desk/claims/${toRetract.id}`);

		const toReturn = await makeClaim();
		const returned = await draft(toReturn.id, undefined, checker.user.id);
		const return422 = await deskPost(editor, `/desk/verdicts/${returned.id}/return`, {
			version: String(returned.version),
			returnNote: "  ",
			...idem(),
		});
		await switchLeadsTo(editor, return422, 422, `/desk/claims/${toReturn.id}`);

		const toSubmit = await makeClaim();
		const own = await draft(toSubmit.id, undefined, checker.user.id);
		const submit409 = await deskPost(checker, `/desk/verdicts/${own.id}/submit`, {
			version: String(own.version + 5),
			...idem(),
		});
		await switchLeadsTo(checker, submit409, 409, `/desk/claims/${toSubmit.id}`);

		const discard422 = await deskPost(checker, `/desk/verdicts/${own.id}/discard`, {
			version: String(own.version),
			...idem(),
		});
		await switchLeadsTo(checker, discard422, 422, `/desk/claims/${toSubmit.id}`);
	});

	it("publish from the preview refused: the preview; a save of a discarded draft: the new-verdict form", {
		timeout: 60_000,
	}, async () => {
		const editor = german(await account("editor"));
		const checker = german(await account("checker"));

		const claim = await makeClaim();
		const open = await draft(claim.id);
		// Refused for want of evidence (422): the preview with the publish form's errors.
		const fromPreview = await deskPost(editor, `/desk/verdicts/${open.id}/publish`, {
			version: String(open.version),
			from: "preview",
			...idem(),
		});
		await switchLeadsTo(editor, fromPreview, 422, `/desk/verdicts/${open.id}/preview`);

		const other = await makeClaim();
		const gone = await draft(other.id, undefined, checker.user.id);
		const discarded = await deskPost(checker, `/desk/verdicts/${gone.id}/discard`, {
			version: String(gone.version),
			confirm: "1",
			...idem(),
		});
		expect(discarded.status).toBe(303);
		const saved = await deskPost(checker, `/desk/verdicts/${gone.id}`, {
			...verdictForm(),
			version: String(gone.version),
		});
		await switchLeadsTo(checker, saved, 409, `/desk/claims/${other.id}/verdicts/new`);
	});
});

/**
 * An error or resubmit page of a verdict step (publish, retract, return, submit, discard: forms
 * of the claim page) names the verdict's address, which leads to its card on its claim page:
 * the step's address says nothing of the claim, and its switch led to the draft's edit form
 * (a 409 for a published verdict, another page than the user's for a draft).
 */
async function switchLeadsToClaim(
	who: Account,
	refused: Response,
	status: number,
	verdictId: string,
	claimId: string,
	/** The verdict's card, not there once the draft is discarded. */
	card = true,
) {
	const html = await refused.text();
	expect(refused.status).toBe(status);
	expect(html).toContain('<html lang="de"');
	expect(switchHref(html)).toBe(`/desk/verdicts/${verdictId}?lang=en`);
	const moved = await deskGet(who, switchHref(html));
	expect(moved.status).toBe(303);
	const fragment = card ? `#verdict-${verdictId}` : "";
	expect(moved.headers.get("Location")).toBe(`/desk/claims/${claimId}?lang=en${fragment}`);
	const shown = await deskGet(who, `/desk/claims/${claimId}?lang=en`);
	expect(shown.status).toBe(200);
	const page = await shown.text();
	expect(page).toContain('<html lang="en"');
	if (card) expect(page).toContain(`id="verdict-${verdictId}"`);
}

describe("the language switch on an error or resubmit page of a verdict step", () => {
	it("a key sent again with other content, a step not allowed, another session's form: the claim page", {
		timeout: 60_000,
	}, async () => {
		const editor = german(await account("editor"));
		const checker = german(await account("checker"));

		const toSubmit = await makeClaim();
		const own = await draft(toSubmit.id, undefined, checker.user.id);
		const key = idem();
		const submitted = await deskPost(checker, `/desk/verdicts/${own.id}/submit`, {
			version: String(own.version),
			...key,
		});
		expect(submitted.status).toBe(303);
		// The same form's key with other content: the resubmit page (422).
		const reused = await deskPost(checker, `/desk/verdicts/${own.id}/submit`, {
			version: String(own.version + 1),
			...key,
		});
		await switchLeadsToClaim(checker, reused, 422, own.id, toSubmit.id);

		// A checker may not retract: the error page (403).
		const toRetract = await makeClaim();
		const published = await publish(toRetract.id);
		const notAllowed = await deskPost(checker, `/desk/verdicts/${published.id}/retract`, {
			version: String(published.version),
			note: "Wrong",
			...idem(),
		});
		await switchLeadsToClaim(checker, notAllowed, 403, published.id, toRetract.id);

		// A form of another session (loaded before a new login): the resubmit page (403).
		const toPublish = await makeClaim();
		const open = await draft(toPublish.id);
		const stale = await deskPost({ ...editor, csrf: newToken(32) }, `/desk/verdicts/${open.id}/publish`, {
			version: String(open.version),
			...idem(),
		});
		await switchLeadsToClaim(editor, stale, 403, open.id, toPublish.id);

		// A discard sent again with other content, the draft gone: its claim page still.
		const toDiscard = await makeClaim();
		const gone = await draft(toDiscard.id, undefined, checker.user.id);
		const discardKey = idem();
		const discarded = await deskPost(checker, `/desk/verdicts/${gone.id}/discard`, {
			version: String(gone.version),
			confirm: "1",
			...discardKey,
		});
		expect(discarded.status).toBe(303);
		const again = await deskPost(checker, `/desk/verdicts/${gone.id}/discard`, {
			version: String(gone.version + 1),
			confirm: "1",
			...discardKey,
		});
		await switchLeadsToClaim(checker, again, 422, gone.id, toDiscard.id, false);
	});
});
