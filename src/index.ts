import { app } from "./app";
import { createDb } from "./factory";
import { withHotCache } from "./lib/hot-cache";
import { deliverWebhooks, recordDeadLetters } from "./queues/webhook-delivery";

/** Queue names as in wrangler.toml: the deliveries, and the dead letters the desk can replay. */
const DEAD_LETTER_QUEUE = /-dlq$/;

export default {
	fetch: withHotCache<Env>((request, env, ctx) => app.fetch(request, env, ctx)),
	async queue(batch, env) {
		const db = createDb(env.DB);
		if (DEAD_LETTER_QUEUE.test(batch.queue)) return recordDeadLetters(batch.messages, db);
		await deliverWebhooks(batch.messages, {
			db,
			fetch: (input, init) => fetch(input, init),
			now: () => Date.now(),
			allowLoopback: env.ALLOW_LOOPBACK_OUTBOUND === "true",
			deadLetters: { send: (body) => env.WEBHOOK_DEAD_LETTERS.send(body) },
		});
	},
} satisfies ExportedHandler<Env, { deliveryId: string }>;
