/**
 * CSV/TSV import: a byte decoder that survives mixed encodings, an incremental
 * RFC 4180 parser that keeps memory flat however long the file, and a column
 * mapping that turns rows into import records.
 */
import * as z from "zod";
import { SPEAKER_KINDS, type SpeakerKind } from "../../db/schema";
import {
	compact,
	type DateOptions,
	IMPORT_LIMITS,
	type ImportRecord,
	type ImportResult,
	type ImportSource,
	isHttpUrl,
	normaliseDate,
	normaliseLanguage,
	truncate,
	validateImportRecord,
} from "../../schemas/import-record";
import {
	DEFAULT_RATING_TABLE,
	foldRatingText,
	parseRatingNumber,
	type RatingTable,
	resolveRating,
} from "./textual-ratings";

// ---------------------------------------------------------------------------
// Decoding

/** Windows-1252 for 0x80–0x9F, where Latin-1 has only control characters; 0 marks bytes 1252 leaves undefined. */
const CP1252_C1 = [
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
	0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
	0x0153, 0, 0x017e, 0x0178,
];

function singleByteChar(byte: number): number {
	if (byte >= 0x80 && byte <= 0x9f) return CP1252_C1[byte - 0x80] || byte;
	return byte;
}

/** Length of the valid UTF-8 sequence at `i`; 0 when the byte starts none; -1 when the input ends inside one. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
	const b0 = bytes[i] ?? 0;
	if (b0 < 0x80) return 1;
	let need: number;
	let lo = 0x80;
	let hi = 0xbf;
	if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
	else if (b0 === 0xe0) {
		need = 2;
		lo = 0xa0;
	} else if (b0 >= 0xe1 && b0 <= 0xef) {
		need = 2;
		if (b0 === 0xed) hi = 0x9f; // no UTF-16 surrogates
	} else if (b0 === 0xf0) {
		need = 3;
		lo = 0x90;
	} else if (b0 >= 0xf1 && b0 <= 0xf3) need = 3;
	else if (b0 === 0xf4) {
		need = 3;
		hi = 0x8f;
	} else return 0;
	for (let k = 1; k <= need; k++) {
		if (i + k >= bytes.length) return -1;
		const b = bytes[i + k] ?? 0;
		if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) return 0;
	}
	return need + 1;
}

/**
 * UTF-8 decoder that reads every byte that is not part of valid UTF-8 as Windows-1252
 * (Latin-1 with printable characters in 0x80–0x9F), so a file that mixes encodings, as
 * spreadsheets exported over the years do, keeps "Müller" whichever way it was written.
 * Feed it chunks with `{ stream: true }`: a sequence split between chunks is carried over.
 */
export class LenientUtf8Decoder {
	#pending: Uint8Array = new Uint8Array(0);
	readonly #strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

	decode(chunk: Uint8Array, options: { stream?: boolean } = {}): string {
		let bytes = chunk;
		if (this.#pending.length > 0) {
			bytes = new Uint8Array(this.#pending.length + chunk.length);
			bytes.set(this.#pending);
			bytes.set(chunk, this.#pending.length);
			this.#pending = new Uint8Array(0);
		}
		const stream = options.stream === true;
		let end = bytes.length;
		if (stream) {
			// Hold back a sequence cut by the chunk boundary; it is at most 3 bytes long.
			for (let i = Math.max(0, bytes.length - 3); i < bytes.length; i++) {
				if (utf8SequenceLength(bytes, i) === -1) {
					end = i;
					break;
				}
			}
			this.#pending = bytes.slice(end);
		}
		const body = end === bytes.length ? bytes : bytes.subarray(0, end);
		try {
			return this.#strict.decode(body);
		} catch {
			return decodeMixed(body);
		}
	}
}

function decodeMixed(bytes: Uint8Array): string {
	const parts: string[] = [];
	let units: number[] = [];
	const flush = () => {
		parts.push(String.fromCharCode(...units));
		units = [];
	};
	let i = 0;
	while (i < bytes.length) {
		const b0 = bytes[i] ?? 0;
		const length = utf8SequenceLength(bytes, i);
		if (length === 1) units.push(b0);
		else if (length <= 0) units.push(singleByteChar(b0));
		else {
			let cp = b0 & (0xff >> (length + 1));
			for (let k = 1; k < length; k++) cp = (cp << 6) | ((bytes[i + k] ?? 0) & 0x3f);
			if (cp > 0xffff) {
				cp -= 0x10000;
				units.push(0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
			} else units.push(cp);
		}
		i += Math.max(length, 1);
		if (units.length >= 8192) flush();
	}
	flush();
	return parts.join("");
}

/** Bytes → text, as `LenientUtf8Decoder` reads them. */
export function decodeText(bytes: Uint8Array): string {
	return new LenientUtf8Decoder().decode(bytes);
}

/** Decodes a byte stream chunk by chunk, e.g. a file read by a CLI. */
export async function* decodeChunks(
	chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<string> {
	const decoder = new LenientUtf8Decoder();
	for await (const chunk of chunks) {
		const text = decoder.decode(chunk, { stream: true });
		if (text) yield text;
	}
	const rest = decoder.decode(new Uint8Array(0));
	if (rest) yield rest;
}

// ---------------------------------------------------------------------------
// Parsing

export interface DelimitedOptions {
	/** One character; default ",". */
	delimiter?: string;
	/** Quote character, or null for formats without quoting (LIAR's TSV has bare quotes in its text). Default '"'. */
	quote?: string | null;
	/** Skip lines with nothing on them. Default true. */
	skipEmptyLines?: boolean;
	/** A row longer than this is reported and skipped, so an unclosed quote cannot swallow the file. Default 1,000,000. */
	maxRowLength?: number;
}

export interface DelimitedRow {
	/** 1-based line on which the row starts. */
	line: number;
	fields: string[];
	/** Set when the row is broken (unterminated quote, too long); its fields are then incomplete. */
	error?: string;
}

const LF = 10;
const CR = 13;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const SKIP_LINE = 4;

/**
 * Incremental RFC 4180 parser: `push` chunks of any size (splits may fall anywhere, even
 * inside a CRLF or a doubled quote) and get back the rows they completed; `end` flushes the
 * last one. Holds only the current row, so memory stays flat for any number of rows.
 * Lenient where files in the wild are not: a quote inside an unquoted field is literal, and
 * text after a closing quote is appended to the field.
 */
export class DelimitedParser {
	readonly #delimiter: number;
	readonly #quote: number;
	readonly #quoteChar: string;
	readonly #skipEmptyLines: boolean;
	readonly #maxRowLength: number;
	#state = FIELD_START;
	#fields: string[] = [];
	#field = "";
	#rowLength = 0;
	#line = 1;
	#rowLine = 1;
	#pendingCR = false;
	#started = false;
	/** A quoted empty field makes a row that is not blank. */
	#rowQuoted = false;

	constructor(options: DelimitedOptions = {}) {
		const delimiter = options.delimiter ?? ",";
		const quote = options.quote === undefined ? '"' : options.quote;
		if (delimiter.length !== 1) throw new RangeError("the delimiter must be one character");
		if (quote !== null && (quote.length !== 1 || quote === delimiter))
			throw new RangeError("the quote must be one character other than the delimiter");
		if (delimiter === "\n" || delimiter === "\r" || quote === "\n" || quote === "\r")
			throw new RangeError("line breaks cannot be delimiters or quotes");
		this.#delimiter = delimiter.charCodeAt(0);
		this.#quote = quote === null ? -1 : quote.charCodeAt(0);
		this.#quoteChar = quote ?? "";
		this.#skipEmptyLines = options.skipEmptyLines ?? true;
		this.#maxRowLength = options.maxRowLength ?? 1_000_000;
	}

	push(chunk: string): DelimitedRow[] {
		const rows: DelimitedRow[] = [];
		const n = chunk.length;
		let i = 0;
		if (!this.#started && n > 0) {
			this.#started = true;
			if (chunk.charCodeAt(0) === 0xfeff) i = 1;
		}
		const delimiter = this.#delimiter;
		const quote = this.#quote;
		while (i < n) {
			const c = chunk.charCodeAt(i);
			if (this.#pendingCR) {
				this.#pendingCR = false;
				if (c === LF) {
					// second half of a CRLF: the line was already counted
					if (this.#state === QUOTED) this.#append("\n", rows);
					i++;
					continue;
				}
			}
			if (this.#state === SKIP_LINE) {
				let j = i;
				while (j < n && chunk.charCodeAt(j) !== LF && chunk.charCodeAt(j) !== CR) j++;
				i = j;
				if (j < n) {
					this.#newLine(chunk.charCodeAt(j));
					this.#resetRow();
					i++;
				}
				continue;
			}
			if (this.#state === QUOTED) {
				let j = i;
				while (j < n) {
					const d = chunk.charCodeAt(j);
					if (d === quote || d === LF || d === CR) break;
					j++;
				}
				if (j > i) {
					this.#append(chunk.slice(i, j), rows);
					i = j;
				} else if (c === quote) {
					this.#state = QUOTE_IN_QUOTED;
					i++;
				} else {
					const cut = this.#append(c === CR ? "\r" : "\n", rows);
					this.#newLine(c);
					// a row cut for its length resumes right after this line break
					if (cut) this.#resetRow();
					i++;
				}
				continue;
			}
			if (this.#state === QUOTE_IN_QUOTED) {
				if (c === quote) {
					this.#append(this.#quoteChar, rows);
					this.#state = QUOTED;
					i++;
					continue;
				}
				this.#state = UNQUOTED;
			}
			if (this.#state === FIELD_START && c === quote) {
				this.#state = QUOTED;
				this.#rowQuoted = true;
				i++;
				continue;
			}
			if (c === delimiter) {
				this.#fields.push(this.#field);
				this.#field = "";
				this.#state = FIELD_START;
				i++;
				continue;
			}
			if (c === LF || c === CR) {
				this.#newLine(c);
				this.#endRow(rows);
				i++;
				continue;
			}
			let j = i + 1;
			while (j < n) {
				const d = chunk.charCodeAt(j);
				if (d === delimiter || d === LF || d === CR) break;
				j++;
			}
			this.#state = UNQUOTED;
			this.#append(chunk.slice(i, j), rows);
			i = j;
		}
		return rows;
	}

	end(): DelimitedRow[] {
		const rows: DelimitedRow[] = [];
		if (this.#state === QUOTED) {
			this.#fields.push(this.#field);
			rows.push({ line: this.#rowLine, fields: this.#fields, error: "unterminated quoted field" });
		} else if (
			this.#state !== SKIP_LINE &&
			(this.#fields.length > 0 || this.#field !== "" || this.#state === QUOTE_IN_QUOTED)
		) {
			this.#endRow(rows);
		}
		this.#resetRow();
		this.#pendingCR = false;
		return rows;
	}

	/** Adds to the current field; true when that made the row too long and it was cut. */
	#append(text: string, rows: DelimitedRow[]): boolean {
		this.#field += text;
		this.#rowLength += text.length;
		if (this.#rowLength > this.#maxRowLength && this.#state !== SKIP_LINE) {
			rows.push({
				line: this.#rowLine,
				fields: [],
				error: `row longer than ${this.#maxRowLength} characters (an unclosed quote?)`,
			});
			this.#fields = [];
			this.#field = "";
			this.#state = SKIP_LINE;
			return true;
		}
		return false;
	}

	#newLine(c: number): void {
		this.#line++;
		if (c === CR) this.#pendingCR = true;
	}

	#endRow(rows: DelimitedRow[]): void {
		this.#fields.push(this.#field);
		const fields = this.#fields;
		if (!(this.#skipEmptyLines && !this.#rowQuoted && fields.length === 1 && fields[0] === ""))
			rows.push({ line: this.#rowLine, fields });
		this.#resetRow();
	}

	#resetRow(): void {
		this.#fields = [];
		this.#field = "";
		this.#rowLength = 0;
		this.#rowQuoted = false;
		this.#state = FIELD_START;
		this.#rowLine = this.#line;
	}
}

/** All rows of a whole text; for large inputs feed a `DelimitedParser` instead. */
export function parseDelimited(text: string, options: DelimitedOptions = {}): DelimitedRow[] {
	const parser = new DelimitedParser(options);
	return [...parser.push(text), ...parser.end()];
}

/** Rows of a stream of text chunks, one at a time. */
export async function* iterateDelimited(
	chunks: AsyncIterable<string> | Iterable<string>,
	options: DelimitedOptions = {},
): AsyncGenerator<DelimitedRow> {
	const parser = new DelimitedParser(options);
	for await (const chunk of chunks) yield* parser.push(chunk);
	yield* parser.end();
}

// ---------------------------------------------------------------------------
// Row importers

/** Feeds text chunks in and gets import results out; `end` after the last chunk. */
export interface ChunkImporter {
	push(chunk: string): ImportResult;
	end(): ImportResult;
}

/** What a row mapper makes of one row: a record (with notes) or the reason it is rejected. */
export type RowOutcome = { record: ImportRecord; warnings?: string[] } | { reason: string };

/**
 * Wraps a parser and a row mapper into a `ChunkImporter`: broken rows and rows the mapper
 * rejects are reported with their index (0-based among data rows) and line, and the rest goes on.
 * The mapper may throw a `ColumnMappingError` to stop the import (a configuration error).
 */
export function createRowImporter(
	parserOptions: DelimitedOptions,
	mapRow: (row: DelimitedRow) => RowOutcome | "skip",
): ChunkImporter {
	const parser = new DelimitedParser(parserOptions);
	let index = 0;
	const handle = (rows: DelimitedRow[]): ImportResult => {
		const result: ImportResult = { records: [], rejected: [], warnings: [] };
		for (const row of rows) {
			if (row.error) {
				result.rejected.push({ index: index++, line: row.line, reason: row.error });
				continue;
			}
			const outcome = mapRow(row);
			if (outcome === "skip") continue;
			if ("reason" in outcome) {
				result.rejected.push({ index, line: row.line, reason: outcome.reason });
			} else {
				const valid = validateImportRecord(outcome.record);
				if (valid.ok) {
					result.records.push(valid.record);
					for (const message of outcome.warnings ?? [])
						result.warnings.push({ index, line: row.line, message });
				} else result.rejected.push({ index, line: row.line, reason: valid.reason });
			}
			index++;
		}
		return result;
	};
	return {
		push: (chunk) => handle(parser.push(chunk)),
		end: () => handle(parser.end()),
	};
}

/** Runs a whole text through an importer. */
export function runImporter(importer: ChunkImporter, text: string): ImportResult {
	const a = importer.push(text);
	const b = importer.end();
	return {
		records: [...a.records, ...b.records],
		rejected: [...a.rejected, ...b.rejected],
		warnings: [...a.warnings, ...b.warnings],
	};
}

// ---------------------------------------------------------------------------
// Column mapping

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
		/** One URL, or several separated by white space; the first is the first appearance. */
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
		reviewUrl: columnRef.optional(),
		reviewedAt: columnRef.optional(),
		reviewer: columnRef.optional(),
		reviewLanguage: columnRef.optional(),
	}),
});

export type ColumnMapping = z.infer<typeof columnMappingSchema>;
type ColumnName = keyof ColumnMapping["columns"];

/** The mapping does not fit the file (a named column is missing): the whole import stops. */
export class ColumnMappingError extends Error {
	override name = "ColumnMappingError";
}

export interface ImportOptions {
	/** Language of claims that name none. Default "en". */
	defaultLanguage?: string;
	ratingTable?: RatingTable;
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

/** Maps CSV/TSV rows to records by a column mapping. */
export function createDelimitedImporter(mapping: ColumnMapping, options: ImportOptions = {}): ChunkImporter {
	const parsedMapping = columnMappingSchema.parse(mapping);
	const table = options.ratingTable ?? DEFAULT_RATING_TABLE;
	const hasHeader = parsedMapping.header ?? true;
	const dateOptions: DateOptions = { order: parsedMapping.dateOrder };
	const language =
		normaliseLanguage(parsedMapping.language) ?? normaliseLanguage(options.defaultLanguage) ?? "en";
	const defaultKind = parsedMapping.speakerKind ?? "person";
	let columnCount = parsedMapping.columnCount;
	let positions: Partial<Record<ColumnName, number>> | undefined;

	const resolveColumns = (header: string[] | undefined, width: number) => {
		const folded = header?.map((h) => h.trim().toLowerCase());
		const out: Partial<Record<ColumnName, number>> = {};
		for (const [name, ref] of Object.entries(parsedMapping.columns) as [ColumnName, string | number][]) {
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
	};

	const mapRow = (row: DelimitedRow): RowOutcome | "skip" => {
		if (!positions) {
			columnCount ??= row.fields.length;
			positions = resolveColumns(hasHeader ? row.fields : undefined, columnCount);
			if (hasHeader) return "skip";
		}
		if (row.fields.length !== columnCount)
			return { reason: `expected ${columnCount} columns, found ${row.fields.length}` };
		const at = positions;
		const get = (name: ColumnName): string | undefined => {
			const position = at[name];
			if (position === undefined) return undefined;
			const value = row.fields[position]?.trim();
			return value ? value : undefined;
		};
		const warnings: string[] = [];
		const date = (name: ColumnName): string | undefined => {
			const raw = get(name);
			if (raw === undefined) return undefined;
			const value = normaliseDate(raw, dateOptions);
			if (value === undefined) warnings.push(`${name}: unreadable date "${truncate(raw, 40)}" left out`);
			return value;
		};
		const clip = (name: ColumnName, max: number): string | undefined => {
			const value = get(name);
			if (value === undefined || value.length <= max) return value;
			warnings.push(`${name}: shortened to ${max} characters`);
			return truncate(value, max);
		};

		const rawText = get("claim");
		if (rawText === undefined) return { reason: "missing claim text" };
		const text = cleanText(rawText);
		if (text.length > IMPORT_LIMITS.claimText)
			return { reason: `claim text longer than ${IMPORT_LIMITS.claimText} characters` };

		const rawLanguage = get("language");
		const claimLanguage = normaliseLanguage(rawLanguage) ?? language;
		if (rawLanguage !== undefined && normaliseLanguage(rawLanguage) === undefined)
			warnings.push(`language: "${truncate(rawLanguage, 40)}" is no language tag, used ${language}`);

		const sources: ImportSource[] = [];
		const urls = get("sourceUrl")?.split(/\s+/) ?? [];
		for (const url of urls) {
			if (!isHttpUrl(url)) {
				warnings.push(`sourceUrl: "${truncate(url, 60)}" is not an http(s) URL, left out`);
				continue;
			}
			if (sources.some((s) => s.url === url)) continue;
			sources.push(
				sources.length === 0
					? compact({
							url,
							title: clip("sourceTitle", IMPORT_LIMITS.title),
							publisher: clip("sourcePublisher", IMPORT_LIMITS.publisher),
							author: clip("sourceAuthor", IMPORT_LIMITS.author),
							publishedAt: date("sourcePublishedAt"),
						})
					: { url },
			);
		}
		if (sources.length > IMPORT_LIMITS.sources) {
			warnings.push(`sourceUrl: only the first ${IMPORT_LIMITS.sources} URLs kept`);
			sources.length = IMPORT_LIMITS.sources;
		}

		const speakerName = get("speaker");
		const speakerDescription = clip("speakerDescription", IMPORT_LIMITS.speakerDescription);
		const speaker = speakerName
			? compact({
					name: truncate(speakerName, IMPORT_LIMITS.speakerName),
					kind: speakerKindOf(get("speakerKind"), defaultKind),
					description: speakerDescription,
				})
			: null;

		const ratingText = get("rating");
		const rawValue = get("ratingValue");
		let verdict: ImportRecord["verdict"] = null;
		if (ratingText !== undefined || rawValue !== undefined) {
			const value = parseRatingNumber(rawValue);
			if (rawValue !== undefined && value === undefined && ratingText === undefined)
				return { reason: `ratingValue "${truncate(rawValue, 40)}" is no number` };
			const worst = parseRatingNumber(get("worstRating")) ?? parsedMapping.scale?.worst ?? 1;
			const best = parseRatingNumber(get("bestRating")) ?? parsedMapping.scale?.best ?? 5;
			const rating = resolveRating(
				ratingText,
				value === undefined ? undefined : { value, worst, best },
				table,
			);
			if ("reason" in rating) return { reason: rating.reason };
			let reviewUrl = get("reviewUrl");
			if (reviewUrl !== undefined && !isHttpUrl(reviewUrl)) {
				warnings.push(`reviewUrl: "${truncate(reviewUrl, 60)}" is not an http(s) URL, left out`);
				reviewUrl = undefined;
			}
			verdict = compact({
				rating: rating.rating,
				originalRating: rating.originalRating,
				originalScale: rating.originalScale,
				headline: truncate(get("headline") ?? text, IMPORT_LIMITS.headline),
				summary: clip("summary", IMPORT_LIMITS.summary),
				url: reviewUrl,
				publishedAt: date("reviewedAt"),
				reviewer: clip("reviewer", IMPORT_LIMITS.reviewer),
				language: normaliseLanguage(get("reviewLanguage")),
			});
		} else if (get("headline") || get("reviewUrl") || get("summary")) {
			warnings.push("verdict columns without a rating: imported as a claim without verdict");
		}

		const externalId = get("externalId");
		const record: ImportRecord = compact({
			externalId: externalId
				? truncate(`${parsedMapping.externalIdPrefix ?? ""}${externalId}`, IMPORT_LIMITS.externalId)
				: undefined,
			claim: compact({
				text,
				language: claimLanguage,
				claimedAt: date("claimedAt"),
				context: clip("context", IMPORT_LIMITS.context),
			}),
			speaker,
			sources,
			verdict,
		});
		return { record, warnings };
	};

	return createRowImporter(
		{
			delimiter: parsedMapping.delimiter ?? ",",
			quote: parsedMapping.quote === undefined ? '"' : parsedMapping.quote,
		},
		mapRow,
	);
}

/** Maps a whole CSV/TSV text; for large files use `createDelimitedImporter` and feed chunks. */
export function importDelimited(
	text: string,
	mapping: ColumnMapping,
	options: ImportOptions = {},
): ImportResult {
	return runImporter(createDelimitedImporter(mapping, options), text);
}
