import { describe, expect, it } from "vitest";
import type { UiLanguage } from "../../src/domain/ratings";
import type { SpeakerWithAliases } from "../../src/store/speakers";
import { SpeakerPage } from "../../src/views/pages/speaker-page";
import { scorecardToJson } from "../../src/views/speaker-json";

const speaker: SpeakerWithAliases = {
	id: "s0000000000001",
	slug: "many-claims",
	name: "Many Claims",
	kind: "person",
	description: null,
	wikidataId: null,
	aliases: [],
	version: 1,
	createdAt: "2025-07-12T08:00:00.000Z",
	updatedAt: "2025-07-12T08:00:00.000Z",
	createdBy: null,
};

/** The speaker page's scorecard chart (the SVG) for one count of "false" and one of "true". */
function chart(lang: UiLanguage, falseCount: number, trueCount = 0): string {
	const counts = [
		{ status: "false" as const, n: falseCount },
		{ status: "true" as const, n: trueCount },
	];
	const scorecard = scorecardToJson({ counts, claims: falseCount + trueCount }, lang);
	const page = String(SpeakerPage({ speaker, scorecard, claims: "", lang }));
	return page.slice(page.indexOf("<svg"), page.indexOf("</svg>"));
}

/** The count label right of a rating's bar, where it starts, and the chart's width. */
function barLabel(svg: string, rating: string): { text: string; x: number; width: number } {
	const row = svg.split("<g>").find((g) => g.includes(`>${rating}</text>`)) ?? "";
	const [, x = "0", text = ""] =
		/<text x="([\d.]+)" y="[\d.]+" font-size="13" fill="currentColor">([^<]*)<\/text><\/g>/.exec(row) ?? [];
	const width = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
	return { text, x: Number(x), width };
}

describe("the scorecard chart writes numbers as its page does", () => {
	it("groups thousands and writes the share as the language does, in the bars and the chart's name", () => {
		const en = chart("en", 1234, 1);
		expect(barLabel(en, "False").text).toBe("1,234 (100%)");
		expect(barLabel(en, "True").text).toBe("1 (0%)");
		expect(en).toMatch(
			/<title id="scorecard-title">Ratings of 1,235 published fact-checks: [^<]*True 1, [^<]*False 1,234, /,
		);

		const de = chart("de", 1234, 1);
		// German puts a no-break space before the percent sign.
		expect(barLabel(de, "Falsch").text).toBe("1.234 (100\u00a0%)");
		expect(de).toMatch(
			/<title id="scorecard-title">Bewertungen aus 1\.235 veröffentlichten Faktenchecks: [^<]*Falsch 1\.234, /,
		);
	});

	it("leaves room for the longest label right of the longest bar, still 360 units wide", () => {
		// Chromium's widths of these labels in 13-unit system-ui (Debian's DejaVu Sans, a wide one).
		for (const [lang, count, drawn] of [
			["de", 1234, 93],
			["en", 1234, 89],
			["de", 999_999, 109],
		] as const) {
			const svg = chart(lang, count);
			const label = barLabel(svg, lang === "de" ? "Falsch" : "False");
			expect(label.width - label.x, `${lang} ${count}`).toBeGreaterThanOrEqual(drawn);
			expect(label.width, `${lang} ${count}`).toBe(360);
		}
		// Without a published verdict the bars say the bare count.
		expect(barLabel(chart("de", 0), "Falsch").text).toBe("0");
	});
});
