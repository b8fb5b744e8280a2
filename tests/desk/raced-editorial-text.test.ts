import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish, retract } from "../factories";
import { type Account, account, deskPost, verdictForm } from "./helpers";

/**
 * What an editor typed into "Return to the checker" or "Retract verdict" is not lost when a
 * colleague acts on the verdict first: a retraction reason raced by a correction comes back in
 * the retraction form of the correction now in force; a return note raced by a publication or
 * a discard (and a reason when nothing is in force) is offered as a note on the claim.
 */

const idem = () => ({ _idem: newToken(18) });
const german = (who: Account): Account => ({ ...who, cookie: `${who.cookie}; lang=de` });
const english = (who: Account): Account => ({ ...who, cookie: `${who.cookie}; lang=en` });
const draftOf = async (claimId: string) => {
	const row = await env.DB.prepare("SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string; version: number }>();
	if (!row) throw new Error("no draft");
	return row;
};
const claimVersion = async (claimId: string) =>
	(await env.DB.prepare("SELECT version FROM claims WHERE id = ?").bind(claimId).first<{ version: number }>())
		?.version;
/** The form posting to `action`, as the page draws it. */
const formOf = (html: string, action: string) => {
	const start = html.indexOf(`action="${action}"`);
	return start < 0 ? "" : html.slice(start, html.indexOf("</form>", start));
};

/** A checker's draft, submitted for review. */
async function submittedDraft() {
	const checker = await account("checker");
	const claim = await makeClaim();
	await deskPost(checker, `/desk/claims/${claim.id}/assignee`, { assignee: "me", ...idem() });
	await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm({ submitForReview: "1" }));
	return { claim, draft: await draftOf(claim.id) };
}

/** A published verdict and a correction of it another editor published. */
async function correctedMeanwhile(editor: Account) {
	const claim = await makeClaim();
	const first = await publish(claim.id);
	const correction = await draft(claim.id);
	await env.DB.prepare("UPDATE verdicts SET evidence = ? WHERE id = ?")
		.bind(JSON.stringify([{ url: "https://evidence.example/x", title: "X" }]), correction.id)
		.run();
	const corrected = await deskPost(editor, `/desk/verdicts/${correction.id}/publish`, {
		version: String(correction.version),
		supersedes: first.id,
		claimVersion: String(await claimVersion(claim.id)),
		correctionNote: "New source",
		...idem(),
	});
	expect(corrected.status).toBe(303);
	return { claim, first, correction };
}

describe("an editor's typed text raced by a colleague", () => {
	it("a return note typed while a colleague publishes the draft is offered as a note on the claim", async () => {
		const e1 = german(await account("editor"));
		const e2 = await account("editor");
		const { claim, draft: v } = await submittedDraft();
		const published = await deskPost(e2, `/desk/verdicts/${v.id}/publish`, {
			version: String(v.version),
			supersedes: "",
			claimVersion: String(await claimVersion(claim.id)),
			...idem(),
		});
		expect(published.status).toBe(303);
		const refused = await deskPost(e1, `/desk/verdicts/${v.id}/return`, {
			version: String(v.version),
			returnNote: "Die Karte von Kursk stammt von 2023: eher irreführend.",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const html = await refused.text();
		expect(html).toContain("Dieser Entwurf wurde inzwischen veröffentlicht");
		const note = formOf(html, `/desk/claims/${claim.id}/notes`);
		expect(note).toContain("Die Karte von Kursk stammt von 2023: eher irreführend.");
		expect(note).toContain(
			"Meine Anmerkung zum Bewertungsentwurf (er ließ sich nicht zur Überarbeitung zurückgeben):",
		);
		// Sending it leaves it on the claim.
		const text = /<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(note)?.[1] ?? "";
		const csrf = /name="_csrf" value="([^"]+)"/.exec(note)?.[1] ?? "";
		const idemKey = /name="_idem" value="([^"]+)"/.exec(note)?.[1] ?? "";
		const sent = await deskPost(e1, `/desk/claims/${claim.id}/notes`, {
			_csrf: csrf,
			_idem: idemKey,
			text: text.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&"),
		});
		expect(sent.status).toBe(303);
		const stored = await env.DB.prepare("SELECT text FROM claim_notes WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ text: string }>();
		expect(stored?.text).toContain("Die Karte von Kursk stammt von 2023");
	});

	it("a return note typed while a colleague discards the draft is offered as a note on the claim", async () => {
		const e1 = english(await account("editor"));
		const e2 = await account("editor");
		const { claim, draft: v } = await submittedDraft();
		const discarded = await deskPost(e2, `/desk/verdicts/${v.id}/discard`, {
			version: String(v.version),
			confirm: "1",
			...idem(),
		});
		expect(discarded.status).toBe(303);
		const refused = await deskPost(e1, `/desk/verdicts/${v.id}/return`, {
			version: String(v.version),
			returnNote: "The Kursk map is from 2023.",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const html = await refused.text();
		expect(html).toContain("This draft was discarded meanwhile");
		expect(formOf(html, `/desk/claims/${claim.id}/notes`)).toContain("The Kursk map is from 2023.");
	});

	it("a retraction reason typed while a colleague publishes a correction is in the correction's retraction form", async () => {
		const editor = await account("editor");
		const e1 = german(editor);
		const e2 = await account("editor");
		const { first, correction } = await correctedMeanwhile(e2);
		const refused = await deskPost(e1, `/desk/verdicts/${first.id}/retract`, {
			version: String(first.version),
			note: "Die Quelle war gefälscht.",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const html = await refused.text();
		expect(html).toContain("Inzwischen wurde eine Korrektur veröffentlicht");
		const form = formOf(html, `/desk/verdicts/${correction.id}/retract`);
		expect(form).toContain("Die Quelle war gefälscht.");
		expect(form).toContain(`name="version" value="${correction.version + 1}"`);
		// The form stands open, under the correction's card.
		expect(html).toMatch(/<details class="retract" open="">\s*<summary>Bewertung zurückziehen<\/summary>/);

		const en = english(editor);
		const again = await deskPost(en, `/desk/verdicts/${first.id}/retract`, {
			version: String(first.version),
			note: "The source was forged.",
			...idem(),
		});
		expect(again.status).toBe(409);
		const englishHtml = await again.text();
		expect(englishHtml).toContain("A correction was published meanwhile");
		expect(formOf(englishHtml, `/desk/verdicts/${correction.id}/retract`)).toContain(
			"The source was forged.",
		);
	});

	it("a retraction reason typed while a colleague retracts the verdict is offered as a note on the claim", async () => {
		const e1 = english(await account("editor"));
		const claim = await makeClaim();
		const published = await publish(claim.id);
		await retract(published.id, published.version, "Withdrawn by a colleague.");
		const refused = await deskPost(e1, `/desk/verdicts/${published.id}/retract`, {
			version: String(published.version),
			note: "The source was forged, says the agency.",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const html = await refused.text();
		expect(html).toContain("This verdict is no longer in force");
		expect(formOf(html, `/desk/claims/${claim.id}/notes`)).toContain(
			"The source was forged, says the agency.",
		);
	});

	it("a retraction sent twice while the first is still being saved is not told nothing was retracted", {
		timeout: 30_000,
	}, async () => {
		const e1 = english(await account("editor"));
		const claim = await makeClaim();
		const published = await publish(claim.id);
		const form = { version: String(published.version), note: "The source was forged.", ...idem() };
		const first = await deskPost(e1, `/desk/verdicts/${published.id}/retract`, form);
		expect(first.status).toBe(303);
		// As while the first request is between its write and its answer being kept.
		await env.DB.prepare(
			"UPDATE idempotency_keys SET state = 'pending', status = NULL, location = NULL WHERE user_id = ?",
		)
			.bind(e1.user.id)
			.run();
		const again = await deskPost(e1, `/desk/verdicts/${published.id}/retract`, form);
		expect(again.status).toBe(409);
		const html = await again.text();
		expect(html).toContain("This form is still being saved. Reload the page in a moment.");
		expect(html).not.toContain("nothing was retracted");
		expect(formOf(html, `/desk/claims/${claim.id}/notes`)).not.toContain("The source was forged.");
	});
});
