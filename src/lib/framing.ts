import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/** CSP for JSON, problems and anything that sets none: nothing may load or frame it. */
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * What secure-headers would set everywhere, kept for documents (app-shell turns it off for
 * the rest). Left out as obsolete: X-XSS-Protection (no browser has the XSS auditor it
 * switched off any more), X-Download-Options (Internet Explorer 8),
 * X-Permitted-Cross-Domain-Policies (Flash's policy files: Flash is gone, this site
 * serves no crossdomain.xml, and since Flash 10 only that master file could grant any)
 * and X-DNS-Prefetch-Control: off (browsers prefetch a page's link hosts only on plain
 * HTTP unless a page asks for it; every answer here is HTTPS, HSTS on each, and the
 * pages load nothing from other hosts, their CSP says so).
 */
const DOCUMENT_HEADERS: [string, string][] = [
	["Cross-Origin-Opener-Policy", "same-origin"],
	// The browsers' own default since 2021, said for older ones; only a document has links
	// or loads to send a referrer with (a JSON answer or a badge has neither).
	["Referrer-Policy", "strict-origin-when-cross-origin"],
	["Origin-Agent-Cluster", "?1"],
];

/**
 * Every response is unframeable unless its route sets its own policy (only the
 * embed card allows `frame-ancestors *`). Runs after the route, so routes win.
 * X-Frame-Options only where the policy has no `frame-ancestors` (an attachment's
 * sandbox): every browser that knows CSP level 2 ignores it beside `frame-ancestors`,
 * which obsoletes it, and each header costs every answer, the hot ones included.
 */
export const defaultFraming = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const headers = c.res.headers;
	const csp = headers.get("Content-Security-Policy");
	if (!csp) headers.set("Content-Security-Policy", STRICT_CSP);
	else if (!csp.includes("frame-ancestors")) headers.set("X-Frame-Options", "DENY");
	if (headers.get("Content-Type")?.startsWith("text/html")) {
		for (const [name, value] of DOCUMENT_HEADERS) headers.set(name, value);
	}
});
