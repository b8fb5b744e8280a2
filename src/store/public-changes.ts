/**
 * Statements that date a public change of claims a write changes without editing them
 * (domain/public-change): their `updated_at` moves, their `version` does not, so a desk
 * form open on one of them (version-guarded) is not refused for another's rename. Each
 * belongs in the batch of the write it dates, never after it: a rename that committed
 * without it would leave every "when did this change" signal behind.
 */
import { eq, type SQL, sql } from "drizzle-orm";
import { appearances, claims, claimTags } from "../db/schema";
import type { Db } from "../factory";
import { nowIso, type Statement } from "./batch";

/** A claim with a review: published, corrected or retracted (its feed entry exists). */
const hasReview = sql`(${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted')`;

/**
 * The columns a public change that is not a review sets, for a claim's update. Never
 * backwards: `at` is taken before the batch runs, and a publication that committed
 * meanwhile keeps its later time (`max`). A reviewed claim's `changed_at` records it too:
 * the feed brings that review's entry back up (store/public-claims `feedReads`).
 */
export function publicChange(at: string) {
	return {
		updatedAt: sql`max(${claims.updatedAt}, ${at})`,
		changedAt: sql`CASE WHEN ${hasReview} THEN max(coalesce(${claims.changedAt}, ''), ${at}) ELSE ${claims.changedAt} END`,
	};
}

/**
 * The claims that name a speaker changed in public (its name, kind, description or
 * Wikidata id: the claims' pages, JSON-LD, badges and feed entries show them; not its other
 * spellings, which only the speaker's own page lists). By the claims' speaker index;
 * writes no search column, so no FTS trigger runs.
 */
export function touchClaimsOfSpeaker(db: Db, speakerId: string, at: string = nowIso()): Statement {
	return db.update(claims).set(publicChange(at)).where(eq(claims.speakerId, speakerId));
}

/**
 * The claims filed under a topic changed in public (its name: their pages, JSON and
 * ClaimReview `keywords` show it). For a topic's rename, in its batch. By the topic's
 * claim index (`claim_tags_tag_seq_idx`) and the claims' primary key.
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
 * gave it: their pages, JSON and ClaimReview `archivedAt` show it). `sourceId` is SQL (a
 * subquery), so the precondition of the write it dates holds it too. By the appearances'
 * source index.
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
 * One claim changed in public without an edit of its own (an appearance added to it, an
 * attachment made public or internal).
 */
export function touchClaim(db: Db, claimId: string, at: string = nowIso()): Statement {
	return db.update(claims).set(publicChange(at)).where(eq(claims.id, claimId));
}

/**
 * `changed_at` as migration 0031 set it, for rows written without it (a backup made before
 * 0030): a reviewed claim whose last public change came after its last review was changed
 * since. Only where it is null, so a current backup's values stay. Needs the verdicts in,
 * as the search terms do: a restore runs it at its end.
 */
export function datePublicChangesSinceReview(db: Db): Statement {
	return db
		.update(claims)
		.set({ changedAt: claims.updatedAt })
		.where(
			sql`${claims.changedAt} IS NULL AND ${hasReview} AND ${claims.updatedAt} > (SELECT max(v.updated_at) FROM verdicts AS v WHERE v.claim_id = ${claims.id} AND v.state <> 'draft')`,
		);
}
