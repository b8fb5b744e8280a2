/**
 * A claim's status follows from its verdicts; it is stored on the claim only as a
 * denormalised copy for filtering, and recomputed with `deriveClaimStatus` whenever
 * a verdict changes state.
 */
import type { VerdictState } from "../db/schema";
import type { ClaimStatus, RatingKey } from "./ratings";

export interface VerdictForStatus {
	state: VerdictState;
	rating: RatingKey;
	publishedAt: string | null;
}

export interface DerivedClaimStatus {
	status: ClaimStatus;
	/** Index of the published verdict in the input, null when none is published (drafts are never current). */
	currentVerdictIndex: number | null;
}

/**
 * The published verdict's rating; else "retracted" when a verdict was withdrawn (a
 * withdrawn rating must not keep labelling the claim, and a reviewed claim is not
 * "unverified"), also while a new draft is written; else "in-review" while a draft
 * exists; else "unverified".
 *
 * The database allows one published verdict per claim. Should a caller pass two
 * (say, in the middle of a correction, before the old one is marked superseded),
 * the one published last counts (ISO timestamps compare as strings, a missing date
 * counts as oldest, a tie goes to the later entry), so the result is deterministic.
 */
export function deriveClaimStatus(verdicts: readonly VerdictForStatus[]): DerivedClaimStatus {
	let current: number | null = null;
	let hasDraft = false;
	let hasRetracted = false;
	verdicts.forEach((verdict, index) => {
		if (verdict.state === "draft") hasDraft = true;
		if (verdict.state === "retracted") hasRetracted = true;
		if (verdict.state !== "published") return;
		const best = current === null ? undefined : verdicts[current];
		if (!best || (verdict.publishedAt ?? "") >= (best.publishedAt ?? "")) current = index;
	});
	const published = current === null ? undefined : verdicts[current];
	if (published) return { status: published.rating, currentVerdictIndex: current };
	return {
		status: hasRetracted ? "retracted" : hasDraft ? "in-review" : "unverified",
		currentVerdictIndex: null,
	};
}

/*
 * A published verdict is never edited in place: a correction publishes a new
 * verdict and supersedes the old one, a withdrawal retracts it. Superseded and
 * retracted verdicts stay as they are, for the correction history.
 */
const TRANSITIONS: ReadonlyMap<VerdictState, readonly VerdictState[]> = new Map([
	["draft", ["published"]],
	["published", ["superseded", "retracted"]],
	["superseded", []],
	["retracted", []],
]);

/** Whether a verdict may move from `from` to `to`; staying in the same state is no transition. */
export function canTransition(from: VerdictState, to: VerdictState): boolean {
	return TRANSITIONS.get(from)?.includes(to) ?? false;
}

/** The states a verdict in `from` may move to, e.g. for the buttons an editor sees. */
export function nextStates(from: VerdictState): readonly VerdictState[] {
	return TRANSITIONS.get(from) ?? [];
}
