/**
 * Writes the whole database (no secrets) as NDJSON, for `npm run import-backup`.
 *   npm run export -- --out claimtrack.ndjson
 *   npm run --silent export > claimtrack.ndjson   (the rows alone: a backup whose rows need
 *     archive objects restores only with FILE.objects/, so --out; without --silent npm writes
 *     its banner above the rows, which import-backup skips)
 *   npm run export -- --with-notes --out desk.ndjson   (the desk's internal notes too)
 * With --out, the evidence archive (snapshots and attachments in R2) goes beside the file:
 * FILE.objects/manifest.ndjson (key, SHA-256, size, type per object) and the objects. Both
 * are written aside (FILE.partial, FILE.objects.partial/) and put in place once whole, so an
 * export that fails leaves the previous backup of that name as it was, archive included.
 * Reads the local D1 of `wrangler dev` (.wrangler/state under the current directory),
 * or with --url a deployment over HTTP (an admin's token with the scope `backup`, from
 * --token or CLAIMTRACK_TOKEN): the same file, pages of rows, each object checked
 * against its SHA-256.
 *   CLAIMTRACK_TOKEN=ct_… npm run export -- --url https://desk.example --out backup.ndjson
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { Db } from "../src/factory";
import { archiveKeys, exportObject, type ManifestEntry } from "../src/store/archive-backup";
import { BackupChangedError, BackupError, checkBackup, exportRows } from "../src/store/backup";
import { partialArchiveDirOf, replaceArchiveDir } from "./lib/backup-archive-dir";
import {
	archivePath,
	checkArchiveCovers,
	nextCursor,
	type Remote,
	RemoteError,
	remoteOf,
	request,
	sha256,
} from "./lib/backup-client";
import { withLocalBindings } from "./lib/local-db";

const USAGE =
	"Usage: npm run export -- [--url https://desk.example [--token ct_…]] [--out FILE] [--with-notes]   (without --out the backup goes to stdout; internal notes only with --with-notes; the token also from CLAIMTRACK_TOKEN)";

/** Rows per request to a deployment (--page-size, for tests); the Worker allows up to 1,000. */
let pageSize = 500;
let out: string | undefined;
let withNotes = false;
let remote: Remote | null = null;
try {
	const values = parseArgs({
		options: {
			out: { type: "string", short: "o" },
			"with-notes": { type: "boolean" },
			url: { type: "string" },
			token: { type: "string" },
			"page-size": { type: "string" },
		},
		allowPositionals: false,
	}).values;
	out = values.out;
	withNotes = values["with-notes"] ?? false;
	remote = remoteOf(values.url, values.token);
	pageSize = values["page-size"] ? Number(values["page-size"]) : pageSize;
} catch (error) {
	console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
	process.exit(2);
}

/** Attempts of a whole export that the database changed under (a row deleted while it ran). */
const EXPORT_ATTEMPTS = 3;

/**
 * The rows of a deployment, page after page, as they come. A 409 `backup-changed` (a row
 * was deleted while the export ran) is thrown: the caller starts again, into a new file.
 */
async function* remoteRows(remote: Remote): AsyncGenerator<string> {
	let cursor: string | null = null;
	let pages = 0;
	let rows = 0;
	do {
		const query = new URLSearchParams({ limit: String(pageSize) });
		if (cursor) query.set("cursor", cursor);
		else if (withNotes) query.set("notes", "true");
		const response = await request(remote, `/api/v1/backup?${query}`, { retry: true });
		const lines = (await response.text()).split("\n").filter(Boolean);
		yield* lines;
		rows += lines.length;
		cursor = nextCursor(response);
		pages++;
		if (pages % 10 === 0 || !cursor) console.error(`export: ${rows - 1} rows (${pages} pages)`);
	} while (cursor);
}

function changedMeanwhile(error: unknown): boolean {
	return (
		error instanceof BackupChangedError ||
		(error instanceof RemoteError && (error.type ?? "").endsWith(":backup-changed"))
	);
}

/** The written file as a restore reads it; a file that would not restore is an export to start again. */
async function checkWritten(file: string): Promise<void> {
	try {
		const input = createReadStream(file, { encoding: "utf8" });
		await checkBackup(createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }));
	} catch (error) {
		if (!(error instanceof BackupError)) throw error;
		throw new BackupChangedError(`The file written would not restore (${error.message})`);
	}
}

/** The archive of a deployment into `dir`: manifest pages, then each object, checked against its SHA-256. */
async function exportRemoteArchive(remote: Remote, dir: string): Promise<Set<string>> {
	// Left by a run that failed or was killed: never the archive of a whole backup.
	await rm(dir, { recursive: true, force: true });
	const manifest: string[] = [];
	const keys = new Set<string>();
	let cursor: string | null = null;
	do {
		const query: string = cursor ? `?cursor=${cursor}` : "";
		const response = await request(remote, `/api/v1/backup/objects${query}`, { retry: true });
		const page = (await response.json()) as { objects: ManifestEntry[]; next: string | null };
		for (const entry of page.objects) {
			const file = archivePath(dir, entry.key);
			let body = new Uint8Array();
			for (let attempt = 1; ; attempt++) {
				const got = await request(remote, `/api/v1/backup/objects/${entry.key}`, { retry: true });
				body = new Uint8Array(await got.arrayBuffer());
				if (sha256(body) === entry.sha256 && body.length === entry.bytes) break;
				if (attempt >= 3)
					throw new Error(`${entry.key}: the bytes do not match the manifest's SHA-256 (three tries).`);
			}
			await mkdir(path.dirname(file), { recursive: true });
			await writeFile(file, body);
			manifest.push(JSON.stringify(entry));
			keys.add(entry.key);
		}
		cursor = page.next;
		console.error(`export: ${manifest.length} archive objects`);
	} while (cursor);
	await mkdir(dir, { recursive: true });
	await writeFile(path.join(dir, "manifest.ndjson"), manifest.map((line) => `${line}\n`).join(""));
	return keys;
}

/** The archive's objects as files under `dir`, listed with their hashes in manifest.ndjson. */
async function exportArchive(db: Db, archive: R2Bucket, dir: string): Promise<number> {
	await rm(dir, { recursive: true, force: true });
	const manifest: string[] = [];
	for await (const key of archiveKeys(db)) {
		const file = archivePath(dir, key);
		const { entry, body } = await exportObject(archive, key);
		await mkdir(path.dirname(file), { recursive: true });
		await writeFile(file, body);
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

// Written beside the target and renamed at the end, the archive too (replaceArchiveDir): a failed
// export never leaves a file that looks whole, nor takes the archive of the one it would replace.
const partial = out ? `${out}.partial` : null;
let stream: NodeJS.WritableStream = process.stdout;
/** The file stream's error (no folder, no space): kept and thrown by write, never left unhandled. */
let streamError: Error | null = null;

/** FILE.partial, opened: a stream error becomes the export's failure (the catch below). */
async function openPartial(file: string): Promise<NodeJS.WritableStream> {
	streamError = null;
	const opened = createWriteStream(file, { encoding: "utf8" });
	opened.on("error", (error) => {
		streamError = error;
	});
	await once(opened, "open");
	return opened;
}

function closeStream(): Promise<void> {
	return new Promise<void>((resolve, reject) =>
		stream.end((error?: Error | null) => (error || streamError ? reject(error ?? streamError) : resolve())),
	);
}

try {
	// README's weekly backup writes to backups/…: a folder a fresh checkout does not have.
	if (out) await mkdir(path.dirname(path.resolve(out)), { recursive: true });
	if (partial) stream = await openPartial(partial);
	let lines = 0;
	let objects = 0;
	const write = async (rows: AsyncIterable<string>) => {
		for await (const line of rows) {
			if (streamError) throw streamError;
			if (!stream.write(`${line}\n`)) await once(stream, "drain");
			lines++;
		}
	};
	if (remote) {
		for (let attempt = 1; ; attempt++) {
			try {
				await write(remoteRows(remote));
				// The Worker checked the references on the last page; the file is read back all the
				// same, as a restore will read it (store/backup checkBackup), before it is renamed.
				if (partial) await closeStream();
				if (partial) await checkWritten(partial);
				// An archived object deleted meanwhile (409 backup-changed) starts the whole export again.
				if (out && partial) {
					const keys = await exportRemoteArchive(remote, partialArchiveDirOf(out));
					await checkArchiveCovers(partial, keys);
					objects = keys.size;
				}
				break;
			} catch (error) {
				if (!changedMeanwhile(error) || !partial) throw error;
				// Every write since an export's start starts it again (docs/decisions.md, "A backup
				// over HTTP"): a desk at work can outrun every try, and the way out is the hour.
				if (attempt >= EXPORT_ATTEMPTS)
					throw new Error(
						`${(error as Error).message} The desk wrote during each of ${EXPORT_ATTEMPTS} tries; run the export when nobody is working (a nightly cron), the previous backup of this name is as it was.`,
					);
				console.error(`export: ${(error as Error).message} Starting again.`);
				if (!(stream as NodeJS.WritableStream & { writableEnded?: boolean }).writableEnded)
					await closeStream();
				stream = await openPartial(partial);
				lines = 0;
			}
		}
	} else {
		await withLocalBindings(async ({ db, archive }) => {
			await write(exportRows(db, { withNotes }));
			if (out) objects = await exportArchive(db, archive, partialArchiveDirOf(out));
		});
	}
	if (!out) console.error("export: the evidence archive (R2) is written only with --out FILE, beside it.");
	if (partial && out) {
		if (!remote) await closeStream();
		await rename(partial, out);
		await replaceArchiveDir(out);
		console.error(
			`export: ${lines - 1} rows written to ${out}, ${objects} archive objects to ${out}.objects`,
		);
	} else {
		console.error(`export: ${lines - 1} rows written`);
	}
} catch (error) {
	// Nothing to clean where the folder could not be made (rm's ENOTDIR): the failure is the message.
	const gone = () => undefined;
	if (partial) await rm(partial, { force: true }).catch(gone);
	if (out) await rm(partialArchiveDirOf(out), { recursive: true, force: true }).catch(gone);
	console.error(`export failed: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
}
