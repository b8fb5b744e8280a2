import type { Context } from "hono";
import { cacheTagHeader } from "../domain/cache-tags";

/**
 * Freshness of public answers, in two headers. `Cache-Control` is for browsers (and the
 * Cache API layer locally); `Cloudflare-CDN-Cache-Control` is what Workers Caching reads
 * first and strips before the answer leaves Cloudflare. At the edge an answer may live
 * long because every write purges its tags (commands/events); the edge lifetime is the
 * bound only when a purge fails. No `s-maxage` anywhere: it would switch off
 * stale-while-revalidate at the edge.
 */
const EDGE_CACHE = "max-age=600, stale-while-revalidate=60, stale-if-error=86400";

/**
 * What the edge keeps for a minute at most: an answer that also depends on something no
 * purge follows (the semantic index, which Vectorize updates in the background).
 */
export const SHORT_EDGE_CACHE = "max-age=60, stale-if-error=86400";

/** Lists and searches: browsers keep them a minute. */
const PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=60";

/** The headers that name what an answer shows and how long the edge may keep it. */
export function publicCacheHeaders(tags: readonly string[], edge = EDGE_CACHE): Record<string, string> {
	// An answer naming nothing (a page that changes only with a deployment) sends no empty tag list.
	return tags.length > 0
		? { "Cache-Tag": cacheTagHeader(tags), "Cloudflare-CDN-Cache-Control": edge }
		: { "Cloudflare-CDN-Cache-Control": edge };
}

/** A strong ETag from the body's SHA-256 (first 128 bits, base64url). */
export async function etagOf(body: string | ArrayBuffer | Uint8Array): Promise<string> {
	const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	let binary = "";
	for (const byte of digest.subarray(0, 16)) binary += String.fromCharCode(byte);
	return `"${btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}"`;
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
	if (!header) return false;
	if (header.trim() === "*") return true;
	const weakless = (tag: string) => tag.trim().replace(/^W\//, "");
	return header.split(",").some((tag) => weakless(tag) === weakless(etag));
}

/**
 * Sends a public body with ETag and Cache-Control, or 304 when the client's copy
 * is current. The ETag covers the exact bytes sent.
 */
export async function sendCached(
	c: Context,
	body: string,
	contentType: string,
	options: {
		cacheControl?: string;
		status?: number;
		headers?: Record<string, string>;
		/** What the answer shows (domain/cache-tags): shared caches keep it until a write purges one. */
		tags?: readonly string[];
		/** The edge's lifetime, when not the default (`Cloudflare-CDN-Cache-Control`). */
		edge?: string;
	} = {},
): Promise<Response> {
	const etag = await etagOf(body);
	const headers = new Headers({
		...options.headers,
		...(options.tags ? publicCacheHeaders(options.tags, options.edge) : {}),
	});
	headers.set("ETag", etag);
	headers.set("Cache-Control", options.cacheControl ?? PUBLIC_CACHE);
	// No `Vary: Accept-Encoding`: the Worker's bytes never depend on it (Cloudflare compresses
	// after its cache), and Workers Caching would keep one copy per distinct header value.
	if (matchesIfNoneMatch(c.req.header("If-None-Match"), etag)) {
		return new Response(null, { status: 304, headers });
	}
	headers.set("Content-Type", contentType);
	return new Response(body, { status: options.status ?? 200, headers });
}

/** A full 200 response with ETag and caching headers (what the edge cache stores). */
export async function cacheableResponse(
	body: string,
	contentType: string,
	cacheControl: string,
	tags: readonly string[],
	extra: Record<string, string> = {},
): Promise<Response> {
	return new Response(body, {
		headers: {
			...extra,
			...publicCacheHeaders(tags),
			"Content-Type": contentType,
			"Cache-Control": cacheControl,
			ETag: await etagOf(body),
		},
	});
}

/** Turns a cached 200 into a 304 when the client's ETag matches. */
export function conditional(c: Context, response: Response): Response {
	const etag = response.headers.get("ETag");
	if (response.status === 200 && etag && matchesIfNoneMatch(c.req.header("If-None-Match"), etag)) {
		const headers = new Headers(response.headers);
		headers.delete("Content-Length");
		headers.delete("Content-Type");
		return new Response(null, { status: 304, headers });
	}
	return response;
}

export function sendJson(c: Context, data: unknown, options?: Parameters<typeof sendCached>[3]) {
	return sendCached(c, JSON.stringify(data), "application/json; charset=utf-8", options);
}

/** Badges, cards, oEmbed and claim JSON: browsers keep them a minute (the edge: EDGE_CACHE, purged on change). */
export const EMBED_CACHE = "public, max-age=60, stale-while-revalidate=60";
