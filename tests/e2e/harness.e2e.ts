import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startStack } from "./harness";

/**
 * The harness's own folders: the stack's D1 (`claimtrack-e2e-…`) and the copies of both
 * wrangler files with a `.dev.vars` holding every variable given, PASSWORD_PEPPER among them
 * (`claimtrack-dev-…`, scripts/lib/dev-configs). Each run of the suite left four of the latter
 * in the temp directory, as the copies were removed only when the process that made them
 * exited (vitest ends its workers without an exit event), and a stack's D1 came back after
 * its removal, written by workerd as it shut down.
 *
 * Each test runs the harness with a temp directory of its own (TMPDIR, which os.tmpdir()
 * reads at each call; the dev server's processes keep the suite's), so what is left there is
 * the harness's, whatever other runs do in the shared one meanwhile.
 */
async function leftBehind(use: () => Promise<void>): Promise<string[]> {
	const shared = tmpdir();
	const own = mkdtempSync(path.join(shared, "claimtrack-harness-check-"));
	const before = process.env.TMPDIR;
	process.env.TMPDIR = own;
	try {
		await use();
		return readdirSync(own);
	} finally {
		if (before === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = before;
		rmSync(own, { recursive: true, force: true });
	}
}

describe("the e2e harness", () => {
	it("leaves no folder in the temp directory once its stack stops", async () => {
		const left = await leftBehind(async () => {
			const stack = await startStack();
			try {
				expect(existsSync(stack.dir)).toBe(true);
				expect((await fetch(`${stack.baseUrl}/healthz`)).ok).toBe(true);
			} finally {
				await stack.stop();
			}
		});
		expect(left).toEqual([]);
	});

	it("leaves none when its stack fails to start", async () => {
		const left = await leftBehind(async () => {
			// A value no .dev.vars can hold as it is: the copies' variables are refused.
			await expect(startStack({ vars: ['E2E_BROKEN:it\'s "quoted" `thrice`'] })).rejects.toThrow(
				/\.dev\.vars cannot hold this value/,
			);
		});
		expect(left).toEqual([]);
	});
});
