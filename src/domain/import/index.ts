/**
 * Import of existing fact-checks: pure mappings from ClaimReview JSON-LD, CSV/TSV and
 * the LIAR data set to the records `POST /api/v1/import` accepts. No I/O here: callers
 * (API, CLI) read the input and store the records.
 */
export type {
	ImportRecord,
	ImportRejection,
	ImportResult,
	ImportSource,
	ImportSpeaker,
	ImportVerdict,
	ImportWarning,
	OriginalScale,
} from "../../schemas/import-record";
export {
	IMPORT_LIMITS,
	importBatchSchema,
	importRecordSchema,
	isHttpUrl,
	normaliseDate,
	normaliseLanguage,
	validateImportRecord,
} from "../../schemas/import-record";
export {
	type ClaimReviewOptions,
	DOCUMENT_LEVEL,
	extractJsonLdBlocks,
	mapClaimReviewDocuments,
	parseClaimReviewDocument,
} from "./claimreview";
export {
	type ChunkImporter,
	type ColumnMapping,
	ColumnMappingError,
	columnMappingSchema,
	createDelimitedImporter,
	createRowImporter,
	type DelimitedOptions,
	DelimitedParser,
	type DelimitedRow,
	decodeChunks,
	decodeText,
	type ImportOptions,
	importDelimited,
	iterateDelimited,
	LenientUtf8Decoder,
	parseDelimited,
	type RowOutcome,
	runImporter,
} from "./delimited";
export { createLiarImporter, importLiar, LIAR_COLUMN_COUNT, LIAR_LABELS, speakerNameFromSlug } from "./liar";
export {
	createRatingTable,
	DEFAULT_RATING_ENTRIES,
	DEFAULT_RATING_TABLE,
	foldRatingText,
	formatOriginalRating,
	mapNumericRating,
	mapTextualRating,
	parseRatingNumber,
	type RatingTable,
	type ResolvedRating,
	resolveRating,
} from "./textual-ratings";
