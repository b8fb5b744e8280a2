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
