import { describe, expect, it } from "vitest";
import { evaluate, loadPairs } from "../../scripts/lib/matching-eval";

/*
 * The claim-matching evaluation as a gate (npm run eval:matching prints the same
 * numbers with a per-kind breakdown). The labelled pairs are written by hand, not
 * tuned to the matcher: a failure here means the matcher got worse, not the data.
 */
describe("claim-matching evaluation", () => {
	const pairs = loadPairs();
	const report = evaluate(pairs);

	it("has at least 150 labelled pairs in both languages and every kind", () => {
		expect(report.pairs).toBeGreaterThanOrEqual(150);
		expect(report.byLanguage.de ?? 0).toBeGreaterThanOrEqual(60);
		expect(report.byLanguage.en ?? 0).toBeGreaterThanOrEqual(60);
		expect(report.byLabel.same ?? 0).toBeGreaterThanOrEqual(60);
		expect(report.byLabel["near-miss"] ?? 0).toBeGreaterThanOrEqual(60);
		expect(report.byLabel.unrelated ?? 0).toBeGreaterThanOrEqual(30);
		for (const kind of report.kinds) expect(kind.pairs, kind.kind).toBeGreaterThan(0);
	});

	it("never calls a near-miss the same claim", () => {
		expect(report.nearMissesCalledSame).toEqual([]);
	});

	it("finds restatements in the top 3 suggestions (recall@3 ≥ 0.9)", () => {
		expect(report.recallAt3.value).toBeGreaterThanOrEqual(0.9);
	});

	it("calls same precisely (≥ 0.95)", () => {
		expect(report.same.precision).toBeGreaterThanOrEqual(0.95);
	});

	it("keeps calling restatements same (recall ≥ 0.905, as when the guards were last added)", () => {
		expect(report.same.recall).toBeGreaterThanOrEqual(0.905);
	});
});
