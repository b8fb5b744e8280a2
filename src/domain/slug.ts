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

const MAX_SUFFIX = 10_000;

/**
 * The part of `base` that `base-<n>` keeps within `max` characters: all of it when it fits,
 * else cut to make room for the suffix, without a hyphen left at the cut.
 */
function stemFor(base: string, suffix: string, max: number): string {
	if (base.length + suffix.length <= max) return base;
	return base.slice(0, max - suffix.length).replace(/-+$/, "");
}

/**
 * The first of `base`, `base-2`, `base-3` … that `taken` does not claim. Without `max` the
 * base is never shortened, so a caller can load every candidate that might be taken with
 * `slug = base` and the range `base-` ≤ slug < `base.` (store/speakers `slugsTaken`); a
 * suffix may therefore take a slug past `SLUG_MAX_LENGTH` (a speaker's slug has no bound in
 * the database). With `max` (a topic's 60, which `tags_slug_check` enforces) the base is cut
 * so that base and suffix fit: a 60-character `base-2` broke the check, and the topic could
 * not be saved at all; `uniqueSlugStems` names the cut bases, for the same range lookup.
 * Throws after 10,000 attempts rather than looping forever on a `taken` that always says yes.
 */
export function uniqueSlug(
	base: string,
	taken: (slug: string) => boolean,
	max = Number.POSITIVE_INFINITY,
): string {
	if (!taken(base)) return base;
	for (let n = 2; n <= MAX_SUFFIX; n++) {
		const candidate = `${stemFor(base, `-${n}`, max)}-${n}`;
		if (!taken(candidate)) return candidate;
	}
	throw new RangeError(`no free slug for "${base}" after 10,000 attempts`);
}

/**
 * Every base `uniqueSlug(base, taken, max)` may put a suffix after: `base` and its cuts for
 * suffixes of 2 to 6 characters ("-2" … "-10000"), each once.
 */
export function uniqueSlugStems(base: string, max: number): string[] {
	const stems = new Set([base]);
	for (let digits = 1; digits <= String(MAX_SUFFIX).length; digits++) {
		const stem = stemFor(base, `-${"9".repeat(digits)}`, max);
		if (stem) stems.add(stem);
	}
	return [...stems];
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

/** `<what folds>-<mark of the whole name>`, the first cut to leave room for the mark within `max`. */
function marked(ascii: string, fallback: string, name: string, max: number): string {
	const mark = fnv1a(name.normalize("NFC").toLowerCase());
	return `${(ascii || fallback).slice(0, max - mark.length - 1).replace(/-+$/, "")}-${mark}`;
}

/**
 * A speaker's address from its name: `slugify`, unless that spells no Latin letter (Лавров,
 * 최선희, 李强: nothing folds to ASCII), which gets a mark of the whole name, as a topic does
 * (`speaker-3c5b0f8e`). The fallback alone made every such speaker `speaker`, `speaker-2` …,
 * each new one reading the whole range to number itself, and the 10,001st a 500
 * (`uniqueSlug`). Slugs given before stay: only new speakers and renames that drop the old
 * name (store/speaker-edits `renamedSlug`) are given one.
 */
export function speakerSlug(name: string): string {
	const ascii = slugify(name, "");
	return /[a-z]/.test(ascii) ? ascii : marked(ascii, DEFAULT_SLUG_FALLBACK, name, SLUG_MAX_LENGTH);
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
	return marked(ascii, "topic", name, TOPIC_SLUG_MAX_LENGTH);
}
