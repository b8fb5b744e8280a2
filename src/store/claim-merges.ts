import { and, eq, sql } from "drizzle-orm";
import {
	appearances,
	type Claim,
	claimChanges,
	claimNotes,
	claims,
	claimTags,
	retiredClaims,
	uploads,
	verdicts,
} from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict } from "../lib/errors";
import { type Actor, audit, guardOneRow, nowIso, runBatch, type Statement } from "./batch";
import { type ClaimDetail, getClaim } from "./claims";
import { mergedWordsOf } from "./merged-words";
import { claimantChange, publicChange } from "./public-changes";
import { claimFate, externalIdOf, leavingClaimGuard, missingClaim } from "./retired-claims";
import { loneSpeakerGoes } from "./speakers";

export function staleClaim(claim: Claim) {
	return conflict("Someone else changed this claim in the meantime.", "version-conflict", {
		claimId: claim.id,
		current: { version: claim.version, updatedAt: claim.updatedAt },
	});
}

/**
 * Why a claim may not leave the tracker now, or null. A public verdict (published,
 * superseded or retracted) keeps it: its verdicts stand in the corrections log. An open
 * draft is someone's work: discarded first, on purpose, not swept away by a merge.
 */
export async function retirementRefusal(
	db: Db,
	claimId: string,
	what: "merge" | "remove",
): Promise<AppError | null> {
	const rows = await db
		.select({ id: verdicts.id, state: verdicts.state })
		.from(verdicts)
		.where(eq(verdicts.claimId, claimId));
	if (rows.some((v) => v.state !== "draft")) {
		return what === "merge"
			? conflict(
					"This claim has a public verdict, which stays in the corrections log: it is never merged away. Merge the other claim into this one instead; if both were checked, keep both and link them in a note.",
					"claim-reviewed",
				)
			: conflict(
					"This claim has a public verdict, which stays in the corrections log: a reviewed claim is never removed. Retract its verdict instead, with a public note.",
					"claim-reviewed",
				);
	}
	const draft = rows.find((v) => v.state === "draft");
	if (draft) {
		return what === "merge"
			? conflict(
					"This claim has an open draft: discard it first, or merge the other claim into this one.",
					"draft-open",
					{ draftId: draft.id },
				)
			: conflict("This claim has an open draft: discard it first.", "draft-open", { draftId: draft.id });
	}
	return null;
}

const intoError = (message: string) =>
	new AppError(422, `into: ${message}`, { errors: [{ path: "into", message }] });

const INTO_ITSELF = "A claim cannot be merged into itself: choose the claim to keep.";

/**
 * Why `into`, which names no claim, cannot be kept: merged on, removed, or never there.
 * Merged into the very claim to merge away (B into A, then A into B), "merge into that one"
 * would name that claim itself: it is the refusal of a merge into itself.
 */
async function intoGone(db: Db, duplicateId: string, intoId: string): Promise<AppError> {
	const fate = await claimFate(db, intoId);
	if (fate && "mergedInto" in fate) {
		if (fate.mergedInto === duplicateId) return intoError(INTO_ITSELF);
		return intoError(`That claim was merged into claim ${fate.mergedInto}: merge into that one.`);
	}
	if (fate) return intoError("That claim was removed from the tracker.");
	return intoError("There is no claim with this id.");
}

/** The claim a merge keeps, checked: another live claim than the duplicate. */
async function keptClaim(db: Db, duplicateId: string, intoId: string): Promise<Claim> {
	if (intoId === duplicateId) throw intoError(INTO_ITSELF);
	const into = await db.query.claims.findFirst({ where: eq(claims.id, intoId) });
	if (into) return into;
	throw await intoGone(db, duplicateId, intoId);
}

/** The claim a merge takes away: live, or why not (`duplicateGone`). */
async function duplicateClaim(db: Db, claimId: string): Promise<ClaimDetail> {
	const duplicate = await getClaim(db, claimId);
	if (duplicate) return duplicate;
	throw await duplicateGone(db, claimId);
}

/**
 * Why the claim to merge away is not there, before the merge's reads or after its batch
 * found it gone: merged already, a 409 naming where; removed, the 410 `claim-removed` every
 * other write answers (it said 404 "No such claim."); a 404 for an id that never named one.
 */
async function duplicateGone(db: Db, claimId: string): Promise<AppError> {
	const fate = await claimFate(db, claimId);
	if (fate && "mergedInto" in fate) {
		return conflict(`This claim was merged into claim ${fate.mergedInto} already.`, "claim-merged", fate);
	}
	return missingClaim(db, claimId);
}

/**
 * The duplicate's appearances move to the claim kept (their ids stay), but not to a source it
 * has already, and the oldest of them all becomes its first.
 */
function movedAppearances(db: Db, duplicate: ClaimDetail, into: Claim): Statement[] {
	const keptSources = sql`(SELECT ${appearances.sourceId} FROM ${appearances} WHERE ${appearances.claimId} = ${into.id})`;
	return [
		db
			.update(appearances)
			.set({
				claimId: into.id,
				isFirst: false,
				// The words it was recorded in, as this source's wording when they differ from the kept claim's.
				...(duplicate.text === into.text
					? {}
					: { quote: sql`coalesce(${appearances.quote}, ${duplicate.text})` }),
			})
			.where(and(eq(appearances.claimId, duplicate.id), sql`${appearances.sourceId} NOT IN ${keptSources}`)),
		db.delete(appearances).where(eq(appearances.claimId, duplicate.id)),
		// The first appearance (ClaimReview `firstAppearance`) is the oldest of them all, as
		// after a removal: a duplicate recorded from an earlier article brings the earlier one.
		// Cleared first: one claim has one first (a unique index checked row by row).
		db
			.update(appearances)
			.set({ isFirst: false })
			.where(and(eq(appearances.claimId, into.id), eq(appearances.isFirst, true))),
		db
			.update(appearances)
			.set({ isFirst: true })
			.where(
				sql`${appearances.id} = (SELECT ${appearances.id} FROM ${appearances} WHERE ${appearances.claimId} = ${into.id} ORDER BY ${appearances.createdAt}, ${appearances.id} LIMIT 1)`,
			),
	];
}

export interface ClaimMerge {
	/** The claim kept, after the merge. */
	kept: ClaimDetail;
	/** The merged claim as it was (its row is gone). */
	merged: ClaimDetail;
	/** Whether the kept claim has a public verdict (its changed answers are public). */
	keptReviewed: boolean;
}

/**
 * Merges the duplicate `claimId` into `intoId` at the versions read: the kept claim gains
 * the duplicate's appearances (not the sources it has already; in the duplicate's words,
 * as the appearance's quote, when they differ), topics, notes (marked as from the merged
 * claim) and attachments; the duplicate's row goes and its id answers 301 to the kept
 * claim (`retired_claims`), as do the ids merged into it before. Its words stay in that
 * row, where search, matching and imports find the kept claim by them (store/merged-words);
 * the texts the desk corrected it from move to the kept claim's `claim_changes`, marked
 * `merged_from` and internal, where imports find the kept claim by them too.
 * One batch: both versions, and "the duplicate has no verdict", are checked in SQL.
 */
export async function mergeClaims(
	db: Db,
	actor: Actor,
	claimId: string,
	input: { into: string; version: number; intoVersion?: number | undefined; note: string },
): Promise<ClaimMerge> {
	const duplicate = await duplicateClaim(db, claimId);
	const into = await keptClaim(db, claimId, input.into);
	if (duplicate.version !== input.version) throw staleClaim(duplicate);
	if (input.intoVersion !== undefined && into.version !== input.intoVersion) throw staleClaim(into);
	const refusal = await retirementRefusal(db, claimId, "merge");
	if (refusal) throw refusal;
	const keptTags = new Set(
		(await db.select({ slug: claimTags.tagSlug }).from(claimTags).where(eq(claimTags.claimId, into.id))).map(
			(row) => row.slug,
		),
	);
	const newTags = duplicate.tags.filter((tag) => !keptTags.has(tag.slug));
	const moved = duplicate.appearances.map((a) => a.id);
	const at = nowIso();
	// An earlier first appearance may credit a claim without a speaker to another publisher.
	const claimantMoved = await claimantChange(db, into, at, actor.userId);
	const statements: Statement[] = [
		// The duplicate at the version read, and still without a verdict (a draft begun meanwhile).
		...leavingClaimGuard(db, claimId, input.version),
		// The kept claim at the version read, before any write names it: merged on or removed
		// meanwhile, this guard fails, not a foreign key further on.
		db
			.update(claims)
			// Its answers changed (appearances, topics); its feed entry shows none of that.
			.set({ version: sql`${claims.version} + 1`, ...publicChange(at) })
			.where(and(eq(claims.id, into.id), eq(claims.version, into.version))),
		guardOneRow(db),
		...movedAppearances(db, duplicate, into),
		...claimantMoved,
		db
			.update(claimNotes)
			.set({ claimId: into.id, mergedFrom: claimId })
			.where(eq(claimNotes.claimId, claimId)),
		db.update(uploads).set({ claimId: into.id }).where(eq(uploads.claimId, claimId)),
		...newTags.map((tag) =>
			db
				.insert(claimTags)
				.values({ id: newId(), claimId: into.id, claimSeq: into.seq, tagSlug: tag.slug })
				.onConflictDoNothing(),
		),
		movedEarlierTexts(db, claimId, into.id),
		// Its other edits were internal (no public verdict): the audit log keeps them.
		db.delete(claimChanges).where(eq(claimChanges.claimId, claimId)),
		// Ids merged into the duplicate before lead on to the kept claim, in one step.
		db.update(retiredClaims).set({ mergedInto: into.id }).where(eq(retiredClaims.mergedInto, claimId)),
		// Its words stay with it and keep finding the claim kept: in search (the kept claim's
		// index row reads them, re-indexed below), matching and imports (store/merged-words).
		db.insert(retiredClaims).values({
			id: claimId,
			mergedInto: into.id,
			externalId: externalIdOf(claimId),
			...mergedWordsOf(duplicate),
		}),
		db.delete(claims).where(eq(claims.id, claimId)),
		// Its speaker, named by no claim now, leaves the public pages (as after a removal).
		...(duplicate.speakerId && duplicate.speakerId !== into.speakerId
			? loneSpeakerGoes(db, duplicate.speakerId, null)
			: []),
		// Writing search_terms to itself re-indexes the kept claim (its FTS trigger) with the
		// sources moved and the words of every claim now merged into it.
		db
			.update(claims)
			.set({ searchTerms: sql`${claims.searchTerms}` })
			.where(eq(claims.id, into.id)),
		audit(db, actor, "merge", "claim", into.id, {
			mergedFrom: claimId,
			note: input.note,
			merged: auditCopy(duplicate),
			movedAppearances: moved,
			topics: newTags.map((tag) => tag.slug),
		}),
		audit(db, actor, "merged-into", "claim", claimId, { into: into.id, note: input.note }),
	];
	try {
		await runBatch(db, statements);
	} catch (error) {
		// A foreign key too: any claim the batch names gone meanwhile is explained, never a 500.
		const kind = constraintFailure(error)?.kind;
		if (kind !== "guard" && kind !== "foreign-key") throw error;
		throw await whyMergeFailed(db, claimId, input.version, into);
	}
	const kept = await getClaim(db, into.id);
	if (!kept) throw new Error("kept claim vanished after merge");
	return { kept, merged: duplicate, keptReviewed: kept.verdicts.some((v) => v.state !== "draft") };
}

/**
 * The duplicate's text changes, moved onto the claim kept, marked as its own (`merged_from`)
 * and never public (the kept claim's "Changes to the claim" are its own): an import of the
 * words the desk corrected it from finds the claim kept (store/merged-words), as one of its
 * last words does. Those of claims merged into it before keep their mark. A removal of the
 * claim kept deletes them with its own changes.
 */
function movedEarlierTexts(db: Db, claimId: string, intoId: string) {
	return db
		.update(claimChanges)
		.set({
			claimId: intoId,
			mergedFrom: sql`coalesce(${claimChanges.mergedFrom}, ${claimId})`,
			isPublic: false,
		})
		.where(and(eq(claimChanges.claimId, claimId), eq(claimChanges.field, "text")));
}

/** A guard tripped: which claim changed or went, or the verdict drafted meanwhile. */
async function whyMergeFailed(db: Db, claimId: string, version: number, into: Claim): Promise<AppError> {
	const now = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
	if (!now) return duplicateGone(db, claimId);
	if (now.version !== version) return staleClaim(now);
	const refusal = await retirementRefusal(db, claimId, "merge");
	if (refusal) return refusal;
	const kept = await db.query.claims.findFirst({ where: eq(claims.id, into.id) });
	return kept ? staleClaim(kept) : intoGone(db, claimId, into.id);
}

/** What the audit log keeps of a claim that leaves: everything the desk knew of it, internal only. */
function auditCopy(claim: ClaimDetail) {
	return {
		id: claim.id,
		text: claim.text,
		language: claim.language,
		claimedAt: claim.claimedAt,
		context: claim.context,
		status: claim.status,
		speaker: claim.speaker
			? { id: claim.speaker.id, slug: claim.speaker.slug, name: claim.speaker.name }
			: null,
		externalId: claim.externalId,
		createdAt: claim.createdAt,
		createdBy: claim.createdBy,
		assigneeId: claim.assigneeId,
		appearances: claim.appearances.map((a) => ({
			id: a.id,
			sourceId: a.sourceId,
			url: a.source.url,
			title: a.source.title,
			quote: a.quote,
			isFirst: a.isFirst,
		})),
		topics: claim.tags.map((tag) => tag.slug),
	};
}
