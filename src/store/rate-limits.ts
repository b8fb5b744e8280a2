import { eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "../db/schema";
import type { Db } from "../factory";

export interface WindowCount {
	count: number;
	/** When the current window ends, seconds since the epoch. */
	resetAt: number;
}

/**
 * Counts one hit in the fixed window `now` falls into and returns the count so far.
 * One upsert statement, so concurrent hits never lose a count.
 */
export async function hitRateLimit(
	db: Db,
	key: string,
	windowSeconds: number,
	nowSeconds = Math.floor(Date.now() / 1000),
): Promise<WindowCount> {
	const windowStart = nowSeconds - (nowSeconds % windowSeconds);
	const [row] = await db
		.insert(rateLimits)
		.values({ key, windowStart, count: 1 })
		.onConflictDoUpdate({
			target: rateLimits.key,
			// SQLite evaluates every SET expression against the old row.
			set: {
				count: sql`CASE WHEN ${rateLimits.windowStart} = excluded.window_start THEN ${rateLimits.count} + 1 ELSE 1 END`,
				windowStart: sql`excluded.window_start`,
			},
		})
		.returning({ count: rateLimits.count });
	return { count: row?.count ?? 1, resetAt: windowStart + windowSeconds };
}

/** The count of the window `now` falls into, without counting a hit. */
export async function peekRateLimit(
	db: Db,
	key: string,
	windowSeconds: number,
	nowSeconds = Math.floor(Date.now() / 1000),
): Promise<WindowCount> {
	const windowStart = nowSeconds - (nowSeconds % windowSeconds);
	const row = await db.query.rateLimits.findFirst({ where: eq(rateLimits.key, key) });
	return {
		count: row && row.windowStart === windowStart ? row.count : 0,
		resetAt: windowStart + windowSeconds,
	};
}

/** Forgets a key's count (a successful login clears its account's failures). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
	await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Drops counters of windows long past. */
export async function purgeRateLimits(db: Db, olderThanSeconds: number): Promise<void> {
	await db.delete(rateLimits).where(lt(rateLimits.windowStart, olderThanSeconds));
}
