/**
 * Rows → import results: wraps a delimited parser and a row mapper, and reports every
 * data row once, as a record or as a rejection with its line.
 */
import { type ImportRecord, validateImportRecord } from "../../../src/schemas/import-record";
import { type DelimitedOptions, DelimitedParser, type DelimitedRow } from "./delimited-parser";
import type { ImportResult } from "./records";

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
				} else {
					// Say what the mapping left out: often the reason the record is incomplete.
					const notes = outcome.warnings?.length ? ` (${outcome.warnings.join("; ")})` : "";
					result.rejected.push({ index, line: row.line, reason: `${valid.reason}${notes}` });
				}
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
