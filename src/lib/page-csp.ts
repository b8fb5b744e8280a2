import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/**
 * CSP for public HTML pages: styles and images from this origin, no script at all,
 * forms only to this origin, never framed. No nonce either: these pages run no script
 * (their JSON-LD is data, which CSP does not govern), and they are kept in shared caches
 * and the isolate's hot copies, where one nonce would be handed to every reader. Error
 * pages carry it too (lib/error-handler): under the strict policy of lib/framing they
 * would lose the site's stylesheet.
 */
export const PAGE_CSP =
	"default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The embed card's: framed by any site (`frame-ancestors *`), its styles inline (the card
 * is one self-contained document), no script, no form. The cards it shows when there is
 * no claim to show ("not found", "no longer available") carry the same: under any other
 * policy a partner's frame shows the browser's refusal instead.
 */
export const EMBED_CARD_CSP =
	"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors *";

export const pageCsp = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", PAGE_CSP);
});
