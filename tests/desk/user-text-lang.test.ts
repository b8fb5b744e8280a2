import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish, submit } from "../factories";
import { call } from "../helpers";
import { account, deskGet, deskPost } from "./helpers";

/**
 * Words a person wrote are marked with their language on the desk too, as the claim lists
 * already did: a screen reader read a French claim quoted in the review queue, the drafts'
 * lists and the dashboard, and a verdict's headline, summary and body on the claim page, with
 * the desk's English or German voice.
 */

/** The elements holding `text` directly, with their lang attribute (null: none). */
function langsOf(html: string, text: string): (string | null)[] {
	const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	return [...html.matchAll(new RegExp(`<(?:a|span|p|bdi)\\b([^>]*)>\\s*${escaped}`, "g"))].map(
		(m) => /\blang="([^"]+)"/.exec(m[1] ?? "")?.[1] ?? null,
	);
}

describe("desk lists and the claim page mark user text with its language", () => {
	for (const ui of ["en", "de"] as const) {
		it(`the quote of a claim in the review queue, the drafts' lists and the dashboard (${ui})`, async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const text = `La Terre est plate ${newId()}`;
			const claim = await makeClaim({ text, language: "fr" });
			const open = await draft(claim.id, `Projet ${newId()}`, checker.user.id);
			// The lists show the 50 longest open or waiting: dated first, the suite's other drafts
			// in the shared database cannot push it out.
			const longAgo = (column: string) =>
				env.DB.prepare(`UPDATE verdicts SET ${column} = '2000-01-01T00:00:00.000Z' WHERE id = ?`)
					.bind(open.id)
					.run();
			await longAgo("created_at");
			const q = ui === "de" ? "?lang=de" : "";
			// "My drafts" of its writer.
			const mine = await (await deskGet(checker, `/desk${q}`)).text();
			expect(langsOf(mine, text)).toContain("fr");
			expect(langsOf(mine, text)).not.toContain(null);
			// Being written, on the dashboard.
			const writing = await (await deskGet(editor, `/desk/dashboard${q}`)).text();
			expect(langsOf(writing, text).length).toBeGreaterThan(0);
			expect(langsOf(writing, text).every((lang) => lang === "fr")).toBe(true);
			await submit(open);
			await longAgo("submitted_at");
			// The review queue, on the desk home and the dashboard.
			for (const path of [`/desk${q}`, `/desk/dashboard${q}`]) {
				const html = await (await deskGet(editor, path)).text();
				expect(langsOf(html, text).length, path).toBeGreaterThan(0);
				expect(
					langsOf(html, text).every((lang) => lang === "fr"),
					path,
				).toBe(true);
			}
		});

		it(`a verdict's headline, summary and body on the claim page (${ui})`, async () => {
			const editor = await account("editor");
			const claim = await makeClaim({ language: "fr" });
			const headline = `Faux ${newId()}`;
			await publish(claim.id, "false", { headline, summary: `Résumé ${newId()}`, language: "fr" });
			const html = await (
				await deskGet(editor, `/desk/claims/${claim.id}${ui === "de" ? "?lang=de" : ""}`)
			).text();
			expect(langsOf(html, headline)).toEqual(["fr"]);
			expect(html).toMatch(/<p class="keep-lines" lang="fr" dir="auto">\s*Résumé /);
			expect(html).toMatch(/<p class="body" lang="fr">\s*The long explanation\./);
		});
	}
});

/** The lang attribute of the form field named `name` (null: none; undefined: no such field). */
function fieldLang(html: string, name: string): string | null | undefined {
	const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const tag = new RegExp(`<(?:input|textarea)\\b[^>]*\\bname="${escaped}"[^>]*>`).exec(html)?.[0];
	if (tag === undefined) return undefined;
	return /\blang="([^"]+)"/.exec(tag)?.[1] ?? null;
}

describe("typed text carries its language in the desk's forms", () => {
	for (const ui of ["en", "de"] as const) {
		const q = ui === "de" ? "?lang=de" : "";

		it(`the verdict form: headline, summary, body and evidence titles in the verdict's language (${ui})`, async () => {
			const editor = await account("editor");
			const claim = await makeClaim({ language: "fr" });
			await publish(claim.id, "false", { headline: `Faux ${newId()}`, language: "fr" });
			// A correction's form starts from the published verdict, in French.
			const form = await (await deskGet(editor, `/desk/claims/${claim.id}/verdicts/new${q}`)).text();
			expect(form).toContain(`<html lang="${ui}"`);
			for (const name of ["headline", "summary", "body", "evidence.0.title", "evidence.2.title"]) {
				expect(fieldLang(form, name), name).toBe("fr");
			}
			// An address, a code: no language of their own.
			expect(fieldLang(form, "evidence.0.url")).toBeNull();
			expect(fieldLang(form, "languageOther")).toBeNull();

			// Sent back with an error, in a language typed under "other": that one.
			const refused = await deskPost(editor, `/desk/claims/${claim.id}/verdicts${q}`, {
				rating: "false",
				headline: "",
				summary: "Resumo",
				body: "",
				language: "other",
				languageOther: "pt-BR",
				evidenceRows: "3",
				_idem: newToken(18),
			});
			expect(refused.status).toBe(422);
			const again = await refused.text();
			expect(fieldLang(again, "headline")).toBe("pt-BR");
			expect(fieldLang(again, "summary")).toBe("pt-BR");
		});

		it(`the claim edit form: the words and their context in the claim's language (${ui})`, async () => {
			const editor = await account("editor");
			const claim = await makeClaim({ text: `La Terre est plate ${newId()}`, language: "fr" });
			const form = await (await deskGet(editor, `/desk/claims/${claim.id}/edit${q}`)).text();
			expect(fieldLang(form, "text")).toBe("fr");
			expect(fieldLang(form, "context")).toBe("fr");
			// The desk's own: a speaker's name, the edit note.
			expect(fieldLang(form, "speaker.name")).toBeNull();
			expect(fieldLang(form, "note")).toBeNull();
		});
	}
});

describe("the public claim and version pages mark an evidence link with the verdict's language", () => {
	it("as they mark its body", async () => {
		const claim = await makeClaim({ language: "fr" });
		const title = `Rapport du ministère ${newId()}`;
		const verdict = await publish(claim.id, "false", {
			language: "fr",
			evidence: [{ url: `https://evidence.example/${newId()}`, title }],
		});
		for (const path of [
			`/claims/${claim.id}?lang=en`,
			`/claims/${claim.id}/verdicts/${verdict.id}?lang=de`,
		]) {
			const html = await (await call(path, { headers: { Accept: "text/html" } })).text();
			expect(html, path).toMatch(
				new RegExp(
					`<a href="https://evidence\\.example/[^"]+" rel="noopener nofollow" lang="fr" dir="auto">\\s*${title}`,
				),
			);
		}
	});
});
