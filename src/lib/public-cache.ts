import { purgeClaimCaches } from "./edge-cache";
import { forgetHotClaim } from "./hot-cache";
import { purgeWorkersCache, type RequestContext, workersCacheOf } from "./workers-caching";

/**
 * The one interface the commands layer purges through. In production Workers Caching
 * (`[cache] enabled` in wrangler.toml) stores public answers in front of the Worker, and
 * `ctx.cache.purge({ tags })` removes them in every data centre (Instant Purge). Where
 * `ctx.cache` is undefined — `wrangler dev`, the vitest pool, Workers without the cache —
 * the fallback clears what this isolate and this data centre keep (hot-cache, the Cache
 * API layer in edge-cache). Both forget this isolate's hot copies.
 */
export interface PublicCache {
	/** Makes every cached answer carrying one of these tags stale. */
	purge(tags: readonly string[]): Promise<void>;
}

function forgetInIsolate(tags: readonly string[]): void {
	for (const tag of tags) if (tag.startsWith("claim-")) forgetHotClaim(tag.slice("claim-".length));
}

export function publicCacheFor(ctx: RequestContext | undefined): PublicCache {
	const workersCache = workersCacheOf(ctx);
	return {
		async purge(tags) {
			if (tags.length === 0) return;
			forgetInIsolate(tags);
			if (workersCache) return purgeWorkersCache(workersCache, tags);
			const claimIds = tags.filter((t) => t.startsWith("claim-")).map((t) => t.slice("claim-".length));
			await Promise.all(claimIds.map((id) => purgeClaimCaches(id)));
		},
	};
}

/** The public Worker's RPC method the desk Worker purges through (src/index.ts). */
interface CacheOwner {
	purge(tags: string[]): Promise<void>;
}

/**
 * The handle the desk Worker's commands and queue consumers purge through. Workers
 * Caching is per Worker — and per entrypoint — so only the public Worker can purge what
 * stands in front of it: the desk Worker asks it over the `PUBLIC` service binding (an
 * RPC call, which Workers Caching never answers from cache). Without the binding (a
 * script running the app alone) this isolate's own layers are purged.
 */
export function publicCacheOf(env: { PUBLIC?: unknown }, ctx: RequestContext | undefined): PublicCache {
	// A service binding answers any property as an RPC method: its presence is the test.
	const owner = env.PUBLIC as CacheOwner | undefined;
	if (!owner) return publicCacheFor(ctx);
	return {
		async purge(tags) {
			if (tags.length > 0) await owner.purge([...tags]);
		},
	};
}
