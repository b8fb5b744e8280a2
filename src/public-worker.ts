import { createShell, finishShell } from "./app-shell";
import { fromDeskWorker } from "./lib/desk-caller";
import { deskWorkerFailed } from "./lib/errors";
import { withHotCache } from "./lib/hot-cache";
import { answerDeskPurge, PURGE_TAGS_HEADER, publicCacheFor, retriedLater } from "./lib/public-cache";
import { workersCacheOf } from "./lib/workers-caching";
import { isPublicRead, publicApp } from "./public-app";

/**
 * The public Worker's bindings: a subset of the desk Worker's (`Env`, generated from
 * wrangler.desk.toml; tests/node/wrangler-configs.test.ts holds the two files to that),
 * plus the service binding to the desk Worker.
 */
export type PublicEnv = Env & { DESK: Service<typeof import("./desk-worker").default> };

/** The path of an absolute URL, without parsing it (this runs for every request). */
function pathOf(url: string): string {
	const start = url.indexOf("/", url.indexOf("//") + 2);
	if (start < 0) return "/";
	const end = url.slice(start).search(/[?#]/);
	return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * The request as handed to the desk Worker, its body piped through a stream this Worker
 * controls. The desk Worker may answer without reading the whole body (413 over a route's
 * limit, 401 before an upload is read); the pipe is then stopped. Forwarded as it came,
 * workerd's own pump would go on reading the client's body after the answer was sent and
 * fail, uncaught, once per refused upload. The pipe's own failure is left unreported on
 * purpose: the desk Worker, reading the same stream, meets it and answers for it.
 */
function withStoppableBody(request: Request): { request: Request; stop: () => void } {
	if (!request.body) return { request, stop: () => undefined };
	const pipe = new IdentityTransformStream();
	const stopped = new AbortController();
	request.body.pipeTo(pipe.writable, { signal: stopped.signal }).catch(() => undefined);
	return { request: new Request(request, { body: pipe.readable }), stop: () => stopped.abort() };
}

/**
 * An answer of the desk Worker, with the purge its write asked for done first: this
 * isolate's copies and, locally, the Cache API's are gone before the writer reads again;
 * under Workers Caching the global purge runs in the background, and if it fails it is
 * made again from the queue (lib/public-cache `retriedLater`).
 */
async function fromDesk(request: Request, env: PublicEnv, ctx: ExecutionContext): Promise<Response> {
	const forwarded = withStoppableBody(request);
	let answer: Response;
	try {
		answer = await env.DESK.fetch(forwarded.request);
	} catch (error) {
		deskFailures.set(request, error);
		return deskFailed.fetch(request, env, ctx);
	} finally {
		forwarded.stop();
	}
	const tags = answer.headers.get(PURGE_TAGS_HEADER);
	if (!tags) return answer;
	const response = new Response(answer.body, answer);
	response.headers.delete(PURGE_TAGS_HEADER);
	const purging = retriedLater(publicCacheFor(ctx, env.DB), env.SNAPSHOT_QUEUE).purge(tags.split(","));
	if (workersCacheOf(ctx)) ctx.waitUntil(purging);
	else await purging;
	return response;
}

/** Why the desk Worker did not answer a request, for `deskFailed`'s log line. */
const deskFailures = new WeakMap<Request, unknown>();

/**
 * The answer when the desk Worker's run fails (its CPU limit, an uncaught error) and the
 * DESK binding's fetch rejects: unanswered, every client got Cloudflare's 1101 HTML page.
 * A 503 with Retry-After through the shell's one error path instead, so it is what any
 * other answer's error is: problem+json with a request id, Google's shape under /v1alpha1,
 * a page in the reader's language for a browser (the desk's pages too). The body is not
 * read: the pipe to the desk Worker already took it.
 */
const deskFailed = createShell();
deskFailed.all("*", (c) => {
	const request = { requestId: c.var.requestId, method: c.req.method, path: c.req.path };
	throw deskWorkerFailed(request, deskFailures.get(c.req.raw));
});
finishShell(deskFailed);

/**
 * The public Worker's request handler: hot answers from the isolate, read routes from
 * the public app, the desk Worker's purges (over its `PUBLIC` binding, known by the
 * binding's props), and everything else from the desk Worker over the `DESK` service
 * binding, unchanged in both directions (its answers carry their own caching headers:
 * the desk's and every write's are `private, no-store`).
 */
export const servePublic = withHotCache<PublicEnv>((request, env, ctx) => {
	if (isPublicRead(request.method, pathOf(request.url))) return publicApp.fetch(request, env, ctx);
	return fromDeskWorker(ctx) ? answerDeskPurge(request, ctx, env.DB) : fromDesk(request, env, ctx);
});
