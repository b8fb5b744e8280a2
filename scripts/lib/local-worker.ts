import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare, supportedCompatibilityDate } from "miniflare";
import { createDb, type Db } from "../../src/factory";

const root = path.resolve(import.meta.dirname, "../..");

/** Bundles the Worker exactly as `wrangler deploy` would, without deploying. */
export function bundleWorker(outdir = path.join(root, ".wrangler", "bundle")): string {
	const run = spawnSync(
		path.join(root, "node_modules/.bin/wrangler"),
		["deploy", "--dry-run", "--outdir", outdir],
		{ cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
	const entry = path.join(outdir, "index.js");
	if (!existsSync(entry)) throw new Error(`no bundle at ${entry}`);
	return entry;
}

function vars(): Record<string, string> {
	const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
	const section = toml.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
	const out: Record<string, string> = {};
	for (const match of section.matchAll(/^([A-Z_]+)\s*=\s*"([^"]*)"/gm)) {
		if (match[1] && match[2] !== undefined) out[match[1]] = match[2];
	}
	return out;
}

export interface LocalWorker {
	url: string;
	db: Db;
	d1: D1Database;
	miniflare: Miniflare;
	dispose(): Promise<void>;
}

/**
 * Serves a bundled Worker from workerd through Miniflare's API (no wrangler dev
 * proxy in front), with a fresh in-memory D1 migrated like production.
 */
export async function startLocalWorker(
	options: { script: string; port?: number; bindings?: Record<string, string>; persist?: string | false } = {
		script: bundleWorker(),
	},
): Promise<LocalWorker> {
	const configured =
		readFileSync(path.join(root, "wrangler.toml"), "utf8").match(/compatibility_date\s*=\s*"([^"]+)"/)?.[1] ??
		supportedCompatibilityDate;
	// Miniflare 4's workerd may be a few months older than wrangler's: run the newest
	// date it knows when wrangler.toml asks for a newer one.
	const compatibilityDate = [configured, supportedCompatibilityDate].sort()[0] ?? configured;
	const miniflare = new Miniflare({
		modules: true,
		scriptPath: options.script,
		modulesRoot: path.dirname(options.script),
		...(compatibilityDate ? { compatibilityDate } : {}),
		d1Databases: { DB: "claimtrack-local" },
		...(options.persist ? { d1Persist: options.persist } : {}),
		bindings: { ...vars(), ...options.bindings },
		host: "127.0.0.1",
		port: options.port ?? 0,
	});
	const url = (await miniflare.ready).toString().replace(/\/$/, "");
	const d1 = (await miniflare.getD1Database("DB")) as unknown as D1Database;
	await applyMigrations(d1);
	return { url, db: createDb(d1), d1, miniflare, dispose: () => miniflare.dispose() };
}

/** Applies migrations/*.sql in order, statement by statement (as wrangler splits them). */
async function applyMigrations(d1: D1Database): Promise<void> {
	const dir = path.join(root, "migrations");
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith(".sql"))
		.sort()) {
		const statements = readFileSync(path.join(dir, file), "utf8")
			.split("--> statement-breakpoint")
			.map((s) => s.trim())
			.filter((s) => s.replace(/--[^\n]*\n?/g, "").trim() !== "");
		await d1.batch(statements.map((s) => d1.prepare(s)));
	}
}
