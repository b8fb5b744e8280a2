import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/**
 * CSP for public HTML pages: styles and images from this origin, no script at all,
 * forms only to this origin, never framed. No nonce either: these pages run no script
 * (their JSON-LD is data, which CSP does not govern), and they are kept in shared caches
 * and the isolate's hot copies, where one nonce would be handed to every reader.
 */
export const pageCsp = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	if (!c.res.headers.has("Content-Security-Policy")) {
		c.res.headers.set(
			"Content-Security-Policy",
			"default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		);
	}
});
