/**
 * Lower case, with the marks of Latin letters removed (Wŏnsan → wonsan, Zürich → zurich):
 * how the full-text index's tokenizer (`unicode61 remove_diacritics 2`) compares Latin
 * words, so a term counted or scored here is the term the index holds. Marks of other
 * scripts stay: the tokenizer keeps Cyrillic й and ё, and taking the marks off Hangul's
 * decomposed syllables or off kana's voicing would make other words ("йод" is not "иод").
 */
export function foldLatinDiacritics(text: string): string {
	return text
		.normalize("NFD")
		.replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
		.normalize("NFC")
		.toLowerCase();
}
