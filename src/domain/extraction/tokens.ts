/**
 * A word tokenizer with offsets into the original text. Words keep inner hyphens
 * and apostrophes (Jong-un, Ch'oe, don't), so names survive as one token.
 */

export interface Token {
	text: string;
	/** Lower-cased text. */
	lower: string;
	start: number;
	end: number;
	word: boolean;
}

const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*|\S/gu;

export function tokenize(text: string, offset = 0): Token[] {
	const tokens: Token[] = [];
	for (const m of text.matchAll(TOKEN)) {
		const value = m[0];
		const start = offset + (m.index ?? 0);
		tokens.push({
			text: value,
			lower: value.toLowerCase(),
			start,
			end: start + value.length,
			word: /^[\p{L}\p{M}\p{N}]/u.test(value),
		});
	}
	return tokens;
}

export function isCapitalised(token: Token): boolean {
	return token.word && /^\p{Lu}/u.test(token.text);
}

/** An all-caps abbreviation like DVRK, USA, NATO: a named entity but not a personal name. */
export function isAcronym(token: Token): boolean {
	return (
		token.word && token.text.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(token.text) && /\p{Lu}/u.test(token.text)
	);
}

/** Drops a possessive or genitive ending: "Korea's" → "Korea", "Lawrows" is left to the caller. */
export function stripPossessive(word: string): string {
	return word.replace(/['’]s$/u, "").replace(/['’]$/u, "");
}
