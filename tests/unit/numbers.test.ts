import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numberTokens, parseDigits, queryNumberTokens } from "../../src/domain/numbers";

/** Tokens without the private-use mark that keeps them from meeting a word: "n1000". */
const shown = (tokens: string[]) => tokens.map((t) => t.replace(/^\ue000/, ""));
const inText = (text: string, language: string) => shown(numberTokens(text, language));
const inQuery = (word: string) => shown(queryNumberTokens(word));

describe("numbers in a text, read in its language", () => {
	it.each([
		["1.000 Soldaten", "de", ["n1000"]],
		["1,000 soldiers", "en", ["n1000"]],
		["1.000.000 Euro", "de", ["n1000000"]],
		["1,000,000 dollars", "en", ["n1000000"]],
		["1,5 Millionen", "de", ["n1d5"]],
		["1.5 million", "en", ["n1d5"]],
		["1.234,56 Euro", "de", ["n1234d56"]],
		["1,234.56 dollars", "en", ["n1234d56"]],
		["12,50 Euro", "de", ["n12d5"]],
		["1234.5 km", "de", ["n1234d5"]],
		// German text keeps German reading of one ambiguous group, English the English one;
		// the other language's separator before three digits ending in 0 groups thousands.
		["1,234 Soldaten", "de", ["n1d234"]],
		["1.234 soldiers", "en", ["n1d234"]],
		["1,000 Soldaten", "de", ["n1000"]],
		["1.000 soldiers", "en", ["n1000"]],
		["300.000 soldiers", "en", ["n300000"]],
		["300,000 Soldaten", "de", ["n300000"]],
		["2,50 Euro", "de", ["n2d5"]],
		// Spaces of any width group thousands; a first group of four digits is no group.
		["12 000 Leute", "de", ["n12000"]],
		["12\u202f000 Leute und 3\u00a0500\u2009000 Euro", "de", ["n12000", "n3500000"]],
		["im Jahr 2023 300 Menschen", "de", ["n300"]],
		["1.000-2.000 Soldaten", "de", ["n1000", "n2000"]],
	])("%s (%s) → %j", (text, language, tokens) => {
		expect(inText(text, language)).toEqual(tokens);
	});

	it("reads other languages as a search does: groups of three are thousands, else decimals", () => {
		expect(inText("1.000 soldats, 1 000 euros, 1,5 million", "fr")).toEqual(["n1000", "n1000", "n1d5"]);
		expect(inText("1.234 personnes", "fr")).toEqual(["n1234", "n1d234"]);
	});

	it("adds a percentage's token for %, Prozent, percent, pct and per cent, not for Prozentpunkte", () => {
		expect(inText("12 % und 12% und 3,5 Prozent", "de")).toEqual([
			"n12",
			"n12pct",
			"n12",
			"n12pct",
			"n3d5",
			"n3d5pct",
		]);
		expect(inText("12 percent, 4 per cent, 7 pct", "en")).toEqual([
			"n12",
			"n12pct",
			"n4",
			"n4pct",
			"n7",
			"n7pct",
		]);
		expect(inText("2 Prozentpunkte", "de")).toEqual(["n2"]);
	});

	it("leaves years as they are written: 1990–2099 alone is a year, 2.024 is a count", () => {
		expect(inText("1990, 2024 und 2099", "de")).toEqual([]);
		expect(inText("2.024 Menschen, 1899 Menschen, 2100 Menschen", "de")).toEqual(["n2024", "n1899", "n2100"]);
	});

	it.each([
		["1.000.00", "de"],
		["192.168.0.1", "en"],
		["12.07.2025", "de"],
		["2025-07-12", "de"],
		["1,2,3", "en"],
		["1.234,567,8", "de"],
		["COVID-19", "en"],
		["F-16 und 5G", "de"],
		["N95", "en"],
		["2nd", "en"],
		["0176 0123", "de"],
		["007", "en"],
		["1234567890123456", "en"],
		["10:30 Uhr, 3:1", "de"],
	])("gives junk no token: %s (%s)", (text, language) => {
		expect(inText(text, language)).toEqual([]);
	});

	it("reads a phone number's digit groups, nothing larger than the number", () => {
		// A search for these digits finds it, as it does the digits written; nothing else does.
		expect(inText("+49 30 1234567", "de")).toEqual(["n49", "n30", "n1234567"]);
	});

	it("never throws, and every token is n<digits>[d<digits>][pct] with the mark", () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[0-9 .,%\u00a0\u202fa-zP]{0,40}$/),
				fc.constantFrom("de", "en", "fr"),
				(text, language) => {
					for (const token of numberTokens(text, language)) {
						expect(token).toMatch(/^\ue000n(?:0|[1-9]\d{0,14})(?:d\d+)?(?:pct)?$/);
					}
				},
			),
			{ numRuns: 2000 },
		);
		const long = "1.000 Soldaten, 12 % ".repeat(20_000);
		expect(numberTokens(long, "de")).toHaveLength(60_000);
	});
});

describe("a number in a search, whose language is unknown", () => {
	it.each([
		["1000", ["n1000"]],
		["1.000", ["n1000"]],
		["1,000", ["n1000"]],
		["1.000.000", ["n1000000"]],
		["1,5", ["n1d5"]],
		["1.5", ["n1d5"]],
		["1,50", ["n1d5"]],
		["12.500", ["n12500"]],
		// Both readings where both are plausible; "1.000" as 1.0 is not.
		["1.234", ["n1234", "n1d234"]],
		["1,234", ["n1234", "n1d234"]],
		["1.234,5", ["n1234d5"]],
		["12%", ["n12pct"]],
		["12,5%", ["n12d5pct"]],
		// A year is also a count in a search: "2000" finds "2.000 Soldaten" too.
		["2024", ["n2024"]],
		["1000.", ["n1000"]],
		["0", ["n0"]],
		["0,5", ["n0d5"]],
	])("%s → %j", (word, tokens) => {
		expect(inQuery(word)).toEqual(tokens);
	});

	it.each(["1.000.00", "192.168.0.1", "12.07.2025", "0176", "abc", "12a", "%", "", "1e5", "-5"])(
		"%j is no number",
		(word) => {
			expect(inQuery(word)).toEqual([]);
		},
	);
});

describe("the claim matcher's reading of digits", () => {
	it("reads a no-break or narrow no-break space as grouping thousands, in German as in English", () => {
		for (const german of [true, false]) {
			expect(parseDigits("1\u00a0000", german)).toBe(1000);
			expect(parseDigits("12\u202f500\u202f000", german)).toBe(12_500_000);
		}
		expect(parseDigits("1\u00a0000,5", true)).toBe(1000.5);
		expect(parseDigits("1\u00a0000.5", false)).toBe(1000.5);
	});

	it("reads a plain space as grouping, and three digits ending in 0 after either separator as thousands", () => {
		expect(parseDigits("300 000", true)).toBe(300_000);
		expect(parseDigits("300.000", false)).toBe(300_000);
		expect(parseDigits("1,000", true)).toBe(1000);
		// Not ending in 0: the language's decimal (the matcher marks it as read two ways).
		expect(parseDigits("1.234", false)).toBe(1.234);
		expect(parseDigits("1.5", false)).toBe(1.5);
		expect(parseDigits("1234.000", false)).toBe(1234);
	});
});
