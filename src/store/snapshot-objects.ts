import type { Snapshot } from "../db/schema";
import { sha256Hex } from "../domain/ids";
import { cutText, type SnapshotMeta, snapshotKeys } from "../domain/snapshots";
import type { Db } from "../factory";
import type { FetchedResource } from "../reader/safe-fetch";
import { claimSnapshotObjects, markSnapshotArchived, releaseSnapshotObjects } from "./snapshots";

/**
 * Stores what was fetched for a snapshot: bytes, headers and main text in R2, hash and
 * size in D1. `text` is the page's main text ("" for data), as the caller read it, stored up
 * to SNAPSHOT_TEXT_MAX_BYTES. False when another delivery of its message holds the claim on
 * its objects (store/snapshots `claimSnapshotObjects`) or took it over: nothing was written,
 * or nothing this fetch wrote is the copy.
 */
export async function storeSnapshot(
	deps: { db: Db; bucket: R2Bucket; now: () => number },
	snapshot: Pick<Snapshot, "id" | "url">,
	resource: FetchedResource,
	text: string,
): Promise<boolean> {
	const fetchedAt = new Date(deps.now()).toISOString();
	const sha256 = await sha256Hex(resource.bytes);
	if (!(await claimSnapshotObjects(deps.db, snapshot.id, sha256, deps.now()))) return false;
	const keys = snapshotKeys(snapshot.id);
	// The text is derived from the bytes, which are kept whole: it is cut, and the page says so.
	const stored = cutText(text);
	const meta: SnapshotMeta = {
		url: snapshot.url,
		finalUrl: resource.finalUrl,
		status: resource.status,
		contentType: resource.contentType,
		headers: resource.headers,
		fetchedAt,
		sha256,
		bytes: resource.bytes.length,
		...(stored.cut ? { textCut: true } : {}),
	};
	try {
		// The bytes are stored as data: they are only ever served back as a download.
		await deps.bucket.put(keys.raw, resource.bytes, {
			httpMetadata: { contentType: "application/octet-stream" },
			customMetadata: { originalType: resource.contentType, sha256 },
			sha256,
		});
		await deps.bucket.put(keys.meta, JSON.stringify(meta), {
			httpMetadata: { contentType: "application/json" },
		});
		await deps.bucket.put(keys.text, stored.text, {
			httpMetadata: { contentType: "text/plain; charset=utf-8" },
		});
	} catch (error) {
		// R2 failing: the message comes again (an outage's delay), and its claim must not stop it.
		// (D1 failing as well: the claim goes stale in SNAPSHOT_CLAIM_MS instead.)
		await releaseSnapshotObjects(deps.db, snapshot.id, sha256).catch(() => undefined);
		throw error;
	}
	return await markSnapshotArchived(deps.db, snapshot.id, {
		finalUrl: resource.finalUrl,
		httpStatus: resource.status,
		contentType: resource.contentType || null,
		sha256,
		bytes: resource.bytes.length,
		fetchedAt,
	});
}
