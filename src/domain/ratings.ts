/**
 * The rating scale: the single source of truth for rating keys, their labels,
 * badge colours and ClaimReview values. Nothing else may hard-code a key.
 */

export const UI_LANGUAGES = ["en", "de"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/**
 * The interface language a text written in `tag` is labelled in: its primary subtag when that
 * is one ("de-AT" → de), else none (the caller's fallback). One rule for every answer that
 * names a rating in a review's language: Google's `textualRating` read "de…" as German, so
 * a review tagged "del" was "Falsch" there and "False" in its ClaimReview.
 */
export function uiLanguageOf(tag: string | null | undefined): UiLanguage | undefined {
	const primary = tag?.toLowerCase().split(/[-_]/)[0];
	return UI_LANGUAGES.find((l) => l === primary);
}

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
const PENDING_STATUSES = ["unverified", "in-review", "retracted"] as const;
type PendingStatus = (typeof PENDING_STATUSES)[number];

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

/**
 * Two verdicts that cannot be of one claim unless one of them is wrong: two or more steps
 * apart on the 1–5 scale ("True" and "False", "Half true" and "False"). Ratings off the
 * scale (missing context, unsupported) contradict nothing.
 */
export function ratingsContradict(a: RatingKey, b: RatingKey): boolean {
	const [x, y] = [getRating(a).value, getRating(b).value];
	return x !== null && y !== null && Math.abs(x - y) >= 2;
}

/** Label and colour for any claim status, published rating or pending state. */
export function describeStatus(status: ClaimStatus, lang: UiLanguage): { label: string; colour: string } {
	const info = byKey.get(status) ?? pendingByKey.get(status);
	if (!info) throw new RangeError(`unknown status: ${status}`);
	return { label: info.labels[lang], colour: info.colour };
}

export interface StatusExplanation {
	/** One or two sentences: what the rating or status means. */
	definition: Record<UiLanguage, string>;
	/** A short, made-up example of a claim that would get the rating (none for pending statuses). */
	example?: Record<UiLanguage, string>;
}

/**
 * What each rating and pending status means, for the public `/ratings` page that every
 * chip links to. Keyed by every status, so a new key cannot go unexplained.
 */
export const STATUS_EXPLANATIONS: Readonly<Record<ClaimStatus, StatusExplanation>> = {
	true: {
		definition: {
			en: "The statement is accurate and nothing significant is missing.",
			de: "Die Aussage trifft zu, und es fehlt nichts Wesentliches.",
		},
		example: {
			en: "“The Berlin Wall fell in 1989.” Its border crossings opened on 9 November 1989.",
			de: "„Die Berliner Mauer fiel 1989.“ Die Grenzübergänge wurden am 9. November 1989 geöffnet.",
		},
	},
	"mostly-true": {
		definition: {
			en: "The statement is accurate but needs a clarification, or a detail is slightly off.",
			de: "Die Aussage trifft zu, braucht aber eine Klarstellung, oder ein Detail stimmt nicht ganz.",
		},
		example: {
			en: "“Unemployment halved in ten years”, when it fell from 10.1% to 5.3%.",
			de: "„Die Arbeitslosigkeit hat sich in zehn Jahren halbiert“, als sie von 10,1\u00a0% auf 5,3\u00a0% sank.",
		},
	},
	"half-true": {
		definition: {
			en: "Part of the statement is accurate and part of it is not.",
			de: "Ein Teil der Aussage trifft zu, ein anderer nicht.",
		},
		example: {
			en: "“The city built 500 flats and cut rents”: the flats were built, but rents rose.",
			de: "„Die Stadt hat 500 Wohnungen gebaut und die Mieten gesenkt“: Die Wohnungen gibt es, die Mieten stiegen.",
		},
	},
	"missing-context": {
		definition: {
			en: "The facts stated are accurate, but what is left out changes the picture and gives a wrong impression.",
			de: "Die genannten Fakten stimmen, aber was weggelassen wird, verändert das Bild und erweckt einen falschen Eindruck.",
		},
		example: {
			en: "“Burglaries doubled last year”: true for one district (from two to four), while they fell citywide.",
			de: "„Die Einbrüche haben sich im letzten Jahr verdoppelt“: In einem Bezirk stimmt das (von zwei auf vier), in der Stadt sanken sie.",
		},
	},
	misleading: {
		definition: {
			en: "The statement uses real material but presents it so that it leads to a false conclusion.",
			de: "Die Aussage verwendet echtes Material, stellt es aber so dar, dass es zu einem falschen Schluss führt.",
		},
		example: {
			en: "A genuine photo of a 2015 flood, shared as if it showed this week’s storm.",
			de: "Ein echtes Foto einer Überschwemmung von 2015, geteilt, als zeige es das Unwetter dieser Woche.",
		},
	},
	"mostly-false": {
		definition: {
			en: "The statement has a grain of truth, but its central claim is wrong.",
			de: "Die Aussage hat einen wahren Kern, ihre zentrale Behauptung ist aber falsch.",
		},
		example: {
			en: "“Electricity prices tripled this year”, when they rose by 20%.",
			de: "„Die Strompreise haben sich dieses Jahr verdreifacht“, als sie um 20\u00a0% stiegen.",
		},
	},
	false: {
		definition: {
			en: "The statement is not accurate: the evidence contradicts it.",
			de: "Die Aussage trifft nicht zu: Die Belege widersprechen ihr.",
		},
		example: {
			en: "“The Great Wall of China can be seen from the Moon with the naked eye.”",
			de: "„Die Chinesische Mauer ist vom Mond aus mit bloßem Auge zu sehen.“",
		},
	},
	unsupported: {
		definition: {
			en: "We found no evidence for the statement and whoever made it offered none. It may still turn out to be true.",
			de: "Wir haben keine Belege für die Aussage gefunden, und wer sie gemacht hat, nannte keine. Sie kann sich noch als wahr herausstellen.",
		},
		example: {
			en: "A post says a secret meeting took place, naming no source, date or participant.",
			de: "Ein Beitrag behauptet ein geheimes Treffen, ohne Quelle, Datum oder Teilnehmende zu nennen.",
		},
	},
	unverified: {
		definition: {
			en: "We have recorded the claim but not reviewed it yet.",
			de: "Wir haben die Behauptung erfasst, aber noch nicht geprüft.",
		},
	},
	"in-review": {
		definition: {
			en: "A fact-checker is reviewing the claim; the rating appears here once an editor has published it.",
			de: "Die Behauptung wird gerade geprüft; die Bewertung erscheint, sobald die Redaktion sie veröffentlicht hat.",
		},
	},
	retracted: {
		definition: {
			en: "We withdrew our earlier rating, for example because it relied on a faulty source. The claim’s page says why; a new rating may follow.",
			de: "Wir haben unsere frühere Bewertung zurückgezogen, etwa weil sie auf einer fehlerhaften Quelle beruhte. Die Seite der Behauptung nennt den Grund; eine neue Bewertung kann folgen.",
		},
	},
};

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
