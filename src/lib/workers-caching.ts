/**
 * Workers Caching (`[cache] enabled` in wrangler.toml): Cloudflare stores public answers
 * in front of the Worker by their Cache-Control and Cache-Tag headers, and
 * `ctx.cache.purge` removes them globally. `wrangler dev` and the vitest pool do not
 * emulate it (`ctx.cache` is undefined there): callers feature-detect it here.
 */

/** One purge request holds at most 100 operations (Cloudflare's purge limits, all plans). */
export const MAX_TAGS_PER_PURGE = 100;
/**
 * A purge's tag standing for every answer: what a write that changes everything (a backup
 * restored) purges. It travels like any tag (the purge header, the desk's purge request, the
 * queue's `purgeAgain`); no answer is tagged with it (domain/cache-tags names those).
 */
export const EVERYTHING_TAG = "*";
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

/**
 * A global purge by tag; a large write (an import batch) purges everything in one
 * operation instead of spending the purge rate limit, and so does EVERYTHING_TAG. A failure (rate-limited, or the
 * call itself failing) is thrown at once: it is not retried here, in a request's
 * background, but from the evidence archive's queue (lib/public-cache `retriedLater`).
 */
export async function purgeWorkersCache(cache: CacheContext, tags: readonly string[]): Promise<void> {
	const options: PurgeOptions =
		tags.length > MAX_TAGS_PER_PURGE || tags.includes(EVERYTHING_TAG)
			? { purgeEverything: true }
			: { tags: [...tags] };
	const result = await cache.purge(options);
	if (!result.success) {
		throw new Error(
			`cache purge failed (${result.errors.map((e) => `${e.code} ${e.message}`).join("; ")}): ${tags.join(",")}`,
		);
	}
}
