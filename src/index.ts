import type { PublicEnv } from "./public-worker";
import { servePublic } from "./public-worker";

/**
 * The public Worker (wrangler.toml): what readers, embeds and API clients reach, with
 * Workers Caching in front. It answers the read routes itself and hands the rest to the
 * desk Worker (src/desk-worker.ts); the desk Worker's commands and consumers purge its
 * cache through the same handler (lib/public-cache `answerDeskPurge`).
 *
 * A plain object, not a `WorkerEntrypoint` class: workerd makes a new instance of a class
 * entrypoint for every request, which cost the hot answers about 19 µs of workerd CPU per
 * request, a tenth of a hello-world request's (docs/decisions.md, "The public Worker is a
 * plain object").
 */
export default { fetch: servePublic } satisfies ExportedHandler<PublicEnv>;
