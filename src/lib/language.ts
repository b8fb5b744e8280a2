import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { UI_LANGUAGES, type UiLanguage } from "../domain/ratings";
import type { AppEnv } from "../factory";

export const isUiLanguage = (value: string | undefined): value is UiLanguage =>
	value !== undefined && (UI_LANGUAGES as readonly string[]).includes(value);

/** Best UI language from an Accept-Language header (q-values honoured), or null. */
function negotiateLanguage(header: string | undefined): UiLanguage | null {
	if (!header) return null;
	const ranked = header
		.split(",")
		.slice(0, 20)
		.map((part, index) => {
			const [tag = "", ...params] = part.trim().split(";");
			const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
			const quality = q ? Number(q.slice(2)) : 1;
			return {
				primary: tag.toLowerCase().split("-")[0],
				quality: Number.isFinite(quality) ? quality : 0,
				index,
			};
		})
		.filter((entry) => entry.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.index - b.index);
	return ranked.map((entry) => entry.primary).find(isUiLanguage) ?? null;
}

/**
 * UI language: `?lang=`, then the `lang` cookie (the switcher sets it), then
 * Accept-Language, then English. `langNegotiated` says the answer depends on the
 * request's headers, not only its URL: such an answer must not go into a shared cache.
 */
export const languageMiddleware = createMiddleware<AppEnv>(async (c, next) => {
	const query = c.req.query("lang");
	c.set("langNegotiated", !isUiLanguage(query));
	c.set("lang", uiLanguageOf(query, getCookie(c, "lang"), c.req.header("Accept-Language")));
	await next();
});

/**
 * The rule above as a function of the three inputs, `cookie` as Hono's cookie parser
 * reads it (quotes off, percent-decoded): the isolate's hot copies of pages are keyed by
 * its result (lib/hot-cache), so they can never key a page otherwise than it was made.
 */
export function uiLanguageOf(
	query: string | undefined,
	cookie: string | undefined,
	acceptLanguage: string | undefined,
): UiLanguage {
	if (isUiLanguage(query)) return query;
	if (isUiLanguage(cookie)) return cookie;
	return negotiateLanguage(acceptLanguage) ?? "en";
}

/**
 * For shared, cacheable answers (JSON API, feeds): the language comes from `?lang=`
 * alone, English otherwise, so the URL names everything the answer depends on and no
 * `Vary: Accept-Language, Cookie` is needed.
 */
export const languageFromUrlOnly = createMiddleware<AppEnv>(async (c, next) => {
	const query = c.req.query("lang");
	c.set("lang", isUiLanguage(query) ? query : "en");
	c.set("langNegotiated", false);
	await next();
});

/**
 * The language the request's address names (`?lang=`); undefined when it was negotiated
 * from the reader's cookie or Accept-Language, which a page's links and forms must not
 * write into an address.
 */
export function addressLanguage(vars: { lang: UiLanguage; langNegotiated: boolean }): UiLanguage | undefined {
	return vars.langNegotiated ? undefined : vars.lang;
}

/** The longest page address the public language switch (/language) goes back to. */
export const LANGUAGE_NEXT_MAX = 2000;

/**
 * Where a public page's language switch goes back to: its address, or its path alone when
 * the address is longer than /language takes (a search or cursor pasted far past its own
 * limit, which the page shows as page one or beside the search box, not as an error).
 */
export function languageSwitchNext(path: string): string {
	return path.length > LANGUAGE_NEXT_MAX ? (path.split("?")[0] ?? "/") : path;
}

/** A path and query without `lang`, for the language switch link. */
export function pathWithoutLang(requestUrl: string): string {
	const url = new URL(requestUrl);
	url.searchParams.delete("lang");
	const query = url.searchParams.toString();
	return `${url.pathname}${query ? `?${query}` : ""}`;
}
