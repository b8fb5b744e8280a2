import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unstable_getVarsForDev } from "wrangler";

const root = path.resolve(import.meta.dirname, "../..");

/** wrangler.toml first: the Worker `wrangler dev` serves on its port; the desk Worker runs behind it. */
const CONFIGS = ["wrangler.toml", "wrangler.desk.toml"];

/**
 * The copies' directories this process made (devServerArgs), removed when it exits: each holds
 * a `.dev.vars` with the variables given, PASSWORD_PEPPER among them, and one a run piled up
 * in the temp directory. `exit` runs on process.exit, an empty event loop and an uncaught
 * error; a signal ends `npm start` through runDevServer's process.exit. Only SIGKILL leaves one.
 */
const madeDirs = new Set<string>();
let removingOnExit = false;

function removeMadeDirs(): void {
	for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
	madeDirs.clear();
}

/**
 * `wrangler dev` arguments that run both Workers in one process with extra variables.
 * Wrangler gives `--var` and `--env-file` to the first Worker only, while a `.dev.vars`
 * beside a configuration file reaches its Worker: so both files are copied into a
 * directory of their own (their paths made absolute) with one `.dev.vars` for both.
 * State stays in `.wrangler/state` of the project (where the scripts read it) unless
 * the caller passes `--persist-to` itself. The directory is removed when this process exits;
 * `into`, a directory the caller removes itself, is used instead: a test runner's worker (the
 * e2e harness's) is ended without an exit event, and left one folder with the pepper each run.
 */
export function devServerArgs(vars: Record<string, string>, into?: string): string[] {
	const dir = into ?? mkdtempSync(path.join(tmpdir(), "claimtrack-dev-"));
	if (into) mkdirSync(into, { recursive: true });
	else {
		madeDirs.add(dir);
		if (!removingOnExit) {
			process.on("exit", removeMadeDirs);
			removingOnExit = true;
		}
	}
	const args: string[] = [];
	for (const file of CONFIGS) {
		const text = readFileSync(path.join(root, file), "utf8").replace(
			/^(main|migrations_dir)\s*=\s*"([^"]+)"/gm,
			(_line, key: string, value: string) => `${key} = ${JSON.stringify(path.join(root, value))}`,
		);
		writeFileSync(path.join(dir, file), text);
		args.push("-c", path.join(dir, file));
	}
	const lines = Object.entries(vars).map(([name, value]) => devVarsLine(name, value));
	writeFileSync(path.join(dir, ".dev.vars"), `${lines.join("\n")}\n`);
	return args;
}

/**
 * Runs `wrangler dev` (`args` from "dev" on) in the foreground and exits with its code. Ctrl-C,
 * SIGTERM and SIGHUP are passed to wrangler, which stops its Workers; this process waits for
 * that and then exits, removing the configurations' copies (devServerArgs) on the way: a
 * signal's default would end it at once and leave them. `command` stands in for wrangler in
 * tests.
 */
export function runDevServer(args: readonly string[], command: readonly string[] = ["wrangler"]): void {
	const [bin = "wrangler", ...before] = command;
	const dev = spawn(bin, [...before, ...args], {
		stdio: "inherit",
		env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
	});
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => dev.kill(signal));
	dev.on("error", (error) => {
		console.error(`Could not run ${bin}: ${error.message}`);
		process.exit(1);
	});
	dev.on("exit", (code) => process.exit(code ?? 0));
}

/**
 * A `.dev.vars` line wrangler reads back as exactly `value`: in single quotes or backticks its
 * dotenv keeps every character as it is; in double quotes it turns `\n` and `\r` into line
 * breaks and keeps the rest. JSON's double quotes (written before) escape a backslash and a
 * double quote, which that reading keeps escaped: a pepper with either reached the Workers
 * changed, and no login hashed with it matched.
 */
function devVarsLine(name: string, value: string): string {
	const quote = ["'", "`", '"'].find(
		(mark) => !value.includes(mark) && (mark !== '"' || !/\\[nr]/.test(value)),
	);
	if (quote === undefined) throw new Error(`${name}: .dev.vars cannot hold this value as it is.`);
	return `${name}=${quote}${value}${quote}`;
}

/** The port `npm start` serves on: `PORT`, else wrangler dev's 8787. */
export function devPort(env: NodeJS.ProcessEnv = process.env): string {
	return env.PORT?.trim() || "8787";
}

/**
 * The variables `npm start` gives both dev Workers (through `devServerArgs`): the project's
 * `.dev.vars` (else `.env`, `.env.local`) as wrangler reads it, then PASSWORD_PEPPER from the
 * environment where those set none, and `--var` (`passed`) over both. The copied
 * configurations read only the `.dev.vars` beside them, so a pepper in the project's never
 * reached the Workers, nor did one in the environment (wrangler does not pass it on); yet
 * `PASSWORD_PEPPER=x npm start` hashed its admin with x, and the login it printed failed. The
 * order is the CLIs' (scripts/lib/cli `withLocal`: the file's, else the environment's), so
 * `npm run user` accounts log in too; `npm start` hashes its admin with this PASSWORD_PEPPER.
 * PUBLIC_URL is the address it serves on (`PORT`) unless a file or `--var` sets one:
 * wrangler.toml's `http://localhost:8787` put every absolute link on 8787 with `PORT=18787`.
 */
export function devVars(
	passed: Record<string, string>,
	env: NodeJS.ProcessEnv = process.env,
	projectDir: string = root,
): Record<string, string> {
	const read = unstable_getVarsForDev(path.join(projectDir, "wrangler.toml"), undefined, {}, undefined, true);
	const files: Record<string, string> = {};
	for (const [name, binding] of Object.entries(read)) {
		const value = (binding as { value?: unknown }).value;
		if (typeof value === "string") files[name] = value;
	}
	const pepper = files.PASSWORD_PEPPER ?? env.PASSWORD_PEPPER;
	return {
		PUBLIC_URL: `http://localhost:${devPort(env)}`,
		...files,
		...(pepper === undefined ? {} : { PASSWORD_PEPPER: pepper }),
		...passed,
	};
}
