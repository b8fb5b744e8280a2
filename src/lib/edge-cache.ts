import { BADGE_STYLES } from "../domain/badge";
import { CARD_THEMES, type CardTheme } from "../domain/embed-options";
import { type RequestContext, workersCacheOf } from "./workers-caching";

/**
 * The Cache API layer for badges, embed cards and claim JSON, for Workers that run
 * without Workers Caching (`wrangler dev`, tests, a deployment with `[cache]` off).
 * With Workers Caching on, this layer is skipped: `cache.delete` clears one data centre
 * only, so an entry kept here could outlive a global purge and be stored again in front
 * of the Worker. In front of both sits lib/hot-cache (the isolate's memory, seconds).
 * Keys are canonical (badge: style × language; card: language × theme; nothing else, so
 * a cache-busting `v` or any unknown parameter never makes a new entry), and a purge
 * names every variant.
 */

const CACHE_HOST = "https://edge-cache.claimtrack.internal";
const LANGS = ["auto", "en", "de"] as const;
export type CacheLang = (typeof LANGS)[number];

export function badgeCacheKey(claimId: string, style: string, lang: CacheLang): string {
	return `${CACHE_HOST}/badges/${claimId}?style=${style}&lang=${lang}`;
}

export function embedCacheKey(claimId: string, lang: CacheLang, theme: CardTheme): string {
	return `${CACHE_HOST}/embed/${claimId}?lang=${lang}&theme=${theme}`;
}

export function claimJsonCacheKey(claimId: string, lang: "en" | "de"): string {
	return `${CACHE_HOST}/api/v1/claims/${claimId}?lang=${lang}`;
}

export function claimCacheKeys(claimId: string): string[] {
	return [
		...BADGE_STYLES.flatMap((style) => LANGS.map((lang) => badgeCacheKey(claimId, style, lang))),
		...LANGS.flatMap((lang) => CARD_THEMES.map((theme) => embedCacheKey(claimId, lang, theme))),
		claimJsonCacheKey(claimId, "en"),
		claimJsonCacheKey(claimId, "de"),
	];
}

function cacheApi(): Cache | null {
	// `caches.default` is the Workers runtime's; scripts type-check this file against Node's DOM lib.
	return typeof caches === "undefined" ? null : (caches as unknown as { default: Cache }).default;
}

/** Serves from the Cache API or builds, stores (200s only) and serves. */
export async function withEdgeCache(
	key: string | null,
	ctx: RequestContext | undefined,
	build: () => Promise<Response>,
): Promise<Response> {
	const cache = key && ctx && !workersCacheOf(ctx) ? cacheApi() : null;
	if (!key || !ctx || !cache) return build();
	const hit = await cache.match(key);
	if (hit) {
		// Cached responses have immutable headers; copy so later middleware may add some.
		const response = new Response(hit.body, hit);
		response.headers.set("X-Edge-Cache", "HIT");
		return response;
	}
	const response = await build();
	if (response.status === 200) {
		ctx.waitUntil(cache.put(key, response.clone()));
		response.headers.set("X-Edge-Cache", "MISS");
	}
	return response;
}

/** Removes every cached badge, card and claim JSON of a claim; returns how many entries existed. */
export async function purgeClaimCaches(claimId: string): Promise<number> {
	const cache = cacheApi();
	if (!cache) return 0;
	const deleted = await Promise.all(claimCacheKeys(claimId).map((key) => cache.delete(key)));
	return deleted.filter(Boolean).length;
}
