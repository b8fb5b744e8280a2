/**
 * Restores a backup written by `npm run export` into an empty database.
 *   npm run import-backup -- claimtrack.ndjson
 * Targets the local D1 of `wrangler dev` (.wrangler/state under the current directory),
 * after applying the migrations. The file is read twice: a check that touches nothing,
 * then the restore, so a damaged or truncated file is refused before any row is written.
 * Users come back without passwords: `npm run user -- reset-password --email E` for each.
 * The evidence archive comes back from FILE.objects/ (written by `npm run export -- --out`):
 * checked first too, so that it holds every object the rows need and each object matches the
 * manifest's size and SHA-256 (a file without it is refused unless its rows need none); every
 * object is checked again as it is stored, and the restored archive against the hashes in
 * the database afterwards.
 *
 * With --url (and --token or CLAIMTRACK_TOKEN: an admin's token with the scope `backup`
 * on that deployment), into a new deployment over HTTP instead: pages of lines (500 lines
 * and 4 MB at most, under the Worker's 5 MB body; a line past its MAX_RESTORE_LINE, one that
 * fills a page alone, is refused before anything is sent, and so is an object over the Worker's
 * limit; a copy's text stored whole before 9c8e368 goes cut), then the deferred references, the objects, a check of
 * the whole archive, and the search terms. Its one account must be that admin; the backup's user of the same email becomes that account (README, "Backups").
 * Stopped half-way, the same command goes on where it stopped: FILE.restore-progress.ndjson
 * journals each page the Worker acknowledged, FILE.restore-progress.lock keeps a second run
 * off the same file, and both go once the restore has ended.
 */
import { createReadStream } from "node:fs";
import { access, appendFile, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { newId } from "../src/domain/ids";
import type { Db } from "../src/factory";
import { type ManifestEntry, restoreObject, verifyArchive } from "../src/store/archive-backup";
import { BackupError, type BackupHeader, checkBackup, restoreRows } from "../src/store/backup";
import { archiveDirOf, checkArchiveDir } from "./lib/backup-archive-dir";
import {
	archivePath,
	checkRestoreLines,
	checkRestoreObjects,
	type Remote,
	RemoteError,
	remoteOf,
	request,
	restoredObject,
	restorePages,
	wholeTexts,
} from "./lib/backup-client";
import { applyLocalMigrations, withLocalBindings } from "./lib/local-db";

const USAGE =
	"Usage: npm run import-backup -- <file.ndjson> [--url https://desk.example [--token ct_…]]   (the token also from CLAIMTRACK_TOKEN)";

let file: string | undefined;
let remote: Remote | null = null;
/** Lines a restore page, at most (--page-size, for tests); pages are cut at 4 MB too (restorePages). */
let linesPerPage = 500;
try {
	const { positionals, values } = parseArgs({
		options: { url: { type: "string" }, token: { type: "string" }, "page-size": { type: "string" } },
		allowPositionals: true,
	});
	file = positionals.length === 1 ? positionals[0] : undefined;
	remote = remoteOf(values.url, values.token);
	if (values["page-size"]) linesPerPage = Number(values["page-size"]);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	file = undefined;
}
if (!file) {
	console.error(USAGE);
	process.exit(2);
}

/**
 * Opens the file when iteration starts: a readline interface made earlier would emit
 * lines (and close) while restoreRows is still checking the database, and lose them.
 * Lines before the header that are blank or begin with "> " are left out: npm's banner
 * ("> claimtrack@… export", "> tsx scripts/export.ts"), which `npm run export > FILE`
 * without --silent writes above the backup. The header is then the first line, as the
 * restore over HTTP expects; a later line's number in an error counts from it.
 */
async function* lines(path: string): AsyncGenerator<string> {
	const input = createReadStream(path, { encoding: "utf8" });
	let banner = true;
	for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
		if (banner && (text.trim() === "" || text.startsWith("> "))) continue;
		banner = false;
		yield text;
	}
}

/** The manifest's objects (checkArchiveDir), each checked against its hash before it is stored. */
async function restoreArchive(
	db: Db,
	archive: R2Bucket,
	dir: string,
	entries: ManifestEntry[],
): Promise<void> {
	for (const entry of entries) {
		await restoreObject(db, archive, entry, new Uint8Array(await readFile(archivePath(dir, entry.key))));
	}
	console.log(`import-backup: ${entries.length} archive objects restored from ${dir}`);
}

/** One object of a restore, checked by the Worker against `entry.sha256`, the hash of `body`. */
async function putObject(
	remote: Remote,
	restore: string,
	entry: ManifestEntry,
	body: Uint8Array<ArrayBuffer>,
) {
	await request(remote, `/api/v1/backup/objects/${entry.key}`, {
		method: "PUT",
		headers: {
			"X-Restore-Id": restore,
			"X-Content-SHA256": entry.sha256,
			...(entry.contentType ? { "X-Object-Type": entry.contentType } : {}),
		},
		body,
		// The same bytes again change nothing: an object may be sent twice.
		retry: true,
	});
}

/**
 * The objects of FILE.objects/, each checked by the Worker against its hash and the restored
 * rows; a copy's text stored whole before 9c8e368 goes cut, as stored now (`restoredObject`).
 */
async function restoreRemoteObjects(
	remote: Remote,
	backup: string,
	restore: string,
	objects: ManifestEntry[],
): Promise<void> {
	const dir = archiveDirOf(backup);
	const cut = wholeTexts(objects);
	for (const [index, listed] of objects.entries()) {
		const { entry, body } = await restoredObject(dir, listed, cut);
		try {
			await putObject(remote, restore, entry, body);
		} catch (error) {
			// A run of this restore by a CLI before cef9f89 sent every object as listed (and stopped at
			// the 413 of the whole text, after its meta.json): the Worker never overwrites an object,
			// and what it holds is those bytes, so they go instead (the page still says the text is cut).
			const exists =
				error instanceof RemoteError && error.status === 409 && error.type?.endsWith("object-exists");
			if (entry === listed || !exists) throw error;
			await putObject(remote, restore, listed, new Uint8Array(await readFile(archivePath(dir, listed.key))));
		}
		if ((index + 1) % 50 === 0 || index + 1 === objects.length) {
			console.log(`import-backup: ${index + 1} of ${objects.length} archive objects restored`);
		}
	}
}

/** The Worker's check, page by page, that every object the restored rows name is there and matches. */
async function verifyRemoteArchive(remote: Remote): Promise<void> {
	let checked = 0;
	const mismatched: string[] = [];
	let cursor: string | null = null;
	do {
		const query: string = cursor ? `?cursor=${cursor}` : "";
		const response = await request(remote, `/api/v1/backup/verify${query}`, { retry: true });
		const page = (await response.json()) as { checked: number; mismatched: string[]; next: string | null };
		checked += page.checked;
		mismatched.push(...page.mismatched);
		cursor = page.next;
	} while (cursor);
	if (mismatched.length > 0) {
		throw new BackupError(
			`${mismatched.length} of ${checked} archive objects are missing or differ from the database's SHA-256: ${mismatched.slice(0, 5).join(", ")}. The restore is not finished; make the deployment anew and restore again.`,
		);
	}
	console.log(`import-backup: every archive object present and matching (${checked} checked)`);
}

/** Where a restore over HTTP stands, kept beside the file until it has ended (see restoreRemote). */
interface Progress {
	restore: string;
	state: unknown;
	sent: number;
	deferred: unknown[];
	rows: Record<string, number>;
}

interface JournalHead {
	url: string;
	restore: string;
	exportedAt: string;
	size: number;
}

/**
 * The journal of a restore over HTTP: its first line names the deployment, the restore and
 * the file; each later line is a page the Worker acknowledged (where the restore stands
 * after it, and its deferred references). A line cut short by a crash is cut off, and its
 * page is sent again, which writes nothing twice. Null when there is none to go on with.
 */
async function readJournal(journal: string, head: JournalHead): Promise<Progress | null> {
	let text: string;
	try {
		text = await readFile(journal, "utf8");
	} catch {
		return null;
	}
	const whole = text.slice(0, text.lastIndexOf("\n") + 1);
	if (whole.length < text.length) await writeFile(journal, whole);
	const [first = "", ...pages] = whole.split("\n").filter((line) => line !== "");
	let kept: JournalHead;
	try {
		kept = JSON.parse(first) as JournalHead;
	} catch {
		return null;
	}
	if (kept.url !== head.url || kept.exportedAt !== head.exportedAt || kept.size !== head.size) {
		// Of another restore, whose first page was refused or never answered: nothing to go on with.
		if (pages.length === 0) return null;
		throw new BackupError(
			`${journal} is the journal of a restore of another file or into another deployment (${kept.url}, a backup of ${kept.exportedAt}): delete it to begin anew.`,
		);
	}
	const progress: Progress = { restore: kept.restore, state: null, sent: 0, deferred: [], rows: {} };
	for (const line of pages) {
		const page = JSON.parse(line) as {
			sent: number;
			state: unknown;
			deferred: unknown[];
			rows: Record<string, number>;
		};
		progress.sent = page.sent;
		progress.state = page.state;
		progress.deferred.push(...page.deferred);
		for (const [table, n] of Object.entries(page.rows))
			progress.rows[table] = (progress.rows[table] ?? 0) + n;
	}
	return progress;
}

/**
 * Where to begin: the journal's restore when the Worker has it open; a new restore (and a
 * new journal) when there is none or the Worker never saw it (a deployment made anew).
 * `ended`: the restore finished, and only its journal was left.
 */
async function startOrGoOn(
	remote: Remote,
	journal: string,
	head: JournalHead,
): Promise<{ progress: Progress; ended: boolean }> {
	const kept = await readJournal(journal, head);
	if (kept) {
		const status = (await (
			await request(remote, `/api/v1/backup/restore/${kept.restore}`, { retry: true })
		).json()) as { status: "open" | "ended" | "unknown" };
		if (status.status === "ended") return { progress: kept, ended: true };
		if (status.status === "open") {
			console.log(
				`import-backup: going on with restore ${kept.restore} after line ${kept.sent} (${journal})`,
			);
			return { progress: kept, ended: false };
		}
		console.log(`import-backup: restore ${kept.restore} was never begun here: beginning anew (${journal})`);
	}
	await writeFile(journal, `${JSON.stringify(head)}\n`);
	return { progress: { restore: head.restore, state: null, sent: 0, deferred: [], rows: {} }, ended: false };
}

/**
 * One run at a time per file: two would write one journal at once. The lock names its run's
 * process; one whose process is gone (killed, crashed) is taken over.
 */
async function restoreRemote(
	remote: Remote,
	backup: string,
	header: BackupHeader,
	objects: ManifestEntry[],
): Promise<Record<string, number>> {
	const lock = `${backup}.restore-progress.lock`;
	try {
		await writeFile(lock, String(process.pid), { flag: "wx" });
	} catch {
		const holder = Number(await readFile(lock, "utf8").catch(() => ""));
		if (holder > 0 && holder !== process.pid && isRunning(holder)) {
			throw new BackupError(
				`another import-backup (process ${holder}) is restoring ${backup}: let it finish, or stop it and run again (${lock}).`,
			);
		}
		await writeFile(lock, String(process.pid));
	}
	try {
		return await restoreRemoteJournaled(remote, backup, header, objects);
	} finally {
		await rm(lock, { force: true });
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as another user.
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

/**
 * The file's header as sent: with the audit log's high water worked out from the file when
 * a backup made before headers said it lacks it. With it, the Worker moves its own audit
 * rows past the file's and keeps an audit row already there when a page is sent again
 * (store/remote-restore); without it, a page of audit rows could not be sent twice.
 */
async function headerWithHighWater(backup: string, header: BackupHeader): Promise<string> {
	let first = "";
	let highest = 0;
	for await (const text of lines(backup)) {
		if (!first) {
			first = text;
			if (header.highWater?.audit_log != null) return first;
		} else if (text.startsWith('{"table":"audit_log"'))
			highest = Math.max(highest, (JSON.parse(text) as { row: { id: number } }).row.id);
	}
	const parsed = JSON.parse(first) as { highWater?: Record<string, number> };
	return JSON.stringify({ ...parsed, highWater: { ...parsed.highWater, audit_log: highest } });
}

/**
 * The restore over HTTP. Every step may be sent again (the Worker keeps a row already
 * there), so a failed request is retried, and a restore whose run stopped (a crash, a lost
 * connection, Ctrl-C) goes on from its journal when the same command runs again.
 */
async function restoreRemoteJournaled(
	remote: Remote,
	backup: string,
	header: BackupHeader,
	objects: ManifestEntry[],
): Promise<Record<string, number>> {
	const post = async (route: string, body: unknown) =>
		(
			await request(remote, route, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify(body),
				retry: true,
			})
		).json();
	const journal = `${backup}.restore-progress.ndjson`;
	const size = (await stat(backup)).size;
	const head = { url: remote.url, restore: newId(), exportedAt: header.exportedAt, size };
	const { progress, ended } = await startOrGoOn(remote, journal, head);
	if (ended) {
		console.log(`import-backup: restore ${progress.restore} has ended already (${journal} was left behind)`);
		await rm(journal);
		return progress.rows;
	}
	const { restore } = progress;
	const send = async (page: string[]) => {
		const answer = (await post("/api/v1/backup/restore", {
			restore,
			state: progress.state,
			lines: page,
		})) as {
			state: unknown;
			deferred: unknown[];
			rows: Record<string, number>;
		};
		progress.sent += page.length;
		progress.state = answer.state;
		progress.deferred.push(...answer.deferred);
		for (const [table, n] of Object.entries(answer.rows))
			progress.rows[table] = (progress.rows[table] ?? 0) + n;
		await appendFile(journal, `${JSON.stringify({ sent: progress.sent, ...answer })}\n`);
		console.log(`import-backup: ${progress.sent} lines sent`);
	};
	// Only the first page carries the header: a resumed run need not read the file for it.
	const headerLine = progress.sent === 0 ? await headerWithHighWater(backup, header) : "";
	async function* unsent(): AsyncGenerator<string> {
		let line = 0;
		for await (const text of lines(backup)) {
			if (++line <= progress.sent) continue;
			yield line === 1 ? headerLine : text;
		}
	}
	// Cut by bytes too: the Worker refuses a body over 5 MB, and 500 lines of long verdicts pass it.
	for await (const page of restorePages(unsent(), linesPerPage)) await send(page);
	if (progress.state === null) await send([]);
	for (let i = 0; i < progress.deferred.length; i += 1000) {
		await post("/api/v1/backup/restore/links", { restore, links: progress.deferred.slice(i, i + 1000) });
	}
	// The objects while the restore is open (the Worker takes them only then), checked, then finished.
	await restoreRemoteObjects(remote, backup, restore, objects);
	await verifyRemoteArchive(remote);
	for (let after: number | null = 0; after !== null; ) {
		after = (
			(await post("/api/v1/backup/restore/finish", { restore, state: progress.state, after })) as {
				next: number | null;
			}
		).next;
	}
	await rm(journal);
	return progress.rows;
}

/**
 * Secrets never leave the database, so what holds one is not in a backup either: said after
 * both restores, the one over HTTP above all (a move to a new deployment, whose partners'
 * webhooks would otherwise go silent unnoticed).
 */
const NOT_IN_A_BACKUP = {
	local:
		"import-backup: not in a backup, to set up again: API tokens (npm run token -- add), and webhooks with their delivery log (each has a signing secret; its subscriber gets the new one)",
	remote:
		"import-backup: not in a backup, to set up again: API tokens (on the desk, API tokens, or npm run token -- add --remote), and webhooks with their delivery log (on the desk, /desk/admin/webhooks: each has a signing secret; its subscriber gets the new one)",
};

try {
	await access(file);
	const header = await checkBackup(lines(file));
	const total = Object.values(header.tables).reduce((a, b) => a + b, 0);
	console.log(`import-backup: ${file} is a valid backup of ${header.exportedAt} with ${total} rows`);
	const backup = file;
	// The archive beside the file too, before anything is written: one missing or damaged
	// would fail the restore at its last check, after every row went in.
	const objects = await checkArchiveDir(backup);
	if (remote) {
		await checkRestoreLines(lines(file));
		checkRestoreObjects(objects);
		const rows = await restoreRemote(remote, backup, header, objects);
		for (const [table, n] of Object.entries(rows)) console.log(`  ${table.padEnd(16)} ${n}`);
		console.log(
			"import-backup: restored. The other users have no passwords yet: reset each one's on the desk (admin, Accounts) or with npm run user -- reset-password --remote",
		);
		console.log(NOT_IN_A_BACKUP.remote);
		process.exit(0);
	}
	applyLocalMigrations();
	const report = await withLocalBindings(async ({ db, archive }) => {
		const restored = await restoreRows(db, lines(backup));
		await restoreArchive(db, archive, archiveDirOf(backup), objects);
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
	console.log(NOT_IN_A_BACKUP.local);
} catch (error) {
	const message = error instanceof Error ? error.message : String(error);
	console.error(
		error instanceof BackupError ? `import-backup: ${message}` : `import-backup failed: ${message}`,
	);
	process.exit(1);
}
