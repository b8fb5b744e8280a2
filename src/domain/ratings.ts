/**
 * The rating scale: the single source of truth for rating keys, their labels,
 * badge colours and ClaimReview values. Nothing else may hard-code a key.
 */

export const UI_LANGUAGES = ["en", "de"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const RATING_KEYS = [
	"true",
	"mostly-true",
	"half-true",
	"missing-context",
	"misleading",
	"mostly-false",
	"false",
	"unsupported",
] as const;
export type RatingKey = (typeof RATING_KEYS)[number];

/** States of a claim that has no published verdict. */
/** Statuses without a current rating: never reviewed, in review, or the last verdict withdrawn. */
export const PENDING_STATUSES = ["unverified", "in-review", "retracted"] as const;
export type PendingStatus = (typeof PENDING_STATUSES)[number];

export const CLAIM_STATUSES = [...PENDING_STATUSES, ...RATING_KEYS] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface Rating {
	key: RatingKey;
	labels: Record<UiLanguage, string>;
	/** Badge background; white text must stay readable on it (WCAG AA for bold text). */
	colour: `#${string}`;
	/** ClaimReview ratingValue on the 1 (worst) – 5 (best) scale; null publishes only alternateName. */
	value: 1 | 2 | 3 | 4 | 5 | null;
}

export const WORST_RATING = 1;
export const BEST_RATING = 5;

export const RATINGS: readonly Rating[] = [
	{ key: "true", labels: { en: "True", de: "Richtig" }, colour: "#1a7f37", value: 5 },
	{
		key: "mostly-true",
		labels: { en: "Mostly true", de: "Größtenteils richtig" },
		colour: "#4d7c0f",
		value: 4,
	},
	{
		key: "half-true",
		labels: { en: "Half true", de: "Teilweise richtig" },
		colour: "#8a6100",
		value: 3,
	},
	{
		key: "missing-context",
		labels: { en: "Missing context", de: "Fehlender Kontext" },
		colour: "#6639ba",
		value: null,
	},
	{
		key: "misleading",
		labels: { en: "Misleading", de: "Irreführend" },
		colour: "#b35900",
		value: 2,
	},
	{
		key: "mostly-false",
		labels: { en: "Mostly false", de: "Größtenteils falsch" },
		colour: "#c2410c",
		value: 2,
	},
	{ key: "false", labels: { en: "False", de: "Falsch" }, colour: "#b91c1c", value: 1 },
	{
		key: "unsupported",
		labels: { en: "Unsupported", de: "Unbelegt" },
		colour: "#57606a",
		value: null,
	},
];

export interface PendingStatusInfo {
	key: PendingStatus;
	labels: Record<UiLanguage, string>;
	colour: `#${string}`;
}

export const PENDING: readonly PendingStatusInfo[] = [
	{ key: "unverified", labels: { en: "Unverified", de: "Ungeprüft" }, colour: "#6e7781" },
	{ key: "in-review", labels: { en: "In review", de: "In Prüfung" }, colour: "#0969da" },
	// The last published verdict was withdrawn and none replaces it yet.
	{ key: "retracted", labels: { en: "Retracted", de: "Zurückgezogen" }, colour: "#57606a" },
];

const byKey = new Map<string, Rating>(RATINGS.map((r) => [r.key, r]));
const pendingByKey = new Map<string, PendingStatusInfo>(PENDING.map((p) => [p.key, p]));

export function isRatingKey(value: unknown): value is RatingKey {
	return typeof value === "string" && byKey.has(value);
}

export function isClaimStatus(value: unknown): value is ClaimStatus {
	return typeof value === "string" && (byKey.has(value) || pendingByKey.has(value));
}

export function getRating(key: RatingKey): Rating {
	const rating = byKey.get(key);
	if (!rating) throw new RangeError(`unknown rating key: ${key}`);
	return rating;
}

/** Label and colour for any claim status, published rating or pending state. */
export function describeStatus(status: ClaimStatus, lang: UiLanguage): { label: string; colour: string } {
	const info = byKey.get(status) ?? pendingByKey.get(status);
	if (!info) throw new RangeError(`unknown status: ${status}`);
	return { label: info.labels[lang], colour: info.colour };
}

/** The schema.org Rating of a verdict as ClaimReview publishes it. */
export function claimReviewRating(key: RatingKey, lang: UiLanguage) {
	const rating = getRating(key);
	return {
		"@type": "Rating" as const,
		alternateName: rating.labels[lang],
		...(rating.value === null
			? {}
			: { ratingValue: rating.value, worstRating: WORST_RATING, bestRating: BEST_RATING }),
	};
}

/** SQL list literal of the keys, for CHECK constraints generated from this module. */
export function sqlList(values: readonly string[]): string {
	return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
}
