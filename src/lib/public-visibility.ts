import { unreviewedMode } from "../domain/deployment-settings";
import { withoutUnreviewedSpellings } from "../domain/search-query";
import type { ClaimDetail } from "../store/claims";

/**
 * What the public sees of unfinished work (`PUBLIC_UNREVIEWED` in wrangler.toml): "list"
 * (the default) shows claims without a published verdict as unverified or in review;
 * "hide" shows only reviewed claims (published, or retracted: a withdrawal is public) and
 * answers 404 for the rest, so nothing leaks through pages, lists, counts or badges. A value
 * it does not know hides too (domain/deployment-settings).
 */
export function hidesUnreviewed(env: { PUBLIC_UNREVIEWED?: string }): boolean {
	return unreviewedMode(env) === "hide";
}

/**
 * A public search's FTS5 expression: under "hide", not by a spelling that came with a merged
 * speaker only unreviewed claims named (domain/search-query `withoutUnreviewedSpellings`).
 * The desk searches every spelling.
 */
export function publicSearch(
	env: { PUBLIC_UNREVIEWED?: string },
	fts: string | undefined,
): string | undefined {
	return fts !== undefined && hidesUnreviewed(env) ? withoutUnreviewedSpellings(fts) : fts;
}

/** A claim is reviewed once a verdict of it was published (it may since be superseded or retracted). */
function isReviewed(claim: Pick<ClaimDetail, "verdicts">): boolean {
	return claim.verdicts.some((v) => v.state !== "draft");
}

/** The claim as the public may see it: undefined when the setting hides it. */
export function publicClaim<T extends Pick<ClaimDetail, "verdicts">>(
	env: { PUBLIC_UNREVIEWED?: string },
	claim: T | undefined,
): T | undefined {
	if (!claim) return undefined;
	return hidesUnreviewed(env) && !isReviewed(claim) ? undefined : claim;
}
