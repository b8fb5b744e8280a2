/**
 * Personal names as tokens: what looks like a name, and the keys a person is
 * found by later (full name, surname, given name), all folded like speaker names.
 */

import { foldName } from "../speaker-matching";
import { FAMILY_NAME_FIRST, isPlaceWord, NAME_PARTICLES } from "./lexicon";
import { stripPossessive, type Token } from "./tokens";

/** A capitalised word with lower-case letters: "Lawrow", not "NATO" or "der". */
export function isNameToken(t: Token | undefined): boolean {
	return t?.word === true && /^\p{Lu}/u.test(t.text) && /\p{Ll}/u.test(t.text);
}

export function foldToken(t: Token): string {
	return foldName(stripPossessive(t.text));
}

export function isPlace(t: Token): boolean {
	return isPlaceWord(t.text);
}

/* Korean and Chinese names put the family name first: "Kim Jong-un", "Xi Jinping". */
export function familyNameFirst(tokens: readonly Token[]): boolean {
	const first = tokens[0];
	const last = tokens[tokens.length - 1];
	if (!first || !last || tokens.length < 2) return false;
	return FAMILY_NAME_FIRST.has(foldToken(first)) || /^\p{Lu}[\p{Ll}\p{M}'’]*-\p{Ll}/u.test(last.text);
}

export function surnameKeys(tokens: readonly Token[]): { surnames: string[]; givens: string[] } {
	const first = tokens[0];
	if (!first) return { surnames: [], givens: [] };
	if (tokens.length === 1) return { surnames: [foldToken(first)], givens: [] };
	if (familyNameFirst(tokens)) return { surnames: [foldToken(first)], givens: [] };
	const last = tokens[tokens.length - 1] ?? first;
	const surnames = [foldToken(last)];
	let start = tokens.length - 1;
	while (start > 1 && NAME_PARTICLES.has(tokens[start - 1]?.lower ?? "")) start--;
	if (start < tokens.length - 1) surnames.unshift(tokens.slice(start).map(foldToken).join(" "));
	return { surnames, givens: [foldToken(first)] };
}

export function nameText(text: string, tokens: readonly Token[]): string {
	const first = tokens[0];
	const last = tokens[tokens.length - 1];
	if (!first || !last) return "";
	return stripPossessive(text.slice(first.start, last.end));
}
