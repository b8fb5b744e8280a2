import { describe, expect, it } from "vitest";
import {
	type AttributionLabel,
	articleLanguage,
	attributionAccuracy,
	checkLabel,
	readArticle,
	readLabels,
} from "../../scripts/lib/attribution-accuracy";
import { extractClaims } from "../../src/domain/extraction";

/*
 * Attribution on the hand-labelled articles in tests/fixtures/articles (issue #15):
 * the share of claims given to the person a careful editor would name, and one
 * named case per construction news copy uses daily.
 */

describe("attribution accuracy on the labelled articles", () => {
	const result = attributionAccuracy();

	it("covers at least eight articles and a hundred labelled claims", () => {
		expect(result.articles).toBeGreaterThanOrEqual(8);
		expect(result.labelled).toBeGreaterThanOrEqual(100);
	});

	it("gives at least 90% of the labelled claims to the right speaker", () => {
		const misses = result.misses.map((m) => `${m.article}: “${m.quote}” → ${m.actual} (want ${m.expected})`);
		expect(result.accuracy, misses.join("\n")).toBeGreaterThanOrEqual(0.9);
	});

	it("labels every construction several times", () => {
		for (const [construction, tally] of Object.entries(result.byConstruction))
			expect(tally.labelled, construction).toBeGreaterThanOrEqual(5);
	});
});

/* Checks the one label of `article` whose quote is `quote`, as the accuracy does. */
function expectAttributed(article: string, quote: string, speaker: string): void {
	const label = readLabels()[article]?.find((l: AttributionLabel) => l.quote === quote);
	expect(label, `label “${quote}” in ${article}`).toMatchObject({ speaker });
	if (!label) return;
	const candidates = extractClaims(readArticle(article), { language: articleLanguage(article) });
	expect(checkLabel(article, candidates, label)).toBeNull();
}

describe("each construction, by a named case", () => {
	it("apposition before the verb: „Die Landrätin des Kreises, Anna Berger, räumte … ein: „…“ → Anna Berger", () => {
		expectAttributed(
			"klinikfusion-loerrach.de.txt",
			"48 Millionen Euro werden wir nicht halten",
			"Anna Berger",
		);
	});

	it('apposition before the verb: "The county\'s treasurer, John Smith, admitted: "…"" → John Smith', () => {
		expectAttributed("county-pension-error.en.txt", "nobody in this office checked twice", "John Smith");
	});

	it("role noun referring back: „Die Landrätin kündigte außerdem an, …“ → Anna Berger", () => {
		expectAttributed("klinikfusion-loerrach.de.txt", "Die Landrätin kündigte außerdem an", "Anna Berger");
	});

	it('role noun referring back: "The treasurer added that …" → John Smith', () => {
		expectAttributed("county-pension-error.en.txt", "property tax bills would not rise", "John Smith");
	});

	it("reported speech with dass and Konjunktiv: „Berger betonte, dass … gestiegen seien“ → Anna Berger", () => {
		expectAttributed("klinikfusion-loerrach.de.txt", "um fast ein Viertel gestiegen seien", "Anna Berger");
	});

	it("reported speech without dass: „Der Kämmerer räumte ein, die Rücklagen … reichten …“ → Jens Hofmann", () => {
		expectAttributed("klinikfusion-loerrach.de.txt", "Rücklagen des Kreises reichten", "Jens Hofmann");
	});

	it('same surname told apart: "Smith, the treasurer, said …" → Erica Smith', () => {
		expectAttributed("rainy-day-fund.en.txt", "the spending cap had worked", "Erica Smith");
	});

	it('same surname told apart: "Smith, the former governor, said …" → Daniel Smith', () => {
		expectAttributed("rainy-day-fund.en.txt", "the fund was too large", "Daniel Smith");
	});

	it('same surname, by role only later: "The former governor said …" → Daniel Smith', () => {
		expectAttributed("rainy-day-fund.en.txt", "campaign for a ballot measure", "Daniel Smith");
	});

	it("same surname told apart: „Müller, der Bürgermeister, …“ / „Müller, die Fraktionschefin, …“", () => {
		expectAttributed("hallenbad-waldkirch.de.txt", "auf Dauer günstiger", "Gerd Müller");
		expectAttributed(
			"hallenbad-waldkirch.de.txt",
			"den Schulen für Jahre den Schwimmunterricht",
			"Ilse Müller",
		);
	});
});
