/**
 * An imported verdict's `originalRating`: the publisher's rating as they wrote it, with their
 * number on their scale beside it when they gave one ("Pants on Fire (1/6)", "Falsch (2 on
 * 0–10)"), so that the mapping onto our scale can be checked and redone. The words alone are
 * theirs to show (Google's `textualRating`); the numbers in that form are ours.
 */

/** A publisher's number and the bounds of its scale (`worst` may be the larger). */
export interface RatingScale {
	value: number;
	worst: number;
	best: number;
}

/** A number as `formatOriginalRating` writes it: 3, 2.5, 0.333. */
export function formatRatingNumber(n: number): string {
	return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/**
 * The rating as the publisher wrote it, with its number: "Pants on Fire (1/6)" on a scale
 * from 1, "Falsch (2 on 0–10)" on any other. Numbers alone when there is no text.
 */
export function formatOriginalRating(text: string | undefined, scale: RatingScale | undefined): string {
	const label = text?.trim() ?? "";
	if (!scale) return label;
	const numbers =
		scale.worst === 1
			? `${formatRatingNumber(scale.value)}/${formatRatingNumber(scale.best)}`
			: `${formatRatingNumber(scale.value)} on ${formatRatingNumber(scale.worst)}–${formatRatingNumber(scale.best)}`;
	return label ? `${label} (${numbers})` : numbers;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** The numbers `formatOriginalRating` writes: "1/6" or "2 on 0–10". */
const NUMBERS = `${NUMBER}(?:/${NUMBER}| on ${NUMBER}–${NUMBER})`;
const WITH_NUMBERS = new RegExp(String.raw`^(.*\S)\s*\(${NUMBERS}\)$`, "su");
const NUMBERS_ONLY = new RegExp(`^${NUMBERS}$`, "u");
/**
 * Those numbers cut short by the import's length limit (`truncate` ends with "…"): a long
 * rating text kept "(1…" of "(1/5)". Only a start of the numbers: "(non…" is the publisher's.
 */
const WITH_CUT_NUMBERS = /^(.*\S)\s*\(-?\d[\d./ on–-]*…$/su;

/**
 * The publisher's words of an `originalRating`, without the numbers an import writes beside
 * them: "Falsch (1/5)" → "Falsch". Empty when it holds numbers alone (their markup had no
 * words); as stored when it has no such numbers (a record's own wording, "Pants on Fire!").
 */
export function ratingWords(originalRating: string): string {
	const text = originalRating.trim();
	if (NUMBERS_ONLY.test(text)) return "";
	return WITH_NUMBERS.exec(text)?.[1] ?? WITH_CUT_NUMBERS.exec(text)?.[1] ?? text;
}
