import { app } from "./app";
import { createDb } from "./factory";
import { withHotCache } from "./lib/hot-cache";
import { publicCacheFor } from "./lib/public-cache";
import { archiveSnapshots } from "./queues/snapshot-archive";
import { deliverWebhooks, recordDeadLetters } from "./queues/webhook-delivery";

/** Queue names as in wrangler.toml: webhook deliveries, their dead letters the desk can replay, snapshots. */
const DEAD_LETTER_QUEUE = /-dlq$/;
const SNAPSHOT_QUEUE = /-snapshots$/;

export default {
	fetch: withHotCache<Env>((request, env, ctx) => app.fetch(request, env, ctx)),
	async queue(batch, env, ctx) {
		const db = createDb(env.DB);
		if (DEAD_LETTER_QUEUE.test(batch.queue)) return recordDeadLetters(batch.messages, db);
		if (SNAPSHOT_QUEUE.test(batch.queue)) {
			return archiveSnapshots(batch.messages, {
				db,
				bucket: env.ARCHIVE,
				cache: publicCacheFor(ctx),
				now: () => Date.now(),
				allowLoopback: env.ALLOW_LOOPBACK_OUTBOUND === "true",
				archiveOrg: env.ARCHIVE_ORG_SAVE === "true",
			});
		}
		await deliverWebhooks(batch.messages, {
			db,
			fetch: (input, init) => fetch(input, init),
			now: () => Date.now(),
			allowLoopback: env.ALLOW_LOOPBACK_OUTBOUND === "true",
			deadLetters: { send: (body) => env.WEBHOOK_DEAD_LETTERS.send(body) },
		});
	},
} satisfies ExportedHandler<Env, { deliveryId: string } | { snapshotId: string }>;
