import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

/*
 * Miniflare's `kCurrentWorker` (a binding to the Worker it is declared in), spelt as
 * Miniflare defines it: importing miniflare here breaks knip's loading of this file.
 */
const kCurrentWorker = Symbol.for("miniflare.kCurrentWorker");

/*
 * Miniflare keeps each test runtime's D1, R2, cache and rate-limit storage as SQLite files
 * under os.tmpdir(). On this machine /tmp is the disk, and every D1 write's journal sync
 * waited on it; in memory (Linux's /dev/shm) the suite ran in 124 s instead of 140 s here.
 * The files are thrown away with each runtime, so memory loses nothing. Without /dev/shm
 * (or with TMPDIR set by the caller) the default stands.
 */
function useMemoryTmpdir(): void {
	if (process.env.TMPDIR) return;
	try {
		accessSync("/dev/shm", constants.W_OK);
		process.env.TMPDIR = "/dev/shm";
	} catch {
		// No writable /dev/shm: the disk's tmp directory, slower but the same.
	}
}
useMemoryTmpdir();

const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));

/*
 * The test Worker's global fetch() (Miniflare's outboundService, run here in Node):
 * https://news.example/<file> serves tests/fixtures/articles-html/<file> as text/html
 * without a charset (pages declare theirs), /moved/<file> redirects there, and any
 * other host gets a 502, so tests never touch the network; https://hooks.example/ok,
 * /gone and anything else answer webhooks with 204, 410 and 500; web.archive.org plays
 * Save Page Now; files.example/report.pdf is a PDF and any other path there is 410 Gone.
 */
async function serveFixture(request: { url: string }): Promise<Response> {
	const url = new URL(request.url);
	if (url.hostname === "hooks.example") return webhookReceiver(url.pathname);
	if (url.hostname === "web.archive.org") return savePageNow(url);
	if (url.hostname === "files.example") return evidenceFile(url.pathname);
	if (url.hostname !== "news.example")
		return new Response(`No network in tests (${url.host}).`, { status: 502 });
	const moved = /^\/moved\/([\w.-]+)$/.exec(url.pathname);
	if (moved) return new Response(null, { status: 301, headers: { Location: `/${moved[1]}` } });
	const file = /^\/(\w[\w.-]*\.(?:html|php))$/.exec(url.pathname)?.[1];
	const fixtures = path.join(import.meta.dirname, "tests/fixtures/articles-html");
	const body = file === undefined ? null : await readFile(path.join(fixtures, file)).catch(() => null);
	return body === null
		? new Response("Not found", { status: 404 })
		: new Response(new Uint8Array(body), { headers: { "Content-Type": "text/html" } });
}

/* The Internet Archive's Save Page Now as it answers a GET: a redirect to the new capture. */
function savePageNow(url: URL): Response {
	const saved = /^\/save\/(https?:\/\/.+)$/.exec(`${url.pathname}${url.search}`);
	if (saved) {
		return new Response(null, { status: 302, headers: { Location: `/web/20261204120000/${saved[1]}` } });
	}
	if (url.pathname.startsWith("/web/"))
		return new Response("<html><body>capture</body></html>", { headers: { "Content-Type": "text/html" } });
	return new Response("Not found", { status: 404 });
}

/* Evidence that is not a web page: a PDF report, and an address that is gone. */
function evidenceFile(pathname: string): Response {
	if (pathname === "/report.pdf") {
		return new Response("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", {
			headers: { "Content-Type": "application/pdf" },
		});
	}
	return new Response("gone", { status: 410 });
}

/* A webhook receiver for the queue consumer running in the test pool: the path says how it answers. */
function webhookReceiver(pathname: string): Response {
	if (pathname.startsWith("/ok")) return new Response(null, { status: 204 });
	if (pathname.startsWith("/gone")) return new Response("gone", { status: 410 });
	return new Response("receiver error", { status: 500 });
}

/*
 * Unit tests of pure modules (no D1, HTMLRewriter, Cache API or cloudflare:test) run in
 * Node: no workerd to start and no migrations to apply per file. A test that starts to
 * need a Workers API belongs in the workers project again (drop it from this list).
 */
const PURE_UNIT_TESTS = [
	"atom-feed",
	"cache-tags",
	"badge",
	"canonical-url",
	"claim-matching",
	"claim-status",
	"diacritics",
	"fingerprint",
	"typography",
	"create-db",
	"match-count",
	"ids",
	"properties",
	"ratings",
	"slug",
	"speaker-matching",
	"standard-webhooks",
	"stemming",
	"search-terms",
	"numbers",
	"evidence-domain",
	"attribution",
	"claim-review",
	"review-attribution",
	"deployment-settings",
	"sitemap",
	"extraction",
	"extraction-linear",
	"extraction-noise",
	"language-tags",
	"background-work",
	"html-text",
	"plain-text",
	"stream-safe",
	"trailing-runs",
	"word-diff",
].map((name) => `tests/unit/${name}.test.ts`);

/*
 * Every workers test file starts a fresh runtime that loads the app module by module
 * over a socket; hono, zod and drizzle alone are hundreds of modules. Pre-bundling the
 * packages the code imports (Vitest's dependency optimizer) cut that start-up by a
 * third here. The list is read from the imports, so a new import is bundled too: a
 * package left out would load unbundled beside the bundled copy, two copies of its
 * classes (an `instanceof HTTPException` that fails).
 */
function packageImports(dirs: string[]): string[] {
	// hono/jsx's runtimes are imported by the compiled JSX (tsconfig jsxImportSource).
	const found = new Set(["hono/jsx/jsx-runtime", "hono/jsx/jsx-dev-runtime"]);
	for (const dir of dirs) {
		for (const file of readdirSync(path.join(import.meta.dirname, dir), { recursive: true })) {
			if (typeof file !== "string" || !/\.tsx?$/.test(file)) continue;
			const text = readFileSync(path.join(import.meta.dirname, dir, file), "utf8");
			for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"([^".][^"]*)"/gm)) {
				const specifier = match[1] ?? "";
				if (/^(?:vitest|cloudflare:|node:|workerd:)/.test(specifier)) continue;
				found.add(specifier);
			}
		}
	}
	// Only what Node resolves from node_modules (a typo or a types-only package would stop every run).
	return [...found].sort().filter((specifier) => {
		try {
			return import.meta.resolve(specifier).includes("/node_modules/");
		} catch {
			return false;
		}
	});
}

const WORKERS_TESTS = ["tests/unit/**/*.test.ts", "tests/api/**/*.test.ts", "tests/desk/**/*.test.ts"];

/*
 * Vitest inlines each module's source map into the code it sends a runtime (base64, about as
 * large as the code), and each runtime of the suite parses all of it: with 15 runtimes that was
 * a tenth of the suite's CPU (session 29: 350 s → 317 s of CPU, 188 s → 167 s, `npx vitest run`
 * on a quiet machine). The app's and the packages' modules go without maps; the tests' keep
 * theirs, so a failed assertion still names its line. Set VITEST_SOURCE_MAPS=1 for stack traces
 * into src/ by their lines when debugging.
 */
const withoutSourceMaps = {
	name: "claimtrack-no-source-maps",
	enforce: "post" as const,
	transform(code: string, id: string) {
		if (process.env.VITEST_SOURCE_MAPS || id.includes("/tests/")) return undefined;
		return { code, map: { mappings: "" } };
	},
};

/*
 * Workers test files run in one shared runtime per worker (`isolate: false`): a fresh
 * runtime per file cost 1.5 to 4 s of start-up each (the app loads module by module over a
 * socket). Files that count, empty or break a whole database call useOwnDatabase()
 * (tests/own-database.ts): they start from an empty, migrated database in the shared
 * runtime (0.2 s) instead of a runtime of their own (until session 30: 14 such runtimes).
 * Files that reach a database only through the store take an empty D1 binding of their own
 * (MIGRATION_DB, SEED_DB, …). Sharing also found a defect isolation hid: the speakers page
 * failed past 100 speakers.
 *
 * Query plans fills its database with 100,000 claims, and emptying that again took 22 s (D1
 * keeps foreign keys on): it has a binding of its own (PLANS_DB) that nothing empties. Until
 * session 34 it had a runtime of its own instead, which Vitest started after the shared one
 * had finished: 8 to 10 s at the end of every run with one core idle.
 */

function workersProject() {
	return {
		plugins: [
			withoutSourceMaps,
			cloudflareTest({
				// Both Workers in one (tests/worker.ts), with the desk Worker's bindings:
				// a superset of the public Worker's (tests/node/wrangler-configs.test.ts).
				main: "./tests/worker.ts",
				wrangler: { configPath: "./wrangler.desk.toml" },
				miniflare: {
					serviceBindings: {
						DESK: { name: kCurrentWorker, entrypoint: "DeskWorker" },
						// src/lib/desk-caller DESK_CALLER_PROPS, as wrangler.desk.toml gives them
						// (not imported: Vite loads this file natively).
						PUBLIC: { name: kCurrentWorker, props: { caller: "desk" } },
					},
					// The tests' deployment is a newsroom in Berlin (the shipped files say UTC):
					// days and times cross midnight there, and the desk names the zone CET or MEZ.
					bindings: {
						TEST_MIGRATIONS: migrations,
						PUBLIC_URL: "http://claimtrack.test",
						NEWSROOM_TIME_ZONE: "Europe/Berlin",
					},
					// Empty databases, each one file's own (tests/env.d.ts), so that file runs in
					// the shared runtime yet counts or fills a whole database no other file touches:
					// migrations applied to data, the restore of a backup, the demo seed, and
					// whole-table checks of refused writes, and query plans at 100,000 claims.
					d1Databases: ["MIGRATION_DB", "RESTORED_DB", "SEED_DB", "CONSTRAINTS_DB", "PLANS_DB"],
					// A second, empty archive: the backup round trip restores into it.
					r2Buckets: ["RESTORED_ARCHIVE"],
					outboundService: serveFixture,
				},
			}),
		],
		test: {
			name: "workers",
			include: WORKERS_TESTS,
			exclude: [...configDefaults.exclude, ...PURE_UNIT_TESTS],
			isolate: false,
			setupFiles: ["./tests/apply-migrations.ts", "./tests/quiet-webhooks.ts"],
			deps: {
				optimizer: {
					ssr: {
						enabled: true,
						include: packageImports(["src", "tests/api", "tests/desk", "tests/unit"]),
					},
				},
			},
			// Generous limits, not speed claims: on a loaded 2-core machine a test that
			// takes 1 s alone may take many times that beside two other test runs.
			testTimeout: 60_000,
			hookTimeout: 60_000,
		},
	};
}

export default defineConfig({
	test: {
		// Vitest's default on 2 cores is one worker; test files spend most of their time
		// waiting on workerd and D1: two side by side took the suite from 338 s to 258 s here,
		// and three (session 22, on 3,108 tests) from 159 s to 136 s; four took 169 s.
		maxWorkers: 3,
		projects: [
			workersProject(),
			{
				test: {
					name: "node",
					environment: "node",
					include: ["tests/node/**/*.test.ts", ...PURE_UNIT_TESTS],
					// One process per worker for these files, not one per file: each fresh process
					// re-imported the extraction lexicon and zod, 28 s of a 30 s project here.
					isolate: false,
					testTimeout: 120_000,
				},
			},
		],
	},
});
