import { cacheTagsToPurge } from "../commands/events";
import type { Snapshot } from "../db/schema";
import {
	isPermanentFailure,
	SNAPSHOT_CLAIM_MS,
	SNAPSHOT_MAX_BYTES,
	SNAPSHOT_OUTAGE,
	SNAPSHOT_TIMEOUT_MS,
	snapshotRetryDelay,
} from "../domain/snapshots";
import { TRAILING_SLASHES } from "../domain/trailing-runs";
import type { Db } from "../factory";
import type { PublicCache } from "../lib/public-cache";
import { readArticle } from "../reader/article-reader";
import {
	ArticleFetchError,
	contentTypeOf,
	type FetchedResource,
	fetchRedirectTarget,
	fetchResource,
	isFetchableUrl,
	readText,
} from "../reader/safe-fetch";
import { SYSTEM, writeAudit } from "../store/batch";
import { storeSnapshot } from "../store/snapshot-objects";
import {
	claimsCitingUrl,
	getSnapshot,
	markSnapshotFailed,
	newestCopyOf,
	setArchivedUrlIfEmpty,
	sourceLacksArchive,
} from "../store/snapshots";

/**
 * The queue consumer of the evidence archive. A message names a pending snapshot; the
 * consumer fetches its URL with the safe fetcher (public addresses only, size cap,
 * deadline, every redirect checked), stores the bytes exactly as fetched, the response
 * headers and the page's main text in R2, records hash and size in D1, and purges the
 * public answers of the claims that cite the URL so their "archived copy" links appear.
 * A failure is recorded with its reason and retried on the schedule in domain/snapshots.
 */

export interface SnapshotMessage {
	readonly body: unknown;
	/** Deliveries of this message so far, this one included (Cloudflare Queues' `attempts`). */
	readonly attempts?: number;
	ack(): void;
	retry(options?: { delaySeconds?: number }): void;
}

/**
 * A message whose handling throws (D1 or R2 failing, not the page: that is a recorded
 * failure with its own schedule) comes again after these delays (the last one repeated),
 * and from its queue's 8th delivery on its copy is marked failed (a stored copy never is),
 * while three deliveries are left for that mark itself to be retried if D1 is still down:
 * before, the whole batch threw, every message came straight back, and after the queue's
 * 10 tries the rows stayed "pending" for good. The count is the queue's, which includes the
 * page's own retries and a purge's: so a late delivery, not the fifth outage.
 */
const OUTAGE_DELAYS_SECONDS = [30, 120, 600, 1800];
/** wrangler.desk.toml's `max_retries = 10` allows 11 deliveries; from this one on, give up. */
const GIVE_UP_AT_DELIVERY = 8;
/** A purge that fails: the stored copies come again this much later, and purge again. */
const PURGE_RETRY_SECONDS = 60;

export interface ArchiveDeps {
	db: Db;
	bucket: R2Bucket;
	cache: PublicCache;
	now: () => number;
	allowLoopback: boolean;
	/** Also ask the Internet Archive's Save Page Now for sources (ARCHIVE_ORG_SAVE). */
	archiveOrg: boolean;
	/**
	 * PUBLIC_UNREVIEWED = "hide": Save Page Now only for sources of reviewed claims (its
	 * captures are public); a first publication asks for the rest (`archiveOrgFor` messages).
	 */
	reviewedOnly?: boolean;
	fetch?: typeof fetch;
}

const ACTOR = SYSTEM("archive");

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

function purgeAgainOf(body: unknown): string[] | null {
	const tags = (body as { purgeAgain?: unknown } | null)?.purgeAgain;
	return Array.isArray(tags) && tags.every((tag) => typeof tag === "string") ? tags : null;
}

/** A source to ask Save Page Now for, now that a claim citing it was published (hide mode). */
function archiveOrgUrlOf(body: unknown): string | null {
	const url = (body as { archiveOrgFor?: unknown } | null)?.archiveOrgFor;
	return typeof url === "string" ? url : null;
}

function snapshotIdOf(body: unknown): string | null {
	const id = (body as { snapshotId?: unknown } | null)?.snapshotId;
	return typeof id === "string" ? id : null;
}

/**
 * The text a copy shows: of a page, its main text as the article reader finds it; of
 * plain text (text/plain, text/csv…), the text itself; "" for PDFs, images, JSON and
 * other data, and for bytes that are binary whatever their type said. `resource` has the
 * type its bytes were found to be (`contentTypeOf`), not merely the one the server sent.
 */
async function mainText(resource: FetchedResource): Promise<string> {
	const isPage = HTML_TYPES.has(resource.contentType);
	if (!isPage && !resource.contentType.startsWith("text/")) return "";
	const text = readText(resource.bytes, resource.charset);
	if (text === null) return "";
	if (!isPage) return text.replace(/\r\n?/g, "\n");
	const read = await readArticle(text, resource.finalUrl);
	return [read.title ?? "", read.text].filter((part) => part !== "").join("\n");
}

/** A capture's address at the Internet Archive: https://web.archive.org/web/<timestamp>/… */
function isCapture(url: URL | string): boolean {
	const href = typeof url === "string" ? url : url.href;
	return /^https:\/\/web\.archive\.org\/web\/\d{8,14}/.test(href);
}

/**
 * Save Page Now: the Internet Archive's own copy, kept as the archivedUrl of a source
 * without one. Whether it set the link (its answers then change, and are purged).
 */
async function saveToInternetArchive(deps: ArchiveDeps, url: string): Promise<boolean> {
	// An address our fetcher refuses (a private host) is not handed to the Internet Archive
	// either, whichever path asks (a failed copy, a first publication's archiveOrgFor, one
	// queued by an earlier version). Never loopback: Save Page Now could not reach our machine.
	if (!isFetchableUrl(url, false)) return false;
	if (!(await sourceLacksArchive(deps.db, url, deps.reviewedOnly ?? false))) return false;
	try {
		// Only the capture's address is wanted: Save Page Now redirects there (or names it in
		// a Content-Location), and the capture is not downloaded: a page over any size cap we
		// would set was captured all the same.
		const saved = await fetchRedirectTarget(`https://web.archive.org/save/${url}`, {
			fetcher: deps.fetch,
			timeoutMs: 60_000,
			arrived: isCapture,
		});
		const location = saved.headers.find(([name]) => name.toLowerCase() === "content-location")?.[1];
		const archived =
			location && !isCapture(saved.finalUrl)
				? new URL(location, "https://web.archive.org").href
				: saved.finalUrl;
		if (!isCapture(archived)) {
			throw new Error(`Save Page Now answered without an archive address (${archived.slice(0, 100)}).`);
		}
		// A mechanical step after the citation that dated its claim: it dates none (store/snapshots).
		return await setArchivedUrlIfEmpty(deps.db, ACTOR, url, archived, { datesClaims: false });
	} catch (error) {
		// The own copy in R2 stands; the failure is on record for the desk, not swallowed.
		await writeAudit(deps.db, ACTOR, [
			{
				action: "source.archive-failed",
				entity: "snapshot",
				entityId: url.slice(0, 200),
				changes: { error: String(error).slice(0, 300) },
			},
		]);
		return false;
	}
}

/** Tags of every public answer showing an address's copy (commands/events, `evidence.archived`). */
async function citingTags(deps: ArchiveDeps, url: string): Promise<string[]> {
	const claimIds = await claimsCitingUrl(deps.db, url);
	return cacheTagsToPurge({ type: "evidence.archived", url, claimIds, dated: false });
}

/** Done (stored, or given up), with the tags a stored copy changed; or to be tried again. */
type Outcome = { done: boolean; retryInSeconds: number; tags: string[] };

/**
 * An address's page, as far as a redirect can change it: host (without "www.") and path
 * and query, not the scheme (http → https is the same page) or the fragment.
 */
function pageOf(url: string): string {
	const parsed = new URL(url);
	return `${parsed.host.replace(/^www\./, "")}${parsed.pathname.replace(TRAILING_SLASHES, "")}${parsed.search}`;
}

/**
 * Whether a redirect from `from` to `to` is an article moved (a CMS giving an edited article a
 * new slug, `/2025/07/wonsan-visit` → `/2025/07/wonsan-visit-lavrov-kim`): on the same host,
 * in the same folder, with the same query, and a last segment that keeps at least half the
 * words of the old one. Path depth alone cannot tell an article from a section page as deep
 * (`/news/world-asia-123` → `/news/world`), nor one article from another on the same site.
 */
function movedArticle(from: string, to: string): boolean {
	const source = new URL(from);
	const target = new URL(to);
	const parts = (url: URL) => url.pathname.split("/").filter((part) => part !== "");
	const [was, now] = [parts(source), parts(target)];
	const folder = (path: string[]) => path.slice(0, -1).join("/");
	const words = (segment: string | undefined) =>
		new Set(
			(segment ?? "")
				.toLowerCase()
				.replace(/\.[a-z0-9]{2,5}$/, "")
				.split(/[^\p{L}\p{N}]+/u)
				.filter((word) => word !== ""),
		);
	const old = words(was.at(-1));
	const kept = [...old].filter((word) => words(now.at(-1)).has(word)).length;
	return (
		source.host.replace(/^www\./, "") === target.host.replace(/^www\./, "") &&
		source.search === target.search &&
		was.length >= 2 &&
		now.length === was.length &&
		folder(was) === folder(now) &&
		old.size > 0 &&
		kept * 2 >= old.size
	);
}

/**
 * Why a re-fetch must not become the address's copy, or null: it was redirected to
 * another page than the one an earlier copy holds, one that looks like a home or section
 * page (a deleted article sent to the home page; not an article moved, `movedArticle`). The
 * archive keeps what sources said when they were cited; the newest copy is the one pages
 * show, so such a fetch would replace the evidence with the home page.
 */
async function movedAway(
	deps: ArchiveDeps,
	snapshot: Snapshot,
	resource: FetchedResource,
): Promise<string | null> {
	const now = pageOf(resource.finalUrl);
	if (now === pageOf(snapshot.url) || movedArticle(snapshot.url, resource.finalUrl)) return null;
	const earlier = await newestCopyOf(deps.db, snapshot.url);
	if (!earlier || now === pageOf(earlier.finalUrl ?? earlier.url)) return null;
	return `The address now leads to another page (${resource.finalUrl.slice(0, 200)}); the earlier copy stands.`;
}

async function archiveOne(deps: ArchiveDeps, snapshot: Snapshot): Promise<Outcome> {
	let resource: FetchedResource;
	try {
		resource = await fetchResource(snapshot.url, {
			fetcher: deps.fetch,
			timeoutMs: SNAPSHOT_TIMEOUT_MS,
			maxBytes: SNAPSHOT_MAX_BYTES,
			allowLoopback: deps.allowLoopback,
		});
	} catch (error) {
		const code = error instanceof ArticleFetchError ? error.code : undefined;
		const reason = error instanceof ArticleFetchError ? error.message : "The page could not be fetched.";
		const permanent = isPermanentFailure(code);
		// Decided before the row is written, so it records whether a try is due (the desk's
		// "retried later"): this try is the row's next.
		const delay = permanent ? null : snapshotRetryDelay(snapshot.attempts + 1);
		const now = deps.now();
		const attempts = await markSnapshotFailed(
			deps.db,
			snapshot.id,
			reason,
			new Date(now).toISOString(),
			delay === null ? null : new Date(now + delay * 1000).toISOString(),
		);
		// Save Page Now fetches from elsewhere: the page that blocks, times out or is gone for
		// us may still be there for it. Asked once, at the first failure, while the page may
		// still be up (an address we may not fetch is not asked for).
		const linked =
			deps.archiveOrg && attempts === 1 && !permanent && (await saveToInternetArchive(deps, snapshot.url));
		// Purges are rate-limited: only when the source's public answers changed (a new link).
		const tags = linked ? await citingTags(deps, snapshot.url) : [];
		return delay === null
			? { done: true, retryInSeconds: 0, tags }
			: { done: false, retryInSeconds: delay, tags };
	}
	const moved = await movedAway(deps, snapshot, resource);
	if (moved) {
		await markSnapshotFailed(deps.db, snapshot.id, moved, new Date(deps.now()).toISOString(), null);
		return { done: true, retryInSeconds: 0, tags: [] };
	}
	// A server that names no type does not make data text: what the bytes are is stored
	// (a PDF as application/pdf), and only markup is read as a page.
	const typed = {
		...resource,
		contentType: contentTypeOf(resource.bytes, resource.contentType, resource.charset),
	};
	if (!(await storeSnapshot(deps, snapshot, typed, await mainText(typed)))) {
		// Another delivery of the message is storing its own fetch: come again when it is done.
		return { done: false, retryInSeconds: SNAPSHOT_CLAIM_MS / 1000, tags: [] };
	}
	// One purge for the copy and Save Page Now's link (purges are rate-limited): the copy
	// shows up to a minute later when Save Page Now is asked too.
	if (deps.archiveOrg) await saveToInternetArchive(deps, snapshot.url);
	return { done: true, retryInSeconds: 0, tags: await citingTags(deps, snapshot.url) };
}

/**
 * One batch of messages, and one purge for all the copies it stored: purges are
 * rate-limited (README, "Caching"), and an import queues hundreds of addresses at once.
 * A message is acknowledged only after that purge: if it fails, the stored ones come
 * again a minute later (not at once: that spent the purge budget a retraction needs), and
 * their purge is tried again. One message's outage does not hold up the others.
 */
export async function archiveSnapshots(
	messages: readonly SnapshotMessage[],
	deps: ArchiveDeps,
): Promise<void> {
	const tags = new Set<string>();
	const done: SnapshotMessage[] = [];
	for (const message of messages) {
		try {
			const outcome = await handleMessage(deps, message);
			for (const tag of outcome.tags) tags.add(tag);
			if (outcome.done) done.push(message);
			else if (outcome.retryInSeconds !== null) message.retry({ delaySeconds: outcome.retryInSeconds });
		} catch (error) {
			await outage(deps, message, error);
		}
	}
	if (tags.size > 0) {
		try {
			await deps.cache.purge([...tags]);
		} catch (error) {
			console.error("snapshot archive: purge failed; the stored copies come again", error);
			for (const message of done) message.retry({ delaySeconds: PURGE_RETRY_SECONDS });
			return;
		}
	}
	for (const message of done) message.ack();
}

/** What became of one message: done (acknowledge after the purge), or due again, or acknowledged already. */
async function handleMessage(
	deps: ArchiveDeps,
	message: SnapshotMessage,
): Promise<{ done: boolean; retryInSeconds: number | null; tags: readonly string[] }> {
	// A verdict's second purge (commands/snapshots, requestSettlingPurge): it joins the batch's one purge.
	const again = purgeAgainOf(message.body);
	if (again) return { done: true, retryInSeconds: null, tags: again };
	const deferred = archiveOrgUrlOf(message.body);
	if (deferred !== null) {
		const linked = deps.archiveOrg && (await saveToInternetArchive(deps, deferred));
		return { done: true, retryInSeconds: null, tags: linked ? await citingTags(deps, deferred) : [] };
	}
	const id = snapshotIdOf(message.body);
	const snapshot = id ? await getSnapshot(deps.db, id) : undefined;
	if (!snapshot) {
		message.ack();
		return { done: false, retryInSeconds: null, tags: [] };
	}
	if (snapshot.state === "ok") {
		// Stored already: the message comes again because its purge failed, or once more as
		// queues may deliver; purging again is harmless.
		return { done: true, retryInSeconds: null, tags: await citingTags(deps, snapshot.url) };
	}
	return archiveOne(deps, snapshot);
}

/** A message whose handling threw: due again later, or, after the last delay, recorded as failed. */
async function outage(deps: ArchiveDeps, message: SnapshotMessage, error: unknown): Promise<void> {
	console.error("snapshot archive: a message failed", error);
	const attempt = message.attempts ?? 1;
	if (attempt < GIVE_UP_AT_DELIVERY) {
		const delay = OUTAGE_DELAYS_SECONDS[Math.min(attempt, OUTAGE_DELAYS_SECONDS.length) - 1];
		return message.retry({ delaySeconds: delay });
	}
	const id = snapshotIdOf(message.body);
	try {
		if (id) {
			await markSnapshotFailed(deps.db, id, SNAPSHOT_OUTAGE, new Date(deps.now()).toISOString(), null);
		}
		message.ack();
	} catch (again) {
		console.error("snapshot archive: could not record the failure either", again);
		message.retry({ delaySeconds: OUTAGE_DELAYS_SECONDS.at(-1) });
	}
}
