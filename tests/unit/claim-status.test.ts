import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VERDICT_STATES, type VerdictState } from "../../src/db/schema";
import {
	canTransition,
	deriveClaimStatus,
	nextStates,
	type VerdictForStatus,
} from "../../src/domain/claim-status";
import { isClaimStatus, RATING_KEYS, type RatingKey } from "../../src/domain/ratings";

const v = (
	state: VerdictState,
	rating: RatingKey = "false",
	publishedAt: string | null = null,
): VerdictForStatus => ({
	state,
	rating,
	publishedAt: state === "draft" ? null : (publishedAt ?? "2025-07-12T10:00:00.000Z"),
});

describe("deriveClaimStatus", () => {
	it("is unverified without verdicts", () => {
		expect(deriveClaimStatus([])).toEqual({ status: "unverified", currentVerdictIndex: null });
	});

	it("is in review while only drafts exist", () => {
		expect(deriveClaimStatus([v("draft")])).toEqual({ status: "in-review", currentVerdictIndex: null });
		expect(deriveClaimStatus([v("draft", "true"), v("draft", "false")])).toEqual({
			status: "in-review",
			currentVerdictIndex: null,
		});
	});

	it.each(RATING_KEYS)("takes the rating %s of the published verdict", (rating) => {
		expect(deriveClaimStatus([v("published", rating)])).toEqual({ status: rating, currentVerdictIndex: 0 });
	});

	it("points at the published verdict wherever it is in the list", () => {
		const verdicts = [
			v("superseded", "true"),
			v("retracted", "half-true"),
			v("published", "misleading"),
			v("draft"),
		];
		expect(deriveClaimStatus(verdicts)).toEqual({ status: "misleading", currentVerdictIndex: 2 });
	});

	it("lets a published verdict win over a pending draft (a correction in progress)", () => {
		expect(deriveClaimStatus([v("published", "mostly-false"), v("draft", "false")])).toEqual({
			status: "mostly-false",
			currentVerdictIndex: 0,
		});
	});

	it("is retracted, never unverified, when the last verdict was withdrawn", () => {
		expect(deriveClaimStatus([v("retracted", "false")])).toEqual({
			status: "retracted",
			currentVerdictIndex: null,
		});
		expect(deriveClaimStatus([v("superseded", "true"), v("retracted", "false")])).toEqual({
			status: "retracted",
			currentVerdictIndex: null,
		});
	});

	it("stays retracted while a new draft is written, until it is published", () => {
		expect(deriveClaimStatus([v("retracted", "false"), v("draft", "true")])).toEqual({
			status: "retracted",
			currentVerdictIndex: null,
		});
		expect(deriveClaimStatus([v("retracted", "false"), v("published", "true")]).status).toBe("true");
	});

	it("picks the most recently published one should two be published at once", () => {
		const older = v("published", "true", "2025-07-01T00:00:00.000Z");
		const newer = v("published", "false", "2025-07-12T00:00:00.000Z");
		expect(deriveClaimStatus([older, newer])).toEqual({ status: "false", currentVerdictIndex: 1 });
		expect(deriveClaimStatus([newer, older])).toEqual({ status: "false", currentVerdictIndex: 0 });
		// Same timestamp: the later entry (usually the newer row) wins.
		const same = v("published", "half-true", "2025-07-12T00:00:00.000Z");
		expect(deriveClaimStatus([newer, same])).toEqual({ status: "half-true", currentVerdictIndex: 1 });
		// A missing date counts as oldest.
		const undated: VerdictForStatus = { state: "published", rating: "unsupported", publishedAt: null };
		expect(deriveClaimStatus([older, undated])).toEqual({ status: "true", currentVerdictIndex: 0 });
		expect(deriveClaimStatus([undated])).toEqual({ status: "unsupported", currentVerdictIndex: 0 });
	});

	it("handles many verdicts", () => {
		const verdicts = [
			...Array.from({ length: 10_000 }, () => v("superseded", "true")),
			v("published", "false"),
		];
		expect(deriveClaimStatus(verdicts)).toEqual({ status: "false", currentVerdictIndex: 10_000 });
	});

	it("always yields a valid status consistent with the index (property)", () => {
		const verdict = fc.record({
			state: fc.constantFrom(...VERDICT_STATES),
			rating: fc.constantFrom(...RATING_KEYS),
			publishedAt: fc.option(fc.constantFrom("2025-01-01T00:00:00.000Z", "2025-06-01T00:00:00.000Z"), {
				nil: null,
			}),
		});
		fc.assert(
			fc.property(fc.array(verdict, { maxLength: 8 }), (verdicts) => {
				const { status, currentVerdictIndex } = deriveClaimStatus(verdicts);
				expect(isClaimStatus(status)).toBe(true);
				const hasPublished = verdicts.some((x) => x.state === "published");
				const hasDraft = verdicts.some((x) => x.state === "draft");
				const hasRetracted = verdicts.some((x) => x.state === "retracted");
				if (currentVerdictIndex === null) {
					expect(hasPublished).toBe(false);
					expect(status).toBe(hasRetracted ? "retracted" : hasDraft ? "in-review" : "unverified");
				} else {
					const current = verdicts[currentVerdictIndex];
					expect(current?.state).toBe("published");
					expect(status).toBe(current?.rating);
				}
			}),
		);
	});
});

describe("verdict transitions", () => {
	const allowed: [VerdictState, VerdictState][] = [
		["draft", "published"],
		["published", "superseded"],
		["published", "retracted"],
	];

	it.each(allowed)("allows %s → %s", (from, to) => {
		expect(canTransition(from, to)).toBe(true);
	});

	it("allows nothing else, not even staying in place", () => {
		for (const from of VERDICT_STATES) {
			for (const to of VERDICT_STATES) {
				const expected = allowed.some(([a, b]) => a === from && b === to);
				expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
			}
		}
	});

	it("never edits or reopens a published verdict", () => {
		expect(canTransition("published", "draft")).toBe(false);
		expect(canTransition("published", "published")).toBe(false);
		expect(canTransition("superseded", "published")).toBe(false);
		expect(canTransition("retracted", "published")).toBe(false);
		expect(canTransition("retracted", "draft")).toBe(false);
		expect(canTransition("draft", "retracted")).toBe(false);
		expect(canTransition("draft", "superseded")).toBe(false);
	});

	it("lists the next states for each state", () => {
		expect(nextStates("draft")).toEqual(["published"]);
		expect(nextStates("published")).toEqual(["superseded", "retracted"]);
		expect(nextStates("superseded")).toEqual([]);
		expect(nextStates("retracted")).toEqual([]);
	});

	it("rejects unknown states arriving from outside the type system", () => {
		const unknown = (s: string) => s as VerdictState;
		expect(canTransition(unknown("deleted"), "published")).toBe(false);
		expect(canTransition("draft", unknown("deleted"))).toBe(false);
		expect(canTransition(unknown("__proto__"), unknown("constructor"))).toBe(false);
		expect(nextStates(unknown("toString"))).toEqual([]);
	});
});
