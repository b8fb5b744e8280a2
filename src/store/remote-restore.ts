import { sql } from "drizzle-orm";
import { auditLog, batchGuards, users } from "../db/schema";
import type { Db } from "../factory";
import {
	BackupError,
	backupTableCounts,
	contentTablesEmpty,
	filledTables,
	type RestoreState,
	restoredChanges,
	restoredReviews,
	restoredWriters,
} from "./backup";
import { type Actor, runBatch, type Statement } from "./batch";
import { reindexSearchTermsFrom } from "./search-terms";

/**
 * The restore of a backup over HTTP (routes/api/backup), page by page into a new
 * deployment. What makes it differ from the local one (store/backup `restoreRows`):
 *
 * - The target is not quite empty: the admin who restores has an account, a token and
 *   the audit rows of making them. Every other table must be empty, and the users table
 *   hold no one else. The backup's user of the same email is merged into that account
 *   (store/backup `restorePage` with `keep`).
 * - The backup's audit rows keep their ids. The header says the highest one exported: when
 *   the restore begins, the target's own rows (the admin's account and token) move past it,
 *   and this restore's start and every row written while it runs (a failed login, an object
 *   restored) take ids after them, so every id stays unique and the log stays in order. A
 *   backup made before the header said so: the target's own rows move to negative ids when
 *   the restore begins and after the backup's when it ends (a row written meanwhile may then
 *   take an id the backup's audit log holds, and fail the restore at its last table).
 * - Each step is guarded in SQL, in the batch that writes: the first by the target being
 *   empty and no restore having begun, every later one by this restore having begun and
 *   not ended (an audit row names it). Two restores never interleave.
 * - Every step may be sent again (audit rows of a header without their high water aside,
 *   which the CLI therefore works out and sends): the client names the restore from its first page on,
 *   a row already there is left as it is (store/backup `restorePage`, `replayable`), and a
 *   step of a restore that has begun, or ended, is not refused for it. So a page whose
 *   answer was lost is sent again, and a restore whose client stopped goes on from its
 *   last page. Finishing counts every table against the header: a row left out as another
 *   row's duplicate cannot pass unseen.
 */

const STARTED = "backup.restore-started";
const RESTORED = "backup.restored";

/**
 * Reindexing pages per finishing request: of 500 claims (two queries) or, after them, of 200
 * merged claims' words (three), some 60 queries at most however large the archive.
 */
const REINDEX_PAGES = 20;

function marked(action: string, restoreId: string) {
	return sql`EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.action} = ${action} AND ${auditLog.entityId} = ${restoreId})`;
}

/** Aborts its batch unless the restore named has begun and not ended. */
export function restoreGuard(db: Db, restoreId: string): Statement {
	return db
		.insert(batchGuards)
		.values({ ok: sql`${marked(STARTED, restoreId)} AND NOT ${marked(RESTORED, restoreId)}` });
}

/**
 * Whether the restore named has begun and not ended, read now. For what D1 cannot guard
 * in a batch (an object written to R2): the CLI writes the objects before it ends the restore.
 */
export async function restoreIsOpen(db: Db, restoreId: string): Promise<boolean> {
	const row = await db.get<{ open: number }>(
		sql`SELECT ${marked(STARTED, restoreId)} AND NOT ${marked(RESTORED, restoreId)} AS open`,
	);
	return row?.open === 1;
}

/**
 * Begins a restore: refused (409) unless the backup's tables are empty but for the
 * restoring account and audit rows, checked again in SQL by the batch that begins it.
 */
export async function beginRestore(
	db: Db,
	actor: Actor & { userId: string },
	restoreId: string,
	/** The backup's highest audit_log id, when its header says it. */
	auditHighWater: number | null,
): Promise<void> {
	// Its first page again (the answer was lost, or the client stopped before it came).
	if (await restoreIsOpen(db, restoreId)) return;
	const refuse = (filled: string[]) =>
		new BackupError(
			`The database is not empty (${filled.join(", ") || "another restore has begun"}): a backup is only restored into a new deployment, whose one account is the admin restoring it.`,
		);
	const filled = await filledTables(db, true);
	if (filled.length > 0) throw refuse(filled);
	const guard = db.insert(batchGuards).values({
		ok: sql`${contentTablesEmpty()}
			AND NOT EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} <> ${actor.userId})
			AND NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.action} = ${STARTED})`,
	});
	try {
		await runBatch(db, [
			guard,
			db
				.update(auditLog)
				.set({ id: sql`-${auditLog.id}` })
				.where(sql`${auditLog.id} > 0`),
			...(auditHighWater === null
				? []
				: [
						db
							.update(auditLog)
							.set({ id: sql`${auditHighWater} - ${auditLog.id}` })
							.where(sql`${auditLog.id} < 0`),
					]),
			db.insert(auditLog).values({
				// Past the backup's ids: AUTOINCREMENT goes on from here, for every row written later.
				id:
					auditHighWater === null
						? sql`(SELECT min(0, coalesce(min(${auditLog.id}), 0)) - 1 FROM ${auditLog})`
						: sql`(SELECT max(coalesce(max(${auditLog.id}), 0), ${auditHighWater}) + 1 FROM ${auditLog})`,
				actorId: actor.userId,
				actorLabel: actor.label,
				action: STARTED,
				entity: "backup",
				entityId: restoreId,
				requestId: actor.requestId ?? null,
				clientRequestId: actor.clientRequestId ?? null,
				tokenMintedBy: actor.tokenMintedBy ?? null,
			}),
		]);
	} catch (error) {
		if (/CHECK constraint failed: batch_guards/.test(String(error) + String((error as Error).cause))) {
			// The same first page, sent again while the first send was still on its way, lost the race.
			if (await restoreIsOpen(db, restoreId)) return;
			throw refuse(await filledTables(db));
		}
		throw error;
	}
}

/** Where the restore named stands: for a client going on with one after it stopped. */
export async function restoreStatus(db: Db, restoreId: string): Promise<"open" | "ended" | "unknown"> {
	const row = await db.get<{ started: number; ended: number }>(
		sql`SELECT ${marked(STARTED, restoreId)} AS started, ${marked(RESTORED, restoreId)} AS ended`,
	);
	if (row?.ended === 1) return "ended";
	return row?.started === 1 ? "open" : "unknown";
}

/**
 * Ends a restore, a bounded part per call: the target's own audit rows, if still at
 * negative ids (a backup without high water), go after the backup's (in their order), then
 * the search terms are computed, `REINDEX_PAGES` pages a call: the claims', then the merged
 * claims' words' (store/search-terms `reindexSearchTermsFrom`; `after` is negative among
 * those). Returns where to go on, or null once the restore is ended (and audited). A call
 * sent again redoes its pages only: each writes what differs.
 */
export async function finishRestore(
	db: Db,
	actor: Actor,
	restoreId: string,
	after: number,
	restored: Restored,
): Promise<{ next: number | null }> {
	const { rows } = restored;
	// Its last call again, whose answer was lost: the restore has ended.
	if ((await restoreStatus(db, restoreId)) === "ended") return { next: null };
	const guard = restoreGuard(db, restoreId);
	// The subquery is not correlated: SQLite reads the highest id once, before any row moves.
	await runBatch(db, [
		guard,
		db
			.update(auditLog)
			.set({ id: sql`(SELECT max(${auditLog.id}) FROM ${auditLog}) - ${auditLog.id}` })
			.where(sql`${auditLog.id} < 0`),
	]);
	const { next } = await reindexSearchTermsFrom(db, after, REINDEX_PAGES);
	if (next !== null) return { next };
	// Last, so that nothing written on the way passes unseen: pages may have been sent again.
	await checkRestoredCounts(db, restored);
	await runBatch(db, [
		restoreGuard(db, restoreId),
		// As migrations 0031 and 0057 did, for a backup made before 0030 (no `changed_at`),
		// 0043 for one made before 0042 (its drafts' writers) and 0022 for one made before 0020
		// (its imported reviews' publishers), with the audit log in.
		...restoredChanges(db, restored.state),
		...restoredWriters(db, restored.state),
		...restoredReviews(db, restored.state),
		db.insert(auditLog).values({
			actorId: actor.userId,
			actorLabel: actor.label,
			action: RESTORED,
			entity: "backup",
			entityId: restoreId,
			changes: JSON.stringify({ rows }),
			requestId: actor.requestId ?? null,
			clientRequestId: actor.clientRequestId ?? null,
			tokenMintedBy: actor.tokenMintedBy ?? null,
		}),
	]);
	return { next: null };
}

/** What a restore's file held, to finish it with. */
interface Restored {
	rows: Record<string, number>;
	/** Backup users merged into the restoring account (by email): 0 or 1. */
	mergedUsers: number;
	/** The header's highest audit id; null for a backup made before headers said it. */
	auditHighWater: number | null;
	/** The last page's state: what the end redoes for an older file (store/backup `restoredWriters`). */
	state: RestoreState;
}

/**
 * Every table holds what the file held: the header's count, the users less those merged
 * into the restoring account and plus that account. The audit log's rows from the file are
 * those up to its high water (the deployment's own come after them); a backup without high
 * water has them inserted plainly (store/backup `restorePage`), so a collision fails there,
 * and here they are only at least as many. Pages may be sent again and keep a row already
 * there, so a row another of the same key kept out is found here, not missed.
 */
async function checkRestoredCounts(db: Db, restored: Restored): Promise<void> {
	const counts = await backupTableCounts(db);
	const { auditHighWater } = restored;
	if (auditHighWater !== null) {
		const own = await db.get<{ n: number }>(
			sql`SELECT count(*) AS n FROM ${auditLog} WHERE ${auditLog.id} <= ${auditHighWater}`,
		);
		counts.audit_log = own?.n ?? 0;
	}
	const wrong = Object.entries(counts).filter(([table, n]) => {
		const inFile = restored.rows[table] ?? 0;
		if (table === "audit_log" && auditHighWater === null) return n < inFile;
		if (table === "users") return n !== inFile - restored.mergedUsers + 1;
		return n !== inFile;
	});
	if (wrong.length > 0) {
		throw new BackupError(
			`The database does not hold what the file did (${wrong
				.map(([table, n]) => `${table}: ${n} rows, the file ${restored.rows[table] ?? 0}`)
				.join(
					"; ",
				)}). The restore is not finished: fewer rows means some were left out as another row of the same key; more, that rows were written beside the restore. Make the deployment anew and restore again.`,
		);
	}
}
