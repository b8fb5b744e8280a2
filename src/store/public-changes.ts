/**
 * Statements that date a public change of claims a write changes without editing them
 * (domain/public-change): their `updated_at` moves, their `version` does not, so a desk
 * form open on one of them (version-guarded) is not refused for another's rename; their
 * `changed_at` (the feed entry's time) only when their feed entries show the change. Each
 * belongs in the batch of the write it dates, never after it: a rename that committed
 * without it would leave every "when did this change" signal behind.
 */
import { eq, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { appearances, type ClaimEditField, claimChanges, claims, claimTags, sources } from "../db/schema";
import { CREDIT_NOTE } from "../domain/rated-fields";
import type { Db } from "../factory";
import { idChunks, nowIso, type Statement } from "./batch";

/** The fields every feed entry of the claim shows, superseded and withdrawn ones too (their titles). */
export const QUOTED_FIELDS: ReadonlySet<ClaimEditField> = new Set(["text", "language", "speaker"]);

/** A claim with a review: published, corrected or retracted (its feed entry exists). */
const hasReview = sql`(${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted')`;

/**
 * The columns a public change that is not a review sets, for a claim's update: its answers
 * changed (page, JSON, JSON-LD `dateModified`, sitemap `lastmod`, caches). Never backwards:
 * `at` is taken before the batch runs, and a publication that committed meanwhile keeps
 * its later time (`max`). Not its feed entry's time: for a change the entry does not show
 * (a topic, a speaker's description, a source, an attachment) see `entryChange`.
 */
export function publicChange(at: string) {
	return { updatedAt: sql`max(${claims.updatedAt}, ${at})` };
}

/**
 * A public change of a claim that its feed entry shows too (domain/atom-feed
 * `verdictAtomEntry`: the claim's words and language, its speaker's name, its first
 * source's publisher when it has no speaker, a public change note): `publicChange`, and for
 * a reviewed claim `changed_at`, by which the feed brings that entry back up
 * (store/public-claims `feedReads`, domain/atom-feed `entryUpdated`). Only then: the feed
 * shows its 50 newest entries, and one moved up for nothing pushes a retraction out of them.
 * It moves the claim's standing entry; what moves its older entries too is `quoteChange`.
 */
export function entryChange(at: string) {
	return {
		...publicChange(at),
		changedAt: sql`CASE WHEN ${hasReview} THEN max(coalesce(${claims.changedAt}, ''), ${at}) ELSE ${claims.changedAt} END`,
	};
}

/**
 * An `entryChange` that the claim's entries no longer standing (superseded, withdrawn before
 * a new publication) show too, and for a reviewed claim `quoted_at`, by which they move
 * (domain/atom-feed `entryUpdated`): their titles quote the claim's words as they are now,
 * in its language's quote marks, and name its speaker, or without one the publisher it is
 * credited to. Not a change of its context or date said, nor an appearance removed that
 * leaves whom it is credited to: only the standing entry tells of those (its change note),
 * and an old entry moved for them is "Superseded: …" announced again with nothing new.
 */
export function quoteChange(at: string) {
	return {
		...entryChange(at),
		quotedAt: sql`CASE WHEN ${hasReview} THEN max(coalesce(${claims.quotedAt}, ''), ${at}) ELSE ${claims.quotedAt} END`,
	};
}

/**
 * The claims that name a speaker changed in public (its name, slug, kind, description or
 * Wikidata id: their pages, JSON-LD and badges show them; not its other spellings, which
 * only the speaker's own page lists). `nameShown`: the name they show changed (a rename, a
 * merge into a speaker of another name), which their feed entries' titles show too; the
 * rest is on no entry. By the claims' speaker index; writes no search column, so no FTS
 * trigger runs.
 */
export function touchClaimsOfSpeaker(
	db: Db,
	speakerId: string,
	nameShown: boolean,
	at: string = nowIso(),
): Statement {
	return db
		.update(claims)
		.set(nameShown ? quoteChange(at) : publicChange(at))
		.where(eq(claims.speakerId, speakerId));
}

/**
 * The claims filed under a topic changed in public (its name: their pages, JSON and
 * ClaimReview `keywords` show it; no feed entry does, in either language). For a topic's
 * rename, in its batch. By the topic's claim index (`claim_tags_tag_seq_idx`) and the
 * claims' primary key.
 */
export function touchClaimsOfTopic(db: Db, slug: string, at: string = nowIso()): Statement {
	return db
		.update(claims)
		.set(publicChange(at))
		.where(
			sql`${claims.seq} IN (SELECT ${claimTags.claimSeq} FROM ${claimTags} WHERE ${claimTags.tagSlug} = ${slug})`,
		);
}

/**
 * The claims citing a source changed in public (a copy elsewhere, `archivedUrl`, a write
 * gave it: their pages, JSON and ClaimReview `archivedAt` show it; no feed entry does).
 * `sourceId` is SQL (a subquery), so the precondition of the write it dates holds it too.
 * By the appearances' source index.
 */
export function touchClaimsOfSource(db: Db, sourceId: SQL, at: string = nowIso()): Statement {
	return db
		.update(claims)
		.set(publicChange(at))
		.where(
			sql`${claims.id} IN (SELECT ${appearances.claimId} FROM ${appearances} WHERE ${appearances.sourceId} = (${sourceId}))`,
		);
}

/**
 * One claim changed in public without an edit of its own (an appearance added to it; an
 * attachment made public or internal): its page and JSON show it, its feed entry does not
 * (an appearance that is the claim's first may credit it anew: `claimantChange` then).
 */
export function touchClaim(db: Db, claimId: string, at: string = nowIso()): Statement {
	return db.update(claims).set(publicChange(at)).where(eq(claims.id, claimId));
}

/**
 * Whom a claim without a speaker is credited to (its first source's publisher, else its
 * host), as every surface names them (domain/claim-review `claimantName`); its feed entry's
 * title does too (store/public-claims `feedReads`).
 */
export function firstSourceClaimant(claimId: SQLWrapper | string): SQL<string | null> {
	return sql<
		string | null
	>`(SELECT coalesce(nullif(trim(s.publisher), ''), s.domain) FROM ${appearances} AS a JOIN ${sources} AS s ON s.id = a.source_id WHERE a.claim_id = ${claimId} AND a.is_first = 1 LIMIT 1)`;
}

/**
 * For a claim without a speaker, what moves its feed entries (`quoteChange`) when it is
 * credited to another after a write (a merge gave it an earlier first appearance, from
 * another publisher; its first appearance removed): their titles name them. Reads whom it is
 * credited to now; to go in the write's batch after the statement that moves its first
 * appearance. None for a claim with a speaker, whose entries name the speaker.
 * It also writes an internal `speaker` change row, claimant before → after: whom the claim is
 * credited to is its speaker on every surface (ClaimReview's `author`), so a draft rating it
 * is marked as one whose speaker was changed (store/draft-words) and is not published naming
 * someone its writer never saw (s35 r351). Internal: the claim's public changes say what the
 * write itself says (an appearance removed, a merge), as before.
 */
export async function claimantChange(
	db: Db,
	claim: { id: string; speakerId: string | null },
	at: string,
	actorId: string | null,
): Promise<Statement[]> {
	if (claim.speakerId !== null) return [];
	const before =
		(await db.get<{ name: string | null }>(sql`SELECT ${firstSourceClaimant(claim.id)} AS name`))?.name ??
		null;
	const credited = sql`${claims.id} = ${claim.id} AND ${claims.speakerId} IS NULL AND ${firstSourceClaimant(claim.id)} IS NOT ${before}`;
	return [
		db.update(claims).set(quoteChange(at)).where(credited),
		creditChangeRows(db, before, credited, at, actorId),
	];
}

/**
 * `claimantChange` for the known claims an import gives their first appearance (no one's
 * before: a claim imported without a source), in its batch after the appearances' insert:
 * the internal `speaker` row, from none to whom each claim without a speaker is credited now
 * (s35 r361). The import moves their feed entries itself (`quoteChange`).
 */
export function firstCreditRows(db: Db, claimIds: string[], at: string, actorId: string | null): Statement[] {
	return idChunks(claimIds).map((ids) =>
		creditChangeRows(
			db,
			null,
			sql`${inArray(claims.id, ids)} AND ${claims.speakerId} IS NULL AND ${firstSourceClaimant(CLAIM_ID)} IS NOT NULL`,
			at,
			actorId,
		),
	);
}

/** Written out: a select from `claims` alone leaves its columns unqualified, ambiguous in the subquery. */
const CLAIM_ID = sql.raw(`"claims"."id"`);

/** The internal `speaker` change rows, credit `before` → now, of the claims `credited` picks. */
function creditChangeRows(db: Db, before: string | null, credited: SQL, at: string, actorId: string | null) {
	return db.insert(claimChanges).select(
		db
			.select({
				id: sql`NULL`.as("id"),
				claimId: claims.id,
				field: sql`'speaker'`.as("field"),
				fromValue: sql`${before}`.as("from_value"),
				fromFingerprint: sql`NULL`.as("from_fingerprint"),
				mergedFrom: sql`NULL`.as("merged_from"),
				toValue: sql`${firstSourceClaimant(CLAIM_ID)}`.as("to_value"),
				note: sql`${CREDIT_NOTE}`.as("note"),
				isPublic: sql`0`.as("is_public"),
				at: sql`${at}`.as("created_at"),
				actorId: sql`${actorId}`.as("actor_id"),
			})
			.from(claims)
			.where(credited),
	);
}

/**
 * The newest public change row of a claim (its words, date said, language, context or speaker
 * edited, an appearance removed, each with its note) since its last review, of `fields` when
 * given: null when none.
 */
function lastPublicChangeSinceReview(fields?: ReadonlySet<ClaimEditField>): SQL<string | null> {
	const ofFields = fields
		? sql` AND ${claimChanges.field} IN (${sql.join(
				[...fields].map((field) => sql`${field}`),
				sql`, `,
			)})`
		: sql``;
	return sql<
		string | null
	>`(SELECT max(${claimChanges.at}) FROM ${claimChanges} WHERE ${claimChanges.claimId} = ${claims.id} AND ${claimChanges.isPublic} = 1${ofFields} AND ${claimChanges.at} > (SELECT max(v.updated_at) FROM verdicts AS v WHERE v.claim_id = ${claims.id} AND v.state <> 'draft'))`;
}

/**
 * `changed_at` and `quoted_at` for rows written without them (a backup made before 0030), by
 * what that release's feed dated its entries by: their claim's public change rows (store/
 * public-claims `feedReads` reads the newest one still). `changed_at` the newest since the
 * claim's last review, `quoted_at` the newest of those its older entries' titles show, else
 * null; never its `updated_at`, which that release also moved for a topic set or another
 * speaker merged into its speaker, changes no entry showed (taken for one, 0031 brought such
 * entries back to the top, "Correction:" and "Superseded:" ones too). Migration 0057 redates
 * an upgrade in place by the same rule: keep the two in step. Never for a later backup's rows
 * (store/backup `restoredChanges`): there a null is a claim whose entry has not moved since
 * its review. Needs the verdicts in, as the search terms do: a restore runs it at its end.
 */
export function datePublicChangesSinceReview(db: Db): Statement {
	return db
		.update(claims)
		.set({ changedAt: lastPublicChangeSinceReview(), quotedAt: lastPublicChangeSinceReview(QUOTED_FIELDS) })
		.where(sql`${claims.changedAt} IS NULL AND ${hasReview}`);
}
