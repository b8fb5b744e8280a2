import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { idempotencyKeys, retiredClaims } from "../db/schema";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { conflict } from "../lib/errors";
import { guardOneRow, runBatch, type Statement } from "./batch";
import { guardedBookkeeping, onlyReads } from "./tokens";

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/** A pending key older than this belongs to a request that died half-way: it may be taken over. */
const STALE_PENDING_MS = 60_000;
/** Keys are kept this long: long enough for any reload or client retry. */
const KEEP_KEYS_MS = 24 * 60 * 60 * 1000;

/**
 * Claims a key for one request. `claimed` means go ahead and write (`createdAt`: the claim's,
 * which the write's mark checks is still this request's); otherwise the existing record says
 * what the first request did (or that it is still running). A pending key older than
 * STALE_PENDING_MS is taken over only when its write never landed (no `writtenAt`): a written
 * key stays the first request's, however old, and a repeat answers from it. The taker's
 * scope goes with it: the key stands for what the taker writes, so a repeat of the first
 * request's other body is refused (422), not answered with the taker's record.
 */
export async function claimIdempotencyKey(
	db: Db,
	input: { id: string; userId: string; scope: string },
): Promise<{ claimed: true; createdAt: string } | { claimed: false; record: IdempotencyRecord }> {
	const now = new Date();
	// A token's request: revoked since its arrival, no key is claimed (a 401; store/tokens).
	const inserted = await guardedBookkeeping(
		db,
		db
			.insert(idempotencyKeys)
			.values({ id: input.id, userId: input.userId, scope: input.scope, createdAt: now.toISOString() })
			.onConflictDoNothing()
			.returning({ id: idempotencyKeys.id }),
	);
	if (inserted.length > 0) return { claimed: true, createdAt: now.toISOString() };
	const record = await db.query.idempotencyKeys.findFirst({ where: eq(idempotencyKeys.id, input.id) });
	if (!record) return claimIdempotencyKey(db, input);
	const stale = now.getTime() - Date.parse(record.createdAt) > STALE_PENDING_MS;
	if (record.state === "pending" && record.writtenAt === null && stale) {
		// Take over only if nobody else did first (compare-and-set on created_at).
		const taken = await guardedBookkeeping(
			db,
			db
				.update(idempotencyKeys)
				.set({ createdAt: now.toISOString(), scope: input.scope })
				.where(
					and(
						eq(idempotencyKeys.id, input.id),
						eq(idempotencyKeys.state, "pending"),
						isNull(idempotencyKeys.writtenAt),
						eq(idempotencyKeys.createdAt, record.createdAt),
					),
				)
				.returning({ id: idempotencyKeys.id }),
		);
		if (taken.length > 0) return { claimed: true, createdAt: now.toISOString() };
	}
	return { claimed: false, record };
}

export async function getIdempotencyRecord(db: Db, id: string): Promise<IdempotencyRecord | undefined> {
	return db.query.idempotencyKeys.findFirst({ where: eq(idempotencyKeys.id, id) });
}

/** A claim id's removal: its `retired_claims` row without a claim it went into. */
const removed = (claimId: string) =>
	sql`EXISTS (SELECT 1 FROM ${retiredClaims} WHERE ${retiredClaims.id} = ${claimId} AND ${retiredClaims.mergedInto} IS NULL)`;

/**
 * Stores what the request produced, so a repeat can answer with it. An answer about a claim
 * (`claimId`) removed while the request ran keeps no body: the removal's batch found the key
 * still pending, and the claim's words must not stay here (a repeat answers the removal).
 */
export async function completeIdempotencyKey(
	db: Db,
	id: string,
	result: { status: number; location: string | null; body: string | null; claimId?: string | null },
): Promise<void> {
	const { claimId = null, ...answer } = result;
	await db
		.update(idempotencyKeys)
		.set({
			state: "done",
			...answer,
			body: claimId ? sql`CASE WHEN ${removed(claimId)} THEN NULL ELSE ${answer.body} END` : answer.body,
			claimId,
			completedAt: new Date().toISOString(),
		})
		.where(eq(idempotencyKeys.id, id));
}

/**
 * For a claim removal's batch (store/claim-removals), before its own `retired_claims`
 * writes: the answers kept for repeats about the claim or a claim merged into it (its
 * create, an appearance, a note, a draft discarded since) lose their bodies and addresses,
 * which hold its words. The keys stay, so a repeat answers the removal (410) instead of
 * recording the claim again. By `idempotency_keys_claim_idx`, and by address for answers
 * that name no claim.
 */
export function forgetClaimAnswers(db: Db, claimId: string) {
	const ids = sql`SELECT ${claimId} AS id UNION ALL SELECT ${retiredClaims.id} FROM ${retiredClaims} WHERE ${retiredClaims.mergedInto} = ${claimId}`;
	// An answer naming no claim (completed before migration 0044, and one 0048 could not
	// read) names it by its request, as routes/api/created.ts keeps it: the scope of a write
	// on the claim (`POST /api/v1/claims/<id>/notes <hash>`, a draft discarded since too), or
	// a create's address (`…/api/v1/claims/<id>`). Such rows are few: keys live 24 hours.
	const named = sql`EXISTS (SELECT 1 FROM (${ids}) AS c WHERE
		substr(${idempotencyKeys.scope}, 1, 21 + length(c.id)) = 'POST /api/v1/claims/' || c.id || '/'
		OR substr(${idempotencyKeys.location}, instr(${idempotencyKeys.location}, '/api/v1/claims/')) = '/api/v1/claims/' || c.id)`;
	return (
		db
			.update(idempotencyKeys)
			// Named now, so that a repeat answers the removal (410 claim-removed), not an empty 410.
			.set({
				status: 410,
				body: null,
				location: null,
				claimId: sql`coalesce(${idempotencyKeys.claimId}, ${claimId})`,
			})
			.where(sql`${idempotencyKeys.claimId} IN (${ids}) OR (${idempotencyKeys.claimId} IS NULL AND ${named})`)
	);
}

/**
 * One kept answer emptied: its claim turned out removed when a repeat read it. A batch: a
 * repeat's only write, guarded in a token's request (store/tokens).
 */
export async function forgetAnswer(db: Db, id: string): Promise<void> {
	await runBatch(db, [
		db
			.update(idempotencyKeys)
			.set({ status: 410, body: null, location: null })
			.where(eq(idempotencyKeys.id, id)),
	]);
}

/**
 * Frees a key whose request failed without writing, so the same form can be sent again. One
 * whose write landed (`writtenAt`, a run that failed after its batch) stays: a repeat
 * answers from it instead of writing a second record. Only this request's claim (`createdAt`):
 * a first run refused after its key was taken over (stale) must not free the taker's.
 */
export async function releaseIdempotencyKey(db: Db, id: string, createdAt: string): Promise<void> {
	await db
		.delete(idempotencyKeys)
		.where(
			and(
				eq(idempotencyKeys.id, id),
				eq(idempotencyKeys.state, "pending"),
				isNull(idempotencyKeys.writtenAt),
				eq(idempotencyKeys.createdAt, createdAt),
			),
		);
}

/**
 * What a key's write answers, known before it runs: its status, its Location, the claim it
 * is about, and the id of the record it makes (made before its batch), by which a repeat
 * reads the answer's body back. Kept by the write's own batch (`markingDb`).
 */
export interface WrittenAnswer {
	status: number;
	location: string | null;
	claimId?: string | null;
	recordId?: string | null;
}

/** The key a request holds while its write runs (auth/idempotency arms it after the claim). */
export interface HeldKey {
	id: string;
	/** The claim's `created_at`: a key taken over since (stale) is no longer this request's. */
	createdAt: string;
	answer: WrittenAnswer;
}

const ARM = Symbol("idempotency-arm");
const UNMARKED = Symbol("idempotency-unmarked");
const MARKED = Symbol("idempotency-marked");

/**
 * The request's Db for a write (installed for every request that may write, before a
 * token's guard: auth/idempotency `idempotencyMarks`). While an Idempotency-Key is held
 * (`armIdempotencyMark`), the first batch that writes carries the key's mark: `writtenAt`
 * and the answer known before the write, guarded by "the key is still this request's,
 * pending and unwritten". So the write and the record that it happened commit together: a
 * run that stops after that batch (its CPU limit, an uncaught error, an eviction) before the
 * key kept its answer leaves a written key, which a repeat answers from and never writes
 * again; one that stops before it leaves an unwritten one, which a repeat may take over once
 * stale. It is the Db, not each command's batch helper, that appends the mark: the commands'
 * batches do not all pass through one function (some stores call `db.batch` themselves), and
 * a command added later writes through the request's Db too, so none can leave it out. Only
 * the first write batch is marked: a command's later batches (an archive URL kept after a
 * claim's insert) go as they are, and a key that is no longer this request's (taken over
 * after a minute, or marked already by a batch whose answer was lost) refuses the write whole
 * (409 `idempotency-pending`) instead of making the record twice. Two exceptions, for a write
 * that is not what the request asked for: a refusal's own bookkeeping (`unmarked`), and the
 * undo of the write after a refusal (`freeingMarkedKey`).
 */
export function markingDb(db: Db): Db {
	let held: HeldKey | null = null;
	/** The key this request's batch marked: the batch undoing that write frees it. */
	let marked: HeldKey | null = null;
	const batch = async (statements: [Statement, ...Statement[]]) => {
		const key = held;
		if (!key || onlyReads(statements)) return db.batch(statements);
		let results: unknown[];
		try {
			results = await db.batch([...statements, markWritten(db, key), guardOneRow(db)]);
		} catch (error) {
			if (constraintFailure(error)?.kind === "guard" && !(await stillHeld(db, key))) throw keyTakenOver();
			throw error;
		}
		if (held === key) {
			held = null;
			marked = key;
		}
		return results.slice(0, statements.length);
	};
	const withoutMark = async <T>(write: () => Promise<T>): Promise<T> => {
		const key = held;
		held = null;
		try {
			return await write();
		} finally {
			held = key;
		}
	};
	return new Proxy(db, {
		get(target, property) {
			if (property === "batch") return batch;
			if (property === ARM)
				return (key: HeldKey | null) => {
					held = key;
					if (key) marked = null;
				};
			if (property === UNMARKED) return withoutMark;
			if (property === MARKED) return marked;
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/**
 * Arms (or, with null, disarms) the request's Db so that its next write batch marks `key`
 * written. Throws where the Db is not the request's marking one: a key held without its mark
 * would break the promise silently.
 */
export function armIdempotencyMark(db: Db, key: HeldKey | null): void {
	const arm = (db as Db & { [ARM]?: (key: HeldKey | null) => void })[ARM];
	if (!arm) throw new Error("An Idempotency-Key is held only over the request's marking Db (markingDb).");
	arm(key);
}

/**
 * Runs a refusal's own bookkeeping without the key's mark: a replay that finds its delivery
 * not to send marks it dead (or forgets a removed claim's text) before its 409. That batch
 * records the refusal, not what the request asked for; marked, the key kept the answer named
 * in advance, and a double click or a reload was told "Replayed" for a delivery left dead.
 * Unmarked, the key is freed with the refusal (or, the run stopped after that batch, taken
 * over once stale), and a repeat is decided again. Only for a batch that is never the
 * request's record: anything else it writes after goes marked as before.
 */
export function unmarked<T>(db: Db, write: () => Promise<T>): Promise<T> {
	const run = (db as Db & { [UNMARKED]?: (write: () => Promise<T>) => Promise<T> })[UNMARKED];
	return run ? run(write) : write();
}

/**
 * For the batch that undoes all a request wrote, after a refusal that came once its write
 * had committed (a replay or a test event the queue refused: 503, "nothing was changed"):
 * frees the key that write's batch marked, only this request's claim (`created_at`). Undone
 * and freed together, so no repeat is told "done" for what was undone, and one sent again
 * once the queue is up does it. None when no key was marked (a request without one).
 */
export function freeingMarkedKey(db: Db): Statement[] {
	const key = (db as Db & { [MARKED]?: HeldKey | null })[MARKED];
	if (!key) return [];
	return [
		db
			.delete(idempotencyKeys)
			.where(
				and(
					eq(idempotencyKeys.id, key.id),
					eq(idempotencyKeys.state, "pending"),
					eq(idempotencyKeys.createdAt, key.createdAt),
				),
			),
	];
}

/** The key's mark, for the end of the write's batch; `guardOneRow` after it. */
function markWritten(db: Db, key: HeldKey): Statement {
	return db
		.update(idempotencyKeys)
		.set({
			writtenAt: new Date().toISOString(),
			status: key.answer.status,
			location: key.answer.location,
			claimId: key.answer.claimId ?? null,
			writtenId: key.answer.recordId ?? null,
		})
		.where(
			and(
				eq(idempotencyKeys.id, key.id),
				eq(idempotencyKeys.state, "pending"),
				isNull(idempotencyKeys.writtenAt),
				eq(idempotencyKeys.createdAt, key.createdAt),
			),
		);
}

async function stillHeld(db: Db, key: HeldKey): Promise<boolean> {
	const row = await db.query.idempotencyKeys.findFirst({
		where: and(
			eq(idempotencyKeys.id, key.id),
			eq(idempotencyKeys.state, "pending"),
			isNull(idempotencyKeys.writtenAt),
			eq(idempotencyKeys.createdAt, key.createdAt),
		),
		columns: { id: true },
	});
	return row !== undefined;
}

const keyTakenOver = () =>
	conflict("This form is still being saved. Reload the page in a moment.", "idempotency-pending");

export async function purgeOldIdempotencyKeys(db: Db, now = Date.now()): Promise<void> {
	await db
		.delete(idempotencyKeys)
		.where(lt(idempotencyKeys.createdAt, new Date(now - KEEP_KEYS_MS).toISOString()));
}
