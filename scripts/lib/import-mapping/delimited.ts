/**
 * CSV/TSV import: a column mapping that turns the rows of a delimited file into import
 * records. Decoding is in decode.ts, parsing in delimited-parser.ts.
 */
import * as z from "zod";
import { SPEAKER_KINDS, type SpeakerKind } from "../../../src/db/schema";
import { type DateOptions, dayOrUtcInstant } from "../../../src/domain/dates";
import {
	IMPORT_LIMITS,
	type ImportRecord,
	type ImportSource,
	isHttpUrl,
} from "../../../src/schemas/import-record";
import type { DelimitedOptions, DelimitedRow } from "./delimited-parser";
import { compact, type ImportResult, importLanguageTag, truncate } from "./records";
import { type ChunkImporter, createRowImporter, type RowOutcome, runImporter } from "./row-importer";
import {
	DEFAULT_RATING_TABLE,
	foldRatingText,
	parseRatingNumber,
	type RatingTable,
	resolveRating,
} from "./textual-ratings";

/** A column by its header name (matched case-insensitively) or its 0-based position. */
const columnRef = z.union([z.string().trim().min(1), z.number().int().min(0)]);

export const columnMappingSchema = z.strictObject({
	/** Default "," — use "\t" for TSV. */
	delimiter: z.string().length(1).optional(),
	/** Default '"'; null turns quoting off. */
	quote: z.string().length(1).nullable().optional(),
	/** Whether the first row names the columns. Default true. */
	header: z.boolean().optional(),
	/** Columns a row must have; default: as many as the header, or as the first row without one. */
	columnCount: z.number().int().positive().optional(),
	/** How to read dates such as 07/12/2025. */
	dateOrder: z.enum(["dmy", "mdy"]).optional(),
	/** Language of claims without a language column; falls back to the importer's default. */
	language: z.string().optional(),
	/** Kind of speakers without a kind column. Default "person". */
	speakerKind: z.enum(SPEAKER_KINDS).optional(),
	/** Put before the externalId column's value, e.g. "mysheet:". */
	externalIdPrefix: z.string().max(100).optional(),
	/** Scale of the ratingValue column when there are no worstRating / bestRating columns. Default 1–5. */
	scale: z.strictObject({ worst: z.number(), best: z.number() }).optional(),
	columns: z.strictObject({
		claim: columnRef,
		externalId: columnRef.optional(),
		language: columnRef.optional(),
		claimedAt: columnRef.optional(),
		context: columnRef.optional(),
		speaker: columnRef.optional(),
		speakerKind: columnRef.optional(),
		speakerDescription: columnRef.optional(),
		/**
		 * One URL, or several separated by white space, `|`, or a comma or semicolon before white
		 * space or the next http(s) address; the first is the first appearance.
		 */
		sourceUrl: columnRef.optional(),
		sourceTitle: columnRef.optional(),
		sourcePublisher: columnRef.optional(),
		sourceAuthor: columnRef.optional(),
		sourcePublishedAt: columnRef.optional(),
		rating: columnRef.optional(),
		ratingValue: columnRef.optional(),
		worstRating: columnRef.optional(),
		bestRating: columnRef.optional(),
		headline: columnRef.optional(),
		summary: columnRef.optional(),
		/** The review itself: the verdict's evidence, without which it is not published. */
		reviewUrl: columnRef.optional(),
		reviewedAt: columnRef.optional(),
		reviewer: columnRef.optional(),
		reviewLanguage: columnRef.optional(),
	}),
});

export type ColumnMapping = z.infer<typeof columnMappingSchema>;
type ColumnName = keyof ColumnMapping["columns"];
type Positions = Partial<Record<ColumnName, number>>;

/** The mapping does not fit the file (a named column is missing): the whole import stops. */
export class ColumnMappingError extends Error {
	override name = "ColumnMappingError";
}

export interface ImportOptions {
	/** Language of claims that name none. Default "en". */
	defaultLanguage?: string;
	ratingTable?: RatingTable;
}

/** How the parser must read a file for a mapping; the CLI parses alongside with the same options. */
export function delimitedParserOptions(mapping: ColumnMapping): DelimitedOptions {
	return {
		delimiter: mapping.delimiter ?? ",",
		quote: mapping.quote === undefined ? '"' : mapping.quote,
		// A row spanning lines must be as wide as the file: else it is a stray quote's doing.
		fieldCount: mapping.columnCount ?? "first-row",
	};
}

/** Where each mapped column is: by position, or by its name in the header. */
function resolveColumns(mapping: ColumnMapping, header: string[] | undefined, width: number): Positions {
	const folded = header?.map((h) => h.trim().toLowerCase());
	const out: Positions = {};
	for (const [name, ref] of Object.entries(mapping.columns) as [ColumnName, string | number][]) {
		if (typeof ref === "number") {
			if (ref >= width)
				throw new ColumnMappingError(`column ${name}: position ${ref} beyond the ${width} columns`);
			out[name] = ref;
		} else if (!folded) {
			throw new ColumnMappingError(`column ${name}: named "${ref}" but the file has no header row`);
		} else {
			const position = folded.indexOf(ref.toLowerCase());
			if (position < 0)
				throw new ColumnMappingError(`column ${name}: no column named "${ref}" in the header`);
			out[name] = position;
		}
	}
	return out;
}

/** What every row of one import is read with. */
interface MappingContext {
	mapping: ColumnMapping;
	table: RatingTable;
	dateOptions: DateOptions;
	/** Language of claims whose row names none. */
	language: string;
	defaultKind: SpeakerKind;
}

/** One row's fields by column name, collecting the warnings its reading causes. */
class RowFields {
	readonly warnings: string[] = [];

	constructor(
		readonly row: DelimitedRow,
		readonly positions: Positions,
		readonly dateOptions: DateOptions,
	) {}

	get(name: ColumnName): string | undefined {
		const position = this.positions[name];
		if (position === undefined) return undefined;
		const value = this.row.fields[position]?.trim();
		return value ? value : undefined;
	}

	date(name: ColumnName): string | undefined {
		const raw = this.get(name);
		if (raw === undefined) return undefined;
		// A time written in UTC goes as it is: the server dates it in the newsroom's zone.
		const value = dayOrUtcInstant(raw, this.dateOptions);
		if (value === null) this.warnings.push(`${name}: unreadable date "${truncate(raw, 40)}" left out`);
		return value ?? undefined;
	}

	/** The value, shortened to `max` characters with a warning. */
	clip(name: ColumnName, max: number): string | undefined {
		const value = this.get(name);
		if (value === undefined || value.length <= max) return value;
		this.warnings.push(`${name}: shortened to ${max} characters`);
		return truncate(value, max);
	}

	/** The value if it is an http(s) URL; anything else is left out with a warning. */
	httpUrl(name: ColumnName, value = this.get(name)): string | undefined {
		if (value === undefined || isHttpUrl(value)) return value;
		this.warnings.push(`${name}: "${truncate(value, 60)}" is not an http(s) URL, left out`);
		return undefined;
	}
}

/** Claim text with line breaks made uniform; the wording itself stays verbatim. */
function cleanText(value: string): string {
	return value.replace(/\r\n?/g, "\n").trim();
}

function speakerKindOf(value: string | undefined, fallback: SpeakerKind): SpeakerKind {
	if (value === undefined) return fallback;
	const folded = foldRatingText(value);
	if (/^(organi[sz]ation|org|organisation|company|party|institution)$/.test(folded)) return "organization";
	if (/^(person|individual|people)$/.test(folded)) return "person";
	return fallback;
}

/*
 * What separates the URLs of one sourceUrl cell: white space, a `|` (not a URL character
 * unencoded), and a comma or semicolon followed by white space, the cell's end or another
 * http(s) address ("https://a, https://b", "https://a;https://b"). A comma or semicolon
 * inside an address (`/a,b`, `?ids=1,2`, `;jsessionid=`) is legal and kept: one followed by
 * anything else is read as part of it, and so is one in a query parameter whose value is an
 * address (`?next=https://b,https://c`: a list of addresses in one parameter). Split on white
 * space alone, "https://a," was stored as a source, comma included (a public link,
 * ClaimReview's firstAppearance, an archive fetch). A scan, not the regular expression
 * `[,;]+(?=\s|$|https?://)`, which tried every tail of a run of commas: 40,000 commas took
 * seconds.
 */
function splitSourceCell(cell: string): string[] {
	const urls: string[] = [];
	for (const piece of cell.split(/[\s|]+/)) {
		let start = 0;
		let query = false; // past the address's `?`
		let key = false; // reading a query parameter's name
		let addressValue = false; // its value began with an http(s) address
		for (let i = 0; i < piece.length; ) {
			const char = piece[i];
			if (char === "," || char === ";") {
				let end = i + 1;
				while (piece[end] === "," || piece[end] === ";") end++;
				if (end === piece.length || (!addressValue && /^https?:\/\//i.test(piece.slice(end, end + 8)))) {
					urls.push(piece.slice(start, i));
					start = end;
					query = key = addressValue = false;
				}
				i = end;
				continue;
			}
			if (char === "?" && !query) query = key = true;
			else if (char === "&" && query) {
				key = true;
				addressValue = false;
			} else if (char === "=" && key) {
				key = false;
				addressValue = /^https?:\/\//i.test(piece.slice(i + 1, i + 9));
			}
			i++;
		}
		urls.push(piece.slice(start));
	}
	return urls.filter((url) => url !== "");
}

/** The sourceUrl column's URLs, the first with the source columns' details. */
function mapSources(f: RowFields): ImportSource[] {
	const sources: ImportSource[] = [];
	for (const raw of splitSourceCell(f.get("sourceUrl") ?? "")) {
		const url = f.httpUrl("sourceUrl", raw);
		if (url === undefined || sources.some((s) => s.url === url)) continue;
		sources.push(
			sources.length === 0
				? compact({
						url,
						title: f.clip("sourceTitle", IMPORT_LIMITS.title),
						publisher: f.clip("sourcePublisher", IMPORT_LIMITS.publisher),
						author: f.clip("sourceAuthor", IMPORT_LIMITS.author),
						publishedAt: f.date("sourcePublishedAt"),
					})
				: { url },
		);
	}
	if (sources.length > IMPORT_LIMITS.sources) {
		f.warnings.push(`sourceUrl: only the first ${IMPORT_LIMITS.sources} URLs kept`);
		sources.length = IMPORT_LIMITS.sources;
	}
	return sources;
}

function mapSpeaker(f: RowFields, ctx: MappingContext): ImportRecord["speaker"] {
	const name = f.get("speaker");
	const description = f.clip("speakerDescription", IMPORT_LIMITS.speakerDescription);
	if (!name) return null;
	return compact({
		name: truncate(name, IMPORT_LIMITS.speakerName),
		kind: speakerKindOf(f.get("speakerKind"), ctx.defaultKind),
		description,
	});
}

/** The verdict of a row with a rating; null without one; a reason when the rating cannot be read. */
function mapVerdict(
	f: RowFields,
	text: string,
	ctx: MappingContext,
): ImportRecord["verdict"] | { reason: string } {
	const ratingText = f.get("rating");
	const rawValue = f.get("ratingValue");
	if (ratingText === undefined && rawValue === undefined) {
		if (f.get("headline") || f.get("reviewUrl") || f.get("summary"))
			f.warnings.push("verdict columns without a rating: imported as a claim without verdict");
		return null;
	}
	const value = parseRatingNumber(rawValue);
	if (rawValue !== undefined && value === undefined && ratingText === undefined)
		return { reason: `ratingValue "${truncate(rawValue, 40)}" is no number` };
	const worst = parseRatingNumber(f.get("worstRating")) ?? ctx.mapping.scale?.worst ?? 1;
	const best = parseRatingNumber(f.get("bestRating")) ?? ctx.mapping.scale?.best ?? 5;
	const rating = resolveRating(
		ratingText,
		value === undefined ? undefined : { value, worst, best },
		ctx.table,
	);
	if ("reason" in rating) return { reason: rating.reason };
	if (rating.warning) f.warnings.push(rating.warning);
	const url = f.httpUrl("reviewUrl");
	return compact({
		rating: rating.rating,
		originalRating: rating.originalRating,
		originalScale: rating.originalScale,
		headline: truncate(f.get("headline") ?? text, IMPORT_LIMITS.headline),
		summary: f.clip("summary", IMPORT_LIMITS.summary),
		url,
		publishedAt: f.date("reviewedAt"),
		reviewer: f.clip("reviewer", IMPORT_LIMITS.reviewer),
		language: importLanguageTag(f.get("reviewLanguage")),
	});
}

/** One data row as a record, or the reason it is none. */
function mapRow(f: RowFields, ctx: MappingContext): RowOutcome {
	const rawText = f.get("claim");
	if (rawText === undefined) return { reason: "missing claim text" };
	const text = cleanText(rawText);
	if (text.length > IMPORT_LIMITS.claimText)
		return { reason: `claim text longer than ${IMPORT_LIMITS.claimText} characters` };

	const rawLanguage = f.get("language");
	const claimLanguage = importLanguageTag(rawLanguage) ?? ctx.language;
	if (rawLanguage !== undefined && importLanguageTag(rawLanguage) === undefined)
		f.warnings.push(`language: "${truncate(rawLanguage, 40)}" is no language tag, used ${ctx.language}`);
	const sources = mapSources(f);
	const speaker = mapSpeaker(f, ctx);
	const verdict = mapVerdict(f, text, ctx);
	if (verdict !== null && "reason" in verdict) return verdict;

	const externalId = f.get("externalId");
	const record: ImportRecord = compact({
		externalId: externalId
			? truncate(`${ctx.mapping.externalIdPrefix ?? ""}${externalId}`, IMPORT_LIMITS.externalId)
			: undefined,
		claim: compact({
			text,
			language: claimLanguage,
			claimedAt: f.date("claimedAt"),
			context: f.clip("context", IMPORT_LIMITS.context),
		}),
		speaker,
		sources,
		verdict,
	});
	return { record, warnings: f.warnings };
}

/** Maps CSV/TSV rows to records by a column mapping. */
export function createDelimitedImporter(mapping: ColumnMapping, options: ImportOptions = {}): ChunkImporter {
	const parsed = columnMappingSchema.parse(mapping);
	const ctx: MappingContext = {
		mapping: parsed,
		table: options.ratingTable ?? DEFAULT_RATING_TABLE,
		dateOptions: { order: parsed.dateOrder },
		language: importLanguageTag(parsed.language) ?? importLanguageTag(options.defaultLanguage) ?? "en",
		defaultKind: parsed.speakerKind ?? "person",
	};
	const hasHeader = parsed.header ?? true;
	let columnCount = parsed.columnCount;
	let positions: Positions | undefined;
	return createRowImporter(delimitedParserOptions(parsed), (row) => {
		if (!positions) {
			columnCount ??= row.fields.length;
			positions = resolveColumns(parsed, hasHeader ? row.fields : undefined, columnCount);
			if (hasHeader) return "skip";
		}
		if (row.fields.length !== columnCount)
			return { reason: `expected ${columnCount} columns, found ${row.fields.length}` };
		return mapRow(new RowFields(row, positions, ctx.dateOptions), ctx);
	});
}

/** Maps a whole CSV/TSV text; for large files use `createDelimitedImporter` and feed chunks. */
export function importDelimited(
	text: string,
	mapping: ColumnMapping,
	options: ImportOptions = {},
): ImportResult {
	return runImporter(createDelimitedImporter(mapping, options), text);
}
