import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
	appendFileSync,
	cpSync,
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	bundleWorker,
	type LocalWorker,
	startLocalWorker,
	type WorkerBundles,
} from "../../scripts/lib/local-worker";
import { generateApiToken } from "../../src/auth/api-tokens";
import { NO_EFFECTS } from "../../src/commands/context";
import { seedDemo } from "../../src/commands/seed-demo";
import { attachFile } from "../../src/commands/uploads";
import { newId, sha256Hex } from "../../src/domain/ids";
import { SNAPSHOT_TEXT_MAX_BYTES, type SnapshotMeta, snapshotKeys } from "../../src/domain/snapshots";
import { MAX_RESTORE_OBJECT_BYTES } from "../../src/store/archive-backup";
import { SYSTEM } from "../../src/store/batch";
import { createApiToken } from "../../src/store/tokens";
import { createUser } from "../../src/store/users";

/*
 * `npm run export -- --url` and `npm run import-backup -- --url` end to end: the CLIs as
 * child processes against the bundled Workers served by workerd (fresh in-memory D1 and
 * R2), one deployment exported, a second, new one restored from the file. One stack at a time.
 */

const root = path.resolve(import.meta.dirname, "../..");
const EMAIL = "admin@backup-cli.test";
let scripts: WorkerBundles;
let dir: string;
let worker: LocalWorker | null = null;

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), "claimtrack-backup-"));
	scripts = bundleWorker(path.join(dir, "bundle"));
}, 180_000);

afterAll(async () => {
	await worker?.dispose();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a CLI; `killWhen` its output says so, it is killed at once (SIGKILL: no cleanup, as in a crash). */
function run(script: string, args: string[], token: string, killWhen?: (stdout: string) => boolean) {
	const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
		cwd: root,
		env: { ...process.env, CLAIMTRACK_TOKEN: token },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	child.stdout?.on("data", (chunk: Buffer) => {
		stdout += chunk.toString("utf8");
		if (killWhen?.(stdout)) child.kill("SIGKILL");
	});
	child.stderr?.on("data", (chunk: Buffer) => {
		stderr += chunk.toString("utf8");
	});
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
		child.on("close", (code) => resolve({ code, stdout, stderr })),
	);
}

/** A new deployment: its one account an admin with a backup token. */
async function deployment(): Promise<{ worker: LocalWorker; token: string }> {
	const started = await startLocalWorker({ scripts });
	const user = await createUser(started.db, SYSTEM("test"), {
		email: EMAIL,
		name: "Admin",
		role: "admin",
		passwordHash: null,
	});
	const token = generateApiToken();
	await createApiToken(started.db, SYSTEM("test"), {
		userId: user.id,
		name: "backup",
		scopes: ["backup"],
		tokenHash: await sha256Hex(token),
	});
	return { worker: started, token };
}

/** A new deployment and a restore of `file` into it, killed after its second page. */
async function killedRestore(file: string) {
	const target = await deployment();
	worker = target.worker;
	const args = [file, "--url", target.worker.url, "--page-size", "10"];
	const killed = await run("scripts/import-backup.ts", args, target.token, (out) =>
		/ 20 lines sent/.test(out),
	);
	expect(killed.code, killed.stderr + killed.stdout).toBeNull();
	return { target, args };
}

async function claimAnswers(url: string, ids: string[]): Promise<string[]> {
	return Promise.all(ids.map(async (id) => (await fetch(`${url}/api/v1/claims/${id}`)).text()));
}

describe("the backup CLIs over HTTP", () => {
	it("export a deployment in pages and restore it into a new one", async () => {
		const source = await deployment();
		worker = source.worker;
		await seedDemo(source.worker.db);
		const ids = (
			await source.worker.d1.prepare("SELECT id FROM claims ORDER BY seq").all<{ id: string }>()
		).results.map((r) => r.id);
		const archive = (await source.worker.miniflare.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
		const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
		await attachFile(
			{ db: source.worker.db, actor: SYSTEM("test"), effects: NO_EFFECTS },
			archive,
			ids[0] ?? "",
			{
				name: "report.pdf",
				bytes: pdf,
				caption: "Report",
			},
		);
		const before = await claimAnswers(source.worker.url, ids);

		const file = path.join(dir, "backup.ndjson");
		const exported = await run(
			"scripts/export.ts",
			["--url", source.worker.url, "--out", file, "--page-size", "25", "--with-notes"],
			source.token,
		);
		expect(exported.code, exported.stderr).toBe(0);
		expect(exported.stderr).toMatch(/export: \d+ rows \(\d+ pages\)/);
		expect(existsSync(`${file}.objects/manifest.ndjson`)).toBe(true);
		const manifest = readFileSync(`${file}.objects/manifest.ndjson`, "utf8").split("\n").filter(Boolean);
		expect(manifest).toHaveLength(1);
		await source.worker.dispose();
		worker = null;

		// Killed after its second page (maybe with the third on its way): run again, it goes on.
		const { target, args } = await killedRestore(file);
		expect(existsSync(`${file}.restore-progress.ndjson`)).toBe(true);
		// As if the crash cut its last line short: that page is sent again.
		appendFileSync(`${file}.restore-progress.ndjson`, '{"sent":9999,"state":{"re');
		// While another run restores the file (its process alive), a second one does not start.
		const lock = `${file}.restore-progress.lock`;
		writeFileSync(lock, String(process.pid));
		const busy = await run("scripts/import-backup.ts", args, target.token);
		expect(busy.code).toBe(1);
		expect(busy.stderr).toMatch(/another import-backup \(process \d+\) is restoring/);
		// The lock of a run whose process is gone (killed, as above) is taken over.
		writeFileSync(lock, "2147483646");
		const restored = await run("scripts/import-backup.ts", args, target.token);
		expect(restored.code, restored.stderr + restored.stdout).toBe(0);
		const resumedAfter = Number(
			restored.stdout.match(/going on with restore [0-9a-z]{14} after line (\d+)/)?.[1],
		);
		expect(resumedAfter).toBeGreaterThanOrEqual(20);
		expect(restored.stdout).not.toMatch(/^import-backup: 10 lines sent$/m);
		expect(existsSync(`${file}.restore-progress.ndjson`)).toBe(false);
		expect(existsSync(lock)).toBe(false);
		// Stopped after the restore ended but before its journal was deleted: run again, it says so.
		const restoreId = restored.stdout.match(/going on with restore ([0-9a-z]{14})/)?.[1];
		const exportedAt = (
			JSON.parse(readFileSync(file, "utf8").split("\n")[0] ?? "{}") as { exportedAt: string }
		).exportedAt;
		const head = { url: target.worker.url, restore: restoreId, exportedAt, size: statSync(file).size };
		writeFileSync(`${file}.restore-progress.ndjson`, `${JSON.stringify(head)}\n`);
		const ended = await run("scripts/import-backup.ts", args, target.token);
		expect(ended.code, ended.stderr + ended.stdout).toBe(0);
		expect(ended.stdout).toMatch(new RegExp(`restore ${restoreId} has ended already`));
		expect(existsSync(`${file}.restore-progress.ndjson`)).toBe(false);
		// The objects went in before the restore ended, and the Worker checked the whole archive.
		expect(restored.stdout).toMatch(/every archive object present and matching \(1 checked\)/);
		expect(await claimAnswers(target.worker.url, ids)).toEqual(before);
		const entry = JSON.parse(manifest[0] ?? "{}") as { key: string; sha256: string };
		const copy = await ((await target.worker.miniflare.getR2Bucket("ARCHIVE")) as unknown as R2Bucket).get(
			entry.key,
		);
		const bytes = new Uint8Array((await copy?.arrayBuffer()) ?? new ArrayBuffer(0));
		expect(createHash("sha256").update(bytes).digest("hex")).toBe(entry.sha256);

		// Again into the same deployment: refused, it is not empty any more.
		const again = await run("scripts/import-backup.ts", [file, "--url", target.worker.url], target.token);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/409: The database is not empty/);

		// A backup made before headers carried high water (its audit rows are inserted plainly):
		// stopped early and run again, it goes on too, into a new deployment.
		const [header = "{}", ...rows] = readFileSync(file, "utf8").split("\n");
		const { highWater: _dropped, ...older } = JSON.parse(header) as Record<string, unknown>;
		const oldFile = path.join(dir, "older.ndjson");
		writeFileSync(oldFile, [JSON.stringify(older), ...rows].join("\n"));
		cpSync(`${file}.objects`, `${oldFile}.objects`, { recursive: true });
		await target.worker.dispose();
		const { target: third, args: oldArgs } = await killedRestore(oldFile);
		const resumed = await run("scripts/import-backup.ts", oldArgs, third.token);
		expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
		expect(resumed.stdout).toMatch(/going on with restore [0-9a-z]{14} after line \d+/);
		expect(await claimAnswers(third.worker.url, ids)).toEqual(before);
	});
});

/** A deployment with a copy's text stored whole, exported with --out: made once, restored by each test. */
let wholeText: ReturnType<typeof exportWholeText> | null = null;
function wholeTextBackup(): ReturnType<typeof exportWholeText> {
	wholeText ??= exportWholeText();
	return wholeText;
}

async function exportWholeText() {
	const source = await deployment();
	worker = source.worker;
	await seedDemo(source.worker.db);
	const cited = await source.worker.d1
		.prepare(
			"SELECT s.url AS url FROM sources s JOIN appearances a ON a.source_id = s.id ORDER BY a.created_at LIMIT 1",
		)
		.first<{ url: string }>();
	if (!cited) throw new Error("the demo cites no source");
	// A windows-1251 text file stored before 9c8e368: its text.txt whole, twice its bytes in
	// UTF-8, just over what one PUT of a restore may carry.
	const line = "Пример текста из архива. ";
	const text = line.repeat(Math.ceil((MAX_RESTORE_OBJECT_BYTES + 1) / Buffer.byteLength(line)));
	const raw = new TextEncoder().encode("Пример");
	const id = newId();
	const keys = snapshotKeys(id);
	const rawSha = createHash("sha256").update(raw).digest("hex");
	const fetchedAt = new Date().toISOString();
	await source.worker.d1
		.prepare(
			"INSERT INTO snapshots (id, url, final_url, state, http_status, content_type, sha256, bytes, fetched_at, attempts) VALUES (?, ?, ?, 'ok', 200, 'text/plain; charset=windows-1251', ?, ?, ?, 1)",
		)
		.bind(id, cited.url, cited.url, rawSha, raw.length, fetchedAt)
		.run();
	const meta: SnapshotMeta = {
		url: cited.url,
		finalUrl: cited.url,
		status: 200,
		contentType: "text/plain; charset=windows-1251",
		headers: [],
		fetchedAt,
		sha256: rawSha,
		bytes: raw.length,
	};
	const archive = (await source.worker.miniflare.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
	await archive.put(keys.raw, raw);
	await archive.put(keys.meta, JSON.stringify(meta));
	await archive.put(keys.text, text);
	expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_RESTORE_OBJECT_BYTES);
	// Without `?claim=`: highlighting a quote in 2 MB of text takes minutes (domain/snapshots `fold`).
	const page = `/snapshots/${id}?lang=en`;
	const before = await (await fetch(`${source.worker.url}${page}`)).text();
	expect(before).toContain("The text of this copy ends here");

	const file = path.join(dir, "whole-text.ndjson");
	const exported = await run("scripts/export.ts", ["--url", source.worker.url, "--out", file], source.token);
	expect(exported.code, exported.stderr).toBe(0);
	await source.worker.dispose();
	worker = null;
	return { file, page, before, keys, meta, text, line, rawSha };
}

describe("an archive object over the Worker's limit", () => {
	it("restores a copy's text stored whole before 9c8e368 cut as stored now, and refuses any other such object before sending a line", async () => {
		const { file, page, before, keys, meta, text, line, rawSha } = await wholeTextBackup();
		const target = await deployment();
		worker = target.worker;
		const restored = await run("scripts/import-backup.ts", [file, "--url", target.worker.url], target.token);
		expect(restored.code, restored.stderr + restored.stdout).toBe(0);
		// The text as a copy stored now holds it, the page as before: cut, and saying so.
		expect(await (await fetch(`${target.worker.url}${page}`)).text()).toBe(before);
		const copies = (await target.worker.miniflare.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
		const stored = (await (await copies.get(keys.text))?.text()) ?? "";
		expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(SNAPSHOT_TEXT_MAX_BYTES);
		expect(stored.length).toBeGreaterThan(SNAPSHOT_TEXT_MAX_BYTES / 2 - line.length);
		expect(text.startsWith(stored)).toBe(true);
		expect(await (await copies.get(keys.meta))?.json()).toEqual({ ...meta, textCut: true });
		const rawCopy = new Uint8Array((await (await copies.get(keys.raw))?.arrayBuffer()) ?? new ArrayBuffer(0));
		expect(createHash("sha256").update(rawCopy).digest("hex")).toBe(rawSha);
		await target.worker.dispose();
		worker = null;

		// Any other object over the limit (none is today: raw bytes stop at 25 MB, attachments at
		// 10 MB) is refused before a line is sent, not half-way with the deployment half-filled.
		const over = path.join(dir, "over-limit.ndjson");
		cpSync(file, over);
		cpSync(`${file}.objects`, `${over}.objects`, { recursive: true });
		const big = new Uint8Array(MAX_RESTORE_OBJECT_BYTES + 1);
		writeFileSync(path.join(`${over}.objects`, keys.raw), big);
		const manifest = readFileSync(`${over}.objects/manifest.ndjson`, "utf8")
			.split("\n")
			.filter(Boolean)
			.map((l) => JSON.parse(l) as { key: string; sha256: string; bytes: number });
		const rawEntry = manifest.find((e) => e.key === keys.raw);
		if (!rawEntry) throw new Error("no raw object in the manifest");
		rawEntry.sha256 = createHash("sha256").update(big).digest("hex");
		rawEntry.bytes = big.length;
		writeFileSync(
			`${over}.objects/manifest.ndjson`,
			`${manifest.map((e) => JSON.stringify(e)).join("\n")}\n`,
		);
		const fresh = await deployment();
		worker = fresh.worker;
		const refused = await run("scripts/import-backup.ts", [over, "--url", fresh.worker.url], fresh.token);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(
			new RegExp(
				`${keys.raw} is ${big.length} bytes; a restore over HTTP takes objects of up to ${MAX_RESTORE_OBJECT_BYTES} .*Nothing was sent`,
			),
		);
		const claims = await fresh.worker.d1.prepare("SELECT count(*) AS n FROM claims").first<{ n: number }>();
		expect(claims?.n).toBe(0);
		await fresh.worker.dispose();
		worker = null;
	});

	it("goes on with a restore the CLI before cef9f89 left at the 413: the meta.json it stored is kept, the page as before", async () => {
		const { file, page, before, keys, meta, text } = await wholeTextBackup();
		const target = await deployment();
		worker = target.worker;
		await stoppedByTheOldCli(file, target);
		// README: "run the same command again".
		const resumed = await run("scripts/import-backup.ts", [file, "--url", target.worker.url], target.token);
		expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
		expect(resumed.stdout).toMatch(/going on with restore [0-9a-z]{14} after line \d+/);
		expect(existsSync(`${file}.restore-progress.ndjson`)).toBe(false);
		// The page says, as before, that the text ends there, though its meta.json does not.
		expect(await (await fetch(`${target.worker.url}${page}`)).text()).toBe(before);
		const copies = (await target.worker.miniflare.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
		expect(await (await copies.get(keys.meta))?.json()).toEqual(meta);
		const stored = (await (await copies.get(keys.text))?.text()) ?? "";
		expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(SNAPSHOT_TEXT_MAX_BYTES);
		expect(text.startsWith(stored)).toBe(true);
	});
});

/**
 * What `import-backup --url` before cef9f89 left of a restore of `file` into `target`: every line
 * sent in pages of 500 and journaled as the CLI journals them, the deferred references sent, then
 * every object as its manifest lists it (raw, meta.json, text.txt), until the whole text.txt was
 * refused 413: the run gave up there, the restore open, the journal kept. (Checked against
 * `git show cef9f89^:scripts/import-backup.ts` run as it was: the same journal, the same 413.)
 */
async function stoppedByTheOldCli(file: string, target: { worker: LocalWorker; token: string }) {
	const url = target.worker.url;
	const auth = { Authorization: `Bearer ${target.token}` };
	const lines = readFileSync(file, "utf8").split("\n").slice(0, -1);
	const { exportedAt } = JSON.parse(lines[0] ?? "{}") as { exportedAt: string };
	const restore = newId();
	const journal = `${file}.restore-progress.ndjson`;
	writeFileSync(journal, `${JSON.stringify({ url, restore, exportedAt, size: statSync(file).size })}\n`);
	const post = async (route: string, body: unknown) => {
		const response = await fetch(`${url}${route}`, {
			method: "POST",
			headers: { ...auth, "Content-Type": "application/json" },
			body: JSON.stringify(body),
		});
		expect(response.status, route).toBe(200);
		return (await response.json()) as { state: unknown; deferred: unknown[] };
	};
	let state: unknown = null;
	const deferred: unknown[] = [];
	for (let sent = 0; sent < lines.length; ) {
		const page = lines.slice(sent, sent + 500);
		const answer = await post("/api/v1/backup/restore", { restore, state, lines: page });
		sent += page.length;
		state = answer.state;
		deferred.push(...answer.deferred);
		appendFileSync(journal, `${JSON.stringify({ sent, ...answer })}\n`);
	}
	if (deferred.length > 0) await post("/api/v1/backup/restore/links", { restore, links: deferred });
	const manifest = readFileSync(`${file}.objects/manifest.ndjson`, "utf8")
		.split("\n")
		.filter(Boolean)
		.map((l) => JSON.parse(l) as { key: string; sha256: string; contentType: string | null });
	const statuses: string[] = [];
	for (const entry of manifest) {
		const response = await fetch(`${url}/api/v1/backup/objects/${entry.key}`, {
			method: "PUT",
			headers: {
				...auth,
				"X-Restore-Id": restore,
				"X-Content-SHA256": entry.sha256,
				...(entry.contentType ? { "X-Object-Type": entry.contentType } : {}),
			},
			body: readFileSync(path.join(`${file}.objects`, entry.key)),
		});
		await response.body?.cancel();
		statuses.push(`${entry.key.split("/").at(-1)} ${response.status}`);
		if (!response.ok) break;
	}
	expect(statuses).toEqual(["raw 204", "meta.json 204", "text.txt 413"]);
}
