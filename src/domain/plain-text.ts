/**
 * What user-written text may contain. Stored text is shown on pages, cards, badges,
 * feeds and JSON, so it must not carry characters that do something instead of
 * showing something:
 * - C0 and C1 control characters (NUL, U+0001, DEL, U+0085 …) are refused; multi-line
 *   fields keep tab and line breaks, single-line fields turn them into spaces;
 * - bidi overrides (U+202D LRO, U+202E RLO) are refused: they make text display in an
 *   order other than the one stored ("Trojan source"); right-to-left text itself, and
 *   the marks, embeddings and isolates it legitimately uses, are kept (pages isolate
 *   user text with <bdi>/dir=auto as well);
 * - lone UTF-16 surrogates (half a character, as JSON's "\ud800" gives) are refused: stored,
 *   they became U+FFFD (D1 writes UTF-8), so the text saved was not the text sent, and a
 *   speaker "X \udc00" got the slug `x`;
 * - text that is empty once invisible characters (zero-width spaces and joiners, bidi
 *   marks, soft hyphens, word joiners, fillers) and white space are removed is refused.
 * Line breaks are stored as \n (CRLF paragraphs stay paragraphs).
 *
 * Characters that only hint at a layout are taken out of stored text, since search and
 * FTS5 read them as breaks inside a word ("Lohn\u00ADerhöhung", from &shy; on a news page, was
 * "lohn" and "erhöhung" to the index, and `Lohnerhöhung` missed it): soft hyphens, zero-width
 * spaces, word joiners and byte-order marks anywhere, zero-width joiners and non-joiners between
 * two Latin letters (elsewhere they shape emoji sequences and Persian or Indic words), and the
 * Latin ligatures of PDFs (U+FB00–FB06: "oﬃcial") become their letters. The claim fingerprint
 * (domain/fingerprint) already folds all of these, so it is the same before and after.
 */

import { streamSafe } from "./stream-safe";

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROLS_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/u;
const BIDI_OVERRIDES = /[\u202D\u202E]/u;
/**
 * Every explicit bidi control: the overrides refused above, embeddings, isolates and the marks
 * (U+200E, U+200F, U+061C). A name shown on its own, such as an attachment's file name, has them
 * removed: "rechnung\u202Egnp.pdf" showed as "rechnungfdp.png".
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** With the u flag, only a surrogate that is not half of a pair is a code point of its own. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Code points that show nothing, each matched alone (combining ones included). */
// biome-ignore lint/complexity/useRegexLiterals: a literal trips noMisleadingCharacterClass, which is about graphemes; these are matched one code point at a time
const INVISIBLE = new RegExp(
	"[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]",
	"gu",
);

export type TextProblem = "control" | "bidi-override" | "lone-surrogate" | "invisible-only";

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
	control: "Remove the control characters (such as NUL) from this text.",
	"bidi-override": "Remove the right-to-left or left-to-right override characters (U+202D, U+202E).",
	"lone-surrogate": "Remove the broken characters (halves of a UTF-16 surrogate pair) from this text.",
	"invisible-only": "This text has no visible characters.",
};

/** Line breaks as \n; in single-line text, tabs and line breaks become spaces. */
function normalizeLineBreaks(text: string, multiline: boolean): string {
	const unix = text.replace(/\r\n?/gu, "\n");
	return multiline ? unix : unix.replace(/[\t\n]+/gu, " ");
}

/** Invisible everywhere: soft hyphen, zero-width space, word joiner, BOM (migration 0051 removes them from older rows). */
const LAYOUT_HINTS = /[\u00AD\u200B\u2060\uFEFF]/gu;
/**
 * The characters `withoutLayoutHints` may take out but for the ligatures, which NFKD spells out
 * anyway (the joiners only between Latin letters): for SQL that looks for them in text stored
 * as written (speakers' names, store/speakers `searchSpeakers`).
 */
export const LAYOUT_HINT_CHARACTERS: readonly string[] = [
	"\u00AD",
	"\u200B",
	"\u2060",
	"\uFEFF",
	"\u200C",
	"\u200D",
];
/**
 * A zero-width (non-)joiner between two Latin letters breaks a word and joins nothing.
 *
 * The lookahead first: the lookbehind, which reads back over a letter's combining marks, is
 * read only where a joiner stands. Tried at every position, it read back over the whole run
 * of marks from each of them: quadratic in the run, 5 s of CPU for 20,000 marks (a claim's
 * context; a search on the public /claims page reaches it too). The matches are the same.
 */
export const LATIN_JOINER =
	/(?=[\u200C\u200D])(?<=\p{Script=Latin}\p{M}*)[\u200C\u200D]+(?=\p{Script=Latin})/gu;
const LIGATURES = /[\uFB00-\uFB06]/gu;

/** Text without the characters that only hint at a layout, ligatures spelt out (see above). */
export function withoutLayoutHints(text: string): string {
	return text
		.replace(LAYOUT_HINTS, "")
		.replace(LATIN_JOINER, "")
		.replace(LIGATURES, (ligature) => ligature.normalize("NFKC"));
}

/**
 * Text as it is stored: composed (NFC), layout hints removed and ligatures spelt out (unless
 * `keepLayoutHints`: a topic's name is never searched, and is compared folded), a grapheme
 * joiner after every 30th combining mark in a row (domain/stream-safe), line breaks
 * normalised (or, on one line, spaces), trimmed.
 *
 * Stream-safe right before NFC, which would cost CPU quadratic in a longer run of marks, and
 * after the hints are taken out: a soft hyphen taken out of "mark, soft hyphen, mark" joins
 * two runs (and "e", a soft hyphen, U+0301 is now composed to "é"; composed first, it was stored
 * as "e" and U+0301, not NFC). Taking hints out before NFC finds the same joiners (a Latin
 * letter, composed or not, is one of the Latin script) and the same ligatures.
 */
export function cleanPlainText(text: string, multiline: boolean, keepLayoutHints = false): string {
	// Stream-safe again once composed: NFC can lengthen a run (U+0344 is two marks, क़ a letter
	// and a mark, both excluded from composition), so text stored would be cut again when sent
	// back, a change no one made (s35 r366). A joiner put into composed text leaves it composed.
	const composed = streamSafe(streamSafe(keepLayoutHints ? text : withoutLayoutHints(text)).normalize("NFC"));
	return normalizeLineBreaks(composed, multiline).trim();
}

/**
 * U+0080–U+009F in a paste are windows-1252 bytes read as Latin-1 (an old CMS, a mail): the
 * characters they stood for ("hasn\u0092t" is "hasn’t", \u0085 an ellipsis). Dropped, a
 * quote lost its apostrophe and no longer matched the article; the five bytes cp1252 leaves
 * undefined have no character and go.
 */
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const C1 = /[\u0080-\u009F]/gu;

function cp1252(text: string): string {
	return text.replace(C1, (c) => {
		const char = CP1252_C1[c.charCodeAt(0) - 0x80] ?? "";
		return char === c ? "" : char;
	});
}

/** Breaks a paste carries that a textarea does not show: a page's (\f), Word's line break (\v), Unicode's. */
const PASTED_BREAKS = /[\f\v\u2028\u2029]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters dropped
const PASTED_CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/gu;

/**
 * An article's pasted text as the reader takes a fetched page's: its control characters are
 * never text. A form feed (pdftotext's page break), a vertical tab (Word's line break) and
 * U+2028/2029 end a line, so the sentences around them stay apart; U+0080–U+009F are read as
 * the cp1252 characters they were (above); the others (NUL) are dropped. Refused, each was a 422 for a character no
 * textarea shows, while the same article fetched by its URL was read (reader/html-entities
 * `cleanText` drops them). Tabs, CR and LF stay as pasted. A run of more than 30 combining marks
 * gets a grapheme joiner after every 30th, as a fetched page's text does (domain/stream-safe).
 */
export function pastedArticleText(text: string): string {
	// Stream-safe (domain/stream-safe) before the matcher normalises its sentences, and after
	// the controls go: a NUL taken out of "mark, NUL, mark" joins two runs.
	return streamSafe(cp1252(text).replace(PASTED_BREAKS, "\n").replace(PASTED_CONTROLS, ""));
}

/** The first problem of already-normalised text, or null when it may be stored. */
export function textProblem(text: string, multiline: boolean): TextProblem | null {
	if ((multiline ? CONTROLS_MULTILINE : CONTROLS).test(text)) return "control";
	if (BIDI_OVERRIDES.test(text)) return "bidi-override";
	if (LONE_SURROGATE.test(text)) return "lone-surrogate";
	if (text.length > 0 && text.replace(INVISIBLE, "").trim() === "") return "invisible-only";
	return null;
}
