/**
 * URL slugs for speakers (and anything else with a name): lowercase ASCII words
 * joined by hyphens, e.g. "Choe Son-hui" → "choe-son-hui".
 */
import { foldNameGerman } from "./speaker-matching";

export const SLUG_MAX_LENGTH = 80;

/** A well-formed slug: ASCII words of a–z and 0–9 joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DEFAULT_SLUG_FALLBACK = "speaker";

/**
 * Cuts at the last hyphen that keeps the slug within `max` characters, so no word
 * is split; a single word longer than `max` is the one case that is cut mid-word.
 */
function truncate(slug: string, max: number): string {
	if (slug.length <= max) return slug;
	const cut = slug.lastIndexOf("-", max);
	return cut > 0 ? slug.slice(0, cut) : slug.slice(0, max);
}

/**
 * Turns a name into a slug. Letters are folded like `foldName`, but with the German
 * convention for umlauts and ß (Müller → mueller, Größe → groesse, Lawrów → lawrow,
 * Wŏnsan → wonsan, Ch'oe → choe): slugs are read by German-speaking readers first, and
 * "mueller" is how German spells Müller without umlauts, where "muller" is a
 * different name. Non-Latin letters that do not fold to ASCII (Лавров, 최선희) are
 * dropped; a name with nothing left becomes `fallback`. At most 80 characters, cut
 * between words.
 */
export function slugify(name: string, fallback: string = DEFAULT_SLUG_FALLBACK): string {
	const slug = truncate(
		foldNameGerman(name)
			.replace(/[^a-z0-9]+/g, "-")
			.replace(/^-+|-+$/g, ""),
		SLUG_MAX_LENGTH,
	);
	return slug === "" ? fallback : slug;
}

/**
 * The first of `base`, `base-2`, `base-3` … that `taken` does not claim. The base is
 * never shortened, so a caller can load every candidate that might be taken with
 * `slug = base` and the range `base-` ≤ slug < `base.` (store/speakers `slugsTaken`); a
 * suffix may therefore take a slug past
 * `SLUG_MAX_LENGTH`. Throws after 10,000 attempts rather than looping forever on a
 * `taken` that always says yes.
 */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
	if (!taken(base)) return base;
	for (let n = 2; n <= 10_000; n++) {
		const candidate = `${base}-${n}`;
		if (!taken(candidate)) return candidate;
	}
	throw new RangeError(`no free slug for "${base}" after 10,000 attempts`);
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable mark, not a security hash. */
function fnv1a(text: string): string {
	let hash = 0x811c9dc5;
	for (const byte of new TextEncoder().encode(text)) {
		hash ^= byte;
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, "0");
}

export const TOPIC_SLUG_MAX_LENGTH = 60;

/**
 * A topic's address from its name: `slugify` where every letter folds to ASCII ("Ukraine
 * war" → ukraine-war). A name with letters that do not ("Война", "Россия 2024", "북한")
 * keeps what folds and gets a mark of the whole name ("topic-3c5b0f8e", "2024-…"):
 * dropping them would refuse a Cyrillic topic and make "Россия 2024" and "Украина 2024"
 * one topic. Null when nothing is left to address.
 */
export function topicSlug(name: string): string | null {
	const ascii = slugify(name, "").slice(0, TOPIC_SLUG_MAX_LENGTH).replace(/-+$/, "");
	const unfolded = /\p{L}/u.test(name.replace(/\p{Script=Latin}/gu, ""));
	if (!unfolded) return ascii || null;
	const mark = fnv1a(name.normalize("NFC").toLowerCase());
	return `${(ascii || "topic").slice(0, TOPIC_SLUG_MAX_LENGTH - 9).replace(/-+$/, "")}-${mark}`;
}
