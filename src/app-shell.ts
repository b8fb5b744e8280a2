import type { Hono, MiddlewareHandler } from "hono";
import { PatternRouter } from "hono/router/pattern-router";
import { secureHeaders } from "hono/secure-headers";
import { newsroomTimeZone } from "./domain/deployment-settings";
import { type AppEnv, factory } from "./factory";
import { cachePolicy } from "./lib/cache-policy";
import { notFoundHandler, onError } from "./lib/error-handler";
import { defaultFraming } from "./lib/framing";
import { languageMiddleware } from "./lib/language";
import { showTimesIn } from "./lib/newsroom-clock";
import { publicCors } from "./lib/public-cors";
import { requestIds } from "./lib/request-id";

/**
 * Every day and time an answer shows (a page, a card, an error, the desk) is the newsroom's:
 * first, so an error met by any later step is dated so too.
 */
const newsroomClock: MiddlewareHandler<AppEnv> = async (c, next) => {
	showTimesIn(newsroomTimeZone(c.env));
	await next();
};

/** What every answer of either Worker goes through before its router (README, "Two Workers"). */
export function createShell() {
	const app = factory.createApp();
	app.use(newsroomClock);
	app.use(requestIds);
	app.use(cachePolicy);
	app.use(
		secureHeaders({
			strictTransportSecurity: "max-age=31536000; includeSubDomains",
			// Framing and CSP are per route (the embed card may be framed): see lib/framing.
			xFrameOptions: false,
			crossOriginResourcePolicy: false,
			// Headers that only mean something for a document are added to HTML alone
			// (lib/framing): a badge or a JSON answer is lighter without them.
			referrerPolicy: false,
			crossOriginOpenerPolicy: false,
			originAgentCluster: false,
			xDnsPrefetchControl: false,
			xDownloadOptions: false,
			xPermittedCrossDomainPolicies: false,
			xXssProtection: false,
		}),
	);
	app.use(defaultFraming);
	app.use(languageMiddleware);
	app.use(publicCors);
	return app;
}

/** The one error path, and 404 / 405 from the routes the app composes. */
export function finishShell(app: Hono<AppEnv>): void {
	app.onError(onError);
	app.notFound(notFoundHandler(methodIndex(app.routes)));
}

/**
 * For 405s: which methods the composed routes accept at a path. HEAD wherever GET is: Hono
 * answers HEAD with the GET route (RFC 9110 §9.3.2), and an Allow that lists GET without it
 * would refuse what the route serves (a HEAD on `/claims/<id>/` got a 405, a GET a 301).
 */
function methodIndex(routes: { method: string; path: string }[]) {
	const router = new PatternRouter<string>();
	for (const route of routes) if (route.method !== "ALL") router.add("ALL", route.path, route.method);
	return (path: string) => {
		const methods = new Set(router.match("GET", path)[0].map(([method]) => method));
		if (methods.has("GET")) methods.add("HEAD");
		return [...methods];
	};
}
