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

/**
 * Where a listing of the archive stands: the snapshots first, then the uploads, each by
 * id. A key belongs to a row, so a page of rows is at most three keys per row.
 */
export interface ArchiveCursor {
	kind: "snapshots" | "uploads";
	after: string;
}

export const FIRST_ARCHIVE_PAGE: ArchiveCursor = { kind: "snapshots", after: "" };

/** The keys of up to `rows` rows after the cursor, and the cursor that continues (null at the end). */
async function archiveKeysPage(
	db: Db,
	cursor: ArchiveCursor,
	rows: number,
): Promise<{ keys: string[]; next: ArchiveCursor | null }> {
	if (cursor.kind === "snapshots") {
		const found = await db
			.select({ id: snapshots.id })
			.from(snapshots)
			.where(and(eq(snapshots.state, "ok"), gt(snapshots.id, cursor.after)))
			.orderBy(asc(snapshots.id))
			.limit(rows);
		const last = found.at(-1);
		return {
			keys: found.flatMap((row) => Object.values(snapshotKeys(row.id))),
			next:
				last && found.length === rows
					? { kind: "snapshots", after: last.id }
					: { kind: "uploads", after: "" },
		};
	}
	const found = await db
		.select({ id: uploads.id })
		.from(uploads)
		.where(gt(uploads.id, cursor.after))
		.orderBy(asc(uploads.id))
		.limit(rows);
	const last = found.at(-1);
	return {
		keys: found.map((row) => uploadKey(row.id)),
		next: last && found.length === rows ? { kind: "uploads", after: last.id } : null,
	};
}

/** The R2 keys the archive's rows point to: three per archived snapshot, one per upload. */
export async function* archiveKeys(db: Db): AsyncGenerator<string> {
	for (let cursor: ArchiveCursor | null = FIRST_ARCHIVE_PAGE; cursor; ) {
		const page = await archiveKeysPage(db, cursor, PAGE);
		yield* page.keys;
		cursor = page.next;
	}
}

/**
 * A page of the manifest: each object is read once to hash it, one at a time, so memory
 * holds one object. A key the bucket lacks fails the page (exportObject).
 */
export async function manifestPage(
	db: Db,
	bucket: R2Bucket,
	cursor: ArchiveCursor,
	rows: number,
): Promise<{ entries: ManifestEntry[]; next: ArchiveCursor | null }> {
	const { keys, next } = await archiveKeysPage(db, cursor, rows);
	const entries: ManifestEntry[] = [];
	for (const key of keys) entries.push((await exportObject(bucket, key)).entry);
	return { entries, next };
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

/** Whether a key is one of the archive's (snapshot files, uploads), and so may be read or written by a backup. */
export function isArchiveKey(key: string): boolean {
	return SAFE_KEY.test(key);
}

const SAFE_KEY = /^(?:snapshots\/[0-9a-z]{14}\/(?:raw|meta\.json|text\.txt)|uploads\/[0-9a-z]{14})$/;

/** Checks an object against its manifest line and writes it; refuses a key outside the archive's layout. */
export async function restoreObject(bucket: R2Bucket, entry: ManifestEntry, body: Uint8Array): Promise<void> {
	if (!isArchiveKey(entry.key))
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
