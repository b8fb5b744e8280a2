import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run test:e2e`: Debian's Chromium against `wrangler dev` on a fresh local D1.
export default defineConfig({
	root: path.resolve(import.meta.dirname, "../.."),
	test: {
		name: "e2e",
		environment: "node",
		include: ["tests/e2e/**/*.e2e.ts"],
		testTimeout: 300_000,
		hookTimeout: 300_000,
		fileParallelism: false,
	},
});
