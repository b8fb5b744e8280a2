import type { ClaimEditField } from "../db/schema";

/**
 * What a verdict rates of its claim: the words, whose they are and when they were said (a
 * statement about "now" is true or false as of its date). Not the claim's language tag,
 * context, topics or appearances: correcting those leaves the statement rated as it was. A
 * change of one of these after a draft was last saved keeps the draft from being published
 * until it is saved again on them (store/draft-words).
 */
export const RATED_FIELDS = ["text", "speaker", "claimedAt"] as const satisfies readonly ClaimEditField[];
export type RatedField = (typeof RATED_FIELDS)[number];

/**
 * The `note` of an internal `speaker` change row that says whom a claim without a speaker is
 * credited to (its first source's publisher, store/public-changes `claimantChange`), not a
 * speaker of its own: the desk names it so, where "Speaker: News Example → Other Paper" on a
 * claim shown with no speaker read as one to fix (s35 r361). Never shown: the row is internal.
 * A value no note can take (every note is cleaned, so trimmed): a checker's edit noted
 * "credited" is a speaker's change still (s35 r366).
 */
export const CREDIT_NOTE = " credited";
