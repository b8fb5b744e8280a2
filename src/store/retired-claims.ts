import { and, eq, inArray, sql } from "drizzle-orm";
import { claims, retiredClaims, verdicts } from "../db/schema";
import type { Db } from "../factory";
import { AppError, conflict, notFound } from "../lib/errors";
import { newsroomDay } from "../lib/newsroom-clock";
import { guardOneRow, type Statement } from "./batch";

/** What a claim id names once its row is gone: the claim it was merged into, or its removal. */
export type ClaimFate = { mergedInto: string } | { removedAt: string };

/** The fate of a claim id that names no claim (null: it never named one). */
export async function claimFate(db: Db, id: string): Promise<ClaimFate | null> {
	const row = await db.query.retiredClaims.findFirst({ where: eq(retiredClaims.id, id) });
	if (!row) return null;
	if (row.mergedInto) return { mergedInto: row.mergedInto };
	return { removedAt: row.removedAt ?? row.createdAt };
}

/**
 * The error for a write (or a read of its notes) naming a claim id whose row is gone, read
 * only then: a live claim's writes never pay for it. As GET and DELETE say it: 409
 * `claim-merged` naming the claim kept (`mergedInto`), where the write belongs now; 410
 * `claim-removed` with `removedAt`; 404 for an id that never named a claim.
 */
export async function missingClaim(db: Db, id: string): Promise<AppError> {
	const fate = await claimFate(db, id);
	if (!fate) return notFound("claim");
	if ("mergedInto" in fate) {
		return conflict(
			`This claim was merged into claim ${fate.mergedInto}: send this to that claim.`,
			"claim-merged",
			{ mergedInto: fate.mergedInto },
		);
	}
	return new AppError(410, `This claim was removed from the tracker on ${newsroomDay(fate.removedAt)}.`, {
		code: "claim-removed",
		extra: { removedAt: fate.removedAt },
	});
}

/** The ids of the claims merged into a claim (its desk timeline shows their entries too). */
export function mergedIntoQuery(claimId: string) {
	return sql`(SELECT ${retiredClaims.id} FROM ${retiredClaims} WHERE ${retiredClaims.mergedInto} = ${claimId})`;
}

/**
 * A merge's and a removal's first guard: the claim leaving is at the version read and still
 * has no verdict at all (a draft begun meanwhile fails the batch, not only the read before it).
 */
export function leavingClaimGuard(db: Db, claimId: string, version: number): Statement[] {
	return [
		db
			.update(claims)
			.set({ version: sql`${claims.version} + 1` })
			.where(
				and(
					eq(claims.id, claimId),
					eq(claims.version, version),
					sql`NOT EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claimId})`,
				),
			),
		guardOneRow(db),
	];
}

/** A leaving claim's import id, read in its merge's or removal's batch, before its row goes. */
export function externalIdOf(claimId: string) {
	return sql`(SELECT ${claims.externalId} FROM ${claims} WHERE ${claims.id} = ${claimId})`;
}

/**
 * What became of the claims these import ids named, whose rows are gone (and whose ids no
 * live claim has taken): merged into another claim, or removed. At most 100 ids a call.
 */
export async function retiredImportIds(
	db: Db,
	externalIds: readonly string[],
): Promise<Map<string, ClaimFate>> {
	if (externalIds.length === 0) return new Map();
	const rows = await db
		.select({
			externalId: retiredClaims.externalId,
			mergedInto: retiredClaims.mergedInto,
			removedAt: retiredClaims.removedAt,
		})
		.from(retiredClaims)
		.where(
			and(
				inArray(retiredClaims.externalId, [...externalIds]),
				sql`NOT EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.externalId} = ${retiredClaims.externalId})`,
			),
		);
	const fates = new Map<string, ClaimFate>();
	for (const row of rows) {
		if (row.externalId === null) continue;
		if (row.mergedInto) fates.set(row.externalId, { mergedInto: row.mergedInto });
		else if (row.removedAt) fates.set(row.externalId, { removedAt: row.removedAt });
	}
	return fates;
}
