import { describe, expect, it } from "vitest";
import {
	capMatchCount,
	estimateMatchCount,
	MIN_KEPT_FOR_ESTIMATE,
	roughly,
} from "../../src/domain/match-count";

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

describe("estimateMatchCount (a ranking window of 200; the window read holds up to 201)", () => {
	it("counts exactly when the window holds every match, exactly 200 included", () => {
		expect(estimateMatchCount({ inWindow: 37, kept: 12, oldest: 5, first: 1, last: 900 }, 200)).toEqual({
			count: 12,
			accuracy: "exact",
		});
		expect(
			estimateMatchCount({ inWindow: 200, kept: 200, oldest: 99_001, first: 1, last: 100_000 }, 200),
		).toEqual({ count: 200, accuracy: "exact" });
		expect(estimateMatchCount({ inWindow: 0, kept: 0, oldest: null, first: 1, last: 900 }, 200)).toEqual({
			count: 0,
			accuracy: "exact",
		});
		expect(estimateMatchCount({ inWindow: 0, kept: 0, oldest: null, first: null, last: null }, 200)).toEqual({
			count: 0,
			accuracy: "exact",
		});
	});

	it("counts exactly when a full window reaches back to the first claim", () => {
		expect(estimateMatchCount({ inWindow: 201, kept: 150, oldest: 1, first: 1, last: 400 }, 200)).toEqual({
			count: 150,
			accuracy: "exact",
		});
	});

	it("extrapolates the window's density over all claims, rounded", () => {
		// A word in every third of 100,000 claims: the newest 201 matches span 601 claims.
		expect(
			estimateMatchCount({ inWindow: 201, kept: 201, oldest: 99_400, first: 1, last: 100_000 }, 200),
		).toEqual({ count: 33_000, accuracy: "estimate" });
		// The same word with a filter that keeps a quarter of the window.
		expect(
			estimateMatchCount({ inWindow: 201, kept: 50, oldest: 99_400, first: 1, last: 100_000 }, 200),
		).toEqual({ count: 8_300, accuracy: "estimate" });
	});

	it("gives a lower bound when too few of a full window pass the filters to extrapolate", () => {
		const few = MIN_KEPT_FOR_ESTIMATE - 1;
		expect(
			estimateMatchCount({ inWindow: 201, kept: few, oldest: 99_400, first: 1, last: 100_000 }, 200),
		).toEqual({ count: few, accuracy: "lower-bound" });
		expect(
			estimateMatchCount({ inWindow: 201, kept: 0, oldest: 99_400, first: 1, last: 100_000 }, 200),
		).toEqual({
			count: 0,
			accuracy: "lower-bound",
		});
	});

	it("never estimates fewer than the window holds", () => {
		// 184 of 201 claims, extrapolated to 202, rounds to 180.
		expect(estimateMatchCount({ inWindow: 201, kept: 184, oldest: 20, first: 19, last: 220 }, 200)).toEqual({
			count: 184,
			accuracy: "estimate",
		});
	});
});

describe("capMatchCount", () => {
	it("caps an estimate at the list's size, and leaves counts and bounds alone", () => {
		expect(capMatchCount({ count: 34_000, accuracy: "estimate" }, 1_200)).toEqual({
			count: 1_200,
			accuracy: "estimate",
		});
		expect(capMatchCount({ count: 340, accuracy: "estimate" }, 1_200)).toEqual({
			count: 340,
			accuracy: "estimate",
		});
		expect(capMatchCount({ count: 12, accuracy: "exact" }, 5)).toEqual({ count: 12, accuracy: "exact" });
		expect(capMatchCount({ count: 12, accuracy: "lower-bound" }, 5)).toEqual({
			count: 12,
			accuracy: "lower-bound",
		});
	});
});
