import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { edit, makeClaim, publish, reload, retract } from "../factories";
import { call, purgeClaim } from "../helpers";

const html = { headers: { Accept: "text/html" } };

/** The part of a page between its h1 and the verdict's section: what the version quotes. */
function quoteOf(page: string): string {
	const start = page.indexOf("<h1");
	return page.slice(start, page.indexOf("<section", start));
}

describe("a past verdict version's page", () => {
	it("quotes the claim as it was worded when that version was published, in its language", async () => {
		const original = `Die Luftverbindungen seien wiederhergestellt ${newId()}`;
		const claim = await makeClaim({ language: "de", text: original });
		const first = await publish(claim.id, "false", { language: "de", headline: `Erste ${newId()}` });
		const edited = `The air links are restored ${newId()}`;
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			text: edited,
			language: "en",
			note: "Quoted from the English transcript.",
		});
		const second = await publish(claim.id, "misleading", {
			language: "en",
			headline: `Second ${newId()}`,
			correctionNote: "Checked against the transcript.",
		});

		for (const [lang, notice] of [
			["en", "The claim’s wording has changed since this version."],
			["de", "Der Wortlaut der Behauptung hat sich seit dieser Version geändert."],
		] as const) {
			const page = await (await call(`/claims/${claim.id}/verdicts/${first.id}?lang=${lang}`, html)).text();
			const quote = quoteOf(page);
			// The heading comes first, then the wording that was checked, in its own language.
			expect(page.indexOf("<h1")).toBeLessThan(page.indexOf(original));
			expect(quote).toContain(original);
			expect(quote).toMatch(/<p class="quote" lang="de"/);
			expect(quote).not.toContain(edited);
			expect(quote).toContain(notice);
			expect(quote).toContain(`href="/claims/${claim.id}#changes-h"`);
		}

		// The current version quotes today's wording and says nothing changed.
		const current = quoteOf(
			await (await call(`/claims/${claim.id}/verdicts/${second.id}?lang=en`, html)).text(),
		);
		expect(current).toContain(edited);
		expect(current).toMatch(/<p class="quote" lang="en"/);
		expect(current).not.toContain(original);
		expect(current).not.toContain("has changed since");
	});

	it("says nothing of a change when the wording stayed (a context edit)", async () => {
		const claim = await makeClaim({ language: "de" });
		const first = await publish(claim.id, "false");
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			context: "Said in an interview.",
			note: "Context added.",
		});
		const page = await (await call(`/claims/${claim.id}/verdicts/${first.id}?lang=en`, html)).text();
		expect(quoteOf(page)).toContain(claim.text);
		expect(page).not.toContain("has changed since");
	});

	it("of a superseded version says when and by which version, with that version's correction note", async () => {
		const claim = await makeClaim({ language: "de" });
		const first = await publish(claim.id, "false", { headline: `Falsch ${newId()}` });
		const second = await publish(claim.id, "true", {
			headline: `Richtig ${newId()}`,
			correctionNote: "Wir hatten den Haushalt 2023 statt 2024 gelesen.",
		});
		// Midday publications: the same calendar day in any newsroom's time zone.
		await env.DB.batch([
			env.DB.prepare("UPDATE verdicts SET published_at = ? WHERE id = ?").bind(
				"2026-03-09T12:00:00.000Z",
				first.id,
			),
			env.DB.prepare("UPDATE verdicts SET published_at = ? WHERE id = ?").bind(
				"2026-03-10T12:00:00.000Z",
				second.id,
			),
		]);
		await purgeClaim(claim.id);
		const text = (page: string) =>
			page
				.slice(page.indexOf("<main"), page.indexOf("</main>"))
				.replace(/<[^>]+>/g, " ")
				.replace(/\s+/g, " ");
		for (const [lang, superseded, note] of [
			[
				"en",
				"Superseded 10 March 2026 by Version 2",
				"Correction in version 2: Wir hatten den Haushalt 2023 statt 2024 gelesen.",
			],
			[
				"de",
				"Ersetzt 10. März 2026 durch Version 2",
				"Korrektur in Version 2: Wir hatten den Haushalt 2023 statt 2024 gelesen.",
			],
		] as const) {
			const page = await (await call(`/claims/${claim.id}/verdicts/${first.id}?lang=${lang}`, html)).text();
			expect(text(page)).toContain(superseded);
			expect(page).toContain(`href="/claims/${claim.id}/verdicts/${second.id}"`);
			expect(text(page)).toContain(note);
			// The note is the corrector's, in the correction's language.
			expect(page).toMatch(/<bdi lang="de">Wir hatten den Haushalt/);
		}

		// Retracted since, the correction still dates and explains the version it replaced;
		// its own page says it was retracted, and says nothing of being superseded.
		await retract(second.id, (await reload(claim.id)).verdicts.find((v) => v.id === second.id)?.version ?? 0);
		const first2 = text(await (await call(`/claims/${claim.id}/verdicts/${first.id}?lang=en`, html)).text());
		expect(first2).toContain("Superseded 10 March 2026 by Version 2");
		const second2 = text(
			await (await call(`/claims/${claim.id}/verdicts/${second.id}?lang=en`, html)).text(),
		);
		expect(second2).toContain("Version 2 · Retracted");
		expect(second2).not.toContain("Superseded");
		expect(second2).not.toContain("Correction in version");
	});
});
