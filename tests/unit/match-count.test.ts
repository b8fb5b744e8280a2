import { describe, expect, it } from "vitest";
import { estimateMatchCount, roughly } from "../../src/domain/match-count";

describe("roughly", () => {
	it("keeps two significant digits, and small numbers whole", () => {
		expect(roughly(0)).toBe(0);
		expect(roughly(7)).toBe(7);
		expect(roughly(99.4)).toBe(99);
		expect(roughly(123)).toBe(120);
		expect(roughly(33_334)).toBe(33_000);
		expect(roughly(8_351)).toBe(8_400);
		expect(roughly(996)).toBe(1_000);
	});
});

describe("estimateMatchCount", () => {
	it("counts exactly when the window holds every match", () => {
		expect(estimateMatchCount({ inWindow: 37, kept: 12, oldest: 5, first: 1, last: 900 }, 200)).toEqual({
			count: 12,
			exact: true,
		});
		expect(estimateMatchCount({ inWindow: 0, kept: 0, oldest: null, first: 1, last: 900 }, 200)).toEqual({
			count: 0,
			exact: true,
		});
	});

	it("counts exactly when a full window reaches back to the first claim", () => {
		expect(estimateMatchCount({ inWindow: 200, kept: 150, oldest: 1, first: 1, last: 400 }, 200)).toEqual({
			count: 150,
			exact: true,
		});
	});

	it("extrapolates the window's density over all claims, rounded", () => {
		// A word in every third of 100,000 claims: the newest 200 matches span 600 claims.
		expect(
			estimateMatchCount({ inWindow: 200, kept: 200, oldest: 99_401, first: 1, last: 100_000 }, 200),
		).toEqual({ count: 33_000, exact: false });
		// The same word with a filter that keeps a quarter of the window.
		expect(
			estimateMatchCount({ inWindow: 200, kept: 50, oldest: 99_401, first: 1, last: 100_000 }, 200),
		).toEqual({ count: 8_300, exact: false });
	});

	it("never estimates fewer than the window holds", () => {
		// 184 of 201 claims, extrapolated to 202, rounds to 180.
		expect(estimateMatchCount({ inWindow: 200, kept: 184, oldest: 20, first: 19, last: 220 }, 200)).toEqual({
			count: 184,
			exact: false,
		});
	});
});
