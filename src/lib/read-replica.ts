import { createMiddleware } from "hono/factory";
import { type AppEnv, createDb, executionContext, lazyDb } from "../factory";
import { workersCacheOf } from "./workers-caching";

const BOOKMARK_HEADER = "X-D1-Bookmark";

/**
 * Reads through the D1 Sessions API, so they may be served by a read replica.
 * A client that sends back the bookmark of its last write reads its own writes;
 * without one, any replica will do — except under Workers Caching: there the Worker runs
 * only on a cache miss, and what it answers is stored for every reader until the next
 * purge, so a replica that has not yet seen the write that purged would put the old
 * answer back for the whole edge lifetime. Misses read the primary ("first-primary").
 */
export const readReplica = createMiddleware<AppEnv>(async (c, next) => {
	// Writes keep the primary (the plain binding): only reads may be served by a replica.
	if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
	const bookmark = c.req.header(BOOKMARK_HEADER);
	const fallback = workersCacheOf(executionContext(c)) ? "first-primary" : "first-unconstrained";
	const valid = bookmark && /^[\w-]{1,200}$/.test(bookmark) ? bookmark : fallback;
	let session: D1DatabaseSession | undefined;
	c.set(
		"db",
		lazyDb(() => {
			session = c.env.DB.withSession(valid);
			return createDb(session);
		}),
	);
	await next();
	const latest = session?.getBookmark();
	if (latest) c.header(BOOKMARK_HEADER, latest);
});
