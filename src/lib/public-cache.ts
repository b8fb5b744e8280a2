import { parseTags } from "../domain/cache-tags";
import { createDb } from "../factory";
import { claimIdsNaming } from "../store/claims";
import { purgeClaimCaches } from "./edge-cache";
import { forgetHotTags } from "./hot-cache";
import {
	MAX_TAGS_PER_PURGE,
	purgeWorkersCache,
	type RequestContext,
	workersCacheOf,
} from "./workers-caching";

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

/**
 * The purge handle of the Worker that owns the caches. The Cache API layer keeps entries
 * by claim: a tag naming a speaker's or a topic's claims (domain/cache-tags) is read into
 * its claims from `database`, after the write that purges committed.
 */
export function publicCacheFor(ctx: RequestContext | undefined, database: D1Database | null): PublicCache {
	const workersCache = workersCacheOf(ctx);
	return {
		async purge(tags) {
			if (tags.length === 0) return;
			forgetHotTags(tags);
			if (workersCache) return purgeWorkersCache(workersCache, tags);
			// EVERYTHING_TAG here clears the hot copies only: the Cache API cannot list its keys,
			// and it keeps claims' 200s, none of which a restore's empty database answered.
			const { claimIds, speakerIds, topics } = parseTags(tags);
			const covered =
				database && (speakerIds.length > 0 || topics.length > 0)
					? await claimIdsNaming(createDb(database), { speakerIds, topics })
					: [];
			await Promise.all([...new Set([...claimIds, ...covered])].map((id) => purgeClaimCaches(id)));
		},
	};
}

/** The evidence archive's queue (binding SNAPSHOT_QUEUE), which also carries purges to make again. */
export interface PurgeQueue {
	send(body: { purgeAgain: string[] }, options: { delaySeconds: number }): Promise<unknown>;
}

/**
 * How long a failed purge waits before the queue's consumer makes it again. Purges are
 * rate-limited (5 a minute on every plan, bursts of 25: a token every 12 s), so sooner
 * would fail again; the consumer then retries every minute while it keeps failing.
 */
export const PURGE_AGAIN_SECONDS = 15;

/**
 * A purge that fails is not dropped: its tags go to the evidence archive's queue as a
 * `purgeAgain` message, which the consumer merges into its batch's one purge and retries
 * every minute while that fails (queues/snapshot-archive), for up to ten deliveries: about
 * the answers' edge lifetime, after which they are stale no more. Dropped, the purge left
 * a retracted verdict at the edge for ten minutes, and a rate limit is exactly what a busy
 * desk meets. Without a queue (a script running the app alone), or when the queue fails
 * too, the purge's own error is thrown, to be logged.
 */
export function retriedLater(cache: PublicCache, queue: PurgeQueue | undefined): PublicCache {
	return {
		async purge(tags) {
			try {
				await cache.purge(tags);
			} catch (error) {
				if (!queue) throw error;
				console.error(
					JSON.stringify({
						event: "cache-purge-failed",
						retryInSeconds: PURGE_AGAIN_SECONDS,
						tags,
						error: String(error),
					}),
				);
				try {
					await queue.send({ purgeAgain: [...tags] }, { delaySeconds: PURGE_AGAIN_SECONDS });
				} catch {
					throw error;
				}
			}
		},
	};
}

/** Where the desk Worker's purge goes: any address would do, the props decide. */
const PURGE_URL = "https://public.internal/purge";

/**
 * The public Worker's side of a purge the desk Worker asks for: `POST {tags}` on its
 * default entrypoint. Workers Caching scopes a purge to the entrypoint that makes it, and
 * the answers are cached in front of the default one, so the purge is made here and not
 * over RPC (RPC needs a class entrypoint, which costs every hot answer: src/index.ts).
 * 204 when purged; 503 when the purge failed, so that the desk Worker's caller retries.
 */
export async function answerDeskPurge(
	request: Request,
	ctx: RequestContext,
	database: D1Database,
): Promise<Response> {
	const body: unknown = request.method === "POST" ? await request.json().catch(() => null) : null;
	const tags = (body as { tags?: unknown } | null)?.tags;
	if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string"))
		return new Response(null, { status: 400, headers: { "Cache-Control": "no-store" } });
	try {
		await publicCacheFor(ctx, database).purge(tags);
		return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
	} catch (error) {
		console.error(JSON.stringify({ event: "cache-purge-failed", tags, error: String(error) }));
		return new Response(null, { status: 503, headers: { "Cache-Control": "no-store" } });
	}
}

/**
 * The handle the desk Worker's commands and queue consumers purge through. Workers
 * Caching is per Worker — and per entrypoint — so only the public Worker's default
 * entrypoint can purge what stands in front of it: the desk Worker asks it over the
 * `PUBLIC` service binding (`answerDeskPurge`; a POST, which Workers Caching never answers
 * from cache). Without the binding (a script running the app alone) this isolate's own
 * layers are purged.
 */
export function publicCacheOf(
	env: { PUBLIC?: Fetcher; DB: D1Database },
	ctx: RequestContext | undefined,
): PublicCache {
	const owner = env.PUBLIC;
	if (!owner) return publicCacheFor(ctx, env.DB);
	return {
		async purge(tags) {
			if (tags.length === 0) return;
			const answer = await owner.fetch(PURGE_URL, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ tags }),
			});
			await answer.body?.cancel();
			if (answer.status !== 204) throw new Error(`the public Worker did not purge: ${answer.status}`);
		},
	};
}

/**
 * The desk Worker's answer to a write names the tags it changed in this header; the
 * public Worker, which forwarded the write, purges them before it returns the answer (and
 * removes the header), so whoever made the write reads it at once. Internal: the desk
 * Worker has no route of its own, and the public Worker strips the header.
 */
export const PURGE_TAGS_HEADER = "Claimtrack-Purge-Tags";

/**
 * The purge handle of one request to the desk Worker: tags are collected for
 * PURGE_TAGS_HEADER; a write changing more than one purge can name (an import batch)
 * asks the public Worker over its binding instead, in the background. So does a purge that comes
 * after the answer's header was written (a side effect finishing in the background, such
 * as a new claim's embedding): the header is gone by then.
 */
export function purgeOnAnswer(
	env: { PUBLIC?: Fetcher; DB: D1Database; SNAPSHOT_QUEUE?: PurgeQueue },
	ctx: RequestContext | undefined,
) {
	const tags = new Set<string>();
	let answered = false;
	const cache: PublicCache = {
		async purge(changed) {
			if (!answered && tags.size + changed.length <= MAX_TAGS_PER_PURGE)
				for (const tag of changed) tags.add(tag);
			else await retriedLater(publicCacheOf(env, ctx), env.SNAPSHOT_QUEUE).purge(changed);
		},
	};
	const header = () => {
		answered = true;
		return tags.size > 0 ? [...tags].join(",") : null;
	};
	return { cache, header };
}
