import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { claims, users, verdicts } from "../db/schema";
import { CLAIM_STATUSES, type ClaimStatus } from "../domain/ratings";
import { dayIn, startOfDay } from "../domain/time-zone";
import type { Db } from "../factory";
import { draftCounts, draftsBeingWritten, type WritingDraft, writerDeparted, writerName } from "./desk";
import { claimChangedSinceSavedSql } from "./draft-words";
import { openWorkSql } from "./open-work";

/**
 * The desk dashboard's numbers (routes/desk/dashboard.tsx): each a small aggregate query,
 * counted in SQL on an index; no query loads more rows than the page shows. `now` is
 * passed in, so the windows ("this week", "the last 90 days") are testable.
 */

const DAY_MS = 86_400_000;
/**
 * Days of the publications chart: today and the six days before, the newsroom's days
 * (`timeZone`, NEWSROOM_TIME_ZONE), as the desk shows every time and the page says.
 */
const WEEK_DAYS = 7;
/** The window of first publications the median time to a verdict is taken over. */
export const MEDIAN_WINDOW_DAYS = 90;
const QUEUE_LIMIT = 50;
/** Verdict states that were published once: their `published_at` is set (CHECK verdicts_published_check). */
const PUBLISHED_ONCE = sql.raw("'published', 'superseded', 'retracted'");

/** Every claim status, in the scale's order, with how many claims have it (zeros included). */
export async function claimsByStatus(db: Db): Promise<{ status: ClaimStatus; count: number }[]> {
	const rows = await db
		.select({ status: claims.status, n: sql<number>`count(*)`.mapWith(Number) })
		.from(claims)
		.groupBy(claims.status);
	const counts = new Map(rows.map((row) => [row.status, row.n]));
	return CLAIM_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/**
 * Drafts submitted for review, longest waiting since submission first, corrections of
 * published verdicts included (as the desk home's queue has them; a correction waits for
 * an editor as a first verdict does): who writes it now (store/desk `writerName`, as the desk
 * home's lists name them) and since when it waits. A returned
 * draft leaves the queue until it is submitted again (`draftsBeingWritten` lists it).
 */
export async function inReviewQueue(db: Db, limit = QUEUE_LIMIT) {
	return db
		.select({
			claimId: claims.id,
			claimText: claims.text,
			claimLanguage: claims.language,
			verdictId: verdicts.id,
			headline: verdicts.headline,
			submittedAt: sql<string>`${verdicts.submittedAt}`,
			writerName,
			writerDeparted,
			correction: sql<boolean>`${claims.currentVerdictId} IS NOT NULL`.mapWith(Boolean),
			// Its claim's words changed since it was last saved: not to be published as it is.
			claimChanged: claimChangedSinceSavedSql,
		})
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(and(eq(verdicts.state, "draft"), isNotNull(verdicts.submittedAt)))
		.orderBy(asc(verdicts.submittedAt), asc(verdicts.id))
		.limit(limit);
}
export type QueueEntry = Awaited<ReturnType<typeof inReviewQueue>>[number];

/**
 * Open claims (openWorkSql: unverified, in review, or re-checked after a retraction) per assignee (null: unassigned), most first, then
 * by name: the work each has now, not every claim ever assigned (assignments stay after
 * publication).
 */
export async function claimsByAssignee(
	db: Db,
): Promise<{ userId: string | null; name: string | null; count: number }[]> {
	const counts = db
		.select({ assigneeId: claims.assigneeId, n: sql<number>`count(*)`.as("n") })
		.from(claims)
		.where(openWorkSql)
		.groupBy(claims.assigneeId)
		.as("counts");
	const rows = await db
		.select({ userId: counts.assigneeId, name: users.name, count: counts.n })
		.from(counts)
		.leftJoin(users, eq(users.id, counts.assigneeId))
		.orderBy(sql`${counts.n} DESC`, asc(users.name));
	return rows.map((row) => ({ userId: row.userId, name: row.name, count: Number(row.count) }));
}

export interface DayOfPublications {
	/** The newsroom's day (domain/time-zone), YYYY-MM-DD. */
	day: string;
	first: number;
	corrections: number;
	/** Verdicts published on a claim whose earlier verdict was retracted: neither first nor a correction. */
	again: number;
}

/** The newsroom's days of the week chart, oldest first, ending with `now`'s day there. */
function weekDays(now: Date, timeZone: string): string[] {
	const today = Date.parse(`${dayIn(now.toISOString(), timeZone)}T00:00:00Z`);
	return Array.from({ length: WEEK_DAYS }, (_, i) =>
		new Date(today - (WEEK_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10),
	);
}

/**
 * Whether the claim had a verdict published before this one. After a retraction the next
 * verdict supersedes nothing (`supersedes_id` is NULL) yet is not the claim's first: it is
 * counted apart. A lookup on `verdicts_claim_idx` (claim, state, published_at).
 */
const publishedBefore = sql`EXISTS (SELECT 1 FROM ${verdicts} AS earlier WHERE earlier.claim_id = ${verdicts.claimId} AND earlier.state IN (${PUBLISHED_ONCE}) AND (earlier.published_at < ${verdicts.publishedAt} OR (earlier.published_at = ${verdicts.publishedAt} AND earlier.id < ${verdicts.id})))`;

/**
 * The newsroom's day a publication falls on, among `days`: by the instants they begin at
 * there (a publication at 00:50 in Berlin is that day's, not the UTC day before); a date
 * alone (imports) is its own day. NULL before the first day (a zone behind UTC: its first
 * day begins after the first UTC day the range takes).
 */
function dayOfPublication(days: readonly string[], timeZone: string) {
	const at = verdicts.publishedAt;
	const starts = days.map((day) => startOfDay(day, timeZone));
	const parts = [
		sql`CASE WHEN length(${at}) = 10 THEN ${at}`,
		sql`WHEN ${at} < ${starts[0] ?? ""} THEN NULL`,
		...days.map((day, i) => sql`WHEN ${at} < ${starts[i + 1] ?? "9999"} THEN ${day}`),
		sql`END`,
	];
	return sql<string | null>`${sql.join(parts, sql` `)}`;
}

/** The query of `publicationsThisWeek` (exported for its query plan's test). */
export function publicationsQuery(db: Db, days: readonly string[], now: Date, timeZone: string) {
	const day = dayOfPublication(days, timeZone);
	const first = days[0] ?? "";
	const start = startOfDay(first, timeZone);
	// Up to now, and the newsroom's today as a date alone (an import's): in its first hours east
	// of UTC that day sorts after now's UTC timestamp ("2025-11-20" > "2025-11-19T23:30…Z").
	const last = [now.toISOString(), days.at(-1) ?? ""].sort().at(-1) ?? "";
	const firstOne = sql`${verdicts.supersedesId} IS NULL AND NOT ${publishedBefore}`;
	return db
		.select({
			day,
			first: sql<number>`sum(${firstOne})`.mapWith(Number),
			corrections: sql<number>`sum(${verdicts.supersedesId} IS NOT NULL)`.mapWith(Number),
			again: sql<number>`sum(${verdicts.supersedesId} IS NULL AND ${publishedBefore})`.mapWith(Number),
		})
		.from(verdicts)
		.where(
			and(
				sql`${verdicts.state} IN (${PUBLISHED_ONCE})`,
				// A day alone ("2025-07-12", imports) sorts before its own timestamps, so the
				// lower bound is the first day itself where that comes before its first instant.
				sql`${verdicts.publishedAt} >= ${[first, start].sort()[0] ?? first}`,
				sql`${verdicts.publishedAt} <= ${last}`,
			),
		)
		.groupBy(day);
}

/**
 * Verdicts published this week (today and the six days before, the newsroom's days in
 * `timeZone`, up to `now`), per day: first publications of a claim (its first verdict), corrections (`supersedes_id`
 * set) and verdicts published again after a retraction. A verdict superseded or retracted
 * since counts all the same: it was published. The range walks `verdicts_published_idx`
 * (state, published_at).
 */
export async function publicationsThisWeek(
	db: Db,
	now: Date,
	timeZone: string,
): Promise<DayOfPublications[]> {
	const days = weekDays(now, timeZone);
	const rows = await publicationsQuery(db, days, now, timeZone);
	const byDay = new Map(rows.map((row) => [row.day, row]));
	return days.map((d) => ({
		day: d,
		first: byDay.get(d)?.first ?? 0,
		corrections: byDay.get(d)?.corrections ?? 0,
		again: byDay.get(d)?.again ?? 0,
	}));
}

export interface MedianTime {
	/** Claims measured. */
	claims: number;
	/** Median hours from recording the claim to its first publication; null when none. */
	hours: number | null;
}

/**
 * The median time from a claim being recorded (`claims.created_at`) to its first published
 * verdict, over claims whose current verdict is published and whose first publication
 * falls in the last 90 days (up to `now`). A first publication before the claim was
 * recorded here (an imported fact-check) says nothing about the desk and is left out.
 *
 * In SQL: the candidates are claims with a verdict published in the window (an index
 * range); each one's first publication is a lookup on `verdicts_claim_idx`; the median is
 * the middle one or two of the ordered durations (LIMIT/OFFSET), averaged. `claimIds`
 * narrows it to the given claims (tests measure their own rows).
 */
export async function medianTimeToVerdict(
	db: Db,
	now: Date,
	options: { claimIds?: readonly string[] } = {},
): Promise<MedianTime> {
	const since = new Date(now.getTime() - MEDIAN_WINDOW_DAYS * DAY_MS).toISOString();
	const until = now.toISOString();
	const only =
		options.claimIds === undefined
			? sql``
			: options.claimIds.length === 0
				? sql` AND 0`
				: sql` AND c.id IN (${sql.join(
						options.claimIds.map((id) => sql`${id}`),
						sql`, `,
					)})`;
	const row = await db.get<{ n: number; median: number | null }>(sql`
		WITH firsts AS (
			SELECT c.created_at AS created_at,
				(SELECT min(v.published_at) FROM ${verdicts} v WHERE v.claim_id = c.id AND v.published_at IS NOT NULL) AS first_at
			FROM ${claims} c
			WHERE c.current_verdict_id IS NOT NULL
				AND c.id IN (
					SELECT claim_id FROM ${verdicts}
					WHERE state IN (${PUBLISHED_ONCE}) AND published_at >= ${since} AND published_at <= ${until}
				)${only}
		),
		durations AS (
			SELECT (julianday(first_at) - julianday(created_at)) * 24.0 AS hours
			FROM firsts
			WHERE first_at >= ${since} AND first_at <= ${until} AND julianday(first_at) >= julianday(created_at)
		)
		SELECT (SELECT count(*) FROM durations) AS n,
			(SELECT avg(hours) FROM (
				SELECT hours FROM durations ORDER BY hours
				LIMIT 2 - (SELECT count(*) FROM durations) % 2
				OFFSET ((SELECT count(*) FROM durations) - 1) / 2
			)) AS median`);
	const n = Number(row?.n ?? 0);
	return { claims: n, hours: n === 0 || row?.median == null ? null : Number(row.median) };
}

export interface Dashboard {
	statuses: Awaited<ReturnType<typeof claimsByStatus>>;
	queue: QueueEntry[];
	/** Drafts submitted for review in all: what the queue shows the longest waiting of. */
	openDrafts: number;
	/** Open drafts not submitted (being written or returned), the longest open first. */
	writing: WritingDraft[];
	/** How many drafts are not submitted, of which `writing` shows the longest open. */
	writingTotal: number;
	assignees: Awaited<ReturnType<typeof claimsByAssignee>>;
	week: DayOfPublications[];
	median: MedianTime;
}

/** Everything the dashboard shows, as plain data. */
export async function loadDashboard(db: Db, now: Date, timeZone: string): Promise<Dashboard> {
	const [statuses, queue, drafts, writing, assignees, week, median] = await Promise.all([
		claimsByStatus(db),
		inReviewQueue(db),
		draftCounts(db),
		draftsBeingWritten(db, QUEUE_LIMIT),
		claimsByAssignee(db),
		publicationsThisWeek(db, now, timeZone),
		medianTimeToVerdict(db, now),
	]);
	return {
		statuses,
		queue,
		openDrafts: drafts.submitted,
		writing,
		writingTotal: drafts.unsubmitted,
		assignees,
		week,
		median,
	};
}
