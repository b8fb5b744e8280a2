import type { Child } from "hono/jsx";
import type { UiLanguage } from "../domain/ratings";
import { languageSwitchNext } from "../lib/language";
import { t } from "./i18n";

const ASSET_VERSION = "17";

export interface LayoutProps {
	title: string;
	lang: UiLanguage;
	/** Path of the current page, for the language switch link. */
	path: string;
	children: Child;
	head?: Child;
	orgName: string;
	deskNav?: Child;
}

export function Layout(props: LayoutProps) {
	const other: UiLanguage = props.lang === "de" ? "en" : "de";
	// Public pages switch through /language, which remembers the choice in a cookie; the
	// desk (deskNav) keeps ?lang=, whose middleware sets the same cookie.
	const switchHref = props.deskNav
		? `${props.path}${props.path.includes("?") ? "&" : "?"}lang=${other}`
		: `/language?lang=${other}&next=${encodeURIComponent(languageSwitchNext(props.path))}`;
	return (
		<html lang={props.lang}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${props.title} – ${t(props.lang, "appName")}`}</title>
				<link rel="stylesheet" href={`/assets/app.css?v=${ASSET_VERSION}`} />
				<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
				<link
					rel="alternate"
					type="application/atom+xml"
					title={t(props.lang, "feed")}
					href={`/feeds/verdicts.atom?lang=${props.lang}`}
				/>
				{props.head}
			</head>
			<body>
				<a class="skip" href="#main">
					{t(props.lang, "skipToContent")}
				</a>
				<header class="site">
					<a class="brand" href="/">
						{t(props.lang, "appName")}
					</a>
					<nav aria-label={t(props.lang, "navMain")}>
						<ul>
							<li>
								<a href="/claims">{t(props.lang, "navClaims")}</a>
							</li>
							<li>
								<a href="/speakers">{t(props.lang, "navSpeakers")}</a>
							</li>
							<li>
								<a href="/api/docs">{t(props.lang, "navApi")}</a>
							</li>
							<li>
								<a href="/desk">{t(props.lang, "navDesk")}</a>
							</li>
						</ul>
					</nav>
					{props.deskNav}
					<a class="lang" href={switchHref} hreflang={other} lang={other}>
						{t(props.lang, "switchLanguage")}
					</a>
				</header>
				<main id="main">{props.children}</main>
				<footer class="site">
					{t(props.lang, "publishedBy")} {props.orgName} · <a href="/feeds">{t(props.lang, "feed")}</a> ·{" "}
					<a href="/api/docs">{t(props.lang, "apiDocs")}</a>
				</footer>
			</body>
		</html>
	);
}
