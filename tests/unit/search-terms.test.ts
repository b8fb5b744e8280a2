import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEARCH_SYNTAX_HELP, SearchSyntaxError, toFtsQuery } from "../../src/domain/search-query";
import { searchTermsOf } from "../../src/domain/search-terms";

describe("searchTermsOf", () => {
	it("stems text and context in the claim's language, headline and summary in the verdict's", () => {
		expect(
			searchTermsOf({
				text: "Die Löhne steigen",
				context: "Lohnerhöhungen",
				headline: "Wages are not rising",
				summary: null,
				language: "de",
				verdictLanguage: "en",
			}),
		).toBe("die lohn steig lohnerhoh wage are not rise");
	});

	it("uses the claim's language for the verdict when the verdict's is not given", () => {
		expect(
			searchTermsOf({ text: "Wages", context: null, headline: "Jobs", summary: "Rents", language: "en" }),
		).toBe("wage job rent");
	});

	it("leaves headline and summary out when there is no current verdict", () => {
		expect(
			searchTermsOf({ text: "Rents rose", context: "", headline: null, summary: undefined, language: "en" }),
		).toBe("rent rose");
	});

	it("only lower-cases words of languages without a stemmer", () => {
		expect(
			searchTermsOf({ text: "Les Salaires", context: null, headline: null, summary: null, language: "fr" }),
		).toBe("les salaires");
	});

	it("is deterministic and linear: tokens in, one stem per word out", () => {
		fc.assert(
			fc.property(
				fc.string({ maxLength: 300 }),
				fc.constantFrom("de", "en", "en-GB", "de-AT", "pl"),
				(text, language) => {
					const input = { text, context: text, headline: text, summary: null, language };
					const terms = searchTermsOf(input);
					expect(searchTermsOf(input)).toBe(terms);
					expect(terms).not.toMatch(/["\s]{2}|^\s|\s$/);
				},
			),
			{ numRuns: 500 },
		);
		const long = "Lohnerhöhungen und Mieten ".repeat(4_000);
		const started = performance.now();
		searchTermsOf({ text: long, context: long, headline: null, summary: null, language: "de" });
		expect(performance.now() - started).toBeLessThan(2_000);
	});
});

describe("toFtsQuery with stems", () => {
	it("lets a word match its English and German stems in `terms`, once each", () => {
		expect(toFtsQuery("wages")).toBe('("wages" OR terms:"wage" OR terms:"wag")');
		expect(toFtsQuery("Löhne")).toBe('("Löhne" OR terms:"lohn")');
		// A word that is its own stem needs no second look: the word is searched in `terms` too.
		expect(toFtsQuery("harbour")).toBe('"harbour"');
		expect(toFtsQuery("doesn't")).toBe('("doesn t" OR terms:"doesnt")');
	});

	it("keeps phrases and prefixes exact, and excludes words as written", () => {
		expect(toFtsQuery('"wages rose"')).toBe('"wages rose"');
		expect(toFtsQuery("wag*")).toBe('"wag" *');
		// Grouped: FTS5 binds NOT tighter than OR, so without the parentheses "rents" was
		// left out of the claims with "wages" only.
		expect(toFtsQuery("jobs OR wages -rents")).toBe(
			'(("jobs" OR terms:"job") OR ("wages" OR terms:"wage" OR terms:"wag")) NOT "rents"',
		);
		// OR joins the two terms beside it; every group must appear.
		expect(toFtsQuery("harbour OR port shut")).toBe('("harbour" OR "port") AND "shut"');
		expect(toFtsQuery("harbour port -shut")).toBe('("harbour" AND "port") NOT "shut"');
		// OR beside an excluded word would join the next wanted one instead.
		expect(() => toFtsQuery("harbour -port OR shut")).toThrow(SearchSyntaxError);
		expect(() => toFtsQuery("harbour OR -port")).toThrow(SearchSyntaxError);
	});

	it("reads AND as a space and NOT word as -word", () => {
		expect(toFtsQuery("jobs AND harbour")).toBe(toFtsQuery("jobs harbour"));
		expect(toFtsQuery("harbour NOT jobs")).toBe(toFtsQuery("harbour -jobs"));
		// lower-case and, or, not, near are words like any other
		expect(toFtsQuery("not near")).toBe('"not" AND "near"');
	});

	it.each([
		["jobs NEAR wages", /NEAR is not supported/],
		["jobs NEAR/3 wages", /NEAR is not supported/],
		["NEAR(jobs wages)", /Parentheses/],
		["(a OR b)", /Parentheses/],
		["body:kursk", /Column filters/],
		["speaker : Lawrow", /Column filters/],
		["{body}: kursk", /Column filters/],
		['title:"kursk"', /Column filters/],
		["-terms:wag", /Column filters/],
		["^kursk", /\^/],
		["harbour AND", /AND needs a word on each side/],
		["OR harbour", /OR needs a word on each side/],
		["harbour NOT", /NOT needs a word after it/],
		["harbour OR NOT jobs", /OR NOT is not a search/],
	])("refuses %s, saying what is supported", (query, reason) => {
		expect(() => toFtsQuery(query)).toThrow(SearchSyntaxError);
		expect(() => toFtsQuery(query)).toThrow(reason);
		expect(() => toFtsQuery(query)).toThrow(SEARCH_SYNTAX_HELP);
	});

	it("searches FTS5 syntax inside quotes, and colons that are punctuation, as words", () => {
		expect(toFtsQuery('"body:kursk (NEAR)"')).toBe('"body kursk NEAR"');
		expect(toFtsQuery("Merz: Steuern")).toBe('"Merz" AND ("Steuern" OR terms:"steu")');
		expect(toFtsQuery("10:30")).toBe('"10 30"');
	});

	it("never lets user text out of quotes", () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 120, unit: "grapheme" }), (text) => {
				try {
					const expression = toFtsQuery(text);
					const outside = expression
						.replace(/(?:terms:)?"(?:[^"]|"")*"/g, "")
						.replace(/\b(?:AND|OR|NOT)\b|[()*]/g, "");
					expect(outside.trim()).toBe("");
				} catch (error) {
					expect(error).toBeInstanceOf(SearchSyntaxError);
				}
			}),
			{ numRuns: 1000 },
		);
	});
});
