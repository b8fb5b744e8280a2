import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { getVerdict } from "../../src/store/verdicts";
import { makeClaim, publish, retract } from "../factories";
import { call, fetchWith, json, racingD1, testDb } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	formFields,
	hidden,
	snapshot,
	verdictForm,
} from "./helpers";

/**
 * A correction note says the client believes a verdict is in force. With none in force (the
 * verdict it corrects was retracted before, or while, the publication was made), nothing is
 * published: a 409 `current-verdict-changed`, never a new verdict that drops the note and
 * puts a rating back over the retraction.
 */

interface PublicClaim {
	status: string;
	history: { id: string; supersedes: string | null; correctionNote: string | null }[];
}

/** A claim with a published verdict and a correction drafted by an editor over it. */
async function correctionOverPublished(editor: Account) {
	const claim = await makeClaim({ text: `The bridge ${newId()} spans 400 m.`, language: "en" });
	const first = await publish(claim.id, "true", { language: "en" });
	const drafted = await deskPost(
		editor,
		`/desk/claims/${claim.id}/verdicts`,
		verdictForm({ rating: "false" }),
	);
	expect(drafted.status, await drafted.clone().text()).toBe(303);
	const row = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claim.id)
		.first<{ id: string }>();
	const draft = row ? await getVerdict(testDb(), row.id) : undefined;
	if (!draft) throw new Error("no draft");
	return { claim, first, draft };
}

async function expectNothingPublished(claimId: string, draftId: string) {
	expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));
	expect(publicClaim.status).toBe("retracted");
	expect(publicClaim.history.some((v) => v.id === draftId)).toBe(false);
}

describe("a correction note over a verdict retracted meanwhile", () => {
	it("the API refuses it (409 current-verdict-changed) without supersedes, and publishes without the note", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		await retract(first.id, first.version);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);

		const before = await snapshot();
		const refused = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "A figure was wrong." },
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(await refused.json()).toMatchObject({
			type: "urn:claimtrack:problem:current-verdict-changed",
		});
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);

		// A blank note is no note: the client claims nothing, and the verdict is published anew.
		const fresh = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "  " },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("false");
		expect(publicClaim.history.at(-1)).toMatchObject({
			id: draft.id,
			supersedes: null,
			correctionNote: null,
		});
	});

	it("a retraction landing between the publication's read and its batch is refused on the retry too", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		let raced = false;
		// The retraction lands right before the publication's first batch, after every read it made.
		const db = racingD1(/^update "verdicts" set .*"supersedes_id" = \?/i, async () => {
			raced = true;
			await retract(first.id, first.version);
		});
		const { response, settled } = await fetchWith(db, `/api/v1/verdicts/${draft.id}/publish`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ version: draft.version, correctionNote: "A figure was wrong." }),
		});
		await settled();
		expect(raced).toBe(true);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await response.json()).toMatchObject({
			type: "urn:claimtrack:problem:current-verdict-changed",
		});
		await expectNothingPublished(claim.id, draft.id);
	});

	it("a claim page's form that named no verdict in force refuses it, keeping the note typed", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		await retract(first.id, first.version);
		const note = "The bridge spans 412 m, not 400.";
		const before = await snapshot();
		// A form from before the claim page's forms named the verdict in force and the claim's version.
		const older = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			correctionNote: note,
			_idem: newToken(18),
		});
		const page = await older.text();
		expect(older.status, page).toBe(409);
		// Who retracted it, and when (s35 r352): "not in force" named nobody.
		expect(page).toMatch(
			/Nothing was published\. test retracted the verdict in force at [^<]+: no verdict is in force now\./,
		);
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);
	});

	it("the preview's form refuses it and shows the note typed, kept", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview`)).text();
		expect(hidden(preview, "supersedes")).toBe(first.id);
		await retract(first.id, first.version);
		const note = "The bridge spans 412 m, not 400.";
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			from: "preview",
			supersedes: first.id,
			claimVersion: hidden(preview, "claimVersion") ?? "",
			correctionNote: note,
			_idem: newToken(18),
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toMatch(
			/Nothing was published\. test retracted the verdict in force at [^<]+: no verdict is in force now\./,
		);
		// The preview again, now publishing anew: the note is not sent again, but shown, kept.
		expect(hidden(page, "supersedes")).toBe("");
		expect(page).toContain('data-kept="correctionNote"');
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);
	});
});

/** The draft's row (its id and version) as the desk reads it. */
const draftRow = async (claimId: string) => {
	const row = await env.DB.prepare("SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string; version: number }>();
	if (!row) throw new Error("no draft");
	return row;
};

/** The refusal's notice, tags and all: what leads the page. */
const noticeOf = (html: string) =>
	/<div class="notice error" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";

/**
 * A correction drafted by a checker, an editor's preview (or claim page) of it open in en and
 * de, then a colleague's step on the verdict in force (`meanwhile`) and the checker's save of
 * the draft: the step moves the claim's version too, and was told as "the claim was changed
 * too", the next click publishing over the retraction with the note dropped (s35 r352).
 */
async function staleOverStep(
	where: "preview" | "card",
	meanwhile: (claimId: string, inForce: { id: string; version: number }) => Promise<void>,
	claimOf: () => Promise<{ id: string }> = () => makeClaim({ language: "en" }),
) {
	const checker = await account("checker");
	const editor = await account("editor");
	const claim = await claimOf();
	const published = await env.DB.prepare(
		"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'published'",
	)
		.bind(claim.id)
		.first<{ id: string; version: number }>();
	const inForce = published ?? (await publish(claim.id, "false", { language: "en" }));
	const drafted = await deskPost(
		checker,
		`/desk/claims/${claim.id}/verdicts`,
		verdictForm({ rating: "true" }),
	);
	expect(drafted.status, await drafted.clone().text()).toBe(303);
	const draft = await draftRow(claim.id);
	const url = (lang: string) =>
		where === "preview"
			? `/desk/verdicts/${draft.id}/preview?lang=${lang}`
			: `/desk/claims/${claim.id}?lang=${lang}`;
	const pages = {
		en: await (await deskGet(editor, url("en"))).text(),
		de: await (await deskGet(editor, url("de"))).text(),
	};
	await meanwhile(claim.id, inForce);
	const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
	const saved = await deskPost(checker, `/desk/verdicts/${draft.id}`, {
		...formFields(form, `/desk/verdicts/${draft.id}`),
		summary: `Changed ${newId()}`,
	});
	expect(saved.status, await saved.clone().text()).toBe(303);
	return { claim, draft, editor, pages, action: `/desk/verdicts/${draft.id}/publish`, inForce };
}

describe("a stale publication whose verdict in force was retracted or corrected meanwhile", () => {
	for (const where of ["preview", "card"] as const)
		it(`${where}: says who retracted it, not that the claim changed (en, de); the next click publishes anew, told so`, {
			timeout: 60_000,
		}, async () => {
			const retractor = await account("editor");
			const { claim, draft, editor, pages, action } = await staleOverStep(
				where,
				async (_claimId, inForce) => {
					const v = await getVerdict(testDb(), inForce.id);
					const retracted = await deskPost(retractor, `/desk/verdicts/${inForce.id}/retract`, {
						version: String(v?.version),
						note: "The source was forged.",
						_idem: newToken(18),
					});
					expect(retracted.status).toBe(303);
				},
			);
			const note = "The first verdict said False; the agency data says True.";
			let again = "";
			for (const [lang, retracted, claimChanged] of [
				[
					"en",
					`${retractor.user.name} retracted the verdict in force at [^<]+: no verdict is in force now\\. Publishing this draft now publishes it as a new verdict, not as a correction, and without a correction note\\.`,
					"The claim was changed too",
				],
				[
					"de",
					`${retractor.user.name} hat die geltende Bewertung am [^<]+ zurückgezogen: Jetzt gilt keine Bewertung\\. Wenn Sie den Entwurf jetzt veröffentlichen, erscheint er als neue Bewertung, nicht als Korrektur, und ohne Korrekturnotiz\\.`,
					"Auch die Behauptung wurde geändert",
				],
			] as const) {
				const before = await snapshot();
				const sent = await deskPost(editor, `${action}?lang=${lang}`, {
					...formFields(pages[lang], action),
					correctionNote: note,
					_idem: newToken(18),
				});
				const html = await sent.text();
				expect(sent.status, lang).toBe(409);
				expect(await snapshot(), lang).toEqual(before);
				const notice = noticeOf(html);
				expect(notice, lang).not.toContain(claimChanged);
				expect(notice, lang).toMatch(new RegExp(`<p data-in-force="">${retracted}</p>`));
				// The save is said too: who saved it, and the summary changed.
				expect(notice, lang).toContain('data-field="summary"');
				// The note is kept (not sent again), and the form publishes anew.
				expect(html, lang).toContain('data-kept="correctionNote"');
				expect(html, lang).toContain(note);
				expect(formFields(html, action).supersedes, lang).toBe("");
				again = html;
			}
			// Told, the editor publishes the draft as a new verdict.
			const published = await deskPost(editor, action, { ...formFields(again, action), _idem: newToken(18) });
			expect(published.status).toBe(303);
			expect(await getVerdict(testDb(), draft.id)).toMatchObject({
				state: "published",
				supersedesId: null,
				correctionNote: null,
			});
			expect((await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).status).toBe("true");
		});

	it("card: an import's correction meanwhile says who published it; the next click corrects that one", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const { token } = await apiToken(admin.user, ["import"]);
		const externalId = `stale-${newId()}`;
		const record = (rating: string) => ({
			externalId,
			claim: { text: `The tunnel ${externalId} is 9 km long.`, language: "en", claimedAt: "2025-07-01" },
			speaker: { name: `Minister ${externalId}`, kind: "person" },
			sources: [{ url: `https://news.example/${externalId}`, title: "Article" }],
			verdict: {
				rating,
				originalRating: rating,
				headline: `The tunnel: ${rating}`,
				url: `https://check.example/${externalId}`,
				publishedAt: "2025-07-02",
				language: "en",
			},
		});
		const imported = async (rating: string) => {
			const response = await apiCall("POST", "/api/v1/import", {
				token,
				body: { records: [record(rating)] },
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ results: { status: string; claimId?: string }[] }>(response);
		};
		const { claim, draft, editor, pages, action, inForce } = await staleOverStep(
			"card",
			async () => {
				expect((await imported("half-true")).results[0]?.status).toBe("updated");
			},
			async () => ({ id: (await imported("false")).results[0]?.claimId ?? "" }),
		);
		const correction = await env.DB.prepare(
			"SELECT id FROM verdicts WHERE claim_id = ? AND state = 'published'",
		)
			.bind(claim.id)
			.first<{ id: string }>();
		expect(correction?.id).not.toBe(inForce.id);
		const sent = await deskPost(editor, `${action}?lang=en`, {
			...formFields(pages.en, action),
			correctionNote: "The tunnel is 9.4 km long.",
			_idem: newToken(18),
		});
		const html = await sent.text();
		expect(sent.status).toBe(409);
		const notice = noticeOf(html);
		expect(notice).not.toContain("The claim was changed too");
		expect(notice).toMatch(
			new RegExp(
				`<p data-in-force="">${admin.user.name} published another verdict of this claim at [^<]+: the verdict this draft would correct is no longer in force\\. Publishing the draft now corrects the one in force now: compare the draft with it, and check your correction note against it\\.</p>`,
			),
		);
		// The form now corrects the import's verdict, the note as typed, to be checked against it.
		expect(formFields(html, action).supersedes).toBe(correction?.id);
		expect(formFields(html, action).correctionNote).toBe("The tunnel is 9.4 km long.");
		const published = await deskPost(editor, action, { ...formFields(html, action), _idem: newToken(18) });
		expect(published.status).toBe(303);
		expect(await getVerdict(testDb(), draft.id)).toMatchObject({
			state: "published",
			supersedesId: correction?.id,
		});
	});
});

/** A colleague's edit of the claim through the API (the desk's page does not show it). */
async function editedThroughApi(claimId: string, body: Record<string, unknown>) {
	const colleague = await account("editor");
	const { token } = await apiToken(colleague.user, ["claims:write"]);
	const now = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
	const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
		token,
		body: { version: now.version, note: "Corrected the quote.", ...body },
	});
	expect(edited.status, await edited.clone().text()).toBe(200);
}

/** The verdict in force retracted by an editor through the desk. */
async function retractedByAnother(inForce: { id: string }) {
	const retractor = await account("editor");
	const v = await getVerdict(testDb(), inForce.id);
	const retracted = await deskPost(retractor, `/desk/verdicts/${inForce.id}/retract`, {
		version: String(v?.version),
		note: "The source was forged.",
		_idem: newToken(18),
	});
	expect(retracted.status).toBe(303);
	return retractor;
}

describe("a stale publication whose verdict in force moved and whose claim was changed too", () => {
	// The notice named the retraction only, and the next click published on words nobody was
	// told of (s35 r361): the page carries the claim's newest change row it showed (`claimChange`).
	for (const where of ["preview", "card"] as const)
		it(`${where}: says the retraction and quotes the claim's new words (en, de); told, the next click publishes`, {
			timeout: 60_000,
		}, async () => {
			const words = `The canal runs daily since 2019 ${newId()}.`;
			let retractor: Account | undefined;
			const { claim, draft, editor, pages, action } = await staleOverStep(where, async (claimId, inForce) => {
				await editedThroughApi(claimId, { text: words });
				retractor = await retractedByAnother(inForce);
			});
			let again = "";
			for (const [lang, retracted, claimChanged] of [
				["en", "retracted the verdict in force at", "The claim was changed too after this page was shown"],
				["de", "hat die geltende Bewertung am", "Auch die Behauptung wurde geändert"],
			] as const) {
				const sent = await deskPost(editor, `${action}?lang=${lang}`, {
					...formFields(pages[lang], action),
					correctionNote: "The first verdict was wrong.",
					_idem: newToken(18),
				});
				const html = await sent.text();
				expect(sent.status, lang).toBe(409);
				const notice = noticeOf(html);
				expect(notice, lang).toContain(`${retractor?.user.name} ${retracted}`);
				expect(notice, lang).toContain(claimChanged);
				expect(notice, lang).toContain(words);
				again = html;
			}
			// Told of both, the editor publishes the draft on the claim as it reads now.
			expect(Number(hidden(again, "claimChange"))).toBeGreaterThan(Number(hidden(pages.en, "claimChange")));
			const published = await deskPost(editor, action, { ...formFields(again, action), _idem: newToken(18) });
			expect(published.status).toBe(303);
			expect(await getVerdict(testDb(), draft.id)).toMatchObject({ state: "published", supersedesId: null });
			expect((await json<{ text: string }>(await call(`/api/v1/claims/${claim.id}`))).text).toBe(words);
		});

	for (const where of ["preview", "card"] as const)
		it(`${where}, the draft not saved meanwhile: a context edit and a retraction are both said`, {
			timeout: 60_000,
		}, async () => {
			const editor = await account("editor");
			const { claim, first, draft } = await correctionOverPublished(editor);
			const url = where === "preview" ? `/desk/verdicts/${draft.id}/preview` : `/desk/claims/${claim.id}`;
			const preview = await (await deskGet(editor, `${url}?lang=en`)).text();
			const context = `Said at a rally ${newId()}.`;
			await editedThroughApi(claim.id, { context });
			const retractor = await retractedByAnother(first);
			const action = `/desk/verdicts/${draft.id}/publish`;
			const sent = await deskPost(editor, `${action}?lang=en`, {
				...formFields(preview, action),
				correctionNote: "The first verdict was wrong.",
				_idem: newToken(18),
			});
			const html = await sent.text();
			expect(sent.status).toBe(409);
			const notice = noticeOf(html);
			expect(notice).toMatch(
				new RegExp(
					`Nothing was published\\. ${retractor.user.name} retracted the verdict in force at [^<]+: no verdict is in force now\\.`,
				),
			);
			expect(notice).toContain("The claim was changed too after this page was shown");
			// Told, the next click publishes the draft anew on the claim as it is now.
			const published = await deskPost(editor, action, { ...formFields(html, action), _idem: newToken(18) });
			expect(published.status).toBe(303);
			expect((await json<{ context: string }>(await call(`/api/v1/claims/${claim.id}`))).context).toBe(
				context,
			);
		});

	it("card: a retraction alone does not say the claim changed", { timeout: 60_000 }, async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		await retractedByAnother(first);
		const action = `/desk/verdicts/${draft.id}/publish`;
		const sent = await deskPost(editor, `${action}?lang=en`, {
			...formFields(page, action),
			correctionNote: "The first verdict was wrong.",
			_idem: newToken(18),
		});
		expect(sent.status).toBe(409);
		const notice = noticeOf(await sent.text());
		expect(notice).toContain("retracted the verdict in force");
		expect(notice).not.toContain("changed");
	});
});
