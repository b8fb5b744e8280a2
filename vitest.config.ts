import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));

export default defineConfig({
	test: {
		projects: [
			{
				plugins: [
					cloudflareTest({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: {
							bindings: { TEST_MIGRATIONS: migrations, PUBLIC_URL: "http://claimtrack.test" },
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
