import type { Context } from "hono";

/** Public data: short freshness, then served stale while the edge revalidates. */
const PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300";

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
	options: { cacheControl?: string; status?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
	const etag = await etagOf(body);
	const headers = new Headers(options.headers);
	headers.set("ETag", etag);
	headers.set("Cache-Control", options.cacheControl ?? PUBLIC_CACHE);
	// Keep what the caller varies on (a page's Accept-Language, Cookie) and add the encoding.
	const vary = headers.get("Vary");
	headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
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
	cacheControl = PUBLIC_CACHE,
	extra: Record<string, string> = {},
): Promise<Response> {
	return new Response(body, {
		headers: {
			...extra,
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

/** Embeds and claim JSON refresh within minutes: browsers 1 min, the edge 10 min (the commands layer clears them on every verdict change). */
export const EMBED_CACHE = "public, max-age=60, s-maxage=600, stale-while-revalidate=300";
