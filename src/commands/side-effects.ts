import type { PublicCache } from "../lib/public-cache";
import type { Effects } from "./context";
import { type CommandEvent, cacheTagsToPurge } from "./events";
import { embedClaims, type SemanticOutbox } from "./semantic-matching";
import {
	requestDeferredArchiveOrg,
	requestSettlingPurge,
	requestSnapshots,
	type SnapshotOutbox,
} from "./snapshots";
import { queueFanOut, type WebhookOutbox } from "./webhooks";

export type WaitUntil = (promise: Promise<unknown>) => void;

/** Where the effects of committed writes go: the public caches, webhook subscribers, the evidence archive. */
export interface EffectTargets {
	cache: PublicCache;
	/** Null where no queue exists (scripts). */
	webhooks: WebhookOutbox | null;
	/** Null where no queue exists (scripts). */
	snapshots: SnapshotOutbox | null;
	/** Null without Workers AI and Vectorize (local development, tests, scripts). */
	semantic?: SemanticOutbox | null;
}

/** The effects of one event, as promises that settle when each has run. */
export function runEffects(event: CommandEvent, targets: EffectTargets): Promise<unknown>[] {
	const tags = cacheTagsToPurge(event);
	return [
		...(tags.length > 0 ? [targets.cache.purge(tags)] : []),
		...(targets.webhooks ? [queueFanOut(targets.webhooks, event)] : []),
		...(targets.snapshots
			? [
					requestSnapshots(targets.snapshots, event),
					requestSettlingPurge(targets.snapshots, event),
					requestDeferredArchiveOrg(targets.snapshots, event),
				]
			: []),
		...(targets.semantic ? [embedClaims(targets.semantic, event)] : []),
	];
}

/**
 * The Worker's side effects: each runs in the background of the request that made the
 * write (`ctx.waitUntil`), so a slow purge or queue never delays the answer. A command
 * emits after its write has committed, so emitting never throws: a throw would answer 500
 * for a saved write, and a client that retries it without an Idempotency-Key saves it twice.
 */
export function backgroundEffects(waitUntil: WaitUntil, targets: () => EffectTargets): Effects {
	return {
		emit(event) {
			try {
				for (const effect of runEffects(event, targets())) waitUntil(effect);
			} catch (error) {
				console.error(JSON.stringify({ event: "effects-failed", type: event.type, error: String(error) }));
			}
		},
	};
}
