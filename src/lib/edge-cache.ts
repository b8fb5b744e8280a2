import { BADGE_STYLES } from "../domain/badge";
import { CARD_THEMES, type CardTheme } from "../domain/embed-options";
import { forgetHotClaim, MEMORY_TTL_MS } from "./hot-cache";

/**
 * Caching of badges, embed cards and claim JSON in three layers:
 *  1. the hottest badges and cards answered before routing (lib/hot-cache, index.ts);
 *  2. the isolate's memory, for a few seconds (a viral badge is served without any I/O);
 *  3. the Cache API at the edge, for minutes, purged by the commands layer whenever a
 *     claim's public answers change (`purgeClaimCaches`, commands/side-effects).
 * Keys are canonical (badge: style × language; card: language × theme; nothing else, so a
 * cache-busting `v` or any unknown parameter never makes a new entry), and a purge can
 * name every variant.
 */

const CACHE_HOST = "https://edge-cache.claimtrack.internal";
const LANGS = ["auto", "en", "de"] as const;
export type CacheLang = (typeof LANGS)[number];

const MEMORY_MAX_ENTRIES = 2_000;

interface MemoryEntry {
	body: ArrayBuffer;
	status: number;
	headers: [string, string][];
	expires: number;
}
const memory = new Map<string, MemoryEntry>();

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

function edgeCache(): Cache | null {
	// `caches.default` is the Workers runtime's; scripts type-check this file against Node's DOM lib.
	return typeof caches === "undefined" ? null : (caches as unknown as { default: Cache }).default;
}

function fromMemory(key: string): Response | null {
	const entry = memory.get(key);
	if (!entry) return null;
	if (entry.expires < Date.now()) {
		memory.delete(key);
		return null;
	}
	const response = new Response(entry.body, { status: entry.status, headers: entry.headers });
	response.headers.set("X-Edge-Cache", "HIT-MEMORY");
	return response;
}

async function remember(key: string, response: Response): Promise<void> {
	if (memory.size >= MEMORY_MAX_ENTRIES) {
		// Map keeps insertion order: drop the oldest tenth.
		for (const old of [...memory.keys()].slice(0, MEMORY_MAX_ENTRIES / 10)) memory.delete(old);
	}
	memory.set(key, {
		body: await response.arrayBuffer(),
		status: response.status,
		headers: [...response.headers.entries()].filter(([name]) => name !== "x-edge-cache"),
		expires: Date.now() + MEMORY_TTL_MS,
	});
}

/** Serves from memory or the edge cache, or builds, stores (200s only) and serves. */
export async function withEdgeCache(
	key: string | null,
	waitUntil: (promise: Promise<unknown>) => void,
	build: () => Promise<Response>,
): Promise<Response> {
	if (!key) return build();
	const hot = fromMemory(key);
	if (hot) return hot;
	const cache = edgeCache();
	if (cache) {
		const hit = await cache.match(key);
		if (hit) {
			await remember(key, hit.clone());
			// Cached responses have immutable headers; copy so later middleware may add some.
			const response = new Response(hit.body, hit);
			response.headers.set("X-Edge-Cache", "HIT");
			return response;
		}
	}
	const response = await build();
	if (response.status === 200) {
		await remember(key, response.clone());
		if (cache) waitUntil(cache.put(key, response.clone()));
		response.headers.set("X-Edge-Cache", "MISS");
	}
	return response;
}

/** Removes every cached badge, card and claim JSON of a claim; returns how many edge entries existed. */
export async function purgeClaimCaches(claimId: string): Promise<number> {
	const keys = claimCacheKeys(claimId);
	for (const key of keys) memory.delete(key);
	forgetHotClaim(claimId);
	const cache = edgeCache();
	if (!cache) return 0;
	const deleted = await Promise.all(keys.map((key) => cache.delete(key)));
	return deleted.filter(Boolean).length;
}
