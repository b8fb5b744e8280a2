/**
 * Claims by the texts they had before the desk's edits: `claim_changes` rows of field "text"
 * keep the earlier text and its fingerprint (`from_fingerprint`, as `claims.fingerprint`
 * holds a text). An import without an external id finds the claim a record states by these
 * too: the publisher's file keeps the words the claim was imported with, and a transcription
 * the desk fixed ("20 percent" → "2 percent") was otherwise recorded again as a new claim.
 */
import { and, isNull, sql } from "drizzle-orm";
import { claimChanges } from "../db/schema";
import { claimFingerprint } from "../domain/fingerprint";
import type { Db } from "../factory";
import { runBatch, type Statement } from "./batch";

/** Rows per UPDATE of the fill: one JSON parameter each, well under D1's statement size. */
const FILL_CHUNK = 200;

/** Text changes without the fingerprint of their earlier text, by `claim_changes_unfingerprinted_idx`. */
export function unfingerprintedTextsRead(db: Db) {
	return db
		.select({ id: claimChanges.id, text: claimChanges.fromValue })
		.from(claimChanges)
		.where(and(sql`${claimChanges.field} = 'text'`, isNull(claimChanges.fromFingerprint)));
}

/**
 * Fingerprints the earlier texts recorded without one: changes made before migration 0047,
 * or restored from a backup written before it (SQLite has no SHA-256 for the migration to
 * do it). By `claim_changes_unfingerprinted_idx`: one query finding nothing once done. The
 * fingerprint is derived from the row's own text, so a fill racing another is the same fill.
 */
export async function fillEarlierTextFingerprints(db: Db): Promise<void> {
	const rows = await unfingerprintedTextsRead(db);
	if (rows.length === 0) return;
	// A change without an earlier text (none recorded) gets the fingerprint of no words, as an empty text would.
	const filled = await Promise.all(rows.map(async (row) => [row.id, await claimFingerprint(row.text ?? "")]));
	const statements: Statement[] = [];
	for (let i = 0; i < filled.length; i += FILL_CHUNK) {
		const list = JSON.stringify(filled.slice(i, i + FILL_CHUNK));
		statements.push(
			db
				.update(claimChanges)
				.set({
					fromFingerprint: sql`(SELECT f.value ->> 1 FROM json_each(${list}) AS f WHERE f.value ->> 0 = ${claimChanges.id})`,
				})
				.where(
					and(
						sql`${claimChanges.id} IN (SELECT f.value ->> 0 FROM json_each(${list}) AS f)`,
						isNull(claimChanges.fromFingerprint),
					),
				),
		);
	}
	await runBatch(db, statements);
}
