import { eq, sql } from "drizzle-orm";
import { retiredClaims } from "../db/schema";
import type { Db } from "../factory";

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
