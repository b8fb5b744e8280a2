/**
 * What the sitemaps list (routes/sitemaps): every public claim, speaker and topic page, read
 * by primary key ranges and keys only, so a crawler's visit costs an index range and no
 * join. Under PUBLIC_UNREVIEWED = "hide" (`reviewedOnly`) only what the public can open.
 */
import { and, asc, sql } from "drizzle-orm";
import { claims, claimTags, speakers, tags } from "../db/schema";
import type { Db } from "../factory";
import { reviewed, speakerHasPublicClaim } from "./public-claims";

/** The highest `seq` a claim was given (0 before the first): how many claim files there are. */
export async function lastClaimSeq(db: Db): Promise<number> {
	const [row] = await db.select({ last: sql<number | null>`max(${claims.seq})` }).from(claims);
	return Number(row?.last ?? 0);
}

/** The claims whose `seq` lies in (after, upTo], in order, with when each last changed. */
export function sitemapClaims(db: Db, range: { after: number; upTo: number }, reviewedOnly: boolean) {
	return db
		.select({ id: claims.id, updatedAt: claims.updatedAt })
		.from(claims)
		.where(
			and(
				sql`${claims.seq} > ${range.after} AND ${claims.seq} <= ${range.upTo}`,
				reviewedOnly ? reviewed : undefined,
			),
		)
		.orderBy(asc(claims.seq));
}

/**
 * Speakers with a public page: those with a claim, or (reviewedOnly) with a reviewed claim.
 * No `lastmod`, as for topics: the page is its claims' list and scorecard, which change with
 * every claim and verdict, not with the speaker's row.
 */
export function sitemapSpeakers(db: Db, reviewedOnly: boolean, limit: number) {
	return db
		.select({ slug: speakers.slug })
		.from(speakers)
		.where(speakerHasPublicClaim(reviewedOnly))
		.orderBy(asc(speakers.slug))
		.limit(limit);
}

/** Topics with a public page: those with a claim, or (reviewedOnly) with a reviewed claim. */
export function sitemapTopics(db: Db, reviewedOnly: boolean, limit: number) {
	return db
		.select({ slug: tags.slug })
		.from(tags)
		.where(
			sql`EXISTS (SELECT 1 FROM ${claimTags} JOIN ${claims} ON ${claims.id} = ${claimTags.claimId} WHERE ${claimTags.tagSlug} = ${tags.slug}${reviewedOnly ? sql` AND ${reviewed}` : sql``})`,
		)
		.orderBy(asc(tags.slug))
		.limit(limit);
}
