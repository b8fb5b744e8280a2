/**
 * Quotation marks of a claim's language, for pages, cards, titles and the desk: the
 * quote is the claim's words, so it is marked the way its language marks quotes.
 * en “…”, de „…“, fr « … » (with the thin spaces French puts inside), others "…".
 */
export function quoteMarks(language: string): [string, string] {
	const primary = language.toLowerCase().split(/[-_]/)[0];
	if (primary === "en") return ["“", "”"];
	if (primary === "de") return ["„", "“"];
	if (primary === "fr") return ["«\u202F", "\u202F»"];
	return ['"', '"'];
}

/* Letters of the scripts written right to left (the strong R and AL classes of UAX #9). */
const RTL_LETTER =
	/[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Old_Hungarian}]/u;

/**
 * The direction of a text by its first letter, as `dir="auto"` finds it. Said on the element
 * around a quote: there the text sits in a <bdi> (an unclosed override in a claim cannot
 * reorder what follows it), which `dir="auto"` skips, so it would find only the neutral
 * quote marks and lay an Arabic claim out left to right.
 */
export function textDirection(text: string): "rtl" | "ltr" {
	const first = /\p{L}/u.exec(text)?.[0];
	return first !== undefined && RTL_LETTER.test(first) ? "rtl" : "ltr";
}

/** The text in its language's quotation marks. */
export function quoted(text: string, language: string): string {
	const [open, close] = quoteMarks(language);
	return `${open}${text}${close}`;
}

/**
 * A file size as people read it: "12 KB", "3.4 MB" (KB rounded up, so only nothing reads
 * 0 KB); in German with a decimal comma, "3,4 MB".
 */
export function formatSize(bytes: number, lang: "en" | "de" = "en"): string {
	const size =
		bytes >= 1024 * 1024
			? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
			: `${Math.ceil(Math.max(0, bytes) / 1024)} KB`;
	return lang === "de" ? size.replace(".", ",") : size;
}

export const MAX_TITLE_QUOTE_LENGTH = 80;

/*
 * Explicit bidi embeddings, overrides and isolates in a quote could reorder the rest of
 * the title ("False" read as "eslaF", the speaker moved); right-to-left letters need none.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * The quote on one line, cut at a word boundary to at most `max` code points plus "…": by
 * code points, not UTF-16 units, so an emoji or a letter outside the BMP is never cut in
 * half (a lone surrogate shows as � and some consumers refuse the text). Titles, excerpts
 * and the feed all cut with it.
 */
export function shortQuote(text: string, max: number = MAX_TITLE_QUOTE_LENGTH): string {
	const flat = text.replace(BIDI_CONTROLS, "").replace(/\s+/g, " ").trim();
	const points = Array.from(flat);
	if (points.length <= max) return flat;
	const cut = points.slice(0, max).join("");
	const space = cut.lastIndexOf(" ");
	// Cut at the last space unless that throws away most of the text (one very long word).
	const kept = space > cut.length / 2 ? cut.slice(0, space) : cut;
	return `${kept.replace(/[\s,;:.–—-]+$/, "")}…`;
}
