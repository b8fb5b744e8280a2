import { PatternRouter } from "hono/router/pattern-router";
import { createShell, finishShell } from "./app-shell";
import { publicApi } from "./routes/api/public";
import { archiveRoutes } from "./routes/archive";
import { assetRoutes } from "./routes/assets";
import { embedRoutes } from "./routes/embeds";
import { feedRoutes } from "./routes/feeds";
import { googleFactCheckRoutes } from "./routes/google-fact-check";
import { healthRoutes } from "./routes/health";
import { languageRoutes } from "./routes/language";
import { pageRoutes } from "./routes/pages";
import { ratingRoutes } from "./routes/ratings";
import { sitemapRoutes } from "./routes/sitemaps";

/**
 * The public read surfaces: what the public Worker answers itself (src/index.ts). The
 * desk Worker (src/app.ts) mounts these same routers beside the desk and the write API,
 * and the claim matcher's (/api/v1/claims/matches, Google's pasted claims), which the
 * public Worker hands it: the matcher would take the public bundle past 150 KiB (#14).
 */
export function mountPublicRoutes(app: ReturnType<typeof createShell>) {
	app.route("/", healthRoutes);
	app.route("/api/v1", publicApi);
	app.route("/", googleFactCheckRoutes);
	app.route("/", assetRoutes);
	app.route("/", languageRoutes);
	app.route("/", embedRoutes);
	app.route("/", feedRoutes);
	app.route("/", ratingRoutes);
	app.route("/", archiveRoutes);
	app.route("/", sitemapRoutes);
	app.route("/", pageRoutes);
	return app;
}

export const publicApp = mountPublicRoutes(createShell());
finishShell(publicApp);

const readRoutes = new PatternRouter<true>();
const MATCHES_PATH = "/api/v1/claims/matches";
for (const route of publicApp.routes) if (route.method === "GET") readRoutes.add("GET", route.path, true);

/**
 * Whether the public Worker answers a request itself: a GET or HEAD of a read route.
 * Everything else — the desk, every write, OPTIONS, the API description, unknown paths
 * (whose 404 or 405 needs every route) — goes to the desk Worker.
 */
export function isPublicRead(method: string, path: string): boolean {
	if (method !== "GET" && method !== "HEAD") return false;
	// The desk Worker's read (the claim matcher): the public API's /claims/:id would take it.
	if (path === MATCHES_PATH || path === `${MATCHES_PATH}/`) return false;
	return readRoutes.match("GET", path)[0].length > 0;
}
