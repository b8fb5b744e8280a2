import { type SQL, sql } from "drizzle-orm";

/**
 * The host of a review URL without a leading `www.`, in SQL: what domain/review-attribution
 * `siteOf` reads from the same URL. Review URLs are stored as imports store them, as
 * `URL.href` (scheme, `//`, lower-case host, a `/` after the authority), so the host is what
 * lies between `//` (or a user's `@`) and the first `/` or `:`. The generated column
 * `verdicts.review_host` is this expression; one definition, so the two cannot drift.
 */
export function reviewHostSql(url: SQL): SQL {
	const rest = sql`substr(${url}, instr(${url}, '//') + 2)`;
	const authority = sql`substr(${rest}, 1, instr(${rest} || '/', '/') - 1)`;
	const hostPort = sql`substr(${authority}, instr(${authority}, '@') + 1)`;
	const host = sql`substr(${hostPort}, 1, instr(${hostPort} || ':', ':') - 1)`;
	return sql`(CASE WHEN substr(${host}, 1, 4) = 'www.' THEN substr(${host}, 5) ELSE ${host} END)`;
}
