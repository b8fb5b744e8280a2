import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { batchGuards, claimChanges, users, type Verdict, verdicts } from "../db/schema";
import { CREDIT_NOTE, RATED_FIELDS, type RatedField } from "../domain/rated-fields";
import type { Db } from "../factory";
import { conflict } from "../lib/errors";
import type { Statement } from "./batch";
import { draftWriterOf } from "./draft-writer";

/**
 * The claim's words a draft rates, and changes of them made after the draft was last saved
 * (docs/decisions.md, "A draft rates the words it was saved on"). A draft keeps the newest of
 * its claim's `claim_changes` ids at its last save (`verdicts.claim_change_seen`); a change of
 * a rated field (domain/rated-fields) with a higher id came after, and nothing publishes the draft until it is
 * saved again on the claim as it reads now.
 */

/** A change of the rated words, as the desk and the draft's JSON name it. */
export interface WordsChange {
	field: RatedField;
	from: string | null;
	to: string | null;
	at: string;
	/** Who changed it (user id), and their name; null for a process. */
	changedBy: string | null;
	byName: string | null;
	/** A `speaker` row saying whom a claim without a speaker is credited to (`CREDIT_NOTE`), not its speaker. */
	credited: boolean;
}

/**
 * Written out with aliases: drizzle leaves a column unqualified in a single table's select, so
 * `claim_id` inside a subquery on `claim_changes` would be that table's, not the draft's.
 */
const RATED_LIST = sql.raw(RATED_FIELDS.map((field) => `'${field}'`).join(", "));

/**
 * Whether claim `claimId`'s rated words differ from those at the change row `mark`: a field
 * counts when its first change after the mark starts from other words than its last one ends
 * on, so an edit undone (A → B → A) is none. The speaker is not read that way: its change rows
 * name speakers by name, not id, so a claim moved on to a namesake of its first speaker
 * (A → B → A's namesake) reads as undone though it is another person's (s35 r351); any change
 * of the speaker counts. The claim's own changes only, not a merged duplicate's earlier texts.
 * `netChanges` is the same rule for the lists.
 */
function ratedSince(claimId: SQL, mark: SQL): SQL {
	const sameField = (alias: string) =>
		sql.raw(
			`"${alias}"."claim_id" = "rated"."claim_id" AND "${alias}"."field" = "rated"."field" AND "${alias}"."merged_from" IS NULL`,
		);
	return sql`EXISTS (SELECT 1 FROM "claim_changes" AS "rated" WHERE "rated"."claim_id" = ${claimId} AND "rated"."id" > ${mark} AND "rated"."field" IN (${RATED_LIST}) AND "rated"."merged_from" IS NULL AND "rated"."id" = (SELECT min("opening"."id") FROM "claim_changes" AS "opening" WHERE ${sameField("opening")} AND "opening"."id" > ${mark}) AND ("rated"."field" = 'speaker' OR "rated"."from_value" IS NOT (SELECT "closing"."to_value" FROM "claim_changes" AS "closing" WHERE ${sameField("closing")} ORDER BY "closing"."id" DESC LIMIT 1) OR EXISTS (SELECT 1 FROM "claim_changes" AS "unseen" WHERE ${sameField("unseen")} AND "unseen"."id" > ${mark} AND "unseen"."from_value" IS "unseen"."to_value")))`;
}

/**
 * The changes of the fields whose words are others now than before the first of them
 * (`ratedSince`'s rule): a field edited and edited back drops out, a field changed keeps
 * each of its changes. The speaker always counts (names, not ids: see `ratedSince`).
 */
function netChanges<Change extends { field: string; from: string | null; to: string | null }>(
	changes: Change[],
): Change[] {
	const changed = new Set<string>();
	for (const field of new Set(changes.map((change) => change.field))) {
		const rows = changes.filter((change) => change.field === field);
		const undone = rows[0]?.from === rows.at(-1)?.to && rows.every((row) => row.from !== row.to);
		if (field === "speaker" || !undone) changed.add(field);
	}
	return changes.filter((change) => changed.has(change.field));
}

/** The newest of the claim's change rows now (0: none): what a save records as the words it was made on. */
export function latestChangeSql(claimId: SQL | string): SQL<number> {
	return sql<number>`(SELECT coalesce(max("newest"."id"), 0) FROM "claim_changes" AS "newest" WHERE "newest"."claim_id" = ${claimId})`;
}

/**
 * The change row a draft was last saved after, read where `verdicts` is in the query. A draft
 * last saved before migration 0058 (or restored from a backup made before it) has none: its
 * last save's time stands for it, the newest change row made by then. A save naming no words
 * read (an API `PUT` without `wordsRead`) writes this back: the draft keeps its words, and
 * its own audit row does not move the time that stands for them.
 */
export const seenChangeSql = sql<number>`coalesce("verdicts"."claim_change_seen", (SELECT max("seen"."id") FROM "claim_changes" AS "seen" WHERE "seen"."claim_id" = "verdicts"."claim_id" AND "seen"."created_at" <= (SELECT max("saved"."at") FROM "audit_log" AS "saved" WHERE "saved"."entity" = 'verdict' AND "saved"."entity_id" = "verdicts"."id" AND "saved"."action" IN ('create-draft', 'update-draft'))), 0)`;

/** Whether the draft's claim had its rated words changed since the draft was last saved (lists of drafts). */
export const claimChangedSinceSavedSql = ratedSince(sql`"verdicts"."claim_id"`, seenChangeSql).mapWith(
	Boolean,
);

/** The newest of the claim's change rows now (0: none): a desk form carries it as the words it shows. */
export async function latestChange(db: Db, claimId: string): Promise<number> {
	const row = await db.get<{ id: number }>(sql`SELECT ${latestChangeSql(claimId)} AS id`);
	return Number(row?.id ?? 0);
}

/**
 * The claim's changes of its rated words after the change row `mark`, oldest first: those of
 * the fields whose words differ now from those at the mark (`netChanges`).
 */
export async function wordsChangedSince(db: Db, claimId: string, mark: number): Promise<WordsChange[]> {
	const rows = await db
		.select({
			field: claimChanges.field,
			from: claimChanges.fromValue,
			to: claimChanges.toValue,
			at: claimChanges.at,
			changedBy: claimChanges.actorId,
			byName: users.name,
			credited:
				sql<boolean>`(${claimChanges.note} IS ${CREDIT_NOTE} AND ${claimChanges.isPublic} = 0)`.mapWith(
					Boolean,
				),
		})
		.from(claimChanges)
		.leftJoin(users, eq(users.id, claimChanges.actorId))
		.where(
			and(
				eq(claimChanges.claimId, claimId),
				gt(claimChanges.id, mark),
				inArray(claimChanges.field, [...RATED_FIELDS]),
				isNull(claimChanges.mergedFrom),
			),
		)
		.orderBy(asc(claimChanges.id));
	return netChanges(rows.map((row) => ({ ...row, field: row.field as RatedField })));
}

/** The change row this draft was last saved after (`seenChangeSql`); null: no such verdict. */
export async function draftSeenChange(db: Db, verdictId: string): Promise<number | null> {
	const row = await db.select({ mark: seenChangeSql }).from(verdicts).where(eq(verdicts.id, verdictId)).get();
	return row ? Number(row.mark) : null;
}

/** The changes of its claim's rated words since this draft was last saved (none for a verdict not a draft). */
export async function draftWordsChanges(
	db: Db,
	verdict: { id: string; claimId: string; state: string },
): Promise<WordsChange[]> {
	if (verdict.state !== "draft") return [];
	const mark = await draftSeenChange(db, verdict.id);
	return mark === null ? [] : wordsChangedSince(db, verdict.claimId, mark);
}

/**
 * Aborts the batch when the claim's rated words changed after the change row `mark`: a save
 * from a form showing older words, or a publication of a draft saved on them, landing just
 * after an edit (the caller's read said none).
 */
export function guardWordsSince(db: Db, claimId: string, mark: number): Statement {
	return db.insert(batchGuards).values({ ok: sql`NOT ${ratedSince(sql`${claimId}`, sql`${mark}`)}` });
}

/**
 * The 409 `claim-words-changed`: the claim's rated words changed after the draft was last
 * saved (`publish`: nothing is published until it is saved again on them) or after the form
 * saving it was shown (`save`: nothing was saved). `changes` lists them, oldest first;
 * `claimChange` is the claim's newest change row read before them, which an API client sends
 * as `wordsRead` to save on them (read first: a change landing between is listed but not covered, and
 * refused again, never acknowledged unseen).
 */
export function claimWordsChanged(changes: WordsChange[], step: "publish" | "save", claimChange: number) {
	const detail =
		step === "publish"
			? "The claim's words (its text, speaker or date) were changed after this draft was last saved: nothing was published. Check the verdict still fits the claim as it reads now and save the draft again on them (the API: with `wordsRead`), or return it to its writer, then publish."
			: "The claim's words (its text, speaker or date) were changed after your form was shown: nothing was saved. Check the verdict still fits the claim as it reads now, then save again.";
	return conflict(detail, "claim-words-changed", {
		changes: changes.map(({ byName: _name, credited: _credited, ...change }) => change),
		claimChange,
	});
}

/**
 * What a draft's JSON says beside its row: who writes it now (`writerId`), the changes of
 * its claim's words since it was last saved and the claim's newest change row they reach
 * (`claimChange`, which a save sends as `wordsRead` to be made on them); null for a verdict not a draft.
 */
export async function draftFacts(
	db: Db,
	verdict: Pick<Verdict, "id" | "claimId" | "state">,
): Promise<{ writerId: string | null; wordsChanged: WordsChange[] | null; claimChange: number | null }> {
	const words = async () => {
		// The mark first: a change landing before the list is read is listed and not covered.
		const claimChange = await latestChange(db, verdict.claimId);
		return { claimChange, wordsChanged: await draftWordsChanges(db, verdict) };
	};
	const [writerId, read] = await Promise.all([
		draftWriterOf(db, verdict),
		verdict.state === "draft" ? words() : Promise.resolve({ claimChange: null, wordsChanged: null }),
	]);
	return { writerId, ...read };
}
