import { and, eq, sql } from "drizzle-orm";
import {
	appearances,
	claimChanges,
	claims,
	retiredClaims,
	speakerRedirects,
	speakers,
	verdicts,
} from "../db/schema";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, notFound } from "../lib/errors";
import { type Actor, audit, guardOneRow, nowIso, runBatch } from "./batch";
import { auditCopy, retirementRefusal, staleClaim } from "./claim-merges";
import { getClaim } from "./claims";
import { listNotes } from "./collaboration";
import { claimFate } from "./retired-claims";
import { uploadsOfClaim } from "./uploads";
import { forgetClaimDeliveries } from "./webhooks";

export interface ClaimRemoval {
	claimId: string;
	removedAt: string;
	/** The speaker whose page listed it (gone too when it had no other claim). */
	speakerId: string | null;
	/** R2 keys' ids of the attachments whose rows went with the claim. */
	uploadIds: string[];
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
 * Removes a claim recorded by mistake (not a claim, the wrong person, a private individual)
 * at the version read: only one that never had a public verdict (a reviewed claim is
 * retracted, never removed) and has no open draft. Its rows go (appearances, topics,
 * notes, attachments, internal edits; sources stay, other claims may cite them), and so
 * does its speaker when no other claim names it: a private individual's name must not
 * stay public. Its id answers 410 Gone (`retired_claims`), as do ids merged into it. The
 * audit row keeps the whole claim, its notes and its attachments' records, with the
 * reason (internal only). One batch: the version and "no verdict" are checked in SQL.
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
	const [notes, attachments] = await Promise.all([listNotes(db, claimId), uploadsOfClaim(db, claimId)]);
	const removedAt = nowIso();
	const speakerId = claim.speakerId;
	const alone = (id: string) => sql`NOT EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${id})`;
	try {
		await runBatch(db, [
			db
				.update(claims)
				.set({ version: sql`${claims.version} + 1` })
				.where(
					and(
						eq(claims.id, claimId),
						eq(claims.version, input.version),
						sql`NOT EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claimId})`,
					),
				),
			guardOneRow(db),
			db.delete(appearances).where(eq(appearances.claimId, claimId)),
			db.delete(claimChanges).where(eq(claimChanges.claimId, claimId)),
			// Webhook deliveries describing it lose its text and are never sent again (before
			// the retired_claims writes: it reads the ids merged into it).
			forgetClaimDeliveries(db, claimId, claim.createdAt),
			// Ids merged into it answer what it answers now.
			db
				.update(retiredClaims)
				.set({ mergedInto: null, removedAt })
				.where(eq(retiredClaims.mergedInto, claimId)),
			db.insert(retiredClaims).values({ id: claimId, removedAt }),
			// Topics, notes and attachments' rows go with it (ON DELETE CASCADE).
			db.delete(claims).where(eq(claims.id, claimId)),
			...(speakerId
				? [
						db
							.delete(speakerRedirects)
							.where(and(eq(speakerRedirects.speakerId, speakerId), alone(speakerId))),
						db.delete(speakers).where(and(eq(speakers.id, speakerId), alone(speakerId))),
					]
				: []),
			audit(db, actor, "remove", "claim", claimId, {
				reason: input.reason,
				claim: auditCopy(claim),
				notes: notes.map((n) => ({ id: n.id, text: n.text, authorId: n.authorId, at: n.at })),
				attachments: attachments.map((u) => ({
					id: u.id,
					filename: u.filename,
					sha256: u.sha256,
					bytes: u.bytes,
					isPublic: u.isPublic,
				})),
			}),
		]);
	} catch (error) {
		if (constraintFailure(error)?.kind !== "guard") throw error;
		const now = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
		if (!now) throw await goneAlready(db, claimId);
		if (now.version !== input.version) throw staleClaim(now);
		throw (await retirementRefusal(db, claimId, "remove")) ?? staleClaim(now);
	}
	return { claimId, removedAt, speakerId, uploadIds: attachments.map((u) => u.id) };
}
