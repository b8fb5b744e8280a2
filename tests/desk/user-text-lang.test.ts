import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { draft, makeClaim, publish, submit } from "../factories";
import { account, deskGet } from "./helpers";

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
