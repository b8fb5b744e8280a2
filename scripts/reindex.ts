/**
 * Recomputes every claim's search terms (claims.search_terms: the German or English stems
 * of its text and context and of its current verdict's headline and summary), which the
 * `terms` column of the search index reads, and its number tokens. Run it once after
 * upgrading to migrations 0011–0012 (claims stored before have none, and are found by
 * their words as written only), or after a change to the stemmer or the terms (the desk
 * Worker's daily cron catches up on the latter by itself, 25,000 claims a day; this does
 * them all now). Claims whose terms are current are not written again.
 *   npm run reindex
 * Targets the local D1 of `wrangler dev` (.wrangler/state under the current directory),
 * after applying the migrations.
 */
import { compactSearchIndex } from "../src/store/search-index";
import { reindexSearchTerms } from "../src/store/search-terms";
import { applyLocalMigrations, withLocalDb } from "./lib/local-db";

if (process.argv.length > 2) {
	console.error("Usage: npm run reindex   (no options: the local D1 of wrangler dev)");
	process.exit(2);
}

applyLocalMigrations();
const started = performance.now();
const { changed, compaction } = await withLocalDb(async (db) => {
	const changed = await reindexSearchTerms(db, {
		onProgress: (read, changed) => process.stderr.write(`\r${read} claims read, ${changed} given new terms`),
	});
	// Every new term rewrote its claim's row in the index: compact it now, not next Sunday.
	return { changed, compaction: await compactSearchIndex(db) };
});
process.stderr.write("\n");
console.log(
	`${changed} claims given new search terms in ${((performance.now() - started) / 1000).toFixed(1)} s; search index compacted from ${compaction.blocksBefore} to ${compaction.blocksAfter} blocks.`,
);
