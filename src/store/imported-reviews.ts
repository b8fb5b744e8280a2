import { sql } from "drizzle-orm";
import { verdicts } from "../db/schema";
import type { Db } from "../factory";
import type { Statement } from "./batch";

/** A verdict's first evidence link: where an import before migration 0020 kept the review's address. */
const firstEvidenceUrl = sql<string | null>`json_extract(${verdicts.evidence}, '$[0].url')`;

/**
 * The review's host as 0022 cut it from the address, step by step (each step a subquery of the
 * one before, so the address is read once): after `://`, up to the path, the query and the
 * fragment, after a user's name, before a port, in lower case, without `www.`.
 */
const reviewHost = sql<string>`(SELECT CASE WHEN substr(h, 1, 4) = 'www.' THEN substr(h, 5) ELSE h END FROM (
	SELECT lower(CASE WHEN instr(h, ':') > 0 THEN substr(h, 1, instr(h, ':') - 1) ELSE h END) AS h FROM (
	SELECT substr(h, instr(h, '@') + 1) AS h FROM (
	SELECT substr(h, 1, instr(h || '#', '#') - 1) AS h FROM (
	SELECT substr(h, 1, instr(h || '?', '?') - 1) AS h FROM (
	SELECT substr(h, 1, instr(h || '/', '/') - 1) AS h FROM (
	SELECT substr(u, instr(u, '://') + 3) AS h FROM (SELECT ${firstEvidenceUrl} AS u))))))))`;

/**
 * Migration 0022, for a restore of a backup made before 0020 (its verdict lines have no
 * `review_url`, store/backup): a verdict imported then kept its review's address only as its
 * first evidence link, and its publication is audited `"imported": true`; it gets that address
 * as its review URL and, for a publisher, the address's host (the publisher's name was not
 * kept), so it is credited to the review's site on every surface, as in a database upgraded in
 * place, not to us (our ClaimReview markup naming us as its author). Needs the audit log in: a
 * restore runs it at its end. A desk verdict, never audited as imported, stays ours. The same
 * rule as migrations/0022_backfill_imported_review_publisher.sql, which cannot import this:
 * keep the two in step.
 */
export function reviewsOfOldImports(db: Db): Statement {
	return db
		.update(verdicts)
		.set({ reviewUrl: firstEvidenceUrl, reviewPublisher: reviewHost })
		.where(
			sql`${verdicts.reviewUrl} IS NULL
				AND json_valid(${verdicts.evidence})
				AND json_type(${verdicts.evidence}, '$[0].url') = 'text'
				AND substr(lower(${firstEvidenceUrl}), 1, 7) IN ('http://', 'https:/')
				AND ${verdicts.id} IN (
					SELECT entity_id FROM audit_log
					WHERE entity = 'verdict' AND action IN ('publish', 'publish-correction')
						AND json_valid(changes) AND json_extract(changes, '$.imported') = 1
				)
				AND ${reviewHost} <> ''`,
		);
}
