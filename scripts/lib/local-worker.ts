import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare, supportedCompatibilityDate } from "miniflare";
import { createDb, type Db } from "../../src/factory";
import { DESK_CALLER_PROPS } from "../../src/lib/desk-caller";

const root = path.resolve(import.meta.dirname, "../..");

/** The two Workers' bundles, as `wrangler deploy` makes them (README, "Two Workers"). */
export interface WorkerBundles {
	/** wrangler.toml: the public Worker, the one requests reach. */
	public: string;
	/** wrangler.desk.toml: the desk Worker behind it. */
	desk: string;
}

function bundleOne(config: string, outdir: string): string {
	const run = spawnSync(
		path.join(root, "node_modules/.bin/wrangler"),
		["deploy", "--dry-run", "--outdir", outdir, "-c", config],
		{ cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	if (run.status !== 0)
		throw new Error(`wrangler deploy --dry-run -c ${config} failed:\n${run.stdout}\n${run.stderr}`);
	const entry = readdirSync(outdir).find((file) => file.endsWith(".js"));
	if (!entry) throw new Error(`no bundle in ${outdir}`);
	return path.join(outdir, entry);
}

/** Bundles both Workers exactly as `wrangler deploy` would, without deploying. */
export function bundleWorker(outdir = path.join(root, ".wrangler", "bundle")): WorkerBundles {
	return {
		public: bundleOne("wrangler.toml", path.join(outdir, "public")),
		desk: bundleOne("wrangler.desk.toml", path.join(outdir, "desk")),
	};
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
	/**
	 * The public Worker without Miniflare's entry Worker in front: production has no such
	 * JavaScript proxy copying every request's and answer's headers.
	 */
	directUrl: string;
	db: Db;
	d1: D1Database;
	miniflare: Miniflare;
	dispose(): Promise<void>;
}

/**
 * wrangler.toml's compatibility date, or the newest Miniflare's workerd knows when that is
 * older than wrangler's (the bench runs its control Workers on the same date).
 */
export function localCompatibilityDate(): string {
	const configured =
		readFileSync(path.join(root, "wrangler.toml"), "utf8").match(/compatibility_date\s*=\s*"([^"]+)"/)?.[1] ??
		supportedCompatibilityDate;
	return [configured, supportedCompatibilityDate].sort()[0] ?? configured;
}

/**
 * Serves both bundled Workers from workerd through Miniflare's API (no wrangler dev
 * proxy in front): the public one on the port, the desk one behind its service binding,
 * sharing a fresh in-memory D1 migrated like production.
 */
export async function startLocalWorker(
	options: {
		scripts: WorkerBundles;
		port?: number;
		bindings?: Record<string, string>;
		persist?: string | false;
	} = { scripts: bundleWorker() },
): Promise<LocalWorker> {
	const compatibilityDate = localCompatibilityDate();
	const shared = {
		modules: true,
		compatibilityDate,
		d1Databases: { DB: "claimtrack-local" },
		// The evidence archive, in memory like the database (the backup CLI's tests read it).
		r2Buckets: { ARCHIVE: "claimtrack-archive" },
		bindings: { ...vars(), ...options.bindings },
	};
	const miniflare = new Miniflare({
		...(options.persist ? { d1Persist: options.persist } : {}),
		host: "127.0.0.1",
		port: options.port ?? 0,
		workers: [
			{
				...shared,
				name: "claimtrack",
				scriptPath: options.scripts.public,
				modulesRoot: path.dirname(options.scripts.public),
				serviceBindings: { DESK: "claimtrack-desk" },
				// The same Worker on a second port without Miniflare's entry Worker in front (the bench).
				unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
			},
			{
				...shared,
				name: "claimtrack-desk",
				scriptPath: options.scripts.desk,
				modulesRoot: path.dirname(options.scripts.desk),
				serviceBindings: { PUBLIC: { name: "claimtrack", props: DESK_CALLER_PROPS } },
			},
		],
	});
	const url = (await miniflare.ready).toString().replace(/\/$/, "");
	const directUrl = (await miniflare.unsafeGetDirectURL("claimtrack")).toString().replace(/\/$/, "");
	const d1 = (await miniflare.getD1Database("DB")) as unknown as D1Database;
	await applyMigrations(d1);
	return { url, directUrl, db: createDb(d1), d1, miniflare, dispose: () => miniflare.dispose() };
}

/** The statements of migrations/*.sql in order, split as wrangler splits them. */
export function migrationStatements(): string[] {
	const dir = path.join(root, "migrations");
	return readdirSync(dir)
		.filter((f) => f.endsWith(".sql"))
		.sort()
		.flatMap((file) =>
			readFileSync(path.join(dir, file), "utf8")
				.split("--> statement-breakpoint")
				.map((s) => s.trim())
				.filter((s) => s.replace(/--[^\n]*\n?/g, "").trim() !== ""),
		);
}

/** Applies every migration, in one batch (a fresh database: nothing to resume). */
async function applyMigrations(d1: D1Database): Promise<void> {
	await d1.batch(migrationStatements().map((s) => d1.prepare(s)));
}
