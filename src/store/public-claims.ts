import { and, asc, desc, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { Claim, Source, Speaker, Verdict } from "../db/schema";
import {
	appearances,
	claimChanges,
	claims,
	claimTags,
	primarySubtag,
	sources,
	speakerRedirects,
	speakers,
	verdicts,
} from "../db/schema";
import { entryUpdated } from "../domain/atom-feed";
import { estimateMatchCount, type MatchCount, type MatchWindow } from "../domain/match-count";
import { CLAIM_STATUSES, type ClaimStatus, type RatingKey } from "../domain/ratings";
import type { Db } from "../factory";
import { openWorkSql } from "./open-work";
import { firstSourceClaimant } from "./public-changes";

export type ClaimSort = "recent" | "claimed" | "reviewed" | "relevance";

export interface ClaimFilters {
	status?: ClaimStatus | undefined;
	rating?: RatingKey | undefined;
	speakerSlug?: string | undefined;
	speakerId?: string | undefined;
	/**
	 * Claims of one of these speakers or of none (the claims an import record restates:
	 * commands/import-batch), bound as one JSON array.
	 */
	speakerOrNone?: readonly string[] | undefined;
	sourceId?: string | undefined;
	domain?: string | undefined;
	language?: string | undefined;
	/**
	 * The public review's language (primary subtag): the current verdict's, or a retracted
	 * claim's last withdrawn one. Google's `languageCode`: its clients see only that language.
	 */
	reviewLanguage?: string | undefined;
	/**
	 * Whose review (Google's `reviewPublisherSiteFilter`): claims whose current verdict's
	 * review URL is on `site` or a subdomain of it (domain/review-attribution `siteMatches`),
	 * and with `ours` (our hosts, given when the filter names one of them) also our own
	 * reviews: the desk's, imports from our hosts, and retracted claims (a retraction is ours).
	 */
	reviewSite?: { site: string; ours: readonly string[] | null } | undefined;
	/**
	 * Set by listClaims, never by a route: claims whose current verdict's review host is
	 * exactly this, newest review first, read from the host index in that order (see
	 * `manyReviewsOfHost`).
	 */
	reviewHost?: string | undefined;
	/** Set by listClaims, never by a route: a site and its subdomains, a page from each (`pageOfHosts`). */
	reviewHosts?: readonly string[] | undefined;
	since?: string | undefined;
	until?: string | undefined;
	reviewedSince?: string | undefined;
	reviewedUntil?: string | undefined;
	/**
	 * Google's `maxAgeDays` (an ISO timestamp): the claim date or the last review, whichever
	 * is newer, at or after it. A claim date is a day, so it is compared with the day.
	 */
	freshSince?: string | undefined;
	/** A safe FTS5 expression from domain/search-query. */
	fts?: string | undefined;
	/** Only claims with a published verdict (what the public scorecards count). */
	publishedOnly?: boolean | undefined;
	/** Published or retracted: every claim with a public review, current or withdrawn. */
	reviewedOnly?: boolean | undefined;
	/** A topic's slug. */
	tag?: string | undefined;
	/** A desk member's user id: never from a public request (the route requires a token). */
	assigneeId?: string | undefined;
	/** The desk's "unassigned": open claims (store/open-work) nobody works on. */
	unassigned?: boolean | undefined;
	/** Open claims only (store/open-work): the work still to do. */
	open?: boolean | undefined;
	/** Only these claims (the semantic matcher's nearest); at most 90. */
	ids?: readonly string[] | undefined;
	/** Only these claims, by `seq` (bound as one JSON array): another publisher's few reviews. */
	seqs?: readonly number[] | undefined;
}

export type Page =
	| { kind: "keyset"; value: string | number | null; seq: number }
	| { kind: "offset"; offset: number }
	| null;

export interface ListedClaim {
	claim: Claim;
	speaker: Pick<Speaker, "id" | "slug" | "name" | "kind"> | null;
	firstSource: Pick<Source, "id" | "url" | "domain" | "title" | "publisher"> | null;
	verdict: Pick<
		Verdict,
		| "id"
		| "rating"
		| "headline"
		| "summary"
		| "publishedAt"
		| "language"
		| "originalRating"
		| "reviewUrl"
		| "reviewPublisher"
	> | null;
}

export interface ClaimPage {
	rows: ListedClaim[];
	next: Page;
	/** How many claims the search matches (with `countMatches` and a search; else null). */
	matches: MatchCount | null;
}

const sortColumn = {
	recent: null,
	claimed: claims.claimedAt,
	reviewed: claims.reviewedAt,
} as const;

/**
 * Public claim list. Keyset pages on (sort column, seq) walk an index without
 * sorting; relevance-ranked search pages by offset (rank moves as the index grows).
 */
export async function listClaims(
	db: Db,
	filters: ClaimFilters,
	sort: ClaimSort,
	limit: number,
	page: Page,
	options: { countMatches?: boolean } = {},
): Promise<ClaimPage> {
	if (filters.reviewedOnly && filters.status && NEVER_REVIEWED.has(filters.status)) {
		// Nothing can match, and the count can say so exactly, not "none among the newest".
		return { rows: [], next: null, matches: options.countMatches && filters.fts ? NO_MATCHES : null };
	}
	const narrowed = await narrowedToSite(db, filters, sort, page);
	if (narrowed?.seqs?.length === 0)
		return { rows: [], next: null, matches: options.countMatches && filters.fts ? NO_MATCHES : null };
	const hosts = narrowed?.reviewHosts;
	let rows: Claim[];
	let matches: MatchCount | null = null;
	let plan: { paging: ReturnType<typeof claimListSelect>["paging"]; offset: number };
	if (hosts) {
		// A page of each host, merged (`pageOfHosts`): keyset pages by review date.
		rows = await pageOfHosts(db, { ...filters, ...narrowed, reviewHosts: hosts }, limit, page);
		plan = { paging: "reviewed", offset: 0 };
	} else {
		const select = claimListSelect(db, narrowed ?? filters, sort, limit, page);
		plan = select;
		if (options.countMatches && filters.fts) {
			// One round trip: the page and the window its count is read from.
			const [pageRows, [window]] = await db.batch([select.query, matchWindowSelect(db, filters, sort)]);
			rows = pageRows;
			matches = estimateMatchCount(window ?? EMPTY_WINDOW, RANKED_CANDIDATES);
		} else {
			rows = await select.query;
		}
	}
	const more = rows.length > limit;
	const pageRows = rows.slice(0, limit);
	const last = pageRows.at(-1);
	let next: Page = null;
	if (more && last) {
		next =
			plan.paging === "offset"
				? { kind: "offset", offset: plan.offset + limit }
				: {
						kind: "keyset",
						value:
							plan.paging === "claimed"
								? last.claimedAt
								: plan.paging === "reviewed"
									? last.reviewedAt
									: null,
						seq: last.seq,
					};
	}
	return { rows: await decorate(db, pageRows), next, matches };
}

/**
 * Another publisher's site, listed newest review first (Google's list without `query`):
 * read from the host index in that order, a page at a time (`reviewHost`), whatever its
 * size; with subdomains among the hosts of imported reviews here (current or not), a page
 * from each host, merged (`reviewHosts`). Otherwise (a search, an `offset` page across
 * hosts, more than MAX_HOSTS of them), with few reviews here it is read from the host
 * index whole, and the list is made of those claims alone: walked claim by claim, newest
 * review first, the list read every reviewed claim to find none (176 ms at 100,000
 * claims, 537 before the index). A site with more than FEW_REVIEWS keeps the walk, which
 * then meets its reviews soon.
 */
const FEW_REVIEWS = 1_000;
const MAX_HOSTS = 10;

export async function narrowedToSite(
	db: Db,
	filters: ClaimFilters,
	sort: ClaimSort,
	page: Page,
): Promise<ClaimFilters | null> {
	const filter = filters.reviewSite;
	if (!filter || filter.ours) return null;
	// Not with a topic: claimListSelect reads `tag` on its own way, which this one does not take.
	if (sort === "reviewed" && !filters.fts && !filters.tag) {
		const subdomains = await db.all<{ host: string }>(
			sql`SELECT host FROM ${theirSubdomains(filter.site)} LIMIT ${MAX_HOSTS}`,
		);
		const hosts = [filter.site, ...subdomains.map((row) => row.host)];
		if (hosts.length === 1) return { ...filters, reviewSite: undefined, reviewHost: filter.site };
		// Pages of several hosts are merged from each one's first rows: an offset would skip
		// rows of each host, not of the merged list.
		if (hosts.length <= MAX_HOSTS && !(page?.kind === "offset" && page.offset > 0))
			return { ...filters, reviewSite: undefined, reviewHosts: hosts };
	}
	const rows = await db.all<{ seq: number }>(reviewsOfSiteSql(filter.site, FEW_REVIEWS + 1));
	if (rows.length > FEW_REVIEWS) return null;
	return { ...filters, reviewSite: undefined, seqs: rows.map((row) => row.seq) };
}

/**
 * A page of a site with subdomains: each host's page from the host index (one batch), merged
 * newest review first (ties by seq, as each host's are), cut to the page and one more.
 */
async function pageOfHosts(
	db: Db,
	filters: ClaimFilters & { reviewHosts: readonly string[] },
	limit: number,
	page: Page,
): Promise<Claim[]> {
	const [first, ...rest] = filters.reviewHosts.map(
		(host) =>
			claimListSelect(db, { ...filters, reviewHosts: undefined, reviewHost: host }, "reviewed", limit, page)
				.query,
	);
	if (!first) return [];
	const pages = await db.batch([first, ...rest]);
	const newestFirst = (a: Claim, b: Claim) =>
		a.reviewedAt === b.reviewedAt ? b.seq - a.seq : (a.reviewedAt ?? "") < (b.reviewedAt ?? "") ? 1 : -1;
	return pages
		.flat()
		.sort(newestFirst)
		.slice(0, limit + 1);
}

/** The claims whose current verdict is a review on `site` or a subdomain: `limit` of their seqs. */
export function reviewsOfSiteSql(site: string, limit: number): SQL {
	// Two index searches, not one OR: SQLite scanned the verdicts for the OR.
	const current = (hosts: SQL) =>
		sql`SELECT c.seq AS seq FROM ${verdicts} AS v JOIN ${claims} AS c ON c.id = v.claim_id AND c.current_verdict_id = v.id WHERE ${hosts}`;
	return sql`${current(sql`v.review_host = ${site}`)} UNION ALL ${current(sql`v.review_host IN ${theirSubdomains(site)}`)} LIMIT ${limit}`;
}

/** Statuses of claims no verdict was ever published for: never in a reviewed-only list. */
const NEVER_REVIEWED: ReadonlySet<ClaimStatus> = new Set(["unverified", "in-review"]);
/**
 * The statuses of the claims `reviewed` holds: a current rating, or withdrawn (a status follows
 * from the verdicts, domain/claim-status). A min or max of seq over them is a seek per status
 * in claims_status_idx; over `reviewed` it would walk the claims since the last review.
 */
const REVIEWED_STATUSES = CLAIM_STATUSES.filter((status) => !NEVER_REVIEWED.has(status));
const NO_MATCHES: MatchCount = { count: 0, accuracy: "exact" };

const EMPTY_WINDOW: MatchWindow = {
	inWindow: 0,
	kept: 0,
	oldest: null,
	oldestKept: null,
	first: null,
	last: null,
};

/**
 * The newest `size` matches of a search: the candidates relevance ranks, and the window
 * a match count reads. Where the list shows reviewed claims only (PUBLIC_UNREVIEWED=hide,
 * Google's claims:search), the window holds reviewed matches only, so hidden claims
 * neither crowd the visible ones out of ranking nor show in a count (lib/public-visibility).
 * CROSS JOIN keeps the index's newest-first walk the outer loop: it stops at `size`.
 */
function candidateWindow(filters: ClaimFilters, size: number): SQL {
	return filters.reviewedOnly
		? sql`SELECT claims_fts.rowid AS rowid FROM claims_fts CROSS JOIN ${claims} ON ${claims.seq} = claims_fts.rowid WHERE claims_fts MATCH ${filters.fts} AND ${reviewed} ORDER BY claims_fts.rowid DESC LIMIT ${size}`
		: sql`SELECT rowid FROM claims_fts WHERE claims_fts MATCH ${filters.fts} ORDER BY rowid DESC LIMIT ${size}`;
}

/**
 * One more than the ranking window of a search (so a full window says whether older
 * matches exist), and how many of them the list's other filters keep: what
 * domain/match-count counts or extrapolates from. As bounded as ranking's own walk, plus
 * the first and last seq of the claims the list can show. Unexecuted, so tests can EXPLAIN it.
 */
export function matchWindowSelect(db: Db, filters: ClaimFilters, sort: ClaimSort) {
	const kept = and(sql`${claims.seq} = w.rowid`, ...listConditions(filters, sort));
	// Where unreviewed claims are hidden, the span extrapolated over is the reviewed claims':
	// the whole table's would let every hidden claim recorded move the public count.
	const shown = filters.reviewedOnly ? sql` WHERE ${inArray(claims.status, REVIEWED_STATUSES)}` : sql``;
	// A query builder, not db.get(sql): Drizzle's D1 batch cannot bind a raw query's parameters.
	return db
		.select({
			inWindow: sql<number>`count(*)`.as("in_window"),
			kept: sql<number>`count(${claims.seq})`.as("kept"),
			oldest: sql<number | null>`min(w.rowid)`.as("oldest"),
			oldestKept: sql<number | null>`min(${claims.seq})`.as("oldest_kept"),
			first: sql<number | null>`(SELECT min(seq) FROM claims${shown})`.as("first_seq"),
			last: sql<number | null>`(SELECT max(seq) FROM claims${shown})`.as("last_seq"),
		})
		.from(sql`(${candidateWindow(filters, RANKED_CANDIDATES + 1)}) AS w`)
		.leftJoin(claims, kept);
}

/** What a list keeps besides its search: the filters, the topic, and a sort date's presence. */
function listConditions(filters: ClaimFilters, sort: ClaimSort): (SQL | undefined)[] {
	const column = sort === "relevance" ? null : sortColumn[sort];
	return [
		...filterConditions(filters),
		filters.tag
			? sql`${claims.seq} IN (SELECT ${claimTags.claimSeq} FROM ${claimTags} WHERE ${claimTags.tagSlug} = ${filters.tag})`
			: undefined,
		column ? sql`${column} IS NOT NULL` : undefined,
	];
}

/**
 * Relevance ranks the newest this many matches of a search, not all of them: bm25 scores
 * every row it ranks, before any LIMIT, so ranking every match of a common word would
 * cost as many scores as there are matches (74 ms CPU at 25,000). The best match among
 * the newest 200 comes first; older matches stay reachable with `sort=recent` or a
 * narrower query. 200, not 1,000 as at first: with four indexed columns (stems since
 * migration 0012) ranking 1,000 cost 8 ms CPU at 100,000 claims, 400 cost 5.2 ms and 300
 * 6.4 ms beside a list costing 3.5 ms (bench; CPU of workerd with D1's SQLite in it).
 * What still grows with the corpus is bm25's IDF: FTS5 counts every row holding each query
 * term once per query (fts5_aux.c, xQueryPhrase), a cheap pass but one as long as the
 * term's doclist; D1 offers no ranking function without it.
 * Said in the API docs (schemas/public-api `sort`).
 */
export const RANKED_CANDIDATES = 200;

/**
 * The query behind a claim list page, unexecuted, so tests can EXPLAIN it.
 * Keyset pages on (sort column, seq) walk an index without sorting; relevance-ranked
 * search pages by offset (rank moves as the index grows).
 */
export function claimListSelect(db: Db, filters: ClaimFilters, sort: ClaimSort, limit: number, page: Page) {
	const where: (SQL | undefined)[] = filterConditions(filters);
	if (sort === "relevance" && filters.fts) {
		const offset = page?.kind === "offset" ? page.offset : 0;
		// FTS5's rowid range constraint keeps bm25 to the newest RANKED_CANDIDATES matches.
		// `rank` is bm25 weighted 10/4/2/1 (body, speaker, sources, terms; the never-public
		// spellings of migration 0039 4, as speaker: FTS5's rank configuration, set by migrations
		// 0012 and 0039), so a word said in the claim outranks its stem.
		const oldestCandidate = sql`(SELECT min(rowid) FROM (${candidateWindow(filters, RANKED_CANDIDATES)}))`;
		const query = db
			.select(getTableColumns(claims))
			.from(sql`claims_fts`)
			.innerJoin(claims, sql`${claims.seq} = claims_fts.rowid`)
			.where(
				and(
					sql`claims_fts MATCH ${filters.fts}`,
					sql`claims_fts.rowid >= ${oldestCandidate}`,
					...listConditions(filters, sort),
				),
			)
			.orderBy(sql`claims_fts.rank`, desc(claims.seq))
			.limit(limit + 1)
			.offset(offset);
		return { query, paging: "offset" as const, offset };
	}
	if (filters.reviewHost) return manyReviewsOfHost(db, filters.reviewHost, where, limit, page);
	if (filters.tag) {
		// Newest first from the (tag, seq) index, bounded by the page like the search below.
		// An offset page (Google's `offset`) skips rows the bounded subquery would not hold.
		const alone =
			sort === "recent" &&
			page?.kind !== "offset" &&
			!filters.fts &&
			!where.some((condition) => condition !== undefined);
		const below = page?.kind === "keyset" ? page.seq : Number.MAX_SAFE_INTEGER;
		where.push(
			alone
				? sql`${claims.seq} IN (SELECT ${claimTags.claimSeq} FROM ${claimTags} WHERE ${claimTags.tagSlug} = ${filters.tag} AND ${claimTags.claimSeq} < ${below} ORDER BY ${claimTags.claimSeq} DESC LIMIT ${limit + 1})`
				: sql`${claims.seq} IN (SELECT ${claimTags.claimSeq} FROM ${claimTags} WHERE ${claimTags.tagSlug} = ${filters.tag})`,
		);
	}
	if (filters.fts) {
		const onlySearch =
			sort === "recent" && page?.kind !== "offset" && !where.some((condition) => condition !== undefined);
		if (onlySearch) {
			// Newest matches straight from the index, walking rowids downwards and stopping
			// after one page: the cost no longer grows with how many claims match.
			const below = page?.kind === "keyset" ? page.seq : Number.MAX_SAFE_INTEGER;
			where.push(
				sql`${claims.seq} IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ${filters.fts} AND rowid < ${below} ORDER BY rowid DESC LIMIT ${limit + 1})`,
			);
		} else {
			where.push(sql`${claims.seq} IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ${filters.fts})`);
		}
	}
	const column = sort === "relevance" ? null : sortColumn[sort];
	if (column) where.push(sql`${column} IS NOT NULL`);
	if (page?.kind === "keyset") {
		where.push(
			column
				? sql`(${column}, ${claims.seq}) < (${page.value}, ${page.seq})`
				: sql`${claims.seq} < ${page.seq}`,
		);
	}
	const ordered = db
		.select()
		.from(claims)
		.where(and(...where))
		.orderBy(...(column ? [desc(column), desc(claims.seq)] : [desc(claims.seq)]))
		.limit(limit + 1)
		.$dynamic();
	// Google's `offset` (bounded at 10,000) on a keyset order: rows skipped, then keyset pages.
	const query = page?.kind === "offset" && page.offset > 0 ? ordered.offset(page.offset) : ordered;
	return { query, paging: sort === "claimed" || sort === "reviewed" ? sort : ("recent" as const), offset: 0 };
}

/**
 * The claims whose current verdict is a review on `host`, newest review first: the
 * verdicts' (review_host, published_at) index walked downwards, each verdict's claim
 * joined if the verdict is still its current one, stopping after the page (ties of a
 * date sorted by seq). A claim's `reviewed_at` is its current verdict's `published_at`
 * (store/verdicts publishes and corrects, store/imports records, both with one value), so
 * this is the list's own order and the keyset of its pages.
 */
function manyReviewsOfHost(db: Db, host: string, where: (SQL | undefined)[], limit: number, page: Page) {
	const ordered = db
		// The page's keyset is read from the index's own column, so a page follows the last
		// whatever a claim row says (the two are one value, see above).
		.select({ ...getTableColumns(claims), reviewedAt: verdicts.publishedAt })
		.from(verdicts)
		.innerJoin(claims, and(eq(claims.id, verdicts.claimId), eq(claims.currentVerdictId, verdicts.id)))
		.where(
			and(
				eq(verdicts.reviewHost, host),
				...where,
				page?.kind === "keyset"
					? sql`(${verdicts.publishedAt}, ${claims.seq}) < (${page.value}, ${page.seq})`
					: undefined,
			),
		)
		.orderBy(desc(verdicts.publishedAt), desc(claims.seq))
		.limit(limit + 1)
		.$dynamic();
	const query = page?.kind === "offset" && page.offset > 0 ? ordered.offset(page.offset) : ordered;
	return { query, paging: "reviewed" as const, offset: 0 };
}

/** Published or retracted: a claim with a public review. */
/** A claim the public sees under PUBLIC_UNREVIEWED = "hide": published, or retracted. */
export const reviewed = sql`(${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted')`;

/**
 * A speaker is public while a public claim names them (with `reviewedOnly`, a reviewed one):
 * in both settings, not only under "hide". A speaker no claim names any more — the claim
 * given another speaker, or removed — would otherwise keep a page, a JSON answer and a
 * sitemap entry with nothing on it, under a name that may be the mistake being corrected.
 */
export function speakerHasPublicClaim(reviewedOnly: boolean): SQL {
	return sql`EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${speakers.id}${reviewedOnly ? sql` AND ${reviewed}` : sql``})`;
}

/** Whether a public claim (with `reviewedOnly`, a reviewed one) carries the topic: its page is public then. */
export async function topicIsPublic(db: Db, slug: string, reviewedOnly: boolean): Promise<boolean> {
	const [row] = await db
		.select({ one: sql<number>`1` })
		.from(claimTags)
		.innerJoin(claims, eq(claims.id, claimTags.claimId))
		.where(and(eq(claimTags.tagSlug, slug), reviewedOnly ? reviewed : undefined))
		.limit(1);
	return row !== undefined;
}

function filterConditions(filters: ClaimFilters): (SQL | undefined)[] {
	return [
		filters.status ? eq(claims.status, filters.status) : undefined,
		filters.rating ? eq(claims.status, filters.rating) : undefined,
		filters.publishedOnly ? sql`${claims.currentVerdictId} IS NOT NULL` : undefined,
		filters.reviewedOnly ? reviewed : undefined,
		filters.speakerId ? eq(claims.speakerId, filters.speakerId) : undefined,
		filters.speakerOrNone
			? sql`(${claims.speakerId} IS NULL OR ${claims.speakerId} IN (SELECT value FROM json_each(${JSON.stringify(filters.speakerOrNone)})))`
			: undefined,
		filters.ids ? inArray(claims.id, [...filters.ids]) : undefined,
		filters.seqs
			? sql`${claims.seq} IN (SELECT value FROM json_each(${JSON.stringify(filters.seqs)}))`
			: undefined,
		filters.assigneeId ? eq(claims.assigneeId, filters.assigneeId) : undefined,
		filters.unassigned ? sql`${claims.assigneeId} IS NULL AND ${openWorkSql}` : undefined,
		filters.open ? openWorkSql : undefined,
		filters.speakerSlug
			? // A merged speaker's old slug is its survivor's (links and integrations keep old ones).
				// Where unreviewed claims are hidden, not the old slug of a speaker that never was public
				// (speaker_redirects.was_public): it would tell that it was merged, and into whom.
				sql`${claims.speakerId} = coalesce((SELECT ${speakers.id} FROM ${speakers} WHERE ${speakers.slug} = ${filters.speakerSlug}), (SELECT ${speakerRedirects.speakerId} FROM ${speakerRedirects} WHERE ${speakerRedirects.slug} = ${filters.speakerSlug}${filters.reviewedOnly ? sql` AND ${speakerRedirects.wasPublic} = 1` : sql``}))`
			: undefined,
		filters.sourceId
			? sql`EXISTS (SELECT 1 FROM ${appearances} WHERE ${appearances.claimId} = ${claims.id} AND ${appearances.sourceId} = ${filters.sourceId})`
			: undefined,
		filters.domain
			? sql`EXISTS (SELECT 1 FROM ${appearances} JOIN ${sources} ON ${sources.id} = ${appearances.sourceId} WHERE ${appearances.claimId} = ${claims.id} AND ${sources.domain} = ${filters.domain})`
			: undefined,
		filters.language
			? filters.language.includes("-")
				? eq(claims.language, filters.language)
				: sql`${primarySubtag(claims.language)} = ${filters.language}`
			: undefined,
		filters.reviewLanguage
			? sql`coalesce((SELECT ${primarySubtag(verdicts.language)} FROM ${verdicts} WHERE ${verdicts.id} = ${claims.currentVerdictId}), (SELECT ${primarySubtag(verdicts.language)} FROM ${verdicts} WHERE ${verdicts.claimId} = ${claims.id} AND ${verdicts.state} = 'retracted' ORDER BY ${verdicts.retractedAt} DESC LIMIT 1)) = ${filters.reviewLanguage}`
			: undefined,
		filters.reviewSite ? reviewSiteCondition(filters.reviewSite) : undefined,
		filters.since ? sql`${claims.claimedAt} >= ${filters.since}` : undefined,
		filters.until ? sql`${claims.claimedAt} <= ${filters.until}` : undefined,
		filters.reviewedSince ? sql`${claims.reviewedAt} >= ${filters.reviewedSince}` : undefined,
		filters.freshSince
			? sql`(${claims.reviewedAt} >= ${filters.freshSince} OR ${claims.claimedAt} >= ${filters.freshSince.slice(0, 10)})`
			: undefined,
		filters.reviewedUntil ? sql`${claims.reviewedAt} < date(${filters.reviewedUntil}, '+1 day')` : undefined,
	];
}

/**
 * `reviewSite` on the claim's current verdict; a claim without one (retracted) is ours.
 * Another publisher's site is looked up in the index on `verdicts.review_host` (db/schema):
 * its verdicts by host, and a subdomain's by the few hosts of imported reviews. Checked
 * claim by claim, as before, a site with few reviews read every reviewed claim (537 ms at
 * 100,000 claims). With our own hosts (most claims) the check stays per claim: the newest
 * claims pass it at once.
 */
function reviewSiteCondition(filter: { site: string; ours: readonly string[] | null }): SQL {
	const subdomain = `.${filter.site}`;
	if (!filter.ours) {
		return sql`${claims.currentVerdictId} IN (SELECT v.id FROM ${verdicts} AS v WHERE v.review_host = ${filter.site} UNION ALL SELECT v.id FROM ${verdicts} AS v WHERE v.review_host IN ${theirSubdomains(filter.site)})`;
	}
	const host = sql.raw("v.review_host");
	const match = sql`(${host} IS NULL OR ${host} IN (${sql.join(
		filter.ours.map((s) => sql`${s}`),
		sql`, `,
	)}) OR ${host} = ${filter.site} OR substr(${host}, -${subdomain.length}) = ${subdomain})`;
	return sql`(${claims.currentVerdictId} IS NULL OR EXISTS (SELECT 1 FROM ${verdicts} AS v WHERE v.id = ${claims.currentVerdictId} AND ${match}))`;
}

/**
 * The hosts of imported reviews below `site` (a subdomain), from the host index, which
 * only imported reviews are in. No LIKE on what people type (D1 refuses patterns over 50
 * bytes).
 */
function theirSubdomains(site: string): SQL {
	const subdomain = `.${site}`;
	// Host by host, each the next one after the last in the index (a loose index scan):
	// one search per distinct host, however many reviews each has.
	return sql`(WITH RECURSIVE hosts(host) AS (SELECT min(review_host) FROM ${verdicts} WHERE review_host IS NOT NULL UNION ALL SELECT (SELECT min(review_host) FROM ${verdicts} WHERE review_host > hosts.host) FROM hosts WHERE hosts.host IS NOT NULL) SELECT host FROM hosts WHERE host IS NOT NULL AND substr(host, -${subdomain.length}) = ${subdomain})`;
}

/** Adds speaker, first source and current verdict to listed claims (three indexed lookups). */
export async function decorate(db: Db, rows: Claim[]): Promise<ListedClaim[]> {
	if (rows.length === 0) return [];
	const speakerIds = [...new Set(rows.map((r) => r.speakerId).filter((id): id is string => id !== null))];
	const verdictIds = rows.map((r) => r.currentVerdictId).filter((id): id is string => id !== null);
	// One D1 round trip; empty id lists match nothing.
	const [speakerRows, sourceRows, verdictRows] = await db.batch([
		db
			.select({ id: speakers.id, slug: speakers.slug, name: speakers.name, kind: speakers.kind })
			.from(speakers)
			.where(inArray(speakers.id, speakerIds.length ? speakerIds : [""])),
		db
			.select({
				// Aliased: a D1 batch maps rows by column name (a joined `id` would collide).
				claimId: sql<string>`${appearances.claimId}`.as("appearance_claim_id"),
				id: sql<string>`${sources.id}`.as("source_row_id"),
				url: sources.url,
				domain: sources.domain,
				title: sources.title,
				publisher: sources.publisher,
			})
			.from(appearances)
			.innerJoin(sources, eq(sources.id, appearances.sourceId))
			.where(
				and(
					inArray(
						appearances.claimId,
						rows.map((r) => r.id),
					),
					// a literal, not a parameter: with 100 ids this statement is at D1's limit
					sql`${appearances.isFirst} = 1`,
				),
			),
		db
			.select({
				id: verdicts.id,
				rating: verdicts.rating,
				headline: verdicts.headline,
				summary: verdicts.summary,
				publishedAt: verdicts.publishedAt,
				language: verdicts.language,
				originalRating: verdicts.originalRating,
				reviewUrl: verdicts.reviewUrl,
				reviewPublisher: verdicts.reviewPublisher,
			})
			.from(verdicts)
			.where(inArray(verdicts.id, verdictIds.length ? verdictIds : [""])),
	]);
	const speakerById = new Map(speakerRows.map((s) => [s.id, s]));
	const sourceByClaim = new Map(sourceRows.map(({ claimId, ...s }) => [claimId, s]));
	const verdictById = new Map(verdictRows.map((v) => [v.id, v]));
	return rows.map((claim) => ({
		claim,
		speaker: claim.speakerId ? (speakerById.get(claim.speakerId) ?? null) : null,
		firstSource: sourceByClaim.get(claim.id) ?? null,
		verdict: claim.currentVerdictId ? (verdictById.get(claim.currentVerdictId) ?? null) : null,
	}));
}

/** Counts of published ratings of one speaker's claims, for the scorecard. */
export async function speakerScorecard(db: Db, speakerId: string, options: { reviewedOnly?: boolean } = {}) {
	const rows = await db
		.select({ status: claims.status, n: sql<number>`count(*)` })
		.from(claims)
		.where(and(eq(claims.speakerId, speakerId), sql`${claims.currentVerdictId} IS NOT NULL`))
		.groupBy(claims.status);
	const total = await db.get<{ n: number }>(
		sql`SELECT count(*) AS n FROM ${claims} WHERE ${claims.speakerId} = ${speakerId}${
			options.reviewedOnly
				? sql` AND (${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted')`
				: sql``
		}`,
	);
	return { counts: rows as { status: ClaimStatus; n: number }[], claims: total?.n ?? 0 };
}

/**
 * The feed's newest entries with their claims: an entry's time is its publication, its
 * retraction once withdrawn, or a later public change of its claim (domain/atom-feed
 * `entryUpdated`). Chosen by publication alone, a verdict retracted after `limit` newer
 * ones were published never came back into the feed, and its subscribers never heard of
 * the retraction. So four small reads, merged: the newest publications and the newest
 * retractions (each in its own index's order: migration 0019), the standing entries of
 * the reviewed claims changed publicly last other than by a review (`claims.changed_at`,
 * store/public-changes `entryChange`: an edit, a speaker's rename, an appearance removed,
 * what an entry shows; its partial index holds only such claims, migration 0030) with their versions no longer standing, whose titles
 * quote the claim as it is now, and the versions the newest publications superseded
 * (a supersession dates its entry). By `updated_at` instead, an import of old reviews (dated
 * by their publishers, written now) took every slot and pushed real changes out.
 */
/** The feed's four reads (exported for their query-plan test). */
export function feedReads(db: Db, limit: number) {
	const columns = {
		at: claimChanges.at,
		note: claimChanges.note,
		field: claimChanges.field,
		from: claimChanges.fromValue,
	};
	const lastChange = (column: keyof typeof columns) =>
		sql<
			string | null
		>`(SELECT ${columns[column]} FROM ${claimChanges} WHERE ${claimChanges.claimId} = ${claims.id} AND ${claimChanges.isPublic} = 1 ORDER BY ${claimChanges.id} DESC LIMIT 1)`;
	const select = () =>
		db
			.select({
				verdict: verdicts,
				claim: claims,
				speakerName: speakers.name,
				speakerSlug: speakers.slug,
				// Who made a claim without a speaker, as every other surface names them
				// (domain/claim-review `claimantName`): its first source's publisher, else its host.
				sourceClaimant: sql<
					string | null
				>`CASE WHEN ${claims.speakerId} IS NULL THEN ${firstSourceClaimant(claims.id)} END`,
				changedAt: lastChange("at"),
				changeNote: lastChange("note"),
				// A removed appearance's entry names the source (domain/atom-feed).
				changeField: lastChange("field"),
				changeFrom: lastChange("from"),
			})
			.from(verdicts)
			.innerJoin(claims, eq(claims.id, verdicts.claimId))
			.leftJoin(speakers, eq(speakers.id, claims.speakerId));
	return [
		select()
			// Every public version, in the feed index's order (`+state`: not by the state index).
			.where(sql`+${verdicts.state} <> 'draft' AND ${verdicts.publishedAt} IS NOT NULL`)
			.orderBy(desc(verdicts.publishedAt), asc(verdicts.id))
			.limit(limit),
		select()
			.where(sql`+${verdicts.state} = 'retracted' AND ${verdicts.retractedAt} IS NOT NULL`)
			.orderBy(desc(verdicts.retractedAt), asc(verdicts.id))
			.limit(limit),
		select().where(
			// The reviewed claims changed last, backwards along the changed_at index (which holds
			// no unreviewed claim and no mere review), then their verdicts by claim (`+state`:
			// not by state, which walked every published verdict). The change rows did not see
			// a speaker's rename or an appearance.
			// Every retracted and superseded version too: their titles quote the claim as it is
			// now, so such a change dates them as well (domain/atom-feed `entryUpdated`).
			sql`${verdicts.claimId} IN (SELECT ${claims.id} FROM ${claims} WHERE ${claims.changedAt} IS NOT NULL AND ${reviewed} ORDER BY ${claims.changedAt} DESC LIMIT ${limit}) AND +${verdicts.state} IN ('published', 'retracted', 'superseded')`,
		),
		// The versions the newest publications superseded: a supersession is its entry's last
		// change, at its successor's publication, however old its own.
		select().where(
			sql`${verdicts.id} IN (SELECT successor.supersedes_id FROM ${verdicts} AS successor WHERE +successor.state <> 'draft' AND successor.published_at IS NOT NULL ORDER BY successor.published_at DESC, successor.id LIMIT ${limit}) AND +${verdicts.state} = 'superseded'`,
		),
	] as const;
}

export async function latestFeedVerdicts(db: Db, limit: number) {
	// Not `db.batch`: its rows come back as objects keyed by column name, and the joined
	// tables' like-named columns (id, text, language…) would overwrite each other.
	const reads = await Promise.all(feedReads(db, limit));
	const entries = new Map(
		reads.flat().map((row) => {
			const claimChange = row.changedAt
				? { at: row.changedAt, note: row.changeNote, field: row.changeField, from: row.changeFrom }
				: null;
			return [row.verdict.id, { ...row, claimChange }] as const;
		}),
	);
	const time = (row: {
		verdict: Verdict;
		claim: Claim;
		claimChange: { at: string; note: string | null } | null;
	}) => entryUpdated(row);
	return [...entries.values()]
		.sort((a, b) => time(b).localeCompare(time(a)) || a.verdict.id.localeCompare(b.verdict.id))
		.slice(0, limit);
}

/** The last retracted verdict of each claim: what the retracted claims of a list withdrew. */
export async function lastRetractedVerdicts(
	db: Db,
	claimIds: readonly string[],
): Promise<Map<string, Verdict>> {
	const found = new Map<string, Verdict>();
	// A page holds up to 100 claims: chunks keep each statement under 100 bound parameters.
	for (let i = 0; i < claimIds.length; i += 90) {
		const rows = await db
			.select()
			.from(verdicts)
			.where(and(inArray(verdicts.claimId, claimIds.slice(i, i + 90)), eq(verdicts.state, "retracted")))
			.orderBy(asc(verdicts.retractedAt));
		for (const row of rows) found.set(row.claimId, row);
	}
	return found;
}
