import { app } from "./app";
import type { CommandEvent } from "./commands/events";
import { webhookOutboxOf } from "./commands/request-effects";
import { currentPayload, type FanOutMessage, fanOut } from "./commands/webhooks";
import { CLAIMS_LIST_TAG } from "./domain/cache-tags";
import { archiveOrgSave, newsroomTimeZone } from "./domain/deployment-settings";
import { createDb } from "./factory";
import { showTimesIn } from "./lib/newsroom-clock";
import { publicCacheOf, retriedLater } from "./lib/public-cache";
import { configuredOrigin } from "./lib/public-origin";
import { hidesUnreviewed } from "./lib/public-visibility";
import { archiveSnapshots } from "./queues/snapshot-archive";
import { deliverWebhooks, recordDeadLetters } from "./queues/webhook-delivery";
import { compactSearchIndex } from "./store/search-index";
import { refreshSearchTerms } from "./store/search-terms";
import { failStrandedSnapshots } from "./store/snapshots";

/**
 * The desk Worker (wrangler.desk.toml): the desk, the write API, intake, the API
 * description and the queue consumers — every route, reached only through the public
 * Worker's `DESK` service binding (README, "Two Workers"). Keeping this code out of the
 * public Worker keeps the Worker that answers readers small.
 */

/** Queue names as in wrangler.desk.toml: webhook deliveries, their dead letters the desk can replay, snapshots. */
const DEAD_LETTER_QUEUE = /-dlq$/;
const SNAPSHOT_QUEUE = /-snapshots$/;
/** The weekly of the two crons in wrangler.desk.toml: the one that also compacts the index. */
const WEEKLY_CRON = "17 3 * * SUN";
/** `npm start`'s public address: the queue consumer's origin where PUBLIC_URL is unset or not an address. */
const LOCAL_ORIGIN = "http://localhost:8787";

export default {
	fetch: (request, env, ctx) => app.fetch(request, env, ctx),
	async queue(batch, env, ctx) {
		// As the app shell does per request: a consumer in an isolate that has served none
		// would date a store's message in UTC.
		showTimesIn(newsroomTimeZone(env));
		const db = createDb(env.DB);
		// The event's links as the request's were: PUBLIC_URL (wrangler.toml sets it). Without
		// one there is no request to fall back to: `npm start`'s address, said in the log, since
		// in production every webhook payload then links to localhost.
		const configured = configuredOrigin(env);
		if (!configured)
			console.warn(JSON.stringify({ event: "public-url-missing", queue: batch.queue, using: LOCAL_ORIGIN }));
		const origin = configured ?? LOCAL_ORIGIN;
		const outbox = webhookOutboxOf(env, db, origin);
		const fanOutEvent = (event: CommandEvent, eventId: string, occurredAt: string | undefined) =>
			fanOut(outbox, event, eventId, occurredAt);
		if (DEAD_LETTER_QUEUE.test(batch.queue)) return recordDeadLetters(batch.messages, db, fanOutEvent);
		if (SNAPSHOT_QUEUE.test(batch.queue)) {
			return archiveSnapshots(batch.messages, {
				db,
				bucket: env.ARCHIVE,
				cache: publicCacheOf(env, ctx),
				now: () => Date.now(),
				allowLoopback: env.ALLOW_LOOPBACK_OUTBOUND === "true",
				archiveOrg: archiveOrgSave(env),
				reviewedOnly: hidesUnreviewed(env),
			});
		}
		await deliverWebhooks(batch.messages, {
			db,
			fetch: (input, init) => fetch(input, init),
			now: () => Date.now(),
			allowLoopback: env.ALLOW_LOOPBACK_OUTBOUND === "true",
			deadLetters: { send: (body) => env.WEBHOOK_DEAD_LETTERS.send(body) },
			fanOut: fanOutEvent,
			currentPayload: (delivery) => currentPayload(outbox, delivery),
		});
	},
	/**
	 * The crons (wrangler.desk.toml): daily, search terms an older version wrote are
	 * recomputed (after an upgrade that changed them; a no-op otherwise) and copies left
	 * pending without a queue message are failed as not queued (store/snapshots
	 * `failStrandedSnapshots`); weekly, after that, the search index is compacted.
	 */
	async scheduled(controller, env, ctx) {
		showTimesIn(newsroomTimeZone(env));
		const db = createDb(env.DB);
		// Each job on its own: a refresh that fails (D1 busy) must not cost the week's
		// compaction. A failure is logged and fails the run, so the dashboard shows it.
		const failures: unknown[] = [];
		const run = async (event: string, job: () => Promise<object | null>) => {
			try {
				const result = await job();
				if (result) console.log(JSON.stringify({ event, ...result }));
			} catch (error) {
				failures.push(error);
				console.error(JSON.stringify({ event: `${event}-failed`, error: String(error) }));
			}
		};
		await run("search-terms-refreshed", async () => {
			const refresh = await refreshSearchTerms(db);
			if (refresh.refreshed === 0 && refresh.mergedWords === 0) return null;
			// New stems change what searches find: their cached answers go, as after any write.
			await retriedLater(publicCacheOf(env, ctx), env.SNAPSHOT_QUEUE).purge([CLAIMS_LIST_TAG]);
			return refresh;
		});
		await run("snapshots-stranded", async () => {
			const failed = await failStrandedSnapshots(db, Date.now());
			return failed === 0 ? null : { failed };
		});
		if (controller.cron === WEEKLY_CRON) await run("search-index-compacted", () => compactSearchIndex(db));
		if (failures.length > 0) throw new AggregateError(failures, "a scheduled job failed");
	},
} satisfies ExportedHandler<Env, { deliveryId: string } | FanOutMessage | { snapshotId: string }>;
