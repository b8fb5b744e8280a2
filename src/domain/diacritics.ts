/* Printable ASCII and the common white space: no marks to remove, nothing to compose. */
const ASCII_ONLY = /^[\t\n\r -~]*$/;

/**
 * Lower case, with the marks of Latin letters removed (Wŏnsan → wonsan, Zürich → zurich):
 * how the full-text index's tokenizer (`unicode61 remove_diacritics 2`) compares Latin
 * words, so a term counted or scored here is the term the index holds. Marks of other
 * scripts stay, as the tokenizer keeps them: Cyrillic й and ё, kana's voicing ("йод" is
 * not "иод", が not か); and NFC puts Hangul's syllables together again after NFD took
 * them apart.
 */
export function foldLatinDiacritics(text: string): string {
	// Such text normalises to itself: most words of English and German text, folded one by
	// one by the claim matcher.
	if (ASCII_ONLY.test(text)) return text.toLowerCase();
	return text
		.normalize("NFD")
		.replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
		.normalize("NFC")
		.toLowerCase();
}

/**
 * Latin letters that have no decomposition, so neither NFD nor the index's tokenizer takes
 * a mark off them (ł stays ł: "Walesa" never met "Wałęsa"), with the plain spelling English
 * and German print use, and the German one where it differs (ø → oe as ö → oe). The search
 * index's triggers spell names plainly by the same map, written out in SQL (migration 0040):
 * a letter added here needs a migration that recreates them.
 */
export const SPECIAL_LATIN_LETTERS: Readonly<Record<string, readonly [plain: string, german: string]>> = {
	ß: ["ss", "ss"],
	æ: ["ae", "ae"],
	œ: ["oe", "oe"],
	ø: ["o", "oe"],
	đ: ["d", "d"],
	ð: ["d", "d"],
	þ: ["th", "th"],
	ł: ["l", "l"],
	ı: ["i", "i"],
	ħ: ["h", "h"],
	ŧ: ["t", "t"],
};

/* ß stays: the search spells it both ways itself (domain/search-query `spellings`). */
const PLAIN_PATTERN = new RegExp(
	`[${Object.keys(SPECIAL_LATIN_LETTERS)
		.filter((letter) => letter !== "ß")
		.join("")}]`,
	"g",
);

/**
 * A lower-case word with those letters spelt plainly (łódź → lódź, ørsted → orsted, đoković →
 * doković): the other spelling a search term and a claim's `search_terms` carry, so a reader
 * typing the name as English and German print write it finds it. Marks the tokenizer removes
 * anyway are left to it.
 */
export function plainLatinLetters(lower: string): string {
	return lower.replace(PLAIN_PATTERN, (letter) => SPECIAL_LATIN_LETTERS[letter]?.[0] ?? letter);
}
