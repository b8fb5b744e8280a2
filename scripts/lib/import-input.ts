/**
 * Input side of `npm run import`: which format a file is, and the file as a stream of
 * items (records, rejected rows, warnings) in a fixed order. The same file always gives
 * the same items in the same order, which is what lets an interrupted import skip the
 * items a server has acknowledged and go on from there.
 */
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type ImportRecord, importRecordSchema } from "../../src/schemas/import-record";
import {
	type ChunkImporter,
	type ColumnMapping,
	ColumnMappingError,
	columnMappingSchema,
	createDelimitedImporter,
	createLiarImporter,
	type DelimitedOptions,
	DelimitedParser,
	decodeText,
	delimitedParserOptions,
	type ImportResult,
	LenientUtf8Decoder,
	LIAR_COLUMN_COUNT,
	LIAR_LABELS,
	mapClaimReviewDocuments,
	parseClaimReviewDocument,
	streamClaimIds,
} from "./import-mapping";

export const FORMATS = ["claimreview", "ndjson", "csv", "tsv", "liar"] as const;
export type Format = (typeof FORMATS)[number];

/** ClaimReview JSON and HTML are parsed whole; anything larger belongs in NDJSON, one document per line. */
const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

export type Item =
	| { kind: "record"; index: number; line?: number; record: ImportRecord }
	| { kind: "rejected"; index: number; line?: number; reason: string }
	| { kind: "warning"; index: number; line?: number; message: string };

export interface Input {
	format: Format;
	/** How much of the input has been read, 0–1, for progress. */
	fraction(): number;
	items: AsyncIterable<Item>;
}

export class InputError extends Error {
	override name = "InputError";
}

/** The format an extension suggests; for .tsv, LIAR when the first row has its shape. */
export async function detectFormat(file: string): Promise<Format> {
	const ext = path.extname(file).toLowerCase();
	if ([".json", ".jsonld", ".html", ".htm"].includes(ext)) return "claimreview";
	if ([".ndjson", ".jsonl"].includes(ext)) return "ndjson";
	if (ext === ".csv") return "csv";
	if (ext === ".tsv" || ext === ".tab") {
		const fields = (await firstRow(file, { delimiter: "\t", quote: null })) ?? [];
		return fields.length === LIAR_COLUMN_COUNT && (fields[1] ?? "").trim().toLowerCase() in LIAR_LABELS
			? "liar"
			: "tsv";
	}
	throw new InputError(
		`Cannot tell the format of ${path.basename(file)}: give --format ${FORMATS.join("|")}.`,
	);
}

/** The first row of a delimited file, read from its first 256 KB. */
async function firstRow(file: string, options: DelimitedOptions): Promise<string[] | undefined> {
	const handle = await open(file, "r");
	try {
		const buffer = new Uint8Array(256 * 1024);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		const parser = new DelimitedParser(options);
		const rows = parser.push(decodeText(buffer.subarray(0, bytesRead)));
		return (rows.length > 0 ? rows : parser.end()).find((row) => !row.error)?.fields;
	} finally {
		await handle.close();
	}
}

type ColumnName = keyof ColumnMapping["columns"];

/** Header names that mean a column without a mapping: compared lower-case without spaces, dashes, underscores. */
const HEADER_SYNONYMS: Record<ColumnName, string[]> = {
	claim: ["claim", "claimtext", "claimreviewed", "statement", "quote", "text"],
	externalId: ["externalid", "id", "claimid"],
	language: ["language", "lang", "claimlanguage"],
	claimedAt: ["claimedat", "claimdate", "date", "said"],
	context: ["context", "venue"],
	speaker: ["speaker", "claimant", "speakername", "who"],
	speakerKind: ["speakerkind", "claimantkind"],
	speakerDescription: ["speakerdescription", "jobtitle", "speakertitle"],
	sourceUrl: ["sourceurl", "source", "sources", "url", "appearance", "firstappearance"],
	sourceTitle: ["sourcetitle", "title"],
	sourcePublisher: ["sourcepublisher", "publisher", "outlet"],
	sourceAuthor: ["sourceauthor"],
	sourcePublishedAt: ["sourcepublishedat", "sourcedate"],
	rating: ["rating", "verdict", "label", "textualrating", "alternatename"],
	ratingValue: ["ratingvalue", "score"],
	worstRating: ["worstrating"],
	bestRating: ["bestrating"],
	headline: ["headline"],
	summary: ["summary", "description"],
	reviewUrl: ["reviewurl", "factcheckurl", "checkurl"],
	reviewedAt: ["reviewedat", "reviewdate", "datepublished", "published"],
	reviewer: ["reviewer", "factchecker"],
	reviewLanguage: ["reviewlanguage"],
};

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

/** A mapping from the header's own names, for a file whose columns are called what they are. */
async function guessMapping(file: string, delimiter: string): Promise<ColumnMapping> {
	const header = (await firstRow(file, { delimiter })) ?? [];
	const squashed = header.map(squash);
	const columns: Partial<Record<ColumnName, string>> = {};
	const used = new Set<number>();
	for (const [name, synonyms] of Object.entries(HEADER_SYNONYMS) as [ColumnName, string[]][]) {
		const position = synonyms.map((synonym) => squashed.indexOf(synonym)).find((p) => p >= 0 && !used.has(p));
		if (position === undefined) continue;
		used.add(position);
		columns[name] = header[position]?.trim();
	}
	if (!columns.claim) {
		throw new InputError(
			`No column of ${path.basename(file)} looks like the claim (header: ${header.slice(0, 12).join(", ")}). Give --map map.json or --column claim=NAME.`,
		);
	}
	return columnMappingSchema.parse({ delimiter, columns });
}

/** Sorts one importer result into items: by row index, each record followed by its warnings. */
function* itemsOf(result: ImportResult, firstIndex: number, lineOf: (index: number) => number | undefined) {
	const rejected = new Map(result.rejected.map((r) => [r.index, r]));
	const warnings = new Map<number, string[]>();
	for (const w of result.warnings) warnings.set(w.index, [...(warnings.get(w.index) ?? []), w.message]);
	const count = result.records.length + result.rejected.length;
	let next = 0;
	for (let index = firstIndex; index < firstIndex + count; index++) {
		const line = lineOf(index);
		const rejection = rejected.get(index);
		if (rejection) {
			yield {
				kind: "rejected",
				index,
				line: rejection.line ?? line,
				reason: rejection.reason,
			} satisfies Item;
			continue;
		}
		const record = result.records[next++];
		if (!record) break;
		yield { kind: "record", index, line, record } satisfies Item;
		for (const message of warnings.get(index) ?? [])
			yield { kind: "warning", index, line, message } satisfies Item;
	}
	return count;
}

/** Turns decoded text, chunk by chunk, into items. */
interface Processor {
	push(text: string): Item[];
	end(): Item[];
}

/**
 * Rows of a delimited file as items. A second parser with the importer's options runs
 * alongside to learn the line each row starts on: the importer reports lines only for
 * rows it rejects, and a row the server rejects needs its line too.
 */
function delimitedProcessor(
	importer: ChunkImporter,
	parserOptions: DelimitedOptions,
	header: boolean,
): Processor {
	const lines = new DelimitedParser(parserOptions);
	const rowLines: number[] = [];
	let base = 0;
	let headerSeen = !header;
	const track = (rows: { line: number; error?: string }[]) => {
		for (const row of rows) {
			if (!headerSeen && !row.error) headerSeen = true;
			else rowLines.push(row.line);
		}
	};
	const lineOf = (index: number) => rowLines[index - base];
	const emit = (result: ImportResult): Item[] => {
		const items: Item[] = [];
		const walk = itemsOf(result, base, lineOf);
		let step = walk.next();
		while (!step.done) {
			items.push(step.value);
			step = walk.next();
		}
		rowLines.splice(0, step.value);
		base += step.value;
		return items;
	};
	return {
		push(text) {
			track(lines.push(text));
			return emit(importer.push(text));
		},
		end() {
			track(lines.end());
			return emit(importer.end());
		},
	};
}

function looksLikeJsonLd(value: unknown): boolean {
	if (typeof value !== "object" || value === null) return false;
	if (Array.isArray(value)) return value.some(looksLikeJsonLd);
	return "@type" in value || "@context" in value || "@graph" in value;
}

/**
 * NDJSON: a normalised import record or a ClaimReview JSON-LD document per line, read line
 * by line; `language` (--language) for documents that name none, as for the other formats.
 */
function ndjsonProcessor(language: string | undefined): Processor {
	const distinctIds = streamClaimIds();
	let rest = "";
	let lineNumber = 0;
	let index = 0;
	const handle = (text: string, items: Item[]): void => {
		lineNumber++;
		const trimmed = text.trim();
		if (trimmed === "") return;
		const line = lineNumber;
		const i = index++;
		let value: unknown;
		try {
			value = JSON.parse(trimmed);
		} catch (error) {
			items.push({ kind: "rejected", index: i, line, reason: `invalid JSON: ${(error as Error).message}` });
			return;
		}
		if (typeof value === "object" && value !== null && "claim" in value) {
			const parsed = importRecordSchema.safeParse(value);
			if (parsed.success) items.push({ kind: "record", index: i, line, record: parsed.data });
			else {
				const issue = parsed.error.issues[0];
				const where = issue?.path.map(String).join(".");
				items.push({
					kind: "rejected",
					index: i,
					line,
					reason: `${where ? `${where}: ` : ""}${issue?.message}`,
				});
			}
			return;
		}
		if (!looksLikeJsonLd(value)) {
			items.push({ kind: "rejected", index: i, line, reason: "neither an import record nor JSON-LD" });
			return;
		}
		const result = mapClaimReviewDocuments([value], { defaultLanguage: language });
		for (const r of result.rejected) items.push({ kind: "rejected", index: i, line, reason: r.reason });
		for (const record of result.records) {
			distinctIds(record);
			items.push({ kind: "record", index: i, line, record });
		}
		for (const w of result.warnings) items.push({ kind: "warning", index: i, line, message: w.message });
	};
	return {
		push(text) {
			const items: Item[] = [];
			const parts = (rest + text).split("\n");
			rest = parts.pop() ?? "";
			for (const part of parts) handle(part, items);
			return items;
		},
		end() {
			const items: Item[] = [];
			if (rest !== "") handle(rest, items);
			rest = "";
			return items;
		},
	};
}

/**
 * Streams a file through a processor with flat memory: one chunk's items at a time. The
 * position moves through a chunk's bytes as its items are taken, so progress follows the
 * rows handed out rather than the read-ahead.
 */
async function* streamItems(
	file: string,
	processor: Processor,
	at: (bytes: number) => void,
): AsyncGenerator<Item> {
	const decoder = new LenientUtf8Decoder();
	let position = 0;
	const pace = function* (items: Item[], bytes: number) {
		for (const [j, item] of items.entries()) {
			at(position + (bytes * (j + 1)) / items.length);
			yield item;
		}
		position += bytes;
		at(position);
	};
	for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
		const bytes = chunk as Buffer;
		yield* pace(processor.push(decoder.decode(bytes, { stream: true })), bytes.length);
	}
	const tail = decoder.decode(new Uint8Array(0));
	yield* pace([...(tail ? processor.push(tail) : []), ...processor.end()], 0);
}

/** A ClaimReview JSON or HTML file, parsed whole; records have no lines, so items count ClaimReviews. */
async function* claimReviewItems(
	file: string,
	size: number,
	language: string | undefined,
	progress: (done: number, total: number) => void,
): AsyncGenerator<Item> {
	if (size > MAX_WHOLE_FILE_BYTES) {
		throw new InputError(
			`${path.basename(file)} is larger than ${MAX_WHOLE_FILE_BYTES / 1024 / 1024} MB: split it, or convert it to NDJSON (one JSON-LD document per line), which is read as a stream.`,
		);
	}
	const result = parseClaimReviewDocument(decodeText(await readFile(file)), { defaultLanguage: language });
	const total = result.rejected.length + result.records.length + result.warnings.length;
	let done = 0;
	for (const r of result.rejected) {
		progress(++done, total);
		yield { kind: "rejected", index: r.index, reason: r.reason };
	}
	let index = 0;
	for (const record of result.records) {
		progress(++done, total);
		yield { kind: "record", index: index++, record };
	}
	for (const w of result.warnings) {
		progress(++done, total);
		yield { kind: "warning", index: w.index, message: w.message };
	}
}

export interface InputOptions {
	format: Format;
	/** Column mapping for csv/tsv; guessed from the header when missing. */
	mapping?: ColumnMapping;
	/** Language of claims that name none. */
	language?: string;
}

/** Opens a file as a stream of items. */
export async function openInput(file: string, options: InputOptions): Promise<Input> {
	const { size } = await stat(file);
	let done = 0;
	const input = (items: AsyncIterable<Item>): Input => ({
		format: options.format,
		fraction: () => (size === 0 ? 1 : Math.min(1, done / size)),
		items,
	});
	const at = (bytes: number) => {
		done = bytes;
	};
	switch (options.format) {
		case "claimreview":
			// Items instead of bytes: the file is parsed whole before the first one.
			return input(
				claimReviewItems(file, size, options.language, (n, total) =>
					at(total === 0 ? size : (size * n) / total),
				),
			);
		case "ndjson":
			return input(streamItems(file, ndjsonProcessor(options.language), at));
		case "liar":
			return input(
				streamItems(
					file,
					delimitedProcessor(createLiarImporter(), { delimiter: "\t", quote: null }, false),
					at,
				),
			);
		case "csv":
		case "tsv": {
			const delimiter = options.format === "tsv" ? "\t" : ",";
			const mapping = options.mapping ?? (await guessMapping(file, delimiter));
			const effective = { delimiter, ...mapping };
			let importer: ChunkImporter;
			try {
				importer = createDelimitedImporter(effective, { defaultLanguage: options.language });
			} catch (error) {
				throw new InputError(`Invalid column mapping: ${(error as Error).message}`);
			}
			return input(
				streamItems(
					file,
					delimitedProcessor(importer, delimitedParserOptions(effective), effective.header ?? true),
					at,
				),
			);
		}
	}
}

export { ColumnMappingError };
