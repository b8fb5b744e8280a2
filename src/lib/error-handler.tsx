import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { claimTag } from "../domain/cache-tags";
import { ID_PATTERN } from "../domain/ids";
import type { UiLanguage } from "../domain/ratings";
import { TRAILING_SLASHES } from "../domain/trailing-runs";
import type { AppEnv } from "../factory";
import { EmbedUnavailableCard } from "../views/embed-card";
import { formatDate, t } from "../views/i18n";
import { pageUrl } from "../views/page-address";
import { ErrorPage, statusTitle } from "../views/pages/error-page";
import { CARD_CROSS_ORIGIN, embedCrossOrigin } from "./cross-origin";
import { constraintFailure, isD1Unavailable } from "./d1-errors";
import { AppError, googleErrorBody, type ProblemBody, problemBody } from "./errors";
import { publicCacheHeaders } from "./http-cache";
import { pathWithoutLang } from "./language";
import { EMBED_CARD_CSP, PAGE_CSP } from "./page-csp";
import { publicOrigin } from "./public-origin";

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
 * Whether a browser asking for text/html at this path gets its errors as a page (the embed
 * card's address: a card) rather than problem+json. The machine surfaces never do. The
 * OpenAPI document (lib/openapi) reads this too, so it lists text/html where it is sent.
 */
export function errorsAsPage(path: string): boolean {
	return !/^\/(api|v1alpha1|badges|oembed|feeds|healthz)(\/|$)/.test(path);
}

/**
 * Browsers asking for a page get an HTML error page; programs get problem+json, and
 * Google's clients (/v1alpha1) Google's error shape.
 */
function wantsHtml(c: Context<AppEnv>): boolean {
	return errorsAsPage(c.req.path) && (c.req.header("Accept") ?? "").includes("text/html");
}

function problem(c: Context<AppEnv>, error: AppError): Response {
	if (wantsHtml(c)) return htmlProblem(c, error);
	if (c.req.path.startsWith("/v1alpha1/")) {
		const body = googleErrorBody(error, c.get("requestId"));
		return c.body(JSON.stringify(body), body.error.code as 400, {
			...error.headers,
			"Content-Type": "application/json; charset=utf-8",
			"Cache-Control": "no-store",
		});
	}
	// The still percent-encoded path: a problem never echoes decoded input.
	const body = {
		...problemIn(
			problemLanguage(c),
			problemBody(error, new URL(c.req.url).pathname, c.get("requestId")),
			error,
		),
		...keptClaimLink(c, error),
	};
	// c.body keeps headers that middleware set earlier (request id, CORS).
	return c.body(JSON.stringify(body), error.status as 400, {
		...error.headers,
		"Content-Type": "application/problem+json; charset=utf-8",
		"Cache-Control": "no-store",
	});
}

/**
 * The language of a problem+json: a read of the public API asked for with `?lang=` (GET or
 * HEAD under /api/v1) answers in it, as its rating labels are; so do the embed card's address
 * asked for as data (its `?lang=`) and oEmbed (the language of the card its `url` names, which
 * the route sets: routes/embeds), which said a removed claim in English while the API and the
 * page said it in German. Anything else in English. Never the reader's Accept-Language or
 * cookie: the address names everything an answer depends on (lib/language `languageFromUrlOnly`).
 */
function problemLanguage(c: Context<AppEnv>): UiLanguage {
	const read = c.req.method === "GET" || c.req.method === "HEAD";
	const path = c.req.path;
	const addressed = path.startsWith("/api/v1/") || path === "/oembed" || EMBED_CARD_PATH.test(path);
	if (!read || !addressed || c.get("langNegotiated") !== false) return "en";
	return c.get("lang") ?? "en";
}

/**
 * A problem's title, detail and field messages in `lang`, where the public site has the
 * words: the error page's status titles (RFC 9457 §3.1.3 lets a title change for
 * localisation), an error's own German (a search's refusal, as the list page says it). A
 * removed claim is said as its page says it, the long date in `lang`, whichever route
 * refused. `type`, `status`, field paths and `removedAt` never change; a parameter's
 * validation message stays English: the desk's table of translations (views/desk/labels
 * `fieldMessage`) weighs 31 KiB gzip, a fifth of the public Worker's bundle, for words a
 * client reads by their field path anyway.
 */
function problemIn(lang: UiLanguage, body: ProblemBody, error: AppError): ProblemBody {
	const removedAt = error.code === "claim-removed" ? error.extra.removedAt : undefined;
	if (typeof removedAt === "string") {
		const detail = t(lang, "claimRemovedText", { date: formatDate(removedAt, lang) });
		return { ...body, title: t(lang, "claimRemovedTitle"), detail };
	}
	if (lang === "en") return body;
	const title = error.code ? body.title : statusTitle(error.status, lang);
	if (error.german) return { ...body, title, ...error.german };
	return { ...body, title };
}

/**
 * A write to a claim merged away (store/retired-claims `missingClaim`, a removal's or a merge's
 * refusal) names the claim kept; its address in this API goes with it, which a store cannot
 * write, knowing no origin.
 */
function keptClaimLink(c: Context<AppEnv>, error: AppError): { claim?: string } {
	const into = error.extra.mergedInto;
	if (error.code !== "claim-merged" || typeof into !== "string" || !ID_PATTERN.test(into)) return {};
	return { claim: `${publicOrigin({ env: c.env ?? {}, req: c.req })}/api/v1/claims/${into}` };
}

/** The embed card's address: what a frame loads there is a card, its errors too (views/embed-card). */
const EMBED_CARD_PATH = /^\/embed\/([^/]+)\/?$/;

/**
 * A card for a claim that is gone (404, 410) is framed by every view of the partner's page:
 * kept a minute by browsers, like the card, and when its language is in the address, at the
 * edge too, tagged with the claim (a claim published or merged later under that id purges
 * it). In the reader's negotiated language it is that reader's alone.
 */
function unavailableCardCaching(c: Context<AppEnv>, status: number): Record<string, string> {
	const id = EMBED_CARD_PATH.exec(c.req.path)?.[1];
	if ((status !== 404 && status !== 410) || !id || !ID_PATTERN.test(id)) return {};
	if (c.get("langNegotiated") !== false)
		return { "Cache-Control": "private, max-age=60", Vary: "Accept-Language, Cookie" };
	return { "Cache-Control": "public, max-age=60", ...publicCacheHeaders([claimTag(id)]) };
}

/**
 * A problem as a page for a reader: in the page's language, styled (the pages' own CSP,
 * not lib/framing's strict one, which blocks the stylesheet), never framed, except on the
 * embed card's address, where it is a card as framable as the card. A path parameter that
 * is not well formed (`/claims/not-an-id!`) names nothing: 404 like any unknown address,
 * not 422 (API clients still get the 422 that says which parameter).
 */
function htmlProblem(c: Context<AppEnv>, error: AppError): Response {
	const lang = c.get("lang") ?? "en";
	const fields = error.status === 422 ? (error.errors ?? []).map((problem) => problem.path) : [];
	const malformedPath = fields.length > 0 && fields.every((path) => path.startsWith("param."));
	const status = malformedPath ? 404 : error.status;
	const removedAt =
		status === 410 && typeof error.extra.removedAt === "string" ? error.extra.removedAt : undefined;
	const orgName = c.env?.ORG_NAME ?? "Claimtrack";
	const headers = { ...(malformedPath ? {} : error.headers), "Cache-Control": "no-store" };
	if (EMBED_CARD_PATH.test(c.req.path) && (c.req.method === "GET" || c.req.method === "HEAD")) {
		const card = (
			<EmbedUnavailableCard
				status={status}
				lang={lang}
				theme={c.req.query("theme")}
				orgName={orgName}
				// In the card's chosen language (`?lang=`), as a card's links are; else the reader's.
				homeUrl={pageUrl(
					publicOrigin({ env: c.env ?? {}, req: c.req }),
					{ path: "/" },
					c.get("langNegotiated") === false ? lang : undefined,
				)}
				removedAt={removedAt ?? null}
			/>
		);
		return c.html(`<!DOCTYPE html>${card.toString()}`, status as 400, {
			...headers,
			...unavailableCardCaching(c, status),
			"Content-Security-Policy": EMBED_CARD_CSP,
			...CARD_CROSS_ORIGIN,
		});
	}
	const page = (
		<ErrorPage
			status={status}
			lang={lang}
			orgName={orgName}
			method={c.req.method}
			path={switchBackPath(c)}
			fields={malformedPath ? [] : fields}
			{...(removedAt ? { removedAt } : {})}
			{...(c.get("requestId") ? { requestId: c.get("requestId") } : {})}
		/>
	);
	return c.html(`<!DOCTYPE html>${page.toString()}`, status as 400, {
		...headers,
		"Content-Security-Policy": PAGE_CSP,
	});
}

/**
 * Where the error page's language switch leads: the same address in the other language
 * (a 404 or a removed claim's 410 read again), as on every page. A switch is a GET, so after
 * another method's error the address may answer nothing but that error: the home page then.
 */
function switchBackPath(c: Context<AppEnv>): string {
	return c.req.method === "GET" || c.req.method === "HEAD" ? pathWithoutLang(c.req.url) : "/";
}

/**
 * Unknown path → 404; known path with another method → 405 with `Allow`.
 * `allowedMethods` is filled by the entry file from the composed routes.
 */
export function notFoundHandler(allowedMethods: (path: string) => string[]): NotFoundHandler<AppEnv> {
	return (c) => {
		const path = c.req.path;
		const allowed = allowedMethods(path);
		// The method index ignores a trailing slash, the routes do not: `/claims/<id>/` is the
		// page's address with a slash too many, not a GET (or HEAD: the index lists it with
		// every GET) refused with "Allow: GET, HEAD".
		if (allowed.includes(c.req.method)) {
			const bare = path.replace(TRAILING_SLASHES, "");
			if (bare !== path && bare !== "" && (c.req.method === "GET" || c.req.method === "HEAD")) {
				const query = new URL(c.req.url).search;
				// An embed's redirect carries its cross-origin headers, as its merged claim's
				// does: without them a partner's fetch() or `require-corp` page stops here. No
				// Cache-Control: no-store (lib/cache-policy), so no browser keeps it for good.
				return c.body(null, 301, { Location: `${bare}${query}`, ...embedCrossOrigin(bare) });
			}
			return problem(c, new AppError(404, "There is nothing at this address."));
		}
		if (allowed.length > 0) {
			return problem(
				c,
				new AppError(405, `${c.req.method} is not allowed here.`, { headers: { Allow: allowed.join(", ") } }),
			);
		}
		return problem(c, new AppError(404, "There is nothing at this address."));
	};
}
