import { afterEach, describe, expect, it, vi } from "vitest";
import { logBackgroundFailure } from "../../src/lib/background-work";

describe("background bookkeeping that fails", () => {
	afterEach(() => vi.restoreAllMocks());

	it("is caught, so the answer stands, and logged as one JSON line naming what failed", async () => {
		const logged = vi.spyOn(console, "error").mockImplementation(() => {});
		const sweep = Promise.reject(new Error("D1_ERROR: database is locked"));
		await expect(sweep.catch(logBackgroundFailure("idempotency-sweep-failed"))).resolves.toBeUndefined();
		expect(logged).toHaveBeenCalledTimes(1);
		expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toEqual({
			event: "idempotency-sweep-failed",
			error: "Error: D1_ERROR: database is locked",
		});
	});
});
