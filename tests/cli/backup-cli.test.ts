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
import { sha256Hex } from "../../src/domain/ids";
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
