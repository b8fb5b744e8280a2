/**
 * URL text fragments (WICG Text Fragments, `#:~:text=`), so a link to the source
 * scrolls to and highlights the sentence a claim was taken from.
 */

/* Longer passages are addressed by their first and last words: shorter URLs, and the
 * match survives small changes (a typo fix, an extra space) in the middle. */
const MAX_EXACT_WORDS = 10;
const EDGE_WORDS = 5;

/**
 * Percent-encodes one term of a text directive. On top of encodeURIComponent this
 * encodes "-" (it marks prefix and suffix in the directive syntax); "," and "&" are
 * already encoded.
 */
export function encodeTextDirective(term: string): string {
	return encodeURIComponent(term).replace(/-/g, "%2D");
}

/**
 * The fragment (with its leading `#:~:text=`) that highlights `text` on the page:
 * the whole text when it has up to ten words, else `textStart,textEnd` from its
 * first and last five words. Whitespace is collapsed as the browser renders it.
 * Returns "" for text without words.
 */
export function textFragment(text: string): string {
	const words = text.trim().split(/\s+/u).filter(Boolean);
	if (words.length === 0) return "";
	if (words.length <= MAX_EXACT_WORDS) return `#:~:text=${encodeTextDirective(words.join(" "))}`;
	const start = words.slice(0, EDGE_WORDS).join(" ");
	const end = words.slice(-EDGE_WORDS).join(" ");
	return `#:~:text=${encodeTextDirective(start)},${encodeTextDirective(end)}`;
}
