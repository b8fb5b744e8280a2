import { and, eq, sql } from "drizzle-orm";
import { appearances, auditLog, claimChanges, claims, retiredClaims, uploads } from "../db/schema";
import { sha256Hex } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, notFound } from "../lib/errors";
import { type Actor, nowIso, runBatch, type Statement } from "./batch";
import { retirementRefusal, staleClaim } from "./claim-merges";
import { type ClaimDetail, getClaim } from "./claims";
import { listNotes } from "./collaboration";
import { forgetClaimAnswers } from "./idempotency";
import { firstTextOf } from "./import-ids";
import { claimFate, externalIdOf, leavingClaimGuard } from "./retired-claims";
import { loneSpeakerGoes } from "./speakers";
import { forgetClaimDeliveries, forgetLoneSpeakerDeliveries } from "./webhooks";

export interface ClaimRemoval {
	claimId: string;
	removedAt: string;
	/** The speaker whose page listed it (gone too when it had no other claim). */
	speakerId: string | null;
	/** R2 keys' ids of the attachments whose rows went with the claim. */
	uploadIds: string[];
	/** The ids merged into it before, which answer 410 now too (partners are told of each). */
	mergedIds: string[];
}

/** Refuses a removal of a claim that is gone already, saying where it went. */
async function goneAlready(db: Db, claimId: string): Promise<AppError> {
	const fate = await claimFate(db, claimId);
	if (!fate) return notFound("claim");
	if ("mergedInto" in fate) {
		return conflict(
			`This claim was merged into claim ${fate.mergedInto}; it is not removed.`,
			"claim-merged",
			fate,
		);
	}
	return new AppError(410, "This claim was removed from the tracker already.", {
		code: "claim-removed",
		extra: fate,
	});
}

/**
 * What the audit log keeps of a removed claim: ids, hashes and the reason, nothing of its
 * text, its speaker's name, its notes or its files' names. A removal is for a claim that
 * should never have been recorded (a private individual's words, say), and the audit log
 * is in every backup; the hashes still prove what was removed to whoever holds a copy.
 */
async function removalRecord(
	claim: ClaimDetail,
	firstText: string,
	notes: { id: string; text: string; authorId: string | null; at: string }[],
	reason: string,
) {
	return {
		reason,
		claim: {
			id: claim.id,
			textSha256: await sha256Hex(claim.text),
			// The text it was recorded with, when corrected since: what a later import of the same
			// words without an import id (the demo seed's, on an old database) knows it by.
			firstTextSha256: await sha256Hex(firstText),
			language: claim.language,
			status: claim.status,
			speakerId: claim.speakerId,
			externalId: claim.externalId,
			createdAt: claim.createdAt,
			createdBy: claim.createdBy,
			appearances: claim.appearances.map((a) => ({ id: a.id, sourceId: a.sourceId, isFirst: a.isFirst })),
			topics: claim.tags.map((tag) => tag.slug),
		},
		notes: await Promise.all(
			notes.map(async (n) => ({
				id: n.id,
				authorId: n.authorId,
				at: n.at,
				textSha256: await sha256Hex(n.text),
			})),
		),
	};
}

/**
 * The SHA-256s of the texts of claims removed that a source had, as removed and as first
 * recorded (their removals' audit records, `removalRecord`; the first text only since session
 * 26): what the tracker keeps of a claim removed without an import id, so the demo seed does
 * not record one of its claims again, corrected before its removal or not
 * (commands/seed-demo). By `audit_log_entity_idx` (every removal of a claim: a seed's read,
 * not a request's).
 */
export async function removedTextHashesAt(db: Db, sourceId: string): Promise<Set<string>> {
	const rows = await db.all<{ hash: unknown; first: unknown }>(
		sql`SELECT json_extract(${auditLog.changes}, '$.claim.textSha256') AS hash,
				json_extract(${auditLog.changes}, '$.claim.firstTextSha256') AS first
			FROM ${auditLog}
			WHERE ${auditLog.entity} = 'claim' AND ${auditLog.action} = 'remove'
				AND EXISTS (SELECT 1 FROM json_each(${auditLog.changes}, '$.claim.appearances') AS a
					WHERE json_extract(a.value, '$.sourceId') = ${sourceId})`,
	);
	return new Set(
		rows.flatMap((row) => [row.hash, row.first].filter((hash): hash is string => typeof hash === "string")),
	);
}

/** An audit row's `changes` once what it recorded was removed: who did what, when, stays. */
const REDACTED = JSON.stringify({ redacted: "claim removed" });

/**
 * The earlier audit rows of the claim (its creation, edits, notes, uploads, and those of the
 * ids merged into it), which hold its text: redacted, like the claim. Before the removal's
 * own `retired_claims` writes and its own row. By `audit_log_entity_idx`.
 */
function redactClaimAudit(db: Db, claimId: string): Statement {
	return db
		.update(auditLog)
		.set({ changes: REDACTED })
		.where(
			and(
				eq(auditLog.entity, "claim"),
				sql`${auditLog.entityId} IN (SELECT ${claimId} UNION ALL SELECT ${retiredClaims.id} FROM ${retiredClaims} WHERE ${retiredClaims.mergedInto} = ${claimId})`,
			),
		);
}

/**
 * The audit rows of its discarded drafts (created, saved, returned, discarded: `entity =
 * 'verdict'`), which hold their headline, summary and evidence: a removal is refused while a
 * draft is open, so every drafted claim that leaves has them. Found by the discard's entry,
 * which names the claim (`audit_log_discarded_draft_idx`), also for the ids merged into it.
 */
function redactDiscardedDraftAudit(db: Db, claimId: string): Statement {
	const claimIds = sql`(SELECT ${claimId} UNION ALL SELECT ${retiredClaims.id} FROM ${retiredClaims} WHERE ${retiredClaims.mergedInto} = ${claimId})`;
	return db
		.update(auditLog)
		.set({ changes: REDACTED })
		.where(
			and(
				eq(auditLog.entity, "verdict"),
				sql`${auditLog.entityId} IN (SELECT discard.entity_id FROM ${auditLog} AS discard WHERE discard.entity = 'verdict' AND discard.action = 'discard-draft' AND (discard.changes ->> '$.claimId') IN ${claimIds})`,
			),
		);
}

/**
 * Removes a claim recorded by mistake (not a claim, the wrong person, a private individual)
 * at the version read: only one that never had a public verdict (a reviewed claim is
 * retracted, never removed) and has no open draft. Its rows go (appearances, topics,
 * notes, attachments, internal edits; sources stay, other claims may cite them), and so
 * does its speaker when no other claim names it: a private individual's name must not
 * stay public. Its id answers 410 Gone (`retired_claims`), as do ids merged into it. The
 * audit keeps ids, hashes and the reason (`removalRecord`); the claim's earlier audit rows,
 * and its lone speaker's, are redacted. One batch: the version and "no verdict" are
 * checked in SQL.
 */
export async function removeClaim(
	db: Db,
	actor: Actor,
	claimId: string,
	input: { version: number; reason: string },
): Promise<ClaimRemoval> {
	const claim = await getClaim(db, claimId);
	if (!claim) throw await goneAlready(db, claimId);
	if (claim.version !== input.version) throw staleClaim(claim);
	const refusal = await retirementRefusal(db, claimId, "remove");
	if (refusal) throw refusal;
	const firstText = (await firstTextOf(db, claimId)) ?? claim.text;
	const record = await removalRecord(claim, firstText, await listNotes(db, claimId), input.reason);
	const removedAt = nowIso();
	// The attachments' rows go in the batch, RETURNING their ids: one uploaded after the reads
	// goes too, and its file is deleted from R2 like the others (commands/claims).
	const filesGone = db.delete(uploads).where(eq(uploads.claimId, claimId)).returning({ id: uploads.id });
	// Ids merged into it answer what it answers now; RETURNING them, as the batch found them.
	// Their words go too (store/merged-words): a removal leaves no text of the claim behind.
	const mergedGone = db
		.update(retiredClaims)
		.set({
			mergedInto: null,
			removedAt,
			text: null,
			language: null,
			fingerprint: null,
			speakerId: null,
			speakerNames: null,
			searchTerms: null,
		})
		.where(eq(retiredClaims.mergedInto, claimId))
		.returning({ id: retiredClaims.id });
	const statements: Statement[] = [
		...leavingClaimGuard(db, claimId, input.version),
		db.delete(appearances).where(eq(appearances.claimId, claimId)),
		db.delete(claimChanges).where(eq(claimChanges.claimId, claimId)),
		// These read the ids merged into it: before the retired_claims writes. The first also
		// reads when they were recorded from their merges' audit rows: before the redaction.
		forgetClaimDeliveries(db, claimId, claim.createdAt),
		// The answers kept for Idempotency-Key repeats hold its words too (store/idempotency).
		forgetClaimAnswers(db, claimId),
		redactClaimAudit(db, claimId),
		redactDiscardedDraftAudit(db, claimId),
		mergedGone,
		db.insert(retiredClaims).values({ id: claimId, removedAt, externalId: externalIdOf(claimId) }),
		// Its record, with the attachments' ids and hashes as they are now, before their rows go.
		db.insert(auditLog).values({
			actorId: actor.userId,
			actorLabel: actor.label,
			action: "remove",
			entity: "claim",
			entityId: claimId,
			changes: sql`json_set(${JSON.stringify(record)}, '$.attachments', json((SELECT json_group_array(json_object('id', ${uploads.id}, 'sha256', ${uploads.sha256}, 'bytes', ${uploads.bytes})) FROM ${uploads} WHERE ${uploads.claimId} = ${claimId})))`,
			requestId: actor.requestId ?? null,
			clientRequestId: actor.clientRequestId ?? null,
			tokenMintedBy: actor.tokenMintedBy ?? null,
		}),
		filesGone,
		// Topics and notes go with it (ON DELETE CASCADE).
		db.delete(claims).where(eq(claims.id, claimId)),
		...(claim.speakerId
			? [forgetLoneSpeakerDeliveries(db, claim.speakerId), ...loneSpeakerGoes(db, claim.speakerId, REDACTED)]
			: []),
	];
	let results: unknown[];
	try {
		results = await runBatch(db, statements);
	} catch (error) {
		if (constraintFailure(error)?.kind !== "guard") throw error;
		const now = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
		if (!now) throw await goneAlready(db, claimId);
		if (now.version !== input.version) throw staleClaim(now);
		throw (await retirementRefusal(db, claimId, "remove")) ?? staleClaim(now);
	}
	const gone = results[statements.indexOf(filesGone)] as { id: string }[];
	const merged = results[statements.indexOf(mergedGone)] as { id: string }[];
	return {
		claimId,
		removedAt,
		speakerId: claim.speakerId,
		uploadIds: gone.map((u) => u.id),
		mergedIds: merged.map((m) => m.id),
	};
}
