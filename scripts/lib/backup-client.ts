import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import {
	cutText,
	SNAPSHOT_TEXT_MAX_BYTES,
	type SnapshotMeta,
	snapshotKeys,
	uploadKey,
} from "../../src/domain/snapshots";
import { isArchiveKey, MAX_RESTORE_OBJECT_BYTES, type ManifestEntry } from "../../src/store/archive-backup";
import {
	BackupChangedError,
	BackupError,
	MAX_RESTORE_LINE,
	RESTORE_PAGE_BYTES,
} from "../../src/store/backup";
import { tokenUrlOf } from "./token-url";

/**
 * The client side of the backup over HTTP (src/routes/api/backup.ts), for `npm run export
 * -- --url` and `npm run import-backup -- --url`: an admin's token with the scope
 * `backup`, from --token or CLAIMTRACK_TOKEN (so it stays out of shell history).
 */

export interface Remote {
	/** The deployment's origin, e.g. https://desk.example (no trailing slash). */
	url: string;
	token: string;
}

export class RemoteError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly type: string | null = null,
	) {
		super(message);
	}
}

/**
 * The deployment and token from the options and the environment; null without --url. An
 * address the token may not go to (tokenUrlOf: plain http:// beyond this machine) is refused
 * before any request.
 */
export function remoteOf(url: string | undefined, token: string | undefined): Remote | null {
	if (!url) return null;
	const chosen = token ?? process.env.CLAIMTRACK_TOKEN;
	if (!chosen)
		throw new Error("--url needs an admin's API token with the scope backup: --token or CLAIMTRACK_TOKEN.");
	return { url: tokenUrlOf(url), token: chosen };
}

const RETRIES = 4;

/**
 * A request, retried (with growing pauses) when it did not reach the Worker or the
 * Worker could not answer: network failures, 429 and 5xx. Only for requests that are
 * safe to repeat (`retry`; every backup and restore request is).
 */
export async function request(
	remote: Remote,
	path: string,
	init: RequestInit & { retry: boolean },
	log: (line: string) => void = (line) => console.error(line),
): Promise<Response> {
	const attempts = init.retry ? RETRIES : 1;
	for (let attempt = 1; ; attempt++) {
		let response: Response | null = null;
		let failure = "";
		try {
			response = await fetch(`${remote.url}${path}`, {
				...init,
				headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${remote.token}` },
			});
		} catch (error) {
			failure = error instanceof Error ? error.message : String(error);
		}
		const transient = !response || response.status === 429 || response.status >= 500;
		if (response && !transient) {
			if (response.ok) return response;
			throw await problemOf(response);
		}
		if (attempt >= attempts) {
			if (response) throw await problemOf(response);
			throw new RemoteError(`${path.split("?")[0]}: ${failure}`, 0);
		}
		await response?.body?.cancel();
		log(`  ${path.split("?")[0]}: ${response ? response.status : failure}; again in ${attempt * 2} s`);
		await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
	}
}

async function problemOf(response: Response): Promise<RemoteError> {
	const text = await response.text();
	try {
		const problem = JSON.parse(text) as { detail?: string; type?: string };
		return new RemoteError(
			`${response.status}: ${problem.detail ?? text.slice(0, 300)}`,
			response.status,
			problem.type ?? null,
		);
	} catch {
		return new RemoteError(`${response.status}: ${text.slice(0, 300)}`, response.status);
	}
}

export function sha256(bytes: Uint8Array): string {
	return createHash("sha256").update(bytes).digest("hex");
}

/** The `cursor` of a `Link: <…?cursor=…>; rel="next"` header, or null on the last page. */
export function nextCursor(response: Response): string | null {
	const link = /<([^>]*)>;\s*rel="next"/.exec(response.headers.get("Link") ?? "")?.[1];
	return link ? new URL(link).searchParams.get("cursor") : null;
}

/**
 * Where an archive object's file goes under `dir`: only for a key of the archive's layout
 * (the allowlist the Worker uses), so a manifest or a server never names a path outside it.
 */
export function archivePath(dir: string, key: string): string {
	if (!isArchiveKey(key)) throw new Error(`${key.slice(0, 80)} is not an archive key: refused.`);
	return path.join(dir, key);
}

/**
 * The archive keys the file's rows need that `keys` lacks: a stored snapshot's three objects
 * and an attachment's bytes (a snapshot not stored, `pending` or `failed`, needs none).
 */
export async function missingArchiveKeys(file: string, keys: ReadonlySet<string>): Promise<string[]> {
	const input = createInterface({
		input: createReadStream(file, { encoding: "utf8" }),
		crlfDelay: Number.POSITIVE_INFINITY,
	});
	const missing: string[] = [];
	for await (const line of input) {
		if (!line.startsWith('{"table":"snapshots"') && !line.startsWith('{"table":"uploads"')) continue;
		const { table, row } = JSON.parse(line) as { table: string; row: { id: string; state?: string } };
		const needed =
			table === "uploads"
				? [uploadKey(row.id)]
				: row.state === "ok"
					? Object.values(snapshotKeys(row.id))
					: [];
		missing.push(...needed.filter((key) => !keys.has(key)));
	}
	return missing;
}

/**
 * Every object the file's rows need is in the manifest. The archive is listed after the rows:
 * a row whose object went meanwhile (an attachment deleted with its claim) would make a backup
 * no restore can finish, so the whole export starts again instead.
 */
export async function checkArchiveCovers(file: string, keys: ReadonlySet<string>): Promise<void> {
	const [missing] = await missingArchiveKeys(file, keys);
	if (missing) throw new BackupChangedError(`${missing} went from the archive while the export ran.`);
}

/**
 * The lines in pages of at most `maxLines` lines and `maxBytes` bytes of them as JSON strings
 * (`RESTORE_PAGE_BYTES`: under the Worker's body cap, with room for the page's `state`). A
 * line within `MAX_RESTORE_LINE` takes at most that alone, so every line fits a page.
 */
export async function* restorePages(
	lines: AsyncIterable<string>,
	maxLines: number,
	maxBytes: number = RESTORE_PAGE_BYTES,
): AsyncGenerator<string[]> {
	let page: string[] = [];
	let bytes = 0;
	for await (const line of lines) {
		// The line as a JSON string and the comma after it.
		const size = Buffer.byteLength(JSON.stringify(line)) + 1;
		if (page.length > 0 && (page.length >= maxLines || bytes + size > maxBytes)) {
			yield page;
			page = [];
			bytes = 0;
		}
		page.push(line);
		bytes += size;
	}
	if (page.length > 0) yield page;
}

/**
 * Every line within the Worker's cap, checked before a restore over HTTP sends anything: a
 * longer one would be refused (422) half-way, its deployment left half-restored.
 */
export async function checkRestoreLines(lines: AsyncIterable<string>): Promise<void> {
	let number = 0;
	for await (const line of lines) {
		number++;
		if (line.length > MAX_RESTORE_LINE) {
			throw new BackupError(
				`line ${number} is ${line.length} characters long; a restore over HTTP takes lines of up to ${MAX_RESTORE_LINE} (the Worker's limit). Nothing was sent.`,
			);
		}
		// Only a line not written by an export (control characters unescaped) takes more than 3 bytes a unit.
		const bytes = Buffer.byteLength(JSON.stringify(line)) + 1;
		if (bytes > RESTORE_PAGE_BYTES) {
			throw new BackupError(
				`line ${number} is ${bytes} bytes as JSON; a page of a restore over HTTP carries up to ${RESTORE_PAGE_BYTES}. Nothing was sent.`,
			);
		}
	}
}

/** A snapshot's text and metadata keys, with the snapshot's id. */
const SNAPSHOT_PART = /^snapshots\/([0-9a-z]{14})\/(text\.txt|meta\.json)$/;

/**
 * The snapshots whose text.txt is longer than a copy stored now keeps (SNAPSHOT_TEXT_MAX_BYTES
 * of UTF-8): copies stored between 8672a3d and 9c8e368 hold their text whole, and a text file's
 * charset can make it twice or three times its bytes (a 16 MB windows-1251 file, 32 MB of text),
 * past what one PUT of a restore carries (MAX_RESTORE_OBJECT_BYTES): no restore over HTTP of such
 * a deployment could finish. Their text goes cut, as `restoredObject` sends it.
 */
export function wholeTexts(entries: readonly ManifestEntry[]): Set<string> {
	const ids = new Set<string>();
	for (const entry of entries) {
		const part = SNAPSHOT_PART.exec(entry.key);
		if (part?.[2] === "text.txt" && entry.bytes > SNAPSHOT_TEXT_MAX_BYTES) ids.add(part[1] ?? "");
	}
	return ids;
}

/**
 * An object of FILE.objects/ as a restore over HTTP sends it, with its SHA-256 and size. The
 * text of a snapshot in `cut` (`wholeTexts`) goes cut as a copy stored now is (domain/snapshots
 * `cutText`), its meta.json saying `textCut`, so its page shows the same text and says it ends
 * there, as it did. The text is derived from the raw bytes, which go whole, and D1 records no
 * SHA-256 of either part, so the Worker checks them against the hash sent with them. Every other
 * object goes as the manifest lists it (checked against it before: checkArchiveDir).
 */
export async function restoredObject(
	dir: string,
	entry: ManifestEntry,
	cut: ReadonlySet<string>,
): Promise<{ entry: ManifestEntry; body: Uint8Array<ArrayBuffer> }> {
	const body = new Uint8Array(await readFile(archivePath(dir, entry.key)));
	const part = SNAPSHOT_PART.exec(entry.key);
	if (!part || !cut.has(part[1] ?? "")) return { entry, body };
	let changed: Uint8Array<ArrayBuffer>;
	if (part[2] === "text.txt") {
		// ignoreBOM: a text that begins with U+FEFF keeps it, as the page showed it.
		const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);
		changed = new TextEncoder().encode(cutText(text).text);
	} else {
		try {
			const meta = JSON.parse(new TextDecoder().decode(body)) as SnapshotMeta;
			changed = new TextEncoder().encode(JSON.stringify({ ...meta, textCut: true }));
		} catch {
			// Not the JSON the archive writes: it goes as it is (its page cuts the text all the same).
			return { entry, body };
		}
	}
	return { entry: { ...entry, sha256: sha256(changed), bytes: changed.length }, body: changed };
}

/**
 * Every object within what one PUT of a restore over HTTP carries (`MAX_RESTORE_OBJECT_BYTES`,
 * the Worker's body limit), checked before a restore sends anything: the objects go last, after
 * every line, and one refused (413) then left the restore open and the new deployment serving
 * half a database, on every run. A text `wholeTexts` names goes cut to 2 MB; none other is over
 * it today (a snapshot's raw bytes stop at 25 MB, an attachment at 10 MB).
 */
export function checkRestoreObjects(entries: readonly ManifestEntry[]): void {
	const cut = wholeTexts(entries);
	// A cut text's meta.json grows by `,"textCut":true`, 15 bytes on a few kB of headers.
	const over = entries.find((entry) => {
		const part = SNAPSHOT_PART.exec(entry.key);
		const goesCut = part?.[2] === "text.txt" && cut.has(part[1] ?? "");
		return !goesCut && entry.bytes > MAX_RESTORE_OBJECT_BYTES;
	});
	if (over) {
		throw new BackupError(
			`${over.key} is ${over.bytes} bytes; a restore over HTTP takes objects of up to ${MAX_RESTORE_OBJECT_BYTES} bytes (the Worker's limit). Nothing was sent.`,
		);
	}
}
