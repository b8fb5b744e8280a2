import { readFile } from "node:fs/promises";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));

/*
 * The test Worker's global fetch() (Miniflare's outboundService, run here in Node):
 * https://news.example/<file> serves tests/fixtures/articles-html/<file> as text/html
 * without a charset (pages declare theirs), /moved/<file> redirects there, and any
 * other host gets a 502, so tests never touch the network.
 */
async function serveFixture(request: { url: string }): Promise<Response> {
	const url = new URL(request.url);
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

export default defineConfig({
	test: {
		// Vitest's default on 2 cores is one worker; test files spend most of their time
		// waiting on workerd and D1: two side by side took the suite from 338 s to 258 s here.
		maxWorkers: 2,
		projects: [
			{
				plugins: [
					cloudflareTest({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: {
							bindings: { TEST_MIGRATIONS: migrations, PUBLIC_URL: "http://claimtrack.test" },
							outboundService: serveFixture,
						},
					}),
				],
				test: {
					name: "workers",
					include: ["tests/unit/**/*.test.ts", "tests/api/**/*.test.ts", "tests/desk/**/*.test.ts"],
					setupFiles: ["./tests/apply-migrations.ts"],
				},
			},
			{
				test: {
					name: "node",
					environment: "node",
					include: ["tests/node/**/*.test.ts"],
					testTimeout: 120_000,
				},
			},
		],
	},
});
