import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { getVerdict } from "../../src/store/verdicts";
import { makeClaim, publish, retract } from "../factories";
import { BASE, call, json, testDb } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	formFields,
	snapshot,
	verdictForm,
} from "./helpers";

/**
 * An editor publishes the verdict on the claim as they read it: a claim whose words changed
 * between the page and the click is refused (desk: the page again, saying so; API: 409
 * `claim-changed` with the claim's version now), never published on words they never saw.
 */

interface PublicClaim {
	text: string;
	status: string;
	version: number;
	changes?: unknown[];
}

/** The hidden fields of the form posting to `action` on the page, as a browser sends them. */
function hiddenFields(html: string, action: string): Record<string, string> {
	const start = html.indexOf(`action="${action}"`);
	expect(start, `no form posting to ${action}`).toBeGreaterThan(-1);
	const form = html.slice(start, html.indexOf("</form>", start));
	const fields: Record<string, string> = {};
	for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
		fields[match[1] ?? ""] = match[2] ?? "";
	return fields;
}

async function submittedDraft(checker: Account, claimId: string) {
	const drafted = await deskPost(checker, `/desk/claims/${claimId}/verdicts`, {
		...verdictForm({ rating: "false", headline: "Far fewer ships called there" }),
		submitForReview: "1",
	});
	expect(drafted.status, await drafted.clone().text()).toBe(303);
}

async function openDraftId(claimId: string): Promise<string> {
	const row = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string }>();
	if (!row) throw new Error("no draft");
	return row.id;
}

/** Someone else changes the claim's words through the API, at the version they read. */
async function rewordedBy(who: Account, claimId: string, text: string, note?: string) {
	const { token } = await apiToken(who.user, ["claims:write"]);
	const now = await json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));
	const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
		token,
		body: { version: now.version, text, ...(note ? { note } : {}) },
	});
	expect(edited.status, await edited.clone().text()).toBe(200);
}

/** The draft's writer opens its form and saves it as it stands: on the claim's words now. */
async function savedAgain(writer: Account, draftId: string) {
	const form = await (await deskGet(writer, `/desk/verdicts/${draftId}/edit`)).text();
	const saved = await deskPost(
		writer,
		`/desk/verdicts/${draftId}`,
		formFields(form, `/desk/verdicts/${draftId}`),
	);
	expect(saved.status, await saved.clone().text()).toBe(303);
	const row = await getVerdict(testDb(), draftId);
	if (!row) throw new Error("draft gone");
	return row;
}

describe("publishing is made on the claim's words as the editor read them", () => {
	it("the preview's publish form refuses a claim reworded since it was shown, and says how it reads now", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const place = `Port ${newId()}`;
		const claim = await makeClaim({
			text: `The port of ${place} handled 5000 ships in 2024.`,
			language: "en",
		});
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		const fields = hiddenFields(preview, `/desk/verdicts/${draftId}/publish`);

		const reworded = `The port of ${place} handled 50 ships in 2024.`;
		await rewordedBy(await account("checker"), claim.id, reworded);

		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, fields);
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The claim was changed after this page was shown: nothing was published.");
		// The claim's words isolated in their own language and direction, not in the notice's prose.
		expect(page).toContain(`It now reads: “<bdi lang="en" dir="auto">${reworded}</bdi>”`);
		// Above the preview it refers to, not below it by the button.
		expect(page.indexOf("nothing was published")).toBeLessThan(page.indexOf('id="preview-h"'));
		// The preview again, showing the claim as it is now. The draft was written for the old words,
		// so it is published only once it is saved on these (see "a draft rates the words …" below).
		expect(page).toContain("The claim&#39;s words were changed after this draft was last saved:");
		expect(page).not.toContain(`action="/desk/verdicts/${draftId}/publish"`);
		expect(await snapshot()).toEqual(before);
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
		const shown = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(shown.status).not.toBe("false");

		// Its checker saves it on the words now; the editor publishes from the preview shown then.
		await savedAgain(checker, draftId);
		const read = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		const again = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...hiddenFields(read, `/desk/verdicts/${draftId}/publish`),
		});
		expect(again.status, await again.clone().text()).toBe(303);
		const published = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(published).toMatchObject({ text: reworded, status: "false" });
	});

	it("the claim page's publish form does too, keeping the correction note typed", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The bridge ${newId()} cost 300 million.`, language: "en" });
		await publish(claim.id, "true", { language: "en" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		// Another editor's draft is published by this one under any policy; a colleague rewords the claim.
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		await rewordedBy(
			await account("editor"),
			claim.id,
			`The bridge ${newId()} cost 30 million.`,
			"The speaker's words as recorded.",
		);

		const note = "The audit office gives a lower final figure.";
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...fields,
			correctionNote: note,
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The claim was changed after this page was shown: nothing was published.");
		// It leads the page, above the claim's words, not in the draft's card far below.
		expect(page.indexOf("nothing was published")).toBeLessThan(page.indexOf('<blockquote class="quote"'));
		expect(page.match(/nothing was published\./g)).toHaveLength(1);
		// Kept to copy: the draft is published only once it is saved on the words now.
		expect(page).toContain(`<blockquote dir="auto">${note}</blockquote>`);
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});

	it("quotes the claim's words now in their own language and direction, in the desk's quotation marks", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `تكلف الجسر ${newId()} 300 مليون.`, language: "ar" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		const reworded = `تكلف الجسر ${newId()} 30 مليون، "وليس" 300.`;
		await rewordedBy(await account("editor"), claim.id, reworded);

		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish?lang=de`, fields);
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		// The quotation marks are the German prose's; the words inside are Arabic, isolated so
		// their direction cannot reorder the marks and numbers around them.
		expect(page).toContain(
			`Sie lautet jetzt: „<bdi lang="ar" dir="auto">${reworded.replaceAll('"', "&quot;")}</bdi>“`,
		);
		expect(page.indexOf("Sie lautet jetzt")).toBeLessThan(page.indexOf('<blockquote class="quote"'));
	});

	it("a correction whose verdict was retracted since the page was shown is refused as such, not as changed words", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The tunnel ${newId()} is 12 km long.`, language: "en" });
		const first = await publish(claim.id, "true", { language: "en" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		expect(fields).toMatchObject({ supersedes: first.id });
		expect(fields.claimVersion).toBeDefined();
		// The retraction moves the claim's version; the claim's words stay as they were.
		await retract(first.id, first.version);

		const note = "The survey office measured 11.2 km.";
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...fields,
			correctionNote: note,
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toMatch(
			/Nothing was published\. test retracted the verdict in force at [^<]+: no verdict is in force now\./,
		);
		expect(page.indexOf("retracted the verdict in force")).toBeLessThan(
			page.indexOf('<blockquote class="quote"'),
		);
		expect(page).not.toContain("The claim was changed after this page was shown");
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);

		// The API says so too, to a client that names both what it read.
		const draft = await getVerdict(testDb(), draftId);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: {
				version: draft?.version,
				supersedes: first.id,
				claimVersion: Number(fields.claimVersion),
				correctionNote: note,
			},
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({ type: "urn:claimtrack:problem:current-verdict-changed" });
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});

	it("the API refuses a claimVersion no longer current with the claim's version now, and publishes at the current one once the draft is saved on it", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The dam ${newId()} holds 9000 litres.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const draft = await getVerdict(testDb(), draftId);
		const read = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		await rewordedBy(await account("checker"), claim.id, `The dam ${newId()} holds 90 litres.`);
		const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: read.version },
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({
			type: "urn:claimtrack:problem:claim-changed",
			claimVersion: now.version,
		});
		// At the claim's version now: the draft itself was written for the old words.
		const unsaved = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: now.version },
		});
		expect(unsaved.status).toBe(409);
		expect(await unsaved.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-words-changed" });
		const saved = await savedAgain(checker, draftId);
		const fresh = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: saved.version, claimVersion: now.version },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
	});

	it("a rewording that lands between the publication's read and its write is refused too, not published anew", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The canal ${newId()} carries 700 barges a day.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const draft = await getVerdict(testDb(), draftId);
		const read = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const rewriter = await account("checker");
		// The colleague's edit lands right before the publication's batch: after every read it made.
		let raced = false;
		const db = new Proxy(env.DB, {
			get(target, property) {
				if (property !== "batch") return Reflect.get(target, property, target);
				return async (statements: D1PreparedStatement[]) => {
					if (!raced) {
						raced = true;
						await rewordedBy(rewriter, claim.id, `The canal ${newId()} carries 7 barges a day.`);
					}
					return target.batch(statements);
				};
			},
		});
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const ctx = createExecutionContext();
		const response = await app.fetch(
			new Request(`${BASE}/api/v1/verdicts/${draftId}/publish`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: draft?.version, claimVersion: read.version }),
			}),
			{ ...env, DB: db },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(raced).toBe(true);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await response.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-changed" });
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});
});

/** The JSON of a draft as its writer's token reads it. */
async function draftJson(who: Account, draftId: string) {
	const { token } = await apiToken(who.user, ["verdicts:write"]);
	const read = await apiCall("GET", `/api/v1/verdicts/${draftId}`, { token });
	expect(read.status).toBe(200);
	return json<{ version: number; claimChangesSinceSaved: unknown[] | null }>(read);
}

/** The piece of a list's HTML from the marker to the end of its row. */
function rowOf(html: string, marker: string, end: string): string {
	const start = html.indexOf(marker);
	expect(start, `no ${marker}`).toBeGreaterThan(-1);
	return html.slice(start, html.indexOf(end, start));
}

describe("a draft rates the claim's words it was last saved on", () => {
	it("reworded in one word after it was submitted: the preview and its card show that word's change in place, in the desk's language", async () => {
		const checker = await account("checker");
		const colleague = await account("checker");
		const editor = await account("editor");
		const place = `Wonsan${newId()}`;
		const before = `Lavrov said in ${place} that the Nazis committed crimes in the Kursk region and that North Korea helped.`;
		const after = before.replace("the Nazis", "the neo-Nazis");
		const claim = await makeClaim({ text: before, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		await rewordedBy(colleague, claim.id, after);
		const word = (lang: "en" | "de") => {
			const inserted = lang === "en" ? "inserted" : "eingefügt";
			return `<span class="word-diff" lang="en" dir="auto">Lavrov said in ${place} that the <ins><span class="visually-hidden" lang="${lang}" dir="ltr">[${inserted}: </span>neo-<span class="visually-hidden" lang="${lang}" dir="ltr">]</span></ins>Nazis committed crimes`;
		};
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		expect(rowOf(preview, '<li data-field="text">', "</li>")).toContain(word("en"));
		// The quote is not given twice, struck and underlined whole.
		expect(preview).not.toContain(`<del><bdi lang="en" dir="auto">${before}</bdi></del>`);
		const card = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		expect(rowOf(card, `id="verdict-${draftId}"`, "</section>")).toContain(word("de"));
	});

	it("reworded after it was submitted: the queue, its card, the preview (old → new) and its JSON say so, and nothing publishes it until it is saved again (en)", async () => {
		const checker = await account("checker");
		const colleague = await account("checker");
		const editor = await account("editor");
		const place = `Wonsan${newId()}`;
		const before = `Ferries to ${place} are planned for next year.`;
		// Rewritten, not reworded in a word or two: shown old → new whole (views/word-diff).
		const after = `Daily boats now carry thousands of tourists there, officials in ${place} said.`;
		const claim = await makeClaim({ text: before, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		// Another checker, who does not hold the claim, rewords it while the draft waits for review.
		await rewordedBy(colleague, claim.id, after);

		const home = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(home, `data-verdict="${draftId}"`, "</tr>")).toContain("claim changed since");
		const dashboard = await (await deskGet(editor, "/desk/dashboard")).text();
		expect(rowOf(dashboard, `data-claim="${claim.id}"`, "</li>")).toContain("claim changed since");
		const mine = await (await deskGet(checker, "/desk")).text();
		expect(rowOf(mine, `data-draft="${draftId}"`, "</li>")).toContain("claim changed since");

		const change = `<del><bdi lang="en" dir="auto">${before}</bdi></del> → <ins><bdi lang="en" dir="auto">${after}</bdi></ins>`;
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		expect(preview).toContain("The claim&#39;s words were changed after this draft was last saved:");
		expect(preview).toContain(
			`<li data-field="text">Verbatim quote · <bdi>${colleague.user.name}</bdi> · <time`,
		);
		expect(preview).toContain(change);
		expect(preview).toContain("open the draft, check that the verdict still fits, and save it");
		expect(preview).not.toContain(`action="/desk/verdicts/${draftId}/publish"`);
		const card = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(rowOf(card, `id="verdict-${draftId}"`, "</section>")).toContain(change);
		expect(card).not.toContain(`action="/desk/verdicts/${draftId}/publish"`);
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([
			{ field: "text", from: before, to: after, at: expect.any(String), changedBy: colleague.user.id },
		]);

		// Sent anyway, at the claim's version now (a form made by hand, a client): refused, both ways.
		const current = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const draft = await getVerdict(testDb(), draftId);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const unchanged = await snapshot();
		const desk = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			version: String(draft?.version),
			from: "preview",
			supersedes: "",
			claimVersion: String(current.version),
		});
		const page = await desk.text();
		expect(desk.status, page).toBe(409);
		expect(page).toContain(
			"Nothing was published: the claim&#39;s words were changed after this draft was last saved (see below).",
		);
		expect(page).toContain(change);
		const api = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: current.version },
		});
		expect(api.status).toBe(409);
		expect(await api.json()).toMatchObject({
			type: "urn:claimtrack:problem:claim-words-changed",
			changes: [{ field: "text", from: before, to: after, changedBy: colleague.user.id }],
		});
		expect(await snapshot()).toEqual(unchanged);
		expect((await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).status).toBe("in-review");

		// Its writer reads the words now in the draft's form, and saves it on them.
		const form = await (await deskGet(checker, `/desk/verdicts/${draftId}/edit`)).text();
		expect(form).toContain("The claim&#39;s words were changed after this draft was last saved:");
		expect(form).toContain(change);
		await savedAgain(checker, draftId);
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).not.toContain("claim changed since");
		const read = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		expect(read).not.toContain("words were changed");
		const published = await deskPost(
			editor,
			`/desk/verdicts/${draftId}/publish`,
			hiddenFields(read, `/desk/verdicts/${draftId}/publish`),
		);
		expect(published.status, await published.clone().text()).toBe(303);
		expect(await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).toMatchObject({
			text: after,
			status: "false",
		});
	});

	it("says so in German: a new speaker and date of the statement count too (de)", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({
			text: `Die Fähre nach Wŏnsan ${newId()} fährt täglich.`,
			language: "de",
		});
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const speaker = `Choe Son-hui ${newId()}`;
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: now.version, speaker: { name: speaker }, claimedAt: "2024-07-12" },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);

		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview?lang=de`)).text();
		expect(preview).toContain(
			"Die Behauptung wurde geändert, nachdem dieser Entwurf zuletzt gespeichert wurde:",
		);
		expect(preview).toMatch(
			/<li data-field="claimedAt">Datum der Aussage · .*<del>12\. Juli 2025<\/del> → <ins>12\. Juli 2024<\/ins><\/li>/,
		);
		expect(preview).toContain(`<ins><bdi>${speaker}</bdi></ins>`);
		expect(preview).toContain(
			"Öffnen Sie den Entwurf, prüfen Sie, ob die Bewertung noch passt, und speichern Sie ihn",
		);
		const home = await (await deskGet(editor, "/desk?lang=de")).text();
		expect(rowOf(home, `data-verdict="${draftId}"`, "</tr>")).toContain("Behauptung seither geändert");
		const draft = await getVerdict(testDb(), draftId);
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish?lang=de`, {
			version: String(draft?.version),
			from: "preview",
			claimVersion: String(now.version + 1),
		});
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain(
			"Es wurde nichts veröffentlicht: Die Behauptung wurde geändert, nachdem dieser Entwurf zuletzt gespeichert wurde (siehe unten).",
		);
	});

	it("an edit of what it does not rate (context, language tag, topics) leaves it to be published as it is", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The quay ${newId()} is 400 metres long.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const { token } = await apiToken(editor.user, ["claims:write", "verdicts:publish"]);
		const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: {
				version: now.version,
				context: "Said at the harbour's opening.",
				language: "en-GB",
				tags: ["Harbours"],
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const current = await json<PublicClaim>(edited);

		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([]);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		expect(preview).not.toContain("words were changed");
		expect(preview).toContain(`action="/desk/verdicts/${draftId}/publish"`);
		const draft = await getVerdict(testDb(), draftId);
		const published = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: current.version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});

	it("a draft last saved before the words were recorded on it (migration 0058, an older backup) is read by its last save's time", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ text: `The lock ${newId()} lifts ships 20 metres.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		await env.DB.prepare("UPDATE verdicts SET claim_change_seen = NULL WHERE id = ?").bind(draftId).run();
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([]);
		await rewordedBy(await account("checker"), claim.id, `The lock ${newId()} lifts ships 2 metres.`);
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toHaveLength(1);
		// Saved through the API (PUT) naming no words read: its own save's time does not clear it.
		const read = (await draftJson(checker, draftId)) as DraftJson;
		const { token } = await apiToken(checker.user, ["verdicts:write"]);
		const autosaved = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, { token, body: read });
		expect(autosaved.status, await autosaved.clone().text()).toBe(200);
		const kept = await json<DraftJson>(autosaved);
		expect(kept.claimChangesSinceSaved).toHaveLength(1);
		// Naming the words its answer showed, it rates them.
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, {
			token,
			body: { ...read, version: kept.version, wordsRead: read.claimChange },
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
		expect((await json<DraftJson>(saved)).claimChangesSinceSaved).toEqual([]);
	});
});

interface DraftJson {
	version: number;
	claimChange: number | null;
	claimChangesSinceSaved: unknown[] | null;
}

describe("a client of the API names the claim's words it read (wordsRead)", () => {
	it("a PUT naming none keeps a marked draft marked; naming older words it saves nothing (409); naming the words its answer showed (its claimChange), it saves the draft on them", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The pier ${newId()} is 300 metres long.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const { token } = await apiToken(checker.user, ["verdicts:write"]);
		const { token: publisher } = await apiToken(editor.user, ["verdicts:publish"]);
		const read = async () => json<DraftJson>(await apiCall("GET", `/api/v1/verdicts/${draftId}`, { token }));
		const first = await read();
		await rewordedBy(await account("checker"), claim.id, `The pier ${newId()} is 30 metres long.`);
		const content = await read();
		const { claimChange } = content;
		expect(content.claimChangesSinceSaved).toHaveLength(1);

		// An autosave, a sync: the answer sent back whole, its claimChange too. Saved, and still marked.
		const autosaved = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, { token, body: content });
		expect(autosaved.status, await autosaved.clone().text()).toBe(200);
		const kept = await json<DraftJson>(autosaved);
		expect(kept.claimChangesSinceSaved).toHaveLength(1);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token: publisher,
			body: { version: kept.version },
		});
		expect(refused.status).toBe(409);
		expect(await refused.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-words-changed" });

		// A client that read the draft before the rewording: nothing saved, the changes listed.
		const stale = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, {
			token,
			body: { ...content, version: kept.version, wordsRead: first.claimChange },
		});
		expect(stale.status, await stale.clone().text()).toBe(409);
		expect(await stale.json()).toMatchObject({
			type: "urn:claimtrack:problem:claim-words-changed",
			changes: [{ field: "text" }],
			claimChange,
		});
		expect((await read()).version).toBe(kept.version);

		// The words its answer showed, named on purpose: saved on the words now, and published.
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, {
			token,
			body: { ...content, version: kept.version, wordsRead: claimChange },
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
		const fresh = await json<DraftJson>(saved);
		expect(fresh).toMatchObject({ claimChange, claimChangesSinceSaved: [] });
		const published = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token: publisher,
			body: { version: fresh.version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		expect((await json<DraftJson>(published)).claimChange).toBeNull();
	});

	it("a sync sending the draft's answer back whole (its claimChange too) names no words read: the draft stays marked and is not published", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The mast ${newId()} is 300 metres tall.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		await rewordedBy(editor, claim.id, `The mast ${newId()} is 30 metres tall.`);
		const { token } = await apiToken(checker.user, ["verdicts:write"]);
		const read = await json<DraftJson>(await apiCall("GET", `/api/v1/verdicts/${draftId}`, { token }));
		expect(read.claimChangesSinceSaved).toHaveLength(1);
		expect(read.claimChange).toBeGreaterThan(0);

		// Read, then written back as read: no person was shown the change.
		const synced = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, { token, body: read });
		expect(synced.status, await synced.clone().text()).toBe(200);
		const kept = await json<DraftJson>(synced);
		expect(kept.claimChangesSinceSaved).toHaveLength(1);
		const { token: publisher } = await apiToken(editor.user, ["verdicts:publish"]);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token: publisher,
			body: { version: kept.version },
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(await refused.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-words-changed" });
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});

	it("a new draft naming words changed since is refused with the changes and the words now; named, it is written on them", async () => {
		const checker = await account("checker");
		const before = `The canal ${newId()} is 12 metres deep.`;
		const claim = await makeClaim({ text: before, language: "en" });
		await rewordedBy(await account("checker"), claim.id, `${before} At low tide.`);
		const { token } = await apiToken(checker.user, ["verdicts:write"]);
		const verdict = { rating: "false", headline: "It is 8 metres deep", evidence: [] };
		const unchanged = await snapshot();
		const stale = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: { ...verdict, wordsRead: 0 },
		});
		expect(stale.status, await stale.clone().text()).toBe(409);
		const problem = await json<{ type: string; changes: unknown[]; claimChange: number }>(stale);
		expect(problem).toMatchObject({
			type: "urn:claimtrack:problem:claim-words-changed",
			changes: [{ field: "text", from: before, to: `${before} At low tide.` }],
		});
		expect(problem.claimChange).toBeGreaterThan(0);
		expect(await snapshot()).toEqual(unchanged);
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: { ...verdict, wordsRead: problem.claimChange },
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		expect(await json<DraftJson>(drafted)).toMatchObject({
			claimChange: problem.claimChange,
			claimChangesSinceSaved: [],
		});
		const invalid = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: { ...verdict, wordsRead: -1 },
		});
		expect(invalid.status).toBe(422);
	});
});

describe("a change undone is no change", () => {
	it("a rewording reverted (A → B → A) leaves the draft to be published as it is, and the draft's open form saves over it", async () => {
		const checker = await account("checker");
		const colleague = await account("checker");
		const editor = await account("editor");
		const text = `The ferry ${newId()} sails at noon.`;
		const claim = await makeClaim({ text, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const open = await (await deskGet(checker, `/desk/verdicts/${draftId}/edit`)).text();
		await rewordedBy(colleague, claim.id, `${text} Typo`);
		await rewordedBy(colleague, claim.id, text);

		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).not.toContain("claim changed since");
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		expect(preview).not.toContain("words were changed");
		expect(preview).toContain(`action="/desk/verdicts/${draftId}/publish"`);
		const saved = await deskPost(
			checker,
			`/desk/verdicts/${draftId}`,
			formFields(open, `/desk/verdicts/${draftId}`),
		);
		expect(saved.status, await saved.clone().text()).toBe(303);
		const draft = await getVerdict(testDb(), draftId);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const published = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});

	it("a claim given to another speaker of the same name is changed, though its change rows name one name", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const name = `Ana Lind ${newId()}`;
		const claim = await makeClaim({
			text: `The lighthouse ${newId()} is 50 metres tall.`,
			speaker: { name },
		});
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const namesake = newId();
		await env.DB.prepare(
			"INSERT INTO speakers (id, name, slug, kind) SELECT ?, name, slug || '-2', kind FROM speakers WHERE name = ?",
		)
			.bind(namesake, name)
			.run();
		const { token } = await apiToken(editor.user, ["claims:write", "verdicts:publish"]);
		const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: now.version, speaker: { id: namesake } },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([
			expect.objectContaining({ field: "speaker", from: name, to: name }),
		]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).toContain("claim changed since");
		const draft = await getVerdict(testDb(), draftId);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version },
		});
		expect(refused.status).toBe(409);
	});

	it("a claim moved to someone else and on to a namesake of its first speaker (A → B → A's namesake) is changed: any change of the speaker counts", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const name = `Kim Min-jun ${newId()}`;
		const claim = await makeClaim({ text: `The dam ${newId()} holds 9 billion m3.`, speaker: { name } });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const namesake = newId();
		await env.DB.prepare(
			"INSERT INTO speakers (id, name, slug, kind) SELECT ?, name, slug || '-2', kind FROM speakers WHERE name = ?",
		)
			.bind(namesake, name)
			.run();
		const { token } = await apiToken(editor.user, ["claims:write", "verdicts:publish"]);
		const move = async (speaker: Record<string, string>) => {
			const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
			const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: now.version, speaker },
			});
			expect(edited.status, await edited.clone().text()).toBe(200);
		};
		const other = `Someone Else ${newId()}`;
		await move({ name: other });
		await move({ id: namesake });
		// Its rows read Kim → Someone Else → Kim: by name undone, by person not.
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([
			expect.objectContaining({ field: "speaker", from: name, to: other }),
			expect.objectContaining({ field: "speaker", from: other, to: name }),
		]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).toContain("claim changed since");
		const draft = await getVerdict(testDb(), draftId);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version },
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(await refused.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-words-changed" });
	});

	it("undone in one field, changed in another: only the field changed is listed, with each of its changes", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const text = `The bridge ${newId()} opened in 1990.`;
		const claim = await makeClaim({ text, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const edit = async (body: Record<string, unknown>) => {
			const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
			const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: now.version, ...body },
			});
			expect(edited.status, await edited.clone().text()).toBe(200);
		};
		const said = (await json<{ claimedAt: string }>(await call(`/api/v1/claims/${claim.id}`))).claimedAt;
		await edit({ claimedAt: "2024-01-02" });
		await edit({ text: `${text} Or 1991.` });
		await edit({ claimedAt: said });
		await edit({ text: `${text} Or 1992.` });
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([
			expect.objectContaining({ field: "text", from: text, to: `${text} Or 1991.` }),
			expect.objectContaining({ field: "text", from: `${text} Or 1991.`, to: `${text} Or 1992.` }),
		]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).toContain("claim changed since");
	});
});

describe("whom a claim without a speaker is credited to is rated as its speaker (s35 r351, finding 4)", () => {
	/** A draft submitted on a claim without a speaker, credited to its source's publisher. */
	async function speakerlessDraft(checker: Account) {
		const claim = await makeClaim({ text: `The port ${newId()} moved 4 million boxes.`, speaker: null });
		await submittedDraft(checker, claim.id);
		return { claim, draftId: await openDraftId(claim.id) };
	}

	/** The draft is marked with the claimant's change, and its publication refused. */
	async function refusedOver(
		checker: Account,
		editor: Account,
		draftId: string,
		to: string,
		from: string | null = "News Example",
	) {
		expect((await draftJson(checker, draftId)).claimChangesSinceSaved).toEqual([
			expect.objectContaining({ field: "speaker", from, to }),
		]);
		const queue = await (await deskGet(editor, "/desk")).text();
		expect(rowOf(queue, `data-verdict="${draftId}"`, "</tr>")).toContain("claim changed since");
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const draft = await getVerdict(testDb(), draftId);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version },
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(await refused.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-words-changed" });
	}

	it("a merge bringing an earlier first appearance from another publisher marks the kept claim's draft", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { claim, draftId } = await speakerlessDraft(checker);
		// The duplicate was recorded first, from another paper.
		const duplicate = await makeClaim({ text: `The port ${newId()} moved 4m boxes.`, speaker: null });
		const other = `Other Paper ${newId()}`;
		await env.DB.batch([
			env.DB.prepare(
				"UPDATE sources SET publisher = ? WHERE id = (SELECT source_id FROM appearances WHERE claim_id = ?)",
			).bind(other, duplicate.id),
			env.DB.prepare(
				"UPDATE appearances SET created_at = '2025-01-01T00:00:00.000Z' WHERE claim_id = ?",
			).bind(duplicate.id),
		]);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const version = (await json<PublicClaim>(await call(`/api/v1/claims/${duplicate.id}`))).version;
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: claim.id, version, note: "The same claim." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		await refusedOver(checker, editor, draftId, other);
	});

	it("its first appearance removed, credited to the next one's publisher: the draft is marked", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { claim, draftId } = await speakerlessDraft(checker);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token,
			body: { source: { url: `https://www.second-outlet.example/${newId()}`, title: "It spread" } },
		});
		expect(added.status, await added.clone().text()).toBe(201);
		const now = await json<PublicClaim & { appearances: { id: string; firstAppearance: boolean }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		const first = now.appearances.find((a) => a.firstAppearance);
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}/appearances/${first?.id}`, {
			token,
			body: { version: now.version },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		await refusedOver(checker, editor, draftId, "second-outlet.example");
	});

	it("a speaker's change noted 'credited' by the person who made it is still a speaker's change", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ speaker: { name: `Anna ${newId()}`, kind: "person" } });
		await submittedDraft(checker, claim.id);
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const now = await json<{ version: number }>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: now.version, speaker: { name: `Jonas ${newId()}`, kind: "person" }, note: "credited" },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		const row = rowOf(html, '<li data-field="speaker">', "</li>");
		expect(row).toContain("Speaker · ");
		expect(row).not.toContain("Credited to");
	});

	it("the desk names the change as whom it is credited to, not as a speaker (card, form, preview; en, de)", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { claim, draftId } = await speakerlessDraft(checker);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token,
			body: { source: { url: `https://www.second-outlet.example/${newId()}`, title: "It spread" } },
		});
		expect(added.status, await added.clone().text()).toBe(201);
		const now = await json<PublicClaim & { appearances: { id: string; firstAppearance: boolean }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		const first = now.appearances.find((a) => a.firstAppearance);
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}/appearances/${first?.id}`, {
			token,
			body: { version: now.version },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		// The checker would "fix" a speaker the desk shows as none (s35 r361).
		const pages = {
			card: (lang: string) => deskGet(checker, `/desk/claims/${claim.id}?lang=${lang}`),
			form: (lang: string) => deskGet(checker, `/desk/verdicts/${draftId}/edit?lang=${lang}`),
			preview: (lang: string) => deskGet(editor, `/desk/verdicts/${draftId}/preview?lang=${lang}`),
		};
		for (const [lang, credited, speaker] of [
			["en", "Credited to (no speaker) · ", "Speaker · "],
			["de", "Zugeschrieben (ohne Sprecher/in) · ", "Sprecher/in · "],
		] as const)
			for (const [where, open] of Object.entries(pages)) {
				const html = await (await open(lang)).text();
				const row = /<li data-field="speaker">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? "";
				expect(row, `${where} ${lang}`).toContain(credited);
				expect(row, `${where} ${lang}`).not.toContain(speaker);
				expect(row, `${where} ${lang}`).toContain("second-outlet.example");
			}
	});

	/**
	 * A claim without a speaker imported with no source (ClaimReview markup without an
	 * `appearance`), a verdict in force, and a draft submitted over it: credited to no one yet.
	 */
	async function importedWithoutSource(admin: Account, checker: Account) {
		const { token } = await apiToken(admin.user, ["import"]);
		const externalId = `credit-${newId()}`;
		const record = (sources: unknown[]) => ({
			externalId,
			claim: { text: `The dam ${externalId} holds 9 billion m3.`, language: "en", claimedAt: "2025-07-01" },
			speaker: null,
			sources,
			verdict: {
				rating: "false",
				originalRating: "false",
				headline: "The dam: false",
				url: `https://check.example/${externalId}`,
				publishedAt: "2025-07-02",
				language: "en",
			},
		});
		const imported = async (sources: unknown[]) => {
			const response = await apiCall("POST", "/api/v1/import", {
				token,
				body: { records: [record(sources)] },
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return (await json<{ results: { status: string; claimId?: string }[] }>(response)).results[0];
		};
		const claimId = (await imported([]))?.claimId ?? "";
		await submittedDraft(checker, claimId);
		const source = {
			url: `https://paper.example/${externalId}`,
			title: "It spread",
			publisher: "Some Tabloid",
		};
		return { claimId, draftId: await openDraftId(claimId), imported, source };
	}

	/**
	 * Told, the draft saved on the claim as it is now and published (ClaimReview is ours then):
	 * whom its ClaimReview and its feed entry's title credit the claim to.
	 */
	async function publishedCredit(checker: Account, editor: Account, draftId: string, claimId: string) {
		const draft = await savedAgain(checker, draftId);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const published = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "The dam holds 9.1 billion m3." },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		const review = [...page.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)]
			.map(
				([, ld]) =>
					JSON.parse(ld ?? "{}") as { "@type"?: string; itemReviewed?: { author?: { name?: string } } },
			)
			.find((ld) => ld["@type"] === "ClaimReview");
		const feed = await (await call("/feeds/verdicts.atom?lang=en")).text();
		const entry = feed.split("<entry>").find((e) => e.includes(draftId)) ?? "";
		return {
			claimReview: review?.itemReviewed?.author?.name,
			feedTitle: /<title[^>]*>([^<]*)</.exec(entry)?.[1],
		};
	}

	it("an import giving it its first appearance marks the draft: credited to no one before", {
		timeout: 60_000,
	}, async () => {
		const [admin, checker, editor] = [
			await account("admin"),
			await account("checker"),
			await account("editor"),
		];
		const { claimId, draftId, imported, source } = await importedWithoutSource(admin, checker);
		expect(await imported([source])).toMatchObject({ status: "updated", changes: ["appearance"] });
		await refusedOver(checker, editor, draftId, "Some Tabloid", null);
		expect(await publishedCredit(checker, editor, draftId, claimId)).toEqual({
			claimReview: "Some Tabloid",
			feedTitle: expect.stringContaining("Some Tabloid"),
		});
	});

	it("an appearance added to a claim that has one recorded without the first mark is not its first", {
		timeout: 60_000,
	}, async () => {
		const [admin, checker] = [await account("admin"), await account("checker")];
		const { claimId, imported, source } = await importedWithoutSource(admin, checker);
		expect(await imported([source])).toMatchObject({ status: "updated", changes: ["appearance"] });
		// As an API add before s35 left it: an appearance, none marked first.
		await env.DB.prepare("UPDATE appearances SET is_first = 0 WHERE claim_id = ?").bind(claimId).run();
		const { token } = await apiToken(admin.user, ["claims:write"]);
		const later = { url: `https://later-daily.example/${newId()}`, title: "Later", publisher: "Later Daily" };
		const added = await apiCall("POST", `/api/v1/claims/${claimId}/appearances`, {
			token,
			body: { source: later },
		});
		expect(added.status, await added.clone().text()).toBe(201);
		expect(await added.json()).toMatchObject({ firstAppearance: false });
		const credits = await env.DB.prepare(
			"SELECT to_value FROM claim_changes WHERE claim_id = ? AND field = 'speaker' AND to_value = 'Later Daily'",
		)
			.bind(claimId)
			.all();
		expect(credits.results).toEqual([]);
	});

	it("an appearance added to it is its first: every surface credits its publisher, and the draft is marked", {
		timeout: 60_000,
	}, async () => {
		const [admin, checker, editor] = [
			await account("admin"),
			await account("checker"),
			await account("editor"),
		];
		const { claimId, draftId, source } = await importedWithoutSource(admin, checker);
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const added = await apiCall("POST", `/api/v1/claims/${claimId}/appearances`, { token, body: { source } });
		expect(added.status, await added.clone().text()).toBe(201);
		expect(await added.json()).toMatchObject({ firstAppearance: true });
		const now = await json<{ appearances: { firstAppearance: boolean }[] }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(now.appearances).toEqual([expect.objectContaining({ firstAppearance: true })]);
		await refusedOver(checker, editor, draftId, "Some Tabloid", null);
		// The feed's title (SQL, the first appearance) and ClaimReview (its first, else any) agree.
		expect(await publishedCredit(checker, editor, draftId, claimId)).toEqual({
			claimReview: "Some Tabloid",
			feedTitle: expect.stringContaining("Some Tabloid"),
		});
	});
});
