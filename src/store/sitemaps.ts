/**
 * What the sitemaps list (routes/sitemaps): every public claim, speaker and topic page, read
 * by primary key (claims) or rowid (speakers, topics) ranges and keys only, so a crawler's
 * visit costs an index range and no join. Under PUBLIC_UNREVIEWED = "hide" (`reviewedOnly`) only what the public can open.
 */
import { and, asc, type SQL, sql } from "drizzle-orm";
import { claims, claimTags, speakers, tags } from "../db/schema";
import { CLAIMS_PER_SITEMAP, ROWS_PER_SITEMAP } from "../domain/sitemap";
import type { Db } from "../factory";
import { reviewed, speakerHasPublicClaim } from "./public-claims";

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

/** A topic is public while a public claim (with `reviewedOnly`, a reviewed one) carries it. */
function topicHasPublicClaim(reviewedOnly: boolean): SQL {
	return sql`EXISTS (SELECT 1 FROM ${claimTags} JOIN ${claims} ON ${claims.id} = ${claimTags.claimId} WHERE ${claimTags.tagSlug} = ${tags.slug}${reviewedOnly ? sql` AND ${reviewed}` : sql``})`;
}

export type PageKind = "speakers" | "topics";

/*
 * Speakers and topics are cut into files by rowid (their keys are text), as claims are by
 * `seq`: a file is one range read, and the index needs no count. A VACUUM may renumber a
 * text-keyed table's rowids; that only moves a page to another file, as a merge or removal
 * empties one: the index lists the files that hold a public page, and only those answer.
 */
const listed = {
	claims: {
		table: claims,
		per: CLAIMS_PER_SITEMAP,
		isPublic: (reviewedOnly: boolean) => (reviewedOnly ? reviewed : sql`1`),
	},
	speakers: { table: speakers, per: ROWS_PER_SITEMAP, isPublic: speakerHasPublicClaim },
	topics: { table: tags, per: ROWS_PER_SITEMAP, isPublic: topicHasPublicClaim },
} as const;

/**
 * The numbers of the claim, speaker or topic files that hold at least one public page, in
 * order: none before the first, and none for a range whose rows are all gone (merged,
 * removed) or hidden (PUBLIC_UNREVIEWED = "hide"), as a sitemap holds one URL at least.
 */
export async function sitemapFiles(
	db: Db,
	kind: PageKind | "claims",
	reviewedOnly: boolean,
): Promise<number[]> {
	const { table, per, isPublic } = listed[kind];
	// One EXISTS per range, each stopping at its first public row: no scan of the table.
	// (A claim's rowid is its `seq`.)
	const rows = await db.all<{ n: number }>(sql`
		WITH RECURSIVE files(n) AS (
			SELECT 0
			UNION ALL
			SELECT n + 1 FROM files WHERE (n + 1) * ${per} < (SELECT coalesce(max(rowid), 0) FROM ${table})
		)
		SELECT n FROM files
		WHERE EXISTS (SELECT 1 FROM ${table} WHERE ${table}.rowid > n * ${per} AND ${table}.rowid <= (n + 1) * ${per} AND ${isPublic(reviewedOnly)})
		ORDER BY n`);
	return rows.map((row) => Number(row.n));
}

/**
 * The slugs of the public speaker or topic pages whose rowid lies in (after, upTo]. No
 * `lastmod`: the page is its claims' list (and a speaker's scorecard), which change with
 * every claim and verdict, not with the speaker's or topic's row.
 */
export async function sitemapPages(
	db: Db,
	kind: PageKind,
	range: { after: number; upTo: number },
	reviewedOnly: boolean,
): Promise<string[]> {
	const { table, isPublic } = listed[kind];
	const rows = await db.all<{ slug: string }>(
		sql`SELECT slug FROM ${table} WHERE rowid > ${range.after} AND rowid <= ${range.upTo} AND ${isPublic(reviewedOnly)} ORDER BY rowid`,
	);
	return rows.map((row) => row.slug);
}
