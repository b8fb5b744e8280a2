/**
 * Workers Caching (`[cache] enabled` in wrangler.toml): Cloudflare stores public answers
 * in front of the Worker by their Cache-Control and Cache-Tag headers, and
 * `ctx.cache.purge` removes them globally. `wrangler dev` and the vitest pool do not
 * emulate it (`ctx.cache` is undefined there): callers feature-detect it here.
 */

/** One purge request holds at most 100 operations (Cloudflare's purge limits, all plans). */
export const MAX_TAGS_PER_PURGE = 100;
/** A rate-limited purge (`success: false`) is tried once more after this wait. */
const RETRY_AFTER_MS = 10_000;

/** `ctx.cache` as @cloudflare/workers-types has it, spelt out for the Node-typed scripts too. */
export interface PurgeOptions {
	tags?: string[];
	pathPrefixes?: string[];
	purgeEverything?: boolean;
}
interface PurgeResult {
	success: boolean;
	errors: { code: number; message: string }[];
}
export interface CacheContext {
	purge(options: PurgeOptions): Promise<PurgeResult>;
}

/** What the app uses of a Worker's ExecutionContext (Hono's own type lacks `cache`). */
export interface RequestContext {
	waitUntil(promise: Promise<unknown>): void;
	cache?: CacheContext;
}

/** Workers Caching's purge handle when this Worker runs with it (feature detection). */
export function workersCacheOf(ctx: RequestContext | undefined): CacheContext | null {
	const cache = ctx?.cache;
	return cache && typeof cache.purge === "function" ? cache : null;
}

async function purgeOnce(cache: CacheContext, options: PurgeOptions): Promise<PurgeResult> {
	try {
		return await cache.purge(options);
	} catch (error) {
		return { success: false, errors: [{ code: 0, message: String(error) }] };
	}
}

/**
 * A global purge by tag; a large write (an import batch) purges everything in one
 * operation instead of spending the purge rate limit. A failure is retried once, then
 * thrown: the answers stay stale until their edge lifetime ends (README, "Caching").
 */
export async function purgeWorkersCache(
	cache: CacheContext,
	tags: readonly string[],
	retryAfterMs = RETRY_AFTER_MS,
): Promise<void> {
	const options: PurgeOptions =
		tags.length > MAX_TAGS_PER_PURGE ? { purgeEverything: true } : { tags: [...tags] };
	let result = await purgeOnce(cache, options);
	if (result.success) return;
	console.error(JSON.stringify({ event: "cache-purge-failed", attempt: 1, tags, errors: result.errors }));
	await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
	result = await purgeOnce(cache, options);
	if (!result.success) {
		throw new Error(
			`cache purge failed twice (${result.errors.map((e) => `${e.code} ${e.message}`).join("; ")}): ${tags.join(",")}`,
		);
	}
}
