import { and, eq, type SQL, sql } from "drizzle-orm";
import { auditLog, claims, users, verdicts } from "../db/schema";
import type { Db } from "../factory";
import type { Actor, Statement } from "./batch";
import { keepLastHolder } from "./draft-writer";

/**
 * A claim that is desk work still to do: never reviewed (unverified, in review), or retracted
 * with a new draft being written. Its public status stays "retracted" until that draft is
 * published (domain/claim-status: a withdrawn rating must not label it, nor must "unverified"),
 * but for the desk it is open work like any other: in "My queue", "Unassigned" and "Open", in
 * the counts of open claims, and released when its assignee's account is disabled. Every one
 * of those reads this condition, so they cannot disagree (the re-check was in the review
 * queue and in no list). The IN keeps `claims_status_idx` usable; a retracted claim's draft is
 * probed by `verdicts_claim_idx`.
 */
export const openWorkSql = sql`(${claims.status} IN ('unverified', 'in-review', 'retracted') AND (${claims.status} <> 'retracted' OR EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claims.id} AND ${verdicts.state} = 'draft')))`;

/**
 * What `openWorkSql` says of a claim once a draft is open on it: open work unless a verdict is
 * in force (a new draft reopens a retracted claim; a correction of a published one does not).
 * For deciding, before a draft is written, whether `releaseIfAssigneeDisabled` will release it.
 */
export const openWorkOnceDraftedSql = sql`(${claims.status} IN ('unverified', 'in-review', 'retracted'))`;

/**
 * Sends the claims matching `where` back to "Unassigned" because their assignee's account is
 * disabled: assigned, they were in nobody's queue and out of the unassigned list, waiting for
 * someone who left. Each claim's timeline says so, as an unassignment by hand does (one audit
 * row per claim, written by one INSERT … SELECT before the claims change). An open draft stays
 * the departed assignee's (store/draft-writer `keepLastHolder`): a checker cannot take the
 * claim and its draft with it, an editor assigns it. `newDraft`: the draft this batch opens,
 * its drafter's.
 */
export function releaseClaims(db: Db, actor: Actor, where: SQL | undefined, newDraft?: string): Statement[] {
	return [
		keepLastHolder(db, where, newDraft),
		db.insert(auditLog).select(
			db
				.select({
					id: sql`NULL`.as("id"),
					at: sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.as("at"),
					actorId: sql`${actor.userId}`.as("actor_id"),
					actorLabel: sql`${actor.label ?? null}`.as("actor_label"),
					action: sql`'unassign'`.as("action"),
					entity: sql`'claim'`.as("entity"),
					entityId: claims.id,
					changes:
						sql`json_object('from', ${claims.assigneeId}, 'to', NULL, 'reason', 'account-disabled')`.as(
							"changes",
						),
					requestId: sql`${actor.requestId ?? null}`.as("request_id"),
					clientRequestId: sql`${actor.clientRequestId ?? null}`.as("client_request_id"),
					tokenMintedBy: sql`${actor.tokenMintedBy ?? null}`.as("token_minted_by"),
				})
				.from(claims)
				.where(where),
		),
		db.update(claims).set({ assigneeId: null }).where(where),
	];
}

/**
 * A claim that becomes open work again (a verdict retracted while a draft is open, a new draft
 * on a retracted claim) while assigned to a disabled account: disabling released only the
 * claims open then, and this one would otherwise stay with nobody who can work on it, out of
 * "Unassigned" and not takeable. Run in the batch that makes it open work, after its writes.
 */
export function releaseIfAssigneeDisabled(
	db: Db,
	actor: Actor,
	claimId: string,
	newDraft?: string,
): Statement[] {
	return releaseClaims(db, actor, and(assignedToDisabled(claimId), openWorkSql), newDraft);
}

/**
 * An editor opens a draft on a claim still held by a disabled account (a published claim,
 * which disabling left theirs: a correction): the claim goes to nobody in the draft's batch,
 * so the draft is its drafter's (store/draft-writer), not work attributed to someone who
 * cannot sign in, in no one's "My drafts" and returned to no one. Whatever the claim's status:
 * a correction leaves it no open work, so `releaseIfAssigneeDisabled` would keep it theirs.
 */
export function releaseForNewDraft(db: Db, actor: Actor, claimId: string, newDraft: string): Statement[] {
	return releaseClaims(db, actor, assignedToDisabled(claimId), newDraft);
}

function assignedToDisabled(claimId: string): SQL | undefined {
	return and(
		eq(claims.id, claimId),
		sql`${claims.assigneeId} IN (SELECT ${users.id} FROM ${users} WHERE ${users.disabledAt} IS NOT NULL)`,
	);
}
