/*
 * A combining mark other than U+034F, the joiner this inserts: the joiner is a starter (class 0)
 * as UAX #15 counts, so text made stream-safe is stream-safe, and cleaning it again (every save
 * of a stored text, an answer sent back) leaves it as it is. Counted as a mark, each pass added
 * one more joiner to a run it had already cut: the text changed on every save (s35 r365).
 */
const MARK = "[^\\P{M}\\u034F]";
/**
 * A run of more than 30 combining marks, whole. A match is tried only where a run begins (the
 * lookbehind fails at once inside one), and reads at most 31 marks of a shorter run: linear.
 */
const LONG_RUN = new RegExp(`(?<!${MARK})${MARK}{31,}`, "gu");
/* In such a run, 30 marks followed by another: the grapheme joiner goes after the 30th. */
const THIRTY_MORE_TO_COME = new RegExp(`${MARK}{30}(?=${MARK})`, "gu");

/**
 * Text with U+034F COMBINING GRAPHEME JOINER after every 30th combining mark in a row, as
 * Unicode's Stream-Safe Text Process does (UAX #15 §13: at most 30 non-starters in a row);
 * text without such a run is returned as it is, and no language writes more than a few marks
 * on one letter. Marks are counted as `\p{M}` but the joiner, a little more than the
 * non-starters UAX #15 counts (other marks of class 0, spacing marks), which only makes a
 * difference in text no one writes.
 *
 * Why: `normalize()` (ICU, in V8 and workerd alike) puts a run of marks into canonical order
 * by insertion, CPU quadratic in the run's length: a letter and 40,000 marks of three classes
 * took 2 s in Node 22, and one pasted article of 90,000 marks 38 s of a Worker's CPU. The
 * joiner is a starter (class 0): no mark is reordered across it, so normalising text made
 * stream-safe costs CPU linear in its length. It shows nothing, and stays in the text stored.
 * Text entering the app goes through this before any `normalize()` (schemas/common's text
 * fields and imports, through domain/plain-text `cleanPlainText`; an article's pasted text,
 * `pastedArticleText`; a fetched page's text, reader/html-entities `cleanText`), after
 * anything that takes characters out (a soft hyphen taken out of "mark, soft hyphen, mark"
 * joins two runs).
 */
export function streamSafe(text: string): string {
	return text.replace(LONG_RUN, (run) => run.replace(THIRTY_MORE_TO_COME, "$&\u034F"));
}
