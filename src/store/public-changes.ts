/**
 * Statements that date a public change of claims a write changes without editing them
 * (domain/public-change): their `updated_at` moves, their `version` does not, so a desk
 * form open on one of them (version-guarded) is not refused for another's rename. Each
 * belongs in the batch of the write it dates, never after it: a rename that committed
 * without it would leave every "when did this change" signal behind.
 */
import { eq, sql } from "drizzle-orm";
import { claims, claimTags } from "../db/schema";
import type { Db } from "../factory";
import { nowIso, type Statement } from "./batch";

/**
 * The claims that name a speaker changed in public (its name, kind, description, Wikidata
 * id or spellings: the claims' pages, JSON-LD, badges and feed entries show them). By the
 * claims' speaker index; writes no search column, so no FTS trigger runs.
 */
export function touchClaimsOfSpeaker(db: Db, speakerId: string, at: string = nowIso()): Statement {
	return db.update(claims).set({ updatedAt: at }).where(eq(claims.speakerId, speakerId));
}

/**
 * The claims filed under a topic changed in public (its name: their pages, JSON and
 * ClaimReview `keywords` show it). For a topic's rename, in its batch. By the topic's
 * claim index (`claim_tags_tag_seq_idx`) and the claims' primary key.
 */
export function touchClaimsOfTopic(db: Db, slug: string, at: string = nowIso()): Statement {
	return db
		.update(claims)
		.set({ updatedAt: at })
		.where(
			sql`${claims.seq} IN (SELECT ${claimTags.claimSeq} FROM ${claimTags} WHERE ${claimTags.tagSlug} = ${slug})`,
		);
}

/** One claim changed in public without an edit of its own (an appearance added to it). */
export function touchClaim(db: Db, claimId: string, at: string = nowIso()): Statement {
	return db.update(claims).set({ updatedAt: at }).where(eq(claims.id, claimId));
}
