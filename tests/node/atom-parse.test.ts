import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import {
	type AtomEntry,
	atomFeed,
	type VerdictEntrySubject,
	verdictAtomEntry,
	verdictEntryId,
} from "../../src/domain/atom-feed";

const SITE = "https://claimtrack.example/";
const CLAIM_URL = "https://claimtrack.example/claims/c0000000000001";

const PUBLISHED: VerdictEntrySubject = {
	verdict: {
		id: "v0000000000001",
		rating: "false",
		headline: "Es gibt keine Linienflüge",
		summary: "Der Flugplan zeigt keine regelmäßige Verbindung.",
		body: "Laut Flugplan von Air Koryo gibt es keine Linie Moskau–Wŏnsan.",
		state: "superseded",
		correctionNote: null,
		retractionNote: null,
		supersedesId: null,
		publishedAt: "2025-07-13T09:30:00.000Z",
		retractedAt: null,
		language: "de",
		updatedAt: "2025-07-13T09:30:00.000Z",
	},
	claim: {
		text: "Die Luftverbindungen seien bereits wiederhergestellt",
		language: "de",
		status: "false",
		reviewedAt: null,
		updatedAt: "2025-07-13T09:30:00.000Z",
		changedAt: null,
		quotedAt: null,
	},
	speaker: { name: "Sergei Lawrow" },
};

const CORRECTION: VerdictEntrySubject = {
	...PUBLISHED,
	verdict: {
		...PUBLISHED.verdict,
		id: "v0000000000002",
		rating: "mostly-false",
		state: "published",
		supersedesId: "v0000000000001",
		correctionNote: "Eine Frachtlinie besteht.",
		publishedAt: "2025-07-20T10:00:00.000Z",
	},
};

const RETRACTED: VerdictEntrySubject = {
	verdict: {
		...PUBLISHED.verdict,
		id: "v0000000000003",
		rating: "misleading",
		state: "retracted",
		retractionNote: "Quelle war gefälscht.",
		publishedAt: "2025-07-14T08:00:00.000Z",
		retractedAt: "2025-08-01T12:00:00.000Z",
	},
	claim: {
		text: "Die DVRK handele frei & souverän <wirklich>",
		language: "de",
		status: "retracted",
		reviewedAt: "2025-08-01T12:00:00.000Z",
		updatedAt: "2025-08-01T12:00:00.000Z",
		changedAt: null,
		quotedAt: null,
	},
	speaker: null,
};

const DRAFT: VerdictEntrySubject = {
	...PUBLISHED,
	verdict: { ...PUBLISHED.verdict, id: "v0000000000004", state: "draft", publishedAt: null },
};

function entries(lang: "en" | "de"): AtomEntry[] {
	return [CORRECTION, RETRACTED, PUBLISHED, DRAFT]
		.map((s) =>
			verdictAtomEntry(s, {
				claimUrl: CLAIM_URL,
				versionUrl: `${CLAIM_URL}/verdicts/${s.verdict.id}`,
				siteUrl: SITE,
				lang,
			}),
		)
		.filter((e): e is AtomEntry => e !== null);
}

function render(lang: "en" | "de", extra: AtomEntry[] = []): string {
	return atomFeed({
		id: "tag:claimtrack.example,2025:feed/verdicts",
		title: "Claimtrack — Prüfungen & Korrekturen",
		subtitle: "Neue Bewertungen",
		selfUrl: `${SITE}${lang}/feed.atom`,
		siteUrl: `${SITE}${lang}/`,
		updated: "2025-08-01T12:00:00.000Z",
		author: { name: "Claimtrack", uri: SITE },
		lang,
		entries: [...entries(lang), ...extra],
	});
}

describe("a real feed reader (@rowanmanning/feed-parser)", () => {
	it("reads the feed's metadata", () => {
		const feed = parseFeed(render("en"));
		expect(feed.meta).toEqual({ type: "atom", version: "1.0" });
		expect(feed.language).toBe("en");
		expect(feed.title).toBe("Claimtrack — Prüfungen & Korrekturen");
		expect(feed.description).toBe("Neue Bewertungen");
		expect(feed.url).toBe(`${SITE}en/`);
		expect(feed.self).toBe(`${SITE}en/feed.atom`);
		expect(feed.updated?.toISOString()).toBe("2025-08-01T12:00:00.000Z");
		expect(feed.authors).toEqual([{ name: "Claimtrack", url: SITE, email: null }]);
	});

	it("reads back titles, links, dates and ids of every entry", () => {
		const items = parseFeed(render("en")).items;
		// The draft is not in the feed.
		expect(items.map((i) => i.id)).toEqual([
			verdictEntryId(SITE, "v0000000000002"),
			verdictEntryId(SITE, "v0000000000003"),
			verdictEntryId(SITE, "v0000000000001"),
		]);
		expect(items.map((i) => i.id)).toEqual([
			"tag:claimtrack.example,2025:verdict/v0000000000002",
			"tag:claimtrack.example,2025:verdict/v0000000000003",
			"tag:claimtrack.example,2025:verdict/v0000000000001",
		]);
		expect(items.map((i) => i.title)).toEqual([
			"Correction: Mostly false: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
			"Retracted: „Die DVRK handele frei & souverän <wirklich>“",
			"Superseded: False: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		]);
		// Each entry links its own version's page; the claim's page is related.
		expect(items.map((i) => i.url)).toEqual([
			`${CLAIM_URL}/verdicts/v0000000000002`,
			`${CLAIM_URL}/verdicts/v0000000000003`,
			`${CLAIM_URL}/verdicts/v0000000000001`,
		]);
		expect(items.map((i) => [i.published?.toISOString(), i.updated?.toISOString()])).toEqual([
			["2025-07-20T10:00:00.000Z", "2025-07-20T10:00:00.000Z"],
			["2025-07-14T08:00:00.000Z", "2025-08-01T12:00:00.000Z"],
			["2025-07-13T09:30:00.000Z", "2025-07-13T09:30:00.000Z"],
		]);
		expect(items.map((i) => i.categories.map((c) => c.term))).toEqual([
			["mostly-false"],
			["retracted"],
			["false"],
		]);
		const [correction, retracted, original] = items;
		expect(correction?.description?.startsWith("Correction: Eine Frachtlinie besteht.")).toBe(true);
		// The withdrawn finding is not broadcast again: the reason only, no body.
		expect(retracted?.description).toBe("Reason for retraction: Quelle war gefälscht.");
		expect(retracted?.content).toBeNull();
		expect(original?.content).toBe("Laut Flugplan von Air Koryo gibt es keine Linie Moskau–Wŏnsan.");
		// Entries name no author of their own: readers fall back to the feed's.
		expect(original?.authors).toEqual([{ name: "Claimtrack", url: SITE, email: null }]);
	});

	it("reads German titles", () => {
		const titles = parseFeed(render("de")).items.map((i) => i.title);
		expect(titles).toEqual([
			"Korrektur: Größtenteils falsch: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
			"Zurückgezogen: „Die DVRK handele frei & souverän <wirklich>“",
			"Ersetzt: Falsch: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		]);
	});

	it("sees hostile text as text, not as more entries or markup", () => {
		const evil =
			"</title></entry><entry><title>forged]]><script>alert(1)</script>&amp; \u0001 \uD800 \u202Bعربي";
		const feed = parseFeed(
			render("en", [
				{
					id: "tag:claimtrack.example,2025:evil",
					title: evil,
					url: `${SITE}claims/x?a=1&b=<2>`,
					published: "2025-07-01",
					updated: "2025-07-01",
					summary: evil,
					content: "<p>html &amp; more</p>",
					contentType: "html",
					categories: [evil],
					authorName: evil,
				},
			]),
		);
		expect(feed.items).toHaveLength(4);
		const item = feed.items[3];
		const clean = "</title></entry><entry><title>forged]]><script>alert(1)</script>&amp;  \uFFFD \u202Bعربي";
		expect(item?.id).toBe("tag:claimtrack.example,2025:evil");
		// This reader HTML-decodes text once more after XML parsing (a leniency for feeds that
		// double-escape), so a literal "&amp;" in user text reaches it as "&"; the XML itself is
		// right (the workers tests read "&amp;" back from it with a plain XML parser).
		const shown = clean.replace("&amp;", "&");
		expect(item?.title).toBe(shown);
		expect(item?.description).toBe(shown);
		expect(item?.url).toBe(`${SITE}claims/x?a=1&b=%3C2%3E`);
		expect(item?.published?.toISOString()).toBe("2025-07-01T00:00:00.000Z");
		expect(item?.content).toMatch(/^<p>html &(amp;)? more<\/p>$/); // HTML content arrives as markup
		expect(item?.authors.map((a) => a.name)).toEqual([shown]);
		expect(item?.categories.map((c) => c.term)).toEqual([clean]);
	});
});
