/**
 * The LIAR data set (Wang 2017, PolitiFact statements): 14 tab-separated columns, no
 * header, no quoting. Credit-history counts and subjects have no place in a record and
 * are dropped. LIAR names no review URL, so its verdicts have no evidence: validation
 * rejects every row, as the desk would refuse to publish them (schemas/import-record).
 */

import type { SpeakerKind } from "../../../src/db/schema";
import type { RatingKey } from "../../../src/domain/ratings";
import { IMPORT_LIMITS, type ImportRecord } from "../../../src/schemas/import-record";
import type { DelimitedRow } from "./delimited-parser";
import { compact, type ImportResult, truncate } from "./records";
import { type ChunkImporter, createRowImporter, type RowOutcome, runImporter } from "./row-importer";

export const LIAR_COLUMN_COUNT = 14;

/** LIAR's six labels on our scale; "barely-true" is PolitiFact's old name for mostly false. */
export const LIAR_LABELS: Readonly<Record<string, RatingKey>> = {
	true: "true",
	"mostly-true": "mostly-true",
	"half-true": "half-true",
	"barely-true": "mostly-false",
	false: "false",
	"pants-fire": "false",
};

/** "barack-obama" → "Barack Obama"; LIAR stores speakers as slugs. */
export function speakerNameFromSlug(slug: string): string {
	return slug
		.trim()
		.split(/[-_\s]+/)
		.filter(Boolean)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(" ");
}

/** Party values that are no party: "none", and "organization", which marks the speaker as one. */
const NOT_A_PARTY = new Set(["none", "organization", ""]);

/** One LIAR row as a record (before validation), or the reason it is none. */
export function mapLiarRow(row: DelimitedRow): RowOutcome {
	const f = row.fields.map((v) => v.trim());
	if (f.length !== LIAR_COLUMN_COUNT)
		return { reason: `expected ${LIAR_COLUMN_COUNT} columns, found ${f.length}` };
	const [id = "", label = "", statement = "", , speakerSlug = "", jobTitle = "", state = "", party = ""] = f;
	const venue = f[13] ?? "";
	if (!id) return { reason: "missing id" };
	if (!statement) return { reason: "missing statement" };
	if (statement.length > IMPORT_LIMITS.claimText)
		return { reason: `statement longer than ${IMPORT_LIMITS.claimText} characters` };
	const rating = LIAR_LABELS[label.toLowerCase()];
	if (!rating) return { reason: `unknown rating "${truncate(label, 40)}"` };

	const name = speakerNameFromSlug(speakerSlug);
	const partyLabel = NOT_A_PARTY.has(party.toLowerCase()) ? "" : speakerNameFromSlug(party);
	const description = [jobTitle, partyLabel, state].filter(Boolean).join(", ");
	const kind: SpeakerKind = party.toLowerCase() === "organization" ? "organization" : "person";
	const record: ImportRecord = {
		externalId: `liar:${id}`,
		claim: compact({
			text: statement,
			language: "en",
			context: venue ? truncate(venue, IMPORT_LIMITS.context) : undefined,
		}),
		speaker: name
			? compact({
					name: truncate(name, IMPORT_LIMITS.speakerName),
					kind,
					description: description ? truncate(description, IMPORT_LIMITS.speakerDescription) : undefined,
				})
			: null,
		sources: [],
		verdict: {
			rating,
			originalRating: label,
			// LIAR has no headline; the statement is what the verdict is about.
			headline: truncate(statement, IMPORT_LIMITS.headline),
			language: "en",
		},
	};
	return { record };
}

/** A chunk-fed LIAR importer: rows are rejected one by one with their line; the rest goes on. */
export function createLiarImporter(): ChunkImporter {
	return createRowImporter({ delimiter: "\t", quote: null }, mapLiarRow);
}

/** Maps a whole LIAR TSV file (train.tsv, valid.tsv, test.tsv). */
export function importLiar(text: string): ImportResult {
	return runImporter(createLiarImporter(), text);
}
