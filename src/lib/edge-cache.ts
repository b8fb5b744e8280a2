import { BADGE_STYLES } from "../domain/badge";

/**
 * Edge caching of badges and embed cards through the Cache API. Keys are canonical
 * (style × language, nothing else), so that publishing, correcting or retracting a
 * verdict can purge every variant of a claim: `purgeClaimCaches`.
 */

const CACHE_HOST = "https://edge-cache.claimtrack.internal";
const LANGS = ["auto", "en", "de"] as const;
export type CacheLang = (typeof LANGS)[number];

export function badgeCacheKey(claimId: string, style: string, lang: CacheLang): string {
	return `${CACHE_HOST}/badges/${claimId}?style=${style}&lang=${lang}`;
}

export function embedCacheKey(claimId: string, lang: CacheLang): string {
	return `${CACHE_HOST}/embed/${claimId}?lang=${lang}`;
}

export function claimCacheKeys(claimId: string): string[] {
	return [
		...BADGE_STYLES.flatMap((style) => LANGS.map((lang) => badgeCacheKey(claimId, style, lang))),
		...LANGS.map((lang) => embedCacheKey(claimId, lang)),
	];
}

function edgeCache(): Cache | null {
	return typeof caches === "undefined" ? null : caches.default;
}

/** Serves from the edge cache, or builds, stores (when cacheable) and serves. */
export async function withEdgeCache(
	key: string | null,
	waitUntil: (promise: Promise<unknown>) => void,
	build: () => Promise<Response>,
): Promise<Response> {
	const cache = edgeCache();
	if (key && cache) {
		const hit = await cache.match(key);
		if (hit) {
			// Cached responses have immutable headers; copy so later middleware may add some.
			const response = new Response(hit.body, hit);
			response.headers.set("X-Edge-Cache", "HIT");
			return response;
		}
	}
	const response = await build();
	if (key && cache && response.status === 200) {
		waitUntil(cache.put(key, response.clone()));
		response.headers.set("X-Edge-Cache", "MISS");
	}
	return response;
}

/** Removes every cached badge and card of a claim; returns how many entries existed. */
export async function purgeClaimCaches(claimId: string): Promise<number> {
	const cache = edgeCache();
	if (!cache) return 0;
	const deleted = await Promise.all(claimCacheKeys(claimId).map((key) => cache.delete(key)));
	return deleted.filter(Boolean).length;
}
