import { factory } from "../factory";
import { APP_CSS } from "../views/styles";

export const assetRoutes = factory.createApp().get("/assets/app.css", (c) =>
	c.body(APP_CSS, 200, {
		"Content-Type": "text/css; charset=utf-8",
		"Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
	}),
);
