/**
 * The variants of a claim's embeds that other sites choose by URL: badge style, language
 * and card theme. Closed lists only: an unknown value falls back to the default, so a
 * mistyped embed still renders, and nothing a visitor types reaches a URL we generate.
 */
import { type BadgeStyle, isBadgeStyle } from "./badge";

/** `light` (the default) and `dark` are fixed; `auto` follows the reader's `prefers-color-scheme`. */
export const CARD_THEMES = ["light", "dark", "auto"] as const;
export type CardTheme = (typeof CARD_THEMES)[number];

/** `auto` leaves out `?lang=`: the badge or card then speaks the claim's language. */
export const EMBED_LANGS = ["auto", "en", "de"] as const;
export type EmbedLang = (typeof EMBED_LANGS)[number];

export interface EmbedChoice {
	style: BadgeStyle;
	lang: EmbedLang;
	theme: CardTheme;
}

export const DEFAULT_EMBED_CHOICE: EmbedChoice = { style: "flat", lang: "auto", theme: "light" };

function isCardTheme(value: unknown): value is CardTheme {
	return typeof value === "string" && (CARD_THEMES as readonly string[]).includes(value);
}

function isEmbedLang(value: unknown): value is EmbedLang {
	return typeof value === "string" && (EMBED_LANGS as readonly string[]).includes(value);
}

/**
 * The embed-code panel's choice from a page's query (`embedStyle`, `embedLang`,
 * `embedTheme`), each checked against its list.
 */
export function embedChoiceFromQuery(query: { get(name: string): string | null }): EmbedChoice {
	const style = query.get("embedStyle");
	const lang = query.get("embedLang");
	const theme = query.get("embedTheme");
	return {
		style: isBadgeStyle(style) ? style : DEFAULT_EMBED_CHOICE.style,
		lang: isEmbedLang(lang) ? lang : DEFAULT_EMBED_CHOICE.lang,
		theme: isCardTheme(theme) ? theme : DEFAULT_EMBED_CHOICE.theme,
	};
}

function queryString(pairs: [string, string | undefined][]): string {
	const params = new URLSearchParams();
	for (const [name, value] of pairs) if (value !== undefined) params.set(name, value);
	const query = params.toString();
	return query ? `?${query}` : "";
}

/**
 * The query of a badge URL: defaults left out, so the plain URL stays the canonical one.
 * `version` (the desk's preview) only defeats the browser's cache; the routes ignore it.
 */
export function badgeQuery(choice: EmbedChoice, version?: string | number): string {
	return queryString([
		["style", choice.style === "flat" ? undefined : choice.style],
		["lang", choice.lang === "auto" ? undefined : choice.lang],
		["v", version === undefined ? undefined : String(version)],
	]);
}

/** The query of a card URL, like `badgeQuery`. */
export function cardQuery(choice: EmbedChoice, version?: string | number): string {
	return queryString([
		["lang", choice.lang === "auto" ? undefined : choice.lang],
		["theme", choice.theme === "light" ? undefined : choice.theme],
		["v", version === undefined ? undefined : String(version)],
	]);
}
