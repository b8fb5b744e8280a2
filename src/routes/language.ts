import { setCookie } from "hono/cookie";
import * as z from "zod";
import { UI_LANGUAGES } from "../domain/ratings";
import { factory } from "../factory";
import { LANGUAGE_NEXT_MAX, pathWithoutLang } from "../lib/language";
import { declareRoute } from "../lib/route-declaration";

/**
 * Only a path on this site: never another origin (`//host`, backslashes). Checked again
 * after the URL parser resolved dot segments: `/.//evil.example` comes out of it as
 * `//evil.example`, which a browser reads as another host.
 */
function safePath(value: string | undefined): string {
	if (!value?.startsWith("/") || value.startsWith("//") || /[\\\s]/.test(value)) return "/";
	const path = pathWithoutLang(`http://local${value}`);
	return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}

/**
 * The language switch of public pages: remembers the choice in the `lang` cookie (a
 * year) and goes back to the page, which from then on is in that language whatever the
 * browser's Accept-Language says. The cookie is set here, on an answer nobody caches,
 * never on a page that shared caches may keep.
 */
export const languageRoutes = factory.createApp().get(
	"/language",
	declareRoute({
		method: "GET",
		path: "/language",
		access: "public",
		query: z.object({
			lang: z.enum(UI_LANGUAGES).catch("en"),
			next: z.string().max(LANGUAGE_NEXT_MAX).optional(),
		}),
	}),
	(c) => {
		const { lang, next } = c.req.valid("query");
		setCookie(c, "lang", lang, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600 });
		c.header("Cache-Control", "no-store");
		return c.redirect(safePath(next), 303);
	},
);
