import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../factory";
import { ErrorPage } from "../views/pages/error-page";
import { constraintFailure, isD1Unavailable } from "./d1-errors";
import { AppError, googleErrorBody, problemBody } from "./errors";

/**
 * The one error path: typed errors become problem+json (Google's error shape under
 * /v1alpha1, an HTML page for browsers); nothing internal leaks.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
	const error = toAppError(err);
	if (error.status === 500) {
		console.error(`[${c.get("requestId")}] ${c.req.method} ${c.req.path}`, err);
	} else if (error.status === 503 && !(err instanceof AppError)) {
		// An outage should show in the logs even though the client only hears "try again".
		console.warn(`[${c.get("requestId")}] ${c.req.method} ${c.req.path}: D1 unavailable`, String(err));
	}
	return problem(c, error);
};

export function toAppError(err: unknown): AppError {
	if (err instanceof AppError) return err;
	if (err instanceof HTTPException) {
		const status = err.status;
		if (status === 400) return new AppError(400, "The request body is not valid JSON or form data.");
		if (status === 413) return new AppError(413, "The request body is too large.");
		return new AppError(status, status < 500 ? err.message || undefined : undefined);
	}
	if (isD1Unavailable(err)) {
		return new AppError(503, "The database is unavailable. Try again shortly.", {
			headers: { "Retry-After": "5" },
		});
	}
	const constraint = constraintFailure(err);
	if (constraint?.kind === "unique")
		return new AppError(409, "This record already exists.", { code: "duplicate" });
	if (constraint) return new AppError(422, "The data breaks a rule of the database.", { code: "constraint" });
	return new AppError(500, "Something went wrong on our side. The request id identifies it in our logs.");
}

/**
 * Browsers asking for a page get an HTML error page; programs get problem+json, and
 * Google's clients (/v1alpha1) Google's error shape.
 */
function wantsHtml(c: Context<AppEnv>): boolean {
	const path = c.req.path;
	if (/^\/(api|v1alpha1|badges|oembed|feeds|healthz)(\/|$)/.test(path)) return false;
	return (c.req.header("Accept") ?? "").includes("text/html");
}

function problem(c: Context<AppEnv>, error: AppError): Response {
	if (wantsHtml(c)) {
		const html = `<!DOCTYPE html>${(
			(
				<ErrorPage
					status={error.status}
					title={error.title}
					detail={error.status >= 500 ? error.title : error.message}
					lang={c.get("lang") ?? "en"}
					orgName={c.env?.ORG_NAME ?? "Claimtrack"}
					requestId={c.get("requestId")}
				/>
			)
		).toString()}`;
		return c.html(html, error.status as 400, { ...error.headers, "Cache-Control": "no-store" });
	}
	if (c.req.path.startsWith("/v1alpha1/")) {
		const body = googleErrorBody(error, c.get("requestId"));
		return c.body(JSON.stringify(body), body.error.code as 400, {
			...error.headers,
			"Content-Type": "application/json; charset=utf-8",
			"Cache-Control": "no-store",
		});
	}
	// The still percent-encoded path: a problem never echoes decoded input.
	const body = problemBody(error, new URL(c.req.url).pathname, c.get("requestId"));
	// c.body keeps headers that middleware set earlier (request id, CORS).
	return c.body(JSON.stringify(body), error.status as 400, {
		...error.headers,
		"Content-Type": "application/problem+json; charset=utf-8",
		"Cache-Control": "no-store",
	});
}

/**
 * Unknown path → 404; known path with another method → 405 with `Allow`.
 * `allowedMethods` is filled by the entry file from the composed routes.
 */
export function notFoundHandler(allowedMethods: (path: string) => string[]): NotFoundHandler<AppEnv> {
	return (c) => {
		const allowed = allowedMethods(c.req.path);
		if (allowed.length > 0) {
			return problem(
				c,
				new AppError(405, `${c.req.method} is not allowed here.`, { headers: { Allow: allowed.join(", ") } }),
			);
		}
		return problem(c, new AppError(404, "There is nothing at this address."));
	};
}
