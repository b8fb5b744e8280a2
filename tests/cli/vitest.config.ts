import path from "node:path";
import { defineConfig } from "vitest/config";

/*
 * `npm run test:cli` (part of `npm test` and CI): the operator and import CLIs run as child
 * processes against a local D1 and a bundled Worker. They take most of a minute each, so they
 * are their own tier beside `vitest run` (the in-process suite) like the browser tests.
 */
export default defineConfig({
	root: path.resolve(import.meta.dirname, "../.."),
	test: {
		name: "cli",
		environment: "node",
		include: ["tests/cli/**/*.test.ts"],
		testTimeout: 300_000,
		hookTimeout: 300_000,
	},
});
