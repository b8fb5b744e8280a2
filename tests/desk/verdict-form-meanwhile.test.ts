import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { BASE, call, fetchWith, json } from "../helpers";
import {
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

const TIMEOUT = { timeout: 60_000 };
type Member = Awaited<ReturnType<typeof account>>;

async function draftVia(checker: Member, claimId: string) {
	const response = await deskPost(checker, `/desk/claims/${claimId}/verdicts`, verdictForm());
	expect(response.status).toBe(303);
	const row = await env.DB.prepare("SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string; version: number }>();
	if (!row) throw new Error("no draft");
	return row;
}

async function discard(editor: Member, draft: { id: string; version: number }) {
	const response = await deskPost(editor, `/desk/verdicts/${draft.id}/discard`, {
		version: String(draft.version),
		confirm: "1",
		_idem: newToken(18),
	});
	expect(response.status).toBe(303);
}

/** What the checker typed into the draft's form while it was open. */
function typed(form: string, marker: string) {
	return verdictForm({
		version: hidden(form, "version") ?? "",
		headline: `A sharper headline ${marker}`,
		summary: `A summary typed meanwhile ${marker}`,
		body: `${"A long body. ".repeat(1000)}${marker}`,
		"evidence.1.url": `https://evidence.example/${marker}`,
		"evidence.1.title": `Second source ${marker}`,
	});
}

const versionOf = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

describe("a draft's form saved after the draft was discarded meanwhile", () => {
	it(
		"keeps the input in the claim's new-verdict form, saying so; saving it drafts anew",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			await discard(editor, draft);
			const marker = newId();
			const input = typed(form, marker);

			const before = await snapshot();
			const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, input);
			expect(save.status).toBe(409);
			expect(await snapshot()).toEqual(before);
			const html = await save.text();
			expect(html).toContain("This draft was discarded meanwhile: nothing was saved.");
			expect(html).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
			expect(html).toContain(`value="A sharper headline ${marker}"`);
			expect(html).toContain(`A summary typed meanwhile ${marker}`);
			expect(html).toContain(`A long body. A long body. ${marker}`);
			expect(html).toContain(`value="https://evidence.example/${marker}"`);
			expect(html).toContain(`value="Second source ${marker}"`);

			// "Add another link" the same way, in German, with one row more.
			const more = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=de`, {
				...input,
				evidenceRows: "3",
				moreEvidence: "1",
			});
			expect(more.status).toBe(409);
			const moreHtml = await more.text();
			expect(moreHtml).toContain("Dieser Entwurf wurde inzwischen verworfen: Nichts wurde gespeichert.");
			expect(moreHtml).toContain('name="evidence.3.url"');
			expect(moreHtml).toContain(`value="A sharper headline ${marker}"`);

			const saved = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
				...input,
				_idem: hidden(html, "_idem") ?? "",
			});
			expect(saved.status).toBe(303);
			const row = await env.DB.prepare("SELECT headline FROM verdicts WHERE claim_id = ? AND state = 'draft'")
				.bind(claim.id)
				.first<{ headline: string }>();
			expect(row?.headline).toBe(`A sharper headline ${marker}`);
		},
	);

	it("someone drafted anew meanwhile: the form keeps the input and links their draft", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		await discard(editor, draft);
		const next = await draftVia(editor, claim.id);
		const marker = newId();
		const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
		expect(save.status).toBe(409);
		const html = await save.text();
		expect(html).toContain("This draft was discarded meanwhile");
		expect(html).toContain(`/desk/claims/${claim.id}#verdict-${next.id}`);
		expect(html).toContain(`value="A sharper headline ${marker}"`);
	});

	it("its claim merged meanwhile: the kept claim's form holds the input", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const kept = await makeClaim({ language: "en" });
		const duplicate = await makeClaim({ language: "en" });
		const draft = await draftVia(checker, duplicate.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		await discard(editor, draft);
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
		});
		expect(merged.status).toBe(200);
		const marker = newId();
		const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
		expect(save.status).toBe(409);
		const html = await save.text();
		expect(html).toContain("This draft was discarded meanwhile");
		expect(html).toContain(`Claim ${duplicate.id} was merged into this claim meanwhile`);
		expect(html).toContain(`action="/desk/claims/${kept.id}/verdicts"`);
		expect(html).toContain(`value="A sharper headline ${marker}"`);
	});

	it(
		"its claim removed meanwhile: the typed text on a page of its own, not a bare 404",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const claim = await makeClaim({ language: "en" });
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			await discard(editor, draft);
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: await versionOf(claim.id), reason: "Not a claim." },
			});
			expect(removed.status).toBe(200);
			const marker = newId();
			const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
			expect(save.status).toBe(410);
			const html = await save.text();
			expect(html).toContain("This draft was discarded meanwhile and its claim removed from the tracker");
			expect(html).toMatch(
				new RegExp(
					`<textarea[^>]*>[\\s\\S]*A sharper headline ${marker}[\\s\\S]*A long body\\. ${marker}[\\s\\S]*Second source ${marker} &lt;https://evidence.example/${marker}&gt;`,
				),
			);
		},
	);

	it("an id that never named a draft is still a 404", async () => {
		const checker = await account("checker");
		const save = await deskPost(checker, `/desk/verdicts/${newId()}`, verdictForm({ version: "1" }));
		expect(save.status).toBe(404);
	});
});

describe("a draft's form saved after its claim was handed to another checker meanwhile", () => {
	it("offers the typed text as a note on the claim instead of a bare 403", TIMEOUT, async () => {
		const editor = await account("editor");
		const first = await account("checker");
		const second = await account("checker");
		const claim = await makeClaim();
		const assign = async (who: Member) =>
			expect(
				(
					await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
						assignee: who.user.email,
						_idem: newToken(18),
					})
				).status,
			).toBe(303);
		const draft = await draftVia(editor, claim.id);
		await assign(first);
		const form = await (await deskGet(first, `/desk/verdicts/${draft.id}/edit`)).text();
		expect(hidden(form, "version")).toBe(String(draft.version));
		await assign(second);
		const marker = newId();
		const input = typed(form, marker);

		const before = await snapshot();
		const save = await deskPost(first, `/desk/verdicts/${draft.id}?lang=en`, input);
		expect(save.status).toBe(403);
		expect(await snapshot()).toEqual(before);
		const html = await save.text();
		expect(html).toContain("This claim was assigned to someone else meanwhile, and its draft went with it");
		expect(html).toContain(`action="/desk/claims/${claim.id}/notes"`);
		expect(html).toMatch(
			new RegExp(
				`<textarea[^>]*name="text"[^>]*>My changes to the draft verdict[\\s\\S]*A sharper headline ${marker}[\\s\\S]*A summary typed meanwhile ${marker}[\\s\\S]*Second source ${marker} &lt;https://evidence.example/${marker}&gt;`,
			),
		);

		// "Add another link" the same way, in German.
		const more = await deskPost(first, `/desk/verdicts/${draft.id}?lang=de`, { ...input, moreEvidence: "1" });
		expect(more.status).toBe(403);
		const moreHtml = await more.text();
		expect(moreHtml).toContain("Diese Behauptung wurde inzwischen jemand anderem zugewiesen");
		expect(moreHtml).toContain(`A sharper headline ${marker}`);

		// A short text goes as it is: the note is on the claim.
		const note = await deskPost(first, `/desk/claims/${claim.id}/notes`, {
			text: `Headline: A sharper headline ${marker}`,
			_idem: hidden(html, "_idem") ?? "",
		});
		expect(note.status).toBe(303);
		expect(await (await deskGet(second, `/desk/claims/${claim.id}`)).text()).toContain(
			`A sharper headline ${marker}`,
		);
	});
});

describe("a new verdict's form sent after its claim was merged into one another checker holds", () => {
	it(
		"offers the text as a note for the holder at once, not the kept claim's form that would be refused",
		TIMEOUT,
		async () => {
			const holder = await account("checker");
			const drafter = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const kept = await makeClaim({ language: "en" });
			const duplicate = await makeClaim({ language: "en" });
			const taken = await deskPost(holder, `/desk/claims/${kept.id}/assignee`, {
				assignee: "me",
				_idem: newToken(18),
			});
			expect(taken.status).toBe(303);
			expect((await deskGet(drafter, `/desk/claims/${duplicate.id}/verdicts/new`)).status).toBe(200);
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
			});
			expect(merged.status).toBe(200);

			const before = await snapshot();
			const headline = `Drafted on the duplicate ${newId()}`;
			const sent = await deskPost(
				drafter,
				`/desk/claims/${duplicate.id}/verdicts?lang=en`,
				verdictForm({ headline, submitForReview: "1" }),
			);
			expect(sent.status).toBe(403);
			const html = await sent.text();
			expect(html).toContain(`Claim ${duplicate.id} was merged into this claim meanwhile.`);
			expect(html).toContain(`This claim is assigned to ${holder.user.name}`);
			expect(html).toContain(headline);
			expect(html).toContain(`action="/desk/claims/${kept.id}/notes"`);
			expect(html).not.toContain(`action="/desk/claims/${kept.id}/verdicts"`);
			expect(await snapshot()).toEqual(before);
		},
	);
});

describe("a verdict's form saved after a colleague changed the claim's words meanwhile", () => {
	/** A colleague rewords the claim through the API, at the version they read. */
	async function reword(claimId: string, text: string) {
		const colleague = await account("checker");
		const { token } = await apiToken(colleague.user, ["claims:write"]);
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: await versionOf(claimId), text },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		return colleague;
	}

	it(
		"a new verdict's form: saves nothing, shows the change old → new and keeps what was typed; sent again, it is saved (en)",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const before = `The ferry ${newId()} is planned for next year.`;
			const after = `The ferry ${newId()} runs daily.`;
			const claim = await makeClaim({ text: before, language: "en" });
			const form = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
			const colleague = await reword(claim.id, after);
			const marker = newId();
			const typedIn = {
				...formFields(form, `/desk/claims/${claim.id}/verdicts`),
				...verdictForm({ rating: "true", headline: `Yes: a ferry is planned ${marker}` }),
				submitForReview: "1",
			};

			const unchanged = await snapshot();
			const sent = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, typedIn);
			const html = await sent.text();
			expect(sent.status, html).toBe(409);
			expect(html).toContain(
				"The claim&#39;s words were changed while this form was open: nothing was saved.",
			);
			expect(html).toContain(`<li data-field="text">Verbatim quote · <bdi>${colleague.user.name}</bdi>`);
			expect(html).toContain(
				`<del><bdi lang="en" dir="auto">${before}</bdi></del> → <ins><bdi lang="en" dir="auto">${after}</bdi></ins>`,
			);
			expect(html).toContain("What you typed is below, as you typed it.");
			expect(html).toContain(`value="Yes: a ferry is planned ${marker}"`);
			expect(await snapshot()).toEqual(unchanged);

			// Having read the words now, the checker sends the form as it came back.
			const again = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
				...formFields(html, `/desk/claims/${claim.id}/verdicts`),
				submitForReview: "1",
			});
			expect(again.status, await again.clone().text()).toBe(303);
			const row = await env.DB.prepare("SELECT headline FROM verdicts WHERE claim_id = ? AND state = 'draft'")
				.bind(claim.id)
				.first<{ headline: string }>();
			expect(row?.headline).toBe(`Yes: a ferry is planned ${marker}`);
		},
	);

	it(
		"a draft's form: saves nothing over the change, says so in German and keeps the input; sent again, the draft rates the words now (de)",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const claim = await makeClaim({ text: `Die Fähre ${newId()} ist geplant.`, language: "de" });
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit?lang=de`)).text();
			expect(form).not.toContain("Die Behauptung wurde geändert");
			await reword(claim.id, `Die Fähre ${newId()} fährt täglich.`);
			const marker = newId();
			const input = { ...formFields(form, `/desk/verdicts/${draft.id}`), ...typed(form, marker) };

			const unchanged = await snapshot();
			const sent = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=de`, input);
			const html = await sent.text();
			expect(sent.status, html).toBe(409);
			expect(html).toContain(
				"Die Behauptung wurde geändert, während dieses Formular offen war: Es wurde nichts gespeichert.",
			);
			expect(html).toContain("Ihre Eingaben stehen unten, wie Sie sie getippt haben.");
			expect(html).toContain(`A sharper headline ${marker}`);
			expect(await snapshot()).toEqual(unchanged);

			const again = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=de`, {
				...formFields(html, `/desk/verdicts/${draft.id}`),
			});
			expect(again.status, await again.clone().text()).toBe(303);
			const { token } = await apiToken(checker.user, ["verdicts:write"]);
			const read = await json<{ headline: string; claimChangesSinceSaved: unknown[] }>(
				await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token }),
			);
			expect(read).toMatchObject({ headline: `A sharper headline ${marker}`, claimChangesSinceSaved: [] });
		},
	);
});

/** A form's hidden field, its value unescaped (a preview's `shown` is JSON). */
function hiddenValue(html: string, name: string): string {
	return (hidden(html, name) ?? "")
		.replaceAll("&quot;", '"')
		.replaceAll("&#39;", "'")
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&amp;", "&");
}

/** The conflict notice of a draft's form: its heading, its first line, and the whole notice. */
function conflictNotice(html: string) {
	const match = /<h2>([^<]*)<\/h2><p>([^<]*)<\/p>([\s\S]*?)<\/div>/.exec(
		html.slice(html.indexOf('class="notice error" role="alert"')),
	);
	return { title: match?.[1] ?? "", said: match?.[2] ?? "", rest: match?.[3] ?? "" };
}

describe("a draft's form sent after a colleague's step says what they did, and what saving does now", () => {
	it(
		"published meanwhile: who published it, and that saving drafts a correction, not that it replaces anything (en, de)",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
				version: String(draft.version),
				_idem: newToken(18),
			});
			expect(published.status).toBe(303);
			const name = editor.user.name;
			for (const [lang, title, said, saving, replace] of [
				[
					"en",
					"This draft was published in the meantime",
					`^${name} published this verdict at [^<]+\\. Your input is kept below and nothing of it was saved\\.$`,
					"Saving your text now drafts a correction: a new draft, which an editor publishes in place of this verdict. Until then the published verdict stays as it is.",
					/replace the saved version|saved this draft/,
				],
				[
					"de",
					"Dieser Entwurf wurde inzwischen veröffentlicht",
					`^${name} hat die Bewertung am [^<]+ veröffentlicht\\. Ihre Eingaben stehen unten und wurden nicht gespeichert\\.$`,
					"Speichern entwirft jetzt mit Ihrem Text eine Korrektur: einen neuen Entwurf, den die Redaktion an Stelle dieser Bewertung veröffentlicht. Bis dahin bleibt die veröffentlichte Bewertung, wie sie ist.",
					/ersetzen|gespeichert\. Ihre/,
				],
			] as const) {
				const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=${lang}`, typed(form, newId()));
				expect(save.status, lang).toBe(409);
				const html = await save.text();
				const notice = conflictNotice(html);
				expect(notice.title, lang).toBe(title);
				expect(notice.said, lang).toMatch(new RegExp(said));
				expect(notice.rest, lang).toContain(saving);
				expect(`${notice.said}${notice.rest}`, lang).not.toMatch(replace);
				// The form drafts the correction.
				expect(html, lang).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
			}
		},
	);

	it("submitted or returned meanwhile: says that, not 'saved this draft' (en, de)", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		// Open in two tabs; submitted from the other.
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		const submitted = await deskPost(checker, `/desk/verdicts/${draft.id}/submit`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(submitted.status).toBe(303);
		const stale = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, newId()));
		expect(stale.status).toBe(409);
		const submittedNotice = conflictNotice(await stale.text());
		expect(submittedNotice.title).toBe("This draft was submitted for review in the meantime");
		expect(submittedNotice.said).toMatch(
			new RegExp(
				`^${checker.user.name} submitted this draft for review at [^<]+\\. Your input is kept below`,
			),
		);
		expect(submittedNotice.rest).toContain("Compare, then save again to replace the saved version");

		const reopened = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		const returned = await deskPost(editor, `/desk/verdicts/${draft.id}/return`, {
			version: hidden(reopened, "version") ?? "",
			returnNote: "Please add the KCNA source.",
			_idem: newToken(18),
		});
		expect(returned.status).toBe(303);
		const name = editor.user.name;
		for (const [lang, title, said] of [
			[
				"en",
				"This draft was returned in the meantime",
				`^${name} returned this draft to its checker with a note at [^<]+ \\(the note is above\\)\\. Your input is kept below and nothing of it was saved yet\\.$`,
			],
			[
				"de",
				"Dieser Entwurf wurde inzwischen zur Überarbeitung zurückgegeben",
				`^${name} hat den Entwurf am [^<]+ mit einer Anmerkung zur Überarbeitung zurückgegeben \\(die Anmerkung steht oben\\)\\. Ihre Eingaben stehen unten`,
			],
		] as const) {
			const save = await deskPost(
				checker,
				`/desk/verdicts/${draft.id}?lang=${lang}`,
				typed(reopened, newId()),
			);
			expect(save.status, lang).toBe(409);
			const html = await save.text();
			const notice = conflictNotice(html);
			expect(notice.title, lang).toBe(title);
			expect(notice.said, lang).toMatch(new RegExp(said));
			// The note is above the notice.
			expect(html.indexOf("Please add the KCNA source."), lang).toBeLessThan(
				html.indexOf('class="notice error" role="alert"'),
			);
		}
	});
});

describe("a preview's publication refused for a draft changed since it was shown", () => {
	it(
		"says who saved it and lists what changed: Rating Misleading → False (en, de); publishing again then works",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const created = await deskPost(
				checker,
				`/desk/claims/${claim.id}/verdicts`,
				verdictForm({ rating: "misleading", headline: "Misleading: the offer was a request" }),
			);
			expect(created.status).toBe(303);
			const draft = await env.DB.prepare(
				"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
			)
				.bind(claim.id)
				.first<{ id: string; version: number }>();
			if (!draft) throw new Error("no draft");
			const previews = {
				en: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=en`)).text(),
				de: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=de`)).text(),
			};
			// The checker turns the rating while the editor reads.
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			const saved = await deskPost(
				checker,
				`/desk/verdicts/${draft.id}`,
				verdictForm({
					version: hidden(form, "version") ?? "",
					rating: "false",
					headline: "False: Russia asked",
				}),
			);
			expect(saved.status).toBe(303);
			const name = checker.user.name;
			const publishFields = (html: string) => ({
				version: hiddenValue(html, "version"),
				from: "preview",
				supersedes: hiddenValue(html, "supersedes"),
				claimVersion: hiddenValue(html, "claimVersion"),
				shown: hiddenValue(html, "shown"),
				_idem: newToken(18),
			});
			let again = "";
			for (const [lang, said, rating, wasRating, nowRating, headline] of [
				[
					"en",
					`${name} saved this draft at [^<]+: nothing was published\\. The preview below shows it as it is now\\.`,
					"Rating",
					"Misleading",
					"False",
					"Headline",
				],
				[
					"de",
					`${name} hat den Entwurf am [^<]+ gespeichert: Nichts wurde veröffentlicht\\. Die Vorschau unten zeigt ihn, wie er jetzt ist\\.`,
					"Bewertung",
					"Irreführend",
					"Falsch",
					"Überschrift",
				],
			] as const) {
				const before = await snapshot();
				const sent = await deskPost(
					editor,
					`/desk/verdicts/${draft.id}/publish?lang=${lang}`,
					publishFields(previews[lang]),
				);
				expect(sent.status, lang).toBe(409);
				expect(await snapshot(), lang).toEqual(before);
				const html = await sent.text();
				expect(html, lang).toMatch(new RegExp(`<p>${said}</p>`));
				expect(html, lang).toMatch(
					new RegExp(
						`<dt>${rating}</dt><dd dir="auto" data-field="rating"><del>${wasRating}</del> → <ins>${nowRating}</ins></dd>`,
					),
				);
				expect(html, lang).toMatch(
					new RegExp(
						`<dt>${headline}</dt><dd dir="auto" data-field="deskHeadline"><del lang="en">Misleading: the offer was a request</del> → <ins lang="en">False: Russia asked</ins></dd>`,
					),
				);
				// Unchanged fields are not listed.
				expect(html, lang).not.toContain('data-field="evidence"');
				again = html;
			}
			// The preview now shows the draft as it is: publishing from it publishes that.
			const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, publishFields(again));
			expect(published.status).toBe(303);
			const row = await env.DB.prepare("SELECT state, rating FROM verdicts WHERE id = ?")
				.bind(draft.id)
				.first<{ state: string; rating: string }>();
			expect(row).toEqual({ state: "published", rating: "false" });
		},
	);

	it("submitted since, its text unchanged: says so, and that it reads as it did", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview`)).text();
		const submitted = await deskPost(checker, `/desk/verdicts/${draft.id}/submit`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(submitted.status).toBe(303);
		const sent = await deskPost(editor, `/desk/verdicts/${draft.id}/publish?lang=en`, {
			version: hiddenValue(preview, "version"),
			from: "preview",
			supersedes: "",
			claimVersion: hiddenValue(preview, "claimVersion"),
			shown: hiddenValue(preview, "shown"),
			_idem: newToken(18),
		});
		expect(sent.status).toBe(409);
		const html = await sent.text();
		expect(html).toMatch(
			new RegExp(
				`<p>${checker.user.name} submitted this draft for review at [^<]+: nothing was published\\.`,
			),
		);
		expect(html).toContain("<p>Its text is as you read it: publish again if it still fits.</p>");
		expect(html).not.toContain('<dl class="changed">');
	});
});

describe("the claim page's Publish refused for a draft changed since the page was shown", () => {
	it(
		"says who saved it and lists what changed on the card's form too: Rating Misleading → False (en, de); publishing again then works",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const created = await deskPost(
				checker,
				`/desk/claims/${claim.id}/verdicts`,
				verdictForm({ rating: "misleading", headline: "Misleading: the offer was a request" }),
			);
			expect(created.status).toBe(303);
			const draft = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
				.bind(claim.id)
				.first<{ id: string }>();
			if (!draft) throw new Error("no draft");
			const action = `/desk/verdicts/${draft.id}/publish`;
			const pages = {
				en: await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text(),
				de: await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text(),
			};
			// The checker turns the rating while the editor reads the card.
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			const saved = await deskPost(
				checker,
				`/desk/verdicts/${draft.id}`,
				verdictForm({
					version: hidden(form, "version") ?? "",
					rating: "false",
					headline: "False: Russia asked",
				}),
			);
			expect(saved.status).toBe(303);
			const name = checker.user.name;
			let again = "";
			for (const [lang, said, rating, wasRating, nowRating, changedSince, reread] of [
				[
					"en",
					`${name} saved this draft at [^<]+: nothing was published\\. The draft&#39;s card below shows it as it is now\\.`,
					"Rating",
					"Misleading",
					"False",
					"Changed since this page was shown:",
					"Read it again below, then publish.",
				],
				[
					"de",
					`${name} hat den Entwurf am [^<]+ gespeichert: Nichts wurde veröffentlicht\\. Die Karte des Entwurfs unten zeigt ihn, wie er jetzt ist\\.`,
					"Bewertung",
					"Irreführend",
					"Falsch",
					"Geändert, seit diese Seite angezeigt wurde:",
					"Lesen Sie ihn unten noch einmal, dann veröffentlichen Sie.",
				],
			] as const) {
				const before = await snapshot();
				const sent = await deskPost(editor, `${action}?lang=${lang}`, {
					...formFields(pages[lang], action),
					_idem: newToken(18),
				});
				expect(sent.status, lang).toBe(409);
				expect(await snapshot(), lang).toEqual(before);
				const html = await sent.text();
				expect(html, lang).toMatch(new RegExp(`<p>${said}</p>`));
				expect(html, lang).toMatch(
					new RegExp(
						`<dt>${rating}</dt><dd dir="auto" data-field="rating"><del>${wasRating}</del> → <ins>${nowRating}</ins></dd>`,
					),
				);
				expect(html, lang).toContain('data-field="deskHeadline"');
				expect(html, lang).not.toContain('data-field="evidence"');
				expect(html, lang).toContain(`<p>${changedSince}</p>`);
				expect(html, lang).toContain(`<p>${reread}</p>`);
				expect(html, lang).not.toMatch(/Someone else saved|Jemand anderes hat diese Bewertung/);
				again = html;
			}
			// The card now shows the draft as it is: publishing from it publishes that.
			const published = await deskPost(editor, action, { ...formFields(again, action), _idem: newToken(18) });
			expect(published.status).toBe(303);
			const row = await env.DB.prepare("SELECT state, rating FROM verdicts WHERE id = ?")
				.bind(draft.id)
				.first<{ state: string; rating: string }>();
			expect(row).toEqual({ state: "published", rating: "false" });
		},
	);
});

describe("a preview's publication refused for a draft changed since, its claim reworded too", () => {
	it(
		"lists the draft's change and quotes the claim's words now (en, de), not the draft's fields alone",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const before = `The ferry ${newId()} is planned for next year.`;
			const after = `The ferry ${newId()} runs daily since 2019.`;
			const claim = await makeClaim({ text: before, language: "en" });
			const draft = await draftVia(checker, claim.id);
			const previews = {
				en: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=en`)).text(),
				de: await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview?lang=de`)).text(),
			};
			const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: await versionOf(claim.id), text: after },
			});
			expect(edited.status).toBe(200);
			// The checker saves the draft on the new words.
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			const saved = await deskPost(checker, `/desk/verdicts/${draft.id}`, {
				...formFields(form, `/desk/verdicts/${draft.id}`),
				summary: "What we found, again.",
			});
			expect(saved.status, await saved.clone().text()).toBe(303);
			const action = `/desk/verdicts/${draft.id}/publish`;
			for (const [lang, changedToo, open, close] of [
				[
					"en",
					"The claim was changed too after this page was shown: check the verdict against the claim as it is now. It now reads:",
					"“",
					"”",
				],
				[
					"de",
					"Auch die Behauptung wurde geändert, nachdem diese Seite angezeigt wurde: Prüfen Sie die Bewertung an der Behauptung, wie sie jetzt ist. Sie lautet jetzt:",
					"„",
					"“",
				],
			] as const) {
				const sent = await deskPost(editor, `${action}?lang=${lang}`, {
					...formFields(previews[lang], action),
					_idem: newToken(18),
				});
				expect(sent.status, lang).toBe(409);
				const html = await sent.text();
				expect(html, lang).toContain('data-field="summary"');
				expect(html, lang).toContain(`${changedToo} ${open}<bdi lang="en" dir="auto">${after}</bdi>${close}`);
			}
		},
	);
});

describe("a draft's form sent after the draft was published and then retracted or corrected", () => {
	/** The checker's draft, its form open, then published by the editor. */
	async function publishedWhileOpen(checker: Member, editor: Member) {
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(published.status).toBe(303);
		const row = await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
			.bind(draft.id)
			.first<{ version: number }>();
		return { claim, draft, form, version: row?.version ?? 0 };
	}

	it(
		"retracted since: says who retracted it, that no verdict is in force and saving drafts a new one; compares with nothing (en, de)",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const retractor = await account("editor");
			const { claim, draft, form, version } = await publishedWhileOpen(checker, editor);
			const retracted = await deskPost(retractor, `/desk/verdicts/${draft.id}/retract`, {
				version: String(version),
				note: "The source was forged.",
				_idem: newToken(18),
			});
			expect(retracted.status).toBe(303);
			const name = retractor.user.name;
			for (const [lang, h1, title, said, saving] of [
				[
					"en",
					"Draft a verdict",
					"This draft was published and then retracted in the meantime",
					`^${name} retracted this verdict at [^<]+\\. Your input is kept below and nothing of it was saved\\.$`,
					"No verdict of this claim is in force now: saving your text drafts a new verdict, which an editor publishes.",
				],
				[
					"de",
					"Bewertung entwerfen",
					"Dieser Entwurf wurde inzwischen veröffentlicht und wieder zurückgezogen",
					`^${name} hat die Bewertung am [^<]+ zurückgezogen\\. Ihre Eingaben stehen unten und wurden nicht gespeichert\\.$`,
					"Zu dieser Behauptung gilt jetzt keine Bewertung: Speichern entwirft mit Ihrem Text eine neue Bewertung, die die Redaktion veröffentlicht.",
				],
			] as const) {
				const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=${lang}`, typed(form, newId()));
				expect(save.status, lang).toBe(409);
				const html = await save.text();
				expect(html, lang).toContain(`<h1>${h1}</h1>`);
				const notice = conflictNotice(html);
				expect(notice.title, lang).toBe(title);
				expect(notice.said, lang).toMatch(new RegExp(said));
				expect(notice.rest, lang).toContain(saving);
				// Nothing is in force to compare with, nor to correct.
				expect(notice.rest, lang).not.toContain('<dl class="changed">');
				expect(notice.rest, lang).not.toMatch(
					/correction|Korrektur|published verdict|veröffentlichte Bewertung/,
				);
				expect(html, lang).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
			}
		},
	);

	it(
		"corrected since: says who published the correction, and compares the input with the correction in force (en, de)",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const corrector = await account("editor");
			const { claim, draft, form } = await publishedWhileOpen(checker, editor);
			const correction = await deskPost(
				checker,
				`/desk/claims/${claim.id}/verdicts`,
				verdictForm({ rating: "true", headline: "Correction: TRUE after all" }),
			);
			expect(correction.status).toBe(303);
			const next = await env.DB.prepare(
				"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
			)
				.bind(claim.id)
				.first<{ id: string; version: number }>();
			if (!next) throw new Error("no correction draft");
			const corrected = await deskPost(corrector, `/desk/verdicts/${next.id}/publish`, {
				version: String(next.version),
				correctionNote: "We erred.",
				_idem: newToken(18),
			});
			expect(corrected.status).toBe(303);
			const name = corrector.user.name;
			for (const [lang, h1, title, said, saving, differs, rating] of [
				[
					"en",
					"Draft a correction",
					"This draft was published and then corrected in the meantime",
					`^${name} published a correction of this verdict at [^<]+\\. Your input is kept below and nothing of it was saved\\.$`,
					"Saving your text now drafts a correction of the verdict in force: a new draft, which an editor publishes in its place. Until then the verdict in force stays as it is.",
					"The verdict in force now differs from your input here:",
					"<dt>Rating</dt><dd>True</dd>",
				],
				[
					"de",
					"Korrektur entwerfen",
					"Dieser Entwurf wurde inzwischen veröffentlicht und danach korrigiert",
					`^${name} hat am [^<]+ eine Korrektur dieser Bewertung veröffentlicht\\. Ihre Eingaben stehen unten und wurden nicht gespeichert\\.$`,
					"Speichern entwirft jetzt mit Ihrem Text eine Korrektur der geltenden Bewertung: einen neuen Entwurf, den die Redaktion an ihrer Stelle veröffentlicht. Bis dahin bleibt die geltende Bewertung, wie sie ist.",
					"Die jetzt geltende Bewertung weicht hier von Ihren Eingaben ab:",
					"<dt>Bewertung</dt><dd>Richtig</dd>",
				],
			] as const) {
				const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=${lang}`, typed(form, newId()));
				expect(save.status, lang).toBe(409);
				const html = await save.text();
				expect(html, lang).toContain(`<h1>${h1}</h1>`);
				const notice = conflictNotice(html);
				expect(notice.title, lang).toBe(title);
				expect(notice.said, lang).toMatch(new RegExp(said));
				expect(notice.rest, lang).toContain(saving);
				expect(notice.rest, lang).toContain(differs);
				// The correction in force (True), not the verdict it replaced (False).
				expect(notice.rest, lang).toContain(rating);
				expect(notice.rest, lang).toContain("Correction: TRUE after all");
				expect(html, lang).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
			}
		},
	);
});

describe("\"Add another link\" on a draft's form after a colleague's step", () => {
	it(
		"published meanwhile: the correction's form with one row more, saying who published it (en, de); saved meanwhile: says who saved it",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			const marker = newId();
			const more = { ...typed(form, marker), evidenceRows: "3", moreEvidence: "1" };

			// Saved by a colleague in another tab first.
			const saved = await deskPost(
				checker,
				`/desk/verdicts/${draft.id}`,
				verdictForm({ version: String(draft.version), headline: "Saved in another tab" }),
			);
			expect(saved.status).toBe(303);
			const afterSave = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, more);
			expect(afterSave.status).toBe(409);
			const savedHtml = await afterSave.text();
			// Their own save: not "Someone else saved this draft" above their own name (s35 r352).
			expect(conflictNotice(savedHtml).title).toBe(
				"You saved this draft in another tab or window in the meantime",
			);
			expect(conflictNotice(savedHtml).said).toContain(checker.user.name);
			const afterSaveDe = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=de`, more);
			expect(conflictNotice(await afterSaveDe.text()).title).toBe(
				"Sie haben diesen Entwurf inzwischen in einem anderen Tab oder Fenster gespeichert",
			);
			expect(savedHtml).toContain(`action="/desk/verdicts/${draft.id}"`);
			expect(savedHtml).toContain('name="evidence.3.url"');
			expect(savedHtml).toContain(`value="A sharper headline ${marker}"`);

			const now = await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
				.bind(draft.id)
				.first<{ version: number }>();
			const published = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
				version: String(now?.version),
				_idem: newToken(18),
			});
			expect(published.status).toBe(303);
			for (const [lang, h1, title] of [
				["en", "Draft a correction", "This draft was published in the meantime"],
				["de", "Korrektur entwerfen", "Dieser Entwurf wurde inzwischen veröffentlicht"],
			] as const) {
				const before = await snapshot();
				const sent = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=${lang}`, more);
				expect(sent.status, lang).toBe(409);
				expect(await snapshot(), lang).toEqual(before);
				const html = await sent.text();
				expect(html, lang).toContain(`<h1>${h1}</h1>`);
				expect(conflictNotice(html).title, lang).toBe(title);
				expect(conflictNotice(html).said, lang).toContain(editor.user.name);
				expect(html, lang).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
				expect(html, lang).toContain('name="evidence.3.url"');
				expect(html, lang).toContain(`value="A sharper headline ${marker}"`);
			}
		},
	);
});

describe("a draft's form sent after a save through its writer's own API token", () => {
	// A sync, an autosave or a token an admin minted for the writer read "You saved this draft in
	// another tab or window" (s35 r361): the audit row names the token, and the title does too.
	it("names the token, not another tab (en, de)", TIMEOUT, async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		const { token } = await apiToken(checker.user, ["verdicts:write"], "CMS sync");
		const read = await json<Record<string, unknown>>(
			await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token }),
		);
		const put = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: { ...read, summary: "Synced from the CMS." },
		});
		expect(put.status, await put.clone().text()).toBe(200);
		for (const [lang, title] of [
			["en", "Your API token “CMS sync” saved this draft in the meantime"],
			["de", "Ihr API-Token „CMS sync“ hat diesen Entwurf inzwischen gespeichert"],
		] as const) {
			const sent = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=${lang}`, typed(form, newId()));
			expect(sent.status, lang).toBe(409);
			const notice = conflictNotice(await sent.text());
			expect(notice.title, lang).toBe(title);
			expect(notice.said, lang).toContain(checker.user.name);
			expect(notice.rest, lang).toContain("Synced from the CMS.");
		}
	});
});

describe("a new verdict's form sent after its claim was merged into one reworded before", () => {
	it(
		"comes back on the kept claim without listing the kept claim's old edits as changed while the form was open; sent again, it is saved",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const kept = await makeClaim({ text: `The bridge ${newId()} opens in May.`, language: "en" });
			// The kept claim was reworded long before anyone opened the duplicate's form.
			const reworded = await apiCall("PATCH", `/api/v1/claims/${kept.id}`, {
				token,
				body: { version: await versionOf(kept.id), text: `The bridge ${newId()} opens in June.` },
			});
			expect(reworded.status).toBe(200);
			const duplicate = await makeClaim({ language: "en" });
			const form = await (await deskGet(checker, `/desk/claims/${duplicate.id}/verdicts/new`)).text();
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
			});
			expect(merged.status).toBe(200);
			const headline = `Drafted on the duplicate ${newId()}`;
			for (const lang of ["en", "de"] as const) {
				const sent = await deskPost(checker, `/desk/claims/${duplicate.id}/verdicts?lang=${lang}`, {
					...formFields(form, `/desk/claims/${duplicate.id}/verdicts`),
					...verdictForm({ headline }),
				});
				expect(sent.status, lang).toBe(409);
				const html = await sent.text();
				expect(html, lang).toContain(`action="/desk/claims/${kept.id}/verdicts"`);
				expect(html, lang).toContain(`value="${headline}"`);
				expect(html, lang).not.toContain('data-field="text"');
				expect(html, lang).not.toMatch(/while this form was open|während dieses Formular offen war/);
				if (lang === "de") {
					const again = await deskPost(checker, `/desk/claims/${kept.id}/verdicts`, {
						...formFields(html, `/desk/claims/${kept.id}/verdicts`),
					});
					expect(again.status, await again.clone().text()).toBe(303);
				}
			}
		},
	);
});

/**
 * The real D1, with `race` run once just before the `at`-th statement the request runs (alone
 * or as a batch): another writer's change at each point of a page's reads in turn.
 */
function racingAt(at: number, race: () => Promise<unknown>) {
	const state = { ran: 0, raced: false };
	const turn = async () => {
		state.ran += 1;
		if (state.ran !== at) return;
		state.raced = true;
		await race();
	};
	// A batch takes workerd's own statements: each proxy maps back to the one it wraps.
	const originals = new WeakMap<object, D1PreparedStatement>();
	const statement = (real: D1PreparedStatement): D1PreparedStatement => {
		const proxy = new Proxy(real, {
			get(target, property) {
				if (property === "bind") return (...values: unknown[]) => statement(target.bind(...values));
				const value = Reflect.get(target, property, target);
				if (typeof value !== "function") return value;
				if (!["first", "all", "run", "raw"].includes(String(property))) return value.bind(target);
				return async (...args: unknown[]) => {
					await turn();
					return value.apply(target, args);
				};
			},
		});
		originals.set(proxy, real);
		return proxy;
	};
	const db = new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") return (query: string) => statement(target.prepare(query));
			if (property === "batch")
				return async (statements: D1PreparedStatement[]) => {
					await turn();
					return target.batch(statements.map((s) => originals.get(s) ?? s));
				};
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { db, state };
}

describe("a rewording that lands while a verdict form is being read (s35 r351, finding 3)", () => {
	/** Someone rewords the claim through the API, at its version then. */
	const reword = (token: string, claimId: string, text: string) => async () => {
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: await versionOf(claimId), text },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
	};
	/** A desk request over `db`, its answer and its page once the request has settled. */
	const through = async (db: D1Database, path: string, init: RequestInit) => {
		const { response, settled } = await fetchWith(db, path, init);
		const html = await response.text();
		await settled();
		return { status: response.status, html };
	};

	it(
		"a draft's form shows it, or saving the form is refused: at whichever of the form's reads it lands, the words the form carries back are words it showed",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			let landed = 0;
			for (let at = 1; at < 200; at++) {
				const claim = await makeClaim({ text: `The bridge ${newId()} is 80 metres long.`, language: "en" });
				const draft = await draftVia(checker, claim.id);
				const reworded = `The bridge ${newId()} is 8 metres long.`;
				const { db, state } = racingAt(at, reword(token, claim.id, reworded));
				const { html: form } = await through(db, `/desk/verdicts/${draft.id}/edit`, {
					headers: { Cookie: checker.cookie },
				});
				if (!state.raced) break;
				landed += 1;
				const action = `/desk/verdicts/${draft.id}`;
				const saved = await deskPost(checker, action, formFields(form, action));
				if (saved.status === 303) expect(form, `a rewording before statement ${at}`).toContain(reworded);
				else expect(saved.status, `a rewording before statement ${at}`).toBe(409);
			}
			expect(landed).toBeGreaterThan(3);
		},
	);

	it(
		"the kept claim's form a merged claim's form comes back on shows it, or saving it is refused",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			let landed = 0;
			for (let at = 1; at < 200; at++) {
				const kept = await makeClaim({ text: `The tunnel ${newId()} is 9 km long.`, language: "en" });
				const duplicate = await makeClaim({ language: "en" });
				const opened = await (await deskGet(checker, `/desk/claims/${duplicate.id}/verdicts/new`)).text();
				const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
					token,
					body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
				});
				expect(merged.status).toBe(200);
				const reworded = `The tunnel ${newId()} is 90 km long.`;
				const { db, state } = racingAt(at, reword(token, kept.id, reworded));
				// "Add another link" on the duplicate's form: the kept claim's form comes back.
				const back = await through(db, `/desk/claims/${duplicate.id}/verdicts`, {
					method: "POST",
					headers: {
						Cookie: checker.cookie,
						Origin: BASE,
						"Content-Type": "application/x-www-form-urlencoded",
					},
					body: new URLSearchParams({
						_csrf: checker.csrf,
						...formFields(opened, `/desk/claims/${duplicate.id}/verdicts`),
						...verdictForm({ headline: `Drafted on the duplicate ${newId()}` }),
						evidenceRows: "2",
						moreEvidence: "1",
					}).toString(),
					redirect: "manual",
				});
				if (!state.raced) break;
				const form = back.html;
				expect(back.status, form).toBe(409);
				landed += 1;
				const action = `/desk/claims/${kept.id}/verdicts`;
				const saved = await deskPost(checker, action, formFields(form, action));
				if (saved.status === 303) expect(form, `a rewording before statement ${at}`).toContain(reworded);
				else expect(saved.status, `a rewording before statement ${at}`).toBe(409);
			}
			expect(landed).toBeGreaterThan(3);
		},
	);
});

describe("the claim page's Return, Submit for review and Discard refused for a draft changed since the page was shown", () => {
	/** The refusal leading the page, tags and all. */
	const noticeOf = (html: string) =>
		/<div class="notice error" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";
	const ratingRow = (was: string, now: string) =>
		new RegExp(`data-field="rating"><del[^>]*>${was}</del> → <ins[^>]*>${now}</ins>`);
	const row = (sql: string, id: string) => env.DB.prepare(sql).bind(id).first<Record<string, unknown>>();

	it(
		"say who did what and list what changed, in each step's words (en, de); a second click acts on the draft the notice showed, never on a save after it",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const created = await deskPost(
				checker,
				`/desk/claims/${claim.id}/verdicts`,
				verdictForm({ rating: "misleading", headline: "Misleading: the offer was a request" }),
			);
			expect(created.status).toBe(303);
			const draft = await row("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'", claim.id);
			const id = String(draft?.id);
			const claimPage = async (who: Member, lang: "en" | "de") =>
				(await deskGet(who, `/desk/claims/${claim.id}?lang=${lang}`)).text();
			const editorPages = { en: await claimPage(editor, "en"), de: await claimPage(editor, "de") };
			const checkerPages = { en: await claimPage(checker, "en"), de: await claimPage(checker, "de") };
			/** The checker saves the draft from its form (another tab): the editor's page is older. */
			const save = async (fields: Record<string, string>) => {
				const form = await (await deskGet(checker, `/desk/verdicts/${id}/edit`)).text();
				const saved = await deskPost(checker, `/desk/verdicts/${id}`, {
					...formFields(form, `/desk/verdicts/${id}`),
					...fields,
				});
				expect(saved.status).toBe(303);
			};
			await save({ rating: "false", headline: "False: Russia asked" });

			// Return: who saved, what changed, and the note typed kept in the return form.
			const returnAt = `/desk/verdicts/${id}/return`;
			const note = "Name the KCNA source.";
			let shown = "";
			for (const [lang, said, was, now, reread] of [
				[
					"en",
					`${checker.user.name} saved this draft at [^<]+: nothing was returned\\. The draft&#39;s card below shows it as it is now\\.`,
					"Misleading",
					"False",
					"Read it again below, then return it if your note still applies.",
				],
				[
					"de",
					`${checker.user.name} hat den Entwurf am [^<]+ gespeichert: Nichts wurde zurückgegeben\\. Die Karte des Entwurfs unten zeigt ihn, wie er jetzt ist\\.`,
					"Irreführend",
					"Falsch",
					"Lesen Sie ihn unten noch einmal, dann geben Sie ihn zurück, wenn Ihre Anmerkung noch zutrifft.",
				],
			] as const) {
				const before = await snapshot();
				const sent = await deskPost(editor, `${returnAt}?lang=${lang}`, {
					...formFields(editorPages[lang], returnAt),
					returnNote: note,
					_idem: newToken(18),
				});
				expect(sent.status, lang).toBe(409);
				expect(await snapshot(), lang).toEqual(before);
				const html = await sent.text();
				const notice = noticeOf(html);
				expect(notice, lang).toMatch(new RegExp(`^<p>${said}</p>`));
				expect(notice, lang).toMatch(ratingRow(was, now));
				expect(notice, lang).toContain('data-field="deskHeadline"');
				expect(notice, lang).toContain(`<p>${reread}</p>`);
				expect(html, lang).not.toMatch(/Someone else saved|Jemand anderes/);
				expect(formFields(html, returnAt).returnNote, lang).toBe(note);
				shown = html;
			}
			// Saved again after the notice: the second click is refused again, saying so.
			await save({ rating: "true" });
			const second = await deskPost(editor, returnAt, {
				...formFields(shown, returnAt),
				_idem: newToken(18),
			});
			expect(second.status).toBe(409);
			const secondHtml = await second.text();
			expect(noticeOf(secondHtml)).toMatch(ratingRow("False", "True"));
			const returned = await deskPost(editor, returnAt, {
				...formFields(secondHtml, returnAt),
				_idem: newToken(18),
			});
			expect(returned.status).toBe(303);
			expect(await row("SELECT count(*) AS n FROM verdict_returns WHERE verdict_id = ?", id)).toEqual({
				n: 1,
			});

			// Submit, from a page shown before both saves and the return: who returned it.
			const submitAt = `/desk/verdicts/${id}/submit`;
			for (const [lang, said, was, now, reread] of [
				[
					"en",
					`${editor.user.name} returned this draft to its checker with a note at [^<]+: nothing was submitted\\. Read the note on the draft&#39;s card below first\\.`,
					"Misleading",
					"True",
					"Read it again below, then submit it.",
				],
				[
					"de",
					`${editor.user.name} hat den Entwurf am [^<]+ mit einer Anmerkung zur Überarbeitung zurückgegeben: Nichts wurde eingereicht\\. Lesen Sie zuerst die Anmerkung auf der Karte des Entwurfs unten\\.`,
					"Irreführend",
					"Richtig",
					"Lesen Sie ihn unten noch einmal, dann reichen Sie ihn ein.",
				],
			] as const) {
				const sent = await deskPost(checker, `${submitAt}?lang=${lang}`, {
					...formFields(checkerPages[lang], submitAt),
					_idem: newToken(18),
				});
				expect(sent.status, lang).toBe(409);
				const html = await sent.text();
				const notice = noticeOf(html);
				expect(notice, lang).toMatch(new RegExp(`^<p>${said}</p>`));
				expect(notice, lang).toMatch(ratingRow(was, now));
				expect(notice, lang).toContain(`<p>${reread}</p>`);
				shown = html;
			}
			expect(await row("SELECT submitted_at FROM verdicts WHERE id = ?", id)).toEqual({ submitted_at: null });
			const submitted = await deskPost(checker, submitAt, {
				...formFields(shown, submitAt),
				_idem: newToken(18),
			});
			expect(submitted.status).toBe(303);
			expect((await row("SELECT submitted_at FROM verdicts WHERE id = ?", id))?.submitted_at).not.toBeNull();

			// Discard, from a page shown before the checker's save: the save is not deleted unread.
			const discardAt = `/desk/verdicts/${id}/discard`;
			const pages = { en: await claimPage(editor, "en"), de: await claimPage(editor, "de") };
			await save({ rating: "half-true", summary: "Half of it holds." });
			for (const [lang, said, was, now, reread] of [
				[
					"en",
					`${checker.user.name} saved this draft at [^<]+: nothing was discarded\\. The draft&#39;s card below shows it as it is now\\.`,
					"True",
					"Half true",
					"Read it again below: discard it only if you still mean to.",
				],
				[
					"de",
					`${checker.user.name} hat den Entwurf am [^<]+ gespeichert: Nichts wurde verworfen\\. Die Karte des Entwurfs unten zeigt ihn, wie er jetzt ist\\.`,
					"Richtig",
					"Teilweise richtig",
					"Lesen Sie ihn unten noch einmal: Verwerfen Sie ihn nur, wenn Sie das noch wollen.",
				],
			] as const) {
				const sent = await deskPost(editor, `${discardAt}?lang=${lang}`, {
					...formFields(pages[lang], discardAt),
					confirm: "1",
					_idem: newToken(18),
				});
				expect(sent.status, lang).toBe(409);
				const html = await sent.text();
				const notice = noticeOf(html);
				expect(notice, lang).toMatch(new RegExp(`^<p>${said}</p>`));
				expect(notice, lang).toMatch(ratingRow(was, now));
				expect(notice, lang).toContain('data-field="summary"');
				expect(notice, lang).toContain(`<p>${reread}</p>`);
				expect(html, lang).not.toMatch(/or someone saved it|oder jemand hat ihn/);
				shown = html;
			}
			expect(await row("SELECT state FROM verdicts WHERE id = ?", id)).toEqual({ state: "draft" });
			// Saved once more after the notice: the second click deletes nothing unread either.
			await save({ rating: "false" });
			const again = await deskPost(editor, discardAt, {
				...formFields(shown, discardAt),
				confirm: "1",
				_idem: newToken(18),
			});
			expect(again.status).toBe(409);
			const againHtml = await again.text();
			expect(noticeOf(againHtml)).toMatch(ratingRow("Half true", "False"));
			const discarded = await deskPost(editor, discardAt, {
				...formFields(againHtml, discardAt),
				confirm: "1",
				_idem: newToken(18),
			});
			expect(discarded.status).toBe(303);
			expect(await row("SELECT state FROM verdicts WHERE id = ?", id)).toBeNull();
		},
	);
});

describe("a notice marks the verdict's own words with its language, not the desk's labels (s35 r352)", () => {
	it(
		"on a German desk, an English verdict's headline is marked English in the preview's comparison and the draft form's conflict; the rating's German label is not",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim({ language: "en" });
			await publish(claim.id, "misleading", { language: "en", headline: "Misleading: the first verdict" });
			const created = await deskPost(
				checker,
				`/desk/claims/${claim.id}/verdicts`,
				verdictForm({ rating: "false", headline: "False: the correction" }),
			);
			expect(created.status).toBe(303);
			const draft = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
				.bind(claim.id)
				.first<{ id: string }>();
			const id = String(draft?.id);

			// The preview's comparison with the verdict in force.
			const preview = await (await deskGet(editor, `/desk/verdicts/${id}/preview?lang=de`)).text();
			const cells = (field: string) =>
				/<tr [^>]*data-field="[^"]+"[^>]*>[\s\S]*?<\/tr>/g.exec(
					preview.slice(preview.indexOf(`data-field="${field}"`) - 40),
				)?.[0] ?? "";
			expect(cells("rating")).toMatch(/<td dir="auto" data-label="[^"]+"><del>Irreführend<\/del><\/td>/);
			expect(cells("deskHeadline")).toMatch(
				/<td dir="auto" lang="en" data-label="[^"]+"><del>Misleading: the first verdict<\/del><\/td>/,
			);

			// The draft form's conflict: what the colleague saved, in the draft's language.
			const form = await (await deskGet(checker, `/desk/verdicts/${id}/edit`)).text();
			const editorsForm = await (await deskGet(editor, `/desk/verdicts/${id}/edit`)).text();
			const saved = await deskPost(editor, `/desk/verdicts/${id}`, {
				...formFields(editorsForm, `/desk/verdicts/${id}`),
				rating: "true",
				headline: "True: as the editor saw it",
			});
			expect(saved.status).toBe(303);
			const stale = await deskPost(checker, `/desk/verdicts/${id}?lang=de`, typed(form, newId()));
			expect(stale.status).toBe(409);
			const { rest } = conflictNotice(await stale.text());
			expect(rest).toContain("<dt>Bewertung</dt><dd>Richtig</dd>");
			expect(rest).toContain('<dt>Überschrift</dt><dd lang="en" dir="auto">True: as the editor saw it</dd>');
		},
	);
});
