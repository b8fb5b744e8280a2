import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/**
 * CSP for HTML pages: styles and images from this origin, scripts only with the
 * per-response nonce, forms only to this origin, never framed.
 */
export const pageCsp = createMiddleware<AppEnv>(async (c, next) => {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	const nonce = btoa(String.fromCharCode(...bytes));
	c.set("nonce", nonce);
	await next();
	if (!c.res.headers.has("Content-Security-Policy")) {
		c.res.headers.set(
			"Content-Security-Policy",
			`default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
		);
	}
});
