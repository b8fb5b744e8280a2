/**
 * Where an open draft stands in the review loop: its writer is still writing it, has
 * submitted it for review (the editors' review queue), or an editor returned it with a
 * note ("changes requested") and it waits for its writer to submit it again. A save never
 * moves it: only submitting and returning do. Verdicts that are no longer drafts have none.
 */
export const REVIEW_STATES = ["writing", "submitted", "changes-requested"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export function reviewStateOf(verdict: {
	state: string;
	submittedAt: string | null;
	changesRequestedAt: string | null;
}): ReviewState | null {
	if (verdict.state !== "draft") return null;
	if (verdict.submittedAt !== null) return "submitted";
	return verdict.changesRequestedAt !== null ? "changes-requested" : "writing";
}
