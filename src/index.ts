import { WorkerEntrypoint } from "cloudflare:workers";
import { publicCacheFor } from "./lib/public-cache";
import { type PublicEnv, servePublic } from "./public-worker";

/**
 * The public Worker (wrangler.toml): what readers, embeds and API clients reach, with
 * Workers Caching in front. It answers the read routes itself and hands the rest to the
 * desk Worker (src/desk-worker.ts). Its cache is its own, so the desk Worker's commands
 * and consumers purge it through `purge`, an RPC method only service bindings can call.
 */
export default class PublicWorker extends WorkerEntrypoint<PublicEnv> {
	override fetch(request: Request): Response | Promise<Response> {
		return servePublic(request, this.env, this.ctx);
	}

	/** Makes every answer tagged with one of `tags` stale: globally under Workers Caching. */
	async purge(tags: string[]): Promise<void> {
		await publicCacheFor(this.ctx, this.env.DB).purge(tags);
	}
}
