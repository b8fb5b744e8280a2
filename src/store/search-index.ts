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
 * one cost of ranked search that grows with the archive. `optimize` merges the index into
 * one segment and drops the deletions; on an index already in one piece it writes nothing.
 *
 * Measured on the bench's 100,000 claims (Node's SQLite, scripts/lib/bench-data): 16,900
 * blocks (65.8 MB) became 12,078 (47.9 MB) in 0.5 s; counting the 25,000 rows of a common
 * word went from 1.37 to 0.80 ms and a ranked search's SQL from 1.74 to 1.00 ms. The price
 * is a rewrite of the index, each block a row written in D1's accounting (about 30,000 at
 * 100,000 claims): weekly, not after every write.
 */
export interface SearchIndexCompaction {
	/** Blocks (rows of `claims_fts_data`) before and after. */
	blocksBefore: number;
	blocksAfter: number;
}

async function blocks(db: Db): Promise<number> {
	const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM claims_fts_data`);
	return row?.n ?? 0;
}

export async function compactSearchIndex(db: Db): Promise<SearchIndexCompaction> {
	const blocksBefore = await blocks(db);
	await db.run(sql`INSERT INTO claims_fts(claims_fts) VALUES ('optimize')`);
	return { blocksBefore, blocksAfter: await blocks(db) };
}
