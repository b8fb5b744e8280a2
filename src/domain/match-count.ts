/**
 * How many claims a search matches, without counting them all. Counting every match of a
 * common word walks its whole doclist (25,000 rows for a word in a quarter of 100,000
 * claims), the cost that bounded ranking avoids (store/public-claims, RANKED_CANDIDATES).
 * So the count looks at the same window ranking looks at — the newest matches — and, when
 * the window does not reach the oldest match, extrapolates its density over all claims:
 * exact for a search with fewer matches than the window, an estimate (rounded, and said to
 * be one) for a common word. The estimate assumes matches spread evenly over time.
 */

/** What the newest matches of a search say about all of them (one SQL statement). */
export interface MatchWindow {
	/** Index matches in the window: the newest at most `windowSize`. */
	inWindow: number;
	/** Of those, the ones the list's other filters (status, visibility, …) keep. */
	kept: number;
	/** The oldest match's position (claims.seq) in the window; null when none matched. */
	oldest: number | null;
	/** The first and last claims.seq of the whole table. */
	first: number | null;
	last: number | null;
}

export interface MatchCount {
	count: number;
	/** False: extrapolated from the newest matches and rounded to two significant digits. */
	exact: boolean;
}

/** Two significant digits: an estimate should not look like a count. */
export function roughly(n: number): number {
	if (n < 100) return Math.round(n);
	const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
	return Math.round(n / unit) * unit;
}

export function estimateMatchCount(window: MatchWindow, windowSize: number): MatchCount {
	const { inWindow, kept, oldest, first, last } = window;
	if (inWindow < windowSize || oldest === null || first === null || last === null || oldest <= first) {
		return { count: kept, exact: true };
	}
	const density = kept / (last - oldest + 1);
	const estimate = density * (last - first + 1);
	// Never fewer than the window itself holds.
	return { count: Math.max(kept, roughly(estimate)), exact: false };
}
