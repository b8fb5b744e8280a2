import deskWorker from "../src/desk-worker";
import publicWorker from "../src/index";
import type { PublicEnv } from "../src/public-worker";

/**
 * The Worker the tests run: both of production's Workers in one. The default export is
 * the public Worker (src/index.ts) and `DeskWorker` the desk Worker (src/desk-worker.ts);
 * vitest.config.ts points the public Worker's `DESK` binding at `DeskWorker` and the
 * desk Worker's `PUBLIC` binding back at the default export, with the props it has in
 * production, so every request the tests send crosses the same service bindings.
 */
export default {
	fetch: publicWorker.fetch,
	/** Queue messages reach the default export; in production they are the desk Worker's. */
	queue: (batch, env, ctx) => deskWorker.queue(batch, env, ctx),
} satisfies ExportedHandler<PublicEnv, { deliveryId: string } | { snapshotId: string }>;

export { deskWorker as DeskWorker };
