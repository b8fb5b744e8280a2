import { applyD1Migrations, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { NO_EFFECTS } from "../../src/commands/context";
import { attachFile } from "../../src/commands/uploads";
import { snapshotKeys, uploadKey } from "../../src/domain/snapshots";
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
import { exportRows, restoreRows, UNFINISHED_AT_BACKUP } from "../../src/store/backup";
import { getSnapshot, planSnapshots } from "../../src/store/snapshots";
import { actor, makeClaim } from "../factories";
import { archiveDeps, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";

/*
 * A backup reads the whole database and archive: in the shared runtime, other files' rows of
 * copies they never stored (snapshot rows written as 'ok' by SQL, to test a page) would be
 * names without objects, and the export would rightly fail on them. So this file starts from
 * an empty database and archive.
 */
useOwnDatabase();

/* ---------- backups of the archive ---------- */
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
				cache: publicCacheFor(undefined, env.DB),
				now: () => Date.now(),
				allowLoopback: false,
				archiveOrg: false,
				fetch: async () => new Response(PAGE, { headers: { "Content-Type": "text/html; charset=utf-8" } }),
			},
		);
		expect(acked).toBe(true);
		const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
		const attached = await attachFile({ db: testDb(), actor, effects: NO_EFFECTS }, env.ARCHIVE, claim.id, {
			name: "report.pdf",
			bytes: pdf,
			caption: "Report",
		});

		// A copy still being fetched when the rows are read, and one whose fetch ends after the
		// rows are read and before the manifest is listed.
		await makeClaim({ sourceUrl: "https://backup.example/unfetched" });
		await makeClaim({ sourceUrl: "https://backup.example/landing" });
		const [unfetched, landing] = await planSnapshots(
			testDb(),
			["https://backup.example/unfetched", "https://backup.example/landing"],
			Date.now(),
		);
		if (!unfetched || !landing) throw new Error("no snapshots planned");
		// And one whose first try failed, its retry due in the old deployment's queue.
		await makeClaim({ sourceUrl: "https://backup.example/retrying" });
		const [retrying] = await planSnapshots(testDb(), ["https://backup.example/retrying"], Date.now());
		if (!retrying) throw new Error("no snapshot planned");
		await archiveSnapshots(
			[{ body: { snapshotId: retrying.id }, ack: () => undefined, retry: () => undefined }],
			archiveDeps(async () => new Response("busy", { status: 503 })),
		);
		const retryingBefore = await getSnapshot(testDb(), retrying.id);
		expect(retryingBefore).toMatchObject({ state: "failed", retryAt: expect.any(String) });

		// Export: rows, then the objects and their manifest.
		const lines: string[] = [];
		for await (const line of exportRows(testDb())) lines.push(line);
		await archiveSnapshots(
			[{ body: { snapshotId: landing.id }, ack: () => undefined, retry: () => undefined }],
			{
				...archiveDeps(async () => new Response(PAGE, { headers: { "Content-Type": "text/html" } })),
			},
		);
		expect(await getSnapshot(testDb(), landing.id)).toMatchObject({ state: "ok" });
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
				uploadKey(attached.id),
			]),
		);

		// Restore into an empty database and an empty bucket.
		await applyD1Migrations(env.RESTORED_DB, env.TEST_MIGRATIONS);
		const restoredDb = createDb(env.RESTORED_DB);
		await restoreRows(restoredDb, lines);
		for (const entry of manifest)
			await restoreObject(
				restoredDb,
				env.RESTORED_ARCHIVE,
				entry,
				objects.get(entry.key) ?? new Uint8Array(),
			);
		const check = await verifyArchive(restoredDb, env.RESTORED_ARCHIVE);
		expect(check.mismatched).toEqual([]);
		// The copy that landed meanwhile is in the manifest, but its row was read as pending:
		// the restore keeps to the row, and says why neither copy is there (not "pending" for
		// good: the queue's messages stayed with the old deployment).
		const landed = Object.values(snapshotKeys(landing.id));
		expect(manifest.map((e) => e.key)).toEqual(expect.arrayContaining(landed));
		expect(check.checked).toBe(manifest.length - landed.length);
		for (const key of landed) expect(await env.RESTORED_ARCHIVE.head(key)).toBeNull();
		for (const id of [unfetched.id, landing.id]) {
			expect(await getSnapshot(restoredDb, id)).toMatchObject({
				state: "failed",
				error: UNFINISHED_AT_BACKUP,
				sha256: null,
				retryAt: null,
			});
		}
		// Nor "retried later" for good: the retry's message stayed behind too. Its failure's
		// reason stays (the server's answer), not "no copy was stored yet".
		expect(retryingBefore?.error).toBeTruthy();
		expect(retryingBefore?.error).not.toBe(UNFINISHED_AT_BACKUP);
		expect(await getSnapshot(restoredDb, retrying.id)).toMatchObject({
			state: "failed",
			error: retryingBefore?.error,
			attempts: retryingBefore?.attempts,
			sha256: null,
			retryAt: null,
		});
		const text = await (await env.RESTORED_ARCHIVE.get(`snapshots/${planned?.id}/text.txt`))?.text();
		expect(text).toContain("The archive keeps this paragraph.");

		// A changed object is refused before it is written, and a missing one is found.
		const [first] = manifest;
		if (!first) throw new Error("empty manifest");
		const tampered = new Uint8Array(objects.get(first.key) ?? []);
		tampered[0] = (tampered[0] ?? 0) ^ 1;
		await expect(restoreObject(restoredDb, env.RESTORED_ARCHIVE, first, tampered)).rejects.toThrow(
			/does not match the manifest/,
		);
		await expect(
			restoreObject(restoredDb, env.RESTORED_ARCHIVE, { ...first, key: "../../etc/passwd" }, tampered),
		).rejects.toThrow(/not an archive key/);
		await env.RESTORED_ARCHIVE.delete(`snapshots/${planned?.id}/raw`);
		expect((await verifyArchive(restoredDb, env.RESTORED_ARCHIVE)).mismatched).toEqual([
			`snapshots/${planned?.id}/raw`,
		]);
	});
});
