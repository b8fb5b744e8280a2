/**
 * One normalised import record: what every importer (ClaimReview, CSV/TSV, LIAR)
 * produces and what `POST /api/v1/import` accepts in batches. The limits mirror
 * the CHECK constraints in db/schema.ts so that a record that passes here also
 * passes the database.
 */
import * as z from "zod";
import { SPEAKER_KINDS } from "../db/schema";
import { RATING_KEYS } from "../domain/ratings";

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

const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * BCP 47 tag in its conventional casing ("de_de" → "de-DE", "EN" → "en"), or
 * undefined when the input is no language tag (e.g. "German").
 */
export function normaliseLanguage(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const parts = value.trim().split(/[-_]/);
	if (parts.some((p) => p.length === 0)) return undefined;
	const tag = parts
		.map((part, i) => {
			if (i === 0) return part.toLowerCase();
			if (/^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
			if (/^[A-Za-z]{4}$/.test(part)) return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
			return part.toLowerCase();
		})
		.join("-");
	return LANGUAGE_PATTERN.test(tag) && tag.length <= IMPORT_LIMITS.language ? tag : undefined;
}

const MONTHS: Readonly<Record<string, number>> = {
	jan: 1,
	january: 1,
	januar: 1,
	jaenner: 1,
	janner: 1,
	feb: 2,
	february: 2,
	februar: 2,
	mar: 3,
	march: 3,
	maerz: 3,
	marz: 3,
	apr: 4,
	april: 4,
	may: 5,
	mai: 5,
	jun: 6,
	june: 6,
	juni: 6,
	jul: 7,
	july: 7,
	juli: 7,
	aug: 8,
	august: 8,
	sep: 9,
	sept: 9,
	september: 9,
	oct: 10,
	october: 10,
	okt: 10,
	oktober: 10,
	nov: 11,
	november: 11,
	dec: 12,
	december: 12,
	dez: 12,
	dezember: 12,
};

function isoDate(year: number, month: number, day: number): string | undefined {
	if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day > daysInMonth) return undefined;
	return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function monthNumber(name: string): number | undefined {
	const folded = name
		.normalize("NFKD")
		.replace(/\p{M}+/gu, "")
		.toLowerCase()
		.replace(/\.$/, "");
	return MONTHS[folded] ?? MONTHS[folded.replace("ae", "a")];
}

export interface DateOptions {
	/** How to read an all-numeric day/month date such as "07/12/2025"; without it such a date is ambiguous. */
	order?: "dmy" | "mdy";
}

/**
 * A date as YYYY-MM-DD, or undefined when it cannot be read unambiguously.
 * A timestamp keeps the calendar date the publisher wrote ("2025-07-12T23:30:00-05:00"
 * is 2025-07-12): converting to UTC would move a claim to another day.
 */
export function normaliseDate(value: string | undefined, options: DateOptions = {}): string | undefined {
	if (value === undefined) return undefined;
	const s = value.trim();
	let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])/.exec(s);
	if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
	m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
	if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
	// German and most of Europe: 12.07.2025
	m = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/.exec(s);
	if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
	m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(s);
	if (m) {
		const a = Number(m[1]);
		const b = Number(m[2]);
		const year = Number(m[3]);
		if (options.order === "dmy" || (options.order === undefined && a > 12 && b <= 12))
			return isoDate(year, b, a);
		if (options.order === "mdy" || (options.order === undefined && b > 12 && a <= 12))
			return isoDate(year, a, b);
		return undefined;
	}
	// "July 12, 2025", "Jul. 12 2025", optionally with a weekday or a time after it
	m = /^(?:[A-Za-z]+,?\s+)?([\p{L}]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/u.exec(s);
	if (m) {
		const month = monthNumber(m[1] ?? "");
		if (month !== undefined) return isoDate(Number(m[3]), month, Number(m[2]));
	}
	// "12 July 2025", "12. Juli 2025"
	m = /^(?:[\p{L}]+,?\s+)?(\d{1,2})(?:\.|st|nd|rd|th)?\s+([\p{L}]+\.?),?\s+(\d{4})\b/u.exec(s);
	if (m) {
		const month = monthNumber(m[2] ?? "");
		if (month !== undefined) return isoDate(Number(m[3]), month, Number(m[1]));
	}
	return undefined;
}

/** Shortens to `max` characters, marking the cut with an ellipsis. */
export function truncate(value: string, max: number): string {
	if (value.length <= max) return value;
	return `${value.slice(0, max - 1).trimEnd()}…`;
}

const httpUrl = z.string().max(IMPORT_LIMITS.url).refine(isHttpUrl, "must be an absolute http(s) URL");
const date = z.iso.date();
const language = z.string().max(IMPORT_LIMITS.language).regex(LANGUAGE_PATTERN, "must be a BCP 47 tag");
const nonBlank = (max: number) =>
	z
		.string()
		.max(max)
		.refine((s) => s.trim().length > 0, "must not be blank");

export const importSourceSchema = z.strictObject({
	url: httpUrl,
	title: nonBlank(IMPORT_LIMITS.title).optional(),
	publisher: nonBlank(IMPORT_LIMITS.publisher).optional(),
	author: nonBlank(IMPORT_LIMITS.author).optional(),
	publishedAt: date.optional(),
	language: language.optional(),
});

export const originalScaleSchema = z
	.strictObject({ value: z.number(), worst: z.number(), best: z.number() })
	.refine((s) => s.worst !== s.best, "worst and best must differ")
	.refine(
		(s) => s.value >= Math.min(s.worst, s.best) && s.value <= Math.max(s.worst, s.best),
		"value must lie on the scale",
	);

export const importRecordSchema = z.strictObject({
	/** Id in the system the record comes from; makes re-imports idempotent. */
	externalId: nonBlank(IMPORT_LIMITS.externalId).optional(),
	claim: z.strictObject({
		/** Verbatim, in the original language. */
		text: nonBlank(IMPORT_LIMITS.claimText),
		language,
		claimedAt: date.optional(),
		context: nonBlank(IMPORT_LIMITS.context).optional(),
	}),
	/** Null when the claim has no known speaker (its source is the claimant). */
	speaker: z
		.strictObject({
			name: nonBlank(IMPORT_LIMITS.speakerName),
			kind: z.enum(SPEAKER_KINDS),
			description: nonBlank(IMPORT_LIMITS.speakerDescription).optional(),
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
			summary: nonBlank(IMPORT_LIMITS.summary).optional(),
			/** The review (fact-check article) itself. */
			url: httpUrl.optional(),
			publishedAt: date.optional(),
			reviewer: nonBlank(IMPORT_LIMITS.reviewer).optional(),
			language: language.optional(),
		})
		.nullable(),
});

export type ImportRecord = z.infer<typeof importRecordSchema>;
export type ImportSource = z.infer<typeof importSourceSchema>;
export type ImportSpeaker = NonNullable<ImportRecord["speaker"]>;
export type ImportVerdict = NonNullable<ImportRecord["verdict"]>;
export type OriginalScale = z.infer<typeof originalScaleSchema>;

/** A batch as the import endpoint accepts it. */
export const importBatchSchema = z.strictObject({ records: z.array(importRecordSchema).min(1).max(500) });

/** Why one input item was not imported. `index` is its position among the items of the input (-1: the whole input or a block of it). */
export interface ImportRejection {
	index: number;
	/** 1-based line in delimited input where the rejected row starts. */
	line?: number;
	reason: string;
}

/** Something imported with a change the user should know of (a dropped link, a shortened title). */
export interface ImportWarning {
	index: number;
	line?: number;
	message: string;
}

export interface ImportResult {
	records: ImportRecord[];
	rejected: ImportRejection[];
	warnings: ImportWarning[];
}

/** Drops keys whose value is undefined, so equal inputs serialise to byte-identical JSON. */
export function compact<T extends object>(value: T): T {
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
	return out as T;
}

/** Validates a mapped record against the schema; the reason names the first failing field. */
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
