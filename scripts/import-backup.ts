/**
 * Restores a backup written by `npm run export` into an empty database.
 *   npm run import-backup -- claimtrack.ndjson
 * Targets the local D1 of `wrangler dev` (.wrangler/state under the current directory),
 * after applying the migrations. The file is read twice: a check that touches nothing,
 * then the restore, so a damaged or truncated file is refused before any row is written.
 * Users come back without passwords: `npm run user -- reset-password --email E` for each.
 * The evidence archive comes back from FILE.objects/ (written by `npm run export -- --out`):
 * every object is checked against the manifest's SHA-256 before it is stored, and the
 * restored archive against the hashes in the database afterwards.
 */
import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { type ManifestEntry, restoreObject, verifyArchive } from "../src/store/archive-backup";
import { BackupError, checkBackup, restoreRows } from "../src/store/backup";
import { applyLocalMigrations, withLocalBindings } from "./lib/local-db";

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

/** Objects listed in DIR/manifest.ndjson, each checked against its hash before it is stored. */
async function restoreArchive(archive: R2Bucket, dir: string): Promise<void> {
	let manifest: string;
	try {
		manifest = await readFile(path.join(dir, "manifest.ndjson"), "utf8");
	} catch {
		console.log(`import-backup: no ${dir}/manifest.ndjson, so no archive objects to restore`);
		return;
	}
	const entries = manifest
		.split("\n")
		.filter(Boolean)
		.map((line) => JSON.parse(line) as ManifestEntry);
	for (const entry of entries) {
		await restoreObject(archive, entry, new Uint8Array(await readFile(path.join(dir, entry.key))));
	}
	console.log(`import-backup: ${entries.length} archive objects restored from ${dir}`);
}

try {
	await access(file);
	const header = await checkBackup(lines(file));
	const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
	console.log(`import-backup: ${file} is a valid backup of ${header.exportedAt} with ${total} rows`);
	applyLocalMigrations();
	const backup = file;
	const report = await withLocalBindings(async ({ db, archive }) => {
		const restored = await restoreRows(db, lines(backup));
		await restoreArchive(archive, `${backup}.objects`);
		const check = await verifyArchive(db, archive);
		if (check.mismatched.length > 0) {
			throw new BackupError(
				`${check.mismatched.length} archive objects are missing or differ: ${check.mismatched.slice(0, 5).join(", ")}`,
			);
		}
		console.log(`import-backup: ${check.checked} archived copies and attachments match their SHA-256`);
		return restored;
	});
	for (const [table, n] of Object.entries(report.rows)) console.log(`  ${table.padEnd(16)} ${n}`);
	console.log(
		"import-backup: restored. Users have no passwords yet: npm run user -- reset-password --email E",
	);
	// Secrets never leave the database, so what holds one is not in the backup either.
	console.log(
		"import-backup: not in a backup, to set up again: API tokens (npm run token -- add), and webhooks with their delivery log (each has a signing secret; its subscriber gets the new one)",
	);
} catch (error) {
	const message = error instanceof Error ? error.message : String(error);
	console.error(
		error instanceof BackupError ? `import-backup: ${message}` : `import-backup failed: ${message}`,
	);
	process.exit(1);
}
