/**
 * What a committed write tells the rest of the system. Commands emit these only after
 * their batch has committed; side effects (cache purges today; webhooks, snapshots and
 * notifications later) subscribe in `side-effects.ts`, never in routes.
 */
export type CommandEvent =
	| { type: "claim.created"; claimId: string }
	| { type: "claim.updated"; claimId: string; fields: readonly string[]; isPublic: boolean }
	| { type: "speaker.updated"; speakerId: string; claimIds: readonly string[] }
	| { type: "speaker.merged"; speakerId: string; intoId: string; claimIds: readonly string[] }
	| { type: "appearance.added"; claimId: string; appearanceId: string }
	| { type: "verdict.drafted"; claimId: string; verdictId: string }
	| { type: "verdict.saved"; claimId: string; verdictId: string }
	| { type: "verdict.published"; claimId: string; verdictId: string; correction: boolean }
	| { type: "verdict.retracted"; claimId: string; verdictId: string }
	/** A draft deleted unpublished; `statusReset` when the claim went back to "unverified". */
	| { type: "verdict.discarded"; claimId: string; verdictId: string; statusReset: boolean }
	| { type: "claims.imported"; claimIds: readonly string[] };

/** The claims whose public answers (page, JSON, badge, card, feeds) an event changes. */
export function publicClaimsChanged(event: CommandEvent): readonly string[] {
	switch (event.type) {
		case "claims.imported":
		case "speaker.updated":
		case "speaker.merged":
			return event.claimIds;
		// A draft save changes nothing public; the first draft moves the claim to "in review".
		case "verdict.saved":
			return [];
		// A draft was never public: only its claim's status ("in review" → "unverified") can change.
		case "verdict.discarded":
			return event.statusReset ? [event.claimId] : [];
		default:
			return [event.claimId];
	}
}
