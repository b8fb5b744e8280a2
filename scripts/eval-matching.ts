/**
 * npm run eval:matching — the claim matcher against the labelled pairs in
 * tests/fixtures/matching/: precision and recall of "same", recall@3 of suggestions
 * for restatements, near-misses wrongly called "same" (must be 0), a breakdown per
 * kind, and the score distribution the thresholds in src/domain/claim-matching.ts
 * were chosen from. Prints; tests/node/matching-eval.test.ts asserts.
 */
import {
	compareClaims,
	type MatchFeatures,
	matchFeatures,
	SAME_THRESHOLD,
	SIMILAR_THRESHOLD,
} from "../src/domain/claim-matching";
import { evaluate, loadPairs, type PairOutcome, sweepSameThreshold } from "./lib/matching-eval";

const report = evaluate(loadPairs());
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const languageCounts = Object.entries(report.byLanguage)
	.map(([language, n]) => `${language} ${n}`)
	.join(", ");
const labels = Object.entries(report.byLabel)
	.map(([label, n]) => `${label} ${n}`)
	.join(", ");

console.log(`Claim matching: ${report.pairs} labelled pairs (${languageCounts}; ${labels})`);
console.log(`Thresholds: same ≥ ${SAME_THRESHOLD} with no guard, similar ≥ ${SIMILAR_THRESHOLD}\n`);
const { same } = report;
console.log(
	`same       precision ${pct(same.precision)}  recall ${pct(same.recall)}  ` +
		`(tp ${same.truePositives}, fp ${same.falsePositives}, fn ${same.falseNegatives})`,
);
console.log(
	`recall@3   ${pct(report.recallAt3.value)}  (${report.recallAt3.hits}/${report.recallAt3.total} restatements)`,
);
console.log(
	`near-misses called same: ${report.nearMissesCalledSame.length} ${report.nearMissesCalledSame.join(" ")}\n`,
);

console.log("kind               pairs  same  similar  none  mean score  top3");
for (const k of report.kinds) {
	const top3 = k.top3 === null ? "" : `${k.top3}/${k.pairs}`;
	console.log(
		`${k.kind.padEnd(18)} ${String(k.pairs).padStart(5)} ${String(k.same).padStart(5)} ${String(k.similar).padStart(8)} ` +
			`${String(k.none).padStart(5)} ${k.meanScore.toFixed(3).padStart(11)}  ${top3}`,
	);
}

const show = (o: PairOutcome): string =>
	`  ${o.pair.id.padEnd(8)} ${o.score.toFixed(4)} ${o.relation ?? "-"} ${o.guards.join(",")}${o.rank ? ` rank ${o.rank}` : ""}`;
const missed = report.outcomes.filter((o) => o.pair.label === "same" && o.relation !== "same");
console.log(`\nRestatements not called same (${missed.length}):`);
for (const o of missed) console.log(show(o));
const unrelated = report.outcomes
	.filter((o) => o.pair.label === "unrelated")
	.sort((x, y) => y.score - x.score)
	.slice(0, 5);
console.log("\nBest-scoring unrelated pairs, guards or not (what SAME_THRESHOLD must stay well above):");
for (const o of unrelated) console.log(show(o));
console.log("\nSame-threshold sweep:");
for (const line of sweepSameThreshold(report, [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9])) console.log(line);

// Timing: what one candidate costs the match endpoint (features of the query once, a compare per candidate).
const texts = report.outcomes.flatMap((o) => [o.pair.a, o.pair.b]);
const languages = report.outcomes.flatMap((o) => [o.pair.language, o.pair.language]);
let started = performance.now();
const rounds = 20;
for (let round = 0; round < rounds; round++) {
	for (const [i, text] of texts.entries()) matchFeatures(text, languages[i] ?? "en");
}
const featureMicros = ((performance.now() - started) * 1000) / (rounds * texts.length);
const features = texts.map((text, i) => matchFeatures(text, languages[i] ?? "en"));
started = performance.now();
const compares = 10_000;
for (let i = 0; i < compares; i++)
	compareClaims(
		features[i % features.length] as MatchFeatures,
		features[(i * 7 + 3) % features.length] as MatchFeatures,
	);
const compareMs = performance.now() - started;
console.log(
	`\nTiming: matchFeatures ${featureMicros.toFixed(1)} µs per claim; ${compares} compareClaims ${compareMs.toFixed(1)} ms ` +
		`(${((compareMs * 1000) / compares).toFixed(1)} µs each)`,
);
