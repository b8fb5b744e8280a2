import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { ManifestEntry } from "../../src/store/archive-backup";
import { BackupError } from "../../src/store/backup";
import { archivePath, missingArchiveKeys } from "./backup-client";

/**
 * FILE.objects/, the evidence archive beside a backup (`npm run export -- --out FILE`):
 * manifest.ndjson (key, SHA-256, size and type of each object) and the objects. An export
 * writes it as FILE.objects.partial/ and puts it in place only once FILE is whole; a restore
 * checks it against the file before writing anything.
 */

export const archiveDirOf = (file: string): string => `${file}.objects`;

/** Where an export writes the archive until it is whole. */
export const partialArchiveDirOf = (file: string): string => `${file}.objects.partial`;

/** The manifest's entries, or null when there is no manifest. */
async function readManifest(dir: string): Promise<ManifestEntry[] | null> {
	let manifest: string;
	try {
		manifest = await readFile(path.join(dir, "manifest.ndjson"), "utf8");
	} catch {
		return null;
	}
	return manifest
		.split("\n")
		.filter(Boolean)
		.map((line) => JSON.parse(line) as ManifestEntry);
}

/**
 * Puts the archive an export wrote to FILE.objects.partial/ in place of FILE.objects/, once
 * FILE is renamed: the old archive is moved aside, the new one moved in, the old one removed.
 * Before, the export emptied FILE.objects/ first, so one that failed while reading the archive
 * (a token revoked, the network gone) left the previous FILE whole beside no archive: a backup
 * that looked whole and could never be restored. A run killed between FILE's rename and the
 * last rename leaves the new FILE beside the old archive or beside none (the new one whole in
 * FILE.objects.partial/): a restore that lacks an object refuses it up front (checkArchiveDir).
 */
export async function replaceArchiveDir(file: string): Promise<void> {
	const dir = archiveDirOf(file);
	const old = `${dir}.old`;
	await rm(old, { recursive: true, force: true });
	try {
		await rename(dir, old);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
	}
	await rename(partialArchiveDirOf(file), dir);
	await rm(old, { recursive: true, force: true });
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number } | null> {
	const hash = createHash("sha256");
	let bytes = 0;
	try {
		for await (const chunk of createReadStream(file)) {
			hash.update(chunk as Buffer);
			bytes += (chunk as Buffer).length;
		}
	} catch {
		return null;
	}
	return { sha256: hash.digest("hex"), bytes };
}

/**
 * The archive beside a backup, checked before a restore writes anything: it holds every
 * object the file's rows need (a stored snapshot's three, an attachment's bytes) and each
 * object its manifest lists, of that size and SHA-256. Before, a missing archive read as "no
 * objects": every row was restored, and the restore failed at its last check, for good (a
 * new deployment failed the same way). A file whose rows need no object restores without one.
 * Returns the manifest's entries.
 */
export async function checkArchiveDir(file: string): Promise<ManifestEntry[]> {
	const dir = archiveDirOf(file);
	const entries = await readManifest(dir);
	const missing = await missingArchiveKeys(file, new Set(entries?.map((entry) => entry.key)));
	if (missing.length > 0) {
		const named = `${missing.length} archive objects its rows need (${missing.slice(0, 3).join(", ")})`;
		throw new BackupError(
			entries === null
				? `${file} has no archive beside it (${dir}/manifest.ndjson), and ${named}. The archive goes beside the file only with npm run export -- --out FILE, not into stdout: copy ${dir}/ next to the file, or export again with --out. Nothing was restored.`
				: `${dir}/manifest.ndjson lacks ${named}: the archive is not this file's. Put the file's own ${dir}/ next to it, or export again with --out. Nothing was restored.`,
		);
	}
	for (const entry of entries ?? []) {
		const found = await hashFile(archivePath(dir, entry.key));
		if (!found || found.sha256 !== entry.sha256 || found.bytes !== entry.bytes) {
			throw new BackupError(
				`${path.join(dir, entry.key)} ${found ? "does not match its manifest line (size or SHA-256)" : "is missing"}: the archive is damaged or incomplete. Export again with --out. Nothing was restored.`,
			);
		}
	}
	return entries ?? [];
}
