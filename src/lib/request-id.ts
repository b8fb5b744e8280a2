import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../factory";

/** A client's own id: printable ASCII, at most 64 characters; anything else is dropped. */
const CLIENT_ID = /^[\x21-\x7E]{1,64}$/;

/**
 * Every request gets an id this app makes (problem bodies, audit rows, the
 * `X-Request-Id` answer header). A client's `X-Request-Id` is never used as ours: it is
 * kept apart as `clientRequestId`, so that audit rows cannot be forged or confused.
 */
export const requestIds = createMiddleware<AppEnv>(async (c, next) => {
	const id = crypto.randomUUID();
	c.set("requestId", id);
	const client = c.req.header("X-Request-Id")?.trim();
	c.set("clientRequestId", client && CLIENT_ID.test(client) ? client : null);
	c.header("X-Request-Id", id);
	await next();
});
