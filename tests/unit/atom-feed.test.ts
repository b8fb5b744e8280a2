import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Verdict } from "../../src/db/schema";
import {
	ATOM_NAMESPACE,
	type AtomEntry,
	type AtomFeedInput,
	atomFeed,
	entryUpdated,
	rfc3339,
	tagUri,
	type VerdictEntrySubject,
	verdictAtomEntry,
	verdictEntryId,
	xmlAttr,
	xmlText,
} from "../../src/domain/atom-feed";
import { MAX_TITLE_QUOTE_LENGTH, shortQuote } from "../../src/domain/typography";

// --- reading the XML back ------------------------------------------------------------------------

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
	[key: string]: XmlValue;
}

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: "@",
	trimValues: false,
	parseTagValue: false,
	parseAttributeValue: false,
	// Decodes the numeric references (&#xD;) the escaper writes; named XML entities as usual.
	htmlEntities: true,
	alwaysCreateTextNode: true,
	isArray: (name) => ["entry", "link", "category"].includes(name),
});

function parse(xml: string): XmlObject {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
	return parser.parse(xml) as XmlObject;
}

function obj(value: XmlValue | undefined): XmlObject {
	if (value === undefined || typeof value === "string" || Array.isArray(value)) {
		throw new Error(`expected an element, got ${JSON.stringify(value)}`);
	}
	return value;
}

function list(value: XmlValue | undefined): XmlObject[] {
	return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(obj);
}

function text(value: XmlValue | undefined): string {
	const t = obj(value)["#text"];
	return typeof t === "string" ? t : "";
}

function attr(value: XmlValue | undefined, name: string): string | undefined {
	const a = obj(value)[`@${name}`];
	return typeof a === "string" ? a : undefined;
}

/** What the escaper must make of a string: XML 1.0's illegal and discouraged characters dropped, lone surrogates as U+FFFD. */
function expected(value: string): string {
	let out = "";
	for (const ch of value) {
		const c = ch.codePointAt(0) ?? 0;
		if (c >= 0xd800 && c <= 0xdfff) out += "\uFFFD";
		else if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f)) continue;
		else if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) === 0xfffe) continue;
		else out += ch;
	}
	return out;
}

/** No code point XML 1.0 forbids, anywhere in the document. */
function onlyXmlChars(xml: string): boolean {
	for (const ch of xml) {
		const c = ch.codePointAt(0) ?? 0;
		const ok =
			c === 9 ||
			c === 10 ||
			c === 13 ||
			(c >= 0x20 && c <= 0xd7ff) ||
			(c >= 0xe000 && c <= 0xfffd) ||
			(c >= 0x10000 && c <= 0x10ffff);
		if (!ok) return false;
	}
	return true;
}

// --- fixtures ------------------------------------------------------------------------------------

const SITE = "https://claimtrack.example/";

function entry(overrides: Partial<AtomEntry> = {}): AtomEntry {
	return {
		id: "tag:claimtrack.example,2025:verdict/v0000000000001",
		title: "False: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		url: "https://claimtrack.example/claims/c0000000000001",
		updated: "2025-07-13T09:30:00.000Z",
		published: "2025-07-13T09:30:00.000Z",
		summary: "Es gibt keine regelmäßigen Flüge.",
		...overrides,
	};
}

function feed(overrides: Partial<AtomFeedInput> = {}): AtomFeedInput {
	return {
		id: "tag:claimtrack.example,2025:feed/verdicts",
		title: "Claimtrack: new verdicts",
		selfUrl: "https://claimtrack.example/feed.atom",
		siteUrl: SITE,
		updated: "2025-07-13T09:30:00.000Z",
		author: { name: "Claimtrack", uri: SITE },
		lang: "en",
		entries: [entry()],
		...overrides,
	};
}

const INJECTIONS = [
	"]]>",
	"<![CDATA[x]]>",
	"<script>alert(1)</script>",
	"</title></entry><entry><title>forged",
	"&amp;",
	"&nbsp; &#x41; &#65; &unknown; & &&",
	"\"double\" 'single'",
	"<!-- comment --> <?pi x?>",
	"nul\u0000 bell\u0007 bs\u0008 vt\u000B ff\u000C esc\u001B us\u001F del\u007F nel\u0085 c1\u009F",
	"noncharacters \uFFFE \uFFFF \uFDD0",
	"tab\tline\ncrlf\r\nend",
	"lone high \uD800 lone low \uDFFF swapped \uDC00\uD800 pair 😀",
	"مرحبا بالعالم — שלום",
	"override \u202Eeslaf\u202C isolate \u2067x\u2069",
	"emoji 👩🏽‍🔬 combining é",
];

// --- escaping ------------------------------------------------------------------------------------

describe("xml escaping", () => {
	it("escapes the five markup characters", () => {
		expect(xmlText(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
		expect(xmlText("]]>")).toBe("]]&gt;");
		expect(xmlText("&amp;")).toBe("&amp;amp;");
	});

	it("drops what XML 1.0 cannot carry and replaces lone surrogates", () => {
		expect(xmlText("a\u0000b\u0001c\u001Fd\uFFFEe\uFFFF")).toBe("abcde");
		expect(xmlText("x\uD800y\uDFFFz")).toBe("x\uFFFDy\uFFFDz");
		expect(xmlText("😀")).toBe("😀");
		expect(xmlText("\uDE00\uD83D")).toBe("\uFFFD\uFFFD"); // a pair in the wrong order is two lone halves
	});

	it("keeps line breaks: CR as a reference, and in attributes tab and LF too", () => {
		expect(xmlText("a\tb\nc\r\n")).toBe("a\tb\nc&#xD;\n");
		expect(xmlAttr("a\tb\nc\r")).toBe("a&#x9;b&#xA;c&#xD;");
	});

	it("round-trips an injection corpus through every field", () => {
		for (const evil of INJECTIONS) {
			const xml = atomFeed(
				feed({
					title: evil,
					subtitle: evil,
					author: { name: evil, uri: `${SITE}?q=${evil}` },
					entries: [
						entry({
							title: evil,
							summary: evil,
							content: evil,
							contentType: "html",
							categories: [evil, "false"],
							authorName: evil,
							url: `${SITE}claims/x?q=${evil}`,
							id: `tag:claimtrack.example,2025:${evil}`,
						}),
					],
				}),
			);
			expect(onlyXmlChars(xml), evil).toBe(true);
			const doc = parse(xml);
			const root = obj(doc.feed);
			expect(list(root.entry), evil).toHaveLength(1);
			const e = obj(list(root.entry)[0]);
			const want = expected(evil);
			expect(text(root.title)).toBe(want);
			expect(text(root.subtitle)).toBe(want);
			expect(text(obj(root.author).name)).toBe(want);
			expect(text(obj(root.author).uri)).toBe(`${SITE}?q=${want}`);
			expect(text(e.title)).toBe(want);
			expect(text(e.summary)).toBe(want);
			expect(text(e.content)).toBe(want);
			expect(attr(e.content, "type")).toBe("html");
			expect(list(e.category).map((c) => attr(c, "term"))).toEqual([want, "false"]);
			expect(text(obj(e.author).name)).toBe(want);
			expect(text(e.id)).toBe(`tag:claimtrack.example,2025:${want}`);
			expect(attr(list(e.link)[0], "href")).toBe(`${SITE}claims/x?q=${want}`);
		}
	});

	it("stays well-formed and faithful for any string", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (a, b) => {
				const xml = atomFeed(feed({ title: a, entries: [entry({ title: b, summary: a, categories: [a] })] }));
				expect(onlyXmlChars(xml)).toBe(true);
				const root = obj(parse(xml).feed);
				const e = list(root.entry)[0];
				expect(text(root.title)).toBe(expected(a));
				expect(text(obj(e).title)).toBe(expected(b));
				expect(text(obj(e).summary)).toBe(expected(a));
				expect(attr(list(obj(e).category)[0], "term")).toBe(expected(a));
			}),
			{ numRuns: 300 },
		);
	});
});

// --- document structure --------------------------------------------------------------------------

describe("atomFeed", () => {
	it("writes an Atom 1.0 document with the required elements", () => {
		const xml = atomFeed(
			feed({
				entries: [
					entry({
						content: "Der Flugplan zeigt keine Linie.",
						categories: ["false"],
						authorName: "Redaktion",
					}),
					entry({
						id: "tag:claimtrack.example,2025:verdict/v2",
						published: "2025-07-12",
						updated: "2025-07-14",
					}),
				],
			}),
		);
		expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed ')).toBe(true);
		const root = obj(parse(xml).feed);
		expect(attr(root, "xmlns")).toBe(ATOM_NAMESPACE);
		expect(attr(root, "xml:lang")).toBe("en");
		expect(text(root.id)).toBe("tag:claimtrack.example,2025:feed/verdicts");
		expect(text(root.title)).toBe("Claimtrack: new verdicts");
		expect(attr(root.title, "type")).toBe("text");
		expect(text(root.updated)).toBe("2025-07-13T09:30:00.000Z");
		expect(list(root.link).map((l) => [attr(l, "rel"), attr(l, "href"), attr(l, "type")])).toEqual([
			["self", "https://claimtrack.example/feed.atom", "application/atom+xml"],
			["alternate", SITE, "text/html"],
		]);
		expect(text(obj(root.author).name)).toBe("Claimtrack");
		expect(text(obj(root.author).uri)).toBe(SITE);
		expect(root).not.toHaveProperty("subtitle");

		const [first, second] = list(root.entry);
		expect(text(obj(first).id)).toBe("tag:claimtrack.example,2025:verdict/v0000000000001");
		expect(text(obj(first).title)).toBe(
			"False: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		);
		expect(attr(obj(first).title, "type")).toBe("text");
		expect(list(obj(first).link).map((l) => [attr(l, "rel"), attr(l, "href")])).toEqual([
			["alternate", "https://claimtrack.example/claims/c0000000000001"],
		]);
		expect(text(obj(first).published)).toBe("2025-07-13T09:30:00.000Z");
		expect(text(obj(first).updated)).toBe("2025-07-13T09:30:00.000Z");
		expect(text(obj(first).summary)).toBe("Es gibt keine regelmäßigen Flüge.");
		expect(attr(obj(first).summary, "type")).toBe("text");
		expect(text(obj(first).content)).toBe("Der Flugplan zeigt keine Linie.");
		expect(attr(obj(first).content, "type")).toBe("text");
		expect(list(obj(first).category).map((c) => attr(c, "term"))).toEqual(["false"]);
		expect(text(obj(obj(first).author).name)).toBe("Redaktion");

		// Optional parts are left out, dates become RFC 3339 date-times.
		expect(obj(second)).not.toHaveProperty("content");
		expect(obj(second)).not.toHaveProperty("author");
		expect(obj(second)).not.toHaveProperty("category");
		expect(text(obj(second).published)).toBe("2025-07-12T00:00:00Z");
		expect(text(obj(second).updated)).toBe("2025-07-14T00:00:00Z");
	});

	it("is valid with no entries and without a language", () => {
		const xml = atomFeed(feed({ entries: [], lang: undefined }));
		const root = obj(parse(xml).feed);
		expect(root).not.toHaveProperty("@xml:lang");
		expect(root).not.toHaveProperty("entry");
	});

	it("normalises dates to RFC 3339 and refuses non-dates", () => {
		expect(rfc3339("2025-07-13T09:30:00.000Z")).toBe("2025-07-13T09:30:00.000Z");
		expect(rfc3339("2025-07-13T09:30:00+02:00")).toBe("2025-07-13T09:30:00+02:00");
		expect(rfc3339("2025-07-13t09:30:00z")).toBe("2025-07-13T09:30:00Z");
		expect(rfc3339("2025-07-13")).toBe("2025-07-13T00:00:00Z");
		expect(rfc3339("2025-07-13 09:30:00")).toBe("2025-07-13T09:30:00Z");
		expect(rfc3339("2025-07-13T09:30")).toBe("2025-07-13T09:30:00Z");
		expect(rfc3339("Sun, 13 Jul 2025 09:30:00 GMT")).toBe("2025-07-13T09:30:00.000Z");
		expect(() => rfc3339("yesterday")).toThrow(RangeError);
		expect(() => atomFeed(feed({ updated: "" }))).toThrow(RangeError);
		expect(() => atomFeed(feed({ entries: [entry({ published: "soon" })] }))).toThrow(RangeError);
	});
});

// --- verdict entries -----------------------------------------------------------------------------

/** When the verdict (and with it its claim) was last written: its publication. */
const STAMP = "2025-07-13T09:30:00.000Z";

const VERDICT: VerdictEntrySubject["verdict"] = {
	id: "v0000000000001",
	rating: "false",
	headline: "Es gibt keine Linienflüge",
	summary: "Der Flugplan zeigt keine regelmäßige Verbindung.",
	body: null,
	state: "published",
	correctionNote: null,
	retractionNote: null,
	supersedesId: null,
	publishedAt: "2025-07-13T09:30:00.000Z",
	retractedAt: null,
	language: "de",
	updatedAt: STAMP,
};

function subject(
	verdict: Partial<Verdict> = {},
	rest: Partial<VerdictEntrySubject> = {},
): VerdictEntrySubject {
	return {
		verdict: { ...VERDICT, ...verdict },
		claim: {
			text: "Die Luftverbindungen seien bereits wiederhergestellt",
			language: "de",
			status: "false",
			reviewedAt: null,
			updatedAt: STAMP,
			changedAt: null,
			quotedAt: null,
		},
		speaker: { name: "Sergei Lawrow" },
		...rest,
	};
}

const OPTIONS = {
	claimUrl: "https://claimtrack.example/claims/c0000000000001",
	versionUrl: "https://claimtrack.example/claims/c0000000000001/verdicts/v0000000000001",
	siteUrl: SITE,
	lang: "en" as const,
};

function verdictEntry(s: VerdictEntrySubject, lang: "en" | "de" = "en"): AtomEntry {
	const e = verdictAtomEntry(s, { ...OPTIONS, lang });
	if (!e) throw new Error("expected an entry");
	return e;
}

describe("verdictAtomEntry", () => {
	it("credits another publisher's review to them: author, summary and a via link; a retraction stays ours", () => {
		const checkedBy = {
			name: "Correctiv <Faktencheck>",
			reviewUrl: "https://correctiv.org/faktencheck/x?a=1&b=2",
		};
		const entry = verdictEntry(subject({}, { checkedBy }));
		expect(entry).toMatchObject({ authorName: checkedBy.name, viaUrl: checkedBy.reviewUrl });
		expect(entry.summary.startsWith("Checked by Correctiv <Faktencheck>\n\n")).toBe(true);
		expect(verdictEntry(subject({}, { checkedBy }), "de").summary).toMatch(/^Geprüft von Correctiv/);
		const xml = atomFeed(feed({ entries: [entry] }));
		expect(xml).toContain("<author><name>Correctiv &lt;Faktencheck&gt;</name></author>");
		expect(xml).toContain(
			'<link rel="via" type="text/html" href="https://correctiv.org/faktencheck/x?a=1&amp;b=2"/>',
		);
		expect(XMLValidator.validate(xml)).toBe(true);
		const withdrawn = verdictEntry(
			subject(
				{ state: "retracted", retractedAt: "2025-07-20T00:00:00Z", retractionNote: "Quelle fehlt" },
				{ checkedBy },
			),
		);
		expect(withdrawn.authorName).toBeUndefined();
		expect(withdrawn.viaUrl).toBeUndefined();
		expect(verdictEntry(subject({}, { checkedBy: null })).authorName).toBeUndefined();
	});

	it("maps a published verdict to an entry", () => {
		expect(verdictEntry(subject())).toEqual({
			id: "tag:claimtrack.example,2025:verdict/v0000000000001",
			title: "False: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
			// Its own version's page, which says what it says; the claim's page shows what stands now.
			url: OPTIONS.versionUrl,
			relatedUrl: OPTIONS.claimUrl,
			published: "2025-07-13T09:30:00.000Z",
			updated: "2025-07-13T09:30:00.000Z",
			summary: "Es gibt keine Linienflüge\n\nDer Flugplan zeigt keine regelmäßige Verbindung.",
			categories: ["false"],
			// The verdict's words keep their language in an English feed.
			lang: "de",
		});
		expect(atomFeed(feed({ entries: [verdictEntry(subject({ body: "Langtext" }))] }))).toMatch(
			/<summary type="text">[\s\S]*<content type="text" xml:lang="de">Langtext<\/content>/,
		);
		expect(verdictEntry(subject(), "de").title).toBe(
			"Falsch: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		);
		const withBody = verdictEntry(subject({ body: "  Langtext  ", summary: null }));
		expect(withBody).toMatchObject({
			content: "Langtext",
			contentType: "text",
			summary: "Es gibt keine Linienflüge",
		});
	});

	it("quotes in the claim's language and shortens long quotes at a word", () => {
		const english = subject(
			{},
			{
				claim: {
					text: "Air links have been restored",
					language: "en-GB",
					status: "false",
					reviewedAt: null,
					updatedAt: STAMP,
					changedAt: null,
					quotedAt: null,
				},
			},
		);
		expect(verdictEntry(english).title).toBe("False: “Air links have been restored” — Sergei Lawrow");
		const long = subject(
			{},
			{
				claim: {
					text: "Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und Kämpfer der Koreanischen Volksarmee zusammen mit ihren russischen Kameraden das Gebiet befreiten.",
					language: "de",
					status: "false",
					reviewedAt: null,
					updatedAt: STAMP,
					changedAt: null,
					quotedAt: null,
				},
				speaker: { name: "Choe Son-hui" },
			},
		);
		expect(verdictEntry(long).title).toBe(
			"False: „Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und…“ — Choe Son-hui",
		);
		expect(shortQuote("a\n\n b\tc")).toBe("a b c");
		expect(Array.from(shortQuote("😀".repeat(200))).length).toBe(MAX_TITLE_QUOTE_LENGTH + 1);
		expect(shortQuote("x".repeat(200)).endsWith("x…")).toBe(true);
	});

	it("leaves the speaker out when there is none", () => {
		expect(verdictEntry(subject({}, { speaker: null })).title).toBe(
			"False: „Die Luftverbindungen seien bereits wiederhergestellt“",
		);
	});

	it("marks corrections, superseded versions and retractions, with stable ids per verdict", () => {
		const original = verdictEntry(subject({ state: "superseded" }));
		expect(original.title.startsWith("Superseded: False: ")).toBe(true);
		expect(verdictEntry(subject({ state: "superseded" }), "de").title.startsWith("Ersetzt: Falsch: ")).toBe(
			true,
		);

		const correction = subject({
			id: "v0000000000002",
			rating: "mostly-false",
			supersedesId: VERDICT.id,
			correctionNote: "Eine Frachtlinie besteht.",
			publishedAt: "2025-07-20T10:00:00.000Z",
		});
		const en = verdictEntry(correction);
		expect(en.title).toBe(
			"Correction: Mostly false: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		);
		expect(en.summary.startsWith("Correction: Eine Frachtlinie besteht.\n\nEs gibt keine Linienflüge")).toBe(
			true,
		);
		expect(en.id).not.toBe(original.id);
		expect(en.id).toBe(verdictEntryId(SITE, "v0000000000002"));
		expect(verdictEntry(correction, "de").title.startsWith("Korrektur: Größtenteils falsch: „")).toBe(true);

		const retracted = subject({
			state: "retracted",
			retractionNote: "Quelle war gefälscht.",
			retractedAt: "2025-08-01T12:00:00.000Z",
		});
		// What was withdrawn is not broadcast again: no rating, headline, summary or body.
		const r = verdictEntry(subject({ ...retracted.verdict, body: "Langtext" }));
		expect(r.title).toBe("Retracted: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow");
		expect(r.summary).toBe("Reason for retraction: Quelle war gefälscht.");
		expect(r.content).toBeUndefined();
		expect(r.categories).toEqual(["retracted"]);
		expect(r.id).toBe(original.id); // the same entry, updated
		expect(r.updated).toBe("2025-08-01T12:00:00.000Z");
		expect(r.published).toBe("2025-07-13T09:30:00.000Z");
		expect(verdictEntry(retracted, "de").title).toBe(
			"Zurückgezogen: „Die Luftverbindungen seien bereits wiederhergestellt“ — Sergei Lawrow",
		);
		// A retracted correction reads as retracted, with its reason only.
		const retractedCorrection = verdictEntry({
			...correction,
			verdict: { ...correction.verdict, state: "retracted", retractionNote: "Frachtlinie eingestellt." },
		});
		expect(retractedCorrection.title).toMatch(/^Retracted: „/);
		expect(retractedCorrection.summary).toBe("Reason for retraction: Frachtlinie eingestellt.");
	});

	it("never maps drafts", () => {
		expect(verdictAtomEntry(subject({ state: "draft", publishedAt: null }), OPTIONS)).toBeNull();
		expect(verdictAtomEntry(subject({ state: "draft" }), OPTIONS)).toBeNull();
	});

	it("keeps hostile claim text and names inside their elements", () => {
		const evil = subject(
			{ headline: "</summary><script>x</script>", summary: "]]> &amp; \u0000" },
			{
				claim: {
					text: "<script>alert(1)</script> \u202Eeslaf\u202C \uD800",
					language: "de",
					status: "false",
					reviewedAt: null,
					updatedAt: STAMP,
					changedAt: null,
					quotedAt: null,
				},
				speaker: { name: "</name></author><author><name>Mallory" },
			},
		);
		const e = verdictEntry(evil);
		// Bidi overrides could reorder the title around the quote; they go, the rest stays.
		expect(e.title).toBe(
			"False: „<script>alert(1)</script> eslaf \uD800“ — </name></author><author><name>Mallory",
		);
		const root = obj(parse(atomFeed(feed({ entries: [e] }))).feed);
		const parsed = obj(list(root.entry)[0]);
		expect(text(parsed.title)).toBe(expected(e.title));
		expect(text(parsed.summary)).toBe("</summary><script>x</script>\n\n]]> &amp; ");
		expect(list(root.entry)).toHaveLength(1);
	});
});

describe("tag URIs", () => {
	it("are tag:host,date:specific with odd characters percent-encoded", () => {
		expect(verdictEntryId("https://claimtrack.example/de/", "abc")).toBe(
			"tag:claimtrack.example,2025:verdict/abc",
		);
		expect(tagUri("https://Claimtrack.Example:8443/x", "a b/ü\uD800")).toBe(
			"tag:claimtrack.example,2025:a%20b/%C3%BC%EF%BF%BD",
		);
		expect(tagUri(SITE, "feed", "2024-05-01")).toBe("tag:claimtrack.example,2024-05-01:feed");
	});
});

describe("entryUpdated", () => {
	const published = "2025-07-13T10:00:00.000Z";
	const change = { at: "2025-08-01T09:00:00.000Z", note: "Misquoted." };
	const base = {
		verdict: {
			...VERDICT,
			state: "published" as const,
			publishedAt: published,
			retractedAt: null,
			updatedAt: published,
		},
		claim: {
			text: "x",
			language: "de",
			status: "false" as const,
			reviewedAt: null,
			updatedAt: published,
			changedAt: null as string | null,
			quotedAt: null as string | null,
		},
	};

	it("moves a claim's standing entry to a later public change of the claim, and only that one", () => {
		expect(entryUpdated({ ...base, claimChange: change })).toBe(change.at);
		expect(entryUpdated({ ...base, claimChange: null })).toBe(published);
		// A change before the publication is the verdict's own past.
		expect(entryUpdated({ ...base, claimChange: { at: "2025-07-01T00:00:00.000Z", note: null } })).toBe(
			published,
		);
		// A superseded version keeps its time; so does a retraction the claim has since moved past.
		const superseded = { ...base, verdict: { ...base.verdict, state: "superseded" as const } };
		expect(entryUpdated({ ...superseded, claimChange: change })).toBe(published);
		const retracted = {
			verdict: { ...base.verdict, state: "retracted" as const, retractedAt: "2025-07-20T00:00:00.000Z" },
			claimChange: change,
		};
		expect(entryUpdated({ ...retracted, claim: { ...base.claim, status: "true" as const } })).toBe(
			"2025-07-20T00:00:00.000Z",
		);
		expect(
			entryUpdated({
				...retracted,
				claim: { ...base.claim, status: "retracted" as const, reviewedAt: "2025-07-20T00:00:00.000Z" },
			}),
		).toBe(change.at);
		// A verdict withdrawn in an earlier round (the claim was published and retracted again
		// since) is history: a change of the claim moves only the latest retraction's entry.
		expect(
			entryUpdated({
				...retracted,
				claim: { ...base.claim, status: "retracted" as const, reviewedAt: "2025-07-25T00:00:00.000Z" },
			}),
		).toBe("2025-07-20T00:00:00.000Z");
	});

	it("moves a claim's standing entry to its claim's last public change without a change row (a speaker's rename)", () => {
		// store/public-changes `quoteChange`: a change every entry shows writes all three.
		const at = "2025-08-02T09:00:00.000Z";
		const renamed = { ...base.claim, updatedAt: at, changedAt: at, quotedAt: at };
		expect(entryUpdated({ ...base, claim: renamed, claimChange: null })).toBe(renamed.updatedAt);
		expect(entryUpdated({ ...base, claim: renamed, claimChange: change })).toBe(renamed.updatedAt);
		// A version since replaced quotes the speaker as named now: its title changed too.
		const superseded = { ...base.verdict, state: "superseded" as const };
		expect(entryUpdated({ verdict: superseded, claim: renamed, claimChange: null })).toBe(at);
		// Not by the claim's updatedAt alone (a later correction, a topic): that changed none of its words.
		expect(
			entryUpdated({
				verdict: superseded,
				claim: { ...renamed, changedAt: null, quotedAt: null },
				claimChange: null,
			}),
		).toBe(published);
		// An imported review carries its publisher's date, years before the claim came in with
		// it: the claim's row written in the same import is no change after the review.
		const imported = { ...base.verdict, publishedAt: "2019-03-01T00:00:00.000Z", updatedAt: published };
		expect(entryUpdated({ verdict: imported, claim: base.claim, claimChange: null })).toBe(
			imported.publishedAt,
		);
		expect(entryUpdated({ verdict: imported, claim: renamed, claimChange: null })).toBe(renamed.updatedAt);
	});

	it("keeps a claim's entries where they were for a change of its answers that no entry shows (a topic's rename)", () => {
		// store/public-changes `publicChange`: the claim's updatedAt alone.
		const renamedTopic = { ...base.claim, updatedAt: "2025-08-02T09:00:00.000Z" };
		expect(entryUpdated({ ...base, claim: renamedTopic, claimChange: null })).toBe(published);
		expect(entryUpdated({ ...base, claim: renamedTopic, claimChange: change })).toBe(change.at);
		const edited = { ...renamedTopic, changedAt: change.at };
		const entry = verdictAtomEntry(
			{ ...base, speaker: null, claim: edited, claimChange: change },
			{
				claimUrl: "https://x.example/c",
				versionUrl: "https://x.example/c/v",
				siteUrl: "https://x.example",
				lang: "en",
			},
		);
		// The edit is still what last changed the entry: its note stays.
		expect(entry?.updated).toBe(change.at);
		expect(entry?.summary.startsWith("Claim changed: Misquoted.")).toBe(true);
	});

	it("never dates an entry back when it stops standing for its claim", () => {
		const supersededAt = "2025-08-05T09:00:00.000Z";
		// Superseded: its title became "Superseded: …" then (the verdict's updatedAt), past an
		// edit it stood for before; a change of the claim since is the correction's.
		const superseded = { ...base.verdict, state: "superseded" as const, updatedAt: supersededAt };
		const changed = { ...base.claim, updatedAt: "2025-08-09T00:00:00.000Z" };
		expect(entryUpdated({ verdict: superseded, claim: changed, claimChange: change })).toBe(supersededAt);
		// Retracted, then a new publication: the time the claim's last change gave it then.
		const retracted = {
			...base.verdict,
			state: "retracted" as const,
			retractedAt: "2025-07-20T00:00:00.000Z",
			updatedAt: "2025-07-28T00:00:00.000Z",
		};
		expect(entryUpdated({ verdict: retracted, claim: changed, claimChange: change })).toBe(
			"2025-07-28T00:00:00.000Z",
		);
	});

	it("moves an entry no longer standing with a later change of its claim that was no review", () => {
		const supersededAt = "2025-08-05T09:00:00.000Z";
		const superseded = { ...base.verdict, state: "superseded" as const, updatedAt: supersededAt };
		// Its title quotes the claim as it is now: an edit after the supersession retitles it.
		const edited = {
			...base.claim,
			updatedAt: "2025-08-09T00:00:00.000Z",
			changedAt: "2025-08-09T00:00:00.000Z",
			quotedAt: "2025-08-09T00:00:00.000Z",
		};
		expect(entryUpdated({ verdict: superseded, claim: edited, claimChange: null })).toBe(edited.quotedAt);
		// An edit it stood for, then a later correction (updatedAt, no change of its words): the supersession's time.
		const before = { ...edited, changedAt: "2025-08-01T09:00:00.000Z", quotedAt: "2025-08-01T09:00:00.000Z" };
		expect(entryUpdated({ verdict: superseded, claim: before, claimChange: null })).toBe(supersededAt);
		// Withdrawn in an earlier round, the claim published again since: moved by a change after then.
		const retracted = {
			...base.verdict,
			state: "retracted" as const,
			retractedAt: "2025-07-20T00:00:00.000Z",
			updatedAt: "2025-07-28T00:00:00.000Z",
		};
		expect(entryUpdated({ verdict: retracted, claim: edited, claimChange: null })).toBe(edited.quotedAt);
		expect(entryUpdated({ verdict: retracted, claim: before, claimChange: null })).toBe(
			"2025-08-01T09:00:00.000Z",
		);
		// Its context or date said edited, an appearance removed (changedAt alone): neither entry
		// shows them, neither moves; the standing entry does.
		const context = {
			...before,
			updatedAt: "2025-08-10T00:00:00.000Z",
			changedAt: "2025-08-10T00:00:00.000Z",
		};
		expect(entryUpdated({ verdict: superseded, claim: context, claimChange: null })).toBe(supersededAt);
		expect(entryUpdated({ verdict: retracted, claim: context, claimChange: null })).toBe(before.quotedAt);
		expect(entryUpdated({ ...base, claim: context, claimChange: null })).toBe(context.changedAt);
	});

	it("says what changed in the entry's summary", () => {
		const entry = verdictAtomEntry(
			{ ...base, speaker: null, claimChange: change },
			{
				claimUrl: "https://x.example/c",
				versionUrl: "https://x.example/c/v",
				siteUrl: "https://x.example",
				lang: "en",
			},
		);
		expect(entry?.updated).toBe(change.at);
		expect(entry?.summary.startsWith("Claim changed: Misquoted.")).toBe(true);
	});

	it("does not re-announce an older change when a later one without words (a rename) updated the entry", () => {
		const options = {
			claimUrl: "https://x.example/c",
			versionUrl: "https://x.example/c/v",
			siteUrl: "https://x.example",
			lang: "en" as const,
		};
		// The claim's changed_at written a few ms after its change row in the same batch: one write.
		const changed = (at: string) => ({ ...base.claim, updatedAt: at, changedAt: at });
		const sameWrite = changed(new Date(Date.parse(change.at) + 3).toISOString());
		const now = verdictAtomEntry({ ...base, speaker: null, claim: sameWrite, claimChange: change }, options);
		expect(now?.summary.startsWith("Claim changed: Misquoted.")).toBe(true);
		// A rename sent right after the edit (a script's next call) is another write.
		const soonAfter = changed(new Date(Date.parse(change.at) + 200).toISOString());
		const next = verdictAtomEntry({ ...base, speaker: null, claim: soonAfter, claimChange: change }, options);
		expect(next?.summary).not.toContain("Claim changed");
		const renamed = changed("2025-09-01T09:00:00.000Z");
		const later = verdictAtomEntry({ ...base, speaker: null, claim: renamed, claimChange: change }, options);
		expect(later?.updated).toBe(renamed.updatedAt);
		expect(later?.summary).not.toContain("Claim changed");
		expect(later?.summary).not.toContain("Misquoted");
	});
});

describe("a removed appearance", () => {
	it("names the source by title and host in the entry's summary, in the feed's language", () => {
		const claimChange = {
			at: "2025-08-01T09:00:00.000Z",
			note: "The paper never printed it.",
			field: "appearance",
			from: "Kurier (Wien) meldet (https://www.kurier.example/a_(b)?x=1)",
		};
		const en = verdictEntry(subject({}, { claimChange }));
		expect(en.summary).toContain(
			"Claim changed: Appearance removed: Kurier (Wien) meldet (kurier.example) — The paper never printed it.",
		);
		const de = verdictEntry(subject({}, { claimChange }), "de");
		expect(de.summary).toContain(
			"Behauptung geändert: Fundstelle entfernt: Kurier (Wien) meldet (kurier.example)",
		);
		// A source without a title is named by its host.
		const untitled = verdictEntry(
			subject({}, { claimChange: { ...claimChange, from: "https://x.example/p" } }),
		);
		expect(untitled.summary).toContain("Appearance removed: x.example —");
	});
});
