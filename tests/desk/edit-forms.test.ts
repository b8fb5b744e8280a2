import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { createSpeaker } from "../../src/store/speakers";
import { makeClaim, publish } from "../factories";
import { call, json, testDb } from "../helpers";

/** Speakers of this name (other test files write speakers meanwhile). */
async function countSpeakers(name: string): Promise<number> {
	return (
		(
			await env.DB.prepare("SELECT count(*) AS n FROM speakers WHERE name = ?")
				.bind(name)
				.first<{ n: number }>()
		)?.n ?? 0
	);
}

import { account, apiCall, apiToken, deskGet, deskPost, hidden } from "./helpers";

describe("editing in the desk", () => {
	it("edits a reviewed claim through the form: a note is required, the change is public", async () => {
		const checker = await account("editor");
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id);
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		expect(form).toContain('name="note"');
		expect(form).toContain("<select");
		const version = hidden(form, "version") ?? "";
		const fields = {
			version,
			text: `Edited through the desk ${newId()}`,
			claimedAt: "2025-07-12",
			language: "en",
			context: "",
			"speaker.name": claim.speaker?.name ?? "",
			note: "",
			_idem: newToken(18),
		};
		const refused = await deskPost(checker, `/desk/claims/${claim.id}/edit`, fields);
		expect(refused.status).toBe(422);
		expect(await refused.text()).toContain('id="f-note-error"');
		const saved = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			...fields,
			note: "Transcription fixed.",
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
		const body = await json<{ text: string; changes: { field: string; note: string }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(body.text).toBe(fields.text);
		expect(body.changes).toEqual([expect.objectContaining({ field: "text", note: "Transcription fixed." })]);
		const stale = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			...fields,
			text: "From an old form",
			note: "x",
			_idem: newToken(18),
		});
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain("From an old form");
	});

	it("names the speaker's field as the speaker, in its label and the error summary (en, de)", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ language: "de" });
		const labelOf = (html: string) => /<label for="f-speaker-name">([^<]*)/.exec(html)?.[1];
		const summaryOf = (html: string) =>
			/<div class="notice error"[^>]*id="error-summary"[\s\S]*?<a href="#f-speaker-name">([^<]*)/.exec(
				html,
			)?.[1];
		for (const [lang, speaker] of [
			["en", "Speaker"],
			["de", "Sprecher/in"],
		] as const) {
			const form = await (await deskGet(editor, `/desk/claims/${claim.id}/edit?lang=${lang}`)).text();
			expect(labelOf(form)).toBe(speaker);
			const refused = await deskPost(editor, `/desk/claims/${claim.id}/edit?lang=${lang}`, {
				version: hidden(form, "version") ?? "",
				text: claim.text,
				claimedAt: "",
				language: "de",
				context: "",
				"speaker.name": "x".repeat(301),
				note: "",
				_idem: newToken(18),
			});
			expect(refused.status).toBe(422);
			const page = await refused.text();
			expect(labelOf(page)).toBe(speaker);
			expect(summaryOf(page)).toMatch(new RegExp(`^${speaker}: `));
		}
	});

	it("keeps a language typed under 'other' when the claim form comes back with an error", async () => {
		const checker = await account("editor");
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id);
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		const refused = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			version: hidden(form, "version") ?? "",
			text: claim.text,
			claimedAt: "2025-07-12",
			language: "other",
			languageOther: "sr-Latn",
			context: "",
			"speaker.name": claim.speaker?.name ?? "",
			note: "",
			_idem: newToken(18),
		});
		expect(refused.status).toBe(422);
		const page = await refused.text();
		expect(page).toContain('id="f-note-error"');
		expect(page).toMatch(/name="languageOther"[^>]*value="sr-Latn"/);
		expect(page).toMatch(/<option value="other" selected/);
	});

	it("leaves a reviewed claim's words to editors: a checker gets no link and no form, and a post is refused", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		const fields = {
			version: "",
			text: `Reworded by a checker ${newId()}`,
			claimedAt: "2025-07-12",
			language: "en",
			context: "",
			"speaker.name": claim.speaker?.name ?? "",
			note: "Looked wrong.",
			_idem: newToken(18),
		};
		// The form was open before the verdict went out.
		const version = Number(hidden(form, "version"));
		await publish(claim.id);
		const claimPage = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(claimPage).not.toContain(`href="/desk/claims/${claim.id}/edit"`);
		const editPage = await deskGet(checker, `/desk/claims/${claim.id}/edit`);
		expect(editPage.status).toBe(200);
		const editHtml = await editPage.text();
		expect(editHtml).toContain("only an editor can change it");
		expect(editHtml).not.toContain(`action="/desk/claims/${claim.id}/edit"`);
		const refused = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			...fields,
			version: String(version + 1),
		});
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain("only an editor can change it");
		const after = await json<{ text: string; changes: unknown[] }>(await call(`/api/v1/claims/${claim.id}`));
		expect(after.text).toBe(claim.text);
		expect(after.changes).toEqual([]);
		// An editor sees the link and saves the same change.
		const editor = await account("editor");
		expect(await (await deskGet(editor, `/desk/claims/${claim.id}`)).text()).toContain(
			`href="/desk/claims/${claim.id}/edit"`,
		);
		const saved = await deskPost(editor, `/desk/claims/${claim.id}/edit`, {
			...fields,
			version: String(version + 1),
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
	});

	it("keeps a checker's edit when a verdict is published meanwhile: 403 with the reason, the changes as a note", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		const fields: Record<string, string> = { _idem: newToken(18) };
		for (const name of [
			"version",
			"was.text",
			"was.claimedAt",
			"was.language",
			"was.context",
			"was.speaker.name",
		])
			fields[name] = hidden(form, name) ?? "";
		const reworded = `Reworded while an editor published ${newId()}`;
		await publish(claim.id);
		// Sent from the form as it was opened: its version is old, and the claim now needs a note.
		const refused = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			...fields,
			text: reworded,
			claimedAt: fields["was.claimedAt"] ?? "",
			language: "en",
			context: "At the harbour",
			"speaker.name": fields["was.speaker.name"] ?? "",
			note: "",
		});
		expect(refused.status).toBe(403);
		const page = await refused.text();
		expect(page).toContain("Only an editor changes a claim with a public verdict");
		expect(page).not.toContain(`action="/desk/claims/${claim.id}/edit"`);
		// What was typed is in the note form for an editor, ready to send.
		expect(page).toContain(`action="/desk/claims/${claim.id}/notes"`);
		const note = /<textarea[^>]*name="text"[^>]*>([^<]*)<\/textarea>/.exec(page)?.[1] ?? "";
		expect(note).toContain(reworded);
		expect(note).toContain("At the harbour");
		const sent = await deskPost(checker, `/desk/claims/${claim.id}/notes`, {
			text: note.replaceAll("&quot;", '"').replaceAll("&amp;", "&"),
			_idem: hidden(page, "_idem") ?? "",
		});
		expect(sent.status).toBe(303);
		expect(await (await deskGet(checker, `/desk/claims/${claim.id}`)).text()).toContain(reworded);
		const after = await json<{ text: string }>(await call(`/api/v1/claims/${claim.id}`));
		expect(after.text).toBe(claim.text);
	});

	it("saves only what this user changed: a colleague's save meanwhile is kept, and named on a conflict", async () => {
		const first = await account("checker");
		const second = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const formOf = async (who: typeof first) => {
			const html = await (await deskGet(who, `/desk/claims/${claim.id}/edit`)).text();
			const fields: Record<string, string> = { _idem: newToken(18), note: "" };
			for (const name of [
				"version",
				"was.text",
				"was.claimedAt",
				"was.language",
				"was.context",
				"was.speaker.name",
			])
				fields[name] = hidden(html, name) ?? "";
			return {
				...fields,
				text: fields["was.text"] ?? "",
				claimedAt: fields["was.claimedAt"] ?? "",
				language: fields["was.language"] ?? "",
				context: fields["was.context"] ?? "",
				"speaker.name": fields["was.speaker.name"] ?? "",
			};
		};
		const mine = await formOf(first);
		const theirs = await formOf(second);
		const fixed = `Fixed quote ${newId()}`;
		expect((await deskPost(first, `/desk/claims/${claim.id}/edit`, { ...mine, text: fixed })).status).toBe(
			303,
		);
		// The second form was read before that save: a conflict, and the form now holds the fix.
		const conflict = await deskPost(second, `/desk/claims/${claim.id}/edit`, {
			...theirs,
			context: "At the harbour",
		});
		expect(conflict.status).toBe(409);
		const page = await conflict.text();
		expect(page).toContain("Their change is now in the form: Verbatim quote.");
		expect(page).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${fixed}</textarea>`));
		expect(page).toMatch(/<textarea[^>]*name="context"[^>]*>At the harbour<\/textarea>/);
		// Saved again from that form as it came back: the fix and this user's context both stay.
		const again = await deskPost(second, `/desk/claims/${claim.id}/edit`, {
			...theirs,
			version: hidden(page, "version") ?? "",
			"was.text": hidden(page, "was.text") ?? "",
			"was.context": hidden(page, "was.context") ?? "",
			text: fixed,
			context: "At the harbour",
			_idem: newToken(18),
		});
		expect(again.status).toBe(303);
		const saved = await json<{ text: string; context: string }>(await call(`/api/v1/claims/${claim.id}`));
		expect(saved).toMatchObject({ text: fixed, context: "At the harbour" });
		// Both change the context: the form keeps this user's, and the notice quotes the other.
		const mineAgain = await formOf(first);
		const theirsAgain = await formOf(second);
		expect(
			(await deskPost(first, `/desk/claims/${claim.id}/edit`, { ...mineAgain, context: "In the port" }))
				.status,
		).toBe(303);
		const both = await deskPost(second, `/desk/claims/${claim.id}/edit`, {
			...theirsAgain,
			context: "On the quay",
		});
		expect(both.status).toBe(409);
		const bothPage = await both.text();
		expect(bothPage).toContain("You both changed Context: yours is in the form; theirs reads “In the port”.");
		expect(bothPage).not.toContain("Their change is now in the form");
		expect(bothPage).toMatch(/<textarea[^>]*name="context"[^>]*>On the quay<\/textarea>/);
	});

	it("a speaker renamed while a form was open is not brought back as a new speaker", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ speaker: { name: `Lawrow ${newId()}` } });
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		const slug = claim.speaker?.slug ?? "";
		const speaker = await json<{ version: number }>(await call(`/api/v1/speakers/${slug}`));
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: speaker.version, name: `Lavrov ${newId()}`, kind: "person", aliases: [] },
		});
		expect(renamed.status).toBe(200);
		// The rename does not move the claim's version: the form's save goes through.
		const saved = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			version: hidden(html, "version") ?? "",
			...Object.fromEntries(
				["text", "claimedAt", "language", "context", "speaker.name"].flatMap((field) => [
					[field, hidden(html, `was.${field}`) ?? ""],
					[`was.${field}`, hidden(html, `was.${field}`) ?? ""],
				]),
			),
			context: "In the council",
			note: "",
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
		const after = await json<{ speaker: { slug: string }; context: string }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(after.context).toBe("In the council");
		expect(after.speaker.slug).toBe(slug);
	});

	it("a claim in Ukrainian at its fields' limits is edited like any other (its form is not refused for its size)", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const words = (n: number) => "Україна перемагає. ".repeat(Math.floor(n / 19)).trim();
		const created = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `${newId()} ${words(9_900)}`,
				language: "uk",
				claimedAt: "2025-07-12",
				context: words(19_900),
				speaker: null,
				source: { url: `https://news.example/${newId()}`, title: "Стаття", language: "uk" },
			},
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const { id } = await json<{ id: string }>(created);
		const html = await (await deskGet(editor, `/desk/claims/${id}/edit`)).text();
		const fields = {
			version: hidden(html, "version") ?? "",
			...Object.fromEntries(
				["text", "claimedAt", "language", "context", "speaker.name"].flatMap((field) => [
					[field, hidden(html, `was.${field}`) ?? ""],
					[`was.${field}`, hidden(html, `was.${field}`) ?? ""],
				]),
			),
			claimedAt: "2025-07-11",
			note: "",
			_idem: newToken(18),
		};
		// Percent-encoded, each Cyrillic letter is six bytes: more than the 256 KB once allowed.
		expect(new URLSearchParams(fields).toString().length).toBeGreaterThan(256 * 1024);
		const saved = await deskPost(editor, `/desk/claims/${id}/edit`, fields);
		expect(saved.status).toBe(303);
		expect((await json<{ claimedAt: string }>(await call(`/api/v1/claims/${id}`))).claimedAt).toBe(
			"2025-07-11",
		);
	});

	it("asks which speaker is meant when several carry the typed name, and takes one by its address", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const name = `Andreas Schmidt ${newId().slice(0, 6)}`;
		const input = { name, kind: "person" as const, description: null, wikidataId: null, aliases: [] };
		const first = await createSpeaker(testDb(), SYSTEM("test"), input);
		const second = await createSpeaker(testDb(), SYSTEM("test"), input);
		expect(await countSpeakers(name)).toBe(2);
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
		const fields = {
			version: hidden(form, "version") ?? "",
			text: claim.text,
			claimedAt: "2025-07-12",
			language: "de",
			context: "",
			"speaker.name": name,
			note: "",
			_idem: newToken(18),
		};
		const asked = await deskPost(checker, `/desk/claims/${claim.id}/edit`, fields);
		expect(asked.status).toBe(422);
		const page = await asked.text();
		expect(page).toContain(first.slug);
		expect(page).toContain(second.slug);
		expect(await countSpeakers(name)).toBe(2);
		const chosen = await deskPost(checker, `/desk/claims/${claim.id}/edit`, {
			...fields,
			"speaker.name": second.slug,
			_idem: newToken(18),
		});
		expect(chosen.status).toBe(303);
		const edited = await json<{ speaker: { slug: string } }>(await call(`/api/v1/claims/${claim.id}`));
		expect(edited.speaker.slug).toBe(second.slug);
		expect(await countSpeakers(name)).toBe(2);
	});

	it("the speaker form saves every field: emptied ones are cleared, as the form shows them", async () => {
		const editor = await account("editor");
		const tag = newId();
		const claim = await makeClaim({
			speaker: {
				name: `Form Org ${tag}`,
				kind: "organization",
				description: "A ministry",
				wikidataId: "Q77",
				aliases: [`Form Alias ${tag}`],
			},
		});
		const slug = claim.speaker?.slug ?? "";
		const form = await (await deskGet(editor, `/desk/speakers/${slug}`)).text();
		const saved = await deskPost(editor, `/desk/speakers/${slug}`, {
			version: hidden(form, "version") ?? "",
			name: `Form Org ${tag}`,
			kind: "person",
			description: "",
			wikidataId: "",
			aliases: "",
			_idem: newToken(18),
		});
		expect(saved.status, await saved.clone().text()).toBe(303);
		expect(await json(await call(`/api/v1/speakers/${slug}`))).toMatchObject({
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
	});

	it("labels the speaker form's kind field as its own, not as the claim form's 'A new speaker is'", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ speaker: { name: `Kind Label ${newId()}`, kind: "person" } });
		const slug = claim.speaker?.slug ?? "";
		const label = (html: string) => /<label for="([^"]*kind[^"]*)"[^>]*>([^<]*)</.exec(html)?.[2]?.trim();
		const en = await (await deskGet(editor, `/desk/speakers/${slug}?lang=en`)).text();
		expect(label(en)).toBe("Kind");
		expect(en).not.toContain("A new speaker is");
		const de = await (await deskGet(editor, `/desk/speakers/${slug}?lang=de`)).text();
		expect(label(de)).toBe("Art");
		expect(de).not.toContain("Ein neuer Eintrag ist");
	});

	it("speaks of the Redaktion and of Behauptungen in German, not of the Desk or of Claim-Seiten", async () => {
		const editor = await account("editor");
		const html = await (await deskGet(editor, "/desk/topics?lang=de")).text();
		expect(html).toContain("öffnet die Liste seiner Behauptungen in der Redaktion");
		expect(html).not.toMatch(/im Desk|Desk-Seite|Claim-Seiten/);
	});

	it("merges speakers through the form; the old page forwards", async () => {
		const editor = await account("editor");
		const tag = newId();
		const a = await makeClaim({ speaker: { name: `Sam Twin ${tag}` } });
		const b = await makeClaim({ speaker: { name: `Samuel Twin ${tag}` } });
		const from = a.speaker?.slug ?? "";
		const into = b.speaker?.slug ?? "";
		const page = await (await deskGet(editor, `/desk/speakers/${from}`)).text();
		expect(page).toContain(`action="/desk/speakers/${from}/merge"`);
		const merged = await deskPost(editor, `/desk/speakers/${from}/merge`, { into, _idem: newToken(18) });
		expect(merged.status).toBe(303);
		expect(merged.headers.get("location")).toBe(`/desk/speakers/${into}?done=speaker-merged`);
		// The page it leads to says what happened.
		const after = await (await deskGet(editor, `/desk/speakers/${into}?done=speaker-merged`)).text();
		expect(after).toContain('role="alert" tabindex="-1" autofocus="">The speakers were merged.<');
		const old = await call(`/speakers/${from}`, { redirect: "manual" });
		expect(old.status).toBe(301);
		const checker = await account("checker");
		expect((await deskGet(checker, `/desk/speakers/${into}`)).status).toBe(403);
	});

	it("a speaker form sent again after a merge into its speaker keeps the merged spellings", async () => {
		const editor = await account("editor");
		const tag = newId();
		const a = await makeClaim({ speaker: { name: `Anna Merged ${tag}` } });
		const b = await makeClaim({ speaker: { name: `Berta Kept ${tag}`, aliases: [`K. Person ${tag}`] } });
		const from = a.speaker?.slug ?? "";
		const into = b.speaker?.slug ?? "";
		const form = await (await deskGet(editor, `/desk/speakers/${into}`)).text();
		await mergeSpeakers(testDb(), SYSTEM("test"), from, into);

		const typed = {
			name: `Berta Kept ${tag}`,
			kind: "person",
			description: "Typed meanwhile",
			wikidataId: "",
			aliases: `K. Person ${tag}`,
		};
		const stale = await deskPost(editor, `/desk/speakers/${into}?lang=de`, {
			...typed,
			version: hidden(form, "version") ?? "",
			_idem: newToken(18),
		});
		const html = await stale.text();
		expect(stale.status, html).toBe(409);
		const aliases = /<textarea[^>]*name="aliases"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? "";
		// The 409 page's form sent as it is: saved, the merged spelling still the speaker's.
		const again = await deskPost(editor, `/desk/speakers/${into}`, {
			...typed,
			aliases,
			version: hidden(html, "version") ?? "",
			_idem: newToken(18),
		});
		expect(again.status, await again.clone().text()).toBe(303);
		const saved = await json<{ aliases: string[]; description: string | null }>(
			await call(`/api/v1/speakers/${into}`),
		);
		expect(saved.description).toBe("Typed meanwhile");
		expect(saved.aliases.sort()).toEqual([`Anna Merged ${tag}`, `K. Person ${tag}`].sort());
		// What was typed stayed, the merged name joined it, and the notice said so.
		expect(html).toContain("Typed meanwhile");
		expect(aliases.split("\n")).toEqual([`K. Person ${tag}`, `Anna Merged ${tag}`]);
		expect(html).toContain(
			`Sie hat jetzt weitere Namen, die Ihr Formular nicht hatte, etwa aus einer Zusammenführung: “Anna Merged ${tag}”.`,
		);
	});

	it("a speaker form open while its speaker was merged away keeps what was typed, on the survivor's form", async () => {
		const [a, b] = [await account("editor"), await account("editor")];
		const tag = newId();
		const x = await makeClaim({ speaker: { name: `Kai Gone ${tag}`, aliases: [`K. Gone ${tag}`] } });
		const y = await makeClaim({ speaker: { name: `Kai Kept ${tag}` } });
		const from = x.speaker?.slug ?? "";
		const into = y.speaker?.slug ?? "";
		const form = await (await deskGet(a, `/desk/speakers/${from}?lang=de`)).text();
		const merged = await deskPost(b, `/desk/speakers/${from}/merge`, { into, _idem: newToken(18) });
		expect(merged.status).toBe(303);

		const saved = await deskPost(a, `/desk/speakers/${from}?lang=de`, {
			version: hidden(form, "version") ?? "",
			name: `Kai Typed ${tag}`,
			kind: "organization",
			description: "Typed by A",
			wikidataId: "",
			aliases: `Typed Alias ${tag}`,
			_idem: newToken(18),
		});
		const html = await saved.text();
		expect(saved.status, html).toBe(409);
		expect(html).toContain(`Sprecher ${from} wurde inzwischen mit Kai Kept ${tag} zusammengeführt`);
		// The survivor's form as it is, A's typed name and aliases among its spellings; A's
		// description and kind were the other speaker's: sending again must not put them over it.
		expect(html).toContain(`action="/desk/speakers/${into}"`);
		expect(html).toMatch(new RegExp(`<input[^>]*name="name"[^>]*value="Kai Kept ${tag}"`));
		expect(html).not.toContain("Typed by A");
		const aliases =
			/<textarea[^>]*name="aliases"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1]?.split("\n") ?? [];
		expect(aliases.sort()).toEqual(
			[`K. Gone ${tag}`, `Kai Gone ${tag}`, `Kai Typed ${tag}`, `Typed Alias ${tag}`].sort(),
		);
		const survivor = await json<{ version: number; name: string; description: string | null }>(
			await call(`/api/v1/speakers/${into}`),
		);
		expect(hidden(html, "version")).toBe(String(survivor.version));
		// Nothing was saved.
		expect(survivor).toMatchObject({ name: `Kai Kept ${tag}`, description: null });

		// A merge sent from the old page: the survivor's page, saying so; nothing merged.
		const again = await deskPost(a, `/desk/speakers/${from}/merge`, {
			into: `nobody-${tag}`,
			_idem: newToken(18),
		});
		expect(again.status).toBe(409);
		expect(await again.text()).toContain(
			`Speaker ${from} was merged into Kai Kept ${tag} meanwhile: nothing was merged.`,
		);

		// The old desk page leads to the survivor's; a slug that never was a speaker is a 404.
		const old = await deskGet(a, `/desk/speakers/${from}`);
		expect(old.status).toBe(302);
		expect(old.headers.get("location")).toBe(`/desk/speakers/${into}`);
		const never = await deskGet(a, `/desk/speakers/never-${tag}?lang=de`);
		expect(never.status).toBe(404);
		expect(await never.text()).toContain("<p>Diese Person oder Organisation gibt es nicht.</p>");
	});
});
