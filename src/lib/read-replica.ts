import { createMiddleware } from "hono/factory";
import { type AppEnv, createDb, executionContext, lazyDb } from "../factory";
import { isHotPath } from "./hot-cache";
import { workersCacheOf } from "./workers-caching";

const BOOKMARK_HEADER = "X-D1-Bookmark";

/**
 * Where a read without a valid bookmark starts: a replica may lag the primary, so an
 * answer that is stored for every reader must come from the primary, or a replica that
 * has not yet seen the write that purged would put the old answer back for its whole
 * lifetime. Under Workers Caching every public GET runs only on a miss and is stored in
 * front of the Worker; without it, the isolate's memory and the Cache API layer keep a
 * claim's JSON (lib/hot-cache, lib/edge-cache) — the other answers read here are kept by
 * each reader's browser only, and a replica will do for them.
 */
export function sessionStart(
	bookmark: string | undefined,
	storedForEveryone: boolean,
): D1SessionConstraint | D1SessionBookmark {
	if (bookmark && /^[\w-]{1,200}$/.test(bookmark)) return bookmark;
	return storedForEveryone ? "first-primary" : "first-unconstrained";
}

/**
 * Reads through the D1 Sessions API, so they may be served by a read replica. A client
 * that sends back the bookmark of its last write reads its own writes; without one, any
 * replica will do unless the answer is stored for everyone (`sessionStart`).
 */
export const readReplica = createMiddleware<AppEnv>(async (c, next) => {
	// Writes keep the primary (the plain binding): only reads may be served by a replica.
	if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
	const storedForEveryone = workersCacheOf(executionContext(c)) !== null || isHotPath(c.req.path);
	const start = sessionStart(c.req.header(BOOKMARK_HEADER), storedForEveryone);
	let session: D1DatabaseSession | undefined;
	c.set(
		"db",
		lazyDb(() => {
			session = c.env.DB.withSession(start);
			return createDb(session);
		}),
	);
	await next();
	const latest = session?.getBookmark();
	if (latest) c.header(BOOKMARK_HEADER, latest);
});
