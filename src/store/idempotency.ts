import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys, retiredClaims } from "../db/schema";
import type { Db } from "../factory";
import { runBatch } from "./batch";
import { guardedBookkeeping } from "./tokens";

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/** A pending key older than this belongs to a request that died half-way: it may be taken over. */
const STALE_PENDING_MS = 60_000;
/** Keys are kept this long: long enough for any reload or client retry. */
const KEEP_KEYS_MS = 24 * 60 * 60 * 1000;

/**
 * Claims a key for one request. `claimed` means go ahead and write; otherwise the
 * existing record says what the first request did (or that it is still running).
 */
export async function claimIdempotencyKey(
	db: Db,
	input: { id: string; userId: string; scope: string },
): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
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
	if (inserted.length > 0) return { claimed: true };
	const record = await db.query.idempotencyKeys.findFirst({ where: eq(idempotencyKeys.id, input.id) });
	if (!record) return claimIdempotencyKey(db, input);
	if (record.state === "pending" && now.getTime() - Date.parse(record.createdAt) > STALE_PENDING_MS) {
		// Take over only if nobody else did first (compare-and-set on created_at).
		const taken = await guardedBookkeeping(
			db,
			db
				.update(idempotencyKeys)
				.set({ createdAt: now.toISOString() })
				.where(
					and(
						eq(idempotencyKeys.id, input.id),
						eq(idempotencyKeys.state, "pending"),
						eq(idempotencyKeys.createdAt, record.createdAt),
					),
				)
				.returning({ id: idempotencyKeys.id }),
		);
		if (taken.length > 0) return { claimed: true };
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

/** Frees a key whose request failed without writing, so the same form can be sent again. */
export async function releaseIdempotencyKey(db: Db, id: string): Promise<void> {
	await db
		.delete(idempotencyKeys)
		.where(and(eq(idempotencyKeys.id, id), eq(idempotencyKeys.state, "pending")));
}

export async function purgeOldIdempotencyKeys(db: Db, now = Date.now()): Promise<void> {
	await db
		.delete(idempotencyKeys)
		.where(lt(idempotencyKeys.createdAt, new Date(now - KEEP_KEYS_MS).toISOString()));
}
