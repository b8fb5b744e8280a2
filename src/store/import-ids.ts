import { sql } from "drizzle-orm";
import { appearances, claimChanges, claims, retiredClaims } from "../db/schema";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { type Actor, audit, guardOneRow, runBatch } from "./batch";

/**
 * SQL: the text a claim was first recorded with, in a statement reading `claims`. Every edit
 * of the text keeps the text before it (`claim_changes`, store/claim-edits), so the first
 * edit's `from_value` is it; a claim never corrected still has it. Not a text of a claim
 * merged into it (`merged_from`, store/claim-merges).
 */
const firstTextSql = sql`coalesce((SELECT ${claimChanges.fromValue} FROM ${claimChanges} WHERE ${claimChanges.claimId} = ${claims.id} AND ${claimChanges.field} = 'text' AND ${claimChanges.mergedFrom} IS NULL ORDER BY ${claimChanges.id} LIMIT 1), ${claims.text})`;

/** The text a claim was first recorded with (`firstTextSql`); undefined for no such claim. */
export async function firstTextOf(db: Db, claimId: string): Promise<string | undefined> {
	const row = await db.get<{ text: string }>(
		sql`SELECT ${firstTextSql} AS text FROM ${claims} WHERE ${claims.id} = ${claimId}`,
	);
	return row?.text;
}

/**
 * The live claims citing a source that carry no import id, with the text each was first
 * recorded with and the text it has now: what the demo seed knows a demo claim by when a
 * database seeded before demo claims had import ids holds it (commands/seed-demo).
 */
export async function claimsWithoutImportIdAt(
	db: Db,
	sourceId: string,
): Promise<{ id: string; firstText: string; text: string }[]> {
	return db.all<{ id: string; firstText: string; text: string }>(
		sql`SELECT ${claims.id} AS id, ${firstTextSql} AS firstText, ${claims.text} AS text
			FROM ${claims}
			WHERE ${claims.externalId} IS NULL
				AND EXISTS (SELECT 1 FROM ${appearances} WHERE ${appearances.claimId} = ${claims.id} AND ${appearances.sourceId} = ${sourceId})`,
	);
}

/**
 * Gives a claim without an import id that id (audited as an import's update), so that its
 * later removal or merge is remembered by the id (`retired_claims`) and a later run of the
 * same import finds it whatever its text became. Nothing when the claim has an id already or
 * another claim, live or retired, holds this one (checked in the write): false then.
 */
export async function giveImportId(
	db: Db,
	actor: Actor,
	claimId: string,
	externalId: string,
): Promise<boolean> {
	try {
		await runBatch(db, [
			db
				.update(claims)
				.set({ externalId })
				.where(
					sql`${claims.id} = ${claimId} AND ${claims.externalId} IS NULL
						AND NOT EXISTS (SELECT 1 FROM ${claims} AS other WHERE other.external_id = ${externalId})
						AND NOT EXISTS (SELECT 1 FROM ${retiredClaims} WHERE ${retiredClaims.externalId} = ${externalId})`,
				),
			guardOneRow(db),
			audit(db, actor, "import-update", "claim", claimId, { changes: ["externalId"], externalId }),
		]);
		return true;
	} catch (error) {
		if (constraintFailure(error)?.kind === "guard") return false;
		throw error;
	}
}
