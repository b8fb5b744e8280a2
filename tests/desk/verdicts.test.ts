import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { setClaimTags } from "../../src/store/collaboration";
import { getVerdict } from "../../src/store/verdicts";
import { makeClaim } from "../factories";
import { call, json, testDb } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, hidden, snapshot, verdictForm } from "./helpers";

interface PublicClaim {
	status: string;
	verdict: { id: string; headline: string } | null;
	history: { id: string; state: string; correctionNote: string | null; supersedes: string | null }[];
}

async function draftVia(checker: Awaited<ReturnType<typeof account>>, claimId: string, overrides = {}) {
	const response = await deskPost(checker, `/desk/claims/${claimId}/verdicts`, verdictForm(overrides));
	expect(response.status).toBe(303);
	const row = await env.DB.prepare(
		"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft' ORDER BY created_at DESC LIMIT 1",
	)
		.bind(claimId)
		.first<{ id: string; version: number }>();
	if (!row) throw new Error("no draft");
	return row;
}

describe("verdict workflow in the desk", () => {
	it("a checker drafts, an editor publishes, the public API shows the status", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const form = await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`);
		expect(form.status).toBe(200);
		const formHtml = await form.text();
		expect(formHtml).toContain('<option value="mostly-false">Mostly false</option>');
		const draft = await draftVia(checker, claim.id);
		expect(
			(await env.DB.prepare("SELECT status FROM claims WHERE id = ?").bind(claim.id).first())?.status,
		).toBe("in-review");

		// The checker sees no publish button and cannot publish by posting either.
		const checkerPage = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(checkerPage).not.toContain(`/desk/verdicts/${draft.id}/publish`);
		const before = await snapshot();
		const refused = await deskPost(checker, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(refused.status).toBe(403);
		expect(await snapshot()).toEqual(before);

		const editorPage = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(editorPage).toContain(`action="/desk/verdicts/${draft.id}/publish"`);
		const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(published.status).toBe(303);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("false");
		expect(publicClaim.verdict?.id).toBe(draft.id);
		const verdict = await getVerdict(testDb(), draft.id);
		expect(verdict).toMatchObject({
			state: "published",
			reviewerId: checker.user.id,
			editorId: editor.user.id,
		});
		const history = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(history).toContain(checker.user.name);
		expect(history).toContain(editor.user.name);
		expect(history).toContain("published");
	});

	it("previews the public page's byline as it will read: the speaker with their description, the date (en, de)", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const name = `Choe ${newId()}`;
		const claim = await makeClaim({
			speaker: { name, description: "Außenministerin der Demokratischen Volksrepublik Korea" },
			claimedAt: "2025-07-12",
		});
		const topic = `Außenpolitik ${newId()}`;
		await setClaimTags(
			testDb(),
			SYSTEM("test"),
			claim.id,
			[{ slug: `aussenpolitik-${newId()}`, name: topic }],
			null,
		);
		const draft = await draftVia(checker, claim.id);
		// The byline's words, as a reader reads them (a link is the public page's, to the speaker's page).
		const bylineIn = (html: string, start: string) => {
			const from = html.indexOf(start);
			expect(from, start).toBeGreaterThan(-1);
			const meta = /<p class="meta">([\s\S]*?)<\/p>/.exec(html.slice(from))?.[1] ?? "";
			return meta.replace(/<[^>]+>/g, "");
		};
		// The quote as the page marks it up, and its topics' words.
		const quoteIn = (html: string) => /<blockquote class="quote"[^>]*>[\s\S]*?<\/blockquote>/.exec(html)?.[0];
		const topicsIn = (html: string) =>
			(/<p class="meta">(?:Topics|Themen):[\s\S]*?<\/p>/.exec(html)?.[0] ?? "").replace(/<[^>]+>/g, "");
		const previewPages = {
			en: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=en`)).text(),
			de: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=de`)).text(),
		};
		const previews = {
			en: bylineIn(previewPages.en, '<article class="public-preview"'),
			de: bylineIn(previewPages.de, '<article class="public-preview"'),
		};
		// The description the public page gives after the name was missing from the preview (s33 h334).
		expect(previews.en).toBe(
			`Claim by ${name} (Außenministerin der Demokratischen Volksrepublik Korea) · Said on 12 July 2025`,
		);
		expect(previews.de).toBe(
			`Behauptung von ${name} (Außenministerin der Demokratischen Volksrepublik Korea) · Gesagt am 12. Juli 2025`,
		);
		const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(published.status).toBe(303);
		for (const lang of ["en", "de"] as const) {
			const page = await (
				await call(`/claims/${claim.id}?lang=${lang}`, { headers: { Accept: "text/html" } })
			).text();
			expect(bylineIn(page, "<article"), lang).toBe(previews[lang]);
			// The quote with its direction (the preview's dir="auto" stopped at its <bdi>), and the topics.
			expect(quoteIn(previewPages[lang]), lang).toBe(quoteIn(page));
			expect(topicsIn(previewPages[lang]), lang).toBe(topicsIn(page));
			expect(topicsIn(page), lang).toContain(topic);
		}
	});

	it("publishes only with at least one evidence link", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id, { "evidence.0.url": "", "evidence.0.title": "" });
		const before = await snapshot();
		const response = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(response.status).toBe(422);
		expect(await response.text()).toContain("Add at least one evidence link before publishing.");
		expect(await snapshot()).toEqual(before);
	});

	it("the refusal to publish without evidence links to the draft form's evidence, from the claim page and the preview", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id, { "evidence.0.url": "", "evidence.0.title": "" });
		const target = `/desk/verdicts/${draft.id}/edit#f-evidence-0-url`;
		for (const from of [{}, { from: "preview" }] as Record<string, string>[]) {
			const refused = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
				version: String(draft.version),
				_idem: newToken(18),
				...from,
			});
			expect(refused.status).toBe(422);
			const page = await refused.text();
			expect(page).toContain(`<a href="${target}">Add at least one evidence link before publishing.</a>`);
			expect(page).not.toContain('href="#f-evidence"');
		}
		// The link lands on a field, and the form's own summary on its evidence.
		const form = await (await deskGet(editor, `/desk/verdicts/${draft.id}/edit`)).text();
		expect(form).toContain('id="f-evidence-0-url"');
		expect(form).toContain('<fieldset id="f-evidence" aria-describedby="f-evidence-hint">');
	});

	it("a correction without evidence says so too, beside its note", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const first = await draftVia(checker, claim.id);
		await deskPost(editor, `/desk/verdicts/${first.id}/publish`, {
			version: String(first.version),
			_idem: newToken(18),
		});
		const second = await draftVia(checker, claim.id, { "evidence.0.url": "", "evidence.0.title": "" });
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${second.id}/publish`, {
			version: String(second.version),
			correctionNote: "Fixed a figure.",
			_idem: newToken(18),
		});
		expect(refused.status).toBe(422);
		const page = await refused.text();
		expect(page).toContain("Add at least one evidence link before publishing.");
		// The note typed stays in its field.
		expect(page).toContain("Fixed a figure.");
		expect(await snapshot()).toEqual(before);
	});

	it("a correction note written for a verdict retracted meanwhile is kept, and nothing is published", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const other = await account("editor");
		const claim = await makeClaim();
		const first = await draftVia(checker, claim.id);
		await deskPost(editor, `/desk/verdicts/${first.id}/publish`, {
			version: String(first.version),
			_idem: newToken(18),
		});
		const correction = await draftVia(checker, claim.id, { rating: "mostly-false" });
		// The editor's page shows the correction form for the verdict in force.
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(shown).toContain('name="correctionNote"');
		const publishForm = shown.slice(shown.indexOf(`action="/desk/verdicts/${correction.id}/publish"`));
		expect(hidden(publishForm, "supersedes")).toBe(first.id);
		const firstNow = await getVerdict(testDb(), first.id);
		const retracted = await deskPost(other, `/desk/verdicts/${first.id}/retract`, {
			version: String(firstNow?.version),
			note: "The source was withdrawn.",
			_idem: newToken(18),
		});
		expect(retracted.status).toBe(303);

		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${correction.id}/publish`, {
			version: String(correction.version),
			supersedes: first.id,
			correctionNote: "The troops fought alongside Russian units.",
			_idem: newToken(18),
		});
		expect(refused.status).toBe(409);
		const page = await refused.text();
		// Who retracted it, and when (s35 r352).
		expect(page).toMatch(
			new RegExp(
				`Nothing was published\\. ${other.user.name} retracted the verdict in force at [^<]+: no verdict is in force now\\.`,
			),
		);
		expect(page).toContain("The troops fought alongside Russian units.");
		expect(await snapshot()).toEqual(before);
		expect((await getVerdict(testDb(), correction.id))?.state).toBe("draft");

		// The API says the same to a client that names what it read, and publishes for one that saw the retraction.
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${correction.id}/publish`, {
			token,
			body: { version: correction.version, supersedes: first.id, correctionNote: "Alongside Russian units." },
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({ type: "urn:claimtrack:problem:current-verdict-changed" });
		const fresh = await apiCall("POST", `/api/v1/verdicts/${correction.id}/publish`, {
			token,
			body: { version: correction.version, supersedes: null },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("mostly-false");
		expect(publicClaim.history.at(-1)).toMatchObject({
			id: correction.id,
			supersedes: null,
			correctionNote: null,
		});
	});

	it("a client that read no verdict in force is told of one published meanwhile", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const first = await draftVia(checker, claim.id);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token,
			body: { version: first.version, supersedes: "abcdefghij0123" },
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({ type: "urn:claimtrack:problem:current-verdict-changed" });
		const published = await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token,
			body: { version: first.version, supersedes: null },
		});
		expect(published.status).toBe(200);
		const second = await draftVia(checker, claim.id, { rating: "mostly-false" });
		const unaware = await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
			token,
			body: { version: second.version, supersedes: null, correctionNote: "Note." },
		});
		expect(unaware.status).toBe(409);
		expect(((await unaware.json()) as { detail: string }).detail).toContain(
			"Another verdict was published meanwhile",
		);
	});

	it("a correction supersedes the published verdict, needs a note, and both stay readable", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const first = await draftVia(checker, claim.id, { rating: "false" });
		await deskPost(editor, `/desk/verdicts/${first.id}/publish`, {
			version: String(first.version),
			_idem: newToken(18),
		});

		// The correction form starts from the published verdict.
		const newForm = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
		expect(newForm).toContain("Draft a correction");
		expect(newForm).toContain('value="North Korean troops did not liberate Kursk alone"');
		const second = await draftVia(checker, claim.id, {
			rating: "mostly-false",
			headline: "Corrected headline",
		});
		// Published status stays while the correction is a draft.
		expect((await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).status).toBe("false");

		const withoutNote = await deskPost(editor, `/desk/verdicts/${second.id}/publish`, {
			version: String(second.version),
			correctionNote: "  ",
			_idem: newToken(18),
		});
		expect(withoutNote.status).toBe(422);
		const page = await withoutNote.text();
		expect(page).toContain(`id="f-correctionNote-${second.id}-error"`);
		expect(page).toContain("A correction needs a note");

		const corrected = await deskPost(editor, `/desk/verdicts/${second.id}/publish`, {
			version: String(second.version),
			correctionNote: "The troops fought alongside Russian units; the rating is adjusted.",
			_idem: newToken(18),
		});
		expect(corrected.status).toBe(303);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("mostly-false");
		expect(publicClaim.history.map((v) => [v.id, v.state])).toEqual([
			[first.id, "superseded"],
			[second.id, "published"],
		]);
		expect(publicClaim.history.at(-1)?.supersedes).toBe(first.id);
		expect(publicClaim.history.at(-1)?.correctionNote).toContain("alongside Russian units");
	});

	it("an editor retracts with a note; the claim is retracted, not unverified", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		const published = await getVerdict(testDb(), draft.id);
		const noNote = await deskPost(editor, `/desk/verdicts/${draft.id}/retract`, {
			version: String(published?.version),
			note: "",
			_idem: newToken(18),
		});
		expect(noNote.status).toBe(422);
		const byChecker = await deskPost(checker, `/desk/verdicts/${draft.id}/retract`, {
			version: String(published?.version),
			note: "Wrong claim.",
			_idem: newToken(18),
		});
		expect(byChecker.status).toBe(403);
		const retracted = await deskPost(editor, `/desk/verdicts/${draft.id}/retract`, {
			version: String(published?.version),
			note: "The quote was misattributed.",
			_idem: newToken(18),
		});
		expect(retracted.status).toBe(303);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("retracted");
		expect(publicClaim.history.at(-1)).toMatchObject({
			state: "retracted",
			retractionNote: "The quote was misattributed.",
		});
		// On the German desk: the label in German, the English note marked as English.
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		expect(page).toMatch(/<strong>[^<]+:<\/strong> <bdi lang="en">The quote was misattributed\.<\/bdi>/);
	});

	it("a double click on publish publishes once", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const fields = { version: String(draft.version), _idem: newToken(18) };
		const [a, b] = await Promise.all([
			deskPost(editor, `/desk/verdicts/${draft.id}/publish`, fields),
			deskPost(editor, `/desk/verdicts/${draft.id}/publish`, fields),
		]);
		expect([a.status, b.status]).toEqual([303, 303]);
		expect(a.headers.get("location")).toBe(b.headers.get("location"));
		const audits = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'publish'",
		)
			.bind(draft.id)
			.first<{ n: number }>();
		expect(audits?.n).toBe(1);
	});

	it("a double submission of a new draft creates one draft", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const form = verdictForm();
		await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, form);
		await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, form);
		const count = await env.DB.prepare("SELECT count(*) AS n FROM verdicts WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(1);
	});
});

describe("no lost work", () => {
	it("saving an outdated version answers 409 and re-shows the form with the input and what changed", async () => {
		const alice = await account("checker");
		const bob = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(alice, claim.id);
		// Both open the edit form at the same version.
		const aliceForm = await (await deskGet(alice, `/desk/verdicts/${draft.id}/edit`)).text();
		const bobForm = await (await deskGet(bob, `/desk/verdicts/${draft.id}/edit`)).text();
		expect(hidden(aliceForm, "version")).toBe(String(draft.version));
		const bobSaved = await deskPost(
			bob,
			`/desk/verdicts/${draft.id}`,
			verdictForm({
				version: hidden(bobForm, "version") ?? "",
				headline: "Bob's headline",
				rating: "misleading",
			}),
		);
		expect(bobSaved.status).toBe(303);
		const before = await snapshot();
		const aliceInput = verdictForm({
			version: hidden(aliceForm, "version") ?? "",
			headline: "Alice's careful headline",
			summary: "Alice's long summary that must not be lost.",
		});
		const conflict = await deskPost(alice, `/desk/verdicts/${draft.id}`, aliceInput);
		expect(conflict.status).toBe(409);
		expect(await snapshot()).toEqual(before);
		const html = await conflict.text();
		expect(html).toContain("Someone else saved this draft in the meantime");
		expect(html).toContain(bob.user.name);
		// Her input is intact ...
		expect(html).toContain('value="Alice&#39;s careful headline"');
		expect(html).toContain("Alice&#39;s long summary that must not be lost.");
		// ... and what the saved version says now is shown.
		expect(html).toContain("Bob&#39;s headline");
		expect(html).toContain("Misleading");
		// Saving again (at the version now shown) knowingly replaces Bob's text.
		const version = hidden(html, "version");
		expect(version).toBe(String(draft.version + 1));
		const resaved = await deskPost(alice, `/desk/verdicts/${draft.id}`, {
			...aliceInput,
			version: version ?? "",
			_idem: newToken(18),
		});
		expect(resaved.status).toBe(303);
		expect((await getVerdict(testDb(), draft.id))?.headline).toBe("Alice's careful headline");
	});

	it("says who saved the draft and when, and no version number: a draft's card shows none (en, de)", async () => {
		const alice = await account("checker");
		const bob = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(alice, claim.id);
		// Bob saves twice: the lock counter is 3, a number no card or public page shows.
		for (const headline of ["Bob's first headline", "Bob's second headline"]) {
			const form = await (await deskGet(bob, `/desk/verdicts/${draft.id}/edit`)).text();
			const saved = await deskPost(
				bob,
				`/desk/verdicts/${draft.id}`,
				verdictForm({ version: hidden(form, "version") ?? "", headline }),
			);
			expect(saved.status).toBe(303);
		}
		expect((await getVerdict(testDb(), draft.id))?.version).toBe(3);
		for (const [lang, said] of [
			[
				"en",
				`^${bob.user.name} saved this draft at [^<]+\\. Your input is kept below and nothing of it was saved yet\\.$`,
			],
			[
				"de",
				`^${bob.user.name} hat den Entwurf am [^<]+ gespeichert\\. Ihre Eingaben stehen unten und sind noch nicht gespeichert\\.$`,
			],
		] as const) {
			const conflict = await deskPost(
				alice,
				`/desk/verdicts/${draft.id}?lang=${lang}`,
				verdictForm({ version: String(draft.version), headline: "Alice's stale headline" }),
			);
			expect(conflict.status).toBe(409);
			const notice = /<h2>[^<]*<\/h2><p>([^<]*)<\/p>/.exec(await conflict.text())?.[1] ?? "";
			expect(notice, lang).toMatch(new RegExp(said));
			expect(notice, lang).not.toMatch(/version/i);
		}
	});

	it("cannot edit a published verdict", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect((await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).status).toBe(409);
		const before = await snapshot();
		const response = await deskPost(checker, `/desk/verdicts/${draft.id}`, verdictForm({ version: "2" }));
		expect(response.status).toBe(409);
		expect(await snapshot()).toEqual(before);
	});

	it("a draft published while its writer edits it keeps their text, which saving makes a correction draft", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		const before = await snapshot();
		const input = verdictForm({
			version: hidden(form, "version") ?? "",
			headline: "The checker's sharper headline",
			summary: "A summary typed while the editor published.",
		});
		const lost = await deskPost(checker, `/desk/verdicts/${draft.id}`, input);
		expect(lost.status).toBe(409);
		expect(await snapshot()).toEqual(before);
		const html = await lost.text();
		expect(html).toContain("This draft was published in the meantime");
		expect(html).toContain("Saving your text now drafts a correction");
		expect(html).toContain('value="The checker&#39;s sharper headline"');
		expect(html).toContain("A summary typed while the editor published.");
		// The form now drafts anew: a correction of what was published, with that text.
		expect(html).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
		const saved = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
			...input,
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
		const correction = await env.DB.prepare(
			"SELECT headline FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ headline: string }>();
		expect(correction?.headline).toBe("The checker's sharper headline");
	});

	it("shows bad verdict input beside the field it belongs to", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const before = await snapshot();
		const response = await deskPost(
			checker,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({
				rating: "pants-on-fire",
				headline: "",
				"evidence.0.url": "",
				"evidence.0.title": "",
				"evidence.2.url": "javascript:alert(1)",
				"evidence.2.title": "x",
			}),
		);
		expect(response.status).toBe(422);
		const html = await response.text();
		expect(html).toContain('id="f-rating-error"');
		expect(html).toContain("Choose a rating from the scale.");
		expect(html).toContain('id="f-headline-error"');
		// The third row (index 2) holds the bad link, even though rows before it were empty.
		expect(html).toContain('id="f-evidence-2-url-error"');
		expect(html).toContain('value="javascript:alert(1)"');
		expect(await snapshot()).toEqual(before);
	});

	it("lists my drafts on the desk home", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const headline = `My draft ${newToken(16)}`;
		const draft = await draftVia(checker, claim.id, { headline, submitForReview: "1" });
		const home = await (await deskGet(checker, "/desk")).text();
		expect(home).toContain(headline);
		expect(home).toContain(`/desk/verdicts/${draft.id}/edit`);
		// Another checker sees it in the review queue (it is submitted), not among their own drafts.
		const other = await account("checker");
		const otherHome = await (await deskGet(other, "/desk")).text();
		const myDrafts = otherHome.slice(otherHome.indexOf("<h2>My drafts</h2>"));
		expect(myDrafts.slice(0, myDrafts.indexOf("<h2", 5))).not.toContain(headline);
		expect(otherHome).toContain(headline);
	});

	it("lists claims by status with search", async () => {
		const checker = await account("checker");
		const word = `zebra${newToken(16)
			.replace(/[^a-z]/g, "")
			.slice(0, 6)}`;
		const claim = await makeClaim({ text: `The ${word} crossed the harbour` });
		const unverified = await (await deskGet(checker, `/desk?list=unverified&q=${word}`)).text();
		expect(unverified).toContain(`/desk/claims/${claim.id}`);
		const published = await (await deskGet(checker, `/desk?list=published&q=${word}`)).text();
		expect(published).not.toContain(`/desk/claims/${claim.id}`);
		const bad = await deskGet(checker, `/desk?q=${encodeURIComponent('"unbalanced')}`);
		expect([200, 422]).toContain(bad.status);
		// It says what is wrong and what works (it said only "not understood"), in the desk's language.
		expect(await bad.text()).toContain("A quotation mark is not closed. Search with words");
		const german = await deskGet(checker, `/desk?q=${encodeURIComponent('"unbalanced')}&lang=de`);
		expect(await german.text()).toContain(
			"Ein Anführungszeichen ist nicht geschlossen. Suchen Sie mit Wörtern",
		);
	});
});

describe("one open draft per claim (desk)", () => {
	it("the form and the claim page say a draft exists and link to it; a second post is a 409 keeping the input", async () => {
		const checker = await account("checker");
		const other = await account("checker");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);

		// The drafter is sent to the edit form; another checker to the draft on the claim page.
		const mine = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
		expect(mine).toContain("A draft of this claim exists already");
		expect(mine).toContain(`href="/desk/verdicts/${draft.id}/edit"`);
		expect(mine).not.toContain(`action="/desk/claims/${claim.id}/verdicts"`);
		const theirs = await (await deskGet(other, `/desk/claims/${claim.id}/verdicts/new`)).text();
		expect(theirs).toContain(`href="/desk/claims/${claim.id}#verdict-${draft.id}"`);
		const claimPage = await (await deskGet(other, `/desk/claims/${claim.id}`)).text();
		expect(claimPage).toContain("A draft of this claim exists already");
		expect(claimPage).not.toContain(`href="/desk/claims/${claim.id}/verdicts/new"`);

		const before = await snapshot();
		const second = await deskPost(
			other,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ headline: "My own second take that must not be lost" }),
		);
		expect(second.status).toBe(409);
		const html = await second.text();
		expect(html).toContain("A draft of this claim exists already");
		expect(html).toContain(`href="/desk/claims/${claim.id}#verdict-${draft.id}"`);
		expect(html).toContain('value="My own second take that must not be lost"');
		expect(await snapshot()).toEqual(before);
	});

	it("two drafters at once: exactly one draft", async () => {
		const [a, b] = [await account("checker"), await account("editor")];
		const claim = await makeClaim();
		const responses = await Promise.all(
			[a, b].map((who, i) =>
				deskPost(who, `/desk/claims/${claim.id}/verdicts`, verdictForm({ headline: `Racer ${i}` })),
			),
		);
		expect(responses.map((r) => r.status).sort()).toEqual([303, 409]);
		const count = await env.DB.prepare(
			"SELECT count(*) AS n FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(1);
	});
});

describe("discarding a draft in the desk", () => {
	it("the drafter discards with the button: gone, audited, the claim unverified again, a repeat changes nothing", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id, { headline: "Discard me" });
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain(`action="/desk/verdicts/${draft.id}/discard"`);
		expect(page).toContain("Discard draft");
		const form = page.slice(page.indexOf(`action="/desk/verdicts/${draft.id}/discard"`));
		const fields = {
			version: hidden(form, "version") ?? "",
			_idem: hidden(form, "_idem") ?? "",
			confirm: "1",
		};
		expect(fields.version).toBe(String(draft.version));
		// Unticked, nothing is discarded: the page says why (the box is checked on the server too).
		const unconfirmed = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, {
			...fields,
			confirm: "",
		});
		expect(unconfirmed.status).toBe(422);
		expect(await unconfirmed.text()).toContain("Nothing was discarded: tick the box to confirm.");
		expect(await getVerdict(testDb(), draft.id)).toBeDefined();

		const response = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, fields);
		expect(response.status).toBe(303);
		expect(response.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=draft-discarded`);
		expect(await getVerdict(testDb(), draft.id)).toBeUndefined();
		expect(await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).toMatchObject({
			status: "unverified",
		});
		const audit = await env.DB.prepare(
			"SELECT actor_id, changes FROM audit_log WHERE entity = 'verdict' AND entity_id = ? AND action = 'discard-draft'",
		)
			.bind(draft.id)
			.first<{ actor_id: string; changes: string }>();
		expect(audit?.actor_id).toBe(checker.user.id);
		expect(JSON.parse(audit?.changes ?? "{}")).toMatchObject({ headline: "Discard me", claimId: claim.id });
		const after = await (await deskGet(checker, `/desk/claims/${claim.id}?done=draft-discarded`)).text();
		expect(after).toContain("The draft is discarded.");
		expect(after).toContain(`href="/desk/claims/${claim.id}/verdicts/new"`);
		// The claim's timeline keeps the draft: drafted, then discarded.
		expect(after).toContain("drafted a verdict");
		expect(after).toContain("discarded a draft");

		// A double click: the repeat goes where the first went, and nothing more is written.
		const before = await snapshot();
		const repeat = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, fields);
		expect(repeat.status).toBe(303);
		expect(repeat.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=draft-discarded`);
		expect(await snapshot()).toEqual(before);
	});

	it("another checker sees no button and may not discard; an editor may; a published verdict is a 409", async () => {
		const checker = await account("checker");
		const other = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const page = await (await deskGet(other, `/desk/claims/${claim.id}`)).text();
		expect(page).not.toContain(`action="/desk/verdicts/${draft.id}/discard"`);
		const before = await snapshot();
		const refused = await deskPost(other, `/desk/verdicts/${draft.id}/discard`, {
			confirm: "1",
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(refused.status).toBe(403);
		expect(await snapshot()).toEqual(before);

		await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		const published = await getVerdict(testDb(), draft.id);
		const notADraft = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, {
			confirm: "1",
			version: String(published?.version),
			_idem: newToken(18),
		});
		expect(notADraft.status).toBe(409);
		expect(await notADraft.text()).toContain("The draft was not discarded");
		expect((await getVerdict(testDb(), draft.id))?.state).toBe("published");

		const claim2 = await makeClaim();
		const draft2 = await draftVia(checker, claim2.id);
		const byEditor = await deskPost(editor, `/desk/verdicts/${draft2.id}/discard`, {
			confirm: "1",
			version: String(draft2.version),
			_idem: newToken(18),
		});
		expect(byEditor.status).toBe(303);
		expect(await getVerdict(testDb(), draft2.id)).toBeUndefined();
	});

	it("an outdated version is a 409 and discards nothing", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		await deskPost(
			checker,
			`/desk/verdicts/${draft.id}`,
			verdictForm({ version: String(draft.version), headline: "Saved meanwhile" }),
		);
		const stale = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, {
			confirm: "1",
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(stale.status).toBe(409);
		expect((await getVerdict(testDb(), draft.id))?.headline).toBe("Saved meanwhile");
		// A form that names no version read (or no number) discards nothing either.
		for (const version of [undefined, "abc"]) {
			const unread = await deskPost(checker, `/desk/verdicts/${draft.id}/discard`, {
				confirm: "1",
				...(version === undefined ? {} : { version }),
				_idem: newToken(18),
			});
			expect(unread.status).toBe(409);
			expect((await getVerdict(testDb(), draft.id))?.state).toBe("draft");
		}
	});
});

describe("evidence rows", () => {
	it("'Add another link' shows one more row each time and saves nothing", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
		const rows = (html: string) => (html.match(/name="evidence\.\d+\.url"/g) ?? []).length;
		expect(rows(form)).toBe(3);
		const more = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
			...verdictForm(),
			evidenceRows: "3",
			moreEvidence: "1",
			_idem: newToken(18),
		});
		expect(more.status).toBe(200);
		const html = await more.text();
		expect(rows(html)).toBe(4);
		expect(html).toContain("Required when the link is given.");
		const drafts = await env.DB.prepare("SELECT count(*) AS n FROM verdicts WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ n: number }>();
		expect(drafts?.n).toBe(0);
	});
});

describe("a verdict's language in the desk's form", () => {
	it("keeps a language the form does not list, instead of saving German", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["verdicts:write"]);
		for (const language of ["fr", "en-GB"]) {
			const claim = await makeClaim();
			const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token,
				body: {
					rating: "false",
					headline: "Pas vrai",
					evidence: [{ url: "https://evidence.example/a", title: "A" }],
					language,
				},
			});
			const draftId = (await json<{ id: string }>(created)).id;
			const form = await (await deskGet(checker, `/desk/verdicts/${draftId}/edit`)).text();
			const selected = /<select[^>]*name="language"[\s\S]*?<option value="([^"]+)" selected/.exec(form)?.[1];
			const other = /name="languageOther"[^>]*value="([^"]*)"/.exec(form)?.[1] ?? "";
			expect([selected, other], language).toEqual(language === "fr" ? ["fr", ""] : ["other", "en-GB"]);
			// Saved as the form shows it.
			const saved = await deskPost(checker, `/desk/verdicts/${draftId}`, {
				...verdictForm({ headline: "Saved as shown", language: selected ?? "", languageOther: other }),
				version: hidden(form, "version") ?? "",
			});
			expect(saved.status).toBe(303);
			expect((await getVerdict(testDb(), draftId))?.language).toBe(language);
		}
	});
});

describe("the verdict form and the Enter key", () => {
	it("saves the draft: the form's first submit button is Save, not Add another link", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
		const form = html.slice(html.indexOf(`action="/desk/claims/${claim.id}/verdicts"`));
		const firstSubmit = /<button type="submit"[^>]*>([^<]*)</.exec(form);
		expect(firstSubmit?.[0]).not.toContain('name="moreEvidence"');
		expect(firstSubmit?.[1]).toBe("Save draft");
	});
});
