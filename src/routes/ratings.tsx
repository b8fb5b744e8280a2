import { factory } from "../factory";
import { sendCached } from "../lib/http-cache";
import { addressLanguage, pathWithoutLang } from "../lib/language";
import { pageCsp } from "../lib/page-csp";
import { publicOrigin } from "../lib/public-origin";
import { declareRoute } from "../lib/route-declaration";
import { t } from "../views/i18n";
import { Layout } from "../views/layout";
import { PageAddressLinks } from "../views/page-address";
import { RatingsPage } from "../views/pages/ratings-page";
import { RATINGS_PATH } from "../views/rating-link";

/**
 * The rating scale explained (`/ratings`), where every chip links. Like the other pages it
 * negotiates its language unless `?lang=` names it; only then is it shared-cacheable.
 * The page CSP is this route's own middleware: one mounted with `.use()` here would also
 * run for every request that passes through this router on its way to the pages.
 */
export const ratingRoutes = factory
	.createApp()
	.get(
		RATINGS_PATH,
		declareRoute({ method: "GET", path: "/ratings", access: "public" }),
		pageCsp,
		async (c) => {
			const lang = c.var.lang;
			const html = `<!DOCTYPE html>${(
				(
					<Layout
						title={t(lang, "ratingsTitle")}
						lang={lang}
						path={pathWithoutLang(c.req.url)}
						head={
							<PageAddressLinks
								origin={publicOrigin(c)}
								address={{ path: RATINGS_PATH }}
								explicitLang={addressLanguage(c.var)}
							/>
						}
						orgName={c.env.ORG_NAME}
					>
						<RatingsPage lang={lang} />
					</Layout>
				)
			).toString()}`;
			return c.var.langNegotiated
				? sendCached(c, html, "text/html; charset=utf-8", {
						cacheControl: "private, max-age=0, must-revalidate",
						headers: { Vary: "Accept-Language, Cookie" },
					})
				: sendCached(c, html, "text/html; charset=utf-8", {
						cacheControl: "public, max-age=3600, stale-while-revalidate=86400",
					});
		},
	);
