/**
 * What a claim's `search_terms` column holds: the Snowball stems of its text, its context
 * and its current published verdict's headline and summary, space-separated. The FTS5
 * index (`claims_fts.terms`, migration 0012) tokenises them like any other column, and a
 * search word also looks for its stems there (domain/search-query), so "wage" finds
 * "wages" and "Lohn" finds "Löhne" although FTS5's own tokenizers cannot stem German.
 *
 * Numbers are also stored as one token each in a canonical form (domain/numbers: "1.000"
 * in German and "1,000" in English are both `n1000`), which a numeric search word looks
 * for, so "1000" finds "1.000" though FTS5 splits it into "1" and "000".
 *
 * The terms start with a version mark: a change to what they hold raises
 * SEARCH_TERMS_VERSION, and the claims whose mark is older are recomputed by the desk
 * Worker's cron and `npm run reindex` (store/search-terms, `refreshSearchTerms`).
 *
 * Pure and deterministic (the same claim always gives the same terms, which a backup
 * restore and `npm run reindex` rely on) and linear in the length of the text.
 */
import { plainLatinLetters } from "./diacritics";
import { NUMBER_MARK, numberTokens } from "./numbers";
import { withoutLayoutHints } from "./plain-text";
import { stemTokens } from "./stemming";

export interface SearchTermsInput {
	text: string;
	context: string | null | undefined;
	/** The current published verdict's headline; null without one (also after a retraction). */
	headline: string | null | undefined;
	summary: string | null | undefined;
	/** The claim's language (BCP 47): the stemmer of its text and context. */
	language: string;
	/** The verdict's language, when known; its headline and summary are stemmed in it. */
	verdictLanguage?: string | null | undefined;
}

/**
 * What the terms hold, raised on every change to it: 2 added the number tokens, 3 the plain
 * spelling of a stem with a letter that has none of its own (ł, ø, đ: "walesa" beside
 * "wałęsa", domain/diacritics `plainLatinLetters`), 4 the other language's grouping of a
 * number before three digits ending in 0 ("300.000" in English is n300000, no longer n300)
 * and the closed stem of a hyphenated word ("Nord-Korea": "nordkorea" after "nord korea"). The mark
 * is one FTS5 token that no search can ask for (domain/numbers, NUMBER_MARK), ended by
 * the mark again so that version 2 is not a prefix of version 20.
 */
const SEARCH_TERMS_VERSION = 4;
export const SEARCH_TERMS_MARK = `${NUMBER_MARK}v${SEARCH_TERMS_VERSION}${NUMBER_MARK}`;
/**
 * The marks of the versions before (2 was the first with one): a search finds a number as
 * written in the claims whose terms still carry one, until the cron writes theirs anew
 * (domain/search-query). Once none is left, their FTS5 entries are empty and cost nothing.
 */
export const OLDER_SEARCH_TERMS_MARKS: readonly string[] = Array.from(
	{ length: SEARCH_TERMS_VERSION - 2 },
	(_, i) => `${NUMBER_MARK}v${i + 2}${NUMBER_MARK}`,
);

/**
 * A word of letters joined by hyphens ("Nord-Korea", "E-Mail"; not "COVID-19").
 *
 * A match starts only at a word's first letter (the lookbehind: no letter, then marks, just
 * before it). Without that, a word with no hyphen was tried again from each of its letters,
 * each try reading to the word's end: quadratic in the word's length, 3.5 s of CPU for a
 * 20,000-character context of one unbroken word (a Worker's limit is far below that). The
 * matches are the same: a try from a later letter reads the same end of the same word.
 */
export const HYPHENATED = /\p{L}(?<!\p{L}\p{M}*\p{L})[\p{L}\p{M}]*(?:[-\u2010\u2011]\p{L}[\p{L}\p{M}]*)+/gu;
export const HYPHENS = /[-\u2010\u2011]/g;

/* The stems of a text's hyphenated words written closed ("nordkorea"), which meet "Nordkorea". */
function closedCompounds(text: string, language: string): string[] {
	return [...text.matchAll(HYPHENATED)].flatMap(([word]) => stemTokens(word.replace(HYPHENS, ""), language));
}

/* A field's stems (each with its plain spelling, where that differs), then its numbers' tokens. */
function fieldTerms(raw: string | null | undefined, language: string): string[] {
	if (!raw) return [];
	// Verdicts' headlines and summaries stored before layout hints were taken out of text
	// keep theirs (migration 0051 cleaned only what the index reads as written).
	const text = withoutLayoutHints(raw);
	const stems = [...stemTokens(text, language), ...closedCompounds(text, language)].flatMap((stemmed) => {
		const plain = plainLatinLetters(stemmed.toLowerCase());
		return plain === stemmed.toLowerCase() ? [stemmed] : [stemmed, plain];
	});
	return [...stems, ...numberTokens(text, language)];
}

export function searchTermsOf(input: SearchTermsInput): string {
	const verdictLanguage = input.verdictLanguage ?? input.language;
	const parts = [
		SEARCH_TERMS_MARK,
		...fieldTerms(input.text, input.language),
		...fieldTerms(input.context, input.language),
		...fieldTerms(input.headline, verdictLanguage),
		...fieldTerms(input.summary, verdictLanguage),
	];
	return parts.join(" ");
}
