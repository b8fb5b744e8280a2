import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { toAppError } from "../../lib/error-handler";
import { ErrorPage, type ErrorStatus } from "../../views/desk/error-page";
import { chrome, type DeskEnv, page } from "./context";

const KNOWN = new Set<number>([400, 401, 403, 404, 409, 410, 413, 422, 429, 500]);

/**
 * The desk answers in HTML: a person at a browser gets a page in their language with
 * a way back, not problem+json. Forms re-render themselves with field errors; this is
 * for what cannot (a forbidden action, an expired session, a cross-site post).
 */
export const deskOnError: ErrorHandler<DeskEnv> = (err, c) => {
	const error = toAppError(err);
	const csrf = (err instanceof HTTPException && err.status === 403) || error.code === "csrf";
	if (error.status >= 500) console.error(`[${c.get("requestId")}] ${c.req.method} ${c.req.path}`, err);
	const status = (KNOWN.has(error.status) ? error.status : error.status < 500 ? 422 : 500) as ErrorStatus;
	for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
	const detail = status === 500 || csrf ? undefined : error.message;
	return page(c, <ErrorPage chrome={chrome(c)} status={status} detail={detail} csrf={csrf} />, status);
};
