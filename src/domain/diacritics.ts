/**
 * Lower case, with the marks of Latin letters removed (Wŏnsan → wonsan, Zürich → zurich):
 * how the full-text index's tokenizer (`unicode61 remove_diacritics 2`) compares Latin
 * words, so a term counted or scored here is the term the index holds. Marks of other
 * scripts stay, as the tokenizer keeps them: Cyrillic й and ё, kana's voicing ("йод" is
 * not "иод", が not か); and NFC puts Hangul's syllables together again after NFD took
 * them apart.
 */
export function foldLatinDiacritics(text: string): string {
	return text
		.normalize("NFD")
		.replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
		.normalize("NFC")
		.toLowerCase();
}
