import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { PatternRouter } from "hono/router/pattern-router";
import type { AppEnv } from "../factory";
import { allowsCors, declaredRoutes } from "./route-declaration";

const corsForReads = cors({
	origin: "*",
	allowMethods: ["GET", "HEAD", "OPTIONS"],
	// Retry-After: a partner's page backing off a 429 or a 503 must be able to read it.
	exposeHeaders: ["ETag", "X-D1-Bookmark", "X-Request-Id", "Retry-After"],
	maxAge: 86400,
});

let readable: PatternRouter<true> | undefined;

/** Does a public route that other sites may read (its declaration says `cors`) serve GET at this path? */
function isCorsRead(path: string): boolean {
	if (!readable) {
		readable = new PatternRouter<true>();
		for (const route of declaredRoutes()) if (allowsCors(route)) readable.add("GET", route.path, true);
	}
	return readable.match("GET", path)[0].length > 0;
}

/**
 * CORS for public reads only, decided by the route declarations: a GET (or its
 * preflight) of a route declared `cors` gets `Access-Control-Allow-Origin: *`; writes,
 * the desk and pages get no CORS headers, and a preflight for any other method is not
 * answered here (it falls through to 404/405 without CORS headers).
 */
export const publicCors = createMiddleware<AppEnv>(async (c, next) => {
	const method = c.req.method;
	const preflightOfRead =
		method === "OPTIONS" && ["GET", "HEAD"].includes(c.req.header("Access-Control-Request-Method") ?? "");
	if ((method === "GET" || method === "HEAD" || preflightOfRead) && isCorsRead(c.req.path)) {
		return corsForReads(c, next);
	}
	await next();
});
