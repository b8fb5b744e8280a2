/**
 * A text field that may hold HTML, read as the text a reader sees. CMSs write their
 * HTML-escaped fields into ClaimReview markup (`&quot;alles&quot; <em>befreit</em>`): the
 * CLI's mapping (scripts/lib/import-mapping/claimreview) reads them so, and the import store
 * (store/imports `statesSameClaim`) reads a claim stored with such markup before the mapping
 * did, the same way, so that the two cannot tell one text apart differently.
 */
import { decodeEntities } from "./html-entities";

/* Tags that end a line or a block: "Nein.<br>Das" is two words. */
const BREAKING_TAG = /<\/?(?:br|p|div|li|ul|ol|h[1-6]|blockquote|tr|td|th|section|article)\b[^<>]*>/i;
/* Any other tag: "<em>befreit</em>" is "befreit"; "a < b" and "x<5" are no tags. */
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g;

/**
 * The text without its comments, whatever they hold ("<!-- <p>alt</p> -->" is nothing, not a
 * break); an unclosed one is kept as written. One pass of indexOf: a regular expression
 * (`/<!--[\s\S]*?-->/g`) scanned to the end of the text from every unclosed "<!--", and a
 * feed field of 800,000 such characters held `npm run import` for 83 s (quadratic).
 */
function withoutComments(raw: string): string {
	let text = "";
	let from = 0;
	for (;;) {
		const open = raw.indexOf("<!--", from);
		if (open < 0) break;
		const close = raw.indexOf("-->", open + 4);
		if (close < 0) break;
		text += raw.slice(from, open);
		from = close + 3;
	}
	return text + raw.slice(from);
}

/**
 * The text without its comments and tags: comments first (a line-breaking tag inside one is
 * no break), then a breaking tag and the white space around it are one space.
 */
export function withoutTags(raw: string): string {
	if (!raw.includes("<")) return raw;
	return withoutComments(raw)
		.split(BREAKING_TAG)
		.map((part) => part.replace(TAG, "").trim())
		.filter((part) => part !== "")
		.join(" ");
}

/**
 * The text as readers see it: tags gone, then character references decoded, in that order so
 * that escaped markup (`&lt;em&gt;`) stays the text it spells; trimmed. Not cleaned: a soft
 * hyphen (`&shy;`) or zero-width space is still there for domain/plain-text `cleanPlainText`.
 */
export function htmlAsText(raw: string): string {
	return decodeEntities(withoutTags(raw)).trim();
}
