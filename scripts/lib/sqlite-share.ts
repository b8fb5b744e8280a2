import { DatabaseSync } from "node:sqlite";
import { createDb } from "../../src/factory";
import { claimFilters } from "../../src/lib/list-query";
import { listClaims } from "../../src/store/public-claims";
import { compactSearchIndex } from "../../src/store/search-index";
import { fillBenchData } from "./bench-data";
import { migrationStatements } from "./local-worker";

/**
 * How much of a search's CPU in the bench is SQLite's. Locally D1 runs inside workerd, so
 * workerd's CPU per request counts the SQL too; in production that runs in D1, not in
 * the Worker, and is not Worker CPU. Here the same store calls run against Node's own
 * SQLite (same migrations, same generated rows) through a small D1 stand-in that times
 * only the statements. An estimate: another SQLite build, another process.
 */

/** D1's prepare/bind/all/raw/run/batch over node:sqlite, adding the time spent in SQLite to `clock.nanos`. */
function timedD1(sqlite: DatabaseSync, clock: { nanos: bigint }): D1Database {
	const timed = <T>(work: () => T): T => {
		const start = process.hrtime.bigint();
		try {
			return work();
		} finally {
			clock.nanos += process.hrtime.bigint() - start;
		}
	};
	const statement = (sql: string, params: never[] = []) => ({
		bind: (...next: never[]) => statement(sql, next),
		all: async () => ({ results: timed(() => sqlite.prepare(sql).all(...params)), success: true, meta: {} }),
		raw: async () =>
			timed(() => {
				const prepared = sqlite.prepare(sql);
				prepared.setReturnArrays(true);
				return prepared.all(...params);
			}),
		run: async () => {
			const result = timed(() => sqlite.prepare(sql).run(...params));
			return { results: [], success: true, meta: { changes: result.changes } };
		},
	});
	return {
		prepare: (sql: string) => statement(sql),
		batch: (statements: ReturnType<typeof statement>[]) => Promise.all(statements.map((s) => s.all())),
	} as unknown as D1Database;
}

export type SqliteShare = Record<"list" | "ranked search" | "Google search", number>;

/** SQLite milliseconds per request of the list and the two ranked searches the bench loads, at `claims` claims. */
export async function sqliteShare(claims: number, query: string): Promise<SqliteShare> {
	const sqlite = new DatabaseSync(":memory:");
	const clock = { nanos: 0n };
	const d1 = timedD1(sqlite, clock);
	for (const statement of migrationStatements()) sqlite.exec(statement);
	await fillBenchData(d1, 1, claims);
	const db = createDb(d1);
	await compactSearchIndex(db); // as the bench's Worker after its weekly cron
	clock.nanos = 0n;
	const search = claimFilters({ q: query, limit: 20 });
	// The store calls behind /api/v1/claims?limit=20, …&q=…, and Google's claims:search (routes/google-fact-check).
	const calls: Record<keyof SqliteShare, () => Promise<{ rows: unknown[] }>> = {
		list: () => listClaims(db, {}, "recent", 20, null),
		// The API counts the matches beside the page (store/public-claims, countMatches).
		"ranked search": () => listClaims(db, search, "relevance", 20, null, { countMatches: true }),
		"Google search": () => listClaims(db, { ...search, reviewedOnly: true }, "relevance", 20, null),
	};
	const out = {} as SqliteShare;
	for (const [name, call] of Object.entries(calls) as [
		keyof SqliteShare,
		() => Promise<{ rows: unknown[] }>,
	][]) {
		for (let i = 0; i < 20; i++) await call(); // warm-up
		if ((await call()).rows.length !== 20) throw new Error(`${name}: expected a full page from node:sqlite`);
		clock.nanos = 0n;
		const rounds = 200;
		for (let i = 0; i < rounds; i++) await call();
		out[name] = Number(clock.nanos) / 1e6 / rounds;
	}
	sqlite.close();
	return out;
}
