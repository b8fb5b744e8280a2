import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stem, stemTokens } from "../../src/domain/stemming";

describe("stem (English, Porter2)", () => {
	// Words and stems from the Porter2 definition and its sample vocabulary (snowballstem.org).
	it.each([
		["wages", "wage"],
		["running", "run"],
		["generously", "generous"],
		["national", "nation"],
		["consign", "consign"],
		["consigned", "consign"],
		["consignment", "consign"],
		["consistency", "consist"],
		["consolingly", "consol"],
		["consolatory", "consolatori"],
		["conspiracy", "conspiraci"],
		["constable", "constabl"],
		["knackeries", "knackeri"],
		["knightly", "knight"],
		["knives", "knive"],
		["knitting", "knit"],
		["kneeling", "kneel"],
		["caresses", "caress"],
		["ponies", "poni"],
		["ties", "tie"],
		["cries", "cri"],
		["gas", "gas"],
		["gaps", "gap"],
		["hoped", "hope"],
		["hopping", "hop"],
		["agreed", "agre"],
		["relational", "relat"],
		["conditional", "condit"],
		["hopefulness", "hope"],
		["communism", "communism"],
		["generate", "generat"],
		["sensibiliti", "sensibl"],
		["electrical", "electr"],
		["adoption", "adopt"],
		["effective", "effect"],
	])("%s → %s", (word, expected) => {
		expect(stem(word, "en")).toBe(expected);
	});

	it("keeps Porter2's exceptions and short words", () => {
		expect(stem("skies", "en")).toBe("sky");
		expect(stem("dying", "en")).toBe("die");
		expect(stem("news", "en")).toBe("news");
		expect(stem("inning", "en")).toBe("inning");
		expect(stem("proceed", "en")).toBe("proceed");
		expect(stem("by", "en")).toBe("by");
	});

	it("treats a y after a vowel as a consonant and strips possessives", () => {
		expect(stem("says", "en")).toBe("say");
		expect(stem("Germany's", "en")).toBe("germani");
		expect(stem("Germany’s", "en")).toBe("germani");
		expect(stem("doesn't", "en")).toBe("doesnt");
	});

	it("uses the English stemmer for any en-* tag", () => {
		expect(stem("wages", "en-GB")).toBe("wage");
	});
});

describe("stem (German Snowball)", () => {
	it.each([
		["Häuser", "haus"],
		["Häusern", "haus"],
		["aufeinander", "aufeinand"],
		["aufeinanderbiss", "aufeinanderbiss"],
		["aufeinanderfolge", "aufeinanderfolg"],
		["aufeinanderfolgenden", "aufeinanderfolg"],
		["aufeinanderfolgt", "aufeinanderfolgt"],
		["aufeinanderschlügen", "aufeinanderschlug"],
		["aufenthaltsort", "aufenthaltsort"],
		["käuflich", "kauflich"],
		["kategorisch", "kategor"],
		["katholischen", "kathol"],
		["Arbeitslosigkeit", "arbeitslos"],
		["Arbeitslosen", "arbeitslos"],
		["Arbeitslosenquote", "arbeitslosenquot"],
		["Ergebnisse", "ergebnis"],
		["Bundesregierung", "bundesregier"],
		["Möglichkeit", "moglich"],
		["abhängig", "abhang"],
		["Straße", "strass"],
	])("%s → %s", (word, expected) => {
		expect(stem(word, "de")).toBe(expected);
	});

	it("reads u and y between vowels as consonants", () => {
		// "bauen": u between a and e is a consonant, so R1 starts after "bau", and -en goes.
		expect(stem("bauen", "de")).toBe("bau");
		expect(stem("Steuer", "de")).toBe("steu");
	});

	it("folds umlauts only after stemming, and composes decomposed input", () => {
		expect(stem("Flüchtlinge", "de")).toBe("fluchtling");
		expect(stem("Flu\u0308chtlinge", "de")).toBe("fluchtling");
		expect(stem("zwölf", "de-AT")).toBe("zwolf");
	});
});

describe("stem (other languages)", () => {
	it("lower-cases only", () => {
		expect(stem("Wybory", "pl")).toBe("wybory");
		expect(stem("Выборы", "ru")).toBe("выборы");
	});
});

describe("stemTokens", () => {
	it("splits on anything but letters and digits and stems each word", () => {
		expect(stemTokens("Die Arbeitslosenquote ist 2024 auf 6,1 Prozent gestiegen.", "de")).toEqual([
			"die",
			"arbeitslosenquot",
			"ist",
			"2024",
			"auf",
			"6",
			"1",
			"prozent",
			"gestieg",
		]);
		expect(stemTokens("Germany's wages — “rising” fast", "en")).toEqual(["germani", "wage", "rise", "fast"]);
	});

	it("gives one FTS5 token per word, the word's own stem, whatever the text", () => {
		fc.assert(
			fc.property(
				fc.string({ unit: "grapheme", maxLength: 60 }),
				fc.constantFrom("de", "en", "fr"),
				(text, language) => {
					const tokens = stemTokens(text, language);
					expect(tokens.every((t) => /^[\p{L}\p{M}\p{N}]+$/u.test(t))).toBe(true);
					const words =
						text.normalize("NFC").match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019][\p{L}\p{M}\p{N}]+)*/gu) ??
						[];
					expect(tokens).toEqual(words.map((w) => stem(w, language)).filter((t) => t !== ""));
				},
			),
		);
	});

	// No timing bound (a busy machine is no measure): only a reading far from linear runs into
	// the test's timeout, a weaker guard than a bound.
	it("reads long input", { timeout: 60_000 }, () => {
		const text = "Arbeitslosigkeit aufeinanderfolgenden generously ".repeat(20_000);
		expect(stemTokens(text, "de")).toHaveLength(60_000);
		expect(stemTokens(text, "en")).toHaveLength(60_000);
	});
});
