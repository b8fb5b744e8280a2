import { createMiddleware } from "hono/factory";
import { archiveOrgSave } from "../domain/deployment-settings";
import { type AppEnv, type Db, executionContext } from "../factory";
import { PURGE_TAGS_HEADER, purgeOnAnswer } from "../lib/public-cache";
import { publicOrigin } from "../lib/public-origin";
import { hidesUnreviewed, publicClaim } from "../lib/public-visibility";
import { house } from "../lib/publisher";
import { semanticIndexOf } from "../lib/semantic-index";
import { unguardedDb } from "../store/tokens";
import { publishingPolicy } from "./context";
import { backgroundEffects } from "./side-effects";
import type { WebhookOutbox } from "./webhooks";

/** A request's webhook outbox: its public origin (links), the house, the deployment's visibility. */
export function webhookOutboxOf(env: Env, db: Db, origin: string): WebhookOutbox {
	return {
		db,
		queue: env.WEBHOOK_QUEUE,
		origin,
		house: house(env, origin),
		publicClaim: (detail) => publicClaim(env, detail) ?? null,
		reviewedOnly: hidesUnreviewed(env),
	};
}

/**
 * Gives each request of the desk Worker's app its commands' side effects: the tags to
 * purge go back with the answer (lib/public-cache, PURGE_TAGS_HEADER) for the public
 * Worker to purge before it answers; webhooks, snapshots and embeddings run in the
 * request's background. The public origin and the house are read before the request runs,
 * the other dependencies only when a command emits its first effect.
 */
export const commandEffects = createMiddleware<AppEnv>(async (c, next) => {
	const purges = purgeOnAnswer(c.env, executionContext(c));
	// Before any write: a command emits after its batch has committed, and a setting that
	// cannot make links must fail the request then, not turn a saved write into a 500.
	const origin = publicOrigin(c);
	house(c.env, origin);
	c.set("policy", publishingPolicy(c.env));
	c.set(
		"effects",
		backgroundEffects(
			(p) => c.executionCtx.waitUntil(p),
			() => {
				const index = semanticIndexOf(c.env);
				// Effects follow a committed write: not the token's guarded batches (store/tokens).
				const db = unguardedDb(c.get("db"));
				return {
					cache: purges.cache,
					webhooks: webhookOutboxOf(c.env, db, origin),
					snapshots: {
						db,
						queue: c.env.SNAPSHOT_QUEUE,
						now: () => Date.now(),
						archiveOrgOnReview: archiveOrgSave(c.env) && hidesUnreviewed(c.env),
					},
					semantic: index ? { db, index } : null,
				};
			},
		),
	);
	await next();
	const tags = purges.header();
	if (tags) {
		c.res = new Response(c.res.body, c.res);
		c.res.headers.set(PURGE_TAGS_HEADER, tags);
	}
});
