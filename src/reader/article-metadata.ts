import { bylineNames, joinAuthorNames } from "../domain/author-names";
import { normalizeDate } from "../domain/dates";
import { primaryLanguage } from "../domain/language-tags";
import { TRAILING_SEMICOLONS } from "../domain/trailing-runs";
/**
 * The metadata of a news page (title, publisher, author, date, language, canonical
 * URL) from what the article reader's parser collected in it.
 *
 * Precedence: JSON-LD (NewsArticle and other Article types) > OpenGraph > other
 * <meta> tags (Dublin Core, Parse.ly, plain name=author/date …) > <title>,
 * <link rel=canonical>, <html lang>. Each field falls through separately, so a
 * page with JSON-LD that lacks an author still gets the author from OpenGraph.
 */

import { canonicalizeUrl } from "../domain/canonical-url";
import { cleanText, decodeEntities } from "./html-entities";

export interface ArticleMetadata {
	/**
	 * Canonical URL of the article (`canonicalizeUrl`) when the page names one on its own
	 * site, else of the page read; null if neither is valid.
	 */
	url: string | null;
	/**
	 * The address the page gives for itself when it is on another site (and so not taken
	 * as `url`): the reader is told, and `url` is an address it names on its own site, else
	 * the page read. Null otherwise.
	 */
	foreignUrl: string | null;
	title: string | null;
	/** Site or publisher name, e.g. "Der Spiegel". */
	publisher: string | null;
	/**
	 * Author name(s), several separated by "; " (domain/author-names `AUTHOR_SEPARATOR`): a
	 * comma is in names written surname first ("Müller, Anna").
	 */
	author: string | null;
	/** Publication date as written by the publisher (its local date), YYYY-MM-DD. */
	publishedAt: string | null;
	/** BCP 47 primary language subtag, lower case ("de"). */
	language: string | null;
}

/** What the parser collects for the metadata, as written in the page (character references undecoded). */
export interface PageHead {
	/** First value per lower-cased meta name/property/itemprop/http-equiv. */
	meta: Map<string, string>;
	/** Every value per name, the first few (a page may name each author in a tag of its own). */
	metaLists: Map<string, string[]>;
	/** The texts of the <script type="application/ld+json"> blocks. */
	jsonLd: string[];
	canonical: string | null;
	htmlLang: string | null;
	title: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJsonLd(raw: string): unknown {
	const text = raw
		.trim()
		.replace(/^<!--|-->$/g, "")
		.replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, "")
		.replace(/^<!\[CDATA\[|\]\]>$/g, "")
		.trim()
		.replace(TRAILING_SEMICOLONS, "");
	try {
		return JSON.parse(text);
	} catch {
		// CMSs often emit raw line breaks inside strings, which JSON forbids; outside strings they are spaces.
		try {
			return JSON.parse(text.replace(/\p{Cc}+/gu, " "));
		} catch {
			return null;
		}
	}
}

function typeNames(node: Record<string, unknown>): string[] {
	const type = node["@type"];
	const list = Array.isArray(type) ? type : [type];
	return list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^.*[/:#]/, ""));
}

/* 0 for news articles, 1 for articles, 2 for posts; null for anything else. */
function articleRank(node: Record<string, unknown>): number | null {
	let rank: number | null = null;
	for (const type of typeNames(node)) {
		const r = /NewsArticle$/.test(type)
			? 0
			: /Article$/.test(type) || type === "Report"
				? 1
				: type === "BlogPosting" || type === "LiveBlogPosting"
					? 2
					: null;
		if (r !== null && (rank === null || r < rank)) rank = r;
	}
	return rank;
}

interface JsonLdArticle {
	node: Record<string, unknown>;
	byId: Map<string, Record<string, unknown>>;
}

/*
 * The page's own article: the best-ranked among the nodes that stand for the page (top-level
 * blocks, @graph members, mainEntity targets), and only when none does among the others. A
 * node nested under another property (citation, isBasedOn, about, hasPart …) is another
 * article the page refers to: an opinion piece citing a NewsArticle took its headline,
 * author, date and address by type rank alone.
 */
function findJsonLdArticle(blocks: readonly string[]): JsonLdArticle | null {
	const byId = new Map<string, Record<string, unknown>>();
	const candidates: { node: Record<string, unknown>; own: boolean }[] = [];
	// The @ids an own node's mainEntity names: the article may stand elsewhere, referred to.
	const mainIds = new Set<string>();
	const queue: { value: unknown; own: boolean }[] = blocks.map((block) => ({
		value: parseJsonLd(block),
		own: true,
	}));
	// Breadth-first over every nested object: articles hide in @graph, mainEntity, or arrays of blocks.
	for (let i = 0; i < queue.length && i < 20_000; i++) {
		const { value, own } = queue[i] ?? { value: null, own: false };
		if (Array.isArray(value)) {
			queue.push(...value.map((item) => ({ value: item, own })));
			continue;
		}
		if (!isRecord(value)) continue;
		const id = value["@id"];
		if (typeof id === "string" && Object.keys(value).length > 1 && !byId.has(id)) byId.set(id, value);
		if (articleRank(value) !== null) candidates.push({ node: value, own });
		const main = own ? jsonUrl(value.mainEntity) : null;
		if (main !== null) mainIds.add(main);
		for (const [key, child] of Object.entries(value)) {
			if (typeof child !== "object" || child === null) continue;
			queue.push({ value: child, own: own && (key === "@graph" || key === "mainEntity") });
		}
	}
	let best: Record<string, unknown> | null = null;
	let bestRank = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		// The page's own nodes first, whatever their type; the type breaks ties among equals.
		const id = candidate.node["@id"];
		const own = candidate.own || (typeof id === "string" && mainIds.has(id));
		const rank = (own ? 0 : 10) + (articleRank(candidate.node) ?? Number.POSITIVE_INFINITY);
		if (rank < bestRank) {
			best = candidate.node;
			bestRank = rank;
		}
	}
	if (best === null) return null;
	return { node: best, byId };
}

function resolve(value: unknown, byId: Map<string, Record<string, unknown>>): unknown {
	if (isRecord(value) && typeof value["@id"] === "string" && Object.keys(value).length === 1) {
		return byId.get(value["@id"]) ?? value;
	}
	return value;
}

function jsonString(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (Array.isArray(value)) return jsonString(value[0]);
	return null;
}

/* Names of a person, organisation or list of them (strings, {name}, or {@id} references). */
function jsonNames(value: unknown, byId: Map<string, Record<string, unknown>>): string[] {
	const list = Array.isArray(value) ? value : [value];
	const names: string[] = [];
	for (const item of list.slice(0, 20)) {
		const resolved = resolve(item, byId);
		const name =
			typeof resolved === "string" ? resolved : isRecord(resolved) ? jsonString(resolved.name) : null;
		if (name !== null) names.push(name);
	}
	return names;
}

function jsonUrl(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (isRecord(value)) return jsonString(value["@id"]) ?? jsonString(value.url);
	if (Array.isArray(value)) return jsonUrl(value[0]);
	return null;
}

function jsonLanguage(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (isRecord(value)) return jsonString(value.alternateName) ?? jsonString(value.name);
	if (Array.isArray(value)) return jsonLanguage(value[0]);
	return null;
}

const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function limited(text: string | null, max: number): string | null {
	if (text === null) return null;
	const cleaned = cleanText(text, true);
	return cleaned === "" ? null : shortened(cleaned, max);
}

const looksLikeUrl = (text: string) => /^(?:https?:)?\/\/|^www\.|^[^\s@]+@[^\s@]+\.\w+$/i.test(text);

/*
 * How a page's author values are read: "names" one by one, each whole (JSON-LD's, several
 * author tags of a name); "byline" one text that may list several people ("Von Anna Beispiel
 * und Jonas Muster"); "dc-byline" as "byline", a comma inside a name (Dublin Core's creator
 * is written "Family, Given").
 */
type AuthorValues = "names" | "byline" | "dc-byline";

/**
 * The page's authors, joined with "; " (domain/author-names `AUTHOR_SEPARATOR`), which the
 * ClaimReview builder publishes as one Person each, and nothing else does: joined with ", "
 * they were published as one Person named "Anna Beispiel, Jonas Muster". A name the page gives
 * as one is never cut ("U.S. Department of Health and Human Services", an Organization in
 * JSON-LD); only a byline is, where every part surely names one (`bylineNames`), and what was
 * read shows on the intake's "Published by" line before the checker records it. Whole names
 * only, as many as fit in 300 characters: cut there, the last was a Person "Anna-Kathar…".
 */
function normalizeAuthor(values: readonly (string | null)[], read: AuthorValues): string | null {
	const names: string[] = [];
	for (const value of values) {
		const byline = limited(value, read === "names" ? 200 : 2000)?.replace(
			/^(?:by|von|par|por|di|door|av)\s+(?=\p{Lu})/iu,
			"",
		);
		// article:author is often a profile URL, which is not a name.
		if (!byline || looksLikeUrl(byline)) continue;
		const found = read === "names" ? [byline] : bylineNames(byline, read === "dc-byline");
		for (const name of found.map((n) => shortened(n, 200))) if (!names.includes(name)) names.push(name);
	}
	return joinAuthorNames(names, 300);
}

/* Dublin Core's creator tags, whose names are written "Family, Given". */
const DC_CREATORS = new Set(["dc.creator", "dcterms.creator"]);

/** The authors of the first of `keys` the page has tags of: several tags one name each, one tag a byline. */
function taggedAuthors(lists: PageHead["metaLists"], keys: readonly string[]): string | null {
	const key = keys.find((k) => lists.has(k));
	const values = key === undefined ? [] : (lists.get(key) ?? []);
	if (key === undefined || values.length === 0) return null;
	if (values.length > 1) return normalizeAuthor(values, "names");
	return normalizeAuthor(values, DC_CREATORS.has(key) ? "dc-byline" : "byline");
}

const _MONTHS: Record<string, number> = {
	jan: 1,
	feb: 2,
	mar: 3,
	mär: 3,
	apr: 4,
	may: 5,
	mai: 5,
	jun: 6,
	jul: 7,
	aug: 8,
	sep: 9,
	oct: 10,
	okt: 10,
	nov: 11,
	dec: 12,
	dez: 12,
};

function _isoDate(year: number, month: number, day: number): string | null {
	if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCDate() !== day) return null;
	return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Publication dates of articles: years 1900–2200 (domain/dates reads the forms). A time
 * written in UTC is dated by the day it falls on in `zone`, the newsroom's (default UTC).
 */
export const articleDate = (value: string | null, zone?: string): string | null =>
	normalizeDate(value, { years: [1900, 2200], ...(zone ? { zone } : {}) });

function normalizeUrl(value: string | null, base: string): string | null {
	const text = value === null ? "" : decodeEntities(value.trim(), true);
	if (text === "") return null;
	try {
		return canonicalizeUrl(new URL(text, base).href).url;
	} catch {
		return null;
	}
}

/* A host without the prefixes of the same site's editions (www., m., amp., mobile.). */
const siteHost = (url: URL) => url.hostname.toLowerCase().replace(/^(?:www|m|mobile|amp)\./, "");

/*
 * Whether the page's own address for itself may stand for the page read: on the same site
 * (the AMP or mobile edition naming the article), and not the site's front page (CMSs that
 * put "/" into og:url would file every article as one source). Another site's address is
 * never taken: a page could otherwise pass itself off as a reputable outlet's article. No
 * public suffix list here: with "registrable domain" one *.substack.com, *.github.io or
 * *.co.uk site could still claim another's address.
 */
function ownAddress(claimed: string, read: string): "own" | "root" | "foreign" {
	const a = new URL(claimed);
	const b = new URL(read);
	if (siteHost(a) !== siteHost(b)) return "foreign";
	return a.pathname === "/" && a.search === "" ? "root" : "own";
}

const first = <T>(...values: (T | null | undefined)[]): T | null => {
	for (const value of values) if (value !== null && value !== undefined) return value;
	return null;
};

function stripPublisher(title: string, publisher: string | null): string {
	if (publisher === null) return title;
	const escaped = publisher.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const separator = "\\s*[|–—\\-:·•»]\\s*";
	const stripped = title
		.replace(new RegExp(`${separator}${escaped}$`, "iu"), "")
		.replace(new RegExp(`^${escaped}${separator}`, "iu"), "");
	return stripped === "" ? title : stripped;
}

/**
 * The article's address: the first the page names for itself that is its own (same site,
 * not the front page), else the address read. `foreignUrl` is the page's first choice
 * when that was another site's: an address it claims and does not have.
 */
function pageAddress(
	named: readonly (string | null)[],
	read: string | null,
): Pick<ArticleMetadata, "url" | "foreignUrl"> {
	if (read === null) return { url: first(...named), foreignUrl: null };
	let foreignUrl: string | null = null;
	for (const url of named) {
		if (url === null) continue;
		const standing = ownAddress(url, read);
		if (standing === "own") return { url, foreignUrl };
		if (standing === "foreign" && foreignUrl === null) foreignUrl = url;
	}
	return { url: read, foreignUrl };
}

/**
 * The article's metadata from what the parser collected in the page, each field
 * falling through its sources separately. `headline` (the page's first <h1>) is
 * the last resort for the title.
 */
export function metadataOf(
	head: PageHead,
	pageUrl: string,
	headline: string | null,
	/** The newsroom's (domain/deployment-settings `newsroomTimeZone`): a date written in UTC is its day. */
	zone?: string,
): ArticleMetadata {
	const meta = (...keys: string[]): string | null => first(...keys.map((key) => head.meta.get(key)));
	const ld = findJsonLdArticle(head.jsonLd);
	const node = ld?.node ?? {};
	const byId = ld?.byId ?? new Map<string, Record<string, unknown>>();
	const text = (value: string | null, max = 500) => limited(value, max);

	// article:publisher and some Dublin Core values are URLs of the outlet, not its name.
	const name = (value: string | null) => {
		const cleaned = text(value, 200);
		return cleaned === null || looksLikeUrl(cleaned) ? null : cleaned;
	};
	const publisherName = first(
		name(jsonNames(node.publisher, byId)[0] ?? null),
		name(meta("og:site_name")),
		name(meta("dc.publisher", "dcterms.publisher", "publisher", "application-name")),
	);
	const rawTitle = first(
		text(jsonString(node.headline) ?? jsonString(node.name)),
		text(meta("og:title")),
		text(meta("dc.title", "dcterms.title", "parsely-title", "sailthru.title", "twitter:title", "title")),
		text(head.title),
		text(headline),
	);
	const ldAuthors = jsonNames(node.author, byId);
	return {
		...pageAddress(
			[
				normalizeUrl(jsonUrl(node.url) ?? jsonUrl(node.mainEntityOfPage), pageUrl),
				normalizeUrl(meta("og:url"), pageUrl),
				normalizeUrl(meta("parsely-link", "twitter:url"), pageUrl),
				normalizeUrl(head.canonical, pageUrl),
			],
			normalizeUrl(pageUrl, pageUrl),
		),
		title: rawTitle === null ? null : stripPublisher(rawTitle, publisherName),
		publisher: publisherName,
		author: first(
			normalizeAuthor(ldAuthors, "names"),
			taggedAuthors(head.metaLists, ["article:author"]),
			taggedAuthors(head.metaLists, [
				"author",
				"dc.creator",
				"dcterms.creator",
				"parsely-author",
				"sailthru.author",
				"byl",
			]),
		),
		publishedAt: first(
			articleDate(jsonString(node.datePublished) ?? jsonString(node.dateCreated), zone),
			articleDate(meta("article:published_time", "og:published_time", "article:published"), zone),
			articleDate(
				meta(
					"date",
					"dc.date.issued",
					"dcterms.issued",
					"dc.date",
					"dcterms.date",
					"dcterms.created",
					"publish-date",
					"publish_date",
					"publishdate",
					"pubdate",
					"publication_date",
					"parsely-pub-date",
					"sailthru.date",
					"article.published",
					"citation_publication_date",
					"datepublished",
				),
				zone,
			),
		),
		language: first(
			primaryLanguage(jsonLanguage(node.inLanguage)),
			primaryLanguage(meta("og:locale")),
			primaryLanguage(meta("dc.language", "dcterms.language", "content-language", "language")),
			primaryLanguage(head.htmlLang),
		),
	};
}
