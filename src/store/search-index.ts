import { sql } from "drizzle-orm";
import type { Db } from "../factory";

/**
 * Compaction of the search index (`claims_fts`), run weekly by the desk Worker's cron
 * (wrangler.desk.toml) and by `npm run reindex`.
 *
 * FTS5 writes every change as a new segment, an edit writing the old row's tokens again as
 * deletions, and merges segments only four at a time as they pile up. A search walks every
 * segment that holds its words, and bm25's IDF pass walks every row of each searched word
 * across all of them, on every ranked search (store/public-claims, RANKED_CANDIDATES): the
 * one cost of ranked search that grows with the archive. Compaction merges the index into
 * one segment and drops the deletions; on an index already in one piece it writes nothing.
 *
 * Not FTS5's `optimize`, which does it in one statement: D1 runs one statement at a time,
 * so every other query would wait for the whole rewrite (0.5 s at 100,000 claims, growing
 * with the archive toward D1's 30 s limit). `merge` with a negative budget does the same
 * work MERGE_PAGES pages per statement; the index's structure record (block 10) changes
 * after each step that did work, and stays as it is once there is nothing left to merge.
 *
 * Measured on the bench's 100,000 claims (Node's SQLite, scripts/lib/bench-data): 16,900
 * blocks (65.8 MB) became 12,076 (47.9 MB) in 7 steps of at most 85 ms, 0.46 s in all, as
 * `optimize` did; counting the 25,000 rows of a common word went from 1.37 to 0.80 ms and a
 * ranked search's SQL from 1.75 to 1.00 ms. The price is a rewrite of the index after any
 * change (local D1 reports one row written per merge statement, not per block): weekly, not
 * after every write.
 */
export interface SearchIndexCompaction {
	/** Blocks (rows of `claims_fts_data`) before and after. */
	blocksBefore: number;
	blocksAfter: number;
	/** Merge statements run, the last one finding nothing left to merge. */
	steps: number;
	/** D1's `rows_written` over the merge statements (0 where the driver does not report it). */
	rowsWritten: number;
}

/** Pages of index (about 4 KB each) one merge statement writes at most. */
const MERGE_PAGES = 2_000;
/** A bound the loop never reaches on a sane index (4 GB of index rewritten). */
const MAX_STEPS = 500;
/** FTS5's structure record: which segments the index has, on which levels. */
const STRUCTURE_BLOCK = 10;

async function blocks(db: Db): Promise<number> {
	const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM claims_fts_data`);
	return row?.n ?? 0;
}

async function structure(db: Db): Promise<string> {
	const row = await db.get<{ structure: string }>(
		sql`SELECT hex(block) AS structure FROM claims_fts_data WHERE id = ${STRUCTURE_BLOCK}`,
	);
	return row?.structure ?? "";
}

export async function compactSearchIndex(db: Db): Promise<SearchIndexCompaction> {
	const blocksBefore = await blocks(db);
	let before = await structure(db);
	let steps = 0;
	let rowsWritten = 0;
	while (steps < MAX_STEPS) {
		const result = await db.run(
			sql`INSERT INTO claims_fts(claims_fts, rank) VALUES ('merge', ${-MERGE_PAGES})`,
		);
		rowsWritten += result.meta?.rows_written ?? 0;
		steps++;
		const after = await structure(db);
		if (after === before) break;
		before = after;
	}
	return { blocksBefore, blocksAfter: await blocks(db), steps, rowsWritten };
}
