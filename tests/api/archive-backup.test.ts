import { applyD1Migrations, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { NO_EFFECTS } from "../../src/commands/context";
import { attachFile } from "../../src/commands/uploads";
import { createDb } from "../../src/factory";
import { publicCacheFor } from "../../src/lib/public-cache";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import {
	archiveKeys,
	exportObject,
	type ManifestEntry,
	restoreObject,
	verifyArchive,
} from "../../src/store/archive-backup";
import { exportRows, restoreRows } from "../../src/store/backup";
import { planSnapshots } from "../../src/store/snapshots";
import { actor, makeClaim } from "../factories";
import { testDb } from "../helpers";

const PAGE =
	"<html><head><title>Report</title></head><body><article><p>The archive keeps this paragraph.</p></article></body></html>";

describe("backup of the evidence archive", () => {
	it("carries snapshots and attachments: rows in the NDJSON, objects with a manifest, hashes equal after restore", {
		timeout: 120_000,
	}, async () => {
		const claim = await makeClaim({ sourceUrl: "https://backup.example/article" });
		const [planned] = await planSnapshots(testDb(), ["https://backup.example/article"], Date.now());
		let acked = false;
		await archiveSnapshots(
			[
				{
					body: { snapshotId: planned?.id },
					ack: () => {
						acked = true;
					},
					retry: () => undefined,
				},
			],
			{
				db: testDb(),
				bucket: env.ARCHIVE,
				cache: publicCacheFor(undefined),
				now: () => Date.now(),
				allowLoopback: false,
				archiveOrg: false,
				fetch: async () => new Response(PAGE, { headers: { "Content-Type": "text/html; charset=utf-8" } }),
			},
		);
		expect(acked).toBe(true);
		const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
		await attachFile({ db: testDb(), actor, effects: NO_EFFECTS }, env.ARCHIVE, claim.id, {
			name: "report.pdf",
			bytes: pdf,
			caption: "Report",
		});

		// Export: rows, then the objects and their manifest.
		const lines: string[] = [];
		for await (const line of exportRows(testDb())) lines.push(line);
		const header = JSON.parse(lines[0] ?? "{}");
		expect(header.tables.snapshots).toBeGreaterThanOrEqual(1);
		expect(header.tables.uploads).toBe(1);
		const manifest: ManifestEntry[] = [];
		const objects = new Map<string, Uint8Array>();
		for await (const key of archiveKeys(testDb())) {
			const { entry, body } = await exportObject(env.ARCHIVE, key);
			manifest.push(entry);
			objects.set(key, body);
		}
		expect(manifest.map((e) => e.key)).toEqual(
			expect.arrayContaining([
				`snapshots/${planned?.id}/raw`,
				`snapshots/${planned?.id}/meta.json`,
				`snapshots/${planned?.id}/text.txt`,
			]),
		);

		// Restore into an empty database and an empty bucket.
		await applyD1Migrations(env.MIGRATION_DB, env.TEST_MIGRATIONS);
		const restoredDb = createDb(env.MIGRATION_DB);
		await restoreRows(restoredDb, lines);
		for (const entry of manifest)
			await restoreObject(env.RESTORED_ARCHIVE, entry, objects.get(entry.key) ?? new Uint8Array());
		const check = await verifyArchive(restoredDb, env.RESTORED_ARCHIVE);
		expect(check.mismatched).toEqual([]);
		expect(check.checked).toBe(
			header.tables.uploads + (await verifyArchive(testDb(), env.ARCHIVE)).checked - 1,
		);
		const text = await (await env.RESTORED_ARCHIVE.get(`snapshots/${planned?.id}/text.txt`))?.text();
		expect(text).toContain("The archive keeps this paragraph.");

		// A changed object is refused before it is written, and a missing one is found.
		const [first] = manifest;
		if (!first) throw new Error("empty manifest");
		const tampered = new Uint8Array(objects.get(first.key) ?? []);
		tampered[0] = (tampered[0] ?? 0) ^ 1;
		await expect(restoreObject(env.RESTORED_ARCHIVE, first, tampered)).rejects.toThrow(
			/does not match the manifest/,
		);
		await expect(
			restoreObject(env.RESTORED_ARCHIVE, { ...first, key: "../../etc/passwd" }, tampered),
		).rejects.toThrow(/not an archive key/);
		await env.RESTORED_ARCHIVE.delete(`snapshots/${planned?.id}/raw`);
		expect((await verifyArchive(restoredDb, env.RESTORED_ARCHIVE)).mismatched).toEqual([
			`snapshots/${planned?.id}/raw`,
		]);
	});
});
