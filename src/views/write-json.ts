import type * as z from "zod";
import type { Appearance, Verdict } from "../db/schema";
import { parseEvidence } from "../domain/evidence";
import { reviewStateOf } from "../domain/review-state";
import type { appearanceJson, editableVerdictJson } from "../schemas/write-api";
import type { WordsChange } from "../store/draft-words";

/**
 * `facts` (store/draft-words `draftFacts`): who writes the draft now, null for a verdict not a
 * draft, the changes of its claim's words since it was last saved and the claim's newest change
 * row they reach.
 */
export function verdictToWriteJson(
	origin: string,
	verdict: Verdict,
	facts: { writerId: string | null; wordsChanged: WordsChange[] | null; claimChange: number | null },
): z.output<typeof editableVerdictJson> {
	const { writerId } = facts;
	return {
		id: verdict.id,
		claimId: verdict.claimId,
		state: verdict.state,
		rating: verdict.rating,
		headline: verdict.headline,
		summary: verdict.summary,
		body: verdict.body,
		evidence: parseEvidence(verdict.evidence),
		language: verdict.language,
		version: verdict.version,
		reviewerId: verdict.reviewerId,
		writerId,
		editorId: verdict.editorId,
		supersedesId: verdict.supersedesId,
		correctionNote: verdict.correctionNote,
		retractionNote: verdict.retractionNote,
		publishedAt: verdict.publishedAt,
		retractedAt: verdict.retractedAt,
		changesRequestedAt: verdict.changesRequestedAt,
		submittedAt: verdict.submittedAt,
		reviewState: reviewStateOf(verdict),
		claimChangesSinceSaved:
			facts.wordsChanged?.map(({ field, from, to, at, changedBy }) => ({ field, from, to, at, changedBy })) ??
			null,
		claimChange: facts.claimChange,
		createdAt: verdict.createdAt,
		updatedAt: verdict.updatedAt,
		claim: `${origin}/api/v1/claims/${verdict.claimId}`,
	};
}

export function appearanceToJson(origin: string, appearance: Appearance): z.output<typeof appearanceJson> {
	return {
		id: appearance.id,
		claimId: appearance.claimId,
		sourceId: appearance.sourceId,
		quote: appearance.quote,
		anchor: appearance.anchor,
		firstAppearance: appearance.isFirst,
		createdAt: appearance.createdAt,
		claim: `${origin}/api/v1/claims/${appearance.claimId}`,
	};
}
