import { and, eq, sql } from "drizzle-orm";
import { mayEditReviewedClaim } from "../auth/permissions";
import {
	type Appearance,
	appearances,
	type Claim,
	claimChanges,
	claims,
	sources,
	verdicts,
} from "../db/schema";
import { newId } from "../domain/ids";
import { removedAppearanceValue } from "../domain/removed-appearance";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, forbidden, notFound } from "../lib/errors";
import type { SourceInput } from "../schemas/records";
import { type Actor, audit, guardOneRow, nowIso, runBatch, type Statement } from "./batch";
import { claimantChange, entryChange, touchClaim } from "./public-changes";
import { missingClaim } from "./retired-claims";
import { findSourceByUrl, planSource } from "./sources";

/** An appearance just added, and whether its claim has a public review (a feed entry, a ClaimReview). */
export interface AddedAppearance extends Appearance {
	claimReviewed: boolean;
}

/**
 * A further appearance of a known claim, with its source: an existing source (by id or
 * by canonical URL) or a new one, written in the same batch as the appearance so a
 * failed request leaves no orphan source behind. The claim's page, JSON-LD and exports
 * list it, so the claim's `updated_at` moves with it (domain/public-change); its version
 * does not: nothing of the claim an edit form holds changed. On a claim with no appearance
 * (imported without a source), it is the first: ClaimReview's `firstAppearance`, and whom a
 * claim without a speaker is credited to (`claimantChange`), in every surface alike; added as
 * not first, the feed titles (SQL, the first appearance) named no one while ClaimReview (its
 * first, else any) named its publisher, and no draft was marked (s35 r361).
 */
export async function addAppearanceWithSource(
	db: Db,
	actor: Actor,
	claimId: string,
	input: { source: { id: string } | SourceInput; quote: string | null; anchor: string | null },
	/** The appearance's id, made by the caller before the write (an Idempotency-Key's answer reads it back). */
	id: string = newId(),
	attempt = 1,
): Promise<AddedAppearance> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { id: true, currentVerdictId: true, status: true, speakerId: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	let sourceId: string;
	const statements: Statement[] = [];
	if ("id" in input.source) {
		const found = await db.query.sources.findFirst({
			where: eq(sources.id, input.source.id),
			columns: { id: true },
		});
		if (!found) {
			throw new AppError(422, "source.id: there is no source with this id.", {
				errors: [{ path: "source.id", message: "There is no source with this id." }],
			});
		}
		sourceId = found.id;
	} else {
		const existing = await findSourceByUrl(db, input.source.url);
		if (existing) sourceId = existing.id;
		else {
			const plan = planSource(db, actor, input.source);
			sourceId = plan.id;
			statements.push(...plan.statements);
		}
	}
	const already = await db.query.appearances.findFirst({
		where: and(eq(appearances.claimId, claimId), eq(appearances.sourceId, sourceId)),
		columns: { id: true },
	});
	if (already) {
		throw conflict("This claim is already recorded as appearing in this source.", "duplicate-appearance", {
			appearanceId: already.id,
		});
	}
	// First only for a claim with no appearance at all: one recorded before without the mark (an
	// API add before s35) came earlier, and marking the newest first would credit it over that
	// one (s35 r365). A second writer's first appearance meanwhile fails the batch on the
	// one-first index (appearances_first_unique), and the retry below reads it.
	const hasFirst = await db.query.appearances.findFirst({
		where: eq(appearances.claimId, claimId),
		columns: { id: true },
	});
	const row = {
		id,
		claimId,
		sourceId,
		quote: input.quote,
		anchor: input.anchor,
		isFirst: !hasFirst,
		createdBy: actor.userId,
	};
	const at = nowIso();
	const claimantMoved = hasFirst ? [] : await claimantChange(db, claim, at, actor.userId);
	try {
		await runBatch(db, [
			...statements,
			db.insert(appearances).values(row),
			touchClaim(db, claimId, at),
			...claimantMoved,
			audit(db, actor, "add-appearance", "claim", claimId, row),
		]);
	} catch (error) {
		// Another writer recorded the same new source, or this appearance, since the reads
		// above (as `recordClaim` does): read again once, and find it.
		const failure = constraintFailure(error)?.kind;
		if (attempt === 1 && failure === "unique") {
			return addAppearanceWithSource(db, actor, claimId, input, id, attempt + 1);
		}
		// Merged or removed since the read: as if it had been gone then.
		if (failure === "foreign-key") throw await missingClaim(db, claimId);
		throw error;
	}
	const created = await db.query.appearances.findFirst({ where: eq(appearances.id, row.id) });
	// Gone between the batch and this read: the claim was removed, or merged into one that
	// already cites the source (which drops this row). As the batch's FK path answers: 410/409.
	if (!created) throw await missingClaim(db, claimId);
	// Published or retracted (store/public-claims `reviewed`), as read before the batch: a
	// verdict published meanwhile purges what it changed itself.
	return { ...created, claimReviewed: claim.currentVerdictId !== null || claim.status === "retracted" };
}

/** One appearance by id (an API create's answer read back for a repeat). */
export function getAppearance(db: Db, id: string): Promise<Appearance | undefined> {
	return db.query.appearances.findFirst({ where: eq(appearances.id, id) });
}

/** What the removal of an appearance wrote: the claim after it, and whether the change is public. */
export interface AppearanceRemoval {
	claim: Claim;
	isPublic: boolean;
	/** The value its `claim_changes` row keeps (domain/removed-appearance). */
	removed: string;
}

/**
 * Removes a claim's appearance at the version its editor read: a mistaken source named as
 * spreading the claim. The rules of a claim edit (store/claim-edits): on a claim with a
 * public verdict only an editor removes one, with a note shown publicly like a correction;
 * on an unreviewed claim a checker may, and the note stays internal. A claim keeps at least
 * one appearance, and when its first goes the oldest remaining becomes first. The source
 * row and the evidence archive's copies stay: only the claim's link to the source goes.
 * One batch: the version and the last-appearance rule are checked in SQL, so a concurrent
 * write fails it whole (409 or 422) instead of leaving a claim without a source.
 */
export async function removeAppearance(
	db: Db,
	actor: Actor,
	claimId: string,
	appearanceId: string,
	expectedVersion: number,
	note: string | null,
): Promise<AppearanceRemoval> {
	const claim = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
	if (!claim) throw await missingClaim(db, claimId);
	const appearance = await db.query.appearances.findFirst({
		where: and(eq(appearances.id, appearanceId), eq(appearances.claimId, claimId)),
	});
	if (!appearance) throw notFound("appearance");
	if (claim.version !== expectedVersion) throw staleClaim(claim);
	await refuseLastAppearance(db, claimId);
	const isPublic = await hasPublicVerdict(db, claimId);
	if (isPublic && !mayEditReviewedClaim(actor)) {
		throw forbidden(
			"Only an editor removes an appearance of a claim with a public verdict: the removal is shown publicly, like a correction. Leave a note for an editor on the claim.",
		);
	}
	if (isPublic && !note) {
		throw new AppError(422, "note: say why the appearance is removed; the removal is shown publicly.", {
			errors: [{ path: "note", message: "Say why the appearance is removed: the note is shown publicly." }],
		});
	}
	const source = await db.query.sources.findFirst({ where: eq(sources.id, appearance.sourceId) });
	const removed = removedAppearanceValue({
		title: source?.title ?? null,
		url: source?.url ?? appearance.sourceId,
	});
	// One instant for the claim's last change and the change row: the sitemap reads the one,
	// the page, feed and DataFeed the other.
	const at = nowIso();
	// Its first gone, a claim without a speaker may be credited to another publisher, which
	// all its entries' titles name; any other removal only its standing entry tells.
	const claimantMoved = appearance.isFirst ? await claimantChange(db, claim, at, actor.userId) : [];
	try {
		await runBatch(db, [
			db
				.update(claims)
				// Its feed entry says which source it no longer names (domain/atom-feed).
				.set({ version: sql`${claims.version} + 1`, ...entryChange(at) })
				.where(and(eq(claims.id, claimId), eq(claims.version, expectedVersion))),
			guardOneRow(db),
			// Only while another appearance stays: the rule holds against a concurrent removal too.
			db
				.delete(appearances)
				.where(
					and(
						eq(appearances.id, appearanceId),
						eq(appearances.claimId, claimId),
						sql`(SELECT count(*) FROM ${appearances} WHERE ${appearances.claimId} = ${claimId}) > 1`,
					),
				),
			guardOneRow(db),
			// The claim's first appearance (ClaimReview `firstAppearance`) is the oldest that remains.
			db
				.update(appearances)
				.set({ isFirst: true })
				.where(
					sql`${appearances.id} = (SELECT ${appearances.id} FROM ${appearances} WHERE ${appearances.claimId} = ${claimId} ORDER BY ${appearances.createdAt}, ${appearances.id} LIMIT 1) AND NOT EXISTS (SELECT 1 FROM ${appearances} WHERE ${appearances.claimId} = ${claimId} AND ${appearances.isFirst} = 1)`,
				),
			...claimantMoved,
			db.insert(claimChanges).values({
				claimId,
				field: "appearance",
				fromValue: removed,
				toValue: null,
				note,
				at,
				isPublic,
				actorId: actor.userId,
			}),
			audit(db, actor, "remove-appearance", "claim", claimId, {
				appearance,
				source: source ? { id: source.id, url: source.url, title: source.title } : null,
				note,
				isPublic,
			}),
		]);
	} catch (error) {
		if (constraintFailure(error)?.kind !== "guard") throw error;
		// Someone wrote first: say what stands now (a newer version, or the last appearance).
		const now = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
		// Merged or removed since the read: as if it had been gone then.
		if (!now) throw await missingClaim(db, claimId);
		if (now.version === expectedVersion) await refuseLastAppearance(db, claimId);
		throw staleClaim(now);
	}
	const saved = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
	if (!saved) throw new Error("claim vanished after removing an appearance");
	return { claim: saved, isPublic, removed };
}

async function refuseLastAppearance(db: Db, claimId: string) {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(appearances)
		.where(eq(appearances.claimId, claimId));
	if ((row?.n ?? 0) <= 1) {
		throw new AppError(
			422,
			"A claim keeps at least one appearance: add the right source first, then remove this one.",
			{ code: "last-appearance" },
		);
	}
}

/** Published, superseded or retracted: a change to the claim is then public (as store/claim-edits decides). */
async function hasPublicVerdict(db: Db, claimId: string): Promise<boolean> {
	const reviewed = await db.query.verdicts.findFirst({
		where: and(eq(verdicts.claimId, claimId), sql`${verdicts.state} <> 'draft'`),
		columns: { id: true },
	});
	return Boolean(reviewed);
}

function staleClaim(claim: Claim) {
	return conflict("Someone else changed this claim in the meantime.", "version-conflict", {
		current: { version: claim.version, updatedAt: claim.updatedAt },
	});
}
