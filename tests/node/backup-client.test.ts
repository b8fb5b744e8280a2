import path from "node:path";
import { describe, expect, it } from "vitest";
import { archivePath } from "../../scripts/lib/backup-client";

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
