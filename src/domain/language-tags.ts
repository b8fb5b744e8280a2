/**
 * Language tags (BCP 47) as the app stores them: primary subtag in lower case, regions
 * in upper case, scripts in title case ("de", "en-GB", "zh-Hant"). One normaliser for
 * the forms and the API, article metadata and the import mapping. Tags that name no
 * language (und, mul, zxx, mis) are none.
 */
const TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const NO_LANGUAGE = new Set(["und", "mul", "zxx", "mis"]);

export function normalizeLanguageTag(value: string | null | undefined, maxLength = 35): string | null {
	const parts = value?.trim().split(/[-_]/) ?? [];
	if (parts.length === 0 || parts.some((part) => part.length === 0)) return null;
	const tag = parts
		.map((part, i) => {
			if (i === 0) return part.toLowerCase();
			if (/^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
			if (/^[A-Za-z]{4}$/.test(part)) return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
			return part.toLowerCase();
		})
		.join("-");
	if (!TAG.test(tag) || tag.length > maxLength || NO_LANGUAGE.has(tag.split("-")[0] ?? "")) return null;
	return tag;
}

/** The primary language subtag: "de-AT" → "de", og:locale "en_US" → "en". */
export function primaryLanguage(value: string | null | undefined): string | null {
	// Article metadata may list several ("de, en"): the first counts.
	const first = value?.split(/[\s,;]/).find((part) => part.trim() !== "");
	return normalizeLanguageTag(first)?.split("-")[0] ?? null;
}
