import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/** CSP for JSON, problems and anything that sets none: nothing may load or frame it. */
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * What secure-headers would set everywhere, kept for documents (app-shell turns it off for
 * the rest). Left out as obsolete: X-XSS-Protection (no browser has the XSS auditor it
 * switched off any more) and X-Download-Options (Internet Explorer 8).
 */
const DOCUMENT_HEADERS: [string, string][] = [
	["Cross-Origin-Opener-Policy", "same-origin"],
	["Origin-Agent-Cluster", "?1"],
	["X-DNS-Prefetch-Control", "off"],
	["X-Permitted-Cross-Domain-Policies", "none"],
];

/**
 * Every response is unframeable unless its route sets its own policy (only the
 * embed card allows `frame-ancestors *`). Runs after the route, so routes win.
 */
export const defaultFraming = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const headers = c.res.headers;
	const csp = headers.get("Content-Security-Policy");
	if (!csp) headers.set("Content-Security-Policy", STRICT_CSP);
	if (!csp?.includes("frame-ancestors *")) headers.set("X-Frame-Options", "DENY");
	if (headers.get("Content-Type")?.startsWith("text/html")) {
		for (const [name, value] of DOCUMENT_HEADERS) headers.set(name, value);
	}
});
