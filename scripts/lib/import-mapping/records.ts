import { normalizeLanguageTag } from "../../../src/domain/language-tags";
/**
 * What the mappings share: the result they report, and the small helpers that turn the
 * text of a file into the fields of an import record (src/schemas/import-record).
 */
import { IMPORT_LIMITS, type ImportRecord } from "../../../src/schemas/import-record";

/** Why one input item was not imported. `index` is its position among the items of the input (-1: the whole input or a block of it). */
export interface ImportRejection {
	index: number;
	/** 1-based line in delimited input where the rejected row starts. */
	line?: number;
	reason: string;
}

/** Something imported with a change the user should know of (a dropped link, a shortened title). */
export interface ImportWarning {
	index: number;
	line?: number;
	message: string;
}

export interface ImportResult {
	records: ImportRecord[];
	rejected: ImportRejection[];
	warnings: ImportWarning[];
}

/**
 * BCP 47 tag in its conventional casing ("de_de" → "de-DE", "EN" → "en"), or
 * undefined when the input is no language tag (e.g. "German").
 */
/** A language tag as the app stores it (domain/language-tags), or undefined. */
export function importLanguageTag(value: string | undefined): string | undefined {
	return normalizeLanguageTag(value, IMPORT_LIMITS.language) ?? undefined;
}

/** A language name's key: case, accents and spacing aside ("Français" and "francais" meet). */
function languageNameKey(name: string): string {
	return name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

let languageNames: Map<string, string> | undefined;

/**
 * The tags of the languages with a two-letter code by their English and German names
 * ("German", "Deutsch", "Französisch" → "de", "fr"), read once from the platform's CLDR
 * names (Intl.DisplayNames). Publishers' markup gives `inLanguage` as a name too, and a name
 * read as no language filed a German check under the default language.
 */
function languageNameTable(): Map<string, string> {
	const names = new Map<string, string>();
	// A runtime without Intl.DisplayNames knows no names: tags still work.
	if (typeof Intl.DisplayNames !== "function") return names;
	const displays = ["en", "de"].map(
		(locale) => new Intl.DisplayNames([locale], { type: "language", fallback: "none" }),
	);
	const letters = "abcdefghijklmnopqrstuvwxyz";
	for (const a of letters)
		for (const b of letters) {
			const tag = importLanguageTag(a + b);
			if (tag === undefined) continue;
			for (const display of displays) {
				const name = display.of(a + b);
				// The first code keeps a name: "Akan" is ak's, not tw's (Twi, which CLDR folds into it).
				if (name !== undefined && !names.has(languageNameKey(name))) names.set(languageNameKey(name), tag);
			}
		}
	return names;
}

/** A language tag ("de", "de_DE") or an English or German language name ("German", "Deutsch"), as a tag. */
export function importLanguageTagOrName(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const tag = importLanguageTag(value);
	if (tag !== undefined) return tag;
	languageNames ??= languageNameTable();
	return languageNames.get(languageNameKey(value));
}

/** Shortens to `max` characters, marking the cut with an ellipsis. */
export function truncate(value: string, max: number): string {
	if (value.length <= max) return value;
	return `${value.slice(0, max - 1).trimEnd()}…`;
}

/** Drops keys whose value is undefined, so equal inputs serialise to byte-identical JSON. */
export function compact<T extends object>(value: T): T {
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
	return out as T;
}
