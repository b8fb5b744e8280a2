import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish } from "../factories";
import { type Account, account, deskPost, makeUser, verdictForm } from "./helpers";

/**
 * The desk's small forms (a note, topics, a discard, a removal, an account's disabling, a
 * speaker merge, a webhook's deletion) stand far down their page, which a failed post
 * re-renders: only a message beside the field said what was wrong, and nothing announced it.
 * Now the page leads with the summary the big forms have (role=alert, each problem linking
 * to its field by the id it has on the page, named by its label), and the title says so.
 */

const PREFIX = { en: "Error: ", de: "Fehler: " } as const;
type Lang = keyof typeof PREFIX;

function summaryOf(html: string): string {
	const summary =
		/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(
			html,
		)?.[1];
	expect(summary, "no error summary").toBeDefined();
	return summary ?? "";
}

/** The 422 page leads with a summary whose links land on fields of the page, and its title says "Error:". */
async function expectSummarised(response: Response, lang: Lang, label: string, message: string) {
	expect(response.status).toBe(422);
	const html = await response.text();
	const summary = summaryOf(html);
	const links = [...summary.matchAll(/<a href="#([^"]+)">([\s\S]*?)<\/a>/g)];
	expect(links.length).toBeGreaterThan(0);
	for (const [, id] of links) expect(html, `#${id} is on the page`).toContain(`id="${id}"`);
	// The link names the field, then says what is wrong with it.
	expect(summary).toMatch(new RegExp(`<a href="#[^"]+">${label}[^<]*: [^<]*${message}`));
	// Atop the page, before its heading, not beside the form far down.
	expect(html.indexOf('id="error-summary"')).toBeLessThan(html.indexOf("<h1"));
	expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(new RegExp(`^${PREFIX[lang]}`));
	return html;
}

/** The ticked-box error says "Error:" to a screen reader, as every other field's error does. */
function expectPrefixedError(html: string, id: string, lang: Lang) {
	expect(html).toMatch(
		new RegExp(
			`<p class="error" id="${id}-error"><span class="visually-hidden">${PREFIX[lang].trim()} </span>`,
		),
	);
	// Inside its field (.field .error is red), after the box and its label.
	expect(html).toMatch(
		new RegExp(
			`<div class="field"><div class="checkbox"><input[^>]*id="${id}"[\\s\\S]*?</label></div><p class="error" id="${id}-error">`,
		),
	);
}

const idem = () => ({ _idem: newToken(18) });
const q = (lang: Lang) => (lang === "de" ? "?lang=de" : "");

describe("a failed small form of the desk is summarised atop its page", () => {
	for (const lang of ["en", "de"] as const) {
		const words =
			lang === "en"
				? {
						note: "Your note",
						discard: "Yes, discard this draft",
						discardMessage: "tick the box to confirm",
						removeClaim: "Yes, remove this claim from the tracker",
						disable: "Yes, disable this account now",
						merge: "Merge into",
						webhook: "Yes, delete this webhook",
						correctionNote: "Correction note",
						correctionMessage: "A correction needs a note",
						evidenceMessage: "Add at least one evidence link before publishing.",
					}
				: {
						note: "Ihre Notiz",
						discard: "Ja, diesen Entwurf verwerfen",
						discardMessage: "Bitte das Kästchen zur Bestätigung ankreuzen",
						removeClaim: "Ja, diese Behauptung aus dem Verzeichnis entfernen",
						disable: "Ja, dieses Konto jetzt sperren",
						merge: "Zusammenführen mit",
						webhook: "Ja, diesen Webhook",
						correctionNote: "Korrekturhinweis",
						correctionMessage: "Eine Korrektur braucht einen Hinweis",
						evidenceMessage: "Vor dem Veröffentlichen mindestens einen Beleg-Link angeben.",
					};

		it(`claim page: a note, a discard, a removal (${lang})`, async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const note = await deskPost(checker, `/desk/claims/${claim.id}/notes${q(lang)}`, {
				text: " ",
				...idem(),
			});
			await expectSummarised(note, lang, words.note, "");

			const open = await draft(claim.id, `Draft ${newId()}`, checker.user.id);
			const discard = await deskPost(checker, `/desk/verdicts/${open.id}/discard${q(lang)}`, {
				version: String(open.version),
				...idem(),
			});
			const discarded = await expectSummarised(discard, lang, words.discard, words.discardMessage);
			expect(discarded).toContain(`href="#discard-confirm-${open.id}"`);
			expectPrefixedError(discarded, `discard-confirm-${open.id}`, lang);

			const plain = await makeClaim();
			const remove = await deskPost(editor, `/desk/claims/${plain.id}/remove${q(lang)}`, {
				version: String(plain.version),
				reason: "Recorded by mistake",
				...idem(),
			});
			const removed = await expectSummarised(remove, lang, words.removeClaim, "");
			expectPrefixedError(removed, "remove-claim-confirm", lang);
		});

		it(`claim page: a correction without its note, a publication without evidence (${lang})`, async () => {
			// The note's field stood ~40 % down a long page with the only word of what was wrong,
			// the page starting at its top; the evidence had a summary of its own inside the form.
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			await publish(claim.id);
			const made = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm());
			expect(made.status).toBe(303);
			const correction = await env.DB.prepare(
				"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
			)
				.bind(claim.id)
				.first<{ id: string; version: number }>();
			const withoutNote = await deskPost(editor, `/desk/verdicts/${correction?.id}/publish${q(lang)}`, {
				version: String(correction?.version),
				correctionNote: "  ",
				...idem(),
			});
			const noted = await expectSummarised(withoutNote, lang, words.correctionNote, words.correctionMessage);
			expect(summaryOf(noted)).toContain(`href="#f-correctionNote-${correction?.id}"`);
			expect(noted.match(/autofocus/g)).toHaveLength(1);

			const bare = await makeClaim();
			const open = await draft(bare.id);
			const withoutEvidence = await deskPost(editor, `/desk/verdicts/${open.id}/publish${q(lang)}`, {
				version: String(open.version),
				...idem(),
			});
			expect(withoutEvidence.status).toBe(422);
			const html = await withoutEvidence.text();
			// Its link leads to the draft's edit form, where the evidence is.
			expect(summaryOf(html)).toContain(
				`<a href="/desk/verdicts/${open.id}/edit#f-evidence-0-url">${words.evidenceMessage}</a>`,
			);
			expect(html.indexOf('id="error-summary"')).toBeLessThan(html.indexOf("<h1"));
			expect(html.match(/id="error-summary"/g)).toHaveLength(1);
			expect(html.match(/autofocus/g)).toHaveLength(1);
			expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(new RegExp(`^${PREFIX[lang]}`));
		});

		it(`preview page: a correction without its note (${lang})`, async () => {
			// From the preview, the note's error stood beside its field with nothing focused.
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			await publish(claim.id);
			expect((await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm())).status).toBe(303);
			const correction = await env.DB.prepare(
				"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
			)
				.bind(claim.id)
				.first<{ id: string; version: number }>();
			const withoutNote = await deskPost(editor, `/desk/verdicts/${correction?.id}/publish${q(lang)}`, {
				version: String(correction?.version),
				from: "preview",
				correctionNote: "  ",
				...idem(),
			});
			expect(withoutNote.status).toBe(422);
			const html = await withoutNote.text();
			const summary = summaryOf(html);
			expect(summary).toContain(`href="#f-correctionNote-${correction?.id}"`);
			expect(summary).toContain(words.correctionNote);
			expect(html).toContain(`id="f-correctionNote-${correction?.id}"`);
			expect(html.match(/autofocus/g)).toHaveLength(1);
		});

		it(`account page, speaker merge, webhook delete (${lang})`, async () => {
			const admin: Account = await account("admin");
			const { user: other } = await makeUser("checker");
			const disable = await deskPost(admin, `/desk/admin/users/${other.id}/disable${q(lang)}`, {
				version: String(other.version),
				...idem(),
			});
			const disabled = await expectSummarised(disable, lang, words.disable, "");
			expectPrefixedError(disabled, "disable-confirm", lang);

			const editor = await account("editor");
			const claim = await makeClaim({ speaker: { name: `Lone Speaker ${newId()}` } });
			const slug = claim.speaker?.slug ?? "";
			const merge = await deskPost(editor, `/desk/speakers/${slug}/merge${q(lang)}`, { into: "", ...idem() });
			await expectSummarised(merge, lang, words.merge, "");

			const url = `https://hooks.example/ok/${newId()}`;
			const made = await deskPost(admin, "/desk/admin/webhooks", {
				url,
				"event:claim.created": "1",
				description: "",
				...idem(),
			});
			expect(made.status).toBe(201);
			const row = await env.DB.prepare("SELECT id FROM webhooks WHERE url = ?")
				.bind(url)
				.first<{ id: string }>();
			const del = await deskPost(admin, `/desk/admin/webhooks/${row?.id}/delete${q(lang)}`, idem());
			const deleted = await expectSummarised(del, lang, words.webhook, "");
			expectPrefixedError(deleted, "f-confirm", lang);
		});
	}
});
