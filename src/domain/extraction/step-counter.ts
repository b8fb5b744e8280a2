/**
 * A work counter the extractor can be handed: every loop over tokens, characters,
 * quotes, mentions or people adds one per iteration. Tests compare the count on an
 * input and on the input grown, to show the work grows linearly (no wall clock).
 */
export interface StepCounter {
	count: number;
}

/** A counter for callers that did not ask for one. */
export function stepCounter(steps: StepCounter | undefined): StepCounter {
	return steps ?? { count: 0 };
}
