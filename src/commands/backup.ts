import { newId } from "../domain/ids";
import { AppError } from "../lib/errors";
import {
	type ArchiveCheck,
	type ArchiveCursor,
	ArchiveObjectExistsError,
	FIRST_ARCHIVE_PAGE,
	isArchiveKey,
	type ManifestEntry,
	manifestPage,
	restoreObject,
	verifyArchivePage,
} from "../store/archive-backup";
import {
	BackupChangedError,
	BackupError,
	backupHeaderOf,
	type DeferredLink,
	type ExportCursor,
	endOfBackup,
	exportPage,
	linkDeferred,
	NEW_RESTORE,
	type RestoreState,
	restorePage,
	startExport,
} from "../store/backup";
import { type Actor, writeAudit } from "../store/batch";
import {
	beginRestore,
	finishRestore,
	restoreGuard,
	restoreIsOpen,
	restoreStatus,
} from "../store/remote-restore";
import type { CommandContext } from "./context";

/**
 * The backup over HTTP (routes/api/backup): every read is audited (who, when, what part),
 * and every failure of the backup itself is a problem the client can act on: 409 when the
 * database changed under an export or is not empty for a restore, 422 for a bad file.
 */

const NOT_IN_PROGRESS = "This restore has not begun, or has ended: start it again from its first page.";

function asProblem(error: unknown): unknown {
	if (error instanceof BackupChangedError)
		return new AppError(409, error.message, { code: "backup-changed" });
	if (error instanceof ArchiveObjectExistsError)
		return new AppError(409, error.message, { code: "object-exists" });
	if (!(error instanceof BackupError)) return error;
	if (/batch_guards/.test(error.message)) {
		return new AppError(409, NOT_IN_PROGRESS, { code: "restore-not-in-progress" });
	}
	if (/not empty/.test(error.message)) return new AppError(409, error.message, { code: "not-empty" });
	return new AppError(422, error.message, { errors: [{ path: "lines", message: error.message }] });
}

async function problems<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw asProblem(error);
	}
}

/** A page of the export: the header first when `cursor` is null, then rows up to `limit`. */
export async function exportBackupPage(
	ctx: CommandContext,
	request: { cursor: ExportCursor | null; withNotes: boolean; limit: number },
): Promise<{ lines: string[]; next: ExportCursor | null }> {
	return problems(async () => {
		const start = request.cursor
			? null
			: await startExport(ctx.db, { id: newId(), withNotes: request.withNotes });
		const cursor = request.cursor ?? (start?.cursor as ExportCursor);
		const page = await exportPage(ctx.db, cursor, request.limit);
		await writeAudit(ctx.db, ctx.actor, [
			{
				action: "backup.export",
				entity: "backup",
				entityId: cursor.id,
				changes: {
					table: cursor.table,
					after: cursor.after,
					lines: page.lines.length,
					withNotes: cursor.withNotes,
				},
			},
		]);
		return { lines: start ? [start.header, ...page.lines] : page.lines, next: page.next };
	});
}

/** A page of the archive's manifest: key, SHA-256, size and type of each object. */
export async function listArchiveObjects(
	ctx: CommandContext,
	bucket: R2Bucket,
	cursor: ArchiveCursor | null,
	rows: number,
): Promise<{ entries: ManifestEntry[]; next: ArchiveCursor | null }> {
	return problems(async () => {
		const page = await manifestPage(ctx.db, bucket, cursor ?? FIRST_ARCHIVE_PAGE, rows);
		await writeAudit(ctx.db, ctx.actor, [
			{
				action: "backup.list-objects",
				entity: "backup",
				entityId: "archive",
				changes: { objects: page.entries.length },
			},
		]);
		return page;
	});
}

/** One archive object, for a backup; 404 for a key outside the archive's layout or missing. */
export async function readArchiveObject(
	ctx: CommandContext,
	bucket: R2Bucket,
	key: string,
): Promise<R2ObjectBody> {
	const object = isArchiveKey(key) ? await bucket.get(key) : null;
	if (!object) throw new AppError(404, `The archive has no object ${key.slice(0, 80)}.`);
	await writeAudit(ctx.db, ctx.actor, [{ action: "backup.read-object", entity: "backup", entityId: key }]);
	return object;
}

/**
 * A page of a restore. Without `state` it begins one (the target empty but for the
 * restoring admin, checked in SQL), named by `restoreId` when the client chose it (so
 * the first page, too, may be sent again); the backup's user of the admin's email is
 * merged into the admin's account. Returns the state to send with the next page and the
 * deferred references to send to `linkRestore` once every row is in. A page sent again
 * with the same state writes nothing twice (audit rows of a header without their high
 * water aside: store/backup `restorePage`).
 */
export async function restoreBackupPage(
	ctx: CommandContext & { actor: Actor & { userId: string } },
	request: { restoreId: string | null; state: RestoreState | null; lines: string[]; email: string },
): Promise<{
	restoreId: string;
	state: RestoreState;
	deferred: DeferredLink[];
	rows: Record<string, number>;
}> {
	return problems(async () => {
		const restoreId = request.restoreId ?? newId();
		if (!request.state) {
			const header = backupHeaderOf(request.lines);
			await beginRestore(ctx.db, ctx.actor, restoreId, header?.highWater?.audit_log ?? null);
		}
		const page = await restorePage(ctx.db, request.state ?? NEW_RESTORE, request.lines, {
			guard: restoreGuard(ctx.db, restoreId),
			keep: { id: ctx.actor.userId, email: request.email, actor: ctx.actor },
			replayable: true,
		});
		return { restoreId, ...page };
	});
}

/** Where a restore stands (`open`, `ended` or `unknown` here), for a client going on with it. */
export function restoreProgress(
	ctx: CommandContext,
	restoreId: string,
): Promise<"open" | "ended" | "unknown"> {
	return restoreStatus(ctx.db, restoreId);
}

/** Sets deferred references (claims' current verdicts, corrections' predecessors) of a restore in progress. */
export async function linkRestore(
	ctx: CommandContext,
	restoreId: string,
	links: DeferredLink[],
): Promise<void> {
	await problems(() => linkDeferred(ctx.db, links, restoreGuard(ctx.db, restoreId)));
}

/**
 * Ends a restore, a bounded part per call: the file must be whole (every table as its
 * header announced), then the search terms are computed. `next` null: the restore is done,
 * and every public answer cached before or during it is purged (`backup.restored`): an empty
 * list or a claim's "not found" would otherwise stay at the edge for its lifetime. A last
 * call sent again purges again, which changes nothing.
 */
export async function finishRestoreStep(
	ctx: CommandContext,
	request: { restoreId: string; state: RestoreState; after: number },
): Promise<{ next: number | null }> {
	const step = await problems(async () => {
		const header = endOfBackup(request.state);
		return finishRestore(ctx.db, ctx.actor, request.restoreId, request.after, {
			rows: header.tables,
			mergedUsers: Object.keys(request.state.users).length,
			auditHighWater: header.highWater?.audit_log ?? null,
			state: request.state,
		});
	});
	if (step.next === null) ctx.effects.emit({ type: "backup.restored", restoreId: request.restoreId });
	return step;
}

/**
 * Writes an archive object of a restore in progress (409 `restore-not-in-progress`
 * otherwise), checked against its SHA-256, its size and the hash its row records, and
 * only where the bucket has none (409 `object-exists`): live evidence is never overwritten.
 */
export async function restoreArchiveObject(
	ctx: CommandContext,
	bucket: R2Bucket,
	restoreId: string,
	entry: ManifestEntry,
	body: Uint8Array,
): Promise<void> {
	await problems(async () => {
		if (!(await restoreIsOpen(ctx.db, restoreId))) {
			throw new AppError(409, NOT_IN_PROGRESS, { code: "restore-not-in-progress" });
		}
		await restoreObject(ctx.db, bucket, entry, body);
		await writeAudit(ctx.db, ctx.actor, [
			{
				action: "backup.restore-object",
				entity: "backup",
				entityId: entry.key,
				changes: { sha256: entry.sha256, restore: restoreId },
			},
		]);
	});
}

/** A page of the check that every object the database names is in the bucket and matches its SHA-256. */
export async function verifyArchiveObjects(
	ctx: CommandContext,
	bucket: R2Bucket,
	cursor: ArchiveCursor | null,
	rows: number,
): Promise<ArchiveCheck & { next: ArchiveCursor | null }> {
	const page = await verifyArchivePage(ctx.db, bucket, cursor ?? FIRST_ARCHIVE_PAGE, rows);
	await writeAudit(ctx.db, ctx.actor, [
		{
			action: "backup.verify-objects",
			entity: "backup",
			entityId: "archive",
			changes: { checked: page.checked, mismatched: page.mismatched.length },
		},
	]);
	return page;
}
