import { parse } from "hono/utils/cookie";
import { getQueryParam } from "hono/utils/url";
import { parseTags } from "../domain/cache-tags";
import { isPersonal } from "./cache-policy";
import { isUiLanguage, uiLanguageOf } from "./language";
import { EVERYTHING_TAG, workersCacheOf } from "./workers-caching";

/**
 * The hottest answers — a claim's badge, card, JSON and page — are answered before
 * routing, from the isolate's memory: per key one body and one prebuilt header set, made
 * into a Response by one constructor call (no routing, no header edits, no URL parsing
 * beyond the path, no database). Not a prebuilt Response handed out as clones: workerd
 * ties a body stream to the request that made it, and a clone read by another request
 * fails ("Cannot perform I/O on behalf of a different request").
 * An entry holds the exact bytes and headers the full app produced at most
 * MEMORY_TTL_MS earlier; a purge in this isolate of any tag its `Cache-Tag` names (the
 * claim's, its speaker's, a topic's) drops it (`forgetHotTags`).
 *
 * Under Workers Caching a copy served from here may be stored in front of the Worker
 * after another isolate purged the claim. So copies are prebuilt with an edge lifetime
 * no longer than their own (`Cloudflare-CDN-Cache-Control`): a purged answer cannot
 * outlive the purge by more than twice MEMORY_TTL_MS (README, "Caching").
 */

/** Isolates other than the one that purged keep a copy at most this long. */
const MEMORY_TTL_MS = 10_000;

interface HotEntry {
	body: ArrayBuffer;
	ok: ResponseInit;
	notModified: ResponseInit;
	etag: string | null;
	expires: number;
	/** What the answer shows, from its `Cache-Tag`: a purge of any of them drops it. */
	tags: string[];
}

const entries = new Map<string, HotEntry>();
const keysByTag = new Map<string, Set<string>>();
/** Copies whose answer names nothing (a page in the reader's negotiated language, private). */
const untagged = new Set<string>();
const MAX_ENTRIES = 1_000;

const HOT_PATH =
	/^\/(?:badges\/([0-9a-z]{14})\.svg|embed\/([0-9a-z]{14})|api\/v1\/claims\/([0-9a-z]{14})|claims\/([0-9a-z]{14}))$/;

/** Whether an answer at this path (no query) is one this layer keeps for every reader. */
export function isHotPath(pathname: string): boolean {
	return HOT_PATH.test(pathname);
}

/** Path and query of an absolute URL, without parsing it. */
function target(url: string): string {
	const start = url.indexOf("/", url.indexOf("//") + 2);
	return start < 0 ? "/" : url.slice(start);
}

function hotKey(request: Request): { key: string; claimId: string } | null {
	if (request.method !== "GET") return null;
	const headers = request.headers;
	if (isPersonal(request)) return null;
	const pathAndQuery = target(request.url);
	const queryAt = pathAndQuery.indexOf("?");
	const match = HOT_PATH.exec(queryAt < 0 ? pathAndQuery : pathAndQuery.slice(0, queryAt));
	// A badge's free `label` is the embedder's text: not worth a slot.
	if (!match || (queryAt >= 0 && pathAndQuery.includes("label=", queryAt))) return null;
	const pageId = match[4];
	const claimId = match[1] ?? match[2] ?? match[3] ?? pageId;
	if (!claimId) return null;
	// A page is in the language its `?lang=` names, else in the reader's (cookie, then
	// Accept-Language): keyed by that language, worked out as the page works it out.
	if (pageId) {
		// Hono's own reading (`c.req.query("lang")`, lib/language): a bare `lang` is empty, an
		// escaped name counts, and only the first is the page's.
		const query = queryAt < 0 ? undefined : (getQueryParam(request.url, "lang") as string | undefined);
		if (isUiLanguage(query)) return { key: pathAndQuery, claimId };
		const cookie = headers.get("Cookie");
		const lang = uiLanguageOf(
			undefined,
			cookie ? parse(cookie, "lang").lang : undefined,
			headers.get("Accept-Language") ?? undefined,
		);
		return { key: `${pathAndQuery}\n${lang}`, claimId };
	}
	return { key: pathAndQuery, claimId };
}

/** As lib/http-cache reads it: `*` matches any copy. */
function matchesEtag(header: string, etag: string): boolean {
	return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

async function prebuild(response: Response, edgeCached: boolean): Promise<HotEntry> {
	const headers = new Headers(response.headers);
	// The id of the request that built the answer would be wrong on every copy.
	headers.delete("X-Request-Id");
	// The builder's D1 bookmark means nothing to another reader.
	headers.delete("X-D1-Bookmark");
	// Under Workers Caching a copy from here is stored at the edge and served to everyone:
	// it must not say where one isolate found it (Cloudflare's CF-Cache-Status says the rest).
	if (!edgeCached) headers.set("X-Edge-Cache", "HIT-HOT");
	if (edgeCached && headers.has("Cloudflare-CDN-Cache-Control"))
		headers.set("Cloudflare-CDN-Cache-Control", `max-age=${MEMORY_TTL_MS / 1000}`);
	const body = await response.arrayBuffer();
	const notModifiedHeaders = new Headers(headers);
	notModifiedHeaders.delete("Content-Type");
	return {
		body,
		ok: { status: 200, headers },
		notModified: { status: 304, headers: notModifiedHeaders },
		etag: headers.get("ETag"),
		expires: Date.now() + MEMORY_TTL_MS,
		tags: (headers.get("Cache-Tag") ?? "").split(",").filter((tag) => tag.length > 0),
	};
}

function remember(key: string, claimId: string, entry: HotEntry): void {
	if (entries.size >= MAX_ENTRIES) {
		entries.clear();
		keysByTag.clear();
		untagged.clear();
	}
	entries.set(key, entry);
	if (entry.tags.length === 0) untagged.add(key);
	for (const tag of entry.tags.length > 0 ? entry.tags : [`claim-${claimId}`]) {
		const keys = keysByTag.get(tag) ?? new Set<string>();
		keys.add(key);
		keysByTag.set(tag, keys);
	}
}

export function withHotCache<E>(
	handler: (request: Request, env: E, ctx: ExecutionContext) => Response | Promise<Response>,
) {
	const miss = async (
		request: Request,
		env: E,
		ctx: ExecutionContext,
		hot: { key: string; claimId: string },
	) => {
		const response = await handler(request, env, ctx);
		if (response.status === 200 && !/\bno-store\b/.test(response.headers.get("Cache-Control") ?? "")) {
			remember(hot.key, hot.claimId, await prebuild(response.clone(), workersCacheOf(ctx) !== null));
		}
		return response;
	};
	// Not async: a hit is answered synchronously, without a promise.
	return (request: Request, env: E, ctx: ExecutionContext): Response | Promise<Response> => {
		const hot = hotKey(request);
		if (!hot) return handler(request, env, ctx);
		const entry = entries.get(hot.key);
		if (entry && entry.expires > Date.now()) {
			const ifNoneMatch = request.headers.get("If-None-Match");
			return entry.etag && ifNoneMatch && matchesEtag(ifNoneMatch, entry.etag)
				? new Response(null, entry.notModified)
				: new Response(entry.body, entry.ok);
		}
		return miss(request, env, ctx, hot);
	};
}

/**
 * Drops every copy whose answer names one of these tags. A copy that names nothing is known
 * here by its claim only, so a purge of a speaker's or a topic's claims drops all of those.
 */
export function forgetHotTags(tags: readonly string[]): void {
	if (tags.includes(EVERYTHING_TAG)) {
		entries.clear();
		keysByTag.clear();
		untagged.clear();
		return;
	}
	const named = parseTags(tags);
	if (named.speakerIds.length > 0 || named.topics.length > 0) {
		for (const key of untagged) entries.delete(key);
		untagged.clear();
	}
	for (const tag of tags) {
		for (const key of keysByTag.get(tag) ?? []) entries.delete(key);
		keysByTag.delete(tag);
	}
}
