import { factory } from "../factory";
import { declareRoute } from "../lib/route-declaration";
import { APP_CSS } from "../views/styles";

export const assetRoutes = factory
	.createApp()
	.get("/assets/app.css", declareRoute({ method: "GET", path: "/assets/app.css", access: "public" }), (c) =>
		c.body(APP_CSS, 200, {
			"Content-Type": "text/css; charset=utf-8",
			"Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
		}),
	);
