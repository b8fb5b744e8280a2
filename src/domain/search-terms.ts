/**
 * What a claim's `search_terms` column holds: the Snowball stems of its text, its context
 * and its current published verdict's headline and summary, space-separated. The FTS5
 * index (`claims_fts.terms`, migration 0012) tokenises them like any other column, and a
 * search word also looks for its stems there (domain/search-query), so "wage" finds
 * "wages" and "Lohn" finds "Löhne" although FTS5's own tokenizers cannot stem German.
 *
 * Pure and deterministic (the same claim always gives the same terms, which a backup
 * restore and `npm run reindex` rely on) and linear in the length of the text.
 */
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

export function searchTermsOf(input: SearchTermsInput): string {
	const verdictLanguage = input.verdictLanguage ?? input.language;
	const parts = [
		...stemTokens(input.text, input.language),
		...(input.context ? stemTokens(input.context, input.language) : []),
		...(input.headline ? stemTokens(input.headline, verdictLanguage) : []),
		...(input.summary ? stemTokens(input.summary, verdictLanguage) : []),
	];
	return parts.join(" ");
}
