/// <reference path="../raw.d.ts" />
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	ColumnMappingError,
	columnMappingSchema,
	createDelimitedImporter,
	createLiarImporter,
	createRatingTable,
	DEFAULT_RATING_ENTRIES,
	DEFAULT_RATING_TABLE,
	DelimitedParser,
	type DelimitedRow,
	decodeChunks,
	decodeText,
	extractJsonLdBlocks,
	formatOriginalRating,
	type ImportRejection,
	type ImportResult,
	importDelimited,
	importLanguageTag,
	importLanguageTagOrName,
	importLiar,
	iterateDelimited,
	LenientUtf8Decoder,
	mapClaimReviewDocuments,
	mapLiarRow,
	mapNumericRating,
	mapTextualRating,
	parseClaimReviewDocument,
	parseDelimited,
	speakerNameFromSlug,
	streamClaimIds,
} from "../../scripts/lib/import-mapping";
import { resolveRating } from "../../scripts/lib/import-mapping/textual-ratings";
import { ratingWords } from "../../src/domain/original-rating";
import { isRatingKey, RATINGS } from "../../src/domain/ratings";
import { type ImportRecord, importRecordSchema, onNewsroomDays } from "../../src/schemas/import-record";
import arrayJson from "../fixtures/import/array.json?raw";
import brokenJson from "../fixtures/import/broken-json.txt?raw";
import claimsCsv from "../fixtures/import/claims.csv?raw";
import claimsMapping from "../fixtures/import/claims.mapping.json";
import correctivHtml from "../fixtures/import/correctiv.html?raw";
import creativeWorkJson from "../fixtures/import/creative-work.json?raw";
import dataFeedJson from "../fixtures/import/datafeed.json?raw";
import graphJson from "../fixtures/import/graph.json?raw";
import liarTsv from "../fixtures/import/liar-sample.tsv?raw";
import noClaimReviewedJson from "../fixtures/import/no-claim-reviewed.json?raw";
import otherTypeJson from "../fixtures/import/other-type.json?raw";
import singleJson from "../fixtures/import/single.json?raw";

/** Every record an importer returns must be one the import endpoint accepts. */
function expectValid(result: ImportResult): void {
	for (const record of result.records) expect(importRecordSchema.parse(record)).toEqual(record);
}

describe("textual ratings", () => {
	it.each([
		["True", "true"],
		["Mostly True", "mostly-true"],
		["Half True", "half-true"],
		["Mostly False", "mostly-false"],
		["False", "false"],
		["Pants on Fire", "false"],
		["Pants on Fire!", "false"],
	])("maps PolitiFact's %s to %s", (text, key) => {
		expect(mapTextualRating(text)).toBe(key);
	});

	it.each([
		["richtig", "true"],
		["Größtenteils richtig", "mostly-true"],
		["Teilweise richtig", "half-true"],
		["Fehlender Kontext", "missing-context"],
		["Irreführend", "misleading"],
		["Größtenteils falsch", "mostly-false"],
		["Frei erfunden", "false"],
		["Falsch", "false"],
		["Unbelegt", "unsupported"],
		["Manipuliert", "false"],
		["Falscher Kontext", "misleading"],
	])("maps Correctiv's %s to %s", (text, key) => {
		expect(mapTextualRating(text)).toBe(key);
	});

	it.each([
		["False", "false"],
		["Misleading", "misleading"],
		["Missing context", "missing-context"],
		["Altered", "false"],
		["Satire", "missing-context"],
		["Partly false", "half-true"],
	])("maps AFP's %s to %s", (text, key) => {
		expect(mapTextualRating(text)).toBe(key);
	});

	it.each([
		["falsch", "false"],
		["irreführend", "misleading"],
		["Zusammenhang fehlt", "missing-context"],
		["Teilweise falsch", "half-true"],
		["unbelegt", "unsupported"],
		["Mixture", "half-true"],
		["Unproven", "unsupported"],
		["Miscaptioned", "misleading"],
		["Correct Attribution", "true"],
		["Misattributed", "false"],
		["Incorrect", "false"],
		["Lacks context", "missing-context"],
		["Unsubstantiated", "unsupported"],
		["Four Pinocchios", "false"],
		["barely-true", "mostly-false"],
	])("maps dpa / Snopes / Full Fact / Reuters / Washington Post %s to %s", (text, key) => {
		expect(mapTextualRating(text)).toBe(key);
	});

	it("ignores case, diacritics, ß and punctuation", () => {
		expect(mapTextualRating("GRÖSSTENTEILS FALSCH")).toBe("mostly-false");
		expect(mapTextualRating("grosstenteils falsch")).toBe("mostly-false");
		expect(mapTextualRating("Irrefuhrend")).toBe("misleading");
		expect(mapTextualRating("  mostly-TRUE  ")).toBe("mostly-true");
		expect(mapTextualRating("FEHLENDER   KONTEXT")).toBe("missing-context");
	});

	it("reads a rating packed with an explanation or a label", () => {
		expect(mapTextualRating("False. The photo is from 2019")).toBe("false");
		expect(mapTextualRating("Falsch: Das Foto ist alt")).toBe("false");
		expect(mapTextualRating("Rating: Mostly True")).toBe("mostly-true");
	});

	it("knows our own labels and keys in every UI language", () => {
		for (const rating of RATINGS) {
			expect(mapTextualRating(rating.key)).toBe(rating.key);
			for (const label of Object.values(rating.labels)) expect(mapTextualRating(label)).toBe(rating.key);
		}
	});

	it("maps every default entry to a rating key and leaves unknown texts unmapped", () => {
		for (const [text, key] of Object.entries(DEFAULT_RATING_ENTRIES)) {
			expect(isRatingKey(key)).toBe(true);
			expect(mapTextualRating(text)).toBe(key);
		}
		expect(mapTextualRating("Full Flop")).toBeUndefined();
		expect(mapTextualRating("")).toBeUndefined();
		expect(mapTextualRating("Not the whole story")).toBeUndefined();
	});

	it("takes a configurable table", () => {
		const extended = createRatingTable(
			{ "Full Flop": "unsupported", Falsch: "mostly-false" },
			DEFAULT_RATING_TABLE,
		);
		expect(mapTextualRating("full flop", extended)).toBe("unsupported");
		expect(mapTextualRating("FALSCH", extended)).toBe("mostly-false");
		expect(mapTextualRating("True", extended)).toBe("true");
		const own = createRatingTable({ Fake: "false" });
		expect(mapTextualRating("True", own)).toBeUndefined();
		expect(mapTextualRating("fake", own)).toBe("false");
		// the default table is not changed by extending it
		expect(mapTextualRating("Falsch")).toBe("false");
	});
});

describe("numeric ratings", () => {
	it("maps the 1–5 scale one to one", () => {
		expect([1, 2, 3, 4, 5].map((v) => mapNumericRating(v, 1, 5))).toEqual([
			"false",
			"mostly-false",
			"half-true",
			"mostly-true",
			"true",
		]);
	});

	it("normalises a 1–6 and a 0–10 scale, rounding halves up", () => {
		expect([1, 2, 3, 4, 5, 6].map((v) => mapNumericRating(v, 1, 6))).toEqual([
			"false",
			"mostly-false",
			"half-true",
			"half-true",
			"mostly-true",
			"true",
		]);
		expect([0, 1, 2, 5, 8, 9, 10].map((v) => mapNumericRating(v, 0, 10))).toEqual([
			"false",
			"false",
			"mostly-false",
			"half-true",
			"mostly-true",
			"true",
			"true",
		]);
		expect(mapNumericRating(3.5, 1, 5)).toBe("mostly-true");
	});

	it("takes inverted scales and refuses values outside the scale or scales without range", () => {
		expect(mapNumericRating(1, 5, 1)).toBe("true");
		expect(mapNumericRating(5, 5, 1)).toBe("false");
		expect(mapNumericRating(12, 0, 10)).toBeUndefined();
		expect(mapNumericRating(-1, 0, 10)).toBeUndefined();
		expect(mapNumericRating(3, 3, 3)).toBeUndefined();
		expect(mapNumericRating(Number.NaN, 1, 5)).toBeUndefined();
	});

	it("formats the original rating with its scale", () => {
		expect(formatOriginalRating("Pants on Fire", { value: 1, worst: 1, best: 6 })).toBe(
			"Pants on Fire (1/6)",
		);
		expect(formatOriginalRating(undefined, { value: 2, worst: 0, best: 10 })).toBe("2 on 0–10");
		expect(formatOriginalRating("Falsch", undefined)).toBe("Falsch");
		expect(formatOriginalRating("Meh", { value: 2.5, worst: 1, best: 5 })).toBe("Meh (2.5/5)");
	});

	it("gives the publisher's words back without the numbers, as Google's textualRating shows them", () => {
		expect(ratingWords("Pants on Fire (1/6)")).toBe("Pants on Fire");
		expect(ratingWords("Largely on target (8 on 0–10)")).toBe("Largely on target");
		expect(ratingWords("2 on 0–10")).toBe("");
		expect(ratingWords("Pants on Fire!")).toBe("Pants on Fire!");
		expect(ratingWords("Falsch (Satire)")).toBe("Falsch (Satire)");
		// A long rating text whose numbers the import's 300-character limit cut short.
		const long = `Falsch. ${"Das Foto ist alt und zeigt eine andere Brücke. ".repeat(6)}`.trim();
		for (const cut of ["(1…", "(1/…", "(2 on 0–1…", "(…"])
			expect(ratingWords(`${long} ${cut}`), cut).toBe(cut === "(…" ? `${long} (…` : long);
		expect(ratingWords("Stimmt nicht (non…")).toBe("Stimmt nicht (non…");
		// Whole through the import's mapping: the cut numbers do not reach Google's answer.
		const words = `Falsch. ${"Das Foto ist alt und zeigt eine andere Brücke. ".repeat(7)}`
			.slice(0, 296)
			.trim();
		const mapped = resolveRating(words, { value: 1, worst: 1, best: 5 });
		const stored = "originalRating" in mapped ? mapped.originalRating : "";
		expect(stored).toMatch(/\(1?…$/);
		expect(ratingWords(stored)).toBe(words);
		const scale = fc
			.tuple(
				fc.double({ min: -10, max: 10, noNaN: true }),
				fc.integer({ min: -5, max: 5 }),
				fc.integer({ min: 6, max: 100 }),
			)
			.map(([value, worst, best]) => ({ value, worst, best }));
		fc.assert(
			fc.property(
				// Words, not words already followed by such numbers.
				fc.string({ minLength: 1 }).filter((t) => t.trim() !== "" && ratingWords(t) === t.trim()),
				scale,
				(text, s) => {
					expect(ratingWords(formatOriginalRating(text, s))).toBe(text.trim());
				},
			),
		);
	});
});

describe("languages", () => {
	// Dates: tests/node/dates.test.ts (one reader for the import and for articles).
	it("normalises BCP 47 tags", () => {
		expect(importLanguageTag("DE")).toBe("de");
		expect(importLanguageTag("de_de")).toBe("de-DE");
		expect(importLanguageTag("zh-hant-tw")).toBe("zh-Hant-TW");
		expect(importLanguageTag("German")).toBeUndefined();
		expect(importLanguageTag("")).toBeUndefined();
	});

	it("reads a language's English or German name as its tag", () => {
		expect(importLanguageTagOrName("German")).toBe("de");
		expect(importLanguageTagOrName("  deutsch ")).toBe("de");
		expect(importLanguageTagOrName("Französisch")).toBe("fr");
		expect(importLanguageTagOrName("franzosisch")).toBe("fr");
		expect(importLanguageTagOrName("Norwegian Bokmål")).toBe("nb");
		// Deprecated codes name the language of the current one.
		expect(importLanguageTagOrName("Hebrew")).toBe("he");
		expect(importLanguageTagOrName("Akan")).toBe("ak");
		// Tags first, as before.
		expect(importLanguageTagOrName("de_at")).toBe("de-AT");
		expect(importLanguageTagOrName("Klingonisch")).toBeUndefined();
		expect(importLanguageTagOrName("")).toBeUndefined();
	});
});

describe("ClaimReview import", () => {
	it("maps a single object with a Claim, a Person speaker, appearances and a 1–6 rating", () => {
		const result = parseClaimReviewDocument(singleJson);
		expect(result.rejected).toEqual([]);
		expect(result.warnings).toEqual([]);
		expect(result.records).toEqual([
			{
				externalId:
					"https://www.politifact.com/factchecks/2025/jul/12/jane-doe/no-the-moon-is-not-made-of-cheese/#claimreview",
				claim: {
					text: "The Moon is made of green cheese, and NASA has known since 1969.",
					language: "en",
					claimedAt: "2025-07-10",
				},
				speaker: { name: "Jane Doe", kind: "person", description: "State senator" },
				sources: [
					{
						url: "https://video.example.com/watch?v=abc123",
						title: "Town hall, Springfield",
						publisher: "Springfield TV",
						author: "Jane Doe",
						publishedAt: "2025-07-10",
					},
					{
						url: "https://social.example.com/janedoe/status/42",
						title: "Post by Jane Doe",
						// "2025-07-11T08:15:00Z": a time in UTC goes as it is, the server dates it.
						publishedAt: "2025-07-11T08:15:00.000Z",
						language: "en-US",
					},
				],
				verdict: {
					rating: "false",
					originalRating: "Pants on Fire! (1/6)",
					originalScale: { value: 1, worst: 1, best: 6 },
					headline: "No, the Moon is not made of cheese",
					summary: "Samples returned by six Apollo missions show rock, not dairy.",
					url: "https://www.politifact.com/factchecks/2025/jul/12/jane-doe/no-the-moon-is-not-made-of-cheese/",
					publishedAt: "2025-07-12",
					reviewer: "PolitiFact",
					language: "en",
				},
			},
		]);
		expectValid(result);
	});

	it("maps an array: author as string or people, speaker as organisation or string; no verdict without evidence", () => {
		const result = parseClaimReviewDocument(arrayJson);
		expect(result.records).toEqual([
			{
				externalId: "https://fullfact.org/health/vitamin-c-cures-flu/",
				claim: { text: "Vitamin C cures the flu within a day.", language: "en" },
				speaker: { name: "Daily Example", kind: "organization" },
				sources: [
					{ url: "https://daily.example.co.uk/health/vitamin-c", title: "The vitamin that beats flu" },
				],
				verdict: {
					rating: "false",
					originalRating: "Incorrect",
					headline: "Vitamin C cures the flu within a day.",
					url: "https://fullfact.org/health/vitamin-c-cures-flu/",
					publishedAt: "2025-03-04",
					reviewer: "Full Fact",
				},
			},
		]);
		// javascript: and data: links never become links
		expect(result.warnings).toEqual([
			{
				index: 1,
				message: 'appearance[0]: "data:text/html,<script>alert(1)</script>" is not an http(s) URL, left out',
			},
			{ index: 1, message: 'url: "javascript:alert(1)" is not an http(s) URL, left out' },
		]);
		// Its only review URL was javascript:, so the verdict has no evidence and is not published.
		expect(result.rejected).toEqual([
			{ index: 1, reason: expect.stringMatching(/^verdict\.url: A verdict is published only with evidence/) },
			{ index: 2, reason: 'unknown rating "Full Flop"' },
		]);
		expectValid(result);
		// With a review URL it is mapped: a speaker given as a string, two reviewers as people.
		const reviews = JSON.parse(arrayJson) as Record<string, unknown>[];
		const fixed = reviews.map((r, i) => (i === 1 ? { ...r, url: "https://check.example/unemployment" } : r));
		expect(mapClaimReviewDocuments([fixed]).records[1]).toEqual({
			externalId: "https://check.example/unemployment",
			claim: { text: "Unemployment fell in every region last year.", language: "en" },
			speaker: { name: "Minister of Examples", kind: "person" },
			sources: [{ url: "https://gov.example.uk/speech" }],
			verdict: {
				rating: "missing-context",
				originalRating: "Missing context",
				headline: "Unemployment fell in every region last year.",
				url: "https://check.example/unemployment",
				publishedAt: "2025-03-04",
				reviewer: "Alex Checker, Sam Editor",
			},
		});
	});

	it("maps an @graph with @id references and a prefixed @type array", () => {
		const result = parseClaimReviewDocument(graphJson);
		expect(result.rejected).toEqual([]);
		expect(result.records).toEqual([
			{
				externalId: "https://factcheck.example.org/2025/06/wind-turbines/#claimreview",
				claim: { text: "Wind turbines cause heat waves.", language: "en", claimedAt: "2025-06-01" },
				speaker: { name: "Max Mustermann", kind: "person", description: "Blogger" },
				sources: [{ url: "https://blog.example.net/heat" }],
				verdict: {
					rating: "misleading",
					originalRating: "Misleading (2/5)",
					originalScale: { value: 2, worst: 1, best: 5 },
					headline: "Wind turbines cause heat waves.",
					url: "https://factcheck.example.org/2025/06/wind-turbines/",
					publishedAt: "2025-06-03",
					reviewer: "Example Fact Check",
					language: "en",
				},
			},
		]);
	});

	it("maps a DataFeed with full-URL types and ratings on a 0–10 scale", () => {
		const result = parseClaimReviewDocument(dataFeedJson);
		expect(result.records).toEqual([
			{
				externalId: "https://desk.example.com/checks/101",
				claim: { text: "Eating carrots gives you night vision.", language: "en" },
				speaker: { name: "Dr. Bugs", kind: "person" },
				sources: [],
				verdict: {
					rating: "mostly-false",
					originalRating: "2 on 0–10",
					originalScale: { value: 2, worst: 0, best: 10 },
					headline: "Eating carrots gives you night vision.",
					url: "https://desk.example.com/checks/101",
					publishedAt: "2025-06-20",
					reviewer: "Example Desk",
				},
			},
			{
				externalId: "https://desk.example.com/checks/102",
				claim: { text: "The city budget grew by 4% this year.", language: "en" },
				speaker: { name: "City of Example", kind: "organization" },
				sources: [],
				verdict: {
					rating: "mostly-true",
					originalRating: "Largely on target (8 on 0–10)",
					originalScale: { value: 8, worst: 0, best: 10 },
					headline: "The city budget grew by 4% this year.",
					url: "https://desk.example.com/checks/102",
					publishedAt: "2025-06-21",
					reviewer: "Example Desk",
				},
			},
		]);
		expect(result.rejected).toEqual([
			{ index: 2, reason: 'unknown rating "Beyond belief" and rating value 12 outside the scale 0–10' },
		]);
		expectValid(result);
	});

	it("dates a DataFeed's review by its DataFeedItem when the ClaimReview has no date, and says when nothing dates it", () => {
		const review = (slug: string, more: Record<string, unknown> = {}) => ({
			"@type": "ClaimReview",
			url: `https://check.example/${slug}`,
			claimReviewed: `Claim ${slug}.`,
			reviewRating: { "@type": "Rating", alternateName: "False" },
			...more,
		});
		const feed = {
			"@context": "https://schema.org",
			"@graph": [
				{
					"@type": "DataFeed",
					dataFeedElement: [
						{ "@type": "DataFeedItem", dateCreated: "2019-03-04T10:00:00Z", item: [review("feed-dated")] },
						// The review's own date wins.
						{
							"@type": "DataFeedItem",
							datePublished: "2019-05-06",
							item: review("own-date", { datePublished: "2019-05-02" }),
						},
						// An item given by reference, as an @graph often does.
						{
							"@type": "DataFeedItem",
							dateCreated: "2020-01-02",
							item: { "@id": "https://check.example/ref#r" },
						},
						{ "@type": "DataFeedItem", item: review("undated") },
					],
				},
				review("ref", { "@id": "https://check.example/ref#r" }),
			],
		};
		const result = mapClaimReviewDocuments([feed]);
		expect(result.rejected).toEqual([]);
		expect(result.records.map((r) => [r.verdict?.url, r.verdict?.publishedAt])).toEqual([
			// "2019-03-04T10:00:00Z": a time in UTC goes as it is, the server dates it.
			["https://check.example/feed-dated", "2019-03-04T10:00:00.000Z"],
			["https://check.example/own-date", "2019-05-02"],
			["https://check.example/undated", undefined],
			["https://check.example/ref", "2020-01-02"],
		]);
		// Undated, the server dates it the day it is imported: say so.
		expect(result.warnings).toEqual([{ index: 2, message: "no datePublished: dated at its import" }]);
		expectValid(result);
	});

	it("takes a known rating text whose number lies off the scale, leaving the number out with a warning", () => {
		const review = (reviewRating: Record<string, unknown>) =>
			JSON.stringify({
				"@context": "https://schema.org",
				"@type": "ClaimReview",
				url: "https://check.example/zero",
				datePublished: "2025-02-03",
				claimReviewed: "The bridge was closed overnight.",
				reviewRating: { "@type": "Rating", ...reviewRating },
			});
		// No bounds: schema.org's default 1–5, which 0 is off.
		const zero = parseClaimReviewDocument(review({ alternateName: "False", ratingValue: 0 }));
		expect(zero.rejected).toEqual([]);
		expect(zero.records.map((r) => r.verdict)).toEqual([
			expect.objectContaining({ rating: "false", originalRating: "False" }),
		]);
		expect(zero.records[0]?.verdict).not.toHaveProperty("originalScale");
		expect(zero.warnings).toEqual([
			{ index: 0, message: "rating value 0 outside the scale 1–5: left out, the rating text decides" },
		]);
		expectValid(zero);
		// A scale without range, the same.
		const flat = parseClaimReviewDocument(
			review({ alternateName: "Mostly true", ratingValue: 3, worstRating: 3, bestRating: 3 }),
		);
		expect(flat.records[0]?.verdict).toMatchObject({ rating: "mostly-true", originalRating: "Mostly true" });
		expect(flat.warnings.map((w) => w.message)).toEqual([
			"rating value 3 outside the scale 3–3: left out, the rating text decides",
		]);
		expectValid(flat);
		// A text the table does not know still needs a number on the scale.
		expect(
			parseClaimReviewDocument(review({ alternateName: "Beyond belief", ratingValue: 0 })).rejected,
		).toEqual([
			{ index: 0, reason: 'unknown rating "Beyond belief" and rating value 0 outside the scale 1–5' },
		]);
		// A CSV row too.
		const csv = importDelimited(
			"claim,rating,ratingValue,reviewUrl\nThe bridge,Falsch,12,https://check.example/b\n",
			{
				scale: { worst: 0, best: 10 },
				columns: { claim: "claim", rating: "rating", ratingValue: "ratingValue", reviewUrl: "reviewUrl" },
			},
		);
		expect(csv.rejected).toEqual([]);
		expect(csv.records[0]?.verdict).toMatchObject({ rating: "false", originalRating: "Falsch" });
		expect(csv.records[0]?.verdict).not.toHaveProperty("originalScale");
		expect(csv.warnings).toEqual([
			{
				index: 0,
				line: 2,
				message: "rating value 12 outside the scale 0–10: left out, the rating text decides",
			},
		]);
		expectValid(csv);
	});

	it("maps an itemReviewed CreativeWork as the first appearance, with German dates and a default language", () => {
		const result = parseClaimReviewDocument(creativeWorkJson, { defaultLanguage: "de" });
		expect(result.rejected).toEqual([]);
		expect(result.warnings).toEqual([]);
		expect(result.records).toEqual([
			{
				externalId: "https://faktencheck.example.de/2025/07/12/wonsan",
				claim: {
					text: "Das Foto zeigt den Hafen von Wŏnsan im Juli 2025.",
					language: "de",
					claimedAt: "2025-07-11",
				},
				speaker: { name: "Anonymer Account", kind: "person" },
				sources: [
					{
						url: "https://social.example.com/posts/9001",
						title: "Beitrag auf Social Media",
						author: "Anonymer Account",
						publishedAt: "2025-07-11",
					},
				],
				verdict: {
					rating: "misleading",
					originalRating: "Falscher Kontext",
					headline: "Das Foto zeigt den Hafen von Wŏnsan im Juli 2025.",
					url: "https://faktencheck.example.de/2025/07/12/wonsan",
					publishedAt: "2025-07-12",
					reviewer: "Erika Beispiel",
				},
			},
		]);
		// without the option the claim falls back to English
		expect(parseClaimReviewDocument(creativeWorkJson).records[0]?.claim.language).toBe("en");
	});

	it("reads every JSON-LD block of an HTML page, skipping comments and other scripts", () => {
		expect(extractJsonLdBlocks(correctivHtml)).toHaveLength(3);
		const result = parseClaimReviewDocument(correctivHtml);
		expect(result.rejected).toEqual([]);
		expect(result.warnings).toEqual([]);
		expect(result.records).toEqual([
			{
				externalId: "https://correctiv.example/faktencheck/2025/07/12/windraeder-duerre/",
				claim: {
					text: "Windräder entziehen dem Boden das Wasser und verursachen Dürre.",
					language: "de",
					claimedAt: "2025-07-10",
				},
				speaker: { name: "Müller-Lüdenscheidt", kind: "person" },
				sources: [{ url: "https://www.facebook.example/posts/123", publishedAt: "2025-07-10" }],
				verdict: {
					rating: "mostly-false",
					originalRating: "Größtenteils falsch (2/5)",
					originalScale: { value: 2, worst: 1, best: 5 },
					headline: "Nein, Windräder verursachen keine Dürre",
					url: "https://correctiv.example/faktencheck/2025/07/12/windraeder-duerre/",
					publishedAt: "2025-07-12",
					reviewer: "CORRECTIV.Faktencheck",
					language: "de",
				},
			},
			{
				externalId: "https://correctiv.example/faktencheck/2025/07/13/zitat-kanzler/",
				claim: { text: "Der Kanzler hat gesagt: „Wir schaffen das Bargeld ab.“", language: "de" },
				speaker: { name: "Telegram-Kanal", kind: "person" },
				sources: [],
				verdict: {
					rating: "false",
					originalRating: "FREI ERFUNDEN",
					headline: "Der Kanzler hat gesagt: „Wir schaffen das Bargeld ab.“",
					url: "https://correctiv.example/faktencheck/2025/07/13/zitat-kanzler/",
					publishedAt: "2025-07-13",
					reviewer: "CORRECTIV.Faktencheck",
					language: "de",
				},
			},
			{
				// a raw line break in the string and trailing commas: repaired, CDATA markers dropped
				externalId: "https://correctiv.example/faktencheck/2025/07/14/impfung/",
				claim: { text: "Die Studie beweist, dass die Impfung\nunwirksam ist.", language: "de-DE" },
				speaker: null,
				sources: [],
				verdict: {
					rating: "missing-context",
					originalRating: "fehlender Kontext",
					// A headline is one line, as in the desk: its line break becomes a space.
					headline: "Die Studie beweist, dass die Impfung unwirksam ist.",
					summary: "Die Studie untersucht etwas anderes.",
					url: "https://correctiv.example/faktencheck/2025/07/14/impfung/",
					publishedAt: "2025-07-14",
					reviewer: "CORRECTIV.Faktencheck",
					language: "de-DE",
				},
			},
		]);
		expectValid(result);
	});

	it("maps already-parsed JSON-LD and HTML fragments alike", () => {
		expect(mapClaimReviewDocuments([JSON.parse(singleJson)])).toEqual(parseClaimReviewDocument(singleJson));
		const fragment = `Intro text <script type="application/ld+json">${singleJson}</script>`;
		expect(parseClaimReviewDocument(fragment)).toEqual(parseClaimReviewDocument(singleJson));
	});

	it("reads a CMS's HTML-escaped and tagged texts as text, and decodes addresses without taking them apart", () => {
		const input = JSON.stringify({
			"@type": "ClaimReview",
			"@id": "https://check.example/scholz?p=1&amp;lang=de#review",
			url: "https://check.example/scholz?p=1&amp;lang=de&copy=2",
			claimReviewed: "Scholz sagte, in X sei &quot;alles&quot; <em>befreit</em> &amp; sicher &#8211; sofort",
			headline: "Nein.<br>Das ist &bdquo;falsch&ldquo;",
			description: "<p>Erster Absatz.</p>\n<p>Zweiter &lt;b&gt; Absatz, x<5 und a < b.</p>",
			author: { "@type": "Organization", name: "CORRECTIV &amp; dpa" },
			inLanguage: "de",
			reviewRating: { "@type": "Rating", alternateName: "<strong>Falsch</strong>" },
			itemReviewed: {
				"@type": "Claim",
				author: { "@type": "Person", name: "Olaf <b>Scholz</b>", jobTitle: "Kanzler &amp; SPD-Politiker" },
				appearance: {
					"@type": "CreativeWork",
					url: "https://news.example/a?x=1&amp;y=2",
					headline: "&quot;Alles befreit&quot;",
					author: { "@type": "Person", alternateName: "Max &amp; Moritz" },
				},
			},
		});
		const result = parseClaimReviewDocument(input);
		expect(result.rejected).toEqual([]);
		expect(result.records).toEqual([
			{
				// An id stays as written: decoded, a claim imported before would get a new one.
				externalId: "https://check.example/scholz?p=1&amp;lang=de#review",
				claim: { text: 'Scholz sagte, in X sei "alles" befreit & sicher \u2013 sofort', language: "de" },
				speaker: { name: "Olaf Scholz", kind: "person", description: "Kanzler & SPD-Politiker" },
				sources: [
					{ url: "https://news.example/a?x=1&y=2", title: '"Alles befreit"', author: "Max & Moritz" },
				],
				verdict: {
					rating: "false",
					originalRating: "Falsch",
					headline: "Nein. Das ist \u201efalsch\u201c",
					// Escaped markup is the text it spells; a "<" that starts no tag is text too.
					summary: "Erster Absatz. Zweiter <b> Absatz, x<5 und a < b.",
					// As in an attribute: "&copy=2" is a query parameter, not "©=2".
					url: "https://check.example/scholz?p=1&lang=de&copy=2",
					reviewer: "CORRECTIV & dpa",
					language: "de",
				},
			},
		]);
		expectValid(result);
	});

	it("drops a comment whole, also one around a line-breaking tag, as the server reads a claim stored with it", () => {
		const review = (claimReviewed: string, headline: string) =>
			JSON.stringify({
				"@type": "ClaimReview",
				url: "https://check.example/kommentar",
				claimReviewed,
				headline,
				reviewRating: { alternateName: "Falsch" },
			});
		const read = (claim: string, headline: string) => {
			const record = parseClaimReviewDocument(review(claim, headline)).records[0];
			return [record?.claim.text, record?.verdict?.headline];
		};
		expect(read("Die Steuer<!-- <p>alt</p> --> steigt", "Nein, sie<!-- <br> --> sinkt")).toEqual([
			"Die Steuer steigt",
			"Nein, sie sinkt",
		]);
		// The rest as before: a breaking tag is a space, a comment before it leaves no text.
		expect(read("<p>Die Steuer</p><!-- x --><p>steigt</p>", "Nein<br>sinkt")).toEqual([
			"Die Steuer steigt",
			"Nein sinkt",
		]);
	});

	it("gives the claims of a page with markup in them the ids they were imported under before it was read as text", () => {
		const page = "https://check.example/seite";
		const review = (claim: string) => ({
			"@type": "ClaimReview",
			url: page,
			claimReviewed: claim,
			reviewRating: { alternateName: "Falsch" },
		});
		const written = [
			review("Scholz sagte, in X sei &quot;alles&quot; <em>befreit</em>"),
			review("In X fahren keine Z&uuml;ge"),
		];
		// The ids the mapping gave these claims before f287, hashed from their words as written:
		// new ones would record each claim a second time.
		const result = parseClaimReviewDocument(JSON.stringify(written));
		expect(result.records.map((r) => [r.externalId, r.claim.text])).toEqual([
			[`${page}#claim-3c11f1ef`, 'Scholz sagte, in X sei "alles" befreit'],
			[`${page}#claim-61290530`, "In X fahren keine Züge"],
		]);
		// One per line of NDJSON, the same.
		const ids = streamClaimIds();
		const streamed = written.flatMap((doc) => mapClaimReviewDocuments([doc]).records);
		for (const record of streamed) ids(record);
		expect(streamed.map((r) => r.externalId)).toEqual([page, `${page}#claim-61290530`]);
	});

	it("files a claim whose inLanguage is a language's name under its tag, and says where one it cannot read went", () => {
		const review = (inLanguage: unknown, itemLanguage?: unknown) =>
			JSON.stringify({
				"@type": "ClaimReview",
				url: "https://check.example/sprache",
				datePublished: "2025-02-03",
				claimReviewed: "Ein Satz.",
				inLanguage,
				reviewRating: { alternateName: "Falsch" },
				itemReviewed: { "@type": "Claim", inLanguage: itemLanguage },
			});
		const languages = (input: string, defaultLanguage?: string) => {
			const result = parseClaimReviewDocument(input, { defaultLanguage });
			const record = result.records[0];
			return [record?.claim.language, record?.verdict?.language, result.warnings.map((w) => w.message)];
		};
		expect(languages(review({ "@type": "Language", name: "German" }))).toEqual(["de", "de", []]);
		expect(languages(review("Deutsch"))).toEqual(["de", "de", []]);
		expect(languages(review("English", "Französisch"))).toEqual(["fr", "en", []]);
		// A tag beside the name still decides.
		expect(languages(review({ "@type": "Language", name: "Deutsch", alternateName: "de-AT" }))).toEqual([
			"de-AT",
			"de-AT",
			[],
		]);
		expect(languages(review("Klingonisch"))).toEqual([
			"en",
			undefined,
			['inLanguage: "Klingonisch" is no language tag or name we know: filed under en'],
		]);
		expect(languages(review("German", { "@type": "Language", name: "Klingonisch" }), "fr")).toEqual([
			"de",
			"de",
			['itemReviewed.inLanguage: "Klingonisch" is no language tag or name we know: filed under de'],
		]);
	});

	it("takes the organisations among a review's authors as its publisher, and every name when none is one", () => {
		const reviewer = (author: unknown, graph: unknown[] = []) =>
			mapClaimReviewDocuments([
				{
					"@graph": [
						{
							"@type": "ClaimReview",
							url: "https://check.example/wer",
							datePublished: "2025-02-03",
							claimReviewed: "Ein Satz.",
							author,
							reviewRating: { alternateName: "Falsch" },
						},
						...graph,
					],
				},
			]).records[0]?.verdict?.reviewer;
		const anna = { "@type": "Person", name: "Anna Schmidt" };
		expect(reviewer([anna, { "@type": "Organization", name: "CORRECTIV.Faktencheck" }])).toBe(
			"CORRECTIV.Faktencheck",
		);
		expect(
			reviewer(
				[
					{ "@type": "NewsMediaOrganization", name: "dpa" },
					anna,
					"Redaktion",
					{ "@id": "https://correctiv.org/#org" },
				],
				[{ "@type": "Organization", "@id": "https://correctiv.org/#org", name: "CORRECTIV" }],
			),
		).toBe("dpa, CORRECTIV");
		expect(reviewer([anna, { "@type": "Person", name: "Ben Roth" }])).toBe("Anna Schmidt, Ben Roth");
		expect(reviewer("Faktenfuchs")).toBe("Faktenfuchs");
	});

	it("takes the organisations the review names as its publisher when none of its authors is one", () => {
		const reviewer = (review: Record<string, unknown>, graph: unknown[] = []) =>
			mapClaimReviewDocuments([
				{
					"@graph": [
						{
							"@type": "ClaimReview",
							url: "https://check.example/herausgeber",
							datePublished: "2025-02-03",
							claimReviewed: "Ein Satz.",
							reviewRating: { alternateName: "Falsch" },
							...review,
						},
						...graph,
					],
				},
			]).records[0]?.verdict?.reviewer;
		const anna = { "@type": "Person", name: "Anna Schmidt" };
		const correctiv = { "@type": "Organization", name: "CORRECTIV.Faktencheck" };
		expect(reviewer({ author: anna, publisher: correctiv })).toBe("CORRECTIV.Faktencheck");
		// By reference, any organisation type, only the organisations among them.
		expect(
			reviewer(
				{
					author: [anna],
					publisher: [{ "@id": "https://dpa.example/#org" }, { "@type": "Person", name: "Ben Roth" }],
				},
				[{ "@type": "NewsMediaOrganization", "@id": "https://dpa.example/#org", name: "dpa" }],
			),
		).toBe("dpa");
		expect(reviewer({ publisher: correctiv })).toBe("CORRECTIV.Faktencheck");
		// An organisation among the authors comes first; the authors when the publisher names none.
		expect(
			reviewer({ author: [anna, { "@type": "Organization", name: "BR24" }], publisher: correctiv }),
		).toBe("BR24");
		expect(reviewer({ author: anna, publisher: { "@type": "Person", name: "Ben Roth" } })).toBe(
			"Anna Schmidt",
		);
		expect(reviewer({ author: anna, publisher: "CORRECTIV" })).toBe("Anna Schmidt");
	});

	it("merges a first appearance given as a link with its CreativeWork, which dates the claim", () => {
		const input = JSON.stringify({
			"@type": "ClaimReview",
			url: "https://check.example/x",
			claimReviewed: "X",
			reviewRating: { alternateName: "False" },
			itemReviewed: {
				"@type": "Claim",
				firstAppearance: "https://a.example/post",
				appearance: [
					"https://b.example/copy",
					{
						"@type": "VideoObject",
						url: "https://a.example/post",
						name: "Post",
						datePublished: "2025-01-02",
					},
				],
			},
		});
		const record = parseClaimReviewDocument(input).records[0];
		expect(record?.sources).toEqual([
			{ url: "https://a.example/post", title: "Post", publishedAt: "2025-01-02" },
			{ url: "https://b.example/copy" },
		]);
		expect(record?.claim.claimedAt).toBe("2025-01-02");
	});

	it("rejects a ClaimReview without claimReviewed or rating, and keeps the rest", () => {
		const result = parseClaimReviewDocument(noClaimReviewedJson);
		expect(result.rejected).toEqual([
			{ index: 0, reason: "missing claimReviewed" },
			{ index: 1, reason: "missing reviewRating" },
		]);
		expect(result.records.map((r) => [r.claim.text, r.verdict?.rating])).toEqual([
			["Water boils at 100 °C at sea level.", "true"],
		]);
	});

	it("rejects broken JSON, JSON-LD of another type, empty input and HTML without JSON-LD", () => {
		const broken = parseClaimReviewDocument(brokenJson);
		expect(broken.records).toEqual([]);
		expect(broken.rejected).toHaveLength(1);
		expect(broken.rejected[0]?.index).toBe(-1);
		expect(broken.rejected[0]?.reason).toMatch(/^invalid JSON: /);

		expect(parseClaimReviewDocument(otherTypeJson)).toEqual({
			records: [],
			rejected: [{ index: -1, reason: "no ClaimReview found (found NewsArticle, Person)" }],
			warnings: [],
		});
		expect(parseClaimReviewDocument("  \n").rejected).toEqual([{ index: -1, reason: "empty input" }]);
		expect(parseClaimReviewDocument("<html><body><p>Nothing</p></body></html>").rejected).toEqual([
			{ index: -1, reason: "no JSON-LD script block in the HTML" },
		]);
		expect(parseClaimReviewDocument('"just a string"').rejected).toEqual([
			{ index: -1, reason: "no ClaimReview found" },
		]);
	});

	it("reports a broken block of a page and still imports the others", () => {
		const html = `<script type="application/ld+json">{"@type": </script>
			<script type="application/ld+json">${JSON.stringify({
				"@type": "ClaimReview",
				url: "https://check.example/satz",
				claimReviewed: "Ein Satz.",
				reviewRating: { alternateName: "richtig" },
			})}</script>`;
		const result = parseClaimReviewDocument(html);
		expect(result.rejected).toHaveLength(1);
		expect(result.rejected[0]?.reason).toMatch(/^invalid JSON in script block 1: /);
		expect(result.records).toEqual([
			{
				claim: { text: "Ein Satz.", language: "en" },
				speaker: null,
				sources: [],
				externalId: "https://check.example/satz",
				verdict: {
					rating: "true",
					originalRating: "richtig",
					headline: "Ein Satz.",
					url: "https://check.example/satz",
				},
			},
		]);
	});

	it("rejects an unknown text rating without numbers, and maps numbers alone by the 1–5 default scale", () => {
		const review = (rating: object) =>
			JSON.stringify({
				"@type": "ClaimReview",
				url: "https://check.example/x",
				claimReviewed: "X",
				reviewRating: { "@type": "Rating", ...rating },
			});
		expect(parseClaimReviewDocument(review({ alternateName: "Kinda" })).rejected).toEqual([
			{ index: 0, reason: 'unknown rating "Kinda"' },
		]);
		expect(parseClaimReviewDocument(review({})).rejected).toEqual([
			{ index: 0, reason: "reviewRating has neither alternateName nor ratingValue" },
		]);
		const numeric = parseClaimReviewDocument(review({ ratingValue: "4" })).records[0]?.verdict;
		expect(numeric).toMatchObject({
			rating: "mostly-true",
			originalRating: "4/5",
			originalScale: { value: 4, worst: 1, best: 5 },
		});
		// the text decides when known: misleading and mostly false share the number 2
		expect(
			parseClaimReviewDocument(review({ alternateName: "Irreführend", ratingValue: 2 })).records[0]?.verdict
				?.rating,
		).toBe("misleading");
	});

	it("tells apart several claims reviewed on one page and drops exact duplicates", () => {
		const review = (claim: string) => ({
			"@type": "ClaimReview",
			url: "https://check.example.org/page",
			datePublished: "2025-02-03",
			claimReviewed: claim,
			reviewRating: { alternateName: "False" },
		});
		const input = JSON.stringify([review("First claim."), review("Second claim."), review("First claim.")]);
		const result = parseClaimReviewDocument(input);
		const ids = result.records.map((r) => r.externalId);
		expect(ids).toHaveLength(2);
		expect(new Set(ids).size).toBe(2);
		for (const id of ids) expect(id).toMatch(/^https:\/\/check\.example\.org\/page#claim-[0-9a-f]{8}$/);
		expect(result.warnings).toEqual([{ index: 2, message: "duplicate of ClaimReview 0, skipped" }]);
		expect(parseClaimReviewDocument(input)).toEqual(result);
	});

	it("rejects a claim longer than 10,000 characters and shortens long optional texts", () => {
		const long = JSON.stringify({
			"@type": "ClaimReview",
			claimReviewed: "a".repeat(10_001),
			reviewRating: { alternateName: "False" },
		});
		expect(parseClaimReviewDocument(long).rejected).toEqual([
			{ index: 0, reason: "claimReviewed longer than 10000 characters" },
		]);
		const longHeadline = JSON.stringify({
			"@type": "ClaimReview",
			url: "https://check.example/short",
			claimReviewed: "Short.",
			headline: "h".repeat(600),
			reviewRating: { alternateName: "False" },
		});
		const headline = parseClaimReviewDocument(longHeadline).records[0]?.verdict?.headline ?? "";
		expect(headline).toHaveLength(500);
		expect(headline.endsWith("…")).toBe(true);
	});

	it("is deterministic: the same input twice gives identical records", () => {
		for (const input of [singleJson, arrayJson, graphJson, dataFeedJson, creativeWorkJson, correctivHtml]) {
			const a = parseClaimReviewDocument(input, { defaultLanguage: "de" });
			const b = parseClaimReviewDocument(input, { defaultLanguage: "de" });
			expect(JSON.stringify(b)).toBe(JSON.stringify(a));
		}
	});
});

/*
 * The CLI maps records with no zone to date them in: a time written in UTC (a CMS's way of
 * storing 00:30 in Berlin as "2025-07-11T22:30:00Z") goes as it is, and the server dates it
 * by the newsroom's day (schemas/import-record `onNewsroomDays`); a local offset is the
 * publisher's date as written; a day is a day (s33 h334).
 */
describe("dates the mapping leaves to the server", () => {
	it("ClaimReview: a time in UTC is sent as its instant, a local time as its date", () => {
		const review = (slug: string, datePublished: string) => ({
			"@type": "ClaimReview",
			url: `https://check.example/${slug}`,
			datePublished,
			claimReviewed: `Claim ${slug}.`,
			itemReviewed: {
				"@type": "Claim",
				datePublished,
				appearance: { "@type": "CreativeWork", url: `https://news.example/${slug}`, datePublished },
			},
			reviewRating: { "@type": "Rating", alternateName: "False" },
		});
		const result = mapClaimReviewDocuments([
			{
				"@graph": [
					review("z", "2025-07-11T22:30:00Z"),
					review("yoast", "2025-07-11T22:30:00+00:00"),
					review("unknown-offset", "2025-07-11T22:30:00-00:00"),
					review("berlin", "2025-07-12T00:30:00+02:00"),
					review("new-york", "2025-07-11T18:30:00-04:00"),
					review("day", "2025-07-12"),
				],
			},
		]);
		expect(result.rejected).toEqual([]);
		expect(
			result.records.map((r) => [r.claim.claimedAt, r.sources[0]?.publishedAt, r.verdict?.publishedAt]),
		).toEqual([
			["2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z"],
			["2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z"],
			["2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z"],
			["2025-07-12", "2025-07-12", "2025-07-12"],
			["2025-07-11", "2025-07-11", "2025-07-11"],
			["2025-07-12", "2025-07-12", "2025-07-12"],
		]);
		expectValid(result);
		// What the server then stores, in a newsroom in Berlin and in one in New York.
		const days = (zone: string) =>
			result.records.map((r) => onNewsroomDays(r, zone)).map((r) => r.verdict?.publishedAt);
		expect(days("Europe/Berlin")).toEqual([
			"2025-07-12",
			"2025-07-12",
			"2025-07-12",
			"2025-07-12",
			"2025-07-11",
			"2025-07-12",
		]);
		expect(days("America/New_York")).toEqual([
			"2025-07-11",
			"2025-07-11",
			"2025-07-11",
			"2025-07-12",
			"2025-07-11",
			"2025-07-12",
		]);
	});

	it("CSV: a cell with a time in UTC is sent as its instant", () => {
		const mapping = columnMappingSchema.parse({
			language: "de",
			columns: { claim: "claim", claimedAt: "said", sourceUrl: "url", sourcePublishedAt: "published" },
		});
		const csv =
			"claim,said,url,published\n" +
			"Ein Satz.,2025-07-11T22:30:00Z,https://news.example/a,2025-07-11 22:30:00 UTC\n" +
			"Noch ein Satz.,12.07.2025,https://news.example/b,2025-07-12T00:30:00+02:00\n";
		const result = importDelimited(csv, mapping);
		expect(result.rejected).toEqual([]);
		expect(result.records.map((r) => [r.claim.claimedAt, r.sources[0]?.publishedAt])).toEqual([
			["2025-07-11T22:30:00.000Z", "2025-07-11T22:30:00.000Z"],
			["2025-07-12", "2025-07-12"],
		]);
		expectValid(result);
	});
});

describe("delimited parser", () => {
	const fields = (rows: DelimitedRow[]) => rows.map((r) => r.fields);

	it("parses RFC 4180 quoting, embedded newlines and CRLF with the line each row starts on", () => {
		const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","multi\r\nline\nfield"\r\n\r\nlast,,\n';
		expect(parseDelimited(text)).toEqual([
			{ line: 1, fields: ["a", "b", "c"] },
			{ line: 2, fields: ["x, y", 'say "hi"', "multi\r\nline\nfield"] },
			{ line: 6, fields: ["last", "", ""] },
		]);
	});

	it("strips a BOM only at the start and handles a missing final newline and lone CRs", () => {
		expect(fields(parseDelimited("\uFEFFa\r\uFEFFb\rc"))).toEqual([["a"], ["\uFEFFb"], ["c"]]);
		expect(parseDelimited("a\rb").map((r) => r.line)).toEqual([1, 2]);
		expect(fields(parseDelimited('"quoted"'))).toEqual([["quoted"]]);
		expect(fields(parseDelimited('""'))).toEqual([[""]]);
		expect(fields(parseDelimited("a\n\nb", { skipEmptyLines: false }))).toEqual([["a"], [""], ["b"]]);
	});

	it("takes another delimiter, and no quoting at all", () => {
		expect(fields(parseDelimited('a;"b;c"\n', { delimiter: ";" }))).toEqual([["a", "b;c"]]);
		expect(fields(parseDelimited('1\t"Says "x"\t3\n', { delimiter: "\t", quote: null }))).toEqual([
			["1", '"Says "x"', "3"],
		]);
		expect(() => new DelimitedParser({ delimiter: ";;" })).toThrow(RangeError);
	});

	it("is lenient with stray quotes within a line, and reports a quoted field never closed", () => {
		expect(fields(parseDelimited('a"b,"c"d\n'))).toEqual([['a"b', "cd"]]);
		expect(parseDelimited('ok\n"never closed')).toEqual([
			{ line: 1, fields: ["ok"] },
			{ line: 2, fields: ["never closed"], error: "unterminated quoted field" },
		]);
	});

	it("rejects the line of a quote that runs to the end of the input, and reads the lines after it", () => {
		expect(parseDelimited('ok\n"never closed,\nmore\nrows')).toEqual([
			{ line: 1, fields: ["ok"] },
			{ line: 2, fields: [], error: expect.stringMatching(/^unbalanced quote: .* never closed/) },
			{ line: 3, fields: ["more"] },
			{ line: 4, fields: ["rows"] },
		]);
	});

	it("rejects only the line of a stray quote and resumes on the next line; multi-line fields stay", () => {
		const text = [
			"id,claim,speaker",
			'1,"unbalanced quote,Anna',
			"2,good row,Bert",
			'3,"quoted, ok",Carla',
			'4,"two',
			'lines",Dora',
			'5,"x ""y"" z",Emil',
		].join("\r\n");
		expect(parseDelimited(text, { fieldCount: "first-row" })).toEqual([
			{ line: 1, fields: ["id", "claim", "speaker"] },
			{ line: 2, fields: [], error: expect.stringMatching(/^unbalanced quote: /) },
			{ line: 3, fields: ["2", "good row", "Bert"] },
			{ line: 4, fields: ["3", "quoted, ok", "Carla"] },
			{ line: 5, fields: ["4", "two\r\nlines", "Dora"] },
			{ line: 7, fields: ["5", 'x "y" z', "Emil"] },
		]);
	});

	it("takes a multi-line field only when its row has the expected number of fields", () => {
		// The quote closes before a delimiter, but the row it makes has four fields, not three.
		const text = 'a,b,c\n1,"x\n2",y,z\n3,q,r\n';
		expect(parseDelimited(text, { fieldCount: 3 })).toEqual([
			{ line: 1, fields: ["a", "b", "c"] },
			{ line: 2, fields: [], error: expect.stringMatching(/^unbalanced quote: .*4 fields, not 3/) },
			{ line: 3, fields: ['2"', "y", "z"] },
			{ line: 4, fields: ["3", "q", "r"] },
		]);
		// Without a field count any well-closed multi-line field is taken.
		expect(fields(parseDelimited(text))).toEqual([
			["a", "b", "c"],
			["1", "x\n2", "y", "z"],
			["3", "q", "r"],
		]);
	});

	it("loses no row but the one with a stray quote, in any well-formed table (property)", () => {
		const width = 3;
		const plain = fc.stringMatching(/^[a-z ]{0,6}$/);
		// Quoted values may hold anything but start with a delimiter, a quote or a line break:
		// a stray quote closed by such a value's opening quote makes a well-formed row of its own.
		const quoted = fc
			.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r\n", " ") })
			.filter((v) => !/^[,"\r\n]/.test(v))
			.map((v) => `"${v.replaceAll('"', '""')}"`);
		const row = fc.array(fc.oneof(plain, quoted), { minLength: width, maxLength: width });
		const unquote = (v: string) => (v.startsWith('"') ? v.slice(1, -1).replaceAll('""', '"') : v);
		fc.assert(
			fc.property(
				fc.array(row, { minLength: 2, maxLength: 8 }),
				fc.nat(),
				fc.nat(),
				fc.boolean(),
				(rows, r, c, crlf) => {
					const target = r % rows.length;
					const cells = rows.map((cells, i) =>
						i === target ? cells.map((_, j) => (j === c % width ? `"stray${j}` : `p${j}`)) : cells,
					);
					const parsed = parseDelimited(cells.map((cs) => cs.join(",")).join(crlf ? "\r\n" : "\n"), {
						fieldCount: width,
					});
					expect(parsed.filter((p) => p.error)).toHaveLength(1);
					expect(parsed.filter((p) => !p.error).map((p) => p.fields)).toEqual(
						cells.filter((_, i) => i !== target).map((cs) => cs.map(unquote)),
					);
				},
			),
			{ numRuns: 500, seed: 20251204 },
		);
	});

	it("gives the same rows for stray quotes however the input is split (property)", () => {
		const cell = fc.constantFrom("a", '"', '"a', 'a"', '""', "\n", ",", "x y");
		const text = fc.array(cell, { minLength: 1, maxLength: 40 }).map((parts) => parts.join(""));
		fc.assert(
			fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
				const options = { fieldCount: "first-row" as const };
				const whole = parseDelimited(input, options);
				const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
				const parser = new DelimitedParser(options);
				const parsed: DelimitedRow[] = [];
				let start = 0;
				for (const p of [...points, input.length]) {
					parsed.push(...parser.push(input.slice(start, p)));
					start = p;
				}
				parsed.push(...parser.end());
				expect(parsed).toEqual(whole);
				// Every line is in exactly one row or rejection: none is swallowed.
				const lines = input.split("\n").length;
				expect(whole.every((row) => row.line >= 1 && row.line <= lines)).toBe(true);
			}),
			{ numRuns: 500, seed: 20251204 },
		);
	});

	it("cuts an overlong row and resumes on the next line", () => {
		const rows = parseDelimited(`a\n"${"x".repeat(50)}\nb\nc\n`, { maxRowLength: 20 });
		expect(rows[0]).toEqual({ line: 1, fields: ["a"] });
		expect(rows[1]?.error).toMatch(/^row longer than 20 characters/);
		expect(rows.slice(2)).toEqual([
			{ line: 3, fields: ["b"] },
			{ line: 4, fields: ["c"] },
		]);
	});

	it("gives the same rows however the input is split into chunks", () => {
		const text = '\uFEFFid,text\r\n1,"a ""b"", c\r\nd"\r\n2,plain\r\n3,"x"\r\n';
		const whole = parseDelimited(text);
		for (let size = 1; size <= text.length; size++) {
			const parser = new DelimitedParser();
			const rows: DelimitedRow[] = [];
			for (let i = 0; i < text.length; i += size) rows.push(...parser.push(text.slice(i, i + size)));
			rows.push(...parser.end());
			expect(rows).toEqual(whole);
		}
	});

	it("round-trips any table written as RFC 4180, split anywhere (property)", () => {
		const cell = fc.string({ unit: fc.constantFrom("a", "ü", ",", '"', "\n", "\r\n", " ", "x") });
		const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
		fc.assert(
			fc.property(table, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (rows, cuts, crlf) => {
				const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
				const text = rows.map((r) => r.map(quote).join(",")).join(crlf ? "\r\n" : "\n");
				const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
				const parser = new DelimitedParser();
				const parsed: DelimitedRow[] = [];
				let start = 0;
				for (const p of [...points, text.length]) {
					parsed.push(...parser.push(text.slice(start, p)));
					start = p;
				}
				parsed.push(...parser.end());
				expect(parsed.map((r) => r.fields)).toEqual(rows);
			}),
			{ numRuns: 300, seed: 20250712 },
		);
	});

	it("streams many rows through chunks without keeping them", async () => {
		const rowCount = 50_000;
		function* chunks() {
			let buffer = "id,claim,speaker,rating\n";
			for (let i = 1; i <= rowCount; i++) {
				buffer += `${i},"Claim number ${i}, quoted",Speaker ${i % 100},False\n`;
				if (buffer.length > 16_384) {
					yield buffer;
					buffer = "";
				}
			}
			yield buffer;
		}
		let count = 0;
		let lastLine = 0;
		for await (const row of iterateDelimited(chunks())) {
			count++;
			lastLine = row.line;
		}
		expect(count).toBe(rowCount + 1);
		expect(lastLine).toBe(rowCount + 1);

		const importer = createDelimitedImporter({
			columns: { externalId: "id", claim: "claim", speaker: "speaker" },
		});
		let records = 0;
		let lastId: string | undefined;
		for (const chunk of chunks()) {
			const result = importer.push(chunk);
			records += result.records.length;
			expect(result.rejected).toEqual([]);
			lastId = result.records.at(-1)?.externalId ?? lastId;
		}
		records += importer.end().records.length;
		expect(records).toBe(rowCount);
		expect(lastId).toBe(String(rowCount));
	});
});

describe("byte decoding", () => {
	const utf8 = (s: string) => new TextEncoder().encode(s);
	const concat = (...parts: Uint8Array[]) => {
		const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
		let offset = 0;
		for (const p of parts) {
			out.set(p, offset);
			offset += p.length;
		}
		return out;
	};
	// "M\xfcller" in Latin-1 inside an otherwise UTF-8 file
	const mixed = concat(
		utf8("\uFEFFid,claim,speaker\r\n1,Grüße aus Köln,"),
		new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]),
		utf8("\r\n2,"),
		new Uint8Array([0x93, 0x47, 0x72, 0xf6, 0xdf, 0x65, 0x94]),
		utf8(",Jürgen 😀\r\n"),
	);
	const expected = "\uFEFFid,claim,speaker\r\n1,Grüße aus Köln,Müller\r\n2,“Größe”,Jürgen 😀\r\n";

	it("reads invalid UTF-8 bytes as Latin-1 / Windows-1252", () => {
		expect(decodeText(mixed)).toBe(expected);
		expect(decodeText(new Uint8Array([0x80, 0x81, 0xe9]))).toBe("€\u0081é");
		expect(decodeText(utf8("plain UTF-8 ✓"))).toBe("plain UTF-8 ✓");
		// a truncated sequence at the very end is a Latin-1 byte, not lost
		expect(decodeText(new Uint8Array([0x61, 0xc3]))).toBe("aÃ");
	});

	it("decodes the same whichever byte a chunk ends on", async () => {
		for (let cut = 0; cut <= mixed.length; cut++) {
			const decoder = new LenientUtf8Decoder();
			const text =
				decoder.decode(mixed.subarray(0, cut), { stream: true }) +
				decoder.decode(mixed.subarray(cut), { stream: true }) +
				decoder.decode(new Uint8Array(0));
			expect(text).toBe(expected);
		}
		const parts: string[] = [];
		for await (const part of decodeChunks([
			mixed.subarray(0, 40),
			mixed.subarray(40, 41),
			mixed.subarray(41),
		]))
			parts.push(part);
		expect(parts.join("")).toBe(expected);
	});

	it("imports the mixed file with the speaker names intact", () => {
		const result = importDelimited(decodeText(mixed), { columns: { claim: "claim", speaker: "speaker" } });
		expect(result.rejected).toEqual([]);
		expect(result.records.map((r) => r.speaker?.name)).toEqual(["Müller", "Jürgen 😀"]);
		expect(result.records.map((r) => r.claim.text)).toEqual(["Grüße aus Köln", "“Größe”"]);
	});
});

describe("CSV import with a column mapping", () => {
	it("reads the fixture as written: BOM and CRLF", () => {
		expect(claimsCsv.startsWith("\uFEFFid,claim")).toBe(true);
		expect(claimsCsv).toContain("\r\n");
	});

	it("maps rows to records and rejects bad rows with their line and reason", () => {
		const mapping = columnMappingSchema.parse(claimsMapping);
		const result = importDelimited(claimsCsv, mapping);
		const records: ImportRecord[] = [
			{
				externalId: "sheet:1",
				claim: {
					text: 'Der Strompreis hat sich verdoppelt, sagt "jeder".',
					language: "de",
					claimedAt: "2025-07-12",
				},
				speaker: { name: "Anna Beispiel", kind: "person" },
				sources: [
					{ url: "https://news.example.de/a", title: "Interview im Radio" },
					{ url: "https://news.example.de/b" },
				],
				verdict: {
					rating: "false",
					originalRating: "Falsch",
					headline: "Nein: Der Strompreis hat sich nicht verdoppelt",
					url: "https://check.example.de/1",
					publishedAt: "2025-07-13",
				},
			},
			{
				externalId: "sheet:2",
				claim: { text: "Erste Zeile\nzweite Zeile der Behauptung", language: "de", claimedAt: "2025-07-01" },
				speaker: { name: "Stadtwerke Beispiel", kind: "organization" },
				sources: [],
				verdict: {
					rating: "mostly-true",
					originalRating: "Mostly True",
					headline: "Erste Zeile zweite Zeile der Behauptung",
					url: "https://check.example.de/2",
					publishedAt: "2025-07-14",
				},
			},
			{
				externalId: "sheet:6",
				claim: { text: "Eine Behauptung ohne Urteil", language: "en-GB" },
				speaker: null,
				sources: [],
				verdict: null,
			},
		];
		expect(result.records).toEqual(records);
		expect(result.rejected).toEqual([
			{ index: 2, line: 5, reason: "expected 12 columns, found 3" },
			{ index: 3, line: 6, reason: "missing claim text" },
			{ index: 4, line: 7, reason: 'unknown rating "Vielleicht"' },
			// Its only review URL is javascript:, so its verdict would have no evidence: the row is
			// rejected, with what the mapping left out.
			{
				index: 6,
				line: 10,
				reason:
					"verdict.url: A verdict is published only with evidence: give the review's own http(s) URL, or import the claim without a verdict." +
					' (sourceUrl: "javascript:alert(2)" is not an http(s) URL, left out; reviewUrl: "javascript:alert(1)" is not an http(s) URL, left out; claimedAt: unreadable date "31.02.2025" left out)',
			},
		]);
		expect(result.warnings).toEqual([]);
		expectValid(result);
		expect(importDelimited(claimsCsv, mapping)).toEqual(result);
	});

	it("gives the same result fed in small chunks", () => {
		const importer = createDelimitedImporter(columnMappingSchema.parse(claimsMapping));
		const merged: ImportResult = { records: [], rejected: [], warnings: [] };
		for (let i = 0; i < claimsCsv.length; i += 7) {
			const part = importer.push(claimsCsv.slice(i, i + 7));
			merged.records.push(...part.records);
			merged.rejected.push(...part.rejected);
			merged.warnings.push(...part.warnings);
		}
		const last = importer.end();
		merged.records.push(...last.records);
		merged.rejected.push(...last.rejected);
		merged.warnings.push(...last.warnings);
		expect(merged).toEqual(importDelimited(claimsCsv, columnMappingSchema.parse(claimsMapping)));
	});

	it("maps by column position without a header, with a numeric rating scale", () => {
		const text = "Claim one;Alice;2;;https://check.example/one\nClaim two;;;4;\n";
		const result = importDelimited(
			text,
			{
				header: false,
				delimiter: ";",
				scale: { worst: 0, best: 4 },
				columns: { claim: 0, speaker: 1, ratingValue: 2, reviewUrl: 4 },
			},
			{ defaultLanguage: "fr" },
		);
		expect(result.records).toEqual([
			{
				claim: { text: "Claim one", language: "fr" },
				speaker: { name: "Alice", kind: "person" },
				sources: [],
				verdict: {
					rating: "half-true",
					originalRating: "2 on 0–4",
					originalScale: { value: 2, worst: 0, best: 4 },
					headline: "Claim one",
					url: "https://check.example/one",
				},
			},
			{ claim: { text: "Claim two", language: "fr" }, speaker: null, sources: [], verdict: null },
		]);
	});

	it("rejects the line with a stray quote, keeps the rows after it, and counts every data line once", () => {
		const text = [
			"id,claim,speaker",
			'1,"Unbalanced quote starts here,Anna',
			"2,A good row,Bert",
			'3,"Quoted, fine",Anna',
			"4,Another good row,Bert",
		].join("\n");
		const result = importDelimited(text, {
			columns: { externalId: "id", claim: "claim", speaker: "speaker" },
		});
		expect(result.records.map((r) => [r.externalId, r.claim.text])).toEqual([
			["2", "A good row"],
			["3", "Quoted, fine"],
			["4", "Another good row"],
		]);
		expect(result.rejected).toEqual([
			{ index: 0, line: 2, reason: expect.stringMatching(/^unbalanced quote/) },
		]);
		expect(result.records.length + result.rejected.length).toBe(4);
	});

	it("keeps a legitimate multi-line field beside a stray quote", () => {
		const text = 'id,claim\n1,"Stray\n2,"Zwei\nZeilen"\n3,Drei\n';
		const result = importDelimited(text, { columns: { externalId: "id", claim: "claim" } });
		expect(result.records.map((r) => [r.externalId, r.claim.text])).toEqual([
			["2", "Zwei\nZeilen"],
			["3", "Drei"],
		]);
		expect(result.rejected).toEqual([
			{ index: 0, line: 2, reason: expect.stringMatching(/^unbalanced quote/) },
		]);
	});

	it("reads a sourceUrl cell's URLs separated by white space, commas, semicolons or |, keeping a comma inside an address", () => {
		const cells = [
			"https://a.example/1, https://b.example/2",
			"https://a.example/1,https://b.example/2",
			"https://a.example/1; https://b.example/2;",
			"https://a.example/1 | https://b.example/2",
			"https://a.example/1|https://b.example/2",
			"https://a.example/1\nhttps://b.example/2",
			"https://a.example/1 ,, HTTPS://b.example/2 ,",
		];
		const text = ["claim\tsources", ...cells.map((cell, i) => `Claim ${i}\t"${cell}"`)].join("\n");
		const result = importDelimited(text, {
			delimiter: "\t",
			columns: { claim: "claim", sourceUrl: "sources" },
		});
		expect(result.rejected).toEqual([]);
		expect(result.warnings).toEqual([]);
		for (const record of result.records)
			expect(
				record.sources.map((s) => s.url),
				record.claim.text,
			).toEqual(["https://a.example/1", expect.stringMatching(/^https:\/\/b\.example\/2$/i)]);
		// A comma or semicolon inside an address, before neither white space nor another address, is the address's.
		const inside = importDelimited(
			'claim,sources\nOne,"https://a.example/x,y?ids=1,2;v=3 https://b.example/"\n',
			{
				columns: { claim: "claim", sourceUrl: "sources" },
			},
		);
		expect(inside.records[0]?.sources.map((s) => s.url)).toEqual([
			"https://a.example/x,y?ids=1,2;v=3",
			"https://b.example/",
		]);
	});

	it("keeps a query parameter's list of addresses in its address, and still splits after any other", () => {
		const cells = [
			"https://a.example/login?next=https://b.example/x,https://c.example/y https://d.example/",
			"https://a.example/share?id=3&urls=HTTPS://b.example/;https://c.example/,https://d.example/",
			"https://v.example/watch?v=abc,https://d.example/",
			"https://v.example/go?to=https://b.example/&v=1,https://d.example/",
		];
		const text = ["claim\tsources", ...cells.map((cell, i) => `Claim ${i}\t"${cell}"`)].join("\n");
		const result = importDelimited(text, {
			delimiter: "\t",
			columns: { claim: "claim", sourceUrl: "sources" },
		});
		expect(result.warnings).toEqual([]);
		expect(result.records.map((record) => record.sources.map((s) => s.url))).toEqual([
			["https://a.example/login?next=https://b.example/x,https://c.example/y", "https://d.example/"],
			["https://a.example/share?id=3&urls=HTTPS://b.example/;https://c.example/,https://d.example/"],
			["https://v.example/watch?v=abc", "https://d.example/"],
			["https://v.example/go?to=https://b.example/&v=1", "https://d.example/"],
		]);
	});

	it("splits a cell with a run of 40,000 commas", { timeout: 120_000 }, () => {
		const commas = ",".repeat(40_000);
		const cell = `https://a.example/1 ${commas}x ${commas}https://b.example/2${commas};${commas}`;
		const result = importDelimited(`claim\tsources\nOne\t${cell}\n`, {
			delimiter: "\t",
			columns: { claim: "claim", sourceUrl: "sources" },
		});
		expect(result.records[0]?.sources.map((s) => s.url)).toEqual([
			"https://a.example/1",
			"https://b.example/2",
		]);
		// The run before "x" is no separator: ",,,…x" is read as an address, and is none.
		expect(result.warnings).toEqual([
			{ index: 0, line: 2, message: expect.stringMatching(/^sourceUrl: ",+…" is not an http\(s\) URL/) },
		]);
	});

	it("stops on a mapping that does not fit the file", () => {
		expect(() => importDelimited("a,b\n1,2\n", { columns: { claim: "claim" } })).toThrow(ColumnMappingError);
		expect(() => importDelimited("a,b\n", { header: false, columns: { claim: "claim" } })).toThrow(
			/no header row/,
		);
		expect(() => importDelimited("a,b\n", { header: false, columns: { claim: 5 } })).toThrow(/position 5/);
		expect(columnMappingSchema.safeParse({ columns: {} }).success).toBe(false);
		expect(columnMappingSchema.safeParse({ columns: { claim: "c", bogus: "x" } }).success).toBe(false);
	});
});

describe("LIAR import", () => {
	const record = (
		id: string,
		rating: string,
		label: string,
		text: string,
		context: string,
		speaker: ImportRecord["speaker"],
	): ImportRecord => ({
		externalId: `liar:${id}`,
		claim: { text, language: "en", context },
		speaker,
		sources: [],
		verdict: {
			rating: rating as NonNullable<ImportRecord["verdict"]>["rating"],
			originalRating: label,
			headline: text,
			language: "en",
		},
	});

	it("maps the six labels and slugs to names", () => {
		const mapped = parseDelimited(liarTsv, { delimiter: "\t", quote: null })
			.map(mapLiarRow)
			.flatMap((outcome) => ("record" in outcome ? [outcome.record] : []));
		expect(mapped).toEqual([
			record(
				"2635.json",
				"false",
				"false",
				"Says the Annies List political group supports third-trimester abortions on demand.",
				"a mailer",
				{ name: "Dwayne Bohac", kind: "person", description: "State representative, Republican, Texas" },
			),
			record(
				"10540.json",
				"half-true",
				"half-true",
				"When did the decline of coal start? It started when natural gas took off that started to begin in (President George W.) Bushs administration.",
				"a floor speech.",
				{ name: "Scott Surovell", kind: "person", description: "State delegate, Democrat, Virginia" },
			),
			record(
				"324.json",
				"mostly-true",
				"mostly-true",
				'Hillary Clinton agrees with John McCain "by voting to give George Bush the benefit of the doubt on Iran."',
				"Denver",
				{ name: "Barack Obama", kind: "person", description: "President, Democrat, Illinois" },
			),
			record(
				"1123.json",
				"false",
				"false",
				"Health care reform legislation is likely to mandate free sex change surgeries.",
				"a news release",
				{ name: "Blog Posting", kind: "person" },
			),
			record(
				"9028.json",
				"half-true",
				"half-true",
				"The economic turnaround started at the end of my term.",
				"an interview on CNN",
				{ name: "Charlie Crist", kind: "person", description: "Democrat, Florida" },
			),
			record(
				"12465.json",
				"true",
				"true",
				"The Chicago Bears have had more starting quarterbacks in the last 10 years than the total number of tenured (UW) faculty fired during the last two decades.",
				"a an online opinion-piece",
				{
					name: "Robin Vos",
					kind: "person",
					description: "Wisconsin Assembly speaker, Republican, Wisconsin",
				},
			),
			record(
				"2342.json",
				"mostly-false",
				"barely-true",
				"Jim Dunnam has not lived in the district he represents for years now.",
				"a press release.",
				{ name: "Republican Party Texas", kind: "person", description: "Republican, Texas" },
			),
			record(
				"153.json",
				"false",
				"pants-fire",
				'"Says Obama is a secret agent" says a chain email.',
				"an email",
				{ name: "Chain Email", kind: "organization" },
			),
		]);
	});

	it("rejects every LIAR verdict, which has no review URL and so no evidence, and bad rows with their line", () => {
		const result = importLiar(liarTsv);
		expect(result.records).toEqual([]);
		const noEvidence = (index: number) => ({
			index,
			line: index + 1,
			reason: expect.stringMatching(/^verdict\.url: A verdict is published only with evidence/),
		});
		expect(result.rejected).toEqual([
			...[0, 1, 2, 3, 4, 5, 6, 7].map(noEvidence),
			{ index: 8, line: 9, reason: "expected 14 columns, found 13" },
			{ index: 9, line: 10, reason: 'unknown rating "full-flop"' },
		]);
	});

	it("gives the same result fed in chunks, and twice the same", () => {
		const importer = createLiarImporter();
		const rejected: ImportRejection[] = [];
		for (let i = 0; i < liarTsv.length; i += 13)
			rejected.push(...importer.push(liarTsv.slice(i, i + 13)).rejected);
		rejected.push(...importer.end().rejected);
		expect(rejected).toEqual(importLiar(liarTsv).rejected);
		expect(JSON.stringify(importLiar(liarTsv))).toBe(JSON.stringify(importLiar(liarTsv)));
	});

	it("turns slugs into names", () => {
		expect(speakerNameFromSlug("barack-obama")).toBe("Barack Obama");
		expect(speakerNameFromSlug("hillary-clinton ")).toBe("Hillary Clinton");
		expect(speakerNameFromSlug("")).toBe("");
	});
});

describe("import record schema", () => {
	const base: ImportRecord = {
		claim: { text: "A claim.", language: "en" },
		speaker: null,
		sources: [{ url: "https://example.org/a" }],
		verdict: null,
	};

	it("accepts a minimal record and refuses unsafe links, blank text and bad tags", () => {
		expect(importRecordSchema.safeParse(base).success).toBe(true);
		for (const url of [
			"javascript:alert(1)",
			"data:text/html,x",
			"ftp://example.org/x",
			"/relative",
			"https://",
		])
			expect(importRecordSchema.safeParse({ ...base, sources: [{ url }] }).success).toBe(false);
		expect(importRecordSchema.safeParse({ ...base, claim: { text: "   ", language: "en" } }).success).toBe(
			false,
		);
		expect(
			importRecordSchema.safeParse({ ...base, claim: { text: "x".repeat(10_001), language: "en" } }).success,
		).toBe(false);
		expect(importRecordSchema.safeParse({ ...base, claim: { text: "x", language: "English" } }).success).toBe(
			false,
		);
		expect(
			importRecordSchema.safeParse({ ...base, claim: { text: "x", language: "en", claimedAt: "12.07.2025" } })
				.success,
		).toBe(false);
		expect(
			importRecordSchema.safeParse({
				...base,
				verdict: { rating: "pants-fire", originalRating: "x", headline: "y" },
			}).success,
		).toBe(false);
		expect(importRecordSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
		const verdict = { rating: "false", originalRating: "x", headline: "y", url: "https://check.example/y" };
		expect(
			importRecordSchema.safeParse({
				...base,
				verdict: { ...verdict, originalScale: { value: 7, worst: 1, best: 6 } },
			}).success,
		).toBe(false);
		expect(
			importRecordSchema.safeParse({
				...base,
				verdict: { ...verdict, originalScale: { value: 1, worst: 1, best: 6 } },
			}).success,
		).toBe(true);
	});

	it("refuses what the desk would: a verdict without an http(s) review URL, a date in the future", () => {
		const verdict = { rating: "false", originalRating: "x", headline: "y", url: "https://check.example/y" };
		const issue = (record: unknown) => {
			const parsed = importRecordSchema.safeParse(record);
			return parsed.success
				? null
				: `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`;
		};
		expect(issue({ ...base, verdict })).toBeNull();
		expect(issue({ ...base, verdict: { ...verdict, url: undefined } })).toMatch(
			/^verdict\.url: A verdict is published only with evidence/,
		);
		expect(issue({ ...base, verdict: { ...verdict, url: "javascript:alert(1)" } })).toBe(
			"verdict.url: must be an absolute http(s) URL",
		);
		const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
		expect(issue({ ...base, claim: { ...base.claim, claimedAt: day(1) } })).toBeNull();
		expect(issue({ ...base, claim: { ...base.claim, claimedAt: day(2) } })).toBe(
			"claim.claimedAt: This date is in the future.",
		);
		expect(issue({ ...base, verdict: { ...verdict, publishedAt: "2999-01-01" } })).toBe(
			"verdict.publishedAt: This date is in the future.",
		);
		expect(issue({ ...base, sources: [{ url: "https://example.org/a", publishedAt: "2999-01-01" }] })).toBe(
			"sources.0.publishedAt: This date is in the future.",
		);
	});
});
