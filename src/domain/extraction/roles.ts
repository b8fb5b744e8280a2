/**
 * Role words: "Außenminister", "Amtskollegin", "the foreign minister". A role
 * introduces a person ("Außenminister Lawrow") or refers back to one ("der
 * russische Außenminister"), and for German it often tells the gender.
 */

import { ENGLISH_ROLES, GERMAN_ROLE_STEMS, type Gender, type Language } from "./lexicon";
import { stripPossessive, type Token } from "./tokens";

export interface RoleCue {
	/** Folded, uninflected role: "außenminister", "kolleg", "minister". */
	role: string;
	gender: Gender | null;
}

/** German role noun with its gender: "Amtskollegin" → kolleg/f, "Staatspräsidenten" → staatspräsident/m. */
function germanRole(word: string): RoleCue | null {
	const lower = word.toLowerCase();
	const part = lower.slice(lower.lastIndexOf("-") + 1);
	const forms: [string, Gender | null][] = [[part, "m"]];
	if (part.endsWith("innen")) forms.push([part.slice(0, -5), "f"]);
	if (part.endsWith("in")) forms.push([part.slice(0, -2), "f"]);
	for (const ending of ["en", "es", "n", "s", "e"]) {
		if (part.endsWith(ending)) forms.push([part.slice(0, -ending.length), "m"]);
	}
	for (const [form, gender] of forms) {
		if (form.length >= 4 && GERMAN_ROLE_STEMS.some((stem) => form.endsWith(stem)))
			return { role: form, gender };
	}
	return null;
}

export function englishRole(word: string): RoleCue | null {
	const lower = stripPossessive(word).toLowerCase();
	if (!ENGLISH_ROLES.has(lower)) return null;
	return { role: lower, gender: ENGLISH_ROLES.get(lower) ?? null };
}

export function roleOf(t: Token, language: Language): RoleCue | null {
	if (!t.word) return null;
	if (language === "de") return /^\p{Lu}/u.test(t.text) ? germanRole(t.text) : null;
	return englishRole(t.text);
}
