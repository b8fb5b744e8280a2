/**
 * `claims.search_terms` (domain/search-terms) as the store keeps it. Every write that
 * changes what the terms cover (a claim's text, context or language; which verdict is
 * its current published one) sets them in its own batch, from what it read before the
 * batch, and guards that read with `sameSearchInputs` so a concurrent edit cannot leave
 * stale terms behind. `reindexSearchTerms` recomputes them for every claim (a restore,
 * `npm run reindex`); `refreshSearchTerms` those an older version wrote (the daily cron).
 */
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { claims, verdicts } from "../db/schema";
import { SEARCH_TERMS_MARK, searchTermsOf } from "../domain/search-terms";
import type { Db } from "../factory";
import { MAX_PARAMS, runBatch, type Statement } from "./batch";
import { refreshMergedPage, refreshMergedWords, reindexMergedWords } from "./merged-words";

/** What a claim's terms are computed from, besides its verdict. */
export interface ClaimSearchInputs {
	id: string;
	text: string;
	context: string | null;
	language: string;
}

export interface VerdictSearchInputs {
	headline: string;
	summary: string | null;
	language: string;
}

/** The terms of a claim with this current published verdict (null: none, or retracted). */
export function termsFor(claim: Omit<ClaimSearchInputs, "id">, verdict: VerdictSearchInputs | null): string {
	return searchTermsOf({
		text: claim.text,
		context: claim.context,
		language: claim.language,
		headline: verdict?.headline ?? null,
		summary: verdict?.summary ?? null,
		verdictLanguage: verdict?.language ?? null,
	});
}

/** The claim's text, context and language as a write read them. */
export async function claimSearchInputs(db: Db, claimId: string): Promise<ClaimSearchInputs | undefined> {
	return db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { id: true, text: true, context: true, language: true },
	});
}

/** The headline, summary and language of a verdict (the claim's current published one). */
export async function verdictSearchInputs(
	db: Db,
	verdictId: string | null,
): Promise<VerdictSearchInputs | null> {
	if (!verdictId) return null;
	const row = await db.query.verdicts.findFirst({
		where: eq(verdicts.id, verdictId),
		columns: { headline: true, summary: true, language: true },
	});
	return row ?? null;
}

/**
 * The claim still has the text, context and language its terms were computed from: put
 * in the WHERE of the update that writes them, followed by `guardOneRow`.
 */
export function sameSearchInputs(claim: Omit<ClaimSearchInputs, "id">): SQL {
	return and(
		eq(claims.text, claim.text),
		claim.context === null ? isNull(claims.context) : eq(claims.context, claim.context),
		eq(claims.language, claim.language),
	) as SQL;
}

/** Rows an UPDATE … CASE sets: four parameters a row (seq, version and terms; seq again in IN). */
const ROWS_PER_UPDATE = Math.floor(MAX_PARAMS / 4);
/** Characters of terms per statement, so that no statement grows past a few hundred kB. */
const CHARS_PER_UPDATE = 200_000;
const STATEMENTS_PER_BATCH = 50;

interface ReindexRow {
	seq: number;
	version: number;
	text: string;
	context: string | null;
	language: string;
	searchTerms: string | null;
	headline: string | null;
	summary: string | null;
	verdictLanguage: string | null;
}

/* The claims after `after` that pass `where`, oldest first, with their current verdict's words. */
function readPage(db: Db, after: number, limit: number, where?: SQL): Promise<ReindexRow[]> {
	return db
		.select({
			seq: claims.seq,
			version: claims.version,
			text: claims.text,
			context: claims.context,
			language: claims.language,
			searchTerms: claims.searchTerms,
			headline: verdicts.headline,
			summary: verdicts.summary,
			verdictLanguage: verdicts.language,
		})
		.from(claims)
		.leftJoin(verdicts, eq(verdicts.id, claims.currentVerdictId))
		.where(and(sql`${claims.seq} > ${after}`, where))
		.orderBy(claims.seq)
		.limit(limit);
}

/* The rows whose terms differ from what they would be computed as now, with those terms. */
function staleTerms(rows: readonly ReindexRow[]): NewTerms[] {
	return rows.flatMap((row): NewTerms[] => {
		const terms = termsFor(
			row,
			row.headline === null
				? null
				: { headline: row.headline, summary: row.summary, language: row.verdictLanguage ?? row.language },
		);
		return terms === row.searchTerms ? [] : [{ seq: row.seq, version: row.version, terms }];
	});
}

/**
 * Recomputes `search_terms` for every claim, `pageSize` claims a read, writing only those
 * that differ. Each row is written only at the version it was read at (a claim edited or
 * reviewed meanwhile got its terms from that write). Returns how many claims changed.
 */
export async function reindexSearchTerms(
	db: Db,
	options: { pageSize?: number; onProgress?: (read: number, changed: number) => void } = {},
): Promise<number> {
	const pageSize = options.pageSize ?? 500;
	// First the stems of merged claims' words, which the claims kept's index rows read too.
	await reindexMergedWords(db);
	let read = 0;
	let changed = 0;
	for (let after: number | null = 0; after !== null; ) {
		const page = await reindexPage(db, after, pageSize);
		read += page.read;
		changed += page.changed;
		options.onProgress?.(read, changed);
		after = page.next;
	}
	return changed;
}

/**
 * A bounded part of `reindexSearchTerms`, for a request with a query budget (the restore
 * over HTTP): `pages` reads, first of `pageSize` claims after seq `after`, then, once the
 * claims are done, of merged claims' words (store/merged-words `refreshMergedPage`, after a
 * rowid: `after` is -1 less it, so -1 begins them). Returns where to go on (a negative
 * number among the merged words), or null when every row is done.
 */
export async function reindexSearchTermsFrom(
	db: Db,
	after: number,
	pages: number,
	pageSize = 500,
): Promise<{ next: number | null }> {
	let next: number | null = after;
	for (let page = 0; page < pages && next !== null; page++) {
		if (next >= 0) next = (await reindexPage(db, next, pageSize)).next ?? -1;
		else {
			const merged = await refreshMergedPage(db, -1 - next);
			next = merged.next === null ? null : -1 - merged.next;
		}
	}
	return { next };
}

async function reindexPage(
	db: Db,
	after: number,
	pageSize: number,
): Promise<{ read: number; changed: number; next: number | null }> {
	const rows = await readPage(db, after, pageSize);
	const stale = staleTerms(rows);
	await writeTerms(db, stale);
	const last = rows.at(-1);
	return {
		read: rows.length,
		changed: stale.length,
		next: !last || rows.length < pageSize ? null : last.seq,
	};
}

/* Terms written by an older version of domain/search-terms, or never computed. */
const olderTerms = sql`coalesce(substr(${claims.searchTerms}, 1, ${SEARCH_TERMS_MARK.length}), '') <> ${SEARCH_TERMS_MARK}`;

/**
 * Claims the refresh recomputes in one run: about 80 µs of CPU each, so about 2 s, well
 * inside a cron's CPU limit on Workers Paid; most archives are done the first night.
 */
const REFRESH_BUDGET = 25_000;
const REFRESH_PAGE = 500;
/** Merged claims' words a run brings up to date besides: rarer than claims, and as cheap. */
const MERGED_BUDGET = 5_000;

/**
 * Brings the terms written before the current SEARCH_TERMS_MARK up to date, oldest claims
 * first, at most `budget` of them (the desk Worker's daily cron, so a deployment catches
 * up by itself after an upgrade; `npm run reindex` does them all at once). Finding them
 * reads the claims table once when none is left: no index marks them, and none is needed
 * for a daily read. `remaining`: the budget ran out, so more may be left.
 */
export async function refreshSearchTerms(
	db: Db,
	budget = REFRESH_BUDGET,
): Promise<{ refreshed: number; remaining: boolean; mergedWords: number }> {
	// Merged claims' words whose stems are older (or missing, as after migration 0034): few.
	const mergedWords = await refreshMergedWords(db, MERGED_BUDGET);
	let after = 0;
	let refreshed = 0;
	while (refreshed < budget) {
		const limit = Math.min(REFRESH_PAGE, budget - refreshed);
		const rows = await readPage(db, after, limit, olderTerms);
		await writeTerms(db, staleTerms(rows));
		refreshed += rows.length;
		const last = rows.at(-1);
		if (!last || rows.length < limit) return { refreshed, remaining: false, mergedWords };
		after = last.seq;
	}
	return { refreshed, remaining: true, mergedWords };
}

interface NewTerms {
	seq: number;
	version: number;
	terms: string;
}

async function writeTerms(db: Db, rows: readonly NewTerms[]) {
	const statements: Statement[] = [];
	let part: NewTerms[] = [];
	let chars = 0;
	const flush = () => {
		if (part.length === 0) return;
		const cases = sql.join(
			part.map(
				(r) => sql`WHEN ${claims.seq} = ${r.seq} AND ${claims.version} = ${r.version} THEN ${r.terms}`,
			),
			sql` `,
		);
		statements.push(
			db
				.update(claims)
				.set({ searchTerms: sql`CASE ${cases} ELSE ${claims.searchTerms} END` })
				.where(
					inArray(
						claims.seq,
						part.map((r) => r.seq),
					),
				),
		);
		part = [];
		chars = 0;
	};
	for (const row of rows) {
		if (part.length >= ROWS_PER_UPDATE || chars + row.terms.length > CHARS_PER_UPDATE) flush();
		part.push(row);
		chars += row.terms.length;
	}
	flush();
	for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
		await runBatch(db, statements.slice(i, i + STATEMENTS_PER_BATCH));
	}
}
