import type { Db } from "../factory";
import { planSnapshots, urlOfAppearance, urlsOfClaims, urlsOfVerdict } from "../store/snapshots";
import type { CommandEvent } from "./events";

/** The queue snapshot messages go to (binding SNAPSHOT_QUEUE). */
interface SnapshotQueue {
	sendBatch(messages: { body: { snapshotId: string } }[]): Promise<unknown>;
}

export interface SnapshotOutbox {
	db: Db;
	queue: SnapshotQueue;
	now: () => number;
}

/** Queues send at most 100 messages per batch. */
const QUEUE_BATCH = 100;

/** The addresses an event puts on record: sources of new claims and appearances, evidence of published verdicts. */
function urlsOf(db: Db, event: CommandEvent): Promise<string[]> {
	switch (event.type) {
		case "claim.created":
			return urlsOfClaims(db, [event.claimId]);
		// What the batch added, not every address of a claim it touched.
		case "claims.imported":
			return Promise.resolve([...event.urls]);
		case "appearance.added":
			return urlOfAppearance(db, event.appearanceId);
		case "verdict.published":
			return urlsOfVerdict(db, event.verdictId);
		default:
			return Promise.resolve([]);
	}
}

/**
 * After a write commits: a pending snapshot for every address it recorded that has no
 * copy from the last 24 hours, fetched by the queue consumer (queues/snapshot-archive).
 */
export async function requestSnapshots(outbox: SnapshotOutbox, event: CommandEvent): Promise<void> {
	const urls = await urlsOf(outbox.db, event);
	if (urls.length === 0) return;
	const planned = await planSnapshots(outbox.db, urls, outbox.now());
	for (let i = 0; i < planned.length; i += QUEUE_BATCH) {
		await outbox.queue.sendBatch(
			planned.slice(i, i + QUEUE_BATCH).map((row) => ({ body: { snapshotId: row.id } })),
		);
	}
}
