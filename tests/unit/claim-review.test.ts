import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractJsonLdBlocks, parseClaimReviewDocument } from "../../scripts/lib/import-mapping/claimreview";
import type { Appearance, Source, Verdict } from "../../src/db/schema";
import { authorNames, bylineNames, joinAuthorNames, MAX_AUTHORS } from "../../src/domain/author-names";
import { type ClaimReviewJsonLd, claimReviewJsonLd, dataFeedJsonLd } from "../../src/domain/claim-review";
import { BEST_RATING, RATING_KEYS, RATINGS, type RatingKey, WORST_RATING } from "../../src/domain/ratings";
import { jsonLdScript } from "../../src/domain/safe-json-ld";
import type { ClaimDetail } from "../../src/store/claims";

// --- fixtures ------------------------------------------------------------------------------------

const ORG = {
	name: "Claimtrack",
	url: "https://claimtrack.example/",
	logo: "https://claimtrack.example/logo.png",
};
const CLAIM_URL = "https://claimtrack.example/claims/c0000000000001";
const OPTIONS = { claimUrl: CLAIM_URL, org: ORG, ownSites: ["claimtrack.example"], timeZone: "UTC" };

const STAMP = "2025-07-12T08:00:00.000Z";

function source(overrides: Partial<Source> = {}): Source {
	return {
		id: "s0000000000001",
		url: "https://news.example/2025/07/12/lawrow-wonsan",
		domain: "news.example",
		title: "Lawrow in Wŏnsan: zweite Runde des strategischen Dialogs",
		publisher: "News Example",
		author: "Erika Muster",
		language: "de",
		publishedAt: "2025-07-12",
		archivedUrl: null,
		version: 1,
		createdAt: STAMP,
		updatedAt: STAMP,
		createdBy: null,
		...overrides,
	};
}

function appearance(src: Source, isFirst: boolean, id = `a-${src.id}`): Appearance & { source: Source } {
	return {
		id,
		claimId: "c0000000000001",
		sourceId: src.id,
		quote: null,
		anchor: null,
		isFirst,
		createdAt: STAMP,
		createdBy: null,
		source: src,
	};
}

function verdict(overrides: Partial<Verdict> = {}): Verdict {
	return {
		id: "v0000000000001",
		claimId: "c0000000000001",
		rating: "false",
		headline: "Nordkoreanische Truppen befreiten Kursk nicht allein",
		summary: "Die Ukraine wurde aus Kursk vor allem von russischen Truppen verdrängt.",
		body: null,
		evidence: "[]",
		language: "de",
		reviewerId: null,
		writerId: null,
		changesRequestedAt: null,
		submittedAt: null,
		claimChangeSeen: null,
		editorId: null,
		state: "published",
		correctionNote: null,
		retractionNote: null,
		supersedesId: null,
		originalRating: null,
		reviewUrl: null,
		reviewHost: null,
		reviewPublisher: null,
		publishedAt: "2025-07-13T09:30:00.000Z",
		retractedAt: null,
		version: 1,
		createdAt: "2025-07-13T08:00:00.000Z",
		updatedAt: "2025-07-13T09:30:00.000Z",
		...overrides,
	};
}

const CHOE = {
	id: "p0000000000001",
	name: "Choe Son-hui",
	slug: "choe-son-hui",
	kind: "person" as const,
	description: "Foreign Minister of the DPRK",
	wikidataId: "Q487640",
	version: 1,
	createdAt: STAMP,
	updatedAt: STAMP,
	createdBy: null,
	aliases: ["Choe Son Hui"],
};

const QUOTE =
	"Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und Kämpfer der Koreanischen Volksarmee zusammen mit ihren russischen Kameraden das Gebiet befreiten.";

function detail(overrides: Partial<ClaimDetail> = {}): ClaimDetail {
	const published = verdict();
	return {
		people: {},
		changes: [],
		tags: [],
		snapshots: {},
		uploads: [],
		seq: 1,
		id: "c0000000000001",
		text: QUOTE,
		language: "de",
		speakerId: CHOE.id,
		claimedAt: "2025-07-12",
		context: null,
		status: published.rating,
		currentVerdictId: published.id,
		reviewedAt: published.publishedAt,
		fingerprint: "f",
		externalId: null,
		version: 1,
		createdAt: STAMP,
		updatedAt: STAMP,
		changedAt: null,
		quotedAt: null,
		createdBy: null,
		assigneeId: null,
		searchTerms: null,
		speaker: CHOE,
		appearances: [
			appearance(source(), true),
			appearance(
				source({
					id: "s0000000000002",
					url: "https://other.example/kursk",
					domain: "other.example",
					title: null,
					publisher: null,
					author: null,
					language: null,
					publishedAt: null,
				}),
				false,
			),
		],
		verdicts: [published],
		...overrides,
	};
}

function review(d: ClaimDetail & { archivedCopies?: Record<string, string> } = detail()): ClaimReviewJsonLd {
	const result = claimReviewJsonLd(d, OPTIONS);
	if (!result) throw new Error("expected a ClaimReview");
	return result;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// --- ClaimReview ---------------------------------------------------------------------------------

describe("claimReviewJsonLd", () => {
	it("has every property Google requires and recommends, with the right types", () => {
		const r = review();
		expect(r["@context"]).toBe("https://schema.org");
		expect(r["@type"]).toBe("ClaimReview");
		expect(r.url).toBe(CLAIM_URL);
		expect(r.claimReviewed).toBe(QUOTE);
		expect(r.headline).toBe("Nordkoreanische Truppen befreiten Kursk nicht allein");
		expect(r.inLanguage).toBe("de");
		expect(r.datePublished).toBe("2025-07-13");
		expect(r.datePublished).toMatch(ISO_DATE);
		expect(r).not.toHaveProperty("dateModified");
		expect(r.reviewRating).toEqual({
			"@type": "Rating",
			alternateName: "Falsch",
			ratingValue: 1,
			worstRating: WORST_RATING,
			bestRating: BEST_RATING,
		});
		expect(r.author).toEqual({
			"@type": "Organization",
			name: "Claimtrack",
			url: "https://claimtrack.example/",
			logo: { "@type": "ImageObject", url: "https://claimtrack.example/logo.png" },
		});
		const item = r.itemReviewed;
		expect(item["@type"]).toBe("Claim");
		expect(item.inLanguage).toBe("de");
		expect(item.datePublished).toBe("2025-07-12");
		expect(item.author).toEqual({
			"@type": "Person",
			name: "Choe Son-hui",
			sameAs: "https://www.wikidata.org/wiki/Q487640",
			jobTitle: "Foreign Minister of the DPRK",
		});
		expect(item.firstAppearance).toEqual({
			"@type": "CreativeWork",
			url: "https://news.example/2025/07/12/lawrow-wonsan",
			headline: "Lawrow in Wŏnsan: zweite Runde des strategischen Dialogs",
			datePublished: "2025-07-12",
			inLanguage: "de",
			publisher: { "@type": "Organization", name: "News Example" },
			author: { "@type": "Person", name: "Erika Muster" },
		});
		// Unknown details are left out, never published as null or "".
		expect(item.appearance).toEqual([
			item.firstAppearance,
			{ "@type": "CreativeWork", url: "https://other.example/kursk" },
		]);
		const all = JSON.stringify(r);
		expect(all).not.toContain("null");
		expect(all).not.toContain('""');
	});

	it("names the claim's topics as keywords, in the verdict's language", () => {
		expect(review()).not.toHaveProperty("keywords");
		const tagged = detail({
			tags: [
				{ slug: "ukraine-krieg", nameEn: "Ukraine war", nameDe: "Ukraine-Krieg" },
				{ slug: "nordkorea", nameEn: "North Korea", nameDe: "Nordkorea" },
			],
		});
		// The fixture's verdict is German.
		expect(review(tagged).keywords).toBe("Ukraine-Krieg, Nordkorea");
	});

	it("gives each appearance our archived copy and a third-party archive as archivedAt", () => {
		expect(review().itemReviewed.firstAppearance).not.toHaveProperty("archivedAt");
		const src = source({ archivedUrl: "https://web.archive.org/web/20250712000000/https://news.example/x" });
		const copy = "https://claimtrack.example/snapshots/s1";
		const archived = review({
			...detail({ appearances: [appearance(src, true)] }),
			archivedCopies: { [src.url]: copy },
		});
		expect(archived.itemReviewed.firstAppearance?.archivedAt).toEqual([copy, src.archivedUrl]);
		const oursOnly = review({ ...detail(), archivedCopies: { [source().url]: copy } });
		expect(oursOnly.itemReviewed.appearance?.[0]?.archivedAt).toBe(copy);
	});

	it("gives numbers only where the scale has them, and always the label", () => {
		for (const rating of RATINGS) {
			const r = review(detail({ verdicts: [verdict({ rating: rating.key, language: "en" })] }));
			expect(r.reviewRating.alternateName).toBe(rating.labels.en);
			if (rating.value === null) {
				expect(r.reviewRating).not.toHaveProperty("ratingValue");
				expect(r.reviewRating).not.toHaveProperty("worstRating");
				expect(r.reviewRating).not.toHaveProperty("bestRating");
			} else {
				expect(r.reviewRating.ratingValue).toBe(rating.value);
				expect(typeof r.reviewRating.ratingValue).toBe("number");
				expect(r.reviewRating.worstRating).toBe(1);
				expect(r.reviewRating.bestRating).toBe(5);
			}
		}
	});

	it("labels the rating in the verdict's language, else in English, whatever the page's language", () => {
		expect(review(detail()).reviewRating.alternateName).toBe("Falsch");
		const english = detail({ verdicts: [verdict({ language: "en-GB" })] });
		expect(review(english).reviewRating.alternateName).toBe("False");
		// One rule on every page, the DataFeed and Google's API: a French review is "False".
		const french = detail({ verdicts: [verdict({ language: "fr" })] });
		expect(review(french).reviewRating.alternateName).toBe("False");
		expect(review(french).inLanguage).toBe("fr");
	});

	it("is null without a published current verdict; drafts never appear", () => {
		const draft = verdict({
			id: "v0000000000009",
			state: "draft",
			publishedAt: null,
			headline: "DRAFT ONLY",
		});
		expect(claimReviewJsonLd(detail({ verdicts: [draft], currentVerdictId: null }), OPTIONS)).toBeNull();
		// Even a (corrupt) pointer to a draft publishes nothing.
		expect(claimReviewJsonLd(detail({ verdicts: [draft], currentVerdictId: draft.id }), OPTIONS)).toBeNull();
		expect(claimReviewJsonLd(detail({ verdicts: [], currentVerdictId: null }), OPTIONS)).toBeNull();
		const retracted = verdict({
			state: "retracted",
			retractedAt: "2025-07-20T00:00:00Z",
			correctionNote: "x",
		});
		expect(claimReviewJsonLd(detail({ verdicts: [retracted] }), OPTIONS)).toBeNull();

		// Another publisher's review (imported): its markup is theirs, on their page.
		const theirs = verdict({
			originalRating: "Falsch",
			reviewUrl: "https://correctiv.org/faktencheck/x",
			reviewPublisher: "Correctiv",
		});
		expect(claimReviewJsonLd(detail({ verdicts: [theirs] }), OPTIONS)).toBeNull();
		// Imported from our own site (www. or not), it stays ours.
		const ours = verdict({ reviewUrl: "https://www.claimtrack.example/x", reviewPublisher: "Claimtrack" });
		expect(claimReviewJsonLd(detail({ verdicts: [ours] }), OPTIONS)?.author.name).toBe(ORG.name);

		// A published verdict beside a newer draft: the published one, and no trace of the draft.
		const r = review(detail({ verdicts: [verdict(), draft] }));
		expect(r.headline).toBe(verdict().headline);
		expect(JSON.stringify(r)).not.toContain("DRAFT ONLY");
	});

	it("is modified by a public change of the claim after its verdict, not by one before", () => {
		const change = (at: string) => ({
			id: 1,
			claimId: "c0000000000001",
			field: "text" as const,
			fromValue: "Misquoted",
			fromFingerprint: null,
			mergedFrom: null,
			toValue: "Quoted",
			note: "Transcribed wrongly.",
			isPublic: true,
			at,
			actorId: null,
		});
		const after = review(detail({ changes: [change("2025-08-01T08:00:00.000Z")] }));
		expect(after.dateModified).toBe("2025-08-01T08:00:00.000Z");
		const before = review(detail({ changes: [change("2025-07-01T08:00:00.000Z")] }));
		expect(before).not.toHaveProperty("dateModified");
	});

	it("keeps the first publication date after a correction and adds dateModified", () => {
		const original = verdict({ state: "superseded", rating: "mostly-false" });
		const correction = verdict({
			id: "v0000000000002",
			rating: "false",
			headline: "Korrigiert: Kursk",
			supersedesId: original.id,
			correctionNote: "Die Rolle der Truppen war falsch beschrieben.",
			publishedAt: "2025-07-20T10:15:00.000Z",
		});
		const r = review(detail({ verdicts: [original, correction], currentVerdictId: correction.id }));
		expect(r.datePublished).toBe("2025-07-13");
		expect(r.dateModified).toBe("2025-07-20T10:15:00.000Z");
		expect(r.headline).toBe("Korrigiert: Kursk");
		expect(r.reviewRating.alternateName).toBe("Falsch");

		// Corrections of corrections go back to the first verdict; a cycle does not hang.
		const second = verdict({
			id: "v0000000000003",
			supersedesId: correction.id,
			correctionNote: "n",
			publishedAt: "2025-08-01T00:00:00Z",
		});
		const chain = [original, { ...correction, state: "superseded" as const }, second];
		expect(review(detail({ verdicts: chain, currentVerdictId: second.id })).datePublished).toBe("2025-07-13");
		const cyclic = [
			verdict({ id: "x1", state: "superseded", supersedesId: "x2", publishedAt: "2025-01-01T00:00:00Z" }),
			verdict({ id: "x2", state: "published", supersedesId: "x1", publishedAt: "2025-02-01T00:00:00Z" }),
		];
		const r2 = review(detail({ verdicts: cyclic, currentVerdictId: "x2" }));
		expect(r2.datePublished).toMatch(ISO_DATE);
	});

	it("dates the review on the newsroom's day: a check just after midnight there is not the day before", () => {
		// Said on 13 July, checked at 00:50 on 13 July in Berlin (22:50 UTC on the 12th).
		const said = detail({
			claimedAt: "2025-07-13",
			verdicts: [verdict({ publishedAt: "2025-07-12T22:50:00.000Z" })],
		});
		const inBerlin = claimReviewJsonLd(said, { ...OPTIONS, timeZone: "Europe/Berlin" });
		expect(inBerlin?.datePublished).toBe("2025-07-13");
		expect(inBerlin?.itemReviewed.datePublished).toBe("2025-07-13");
		expect(claimReviewJsonLd(said, OPTIONS)?.datePublished).toBe("2025-07-12");
		// The DataFeed's item is created that day too.
		expect(
			dataFeedJsonLd(inBerlin ? [inBerlin] : [], { feedUrl: "u", org: ORG, dateModified: "d" })
				.dataFeedElement[0]?.dateCreated,
		).toBe("2025-07-13");
		// A change at 00:55 in Berlin (23:55 UTC the day before): modified on the day, after it.
		const changed = claimReviewJsonLd(
			{
				...said,
				verdicts: [
					verdict({ publishedAt: "2025-07-12T22:50:00.000Z", updatedAt: "2025-07-12T22:50:00.000Z" }),
				],
				updatedAt: "2025-07-12T22:55:00.000Z",
			},
			{ ...OPTIONS, timeZone: "Europe/Berlin" },
		);
		expect(changed?.dateModified).toBe("2025-07-13T00:55:00.000+02:00");
		expect((changed?.dateModified ?? "") > (changed?.datePublished ?? "~")).toBe(true);
		// An import's date alone stays its day.
		const imported = detail({ verdicts: [verdict({ publishedAt: "2025-07-12" })] });
		expect(claimReviewJsonLd(imported, { ...OPTIONS, timeZone: "America/Los_Angeles" })?.datePublished).toBe(
			"2025-07-12",
		);
	});

	it("describes organisations and speakers without a Wikidata id", () => {
		const org = {
			...CHOE,
			kind: "organization" as const,
			name: "KCNA",
			description: "State news agency",
			wikidataId: null,
		};
		expect(review(detail({ speaker: org })).itemReviewed.author).toEqual({
			"@type": "Organization",
			name: "KCNA",
			description: "State news agency",
		});
		const bare = { ...CHOE, description: null, wikidataId: "not-an-id" };
		expect(review(detail({ speaker: bare })).itemReviewed.author).toEqual({
			"@type": "Person",
			name: "Choe Son-hui",
		});
	});

	it("names each author of an appearance as a Person of their own: an array when several", () => {
		const authorsOf = (author: string | null) =>
			review(detail({ appearances: [appearance(source({ author }), true)] })).itemReviewed.firstAppearance
				?.author;
		const person = (name: string) => ({ "@type": "Person", name });
		// As the reader writes several, the desk's hint and the API's `author` describe them.
		expect(authorsOf("Anna Beispiel; Jonas Muster")).toEqual([
			person("Anna Beispiel"),
			person("Jonas Muster"),
		]);
		expect(authorsOf("Müller, Anna; Schmidt, Jonas")).toEqual([
			person("Müller, Anna"),
			person("Schmidt, Jonas"),
		]);
		expect(authorsOf("Erika Muster")).toEqual(person("Erika Muster"));
		expect(authorsOf(" ; ")).toBeUndefined();
		const r = review(
			detail({ appearances: [appearance(source({ author: "Anna Beispiel; Jonas Muster" }), true)] }),
		);
		expect(r.itemReviewed.appearance?.[0]?.author).toEqual([person("Anna Beispiel"), person("Jonas Muster")]);
	});

	// s35 r362: cut at commas and "and" too, each of these was published as two Persons (rows
	// stored before, names typed by people), while the page, the JSON API and webhooks show one.
	it.each([
		"García Márquez, Gabriel José",
		"van der Berg, Jan Peter",
		"U.S. Department of Health and Human Services",
		"Rat für Migration und Integration Deutschland",
		"Anna Beispiel, Korrespondentin in Moskau",
		"Anna Beispiel and Jonas Muster, Reuters",
		// As the reader wrote two people until s35: one Person, as it was published then.
		"Anna Beispiel, Jonas Muster",
		"Anna Beispiel und Jonas Muster",
	])("publishes the stored author %j as one Person, on the page and in the DataFeed", (author) => {
		const r = review(
			detail({
				appearances: [appearance(source({ author }), true), appearance(source({ id: "s2", author }), false)],
			}),
		);
		const one = { "@type": "Person", name: author };
		expect(r.itemReviewed.firstAppearance?.author).toEqual(one);
		expect(r.itemReviewed.appearance?.map((a) => a.author)).toEqual([one, one]);
		const feed = dataFeedJsonLd([r], { feedUrl: "u", org: ORG, dateModified: "d" });
		expect(feed.dataFeedElement[0]?.item[0]?.itemReviewed.firstAppearance?.author).toEqual(one);
	});

	it("names the first source as claimant when the claim has no speaker", () => {
		const first = source({ id: "s3", publisher: "Rodong Sinmun" });
		const later = source({ id: "s4", url: "https://later.example/x", domain: "later.example" });
		// The first appearance counts, wherever it is in the list.
		const d = detail({
			speaker: null,
			speakerId: null,
			appearances: [appearance(later, false), appearance(first, true)],
		});
		const r = review(d);
		expect(r.itemReviewed.author).toEqual({ "@type": "Organization", name: "Rodong Sinmun" });
		expect(r.itemReviewed.firstAppearance?.url).toBe(first.url);

		const anonymous = source({
			publisher: null,
			url: "https://www.blog.example/post?id=1",
			domain: "blog.example",
		});
		const r2 = review(detail({ speaker: null, appearances: [appearance(anonymous, true)] }));
		expect(r2.itemReviewed.author).toEqual({
			"@type": "Organization",
			name: "blog.example",
			url: "https://www.blog.example",
		});

		const r3 = review(detail({ speaker: null, appearances: [], claimedAt: null }));
		expect(r3.itemReviewed).toEqual({ "@type": "Claim", inLanguage: "de" });
	});
});

// --- safe script text ------------------------------------------------------------------------------

const ATTACKS = [
	"</script><script>alert(1)</script>",
	"<!--",
	"<!-- <script>",
	"</SCRIPT >",
	"]]>",
	"a & b &amp; c",
	"line\u2028separator\u2029paragraph",
	"\u202Eeslaf",
	"lone \uD800 surrogate",
];

describe("authorNames", () => {
	it("cuts a stored author text at semicolons only: a comma or an 'and' is part of a name", () => {
		expect(authorNames("Anna Beispiel; Jonas Muster")).toEqual(["Anna Beispiel", "Jonas Muster"]);
		expect(authorNames(" Müller, Anna ;Schmidt, Jonas; ")).toEqual(["Müller, Anna", "Schmidt, Jonas"]);
		expect(authorNames("Anna Beispiel, Jonas Muster and Eva Maria Schulz")).toEqual([
			"Anna Beispiel, Jonas Muster and Eva Maria Schulz",
		]);
		expect(authorNames("U.S. Department of Health and Human Services")).toEqual([
			"U.S. Department of Health and Human Services",
		]);
		expect(authorNames("Max Muster; Max Muster")).toEqual(["Max Muster"]);
		expect(authorNames(null)).toEqual([]);
		expect(authorNames(Array.from({ length: 12 }, (_, i) => `Name ${i}`).join("; "))).toHaveLength(
			MAX_AUTHORS,
		);
	});
});

describe("bylineNames (the reader's, for one author tag)", () => {
	it("cuts a byline at a comma, 'und', 'and' or '&' where every part surely names one", () => {
		expect(bylineNames("Anna Beispiel, Jonas Muster and Eva Maria Schulz")).toEqual([
			"Anna Beispiel",
			"Jonas Muster",
			"Eva Maria Schulz",
		]);
		expect(bylineNames("Anna Beispiel & Jonas Muster")).toEqual(["Anna Beispiel", "Jonas Muster"]);
		expect(bylineNames("Jan van der Berg und Anna Beispiel")).toEqual(["Jan van der Berg", "Anna Beispiel"]);
		expect(bylineNames("Anna  Beispiel, Jonas Muster\tund Eva Schulz")).toEqual([
			"Anna Beispiel",
			"Jonas Muster",
			"Eva Schulz",
		]);
	});

	it("keeps whole a byline whose comma puts a job or an outlet after a name (r367's rows)", () => {
		for (const byline of [
			"Jane Doe, Staff Writer",
			"Jane Doe and John Smith, Associated Press",
			"Jane Doe, New York Times",
			"Anna Beispiel, Leiterin Politik",
			"Max Mustermann, Deutsche Presse-Agentur",
			"Anna Beispiel, Korrespondentin Moskau",
			"Jane Doe & Co. Ltd",
			// Two people or a name and a title cannot be told apart: one Person, as before s35.
			"Anna Beispiel, Jonas Muster",
		]) {
			expect(bylineNames(byline), byline).toEqual([byline]);
		}
	});

	it("keeps whole a byline whose parts are not each a name (r362's rows)", () => {
		for (const byline of [
			"Müller, Anna",
			"van der Berg, Jan Peter",
			"Simon & Schuster",
			"U.S. Department of Health and Human Services",
			"Rat für Migration und Integration Deutschland",
			"Anna Beispiel, Korrespondentin in Moskau",
			"Anna Beispiel and Jonas Muster, Reuters",
			"Anna Beispiel und Jonas Muster, dpa",
		]) {
			expect(bylineNames(byline), byline).toEqual([byline]);
		}
		// Dublin Core writes "Family, Given": no comma between people there.
		expect(bylineNames("García Márquez, Gabriel José", true)).toEqual(["García Márquez, Gabriel José"]);
		expect(bylineNames("García Márquez, Gabriel José und Anna Beispiel", true)).toEqual([
			"García Márquez, Gabriel José und Anna Beispiel",
		]);
		expect(bylineNames("Anna Beispiel und Jonas Muster", true)).toEqual(["Anna Beispiel", "Jonas Muster"]);
	});

	it("reads the lists of Chinese, Japanese and Korean, not a foreign name's middle dot", () => {
		expect(bylineNames("김정은, 문재인")).toEqual(["김정은", "문재인"]);
		expect(bylineNames("张三、李四")).toEqual(["张三", "李四"]);
		expect(bylineNames("张三，李四")).toEqual(["张三", "李四"]);
		expect(bylineNames("김철수·이영희 기자")).toEqual(["김철수", "이영희"]);
		expect(bylineNames("홍길동 기자")).toEqual(["홍길동"]);
		expect(bylineNames("迈克尔·杰克逊")).toEqual(["迈克尔·杰克逊"]);
		expect(bylineNames("ジョン・スミス、山田太郎")).toEqual(["ジョン・スミス", "山田太郎"]);
	});

	it("keeps a closing credit with every name it is said of", () => {
		expect(bylineNames("Anna Beispiel und Jonas Muster (dpa)")).toEqual([
			"Anna Beispiel (dpa)",
			"Jonas Muster (dpa)",
		]);
		expect(bylineNames("Anna Beispiel (dpa)")).toEqual(["Anna Beispiel (dpa)"]);
		expect(bylineNames("(dpa)")).toEqual(["(dpa)"]);
		expect(bylineNames("  ")).toEqual([]);
	});
});

describe("joinAuthorNames", () => {
	it("joins whole names only, as many as fit", () => {
		const names = Array.from({ length: 10 }, (_, i) => `Anna-Katharina Beispiel-Mustermann ${i}`);
		const joined = joinAuthorNames(names, 300) ?? "";
		expect(joined.length).toBeLessThanOrEqual(300);
		expect(authorNames(joined).every((name) => names.includes(name))).toBe(true);
		// 36 characters each: seven and their separators are 264, an eighth would make 302.
		expect(authorNames(joined)).toHaveLength(7);
		expect(joinAuthorNames(["A B", "C D"], 8)).toBe("A B; C D");
		expect(joinAuthorNames(["A B", "C D"], 7)).toBe("A B");
		expect(joinAuthorNames([], 300)).toBeNull();
	});
});

describe("jsonLdScript", () => {
	it("keeps markup in every user text inside the JSON, and the values intact", () => {
		const attack = ATTACKS.join(" | ");
		const src = source({ title: attack, publisher: attack, author: attack });
		const d = detail({
			text: attack,
			speaker: { ...CHOE, name: attack, description: attack },
			appearances: [appearance(src, true)],
			verdicts: [verdict({ headline: attack })],
		});
		const r = review(d);
		const text = jsonLdScript(r);
		expect(text).not.toMatch(/[<>\u2028\u2029]/);
		expect(text).not.toMatch(/&(?!quot;)/); // no raw ampersand either
		expect(text.toLowerCase()).not.toContain("script>");
		expect(text).toContain("\\u003c/script\\u003e");
		expect(JSON.parse(text)).toEqual(r);
		const back = JSON.parse(text) as ClaimReviewJsonLd;
		expect(back.claimReviewed).toBe(attack);
		expect(back.headline).toBe(attack);
		expect(back.itemReviewed.author?.name).toBe(attack);
		expect(back.itemReviewed.firstAppearance?.headline).toBe(attack);

		// In a page, the block ends where the element ends: one block, exactly our text.
		const page = `<!doctype html><html><head><script type="application/ld+json">${text}</script></head><body></body></html>`;
		expect(extractJsonLdBlocks(page)).toEqual([text]);
		// …which plain JSON.stringify would not manage: the quote ends the element early.
		const naive = `<script type="application/ld+json">${JSON.stringify(r)}</script>`;
		expect(extractJsonLdBlocks(naive)).not.toEqual([JSON.stringify(r)]);
	});

	it("round-trips any string, and never emits < > & U+2028 U+2029", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (a, b) => {
				const value = { a, nested: [b, { key: `${a}</script>${b}` }] };
				const text = jsonLdScript(value);
				expect(text).not.toMatch(/[<>&\u2028\u2029]/);
				expect(JSON.parse(text)).toEqual(value);
			}),
			{ numRuns: 300 },
		);
	});

	it("escapes with JSON \\u escapes and refuses values JSON cannot express", () => {
		expect(jsonLdScript("<&>\u2028\u2029")).toBe('"\\u003c\\u0026\\u003e\\u2028\\u2029"');
		expect(jsonLdScript({ n: 1, ok: true, none: null })).toBe('{"n":1,"ok":true,"none":null}');
		expect(() => jsonLdScript(undefined)).toThrow(TypeError);
		expect(() => jsonLdScript(() => 1)).toThrow(TypeError);
	});
});

// --- interoperability: our own ClaimReview importer reads the markup back ----------------------

describe("the importer reads what the builder writes", () => {
	it.each(RATING_KEYS.flatMap((key) => (["en", "de"] as const).map((lang) => [key, lang] as const)))(
		"rating %s in %s",
		(key: RatingKey, lang) => {
			const r = review(detail({ verdicts: [verdict({ rating: key, language: lang })] }));
			const page = `<html><script type="application/ld+json">${jsonLdScript(r)}</script></html>`;
			const result = parseClaimReviewDocument(page);
			expect(result.rejected).toEqual([]);
			const record = result.records[0];
			expect(record?.verdict?.rating).toBe(key);
			expect(record?.claim).toEqual({ text: QUOTE, language: "de", claimedAt: "2025-07-12" });
			expect(record?.speaker).toEqual({
				name: "Choe Son-hui",
				kind: "person",
				description: "Foreign Minister of the DPRK",
			});
			expect(record?.sources.map((s) => s.url)).toEqual([
				"https://news.example/2025/07/12/lawrow-wonsan",
				"https://other.example/kursk",
			]);
			expect(record?.verdict?.publishedAt).toBe("2025-07-13");
		},
	);

	it("reads an appearance's several authors back as they were written, a comma in a name kept", () => {
		const author = "Müller, Anna; Jonas Muster";
		const r = review(detail({ appearances: [appearance(source({ author }), true)] }));
		const page = `<html><script type="application/ld+json">${jsonLdScript(r)}</script></html>`;
		expect(parseClaimReviewDocument(page).records[0]?.sources[0]?.author).toBe(author);
	});

	it.each([
		"García Márquez, Gabriel José",
		"U.S. Department of Health and Human Services",
		"García Márquez, Gabriel José; Anna Beispiel and Jonas Muster, Reuters",
	])("publishes our own ClaimReview read back as it was: %j", (author) => {
		const first = review(detail({ appearances: [appearance(source({ author }), true)] }));
		const page = `<html><script type="application/ld+json">${jsonLdScript(first)}</script></html>`;
		const read = parseClaimReviewDocument(page).records[0]?.sources[0]?.author ?? null;
		expect(read).toBe(author);
		const again = review(detail({ appearances: [appearance(source({ author: read }), true)] }));
		expect(again.itemReviewed.firstAppearance?.author).toEqual(first.itemReviewed.firstAppearance?.author);
	});
});

// --- DataFeed --------------------------------------------------------------------------------------

describe("dataFeedJsonLd", () => {
	it("wraps each ClaimReview in a DataFeedItem", () => {
		const first = review();
		const original = verdict({ state: "superseded" });
		const correction = verdict({
			id: "v2",
			supersedesId: original.id,
			correctionNote: "n",
			publishedAt: "2025-07-20T10:15:00.000Z",
		});
		const second = claimReviewJsonLd(
			detail({
				id: "c2",
				text: "Die Luftverbindungen seien bereits wiederhergestellt",
				verdicts: [original, correction],
				currentVerdictId: correction.id,
			}),
			{ ...OPTIONS, claimUrl: "https://claimtrack.example/claims/c2" },
		);
		if (!second) throw new Error("expected a ClaimReview");
		const feed = dataFeedJsonLd([first, second], {
			feedUrl: "https://claimtrack.example/claimreview.json",
			org: ORG,
			dateModified: "2025-07-21T00:00:00Z",
		});
		expect(feed["@context"]).toBe("https://schema.org");
		expect(feed["@type"]).toBe("DataFeed");
		expect(feed.name).toBe("Claimtrack fact checks");
		expect(feed.url).toBe("https://claimtrack.example/claimreview.json");
		expect(feed.dateModified).toBe("2025-07-21T00:00:00Z");
		expect(feed.publisher.name).toBe("Claimtrack");
		expect(feed.dataFeedElement).toHaveLength(2);
		const [a, b] = feed.dataFeedElement;
		const { "@context": _context, ...firstItem } = first;
		expect(a).toEqual({ "@type": "DataFeedItem", dateCreated: "2025-07-13", item: [firstItem] });
		expect(a?.item[0]).not.toHaveProperty("@context");
		expect(a?.item[0]?.["@type"]).toBe("ClaimReview");
		expect(b?.dateModified).toBe("2025-07-20T10:15:00.000Z");
		expect(dataFeedJsonLd([], { feedUrl: "u", org: ORG, dateModified: "d", name: "N" })).toMatchObject({
			name: "N",
			dataFeedElement: [],
		});

		// The importer finds every review in the feed.
		const imported = parseClaimReviewDocument(jsonLdScript(feed));
		expect(imported.rejected).toEqual([]);
		expect(imported.records).toHaveLength(2);
	});
});
