/**
 * Writes the whole database (no secrets) as NDJSON, for `npm run import-backup`.
 *   npm run export -- --out claimtrack.ndjson
 *   npm run export > claimtrack.ndjson
 *   npm run export -- --with-notes --out desk.ndjson   (the desk's internal notes too)
 * With --out, the evidence archive (snapshots and attachments in R2) goes beside the file:
 * FILE.objects/manifest.ndjson (key, SHA-256, size, type per object) and the objects.
 * Reads the local D1 of `wrangler dev` (.wrangler/state under the current directory).
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Db } from "../src/factory";
import { archiveKeys, exportObject } from "../src/store/archive-backup";
import { exportRows } from "../src/store/backup";
import { withLocalBindings } from "./lib/local-db";

const USAGE =
	"Usage: npm run export -- [--out FILE] [--with-notes]   (without --out the backup goes to stdout; internal notes only with --with-notes)";

let out: string | undefined;
let withNotes = false;
try {
	const values = parseArgs({
		options: { out: { type: "string", short: "o" }, "with-notes": { type: "boolean" } },
		allowPositionals: false,
	}).values;
	out = values.out;
	withNotes = values["with-notes"] ?? false;
} catch (error) {
	console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
	process.exit(2);
}

/** The archive's objects as files under `dir`, listed with their hashes in manifest.ndjson. */
async function exportArchive(db: Db, archive: R2Bucket, dir: string): Promise<number> {
	await rm(dir, { recursive: true, force: true });
	const manifest: string[] = [];
	for await (const key of archiveKeys(db)) {
		const { entry, body } = await exportObject(archive, key);
		await mkdir(path.dirname(path.join(dir, key)), { recursive: true });
		await writeFile(path.join(dir, key), body);
		manifest.push(JSON.stringify(entry));
	}
	await mkdir(dir, { recursive: true });
	await writeFile(path.join(dir, "manifest.ndjson"), manifest.map((line) => `${line}\n`).join(""));
	return manifest.length;
}

if (!out) {
	// stdout carries the backup: whatever wrangler or Miniflare log must not end up in it.
	console.log = console.error;
	console.info = console.error;
	console.warn = console.error;
}

// Written beside the target and renamed at the end: a failed export never leaves a file that looks whole.
const partial = out ? `${out}.partial` : null;
const stream = partial ? createWriteStream(partial, { encoding: "utf8" }) : process.stdout;

try {
	let lines = 0;
	let objects = 0;
	await withLocalBindings(async ({ db, archive }) => {
		for await (const line of exportRows(db, { withNotes })) {
			if (!stream.write(`${line}\n`)) await once(stream, "drain");
			lines++;
		}
		if (out) objects = await exportArchive(db, archive, `${out}.objects`);
		else console.error("export: the evidence archive (R2) is written only with --out FILE, beside it.");
	});
	if (partial && out) {
		await new Promise<void>((resolve, reject) =>
			stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
		);
		await rename(partial, out);
		console.error(
			`export: ${lines - 1} rows written to ${out}, ${objects} archive objects to ${out}.objects`,
		);
	} else {
		console.error(`export: ${lines - 1} rows written`);
	}
} catch (error) {
	if (partial) await rm(partial, { force: true });
	console.error(`export failed: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
}
