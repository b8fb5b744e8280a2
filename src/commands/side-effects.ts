import { purgeClaimCaches } from "../lib/edge-cache";
import type { Effects } from "./context";
import { type CommandEvent, publicClaimsChanged } from "./events";

export type WaitUntil = (promise: Promise<unknown>) => void;

/** The effects of one event, as promises that settle when each has run. */
export function runEffects(event: CommandEvent): Promise<unknown>[] {
	return publicClaimsChanged(event).map((claimId) => purgeClaimCaches(claimId));
}

/**
 * The Worker's side effects: each runs in the background of the request that made the
 * write (`ctx.waitUntil`), so a slow purge never delays the answer.
 */
export function backgroundEffects(waitUntil: WaitUntil): Effects {
	return {
		emit(event) {
			for (const effect of runEffects(event)) waitUntil(effect);
		},
	};
}
