import { and, asc, eq, gt } from "drizzle-orm";
import { snapshots, uploads } from "../db/schema";
import { sha256Hex } from "../domain/ids";
import { SNAPSHOT_MAX_BYTES, snapshotKeys, uploadKey } from "../domain/snapshots";
import type { Db } from "../factory";
import { BackupChangedError, BackupError } from "./backup";

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
 * The largest object one PUT of a restore over HTTP carries (routes/api/backup's body limit):
 * a snapshot's raw bytes (at most SNAPSHOT_MAX_BYTES) and some room. The CLI holds every object
 * of a backup to it before it sends a line (scripts/lib/backup-client `checkRestoreObjects`).
 */
export const MAX_RESTORE_OBJECT_BYTES = SNAPSHOT_MAX_BYTES + 64 * 1024;

/**
 * Where a listing of the archive stands: the snapshots first, then the uploads, each by
 * id. A key belongs to a row, so a page of rows is at most three keys per row.
 */
export interface ArchiveCursor {
	kind: "snapshots" | "uploads";
	after: string;
}

export const FIRST_ARCHIVE_PAGE: ArchiveCursor = { kind: "snapshots", after: "" };

/**
 * An object a row names, with the SHA-256 D1 recorded for it: a snapshot's raw bytes and an
 * upload have one, a snapshot's metadata and text do not (null).
 */
interface ArchiveKey {
	key: string;
	sha256: string | null;
}

/** The keys of up to `rows` rows after the cursor, and the cursor that continues (null at the end). */
async function archiveKeysPage(
	db: Db,
	cursor: ArchiveCursor,
	rows: number,
): Promise<{ keys: ArchiveKey[]; next: ArchiveCursor | null }> {
	if (cursor.kind === "snapshots") {
		const found = await db
			.select({ id: snapshots.id, sha256: snapshots.sha256 })
			.from(snapshots)
			.where(and(eq(snapshots.state, "ok"), gt(snapshots.id, cursor.after)))
			.orderBy(asc(snapshots.id))
			.limit(rows);
		const last = found.at(-1);
		return {
			keys: found.flatMap((row) => {
				const keys = snapshotKeys(row.id);
				return [
					{ key: keys.raw, sha256: row.sha256 },
					{ key: keys.meta, sha256: null },
					{ key: keys.text, sha256: null },
				];
			}),
			next:
				last && found.length === rows
					? { kind: "snapshots", after: last.id }
					: { kind: "uploads", after: "" },
		};
	}
	const found = await db
		.select({ id: uploads.id, sha256: uploads.sha256 })
		.from(uploads)
		.where(gt(uploads.id, cursor.after))
		.orderBy(asc(uploads.id))
		.limit(rows);
	const last = found.at(-1);
	return {
		keys: found.map((row) => ({ key: uploadKey(row.id), sha256: row.sha256 })),
		next: last && found.length === rows ? { kind: "uploads", after: last.id } : null,
	};
}

/** The R2 keys the archive's rows point to: three per archived snapshot, one per upload. */
export async function* archiveKeys(db: Db): AsyncGenerator<string> {
	for (let cursor: ArchiveCursor | null = FIRST_ARCHIVE_PAGE; cursor; ) {
		const page = await archiveKeysPage(db, cursor, PAGE);
		for (const entry of page.keys) yield entry.key;
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
	for (const { key } of keys) {
		try {
			entries.push((await exportObject(bucket, key)).entry);
		} catch (error) {
			// Its row deleted since the page was read (an attachment removed), its object with it:
			// the export changed under the reader, and starts again (409 backup-changed).
			if (error instanceof BackupError && !(await rowOfKeyExists(db, key))) {
				throw new BackupChangedError(`${key} was deleted while the export ran. Start the export again.`);
			}
			throw error;
		}
	}
	return { entries, next };
}

async function rowOfKeyExists(db: Db, key: string): Promise<boolean> {
	const [kind, id] = key.split("/");
	const table = kind === "uploads" ? uploads : snapshots;
	const [row] = await db
		.select({ id: table.id })
		.from(table)
		.where(eq(table.id, id ?? ""));
	return row !== undefined;
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

/**
 * What D1 records for the object of a key: the SHA-256 of a snapshot's raw bytes or of an
 * upload (null for a snapshot's metadata and text), and whether the restored rows want the
 * object at all: a snapshot's objects belong only to a row stored as `ok`. One that was
 * `pending` when its row was exported and stored before the manifest was listed (the archive
 * is listed after the rows) has its objects in the backup but not in its row, which restores
 * as unfinished (store/backup `restoredSnapshot`). A key without a row (listed after the rows
 * were read) is wanted, unreferenced.
 */
async function recordedFor(db: Db, key: string): Promise<{ wanted: boolean; sha256: string | null }> {
	const snapshot = /^snapshots\/([0-9a-z]{14})\/(raw|meta\.json|text\.txt)$/.exec(key);
	if (snapshot) {
		const [row] = await db
			.select({ state: snapshots.state, sha256: snapshots.sha256 })
			.from(snapshots)
			.where(eq(snapshots.id, snapshot[1] ?? ""));
		return {
			wanted: row === undefined || row.state === "ok",
			sha256: snapshot[2] === "raw" ? (row?.sha256 ?? null) : null,
		};
	}
	const upload = /^uploads\/([0-9a-z]{14})$/.exec(key)?.[1];
	if (upload) {
		const [row] = await db.select({ sha256: uploads.sha256 }).from(uploads).where(eq(uploads.id, upload));
		return { wanted: true, sha256: row?.sha256 ?? null };
	}
	return { wanted: true, sha256: null };
}

/** An object of the archive is there already (with other bytes): a restore never overwrites one. */
export class ArchiveObjectExistsError extends BackupError {
	override name = "ArchiveObjectExistsError";
}

function hex(buffer: ArrayBuffer | undefined): string | null {
	return buffer ? [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("") : null;
}

/**
 * Checks an object against its manifest line and against the SHA-256 D1 recorded for it
 * (a snapshot's raw bytes, an upload: the rows are restored before the objects), skips one
 * of a snapshot whose row is not `ok` (`recordedFor`), and writes it only where the bucket
 * has no object of that key (R2's create-only put). The same
 * bytes sent again (a retried request) change nothing; other bytes under a key the bucket
 * holds are refused (ArchiveObjectExistsError). Refuses a key outside the archive's layout.
 */
export async function restoreObject(
	db: Db,
	bucket: R2Bucket,
	entry: ManifestEntry,
	body: Uint8Array,
): Promise<void> {
	if (!isArchiveKey(entry.key))
		throw new BackupError(`The manifest names ${entry.key.slice(0, 80)}, not an archive key.`);
	const sha256 = await sha256Hex(body);
	if (sha256 !== entry.sha256 || body.length !== entry.bytes) {
		throw new BackupError(
			`The object ${entry.key} does not match the manifest (SHA-256 ${sha256}, expected ${entry.sha256}).`,
		);
	}
	const recorded = await recordedFor(db, entry.key);
	// A copy stored after its row was exported: the row says no copy, and the archive holds
	// what its rows say (verifyArchive checks only `ok` rows), so it is not written.
	if (!recorded.wanted) return;
	if (recorded.sha256 !== null && recorded.sha256 !== sha256) {
		throw new BackupError(
			`The object ${entry.key} does not match the SHA-256 its row in the database records (${recorded.sha256}).`,
		);
	}
	const written = await bucket.put(entry.key, body, {
		// Create-only: R2 writes nothing (and answers null) where the key holds an object.
		onlyIf: { etagDoesNotMatch: "*" },
		sha256,
		...(entry.contentType ? { httpMetadata: { contentType: entry.contentType } } : {}),
	});
	if (written) return;
	const existing = await bucket.head(entry.key);
	if (hex(existing?.checksums.sha256) !== sha256) {
		throw new ArchiveObjectExistsError(
			`The archive already holds ${entry.key}: a restore writes only objects that are not there.`,
		);
	}
}

/** Where a verification of the archive stands, and what it found so far. */
export interface ArchiveCheck {
	checked: number;
	mismatched: string[];
}

/**
 * A page of the comparison of the bucket with the database: every object the rows of the
 * page name must be present, and a snapshot's raw bytes and an upload must hash to what D1
 * recorded. Each object is read once, one at a time.
 */
export async function verifyArchivePage(
	db: Db,
	bucket: R2Bucket,
	cursor: ArchiveCursor,
	rows: number,
): Promise<ArchiveCheck & { next: ArchiveCursor | null }> {
	const { keys, next } = await archiveKeysPage(db, cursor, rows);
	const mismatched: string[] = [];
	for (const { key, sha256 } of keys) {
		if (sha256 === null) {
			if (!(await bucket.head(key))) mismatched.push(key);
			continue;
		}
		const object = await bucket.get(key);
		const actual = object ? await sha256Hex(new Uint8Array(await object.arrayBuffer())) : null;
		if (actual !== sha256) mismatched.push(key);
	}
	return { checked: keys.length, mismatched, next };
}

/** The whole archive compared with the database (verifyArchivePage, page after page). */
export async function verifyArchive(db: Db, bucket: R2Bucket): Promise<ArchiveCheck> {
	const result: ArchiveCheck = { checked: 0, mismatched: [] };
	for (let cursor: ArchiveCursor | null = FIRST_ARCHIVE_PAGE; cursor; ) {
		const page = await verifyArchivePage(db, bucket, cursor, PAGE);
		result.checked += page.checked;
		result.mismatched.push(...page.mismatched);
		cursor = page.next;
	}
	return result;
}
