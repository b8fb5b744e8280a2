import { createMiddleware } from "hono/factory";
import { SESSION_COOKIE_HEADER_NAME } from "../auth/session";
import type { AppEnv } from "../factory";

const PRIVATE = "private, no-store";
const SHARED_ONLY = ["Cache-Tag", "Cloudflare-CDN-Cache-Control", "CDN-Cache-Control"];
/** What names one request or one client's D1 session (lib/request-id, lib/read-replica). */
const REQUEST_ONLY = ["X-Request-Id", "X-D1-Bookmark"];

/**
 * Is the answer to this request this client's alone: it carries a desk session or an API
 * token, or pins its own D1 session with a bookmark (lib/read-replica). A bookmarked read
 * may come from a replica that has not seen another writer's purging write; stored for
 * everyone, it would bring the old answer back until the edge lifetime ends.
 */
export function isPersonal(request: Request): boolean {
	const headers = request.headers;
	return (
		headers.has("Authorization") ||
		headers.has("X-D1-Bookmark") ||
		(headers.get("Cookie") ?? "").includes(`${SESSION_COOKIE_HEADER_NAME}=`)
	);
}

/**
 * The last word on caching, for every answer the app makes. Workers Caching stores what
 * its headers allow, before the Worker ever runs again, so the rule is enforced here and
 * not left to each route: a write, an answer to a session or a token, and an answer
 * setting a cookie are `private, no-store` with no cache tags; an answer without
 * `Cache-Control` gets `no-store` (Cloudflare would otherwise keep a 200 for two hours);
 * a shared answer carries no request id and no D1 bookmark.
 */
export const cachePolicy = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const method = c.req.method;
	const headers = c.res.headers;
	const personal =
		(method !== "GET" && method !== "HEAD") || isPersonal(c.req.raw) || headers.has("Set-Cookie");
	if (personal) {
		const current = headers.get("Cache-Control") ?? "";
		if (!/\bno-store\b/.test(current) || /\bpublic\b/.test(current)) headers.set("Cache-Control", PRIVATE);
		for (const name of SHARED_ONLY) headers.delete(name);
		return;
	}
	if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
	// A negotiated or private answer is never stored in front of the Worker: no tags either.
	if (/\b(private|no-store)\b/.test(headers.get("Cache-Control") ?? "")) {
		for (const name of SHARED_ONLY) headers.delete(name);
		return;
	}
	// A shared answer is every reader's copy: the id of the request that built it would send
	// support to someone else's log line, and its D1 bookmark is no reader's own session.
	for (const name of REQUEST_ONLY) headers.delete(name);
});
