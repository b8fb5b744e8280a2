import { and, eq, sql } from "drizzle-orm";
import { claims, retiredClaims, verdicts } from "../db/schema";
import type { Db } from "../factory";
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
