/**
 * schema.org ClaimReview (JSON-LD, bare or embedded in an HTML page) → import records.
 * Publishers emit it in many shapes, so the reader walks the whole document for
 * ClaimReview nodes instead of expecting one layout, and resolves `@id` references.
 */
import type { SpeakerKind } from "../../../src/db/schema";
import { AUTHOR_SEPARATOR } from "../../../src/domain/author-names";
import { dayOrUtcInstant } from "../../../src/domain/dates";
import { decodeEntities } from "../../../src/reader/html-entities";
import { htmlAsText } from "../../../src/reader/html-text";
import {
	IMPORT_LIMITS,
	type ImportRecord,
	type ImportSource,
	type ImportSpeaker,
	isHttpUrl,
	validateImportRecord,
} from "../../../src/schemas/import-record";
import {
	compact,
	type ImportRejection,
	type ImportResult,
	type ImportWarning,
	importLanguageTag,
	importLanguageTagOrName,
	truncate,
} from "./records";
import {
	DEFAULT_RATING_TABLE,
	parseRatingNumber,
	type RatingTable,
	type ResolvedRating,
	resolveRating,
} from "./textual-ratings";

export interface ClaimReviewOptions {
	/** Language of a claim whose document names none. Default "en". */
	defaultLanguage?: string;
	ratingTable?: RatingTable;
}

/** Index of a rejection or warning that concerns the whole input (or one script block of it), not one ClaimReview. */
const DOCUMENT_LEVEL = -1;

type JsonNode = { [key: string]: unknown };

function isNode(value: unknown): value is JsonNode {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Local type names, so that "ClaimReview", "schema:ClaimReview" and "https://schema.org/ClaimReview" meet. */
function typesOf(node: JsonNode): string[] {
	const raw = node["@type"] ?? node.type;
	const list = Array.isArray(raw) ? raw : [raw];
	return list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^.*[/#:]/, ""));
}

function hasType(node: JsonNode, name: string): boolean {
	return typesOf(node).includes(name);
}

const SCHEMA_PREFIXES = ["", "schema:", "https://schema.org/", "http://schema.org/"];

function prop(node: JsonNode, name: string): unknown {
	for (const prefix of SCHEMA_PREFIXES) {
		const value = node[prefix + name];
		if (value !== undefined && value !== null) return value;
	}
	return undefined;
}

function first(value: unknown): unknown {
	if (!Array.isArray(value)) return value;
	return value.find((v) => v !== null && v !== undefined);
}

function toArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

/** A literal as written: a string, a number, or a JSON-LD value object. */
function literalOf(value: unknown): string | undefined {
	const v = first(value);
	if (typeof v === "string") return v.trim() || undefined;
	if (typeof v === "number" && Number.isFinite(v)) return String(v);
	if (isNode(v) && v["@value"] !== undefined) return literalOf(v["@value"]);
	return undefined;
}

/**
 * A text as readers see it. CMSs write their HTML-escaped fields into the markup
 * (`&quot;alles&quot; <em>befreit</em> &amp; sicher`), which every surface of ours would
 * show as written: comments and tags go, then character references are decoded, so an
 * escaped "&lt;em&gt;" stays the text "<em>" (src/reader/html-text, which the server reads a
 * claim stored with such markup by).
 */
function textOf(value: unknown): string | undefined {
	const raw = literalOf(value);
	return raw === undefined ? undefined : htmlAsText(raw) || undefined;
}

/** An address: references decoded as in an attribute (`&amp;` is "&", "?a=1&copy=2" stays), no tags to strip. */
function urlOf(value: unknown): string | undefined {
	const raw = literalOf(value);
	return raw === undefined ? undefined : decodeEntities(raw, true).trim() || undefined;
}

interface Context {
	ids: ReadonlyMap<string, JsonNode>;
	table: RatingTable;
	defaultLanguage: string;
}

/** Follows an `{"@id": …}` reference to the node the document describes under that id. */
function resolve(value: unknown, ctx: Context): unknown {
	const v = first(value);
	if (!isNode(v)) return v;
	const id = v["@id"];
	if (typeof id !== "string" || Object.keys(v).some((k) => k !== "@id" && k !== "@type")) return v;
	return ctx.ids.get(id) ?? v;
}

/** The name of a person, organisation or thing; strings are names already. */
function nameOf(value: unknown, ctx: Context): string | undefined {
	const v = resolve(value, ctx);
	if (!isNode(v)) return textOf(v);
	const name = textOf(prop(v, "name")) ?? textOf(prop(v, "legalName")) ?? textOf(prop(v, "alternateName"));
	if (name) return name;
	const given = textOf(prop(v, "givenName"));
	const family = textOf(prop(v, "familyName"));
	return [given, family].filter(Boolean).join(" ") || undefined;
}

/**
 * The names of one node or several, joined by `separator`: ", " for a publisher or reviewer
 * (shown as written), AUTHOR_SEPARATOR for a source's authors, whose text the ClaimReview
 * builder reads back as people (domain/author-names): "Müller, Anna" and "Jonas Muster"
 * joined with a comma read as three names, or one.
 */
function namesOf(value: unknown, ctx: Context, separator = ", "): string | undefined {
	const names = toArray(value)
		.map((v) => nameOf(v, ctx))
		.filter((n): n is string => n !== undefined);
	return [...new Set(names)].join(separator) || undefined;
}

/** A string, or the name of a Language / DefinedTerm node. */
function labelOf(value: unknown, ctx: Context): string | undefined {
	return textOf(value) ?? nameOf(value, ctx);
}

/** A tag, or a Language node's; a language's English or German name ("German", "Deutsch") as its tag. */
function languageOf(value: unknown, ctx: Context): string | undefined {
	const v = resolve(value, ctx);
	if (!isNode(v)) return importLanguageTagOrName(textOf(v));
	const alternateName = textOf(prop(v, "alternateName"));
	const name = textOf(prop(v, "name"));
	// A tag beside a name decides ({"name": "Deutsch", "alternateName": "de-AT"}).
	return (
		importLanguageTag(alternateName) ??
		importLanguageTag(name) ??
		importLanguageTagOrName(alternateName) ??
		importLanguageTagOrName(name)
	);
}

/** Says which inLanguage was read as no language, and the language the claim was filed under instead. */
function warnUnreadLanguage(
	owner: JsonNode | undefined,
	field: string,
	filed: string,
	ctx: Context,
	warn: Warn,
): void {
	const given = owner && labelOf(prop(owner, "inLanguage"), ctx);
	if (given && languageOf(prop(owner, "inLanguage"), ctx) === undefined)
		warn(`${field}: "${truncate(given, 40)}" is no language tag or name we know: filed under ${filed}`);
}

const ORGANIZATION_TYPES = new Set([
	"Organization",
	"Corporation",
	"NGO",
	"PoliticalParty",
	"GovernmentOrganization",
	"NewsMediaOrganization",
	"EducationalOrganization",
	"MedicalOrganization",
	"ResearchOrganization",
	"SportsOrganization",
	"PerformingGroup",
	"WorkersUnion",
	"LocalBusiness",
	"OnlineBusiness",
	"Consortium",
	"Project",
	"FundingScheme",
	"LibrarySystem",
	"Airline",
	"GovernmentOffice",
]);

function isOrganization(value: unknown): boolean {
	return isNode(value) && typesOf(value).some((t) => ORGANIZATION_TYPES.has(t));
}

/**
 * Who published the review. Google reads a ClaimReview's `author` as the publisher, and
 * bylines list the writer beside the newsroom ([Person "Anna Schmidt", Organization
 * "CORRECTIV.Faktencheck"]): the organisations are then the publisher, every surface crediting
 * them. When no author is one, the review's `publisher` may name the newsroom (author Person
 * "Anna Schmidt", publisher Organization "CORRECTIV.Faktencheck"): its organisations, else
 * every author by name.
 */
function reviewerOf(review: JsonNode, ctx: Context): string | undefined {
	const authors = toArray(prop(review, "author")).map((v) => resolve(v, ctx));
	const organizations = authors.filter(isOrganization);
	if (organizations.length > 0) return namesOf(organizations, ctx);
	const publishers = toArray(prop(review, "publisher"))
		.map((v) => resolve(v, ctx))
		.filter(isOrganization);
	return namesOf(publishers.length > 0 ? publishers : authors, ctx);
}

function speakerOf(value: unknown, ctx: Context): ImportSpeaker | null {
	const v = resolve(value, ctx);
	// A bare string names someone of unknown kind; people are by far the most common claimants.
	if (!isNode(v)) {
		const name = textOf(v);
		return name ? { name: truncate(name, IMPORT_LIMITS.speakerName), kind: "person" } : null;
	}
	const name = nameOf(v, ctx);
	if (!name) return null;
	const kind: SpeakerKind = isOrganization(v) ? "organization" : "person";
	const description = labelOf(prop(v, "jobTitle"), ctx) ?? textOf(prop(v, "description"));
	return compact({
		name: truncate(name, IMPORT_LIMITS.speakerName),
		kind,
		description: description ? truncate(description, IMPORT_LIMITS.speakerDescription) : undefined,
	});
}

type Warn = (message: string) => void;

function dateOf(value: unknown, field: string, warn: Warn): string | undefined {
	const raw = literalOf(value);
	if (raw === undefined) return undefined;
	// A time written in UTC goes as it is: the server dates it in the newsroom's zone.
	const date = dayOrUtcInstant(raw);
	if (date === null) warn(`${field}: unreadable date "${truncate(raw, 40)}" left out`);
	return date ?? undefined;
}

function clip(value: string | undefined, max: number, field: string, warn: Warn): string | undefined {
	if (value === undefined || value.length <= max) return value;
	warn(`${field}: shortened to ${max} characters`);
	return truncate(value, max);
}

/** One appearance as a source; a URL string or a CreativeWork (any subtype) with a url. */
function sourceOf(value: unknown, field: string, ctx: Context, warn: Warn): ImportSource | undefined {
	const v = resolve(value, ctx);
	const node = isNode(v) ? v : undefined;
	const id = node ? urlOf(node["@id"]) : undefined;
	const url = node ? (urlOf(prop(node, "url")) ?? (id && isHttpUrl(id) ? id : undefined)) : urlOf(v);
	if (url === undefined) {
		if (v !== undefined) warn(`${field}: no url, left out`);
		return undefined;
	}
	if (!isHttpUrl(url)) {
		warn(`${field}: "${truncate(url, 60)}" is not an http(s) URL, left out`);
		return undefined;
	}
	if (!node) return { url };
	return compact({
		url,
		title: clip(
			textOf(prop(node, "headline")) ?? textOf(prop(node, "name")),
			IMPORT_LIMITS.title,
			`${field}.title`,
			warn,
		),
		publisher: clip(
			namesOf(prop(node, "publisher"), ctx),
			IMPORT_LIMITS.publisher,
			`${field}.publisher`,
			warn,
		),
		author: clip(
			namesOf(prop(node, "author"), ctx, AUTHOR_SEPARATOR),
			IMPORT_LIMITS.author,
			`${field}.author`,
			warn,
		),
		publishedAt: dateOf(prop(node, "datePublished"), `${field}.datePublished`, warn),
		language: languageOf(prop(node, "inLanguage"), ctx),
	});
}

/** Adds a source, or fills the gaps of an earlier one with the same URL (a bare link and its CreativeWork). */
function addSource(sources: ImportSource[], source: ImportSource | undefined): void {
	if (!source) return;
	const index = sources.findIndex((s) => s.url === source.url);
	const existing = sources[index];
	if (existing)
		sources[index] = compact({
			url: existing.url,
			title: existing.title ?? source.title,
			publisher: existing.publisher ?? source.publisher,
			author: existing.author ?? source.author,
			publishedAt: existing.publishedAt ?? source.publishedAt,
			language: existing.language ?? source.language,
		});
	else sources.push(source);
}

interface Mapped {
	record?: ImportRecord;
	reason?: string;
}

function mapRating(node: JsonNode, ctx: Context): ResolvedRating | { reason: string } {
	const rating = resolve(prop(node, "reviewRating"), ctx);
	if (!isNode(rating)) return { reason: "missing reviewRating" };
	const text = textOf(prop(rating, "alternateName")) ?? textOf(prop(rating, "name"));
	const value = parseRatingNumber(literalOf(prop(rating, "ratingValue")));
	// schema.org's defaults for a Rating without its bounds
	const worst = parseRatingNumber(literalOf(prop(rating, "worstRating"))) ?? 1;
	const best = parseRatingNumber(literalOf(prop(rating, "bestRating"))) ?? 5;
	const resolved = resolveRating(text, value === undefined ? undefined : { value, worst, best }, ctx.table);
	if ("reason" in resolved && text === undefined && value === undefined)
		return { reason: "reviewRating has neither alternateName nor ratingValue" };
	return resolved;
}

/**
 * The review's date: its own, else that of the DataFeedItem it came in (Google's DataFeed
 * dates the item, not always the ClaimReview). The server dates an undated review the day it
 * is imported, which reads as a new check on the page, in Google's answer and the feed.
 */
function reviewDateOf(node: JsonNode, feedItem: JsonNode | undefined, warn: Warn): string | undefined {
	const date =
		dateOf(prop(node, "datePublished"), "datePublished", warn) ??
		dateOf(prop(node, "dateCreated"), "dateCreated", warn) ??
		(feedItem &&
			(dateOf(prop(feedItem, "datePublished"), "DataFeedItem.datePublished", warn) ??
				dateOf(prop(feedItem, "dateCreated"), "DataFeedItem.dateCreated", warn)));
	if (date === undefined) warn("no datePublished: dated at its import");
	return date;
}

function mapClaimReview(node: JsonNode, ctx: Context, warn: Warn, feedItem?: JsonNode): Mapped {
	const claimText = textOf(prop(node, "claimReviewed"));
	if (claimText === undefined) return { reason: "missing claimReviewed" };
	if (claimText.length > IMPORT_LIMITS.claimText)
		return { reason: `claimReviewed longer than ${IMPORT_LIMITS.claimText} characters` };
	const rating = mapRating(node, ctx);
	if ("reason" in rating) return { reason: rating.reason };
	if (rating.warning) warn(rating.warning);

	const itemValue = resolve(prop(node, "itemReviewed"), ctx);
	const item = isNode(itemValue) ? itemValue : undefined;
	const sources: ImportSource[] = [];
	let firstAppearance: ImportSource | undefined;
	if (item) {
		firstAppearance = sourceOf(prop(item, "firstAppearance"), "firstAppearance", ctx, warn);
		addSource(sources, firstAppearance);
		// An itemReviewed CreativeWork (the older Google shape) is itself where the claim appeared.
		if (!hasType(item, "Claim") && prop(item, "url") !== undefined)
			addSource(sources, sourceOf(item, "itemReviewed", ctx, warn));
		toArray(prop(item, "appearance")).forEach((a, i) => {
			addSource(sources, sourceOf(a, `appearance[${i}]`, ctx, warn));
		});
	}
	if (sources.length > IMPORT_LIMITS.sources) {
		warn(`only the first ${IMPORT_LIMITS.sources} appearances kept`);
		sources.length = IMPORT_LIMITS.sources;
	}

	const reviewLanguage = languageOf(prop(node, "inLanguage"), ctx);
	const claimLanguage =
		(item && languageOf(prop(item, "inLanguage"), ctx)) ?? reviewLanguage ?? ctx.defaultLanguage;
	// Unread, the review's language is the claim's, and the claim's the review's or the default.
	warnUnreadLanguage(node, "inLanguage", claimLanguage, ctx, warn);
	warnUnreadLanguage(item, "itemReviewed.inLanguage", claimLanguage, ctx, warn);
	const claimedAt =
		(item && dateOf(prop(item, "datePublished"), "itemReviewed.datePublished", warn)) ??
		// The first appearance dates the claim when the Claim itself has no date; it is sources[0] after merging.
		(firstAppearance ? sources[0]?.publishedAt : undefined);

	let url = urlOf(prop(node, "url"));
	if (url !== undefined && !isHttpUrl(url)) {
		warn(`url: "${truncate(url, 60)}" is not an http(s) URL, left out`);
		url = undefined;
	}
	const id = literalOf(node["@id"]);
	// Blank-node ids ("_:b0") are local to one serialisation and would change between exports.
	// An id is kept as written, references and all: decoded, a claim imported before would get a new one.
	const externalId = (id && !id.startsWith("_:") ? id : undefined) ?? (url && literalOf(prop(node, "url")));

	const record: ImportRecord = compact({
		externalId: externalId ? truncate(externalId, IMPORT_LIMITS.externalId) : undefined,
		claim: compact({ text: claimText, language: claimLanguage, claimedAt }),
		speaker: item ? speakerOf(prop(item, "author"), ctx) : null,
		sources,
		verdict: compact({
			rating: rating.rating,
			originalRating: rating.originalRating,
			originalScale: rating.originalScale,
			headline: truncate(
				textOf(prop(node, "headline")) ?? textOf(prop(node, "name")) ?? claimText,
				IMPORT_LIMITS.headline,
			),
			summary: clip(
				textOf(prop(node, "description")) ?? textOf(prop(node, "reviewBody")),
				IMPORT_LIMITS.summary,
				"summary",
				warn,
			),
			url,
			publishedAt: reviewDateOf(node, feedItem, warn),
			reviewer: clip(reviewerOf(node, ctx), IMPORT_LIMITS.reviewer, "author", warn),
			language: reviewLanguage,
		}),
	});
	return { record };
}

/**
 * The JSON-LD texts of every `<script type="application/ld+json">` of an HTML page, in
 * document order. Skips HTML comments, so commented-out markup is not imported.
 */
export function extractJsonLdBlocks(html: string): string[] {
	const blocks: string[] = [];
	const lower = html.toLowerCase();
	let pos = 0;
	while (pos < html.length) {
		const script = lower.indexOf("<script", pos);
		const comment = lower.indexOf("<!--", pos);
		if (script < 0) break;
		if (comment >= 0 && comment < script) {
			const end = lower.indexOf("-->", comment + 4);
			if (end < 0) break;
			pos = end + 3;
			continue;
		}
		const tagEnd = html.indexOf(">", script);
		if (tagEnd < 0) break;
		const attributes = html.slice(script + 7, tagEnd);
		const close = lower.indexOf("</script", tagEnd);
		const contentEnd = close < 0 ? html.length : close;
		pos = close < 0 ? html.length : close + 8;
		if (!/^[\s/]/.test(attributes) && attributes !== "") continue; // <scripts>, <script-foo>
		if (!/\btype\s*=\s*["']?\s*application\/ld\+json\b/i.test(attributes)) continue;
		// Old pages wrap inline scripts in comment or CDATA markers for pre-HTML5 parsers.
		const content = html
			.slice(tagEnd + 1, contentEnd)
			.trim()
			.replace(/^(?:\/\/\s*)?(?:<!--|<!\[CDATA\[)/, "")
			.replace(/(?:\/\/\s*)?(?:-->|\]\]>)$/, "")
			.trim();
		blocks.push(content);
	}
	return blocks;
}

/**
 * Makes the two errors common in hand-written JSON-LD parseable: raw control characters
 * (line breaks) inside strings and trailing commas. Valid JSON passes through unchanged.
 */
function repairJson(text: string): string {
	const out: string[] = [];
	let inString = false;
	let escaped = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charAt(i);
		if (inString) {
			if (escaped) escaped = false;
			else if (c === "\\") escaped = true;
			else if (c === '"') inString = false;
			else if (c.charCodeAt(0) < 0x20) {
				out.push(`\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
				continue;
			}
		} else if (c === '"') inString = true;
		else if (c === ",") {
			let j = i + 1;
			while (j < text.length && /\s/.test(text.charAt(j))) j++;
			const next = text.charAt(j);
			if (next === "}" || next === "]") continue;
		}
		out.push(c);
	}
	return out.join("");
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		try {
			return { ok: true, value: JSON.parse(repairJson(text)) };
		} catch {
			return { ok: false, error: error instanceof Error ? error.message : String(error) };
		}
	}
}

const MAX_DEPTH = 64;

function walk(value: unknown, depth: number, visit: (node: JsonNode) => boolean): void {
	if (depth > MAX_DEPTH) return;
	if (Array.isArray(value)) {
		for (const v of value) walk(v, depth + 1, visit);
		return;
	}
	if (!isNode(value)) return;
	if (!visit(value)) return;
	for (const v of Object.values(value)) walk(v, depth + 1, visit);
}

/**
 * For a stream of ClaimReview documents read one at a time (NDJSON): claims of one page
 * that come on separate lines share its URL as their id, and one id would make them one
 * claim (the server refuses the second). The first keeps the URL, as a page with one claim
 * does (earlier imports matched it so); a later one with other words gets the suffix the
 * whole-document path gives (`#claim-<hash>`). Deterministic: the same stream, the same ids.
 */
export function streamClaimIds(): (record: {
	externalId?: string | undefined;
	claim: { text: string };
}) => void {
	const textOf = new Map<string, string>();
	return (record) => {
		const id = record.externalId;
		if (!id) return;
		const text = writtenClaims.get(record) ?? record.claim.text;
		const seen = textOf.get(id);
		if (seen === undefined || seen === text) {
			textOf.set(id, text);
			return;
		}
		const base = `${id}#claim-${fnv1a(text)}`;
		let candidate = base;
		for (let n = 2; textOf.has(candidate) && textOf.get(candidate) !== text; n++) candidate = `${base}-${n}`;
		textOf.set(candidate, text);
		record.externalId = candidate;
	};
}

/**
 * The claimReviewed of each mapped record as the document wrote it, markup and all. The
 * `#claim-<hash>` ids hash it: hashed from the text as read since f287 (`&quot;` decoded), a
 * page's claims imported before would get new ids and be recorded a second time.
 */
const writtenClaims = new WeakMap<object, string>();

/** 32-bit FNV-1a: a short stable hash to tell apart reviews that share one URL. */
function fnv1a(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, "0");
}

/** The DataFeedItem each ClaimReview came in, directly or by `@id`; the innermost item counts. */
function feedItemsOf(documents: readonly unknown[], ctx: Context): Map<JsonNode, JsonNode> {
	const items = new Map<JsonNode, JsonNode>();
	for (const doc of documents)
		walk(doc, 0, (node) => {
			if (!hasType(node, "DataFeedItem")) return true;
			for (const item of toArray(prop(node, "item")))
				walk(resolve(item, ctx), 0, (inner) => {
					if (!hasType(inner, "ClaimReview")) return true;
					items.set(inner, node);
					return false;
				});
			return true;
		});
	return items;
}

/**
 * Reads every ClaimReview out of a JSON-LD document (object, array, `@graph`, DataFeed)
 * or an HTML page with JSON-LD script blocks. ClaimReviews that cannot be mapped are
 * rejected with their 0-based position among the ClaimReviews of the input; problems
 * of the input as a whole have index -1. Deterministic: the same input gives equal output.
 */
export function parseClaimReviewDocument(input: string, options: ClaimReviewOptions = {}): ImportResult {
	const result: ImportResult = { records: [], rejected: [], warnings: [] };
	const rejectDocument = (reason: string) => result.rejected.push({ index: DOCUMENT_LEVEL, reason });
	const text = input.replace(/^\uFEFF/, "").trim();
	if (text === "") {
		rejectDocument("empty input");
		return result;
	}
	const isHtml = text.startsWith("<") || (!/^[[{]/.test(text) && /<script\b/i.test(text));
	const blocks = isHtml ? extractJsonLdBlocks(text) : [text];
	if (blocks.length === 0) {
		rejectDocument("no JSON-LD script block in the HTML");
		return result;
	}

	const documents: unknown[] = [];
	blocks.forEach((block, i) => {
		const parsed = parseJson(block);
		if (parsed.ok) documents.push(parsed.value);
		else rejectDocument(`invalid JSON${isHtml ? ` in script block ${i + 1}` : ""}: ${parsed.error}`);
	});
	const mapped = mapClaimReviewDocuments(documents, options);
	return {
		records: mapped.records,
		rejected: [...result.rejected, ...mapped.rejected],
		warnings: mapped.warnings,
	};
}

/**
 * Like `parseClaimReviewDocument` for JSON-LD that is already parsed (a request body):
 * each element of `documents` is one JSON-LD document, and `@id` references resolve across them.
 */
export function mapClaimReviewDocuments(
	documents: readonly unknown[],
	options: ClaimReviewOptions = {},
): ImportResult {
	const result: ImportResult = { records: [], rejected: [], warnings: [] };
	const rejectDocument = (reason: string) => result.rejected.push({ index: DOCUMENT_LEVEL, reason });

	const ids = new Map<string, JsonNode>();
	const candidates: JsonNode[] = [];
	const typesSeen = new Set<string>();
	for (const doc of documents) {
		walk(doc, 0, (node) => {
			const id = node["@id"];
			if (
				typeof id === "string" &&
				!ids.has(id) &&
				Object.keys(node).some((k) => k !== "@id" && k !== "@type")
			)
				ids.set(id, node);
			return true;
		});
	}
	for (const doc of documents) {
		walk(doc, 0, (node) => {
			for (const t of typesOf(node)) typesSeen.add(t);
			if (!hasType(node, "ClaimReview")) return true;
			candidates.push(node);
			return false;
		});
	}
	const ctx: Context = {
		ids,
		table: options.ratingTable ?? DEFAULT_RATING_TABLE,
		defaultLanguage: importLanguageTag(options.defaultLanguage) ?? "en",
	};
	const feedItems = feedItemsOf(documents, ctx);
	if (candidates.length === 0) {
		if (documents.length > 0) {
			const types = [...typesSeen].slice(0, 10).join(", ");
			rejectDocument(`no ClaimReview found${types ? ` (found ${types})` : ""}`);
		}
		return result;
	}

	const mapped: { index: number; record: ImportRecord; written: string }[] = [];
	const seen = new Map<string, number>();
	candidates.forEach((node, index) => {
		const warnings: ImportWarning[] = [];
		const { record, reason } = mapClaimReview(
			node,
			ctx,
			(message) => warnings.push({ index, message }),
			feedItems.get(node),
		);
		if (!record) {
			result.rejected.push({ index, reason: reason ?? "invalid ClaimReview" });
			return;
		}
		const key = JSON.stringify(record);
		const duplicateOf = seen.get(key);
		if (duplicateOf !== undefined) {
			result.warnings.push({ index, message: `duplicate of ClaimReview ${duplicateOf}, skipped` });
			return;
		}
		seen.set(key, index);
		result.warnings.push(...warnings);
		mapped.push({ index, record, written: literalOf(prop(node, "claimReviewed")) ?? record.claim.text });
	});

	// Several claims reviewed on one page share its URL: tell them apart by their text.
	const idCounts = new Map<string, number>();
	for (const { record } of mapped)
		if (record.externalId) idCounts.set(record.externalId, (idCounts.get(record.externalId) ?? 0) + 1);
	const assigned = new Set<string>();
	for (const entry of mapped) {
		const { record } = entry;
		if (record.externalId && (idCounts.get(record.externalId) ?? 0) > 1) {
			const base = `${record.externalId}#claim-${fnv1a(entry.written)}`;
			let candidate = base;
			for (let n = 2; assigned.has(candidate); n++) candidate = `${base}-${n}`;
			record.externalId = candidate;
		}
		if (record.externalId) assigned.add(record.externalId);
		const valid = validateImportRecord(record);
		if (valid.ok) {
			writtenClaims.set(valid.record, entry.written);
			result.records.push(valid.record);
		} else result.rejected.push({ index: entry.index, reason: valid.reason } satisfies ImportRejection);
	}
	result.rejected.sort((a, b) => a.index - b.index);
	return result;
}
