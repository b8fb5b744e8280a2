import { and, eq, ne, type SQL, sql } from "drizzle-orm";
import { claims, users, type Verdict, verdicts } from "../db/schema";
import type { Db } from "../factory";
import type { Statement } from "./batch";
import { departed } from "./departed";

/**
 * Who writes an open draft: whoever holds its claim; on a claim held by nobody, its last
 * writer (docs/decisions.md, "A draft goes with its claim"). The claim's assignee is read
 * through the claim, so a hand-over moves the draft in the write that assigns the claim; a
 * claim going back to nobody keeps the one who held it in `verdicts.writer_id`
 * (`keepLastHolder`), and a draft that never changed hands is its drafter's. Every list,
 * permission and guard reads this one expression (auth/permissions `draftWriterId` is the
 * same in TypeScript), so they name the same person. Read where `claims` is joined.
 */
export const draftWriterSql = sql<
	string | null
>`coalesce(${claims.assigneeId}, ${verdicts.writerId}, ${verdicts.reviewerId})`;

/**
 * Who writes this draft now (`draftWriterSql`, read with its claim); null for a verdict that
 * is not a draft, which nobody writes any more. For the API's draft JSON (`writerId`).
 */
export async function draftWriterOf(db: Db, verdict: Pick<Verdict, "id" | "state">): Promise<string | null> {
	if (verdict.state !== "draft") return null;
	const row = await db
		.select({ writerId: draftWriterSql })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(and(eq(verdicts.id, verdict.id), eq(verdicts.state, "draft")))
		.get();
	return row?.writerId ?? null;
}

/** A claim's holder as refusals and the desk name them: `departed` when their account is disabled. */
export const holderColumns = {
	name: users.name,
	email: users.email,
	departed: departed(users.disabledAt),
};

/** Who writes the draft while its claim is held by nobody (`draftWriterSql` without the claim). */
export const lastWriterSql = sql<string | null>`coalesce(${verdicts.writerId}, ${verdicts.reviewerId})`;

/**
 * Before the claims matching `where` go to nobody: their open drafts stay with the one who
 * holds them now, written into `writer_id` from the claims' assignee as it still is (run in
 * the same batch, before the claims' update). `except`: a draft this batch opens (its
 * drafter's, not the departed assignee's: store/verdicts `createDraftVerdict`).
 */
export function keepLastHolder(db: Db, where: SQL | undefined, except?: string): Statement {
	return db
		.update(verdicts)
		.set({
			writerId: sql`coalesce((SELECT ${claims.assigneeId} FROM ${claims} WHERE ${claims.id} = ${verdicts.claimId}), ${verdicts.writerId})`,
		})
		.where(
			and(
				eq(verdicts.state, "draft"),
				sql`${verdicts.claimId} IN (SELECT ${claims.id} FROM ${claims} WHERE ${where})`,
				except === undefined ? undefined : ne(verdicts.id, except),
			),
		);
}

/**
 * Migration 0043, for a restore of a backup made before 0042 (its verdict lines have no
 * `writer_id`, store/backup): the open draft of a claim that went back to nobody after the
 * draft was opened is its last holder's, the `from` of the claim's last unassignment since
 * (both audited), as it is in a database upgraded in place. A backup's user merged into the
 * restoring account over HTTP is that account (`merged` maps the backup's id to the
 * account's; the restore maps an assignment's `from` and `to` too, since 3408922, so this
 * maps ids already mapped then, which changes nothing). Only a user the database
 * holds, as `writer_id` refers to users (an edited file's audit row may name one it lacks):
 * else null, the drafter's as before, where the foreign key would fail the restore's end.
 * The same SQL as migrations/0043_draft_writer_backfill.sql, which cannot import this: keep
 * the two in step.
 */
export function writersFromUnassignments(db: Db, merged: Readonly<Record<string, string>> = {}): Statement {
	const from = sql.raw("json_extract(`a`.`changes`, '$.from')");
	const renamed = Object.entries(merged).map(([was, now]) => sql`WHEN ${was} THEN ${now}`);
	const holder =
		renamed.length === 0 ? from : sql`CASE ${from} ${sql.join(renamed, sql` `)} ELSE ${from} END`;
	const lastUnassigned = sql`SELECT ${holder} FROM \`audit_log\` AS \`a\`
		WHERE \`a\`.\`entity\` = 'claim' AND \`a\`.\`entity_id\` = ${verdicts.claimId} AND \`a\`.\`action\` = 'unassign'
			AND \`a\`.\`id\` > (
				SELECT min(\`d\`.\`id\`) FROM \`audit_log\` AS \`d\`
				WHERE \`d\`.\`entity\` = 'verdict' AND \`d\`.\`entity_id\` = ${verdicts.id} AND \`d\`.\`action\` = 'create-draft'
			)
		ORDER BY \`a\`.\`id\` DESC LIMIT 1`;
	return db
		.update(verdicts)
		.set({ writerId: sql`(SELECT ${users.id} FROM ${users} WHERE ${users.id} = (${lastUnassigned}))` })
		.where(
			and(
				eq(verdicts.state, "draft"),
				sql`(SELECT ${claims.assigneeId} FROM ${claims} WHERE ${claims.id} = ${verdicts.claimId}) IS NULL`,
			),
		);
}
