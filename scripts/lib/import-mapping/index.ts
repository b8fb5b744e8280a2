/**
 * The CLI's import mapping (`npm run import`): pure mappings from ClaimReview JSON-LD,
 * CSV/TSV and the LIAR data set to the records `POST /api/v1/import` accepts
 * (src/schemas/import-record). Only the CLI maps; the Worker takes mapped records. No I/O
 * here: the CLI reads the input and sends the records.
 */

export { formatOriginalRating } from "../../../src/domain/original-rating";
export {
	extractJsonLdBlocks,
	mapClaimReviewDocuments,
	parseClaimReviewDocument,
	streamClaimIds,
} from "./claimreview";
export { decodeChunks, decodeText, LenientUtf8Decoder } from "./decode";
export {
	type ColumnMapping,
	ColumnMappingError,
	columnMappingSchema,
	createDelimitedImporter,
	delimitedParserOptions,
	importDelimited,
} from "./delimited";
export {
	type DelimitedOptions,
	DelimitedParser,
	type DelimitedRow,
	iterateDelimited,
	parseDelimited,
} from "./delimited-parser";
export {
	createLiarImporter,
	importLiar,
	LIAR_COLUMN_COUNT,
	LIAR_LABELS,
	mapLiarRow,
	speakerNameFromSlug,
} from "./liar";
export {
	type ImportRejection,
	type ImportResult,
	importLanguageTag,
	importLanguageTagOrName,
} from "./records";
export type { ChunkImporter } from "./row-importer";
export {
	createRatingTable,
	DEFAULT_RATING_ENTRIES,
	DEFAULT_RATING_TABLE,
	mapNumericRating,
	mapTextualRating,
} from "./textual-ratings";
