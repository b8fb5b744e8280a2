import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("schema and migrations", () => {
	it("agree: drizzle-kit finds nothing to generate", () => {
		// drizzle-kit wants a path relative to the project; .wrangler/ is ignored by git.
		mkdirSync(path.join(root, ".wrangler"), { recursive: true });
		const out = mkdtempSync(path.join(root, ".wrangler", "drift-"));
		try {
			cpSync(path.join(root, "migrations"), out, { recursive: true });
			const before = readdirSync(out).sort();
			const run = spawnSync(
				path.join(root, "node_modules/.bin/drizzle-kit"),
				[
					"generate",
					"--dialect",
					"sqlite",
					"--schema",
					"src/db/schema.ts",
					"--out",
					path.relative(root, out),
				],
				{ cwd: root, encoding: "utf8" },
			);
			const log = `${run.stdout}\n${run.stderr}`;
			expect(run.status, log).toBe(0);
			expect(readdirSync(out).sort(), `drizzle-kit wrote a migration:\n${log}`).toEqual(before);
			expect(log).toMatch(/No schema changes/);
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	});
});
