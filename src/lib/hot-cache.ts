/**
 * The hottest embeds — a badge or card on a page that went viral — are answered
 * before routing, from the isolate's memory, with the exact bytes and headers the
 * full app produced seconds earlier (fresh request id, 304 on a matching ETag).
 * Only GET badges and cards without a label override qualify; a purge of the claim
 * drops them (`forgetHotClaim`), and they live at most MEMORY_TTL_MS anyway.
 */

/** Isolates other than the one that purged keep a copy at most this long. */
export const MEMORY_TTL_MS = 10_000;

interface HotEntry {
	body: ArrayBuffer;
	status: number;
	headers: [string, string][];
	etag: string | null;
	expires: number;
}

const entries = new Map<string, HotEntry>();
const keysByClaim = new Map<string, Set<string>>();
const MAX_ENTRIES = 1_000;

const HOT_PATH = /^\/(?:badges\/([0-9a-z]{14})\.svg|embed\/([0-9a-z]{14}))$/;

function hotKey(request: Request): { key: string; claimId: string } | null {
	if (request.method !== "GET") return null;
	const url = new URL(request.url);
	const match = HOT_PATH.exec(url.pathname);
	const claimId = match?.[1] ?? match?.[2];
	if (!claimId || url.searchParams.has("label")) return null;
	return { key: `${url.pathname}?${url.searchParams.toString()}`, claimId };
}

function serve(entry: HotEntry, request: Request): Response {
	const headers = new Headers(entry.headers);
	headers.set("X-Request-Id", crypto.randomUUID());
	headers.set("X-Edge-Cache", "HIT-HOT");
	const ifNoneMatch = request.headers.get("If-None-Match");
	if (entry.etag && ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === entry.etag)) {
		headers.delete("Content-Type");
		return new Response(null, { status: 304, headers });
	}
	return new Response(entry.body, { status: entry.status, headers });
}

export function withHotCache<E>(
	handler: (request: Request, env: E, ctx: ExecutionContext) => Response | Promise<Response>,
) {
	return async (request: Request, env: E, ctx: ExecutionContext): Promise<Response> => {
		const hot = hotKey(request);
		if (!hot) return handler(request, env, ctx);
		const entry = entries.get(hot.key);
		if (entry && entry.expires > Date.now() && !request.headers.has("X-D1-Bookmark"))
			return serve(entry, request);
		const response = await handler(request, env, ctx);
		if (response.status === 200 && response.headers.get("X-Edge-Cache") !== null) {
			if (entries.size >= MAX_ENTRIES) entries.clear();
			const copy = response.clone();
			entries.set(hot.key, {
				body: await copy.arrayBuffer(),
				status: 200,
				headers: [...response.headers.entries()].filter(([name]) => name !== "x-request-id"),
				etag: response.headers.get("ETag"),
				expires: Date.now() + MEMORY_TTL_MS,
			});
			const keys = keysByClaim.get(hot.claimId) ?? new Set<string>();
			keys.add(hot.key);
			keysByClaim.set(hot.claimId, keys);
		}
		return response;
	};
}

export function forgetHotClaim(claimId: string): void {
	for (const key of keysByClaim.get(claimId) ?? []) entries.delete(key);
	keysByClaim.delete(claimId);
}
