import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { archivePath, checkArchiveCovers } from "../../scripts/lib/backup-client";
import { BackupChangedError } from "../../src/store/backup";

describe("archivePath (npm run export / import-backup)", () => {
	it("places an archive key under the directory", () => {
		expect(archivePath("/b/x.objects", "snapshots/abcdefghij0123/raw")).toBe(
			path.join("/b/x.objects", "snapshots/abcdefghij0123/raw"),
		);
		expect(archivePath("/b/x.objects", "uploads/abcdefghij0123")).toBe(
			path.join("/b/x.objects", "uploads/abcdefghij0123"),
		);
	});

	it("refuses a key a manifest or a server could use to leave it", () => {
		for (const key of [
			"../../.ssh/authorized_keys",
			"uploads/../../etc/passwd",
			"/etc/passwd",
			"snapshots/abcdefghij0123/../../../x",
			"uploads/abcdefghij0123/extra",
			"manifest.ndjson",
		]) {
			expect(() => archivePath("/b/x.objects", key), key).toThrow(/not an archive key/);
		}
	});
});

describe("checkArchiveCovers (npm run export --url)", () => {
	const file = path.join(tmpdir(), `claimtrack-cover-${process.pid}.ndjson`);
	const lines = [
		'{"format":"claimtrack-backup"}',
		'{"table":"snapshots","row":{"id":"abcdefghij0123","state":"ok"}}',
		'{"table":"snapshots","row":{"id":"failedsnapshot","state":"failed"}}',
		'{"table":"uploads","row":{"id":"uploadabcdef01"}}',
	];
	const all = new Set([
		"snapshots/abcdefghij0123/raw",
		"snapshots/abcdefghij0123/meta.json",
		"snapshots/abcdefghij0123/text.txt",
		"uploads/uploadabcdef01",
	]);

	it("passes when the manifest holds every object the rows need (a failed snapshot has none)", async () => {
		await writeFile(file, `${lines.join("\n")}\n`);
		await expect(checkArchiveCovers(file, all)).resolves.toBeUndefined();
	});

	it("starts the export again when an object went while it ran (an attachment deleted with its claim)", async () => {
		await writeFile(file, `${lines.join("\n")}\n`);
		const without = new Set([...all].filter((key) => key !== "uploads/uploadabcdef01"));
		await expect(checkArchiveCovers(file, without)).rejects.toThrow(BackupChangedError);
		await rm(file, { force: true });
	});
});
