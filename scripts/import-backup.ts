/**
 * Restores a backup written by `npm run export` into an empty database.
 *   npm run import-backup -- claimtrack.ndjson
 * Targets the local D1 of `wrangler dev` (.wrangler/state under the current directory),
 * after applying the migrations. The file is read twice: a check that touches nothing,
 * then the restore, so a damaged or truncated file is refused before any row is written.
 * Users come back without passwords: `npm run user -- reset-password --email E` for each.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { BackupError, checkBackup, restoreRows } from "../src/store/backup";
import { applyLocalMigrations, withLocalDb } from "./lib/local-db";

const USAGE = "Usage: npm run import-backup -- <file.ndjson>";

let file: string | undefined;
try {
	const { positionals } = parseArgs({ options: {}, allowPositionals: true });
	file = positionals.length === 1 ? positionals[0] : undefined;
} catch {
	// an option: this command has none
}
if (!file) {
	console.error(USAGE);
	process.exit(2);
}

/**
 * Opens the file when iteration starts: a readline interface made earlier would emit
 * lines (and close) while restoreRows is still checking the database, and lose them.
 */
async function* lines(path: string): AsyncGenerator<string> {
	const input = createReadStream(path, { encoding: "utf8" });
	yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

try {
	await access(file);
	const header = await checkBackup(lines(file));
	const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
	console.log(`import-backup: ${file} is a valid backup of ${header.exportedAt} with ${total} rows`);
	applyLocalMigrations();
	const report = await withLocalDb((db) => restoreRows(db, lines(file)));
	for (const [table, n] of Object.entries(report.rows)) console.log(`  ${table.padEnd(16)} ${n}`);
	console.log(
		"import-backup: restored. Users have no passwords yet: npm run user -- reset-password --email E",
	);
} catch (error) {
	const message = error instanceof Error ? error.message : String(error);
	console.error(
		error instanceof BackupError ? `import-backup: ${message}` : `import-backup failed: ${message}`,
	);
	process.exit(1);
}
