import { factory } from "../factory";
import { declareRoute } from "../lib/route-declaration";
import { APP_CSS } from "../views/styles";

/** The site icon: a check mark in a rounded square, as SVG (no binary asset to ship). */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f2328"/><path d="M8 17l5 5 11-12" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const assetRoutes = factory
	.createApp()
	.get("/favicon.svg", declareRoute({ method: "GET", path: "/favicon.svg", access: "public" }), (c) =>
		c.body(FAVICON, 200, {
			"Content-Type": "image/svg+xml",
			"Cache-Control": "public, max-age=604800",
		}),
	)
	// Browsers ask for /favicon.ico whatever the page says: send them to the SVG.
	.get("/favicon.ico", declareRoute({ method: "GET", path: "/favicon.ico", access: "public" }), (c) =>
		c.redirect("/favicon.svg", 301),
	)
	.get("/assets/app.css", declareRoute({ method: "GET", path: "/assets/app.css", access: "public" }), (c) =>
		c.body(APP_CSS, 200, {
			"Content-Type": "text/css; charset=utf-8",
			"Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
		}),
	);
