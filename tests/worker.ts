import deskWorker from "../src/desk-worker";
import PublicWorker from "../src/index";

/**
 * The Worker the tests run: both of production's Workers in one. The default export is
 * the public Worker (src/index.ts) and `DeskWorker` the desk Worker (src/desk-worker.ts);
 * vitest.config.ts points the public Worker's `DESK` binding at `DeskWorker` and the
 * desk Worker's `PUBLIC` binding back at the default export, so every request the tests
 * send crosses the same service bindings as in production.
 */
export default class TestWorker extends PublicWorker {
	/** Queue messages reach the default export; in production they are the desk Worker's. */
	override async queue(batch: MessageBatch<{ deliveryId: string } | { snapshotId: string }>): Promise<void> {
		await deskWorker.queue(batch, this.env, this.ctx);
	}
}

export { deskWorker as DeskWorker };
