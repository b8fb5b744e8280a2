import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/** CSP for JSON, problems and anything that sets none: nothing may load or frame it. */
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Every response is unframeable unless its route sets its own policy (only the
 * embed card allows `frame-ancestors *`). Runs after the route, so routes win.
 */
export const defaultFraming = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const csp = c.res.headers.get("Content-Security-Policy");
	if (!csp) c.res.headers.set("Content-Security-Policy", STRICT_CSP);
	if (!csp?.includes("frame-ancestors *")) c.res.headers.set("X-Frame-Options", "DENY");
});
