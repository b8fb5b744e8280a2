import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/*
 * `npm start` as a process of its own (tests/node/dev-vars.test.ts reads what its Workers
 * get in-process). Child processes each load tsx and the dev-configs module: in the CLI tier
 * with the other CLIs run as processes, not in `vitest run` (17 s of the suite's CPU with
 * import-conflicts' CLI runs).
 */

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project directory of its own. */
function project(): string {
	const dir = mkdtempSync(path.join(tmpdir(), "claimtrack-project-"));
	dirs.push(dir);
	return dir;
}

/*
 * `npm start` ends with runDevServer over devServerArgs' copies, as here; a stand-in for
 * wrangler prints the copies' directory and what its `.dev.vars` holds, then exits (with
 * FAKE_EXIT) or waits for a signal, as `wrangler dev` does.
 */
const root = path.resolve(import.meta.dirname, "../..");
const FAKE_WRANGLER = `
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
const dir = path.dirname(process.argv[process.argv.indexOf("-c") + 1]);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
	process.on(signal, () => { console.log("stopped by " + signal); process.exit(0); });
console.log(JSON.stringify({ dir, existed: existsSync(dir), devVars: readFileSync(path.join(dir, ".dev.vars"), "utf8") }));
if (process.env.FAKE_EXIT) process.exit(Number(process.env.FAKE_EXIT));
setInterval(() => {}, 1000);
`;

/** `npm start`'s last step in a process of its own; `signal` is sent once the stand-in runs. */
function runStart(options: { signal?: NodeJS.Signals; fakeExit?: string }) {
	const dir = project();
	writeFileSync(path.join(dir, "fake-wrangler.mjs"), FAKE_WRANGLER);
	writeFileSync(
		path.join(dir, "start.mts"),
		`import { devServerArgs, runDevServer } from ${JSON.stringify(path.join(root, "scripts/lib/dev-configs.ts"))};
runDevServer(["dev", ...devServerArgs({ PASSWORD_PEPPER: "local-pepper" })], [process.execPath, ${JSON.stringify(path.join(dir, "fake-wrangler.mjs"))}]);
`,
	);
	const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, "start.mts")], {
		cwd: root,
		env: { ...process.env, FAKE_EXIT: options.fakeExit ?? "" },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	let running: { dir: string; devVars: string; existed: boolean } | undefined;
	child.stdout.on("data", (chunk: Buffer) => {
		stdout += chunk.toString("utf8");
		const line = stdout.split("\n").find((text) => text.startsWith("{"));
		if (!running && line) {
			// Whether the copies were there is the stand-in's to say, while it runs: read here, after
			// a stand-in that exits at once, its folder may be gone already (CI saw existed: false).
			const seen = JSON.parse(line) as { dir: string; devVars: string; existed: boolean };
			dirs.push(seen.dir);
			running = seen;
			if (options.signal) child.kill(options.signal);
		}
	});
	child.stderr.on("data", (chunk: Buffer) => {
		stderr += chunk.toString("utf8");
	});
	return new Promise<{ code: number | null; stdout: string; stderr: string; running: typeof running }>(
		(resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, running })),
	);
}

describe("npm start leaves no copy of its configurations behind", () => {
	it("removes the copies and their .dev.vars (the pepper) when wrangler dev exits", async () => {
		const run = await runStart({ fakeExit: "3" });
		expect(run.running, run.stderr).toMatchObject({
			existed: true,
			devVars: expect.stringContaining("local-pepper"),
		});
		expect(run.code).toBe(3);
		expect(existsSync(run.running?.dir ?? ""), `${run.running?.dir} is still there`).toBe(false);
	});

	it("on Ctrl-C, SIGTERM and SIGHUP: passed to wrangler dev, then the copies go", async () => {
		for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
			const run = await runStart({ signal });
			expect(run.running?.existed, `${signal}: ${run.stderr}`).toBe(true);
			expect(run.stdout, signal).toContain(`stopped by ${signal}`);
			expect(run.code, signal).toBe(0);
			expect(existsSync(run.running?.dir ?? ""), `${signal}: ${run.running?.dir} is still there`).toBe(false);
		}
	});
});
