import { and, asc, eq, gt } from "drizzle-orm";
import { snapshots, uploads } from "../db/schema";
import { sha256Hex } from "../domain/ids";
import { snapshotKeys, uploadKey } from "../domain/snapshots";
import type { Db } from "../factory";
import { BackupError } from "./backup";

/**
 * The evidence archive in a backup. The NDJSON file carries the `snapshots` and `uploads`
 * rows (store/backup); the objects they describe go beside it with a manifest, one line per
 * object: its R2 key, SHA-256, size and type. A restore checks every object against the
 * manifest, and the raw bytes of snapshots and uploads against the hashes in their rows,
 * before it writes anything to the bucket.
 */

export interface ManifestEntry {
	key: string;
	sha256: string;
	bytes: number;
	contentType: string | null;
}

const PAGE = 200;

/** The R2 keys the archive's rows point to: three per archived snapshot, one per upload. */
export async function* archiveKeys(db: Db): AsyncGenerator<string> {
	for (let after = ""; ; ) {
		const rows = await db
			.select({ id: snapshots.id })
			.from(snapshots)
			.where(and(eq(snapshots.state, "ok"), gt(snapshots.id, after)))
			.orderBy(asc(snapshots.id))
			.limit(PAGE);
		for (const row of rows) yield* Object.values(snapshotKeys(row.id));
		const last = rows.at(-1);
		if (!last || rows.length < PAGE) break;
		after = last.id;
	}
	for (let after = ""; ; ) {
		const rows = await db
			.select({ id: uploads.id })
			.from(uploads)
			.where(gt(uploads.id, after))
			.orderBy(asc(uploads.id))
			.limit(PAGE);
		for (const row of rows) yield uploadKey(row.id);
		const last = rows.at(-1);
		if (!last || rows.length < PAGE) break;
		after = last.id;
	}
}

/** One object and its manifest line; a key the bucket lacks is an error, not a silent gap. */
export async function exportObject(
	bucket: R2Bucket,
	key: string,
): Promise<{ entry: ManifestEntry; body: Uint8Array }> {
	const object = await bucket.get(key);
	if (!object) throw new BackupError(`The archive has no object ${key}, which the database names.`);
	const body = new Uint8Array(await object.arrayBuffer());
	return {
		entry: {
			key,
			sha256: await sha256Hex(body),
			bytes: body.length,
			contentType: object.httpMetadata?.contentType ?? null,
		},
		body,
	};
}

const SAFE_KEY = /^(?:snapshots\/[0-9a-z]{14}\/(?:raw|meta\.json|text\.txt)|uploads\/[0-9a-z]{14})$/;

/** Checks an object against its manifest line and writes it; refuses a key outside the archive's layout. */
export async function restoreObject(bucket: R2Bucket, entry: ManifestEntry, body: Uint8Array): Promise<void> {
	if (!SAFE_KEY.test(entry.key))
		throw new BackupError(`The manifest names ${entry.key.slice(0, 80)}, not an archive key.`);
	const sha256 = await sha256Hex(body);
	if (sha256 !== entry.sha256 || body.length !== entry.bytes) {
		throw new BackupError(
			`The object ${entry.key} does not match the manifest (SHA-256 ${sha256}, expected ${entry.sha256}).`,
		);
	}
	await bucket.put(
		entry.key,
		body,
		entry.contentType ? { httpMetadata: { contentType: entry.contentType }, sha256 } : { sha256 },
	);
}

/**
 * Compares the bucket with the database: every archived snapshot's raw bytes and every
 * upload must be present and hash to what D1 recorded. Returns the keys that do not.
 */
export async function verifyArchive(
	db: Db,
	bucket: R2Bucket,
): Promise<{ checked: number; mismatched: string[] }> {
	const expected = new Map<string, string>();
	for (const row of await db
		.select({ id: snapshots.id, sha256: snapshots.sha256 })
		.from(snapshots)
		.where(eq(snapshots.state, "ok"))) {
		expected.set(snapshotKeys(row.id).raw, row.sha256 ?? "");
	}
	for (const row of await db.select({ id: uploads.id, sha256: uploads.sha256 }).from(uploads)) {
		expected.set(uploadKey(row.id), row.sha256);
	}
	const mismatched: string[] = [];
	for (const [key, sha256] of expected) {
		const object = await bucket.get(key);
		const actual = object ? await sha256Hex(new Uint8Array(await object.arrayBuffer())) : null;
		if (actual !== sha256) mismatched.push(key);
	}
	return { checked: expected.size, mismatched };
}
