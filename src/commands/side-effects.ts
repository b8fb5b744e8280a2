import type { PublicCache } from "../lib/public-cache";
import type { Effects } from "./context";
import { type CommandEvent, cacheTagsToPurge } from "./events";

export type WaitUntil = (promise: Promise<unknown>) => void;

/** The effects of one event, as promises that settle when each has run. */
export function runEffects(event: CommandEvent, cache: PublicCache): Promise<unknown>[] {
	const tags = cacheTagsToPurge(event);
	return tags.length > 0 ? [cache.purge(tags)] : [];
}

/**
 * The Worker's side effects: each runs in the background of the request that made the
 * write (`ctx.waitUntil`), so a slow purge never delays the answer.
 */
export function backgroundEffects(waitUntil: WaitUntil, cache: PublicCache): Effects {
	return {
		emit(event) {
			for (const effect of runEffects(event, cache)) waitUntil(effect);
		},
	};
}
