import { PatternRouter } from "hono/router/pattern-router";
import { secureHeaders } from "hono/secure-headers";
import { factory } from "./factory";
import { cachePolicy } from "./lib/cache-policy";
import { notFoundHandler, onError } from "./lib/error-handler";
import { defaultFraming } from "./lib/framing";
import { languageMiddleware } from "./lib/language";
import { publicCors } from "./lib/public-cors";
import { requestIds } from "./lib/request-id";
import { collaborationApi } from "./routes/api/collaboration";
import { editApi } from "./routes/api/edits";
import { extractApi } from "./routes/api/extract";
import { importApi } from "./routes/api/import";
import { matchApi } from "./routes/api/matches";
import { publicApi } from "./routes/api/public";
import { webhookApi } from "./routes/api/webhooks";
import { writeApi } from "./routes/api/write";
import { archiveRoutes } from "./routes/archive";
import { assetRoutes } from "./routes/assets";
import { deskRoutes } from "./routes/desk";
import { embedRoutes } from "./routes/embeds";
import { feedRoutes } from "./routes/feeds";
import { googleFactCheckRoutes } from "./routes/google-fact-check";
import { healthRoutes } from "./routes/health";
import { languageRoutes } from "./routes/language";
import { pageRoutes } from "./routes/pages";
import { ratingRoutes } from "./routes/ratings";

/** The composed app; index.ts wraps it in the hot cache. Tests read its routes. */
export const app = factory.createApp();

app.use(requestIds);
app.use(cachePolicy);
app.use(
	secureHeaders({
		strictTransportSecurity: "max-age=31536000; includeSubDomains",
		// Framing and CSP are per route (the embed card may be framed): see lib/framing.
		xFrameOptions: false,
		referrerPolicy: "strict-origin-when-cross-origin",
		crossOriginResourcePolicy: false,
		// Headers that only mean something for a document are added to HTML alone
		// (lib/framing): a badge or a JSON answer is lighter without them.
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

app.route("/", healthRoutes);
// Writes and the desk come before the routers below: the pages' middleware (mounted
// at "*") would otherwise run for them first. CORS is per declared route (lib/public-cors).
app.route("/api/v1", writeApi);
app.route("/api/v1", editApi);
app.route("/api/v1", importApi);
app.route("/api/v1", extractApi);
app.route("/api/v1", webhookApi);
app.route("/api/v1", collaborationApi);
app.route("/desk", deskRoutes);
app.route("/api/v1", matchApi);
app.route("/api/v1", publicApi);
app.route("/", googleFactCheckRoutes);
app.route("/", assetRoutes);
app.route("/", languageRoutes);
app.route("/", embedRoutes);
app.route("/", feedRoutes);
app.route("/", ratingRoutes);
app.route("/", archiveRoutes);
app.route("/", pageRoutes);

app.onError(onError);
app.notFound(notFoundHandler(methodIndex(app.routes)));

/** For 405s: which methods the composed routes accept at a path. */
function methodIndex(routes: { method: string; path: string }[]) {
	const router = new PatternRouter<string>();
	for (const route of routes) if (route.method !== "ALL") router.add("ALL", route.path, route.method);
	return (path: string) => [...new Set(router.match("GET", path)[0].map(([method]) => method))];
}
