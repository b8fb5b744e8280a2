import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import {
	classifyMatch,
	compareClaims,
	type MatchFeatures,
	type MatchGuard,
	type MatchRelation,
	type MatchResult,
	matchFeatures,
	SAME_THRESHOLD,
} from "../../src/domain/claim-matching";

/**
 * The claim-matching evaluation over the labelled pairs in tests/fixtures/matching/:
 * shared by `npm run eval:matching` (prints) and tests/node/matching-eval.test.ts
 * (asserts), so both judge the same numbers.
 */

const PAIRS_DIR = path.resolve(import.meta.dirname, "../../tests/fixtures/matching");

const RESTATEMENT_KINDS = [
	"reordered",
	"reported-speech",
	"shortened",
	"said-added",
	"reworded",
	"number-words",
	"transliterated",
	"fraction-words",
] as const;
const NEAR_MISS_KINDS = [
	"negated",
	"number",
	"year",
	"direction",
	"place",
	"quantifier",
	"sequence",
	"roles",
	"subject",
	"polarity",
	"bound",
	"fraction",
	"preposition",
	"mode",
] as const;
const KINDS = [...RESTATEMENT_KINDS, ...NEAR_MISS_KINDS, "same-topic"] as const;

const Pair = z.object({
	id: z.string().min(1),
	language: z.enum(["de", "en"]),
	a: z.string().min(1),
	b: z.string().min(1),
	label: z.enum(["same", "near-miss", "unrelated"]),
	kind: z.enum(KINDS),
});
export type LabelledPair = z.infer<typeof Pair>;
type PairKind = LabelledPair["kind"];

export function loadPairs(dir = PAIRS_DIR): LabelledPair[] {
	const pairs = readdirSync(dir)
		.filter((file) => file.endsWith(".json"))
		.sort()
		.flatMap((file) => z.array(Pair).parse(JSON.parse(readFileSync(path.join(dir, file), "utf8"))));
	const ids = new Set<string>();
	for (const pair of pairs) {
		if (ids.has(pair.id)) throw new Error(`Duplicate pair id ${pair.id}`);
		ids.add(pair.id);
	}
	return pairs;
}

export interface PairOutcome {
	pair: LabelledPair;
	score: number;
	guards: MatchGuard[];
	relation: MatchRelation | null;
	/** Restatements: rank of the true b among every b text of the language, as the matcher lists them ("same" first; ties count against it). */
	rank: number | null;
}

interface KindSummary {
	kind: PairKind;
	pairs: number;
	same: number;
	similar: number;
	none: number;
	meanScore: number;
	/** Restatement kinds: how many had the true b in the top 3 with a relation. */
	top3: number | null;
}

export interface EvalReport {
	pairs: number;
	byLanguage: Record<string, number>;
	byLabel: Record<string, number>;
	same: {
		truePositives: number;
		falsePositives: number;
		falseNegatives: number;
		precision: number;
		recall: number;
	};
	/** Ids of near-misses the matcher called "same": must stay empty. */
	nearMissesCalledSame: string[];
	recallAt3: { hits: number; total: number; value: number };
	kinds: KindSummary[];
	outcomes: PairOutcome[];
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

/*
 * As the matcher lists them (store/claim-matches `bestMatches`): "same" before "similar",
 * then by score; a text with a guard firing is no "same", however high its score.
 */
function rankOf(
	pair: LabelledPair,
	own: MatchResult,
	candidates: Map<string, MatchFeatures>,
	a: MatchFeatures,
): number {
	const ownSame = classifyMatch(own) === "same";
	let rank = 1;
	for (const [text, features] of candidates) {
		if (text === pair.b) continue;
		const other = compareClaims(a, features);
		const otherSame = classifyMatch(other) === "same";
		if (otherSame !== ownSame ? otherSame : other.score >= own.score) rank++;
	}
	return rank;
}

function summarise(kind: PairKind, outcomes: PairOutcome[]): KindSummary {
	const of = outcomes.filter((o) => o.pair.kind === kind);
	const restatement = (RESTATEMENT_KINDS as readonly string[]).includes(kind);
	return {
		kind,
		pairs: of.length,
		same: of.filter((o) => o.relation === "same").length,
		similar: of.filter((o) => o.relation === "similar").length,
		none: of.filter((o) => o.relation === null).length,
		meanScore: of.reduce((sum, o) => sum + o.score, 0) / Math.max(1, of.length),
		top3: restatement ? of.filter((o) => o.rank !== null && o.rank <= 3 && o.relation !== null).length : null,
	};
}

export function evaluate(pairs: readonly LabelledPair[]): EvalReport {
	const features = new Map<string, MatchFeatures>();
	const featuresOf = (text: string, language: string): MatchFeatures => {
		const key = `${language}\u0000${text}`;
		let found = features.get(key);
		if (!found) {
			found = matchFeatures(text, language);
			features.set(key, found);
		}
		return found;
	};
	const candidates = new Map<string, Map<string, MatchFeatures>>();
	for (const pair of pairs) {
		const byText = candidates.get(pair.language) ?? new Map<string, MatchFeatures>();
		byText.set(pair.b, featuresOf(pair.b, pair.language));
		candidates.set(pair.language, byText);
	}
	const outcomes = pairs.map((pair): PairOutcome => {
		const a = featuresOf(pair.a, pair.language);
		const result = compareClaims(a, featuresOf(pair.b, pair.language));
		const rank =
			pair.label === "same" ? rankOf(pair, result, candidates.get(pair.language) ?? new Map(), a) : null;
		return { pair, score: result.score, guards: result.guards, relation: classifyMatch(result), rank };
	});
	const count = (f: (o: PairOutcome) => boolean): number => outcomes.filter(f).length;
	const truePositives = count((o) => o.pair.label === "same" && o.relation === "same");
	const falsePositives = count((o) => o.pair.label !== "same" && o.relation === "same");
	const falseNegatives = count((o) => o.pair.label === "same" && o.relation !== "same");
	const restatements = outcomes.filter((o) => o.pair.label === "same");
	const hits = restatements.filter((o) => o.rank !== null && o.rank <= 3 && o.relation !== null).length;
	const tally = (key: "language" | "label"): Record<string, number> => {
		const counts: Record<string, number> = {};
		for (const pair of pairs) counts[pair[key]] = (counts[pair[key]] ?? 0) + 1;
		return counts;
	};
	return {
		pairs: pairs.length,
		byLanguage: tally("language"),
		byLabel: tally("label"),
		same: {
			truePositives,
			falsePositives,
			falseNegatives,
			precision: ratio(truePositives, truePositives + falsePositives),
			recall: ratio(truePositives, truePositives + falseNegatives),
		},
		nearMissesCalledSame: outcomes
			.filter((o) => o.pair.label === "near-miss" && o.relation === "same")
			.map((o) => o.pair.id),
		recallAt3: { hits, total: restatements.length, value: ratio(hits, restatements.length) },
		kinds: KINDS.map((kind) => summarise(kind, outcomes)),
		outcomes,
	};
}

/**
 * Precision and recall of "same" had SAME_THRESHOLD been `threshold` (guards unchanged):
 * the table the threshold was chosen from.
 */
export function sweepSameThreshold(report: EvalReport, thresholds: readonly number[]): string[] {
	return thresholds.map((threshold) => {
		const called = report.outcomes.filter((o) => o.score >= threshold && o.guards.length === 0);
		const tp = called.filter((o) => o.pair.label === "same").length;
		const sameTotal = report.outcomes.filter((o) => o.pair.label === "same").length;
		const marker = threshold === SAME_THRESHOLD ? "  ← SAME_THRESHOLD" : "";
		return `  ${threshold.toFixed(2)}  precision ${ratio(tp, called.length).toFixed(3)}  recall ${ratio(tp, sameTotal).toFixed(3)}  (${called.length - tp} wrong)${marker}`;
	});
}
