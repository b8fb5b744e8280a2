import { describe, expect, it } from "vitest";
import {
	capMatchCount,
	estimateMatchCount,
	MIN_KEPT_FOR_ESTIMATE,
	roughly,
} from "../../src/domain/match-count";

/**
 * The count of a window read over claims `first`…`last` (100,000 by default), ranking 200;
 * the oldest match in the window is kept unless `oldestKept` says otherwise.
 */
const countOf = (
	inWindow: number,
	kept: number,
	oldest: number | null,
	first: number | null = 1,
	last = 100_000,
	oldestKept: number | null = kept > 0 ? oldest : null,
) =>
	estimateMatchCount({ inWindow, kept, oldest, oldestKept, first, last: first === null ? null : last }, 200);

describe("roughly", () => {
	it("keeps two significant digits, and small numbers whole", () => {
		const cases: [number, number][] = [
			[0, 0],
			[7, 7],
			[99.4, 99],
			[123, 120],
			[33_334, 33_000],
			[8_351, 8_400],
			[996, 1_000],
		];
		for (const [n, expected] of cases) expect(roughly(n), String(n)).toBe(expected);
	});
});

describe("estimateMatchCount (a ranking window of 200; the window read holds up to 201)", () => {
	it("counts exactly when the window holds every match, exactly 200 included", () => {
		expect(countOf(37, 12, 5, 1, 900)).toEqual({ count: 12, accuracy: "exact" });
		expect(countOf(200, 200, 99_001)).toEqual({ count: 200, accuracy: "exact" });
		expect(countOf(0, 0, null)).toEqual({ count: 0, accuracy: "exact" });
		expect(countOf(0, 0, null, null)).toEqual({ count: 0, accuracy: "exact" });
	});

	it("counts exactly when a full window reaches back to the first claim", () => {
		expect(countOf(201, 150, 1, 1, 400)).toEqual({ count: 150, accuracy: "exact" });
	});

	it("extrapolates the window's density over all claims, rounded", () => {
		// A word in every third of 100,000 claims: the newest 201 matches span 601 claims.
		expect(countOf(201, 201, 99_400)).toEqual({ count: 33_000, accuracy: "estimate" });
		// The same word with a filter that keeps a quarter of the window.
		expect(countOf(201, 50, 99_400)).toEqual({ count: 8_300, accuracy: "estimate" });
	});

	it("gives a lower bound when too few of a full window pass the filters to extrapolate", () => {
		const few = MIN_KEPT_FOR_ESTIMATE - 1;
		// The bound counts the 200 ranked: the 201st, read to know older ones exist, is not shown.
		expect(countOf(201, few, 99_400)).toEqual({ count: few - 1, accuracy: "lower-bound" });
		expect(countOf(201, few, 99_400, 1, 100_000, 99_500)).toEqual({ count: few, accuracy: "lower-bound" });
		expect(countOf(201, 0, 99_400)).toEqual({ count: 0, accuracy: "lower-bound" });
	});

	it("never estimates fewer than the window holds", () => {
		// 184 of 201 claims, extrapolated to 202, rounds to 180.
		expect(countOf(201, 184, 20, 19, 220)).toEqual({ count: 184, accuracy: "estimate" });
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
