/**
 * Maps the ratings other fact-checkers publish onto our scale: by their text through a
 * table of known ratings (English and German), else by their number on its own scale.
 */
import { formatOriginalRating, formatRatingNumber } from "../../../src/domain/original-rating";
import { RATINGS, type RatingKey } from "../../../src/domain/ratings";
import { IMPORT_LIMITS, type OriginalScale } from "../../../src/schemas/import-record";
import { truncate } from "./records";

/** Folded rating text → rating key. Build one with `createRatingTable`, which folds the keys. */
export type RatingTable = ReadonlyMap<string, RatingKey>;

/**
 * Folds a rating text so that spelling variants meet: "Größtenteils  richtig", "grosstenteils
 * richtig" and "GRÖSSTENTEILS RICHTIG!" all become "größtenteils richtig".
 */
export function foldRatingText(text: string): string {
	return text
		.normalize("NFKD")
		.replace(/\p{M}+/gu, "")
		.replace(/ß/g, "ss")
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, " ")
		.trim();
}

/**
 * Known ratings of PolitiFact, Snopes, Full Fact, Reuters, AFP, the Washington Post,
 * Correctiv and dpa, plus our own labels and keys. Choices that are judgement calls:
 * "Satire" (satire passed off as real) is missing context; a false context ("falscher
 * Kontext", "miscaptioned") is misleading; "partly false" sits with "partly true" at half true.
 */
export const DEFAULT_RATING_ENTRIES: Readonly<Record<string, RatingKey>> = {
	// English
	true: "true",
	correct: "true",
	accurate: "true",
	"correct attribution": "true",
	"geppetto checkmark": "true",
	"mostly true": "mostly-true",
	"mostly correct": "mostly-true",
	"mostly accurate": "mostly-true",
	"largely true": "mostly-true",
	"largely accurate": "mostly-true",
	"one pinocchio": "mostly-true",
	"half true": "half-true",
	"half-true": "half-true",
	"partly true": "half-true",
	"partially true": "half-true",
	"partly false": "half-true",
	"partially false": "half-true",
	"partly correct": "half-true",
	mixture: "half-true",
	mixed: "half-true",
	"two pinocchios": "half-true",
	"missing context": "missing-context",
	"lacks context": "missing-context",
	"needs context": "missing-context",
	"missing-context": "missing-context",
	outdated: "missing-context",
	satire: "missing-context",
	"labeled satire": "missing-context",
	"originated as satire": "missing-context",
	misleading: "misleading",
	"false context": "misleading",
	"out of context": "misleading",
	miscaptioned: "misleading",
	exaggerated: "misleading",
	"mostly false": "mostly-false",
	"mostly-false": "mostly-false",
	"largely false": "mostly-false",
	"mostly inaccurate": "mostly-false",
	"barely true": "mostly-false",
	"barely-true": "mostly-false",
	"three pinocchios": "mostly-false",
	false: "false",
	incorrect: "false",
	inaccurate: "false",
	wrong: "false",
	"not true": "false",
	"pants on fire": "false",
	"pants fire": "false",
	"pants-fire": "false",
	"four pinocchios": "false",
	fake: "false",
	fabricated: "false",
	altered: "false",
	manipulated: "false",
	doctored: "false",
	misattributed: "false",
	hoax: "false",
	scam: "false",
	unsupported: "unsupported",
	unproven: "unsupported",
	unverified: "unsupported",
	unsubstantiated: "unsupported",
	unfounded: "unsupported",
	"no evidence": "unsupported",
	// German
	richtig: "true",
	wahr: "true",
	korrekt: "true",
	stimmt: "true",
	"größtenteils richtig": "mostly-true",
	"überwiegend richtig": "mostly-true",
	"weitgehend richtig": "mostly-true",
	"teilweise richtig": "half-true",
	"teilweise falsch": "half-true",
	"halb wahr": "half-true",
	"fehlender kontext": "missing-context",
	"kontext fehlt": "missing-context",
	"fehlender zusammenhang": "missing-context",
	"zusammenhang fehlt": "missing-context",
	irreführend: "misleading",
	"falscher kontext": "misleading",
	"aus dem kontext gerissen": "misleading",
	"falsche Überschrift": "misleading",
	"größtenteils falsch": "mostly-false",
	"überwiegend falsch": "mostly-false",
	"weitgehend falsch": "mostly-false",
	falsch: "false",
	"frei erfunden": "false",
	erfunden: "false",
	manipuliert: "false",
	gefälscht: "false",
	"nicht richtig": "false",
	"stimmt nicht": "false",
	unbelegt: "unsupported",
	"nicht belegt": "unsupported",
	unbewiesen: "unsupported",
};

/** A rating table from text → key entries; `base` lets a caller add to or override the defaults. */
export function createRatingTable(
	entries: Readonly<Record<string, RatingKey>>,
	base?: RatingTable,
): RatingTable {
	const table = new Map<string, RatingKey>(base ?? []);
	for (const [text, key] of Object.entries(entries)) {
		const folded = foldRatingText(text);
		if (folded) table.set(folded, key);
	}
	return table;
}

const OWN_LABELS: Record<string, RatingKey> = Object.fromEntries(
	RATINGS.flatMap((r) => [
		[r.key, r.key],
		...Object.values(r.labels).map((label): [string, RatingKey] => [label, r.key]),
	]),
);

export const DEFAULT_RATING_TABLE: RatingTable = createRatingTable(
	DEFAULT_RATING_ENTRIES,
	createRatingTable(OWN_LABELS),
);

/**
 * The key of a textual rating, or undefined when the table does not know it. Besides the whole
 * text, tries the part before a sentence break ("Falsch. Das Foto ist alt") and after a label
 * ("Rating: False"), as publishers pack explanations into the rating text.
 */
export function mapTextualRating(
	text: string,
	table: RatingTable = DEFAULT_RATING_TABLE,
): RatingKey | undefined {
	const whole = table.get(foldRatingText(text));
	if (whole) return whole;
	const head = /^([^.:;|(–—!]+)[.:;|(–—!]/.exec(text.trim())?.[1];
	if (head) {
		const key = table.get(foldRatingText(head));
		if (key) return key;
	}
	const colon = text.lastIndexOf(":");
	if (colon >= 0) return table.get(foldRatingText(text.slice(colon + 1)));
	return undefined;
}

/**
 * The key for a number on the publisher's scale `worst`..`best` (either may be the larger),
 * normalised onto our 1–5 scale and rounded to the nearest step, halves upwards:
 * 5 true, 4 mostly true, 3 half true, 2 mostly false, 1 false. Undefined for a value
 * outside the scale or a scale without range.
 */
export function mapNumericRating(value: number, worst: number, best: number): RatingKey | undefined {
	if (![value, worst, best].every(Number.isFinite) || worst === best) return undefined;
	const position = (value - worst) / (best - worst);
	if (position < 0 || position > 1) return undefined;
	const step = Math.round(1 + 4 * position);
	const keys: readonly RatingKey[] = ["false", "mostly-false", "half-true", "mostly-true", "true"];
	return keys[step - 1];
}

/** Reads a number as publishers write it: 3, "3", "3.5", "3,5". */
export function parseRatingNumber(value: unknown): number | undefined {
	if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
	if (typeof value !== "string") return undefined;
	const s = value.trim().replace(/^(-?\d+),(\d+)$/, "$1.$2");
	if (!/^-?\d+(?:\.\d+)?$/.test(s)) return undefined;
	return Number(s);
}

export interface ResolvedRating {
	rating: RatingKey;
	/** `formatOriginalRating` of the publisher's text and numbers. */
	originalRating: string;
	originalScale: OriginalScale | undefined;
	/** Numbers off their scale left out, the text having decided (the record's warning). */
	warning?: string;
}

/**
 * The rating of a review from its text and its number. The text decides when the table knows it
 * (it tells "misleading" from "mostly false", which share a number); the number is the fallback.
 * An unknown text without a usable number is rejected rather than guessed. A number off its
 * scale (schema.org's default 1–5 when the markup gives no bounds), or a scale without range,
 * beside a known text is left out with a warning: the record would be refused for it, though
 * the number decides nothing.
 */
export function resolveRating(
	text: string | undefined,
	scale: OriginalScale | undefined,
	table: RatingTable = DEFAULT_RATING_TABLE,
): ResolvedRating | { reason: string } {
	const byNumber = scale === undefined ? undefined : mapNumericRating(scale.value, scale.worst, scale.best);
	const key = (text === undefined ? undefined : mapTextualRating(text, table)) ?? byNumber;
	const offScale =
		scale && byNumber === undefined
			? `rating value ${formatRatingNumber(scale.value)} outside the scale ${formatRatingNumber(scale.worst)}–${formatRatingNumber(scale.best)}`
			: undefined;
	if (key === undefined) {
		if (text !== undefined) {
			return { reason: `unknown rating "${truncate(text, 80)}"${offScale ? ` and ${offScale}` : ""}` };
		}
		return { reason: offScale ?? "no rating text or value" };
	}
	const kept = offScale ? undefined : scale;
	return {
		rating: key,
		originalRating: truncate(formatOriginalRating(text, kept), IMPORT_LIMITS.originalRating),
		originalScale: kept,
		...(offScale ? { warning: `${offScale}: left out, the rating text decides` } : {}),
	};
}
