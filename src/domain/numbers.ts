/**
 * Numbers as written in German and English text: 1.000 and 1,000, 1,5 and 1.5, 1 000
 * with a space of any width. Claim matching reads them (domain/claim-matching) and the
 * search index stores one canonical token per number (domain/search-terms), which a
 * numeric search word also looks for (domain/search-query), so "1000" finds "1.000".
 *
 * The rule (README, "Search"): a separator followed by exactly three digits groups
 * thousands where the text's language says so (German ".", English ","), and in a search,
 * whose language is unknown, it is read both ways unless the decimal reading ends in a
 * zero ("1.000" is one thousand, never "1.0"; "1.234" is 1234 or 1.234). Anything that is
 * not a well-formed number — "1.000.00", "192.168.0.1", "12.07.2025", a number with a
 * leading zero such as a phone number — gets no token and is found as written only.
 */
import { TRAILING_PUNCTUATION } from "./trailing-runs";

/*
 * German writes 3,5 and 1.000, English 3.5 and 1,000. Two different separators: the
 * last is the decimal one. One kind: repeated, or the language's thousands separator
 * before exactly three digits, it groups thousands; so does the other language's, once
 * after one to three digits, before three digits ending in 0 ("300.000" in English, "1,000"
 * in German: nobody writes 300.0 with three decimals, as a search reads it); otherwise it is a
 * decimal point ("1.234" in English: see `ambiguousGroup`).
 */
export function parseDigits(raw: string, german: boolean): number {
	// A space of any width only ever groups thousands ("1 000", "1 000" in German too).
	const s = raw.replace(/[ \u00a0\u2009\u202f]/g, "");
	const lastDot = s.lastIndexOf(".");
	const lastComma = s.lastIndexOf(",");
	let decimal = -1;
	if (lastDot >= 0 && lastComma >= 0) decimal = Math.max(lastDot, lastComma);
	else if (lastDot >= 0 || lastComma >= 0) {
		const at = Math.max(lastDot, lastComma);
		const sep = s[at];
		const repeated = s.indexOf(sep ?? "") !== at;
		const grouping =
			repeated || (s.length - at - 1 === 3 && sep === (german ? "." : ",")) || /^\d{1,3}[.,]\d\d0$/.test(s);
		if (!grouping) decimal = at;
	}
	const whole = (decimal >= 0 ? s.slice(0, decimal) : s).replace(/[.,]/g, "");
	return Number(decimal >= 0 ? `${whole}.${s.slice(decimal + 1)}` : whole);
}

/**
 * "1.234" in English, "1,234" in German: read as the language's decimal (1.234), yet as often
 * the other language's thousands in a quote (1234). The claim matcher keeps such a number
 * apart from both readings, so a difference of 1,000 times never passes as the same claim.
 */
export function ambiguousGroup(raw: string, german: boolean): boolean {
	const s = raw.replace(/[ \u00a0\u2009\u202f]/g, "");
	return /^\d{1,3}[.,]\d{3}$/.test(s) && s.includes(german ? "," : ".") && !s.endsWith("0");
}

export function canonicalNumber(value: number): string {
	return String(Number(value.toPrecision(12)));
}

/** How a text writes its numbers: German, English, or unknown (a search: both readings). */
type NumberConvention = "de" | "en" | "either";

function conventionOf(language: string): NumberConvention {
	const tag = language.toLowerCase();
	if (tag.startsWith("de")) return "de";
	if (tag.startsWith("en")) return "en";
	return "either";
}

/*
 * Private use: FTS5's unicode61 tokenizer keeps it inside a token (categories L*, N*, Co),
 * and no word of a text or a search can contain it (both split words on letters and
 * digits only), so a number's token never meets a word, not even "N95" or "n1000"; nor
 * can a search ask for one by writing it (its words lose the mark).
 */
export const NUMBER_MARK = "\ue000";

/** Digits with thousands groups (". , " or a space of any width) and a decimal part; well-formed or not. */
const SPACES = "[ \\u00a0\\u2009\\u202f]";
const GROUPED = `\\d{1,3}(?:${SPACES}\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)*`;
/*
 * In a text: not glued to a word ("COVID-19", "F-16", "5G", "2nd"), nor part of a longer
 * run of digits and dots, a time or ratio (10:30) or an ISO date; "1.000-2.000" is two
 * numbers. A percent sign or word after it makes it a percentage.
 */
const IN_TEXT = new RegExp(
	`(?<![\\p{L}\\p{N}]|[\\p{N}][.,:]|\\p{L}[\\-\\u2010\\u2011]|\\d{4}-\\d\\d-)(${GROUPED})(?![\\p{L}\\p{N}]|[.,:]\\d)(${SPACES}?%|${SPACES}(?:prozent|percent|pct|per cent)(?![\\p{L}\\p{N}]))?`,
	"giu",
);
/** A search word that is a number: "1.000", "1,5", "12%". */
const QUERY_WORD = /^(\d+(?:[.,]\d+)*)(%?)$/;
/** Significant digits past which a number is an identifier, not a quantity. */
const MAX_DIGITS = 15;

/* The readings of a well-formed number (none for a malformed one), canonical. */
function readings(raw: string, convention: NumberConvention): string[] {
	const s = raw.replace(new RegExp(SPACES, "g"), "");
	const separators = s.match(/[.,]/g) ?? [];
	if (/^0\d/.test(s) || s.replace(/[.,]/g, "").replace(/^0+/, "").length > MAX_DIGITS) return [];
	const decimalAt = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
	let values: number[];
	if (new Set(separators).size === 2) {
		// 1.234,5 or 1,234.5: the last separator is the decimal one, once, after groups of three.
		const whole = s.slice(0, decimalAt);
		if (s.indexOf(s[decimalAt] ?? "") !== decimalAt || !/^\d{1,3}(?:[.,]\d{3})+$/.test(whole)) return [];
		values = [parseDigits(s, true)];
	} else if (separators.length > 1) {
		// 1.000.000; but 1.000.00, 192.168.0.1, 12.07.2025 are no groups, and no number has two points.
		if (!/^\d{1,3}(?:[.,]\d{3})+$/.test(s)) return [];
		values = [parseDigits(s, true)];
	} else if (/^\d{1,3}[.,]\d{3}$/.test(s)) {
		const thousands = parseDigits(s, s[decimalAt] === ".");
		const decimal = Number(s.replace(",", "."));
		if (convention === "either") {
			// "1.000" in a search means one thousand: nobody types 1.0 with three decimals.
			values = s.endsWith("0") ? [thousands] : [thousands, decimal];
		} else {
			// The language's thousands separator groups; so does the other's before three digits
			// ending in 0 ("300.000" in English, "1,000" in German: as parseDigits and the README read it).
			const grouping = (s[decimalAt] === "." ? "de" : "en") === convention || s.endsWith("0");
			values = [grouping ? thousands : decimal];
		}
	} else {
		values = [Number(s.replace(",", "."))]; // 1,5 or 1234.5: decimal; or digits only
	}
	return [...new Set(values.map(canonicalNumber))].filter((value) => /^\d+(?:\.\d+)?$/.test(value));
}

const token = (value: string, percent: boolean): string =>
	`${NUMBER_MARK}n${value.replace(".", "d")}${percent ? "pct" : ""}`;

/** A bare 1900–2099 in a text is a year; it is found as written, never as the count "2.000". */
const isYear = (raw: string): boolean => /^(?:19|20)\d\d$/.test(raw);

/**
 * The number tokens of a text in its language: `n1000` (after the mark) for "1.000" in
 * German and "1,000" in English, `n1d5` for 1,5 / 1.5, and `n12pct` as well for "12 %",
 * "12 Prozent", "12 percent". Years give none. Linear: one regex pass.
 */
export function numberTokens(text: string, language: string): string[] {
	const convention = conventionOf(language);
	const out: string[] = [];
	for (const [, raw = "", percent] of text.normalize("NFC").matchAll(IN_TEXT)) {
		if (isYear(raw)) continue;
		for (const value of readings(raw, convention)) {
			out.push(token(value, false));
			if (percent) out.push(token(value, true));
		}
	}
	return out;
}

/**
 * The number tokens a search word also looks for (none if it is no number): "1000",
 * "1.000" and "1,000" → n1000; "1,5" and "1.5" → n1d5; "1.234" → n1234 and n1d234;
 * "12%" → n12pct only (search-query makes "12 Prozent" one). A year is also a count here: the
 * search "2000" finds "2.000 Soldaten" as well as the year, which it finds as written.
 */
export function queryNumberTokens(word: string): string[] {
	const match = QUERY_WORD.exec(word.replace(TRAILING_PUNCTUATION, ""));
	if (!match) return [];
	const [, raw = "", sign] = match;
	return readings(raw, "either").map((value) => token(value, sign === "%"));
}

/** Search words that make the number before them a percentage ("12 %", "12 Prozent"). */
export const PERCENT_WORD = /^(?:%|prozent|percent|pct)$/i;
