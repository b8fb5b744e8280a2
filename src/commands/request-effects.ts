import { createMiddleware } from "hono/factory";
import { type AppEnv, executionContext } from "../factory";
import { publicCacheOf } from "../lib/public-cache";
import { publicOrigin } from "../lib/public-origin";
import { publicClaim } from "../lib/public-visibility";
import { semanticIndexOf } from "../lib/semantic-index";
import { backgroundEffects } from "./side-effects";

/**
 * Gives each request of the desk Worker's app its commands' side effects, run in the
 * request's background: purges of the public Worker's cache, webhooks, snapshots and
 * embeddings. The dependencies are built only when a command emits its first effect.
 */
export const commandEffects = createMiddleware<AppEnv>(async (c, next) => {
	c.set(
		"effects",
		backgroundEffects(
			(p) => c.executionCtx.waitUntil(p),
			() => {
				const index = semanticIndexOf(c.env);
				return {
					cache: publicCacheOf(c.env, executionContext(c)),
					webhooks: {
						db: c.get("db"),
						queue: c.env.WEBHOOK_QUEUE,
						origin: publicOrigin(c),
						publicClaim: (detail) => publicClaim(c.env, detail) ?? null,
					},
					snapshots: { db: c.get("db"), queue: c.env.SNAPSHOT_QUEUE, now: () => Date.now() },
					semantic: index ? { db: c.get("db"), index } : null,
				};
			},
		),
	);
	await next();
});
