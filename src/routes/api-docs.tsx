import type { Context } from "hono";
import { type AppEnv, factory } from "../factory";
import { sendJson } from "../lib/http-cache";
import { openApiDocument } from "../lib/openapi";
import { pageCsp } from "../lib/page-csp";
import { publicOrigin } from "../lib/public-origin";
import { declareRoute } from "../lib/route-declaration";
import { t } from "../views/desk/desk-i18n";
import { ApiDocs } from "../views/pages/api-docs";
import { page } from "./pages";

/** The document for this deployment's origin: the JSON answer and the page show the same one. */
function apiDocument(c: Context<AppEnv>) {
	return openApiDocument({
		title: "Claimtrack API",
		version: "1.0.0",
		description:
			"Fact-checked claims, verdicts, speakers and sources. Reads are public (CORS open, ETag, cached); writes need a bearer token.",
		serverUrl: publicOrigin(c),
	});
}

/**
 * The API's description, made from every route's declaration (lib/route-declaration).
 * Served by the desk Worker, the one that composes every route: the public Worker holds
 * only the read routes, so its own document would leave the write API out (README,
 * "Two Workers").
 */
export const apiDocRoutes = factory
	.createApp()
	.get(
		"/api/v1/openapi.json",
		// Readable from other origins, as the reads it describes: Swagger UI, Redoc and
		// client generators fetch it from theirs.
		declareRoute({ method: "GET", path: "/api/v1/openapi.json", access: "public", cors: true }),
		(c) => sendJson(c, apiDocument(c), { cacheControl: "public, max-age=300" }),
	)
	.use("/api/docs", pageCsp)
	.get("/api/docs", declareRoute({ method: "GET", path: "/api/docs", access: "public" }), (c) => {
		const doc = apiDocument(c) as unknown as Parameters<typeof ApiDocs>[0]["doc"];
		return page(c, t(c.var.lang, "apiDocs"), <ApiDocs doc={doc} lang={c.var.lang} />, null, [], {
			path: "/api/docs",
		});
	});
