import type { Snapshot } from "../db/schema";
import { sha256Hex } from "../domain/ids";
import { cutText, type SnapshotMeta, snapshotKeys } from "../domain/snapshots";
import type { Db } from "../factory";
import type { FetchedResource } from "../reader/safe-fetch";
import { markSnapshotArchived } from "./snapshots";

/**
 * Stores what was fetched for a snapshot: bytes, headers and main text in R2, hash and
 * size in D1. `text` is the page's main text ("" for data), as the caller read it, stored up
 * to SNAPSHOT_TEXT_MAX_BYTES.
 */
export async function storeSnapshot(
	deps: { db: Db; bucket: R2Bucket; now: () => number },
	snapshot: Pick<Snapshot, "id" | "url">,
	resource: FetchedResource,
	text: string,
): Promise<void> {
	const fetchedAt = new Date(deps.now()).toISOString();
	const sha256 = await sha256Hex(resource.bytes);
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
	await markSnapshotArchived(deps.db, snapshot.id, {
		finalUrl: resource.finalUrl,
		httpStatus: resource.status,
		contentType: resource.contentType || null,
		sha256,
		bytes: resource.bytes.length,
		fetchedAt,
	});
}
