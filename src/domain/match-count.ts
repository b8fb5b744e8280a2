/**
 * How many claims a search matches, without counting them all. Counting every match of a
 * common word walks its whole doclist (25,000 rows for a word in a quarter of 100,000
 * claims), the cost that bounded ranking avoids (store/public-claims, RANKED_CANDIDATES).
 * So the count reads one more than the window ranking reads — the newest matches:
 * - exact when the window holds every match (the extra one is missing);
 * - otherwise an estimate: the share of the claims the window spans that match and pass the
 *   list's filters, taken over all claims, rounded to two significant digits. It assumes
 *   matches spread evenly over the claims' order of recording;
 * - or, when too few in the window pass the filters for a share to mean anything, a lower
 *   bound: that many match, older ones may too.
 */

/** What the newest matches of a search say about all of them (one SQL statement). */
export interface MatchWindow {
	/** Index matches in the window: the newest, at most the window's size plus one. */
	inWindow: number;
	/** Of those, the ones the list's other filters (status, topic, …) keep. */
	kept: number;
	/** The oldest match's position (claims.seq) in the window; null when none matched. */
	oldest: number | null;
	/** The oldest kept match's position; null when none was kept. */
	oldestKept: number | null;
	/**
	 * The first and last claims.seq of the claims the list can show: of the whole table, or
	 * of the reviewed claims where unreviewed ones are hidden (so recording them moves no count).
	 */
	first: number | null;
	last: number | null;
}

type MatchAccuracy = "exact" | "estimate" | "lower-bound";

export interface MatchCount {
	count: number;
	accuracy: MatchAccuracy;
}

/** Fewer kept matches than this in a full window make a lower bound, not an estimate. */
export const MIN_KEPT_FOR_ESTIMATE = 20;

/** Two significant digits: an estimate should not look like a count. */
export function roughly(n: number): number {
	if (n < 100) return Math.round(n);
	const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
	return Math.round(n / unit) * unit;
}

/** `windowSize` is the ranking window; the window read holds at most one more. */
export function estimateMatchCount(window: MatchWindow, windowSize: number): MatchCount {
	const { inWindow, kept, oldest, first, last } = window;
	if (inWindow <= windowSize || oldest === null || first === null || last === null || oldest <= first) {
		return { count: kept, accuracy: "exact" };
	}
	// A bound speaks of the ranking window: the extra, oldest match is not in it.
	const keptRanked = kept - (window.oldestKept === oldest ? 1 : 0);
	if (keptRanked < MIN_KEPT_FOR_ESTIMATE) return { count: keptRanked, accuracy: "lower-bound" };
	const estimate = (kept / (last - oldest + 1)) * (last - first + 1);
	// Never fewer than the window itself holds.
	return { count: Math.max(kept, roughly(estimate)), accuracy: "estimate" };
}

/**
 * An estimate is never more than the claims the list could show at all (the desk knows how
 * many claims each state has): claims of one state crowd the newest ones (what is still
 * unverified was mostly recorded lately), which an even spread over all claims overstates.
 */
export function capMatchCount(matches: MatchCount, listSize: number): MatchCount {
	return matches.accuracy === "estimate" && matches.count > listSize
		? { ...matches, count: listSize }
		: matches;
}
