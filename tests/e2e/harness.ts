import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { devServerArgs } from "../../scripts/lib/dev-configs";

/**
 * The e2e harness: a fresh local D1 in a temp dir (migrated by wrangler, accounts made
 * by the operator CLI with the same --persist-to), `wrangler dev` on a free port, and
 * Debian's Chromium driven by playwright-core. Nothing is downloaded.
 */

export const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };

export const CHROMIUM_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-quic",
	"--no-first-run",
	"--disable-component-update",
	"--disable-sync",
];

export interface Login {
	email: string;
	password: string;
}

export interface Stack {
	baseUrl: string;
	dir: string;
	browser: Browser;
	accounts: Record<"checker" | "editor" | "admin", Login>;
	stop(): Promise<void>;
}

function run(command: string, args: string[]): string {
	const result = spawnSync(command, args, { cwd: root, encoding: "utf8", env });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
	return result.stdout;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function waitForHealth(url: string, dev: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}):\n${log()}`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`wrangler dev did not become healthy:\n${log()}`);
}

function createAccount(dir: string, role: string, name: string): Login {
	const email = `${role}@e2e.claimtrack.test`;
	const out = run(bin("tsx"), [
		"scripts/user.ts",
		"add",
		"--email",
		email,
		"--role",
		role,
		"--name",
		name,
		"--persist-to",
		dir,
	]);
	const password = /password: (\S+)/.exec(out)?.[1];
	if (!password) throw new Error(`no password in:\n${out}`);
	return { email, password };
}

/** An API token made by the operator CLI in the stack's D1 (printed once). */
export function createToken(dir: string, email: string, scopes: string): string {
	const out = run(bin("tsx"), [
		"scripts/token.ts",
		"add",
		"--email",
		email,
		"--name",
		`e2e ${Date.now()}`,
		"--scopes",
		scopes,
		"--persist-to",
		dir,
	]);
	const token = /\b(ct_[A-Za-z0-9_-]+)/.exec(out)?.[1];
	if (!token) throw new Error(`no token in:\n${out}`);
	return token;
}

/** `wrangler dev` on `port` with the stack's D1 (`dir`), its configurations' copies in `dir` too. */
function startDev(dir: string, port: number, vars: string[]) {
	const dev = spawn(
		bin("wrangler"),
		[
			"dev",
			"--port",
			String(port),
			"--ip",
			"127.0.0.1",
			"--persist-to",
			dir,
			// Both Workers; absolute links come from PUBLIC_URL (never the Host header): this port's.
			...devServerArgs(
				{
					PUBLIC_URL: `http://localhost:${port}`,
					...Object.fromEntries(vars.map((v) => [v.slice(0, v.indexOf(":")), v.slice(v.indexOf(":") + 1)])),
				},
				path.join(dir, "configs"),
			),
			"--show-interactive-dev-session=false",
		],
		{ cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
	);
	// Listened for from the start: an exit before `stop` asks for it is not missed.
	const exited = new Promise<void>((resolve) => dev.once("exit", () => resolve()));
	let output = "";
	dev.stdout?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	dev.stderr?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	return { dev, exited, output: () => output };
}

/** Whether a process of the group `pid` leads is still running. */
function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Ends the dev server and its own children (workerd shares its process group), and waits until
 * they are gone: workerd writes its D1 and caches as it shuts down, and a folder removed before
 * that was made again under the temp directory. SIGKILL after 15 s.
 */
async function stopDev(dev: ChildProcess, exited: Promise<void>): Promise<void> {
	const pid = dev.pid;
	if (!pid) return;
	const signal = (name: NodeJS.Signals) => {
		try {
			process.kill(-pid, name);
		} catch {
			// Already gone.
		}
	};
	signal("SIGTERM");
	const deadline = Date.now() + 15_000;
	const gone = async () => {
		await exited;
		while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
	};
	await Promise.race([gone(), new Promise((r) => setTimeout(r, 15_000))]);
	if (groupAlive(pid) || dev.exitCode === null) {
		signal("SIGKILL");
		await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
	}
}

/**
 * `vars`: extra `NAME:value` variables for both Workers (e.g. ALLOW_LOOPBACK_OUTBOUND:true).
 * Everything the stack writes is in one temp folder (its D1, the configurations' copies with
 * their `.dev.vars`), removed when it stops, or when it fails to start, once the dev server is
 * gone: a run's folders piled up in the temp directory, the pepper with them.
 */
export async function startStack(options: { vars?: string[] } = {}): Promise<Stack> {
	const dir = mkdtempSync(path.join(tmpdir(), "claimtrack-e2e-"));
	let dev: ReturnType<typeof startDev> | undefined;
	let browser: Browser | undefined;
	const end = async () => {
		try {
			await browser?.close();
		} finally {
			if (dev) await stopDev(dev.dev, dev.exited);
			rmSync(dir, { recursive: true, force: true });
		}
	};
	try {
		run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir]);
		const accounts = {
			checker: createAccount(dir, "checker", "Chris Checker"),
			editor: createAccount(dir, "editor", "Edith Editor"),
			admin: createAccount(dir, "admin", "Ada Admin"),
		};
		const port = await freePort();
		dev = startDev(dir, port, options.vars ?? []);
		await waitForHealth(`http://127.0.0.1:${port}`, dev.dev, dev.output);
		browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
		// localhost, not 127.0.0.1: a secure context for the browser, so the __Host- cookie sticks.
		return { baseUrl: `http://localhost:${port}`, dir, browser, accounts, stop: end };
	} catch (error) {
		// The start's own error is the one to see, not one of the cleanup's.
		await end().catch(() => undefined);
		throw error;
	}
}

const AXE_SOURCE = readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[]; html: string }[];
}

/**
 * axe-core on the page as it is, with the page's CSP in force: the source is evaluated
 * through the DevTools protocol (page.evaluate), which CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
	const loaded = await page.evaluate(
		() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined",
	);
	if (!loaded) await page.evaluate(AXE_SOURCE);
	return page.evaluate(async () => {
		const axe = (
			window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }
		).axe;
		const result = await axe.run(document);
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
		}));
	});
}

export function describeViolations(url: string, violations: AxeViolation[]): string {
	return violations
		.map(
			(v) =>
				`${url}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}  ${n.html}`).join("\n")}`,
		)
		.join("\n");
}

/** A browser context of its own, signed in to the desk as `who` (closed with the stack's browser). */
export async function signedIn(stack: Stack, who: Login): Promise<Page> {
	const context = await stack.browser.newContext();
	const page = await context.newPage();
	await page.goto(`${stack.baseUrl}/desk/login`);
	await page.getByLabel("Email address").fill(who.email);
	await page.getByLabel("Password").fill(who.password);
	await Promise.all([
		page.waitForURL(`${stack.baseUrl}/desk`),
		page.getByRole("button", { name: "Log in" }).click(),
	]);
	return page;
}
