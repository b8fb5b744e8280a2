import { applyD1Migrations, env } from "cloudflare:test";
import { waitForGlobalWaitUntil } from "cloudflare:test-internal";
import { afterAll, beforeAll } from "vitest";
import { forgetHotTags } from "../src/lib/hot-cache";
import { EVERYTHING_TAG } from "../src/lib/workers-caching";

/*
 * A test file that counts or lists a whole database (pages, the speaker and source lists,
 * the desk's review queue), fills it (100,000 claims for query plans, 25,000 speakers for
 * sitemaps), empties it (backup) or breaks it on purpose calls `useOwnDatabase()` first.
 * It runs in the shared runtime like every other file, but starts with the database, the
 * evidence archive and the restore targets empty and migrated as a new runtime's would be,
 * and leaves them so for the next file. A runtime of its own per such file cost 3 to 4 s
 * of start-up each (loading the app module by module); emptying and migrating costs 0.2 s.
 *
 * Files in one runtime run one after another, so nothing else writes meanwhile; what an
 * earlier file left running (`ctx.waitUntil` work: purges, audit, search index) is
 * awaited first, so it cannot land in the emptied database.
 */
export function useOwnDatabase(): void {
	beforeAll(emptyRuntime, 60_000);
	afterAll(emptyRuntime, 60_000);
}

async function emptyRuntime(): Promise<void> {
	await waitForGlobalWaitUntil();
	await emptyDatabase(env.DB);
	await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
	await emptyDatabase(env.RESTORED_DB);
	await emptyBucket(env.ARCHIVE);
	await emptyBucket(env.RESTORED_ARCHIVE);
	// The isolate's copies of answers read from the database before (the import's speaker
	// directory needs nothing: its key is the tables' counts and newest ids).
	forgetHotTags([EVERYTHING_TAG]);
}

interface SchemaObject {
	name: string;
	type: string;
	sql: string | null;
}

/**
 * Drops every table, view and trigger (D1's own `_cf_` tables stay: they cannot be dropped),
 * wrangler's record of applied migrations too: a file that builds an older release's database
 * (tests/api/upgrade-feed-dates) migrates it from there.
 */
export async function emptyDatabase(db: D1Database): Promise<void> {
	const objects = async () =>
		(
			await db
				.prepare(
					"SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
				)
				.all<SchemaObject>()
		).results;
	const first = await objects();
	// Triggers and views first; a full-text table takes its shadow tables with it.
	const dependents = first.filter(
		(o) => o.type === "trigger" || o.type === "view" || /^CREATE VIRTUAL TABLE/i.test(o.sql ?? ""),
	);
	if (dependents.length > 0)
		await db.batch(
			dependents.map((o) =>
				db.prepare(`DROP ${o.type === "table" ? "TABLE" : o.type.toUpperCase()} IF EXISTS "${o.name}"`),
			),
		);
	let tables = (await objects()).filter((o) => o.type === "table").map((o) => o.name);
	if (tables.length === 0) return;
	// Emptied first in one transaction (claims and verdicts refer to each other: no order
	// deletes them one by one), then dropped: a table's DROP runs foreign-key checks
	// against the tables it refers to, so one whose parent went first is dropped next round.
	await db.batch([
		db.prepare("PRAGMA defer_foreign_keys = on"),
		...tables.map((name) => db.prepare(`DELETE FROM "${name}"`)),
	]);
	while (tables.length > 0) {
		const left: string[] = [];
		for (const name of tables) {
			try {
				await db.prepare(`DROP TABLE "${name}"`).run();
			} catch {
				left.push(name);
			}
		}
		if (left.length === tables.length) throw new Error(`Tables that cannot be dropped: ${left.join(", ")}`);
		tables = left;
	}
}

async function emptyBucket(bucket: R2Bucket): Promise<void> {
	let cursor: string | undefined;
	do {
		const page = await bucket.list({ cursor, limit: 1000 });
		if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
}
