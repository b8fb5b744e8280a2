import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import deskWorker from "../../src/desk-worker";
import { DESK_CALLER_PROPS } from "../../src/lib/desk-caller";
import { type PublicCache, type PurgeQueue, publicCacheFor } from "../../src/lib/public-cache";
import type { PurgeOptions } from "../../src/lib/workers-caching";
import { servePublic } from "../../src/public-worker";
import { BASE, freshIp } from "../helpers";

/**
 * Workers Caching as a test double (neither `wrangler dev` nor the vitest pool has it):
 * the public Worker runs with a `ctx.cache` that records purges, and the desk Worker
 * behind its DESK binding purges through its PUBLIC binding, a POST the public Worker knows
 * by the binding's props (lib/public-cache `answerDeskPurge`), as in production. With `store`, the double also keeps what
 * the answers' headers let Cloudflare keep, by path and query, and serves it until a
 * purge names one of its tags: what a reader in front of the Worker would see.
 */
export interface EdgeDouble {
	purges: PurgeOptions[];
	/** A request through the edge. */
	fetch(path: string, init?: RequestInit): Promise<Response>;
	/** The public Worker's answer now: past the edge and the isolate's copies (a pinned read is private). */
	fresh(path: string): Promise<Response>;
	/** Does the edge hold a copy of this path (with `store`)? */
	keeps(path: string): boolean;
	/** The public Worker's purge handle, for writers outside a request (queue consumers). */
	cache: PublicCache;
}

interface Stored {
	body: ArrayBuffer;
	init: ResponseInit;
	tags: string[];
}

/**
 * What Cloudflare may keep: an answer to a GET that is neither private nor no-store, with a
 * lifetime, whatever its status (a public 404, such as a hidden claim's badge, is kept too).
 */
function storable(method: string, response: Response): boolean {
	const cacheControl = response.headers.get("Cache-Control") ?? "";
	if (method !== "GET" || /\b(private|no-store)\b/.test(cacheControl)) return false;
	const maxAge = Number(/\bmax-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
	return response.headers.has("Cloudflare-CDN-Cache-Control") || maxAge > 0;
}

/**
 * `refusePurges`: every purge is refused as a rate-limited one is (`success: false`);
 * `purgeQueue`: both Workers' SNAPSHOT_QUEUE, where a failed purge goes to be made again.
 */
export function edgeDouble(
	options: { store?: boolean; refusePurges?: boolean; purgeQueue?: PurgeQueue } = {},
): EdgeDouble {
	const purges: PurgeOptions[] = [];
	const stored = new Map<string, Stored>();
	const purge = (purge: PurgeOptions) => {
		purges.push(purge);
		for (const [key, entry] of stored) {
			if (purge.purgeEverything || entry.tags.some((tag) => purge.tags?.includes(tag))) stored.delete(key);
		}
	};
	/** The public Worker's context as in production: with Workers Caching's purge handle. */
	const workersCachingContext = (real = createExecutionContext()) => ({
		waitUntil: (promise: Promise<unknown>) => real.waitUntil(promise),
		passThroughOnException: () => real.passThroughOnException(),
		props: {},
		cache: {
			async purge(purgeOptions: PurgeOptions) {
				if (options.refusePurges) return { success: false, errors: [{ code: 429, message: "rate limited" }] };
				purge(purgeOptions);
				return { success: true, errors: [] };
			},
		},
	});
	const run = async (path: string, init?: RequestInit) => {
		const real = createExecutionContext();
		const publicCtx = workersCachingContext(real);
		const queue = options.purgeQueue ? { SNAPSHOT_QUEUE: options.purgeQueue } : {};
		// The desk Worker's PUBLIC binding: its purges reach the public Worker's handler, with
		// the binding's props, and are made with this context's Workers Caching double.
		const publicBinding = {
			fetch: (input: RequestInfo | URL, init?: RequestInit) =>
				servePublic(
					new Request(input, init),
					{ ...env, ...queue, DESK: desk } as never,
					{ ...publicCtx, props: DESK_CALLER_PROPS } as never,
				),
		};
		const desk = {
			fetch: (request: Request) =>
				deskWorker.fetch(request as never, { ...env, ...queue, PUBLIC: publicBinding } as never, real),
		};
		// From an address of its own, as `call` asks: without one its matches questions counted
		// against the address "unknown" in MATCH_LIMITER, shared by the runtime's files, and a
		// busy full run answered one 429, which the edge does not keep.
		const request = new Request(`${BASE}${path}`, init);
		if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", freshIp());
		const response = await servePublic(
			request,
			{ ...env, ...queue, DESK: desk } as never,
			publicCtx as never,
		);
		await waitOnExecutionContext(real);
		return response;
	};
	return {
		purges,
		async fetch(path, init) {
			const method = init?.method ?? "GET";
			const hit = method === "GET" && options.store ? stored.get(path) : undefined;
			if (hit) return new Response(hit.body.slice(0), hit.init);
			const response = await run(path, init);
			if (!options.store || !storable(method, response)) return response;
			const body = await response.arrayBuffer();
			const kept: ResponseInit = { status: response.status, headers: new Headers(response.headers) };
			const tags = (response.headers.get("Cache-Tag") ?? "").split(",").filter((tag) => tag !== "");
			stored.set(path, { body, init: kept, tags });
			return new Response(body.slice(0), kept);
		},
		fresh: (path) => run(path, { headers: { "X-D1-Bookmark": "first-primary" } }),
		keeps: (path) => stored.has(path),
		cache: {
			async purge(tags) {
				await publicCacheFor(workersCachingContext(), env.DB).purge(tags);
			},
		},
	};
}
