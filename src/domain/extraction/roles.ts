/**
 * Role words: "Außenminister", "Amtskollegin", "the foreign minister". A role
 * introduces a person ("Außenminister Lawrow") or refers back to one ("der
 * russische Außenminister"), and for German it often tells the gender.
 */

import { ENGLISH_ROLES, GERMAN_ROLE_STEMS, type Gender, type Language } from "./lexicon";
import { stripPossessive, type Token } from "./tokens";

/* Roles that are adjectives used as nouns: "der Vorsitzende", "die Abgeordnete". */
const ADJECTIVAL = /(?:vorsitzend|abgeordnet|beauftragt)$/u;

export interface RoleCue {
	/** Folded, uninflected role: "außenminister", "kolleg", "minister". */
	role: string;
	gender: Gender | null;
}

/** German role noun with its gender: "Amtskollegin" → kolleg/f, "Staatspräsidenten" → staatspräsident/m. */
function germanRole(word: string, learned?: ReadonlySet<string>): RoleCue | null {
	const lower = word.toLowerCase();
	const part = lower.slice(lower.lastIndexOf("-") + 1);
	const forms: [string, Gender | null][] = [[part, "m"]];
	if (part.endsWith("innen")) forms.push([part.slice(0, -5), "f"]);
	if (part.endsWith("in")) forms.push([part.slice(0, -2), "f"]);
	for (const ending of ["en", "es", "er", "n", "s", "e"]) {
		if (!part.endsWith(ending)) continue;
		const form = part.slice(0, -ending.length);
		// "Vorsitzende" is der or die Vorsitzende: an adjective's "-e" tells no gender (the article does).
		forms.push([form, ending === "e" && ADJECTIVAL.test(form) ? null : "m"]);
	}
	for (const [form, gender] of forms) {
		if (form.length >= 4 && (GERMAN_ROLE_STEMS.some((stem) => form.endsWith(stem)) || learned?.has(form)))
			return { role: form, gender };
	}
	return null;
}

export function englishRole(word: string, learned?: ReadonlySet<string>): RoleCue | null {
	const lower = stripPossessive(word).toLowerCase();
	if (!ENGLISH_ROLES.has(lower) && !learned?.has(lower)) return null;
	return { role: lower, gender: ENGLISH_ROLES.get(lower) ?? null };
}

/**
 * The role a word names. `learned` holds the roles the article itself introduced in
 * apposition ("the district's superintendent, Angela Reyes"), beyond the lexicon.
 */
export function roleOf(t: Token, language: Language, learned?: ReadonlySet<string>): RoleCue | null {
	if (!t.word) return null;
	if (language === "de") return /^\p{Lu}/u.test(t.text) ? germanRole(t.text, learned) : null;
	return englishRole(t.text, learned);
}
