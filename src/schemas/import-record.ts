/**
 * One normalised import record: what the CLI's mapping (scripts/lib/import-mapping:
 * ClaimReview, CSV/TSV, LIAR) produces and what `POST /api/v1/import` accepts in batches.
 * The limits mirror the CHECK constraints in db/schema.ts so that a record that passes
 * here also passes the database, and the editorial rules are the desk's: no date in the
 * future, no verdict published without evidence.
 */
import * as z from "zod";
import { SPEAKER_KINDS } from "../db/schema";
import { normalizeDate } from "../domain/dates";
import { normalizeLanguageTag } from "../domain/language-tags";
import { RATING_KEYS } from "../domain/ratings";
import { requiredText, writtenAsUrl } from "./common";

export const IMPORT_LIMITS = {
	externalId: 500,
	claimText: 10_000,
	context: 2_000,
	language: 35,
	speakerName: 300,
	speakerDescription: 1_000,
	url: 2_048,
	title: 1_000,
	publisher: 300,
	author: 300,
	sources: 50,
	headline: 500,
	summary: 5_000,
	originalRating: 300,
	reviewer: 300,
} as const;

/** Only web links: `javascript:`, `data:`, `file:` and friends must never reach a page as a link. */
export function isHttpUrl(value: string): boolean {
	if (value.length > IMPORT_LIMITS.url || /\s/.test(value)) return false;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return false;
	}
	return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
}

/** A BCP 47 tag in any casing: stored as the desk stores it (`en-GB`), or a search by it misses. */
const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The latest date a record may carry, as the desk allows: today, with a day's grace for
 * clocks and time zones ahead of UTC. A fact-check dated 2999 would head every feed.
 */
function latestDate(): string {
	return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What the desk answers for a date in the future (schemas/common), so both say the same. */
const FUTURE_DATE = "This date is in the future.";

/** The review's own URL is the evidence an imported verdict rests on; the desk publishes nothing without evidence. */
const EVIDENCE_REQUIRED =
	"A verdict is published only with evidence: give the review's own http(s) URL, or import the claim without a verdict.";

const httpUrl = z
	.string()
	.max(IMPORT_LIMITS.url)
	.refine(isHttpUrl, "must be an absolute http(s) URL")
	.transform(writtenAsUrl);
/**
 * A day (YYYY-MM-DD), or a timestamp for the server to date (`onNewsroomDays`): `npm run
 * import` sends one written in UTC as it is, since only the server knows the newsroom's zone.
 * A day alone is a day, as ever. The timestamp is read as zod's `iso.datetime` reads it: a
 * capital T, seconds, and an offset written Z or ±hh:mm. RFC 3339 allows a lowercase t or z
 * and a space too, and ISO 8601 an offset without its colon (PHP's DATE_ISO8601, Python's %z):
 * the message says the form read, not "RFC 3339", which those would read as met (s35 r352).
 */
const DAY_OR_TIMESTAMP =
	"must be a day (YYYY-MM-DD) or a timestamp with seconds and an offset written Z or ±hh:mm, as in 2025-07-11T22:30:00Z or 2025-07-11T22:30:00+02:00";
const date = z
	.union(
		[z.iso.date({ error: DAY_OR_TIMESTAMP }), z.iso.datetime({ offset: true, error: DAY_OR_TIMESTAMP })],
		{
			error: DAY_OR_TIMESTAMP,
		},
	)
	.refine(
		(value) => (DAY.test(value) ? value : new Date(value).toISOString().slice(0, 10)) <= latestDate(),
		FUTURE_DATE,
	)
	.meta({
		description:
			"A day (YYYY-MM-DD), or a timestamp with seconds and an offset written Z or ±hh:mm (2025-07-11T22:30:00+02:00), dated by the server: one written in UTC (Z, +00:00) by the newsroom's day (NEWSROOM_TIME_ZONE), one with another offset by the day written.",
	});
const language = z
	.string()
	.max(IMPORT_LIMITS.language)
	.regex(LANGUAGE_PATTERN, "must be a BCP 47 tag")
	.transform((tag) => normalizeLanguageTag(tag) ?? tag.toLowerCase());
/** An id as the other system wrote it: compared as it is on the next import. */
const externalIdText = z
	.string()
	.max(IMPORT_LIMITS.externalId)
	.refine((s) => s.trim().length > 0, "must not be blank");
/**
 * Text that is shown publicly, cleaned as the desk and the write API clean it (NFC,
 * trimmed, no control characters or bidi overrides: schemas/common): records often come
 * from other publishers' feeds, and a claim imported raw would differ from the same words
 * typed in the desk.
 */
const nonBlank = (max: number, multiline = false) =>
	requiredText({ max, empty: "must not be blank", multiline });

const importSourceSchema = z.strictObject({
	url: httpUrl,
	title: nonBlank(IMPORT_LIMITS.title).optional(),
	publisher: nonBlank(IMPORT_LIMITS.publisher).optional(),
	author: nonBlank(IMPORT_LIMITS.author).optional(),
	publishedAt: date.optional(),
	language: language.optional(),
});

const originalScaleSchema = z
	.strictObject({ value: z.number(), worst: z.number(), best: z.number() })
	.refine((s) => s.worst !== s.best, "worst and best must differ")
	.refine(
		(s) => s.value >= Math.min(s.worst, s.best) && s.value <= Math.max(s.worst, s.best),
		"value must lie on the scale",
	);

export const importRecordSchema = z.strictObject({
	/** Id in the system the record comes from; makes re-imports idempotent. */
	externalId: externalIdText.optional(),
	claim: z.strictObject({
		/** Verbatim, in the original language. */
		text: nonBlank(IMPORT_LIMITS.claimText, true),
		language,
		claimedAt: date.optional(),
		context: nonBlank(IMPORT_LIMITS.context, true).optional(),
	}),
	/** Null when the claim has no known speaker (its source is the claimant). */
	speaker: z
		.strictObject({
			// As written, soft hyphens too: a speaker is found by the key its name folds to
			// (schemas/records `speakerName`).
			name: requiredText({
				max: IMPORT_LIMITS.speakerName,
				empty: "must not be blank",
				keepLayoutHints: true,
			}),
			kind: z.enum(SPEAKER_KINDS),
			description: nonBlank(IMPORT_LIMITS.speakerDescription, true).optional(),
		})
		.nullable(),
	/** Where the claim appeared; the first entry is its first appearance. */
	sources: z.array(importSourceSchema).max(IMPORT_LIMITS.sources),
	/** Null for a claim imported without a verdict (it stays unverified). */
	verdict: z
		.strictObject({
			rating: z.enum(RATING_KEYS),
			/** The rating as the publisher wrote it, with its numeric value and scale when given: "Pants on Fire (1/6)". */
			originalRating: nonBlank(IMPORT_LIMITS.originalRating),
			/** The publisher's numbers, kept so that the mapping can be redone. */
			originalScale: originalScaleSchema.optional(),
			headline: nonBlank(IMPORT_LIMITS.headline),
			summary: nonBlank(IMPORT_LIMITS.summary, true).optional(),
			/** The review (fact-check article) itself: the verdict's evidence, so required (see the refinement). */
			url: httpUrl.optional(),
			publishedAt: date.optional(),
			reviewer: nonBlank(IMPORT_LIMITS.reviewer).optional(),
			language: language.optional(),
		})
		.refine((verdict) => verdict.url !== undefined, { path: ["url"], message: EVIDENCE_REQUIRED })
		.nullable(),
});

export type ImportRecord = z.infer<typeof importRecordSchema>;
export type ImportSource = z.infer<typeof importSourceSchema>;
export type ImportSpeaker = NonNullable<ImportRecord["speaker"]>;
export type OriginalScale = z.infer<typeof originalScaleSchema>;

/**
 * The record with each date a day: a timestamp's as domain/dates `normalizeDate` reads it in
 * `zone`, the newsroom's (written in UTC: the day it falls on there; with a local offset: the
 * publisher's date). 00:30 in Berlin is "2025-07-11T22:30:00Z" in a WordPress page: dated
 * 11 July by the CLI, a check published there that night read as published the day before.
 */
export function onNewsroomDays(record: ImportRecord, zone: string): ImportRecord {
	// A timestamp always begins with its written date: that, should the reader refuse it.
	const day = (value: string) =>
		DAY.test(value) ? value : (normalizeDate(value, { zone }) ?? value.slice(0, 10));
	const { claim, sources, verdict } = record;
	return {
		...record,
		claim: claim.claimedAt === undefined ? claim : { ...claim, claimedAt: day(claim.claimedAt) },
		sources: sources.map((source) =>
			source.publishedAt === undefined ? source : { ...source, publishedAt: day(source.publishedAt) },
		),
		verdict:
			verdict?.publishedAt === undefined ? verdict : { ...verdict, publishedAt: day(verdict.publishedAt) },
	};
}

/** A batch as the import endpoint accepts it. */
export const importBatchSchema = z.strictObject({ records: z.array(importRecordSchema).min(1).max(500) });

/**
 * Validates a record against the schema, as the API does and as the store does again
 * before writing; the reason names the first failing field ("verdict.url: …").
 */
export function validateImportRecord(
	record: ImportRecord,
): { ok: true; record: ImportRecord } | { ok: false; reason: string } {
	const parsed = importRecordSchema.safeParse(record);
	if (parsed.success) return { ok: true, record: parsed.data };
	const issue = parsed.error.issues[0];
	if (!issue) return { ok: false, reason: "invalid record" };
	const path = issue.path.map(String).join(".");
	return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message };
}
