import type { Child } from "hono/jsx";
import type { DeskSession } from "../../auth/session";
import type { SettingProblem } from "../../domain/deployment-settings";
import type { UiLanguage } from "../../domain/ratings";
import { Layout } from "../layout";
import { t } from "./desk-i18n";
import type { FieldErrors } from "./fields";
import { hasPageErrors, PageErrorSummary, type PageErrors } from "./fields";
import { roleLabel } from "./labels";

export interface DeskChrome {
	lang: UiLanguage;
	nonce: string;
	orgName: string;
	/** Current path without `lang`, for the language switch. */
	path: string;
	session: DeskSession | null;
	/** What is wrong with the deployment's settings; shown to admins only (empty for others). */
	settingProblems: SettingProblem[];
}

const DESK_SCRIPT_PATH = "/desk/assets/desk.js";

export function DeskLayout(props: {
	chrome: DeskChrome;
	title: string;
	children: Child;
	script?: boolean;
	/** A failed small form of the page: summarised atop it, and the tab's title says "Error:". */
	errors?: PageErrors | null | undefined;
	/**
	 * The errors of the page's own form, which it summarises itself: the tab's title says
	 * "Error:" too, as the first thing a screen reader reads of a page that came back.
	 */
	formErrors?: FieldErrors | undefined;
	/** A refusal's notice stands on the page (409: changed meanwhile): the title says "Error:" too. */
	refused?: boolean;
}) {
	const { chrome } = props;
	const failed = hasPageErrors(props.errors) ? props.errors : null;
	const titled = failed || props.refused || (props.formErrors && Object.keys(props.formErrors).length > 0);
	return (
		<Layout
			title={titled ? `${t(chrome.lang, "deskErrorPrefix")} ${props.title}` : props.title}
			lang={chrome.lang}
			path={chrome.path}
			orgName={chrome.orgName}
			head={props.script ? <script src={DESK_SCRIPT_PATH} nonce={chrome.nonce} defer /> : undefined}
			deskNav={chrome.session ? <DeskNav lang={chrome.lang} session={chrome.session} /> : undefined}
		>
			{failed ? <PageErrorSummary lang={chrome.lang} page={failed} /> : null}
			{chrome.session?.user.role === "admin" && chrome.path.startsWith("/desk/admin/") ? (
				<AdminNav lang={chrome.lang} path={chrome.path} />
			) : null}
			{chrome.settingProblems.length > 0 ? (
				<SettingsWarning lang={chrome.lang} problems={chrome.settingProblems} />
			) : null}
			{props.children}
		</Layout>
	);
}

/** An admin's warning, atop every desk page, until the deployment's settings are fixed. */
function SettingsWarning(props: { lang: UiLanguage; problems: SettingProblem[] }) {
	const { lang } = props;
	return (
		<div class="notice error" role="alert">
			<p>
				<strong>{t(lang, "deskSettingsHeading")}</strong>
			</p>
			<ul>
				{props.problems.map((problem) => (
					<li>{settingProblemText(lang, problem)}</li>
				))}
			</ul>
			<p>{t(lang, "deskSettingsFix")}</p>
		</div>
	);
}

function settingProblemText(lang: UiLanguage, problem: SettingProblem): string {
	switch (problem.kind) {
		case "unknown-value":
			return t(lang, "deskSettingUnknown", {
				name: problem.name,
				value: problem.value,
				allowed: problem.allowed.join(", "),
				using: problem.using,
			});
		case "invalid-url":
			return t(lang, "deskSettingInvalidUrl", { name: problem.name, value: problem.value });
		case "missing":
			return t(lang, "deskSettingMissing", { name: problem.name });
		case "public-url-elsewhere":
			return t(lang, "deskSettingPublicUrlElsewhere", { value: problem.value, reached: problem.reachedAt });
		case "public-url-insecure":
			return t(lang, "deskSettingPublicUrlInsecure", { value: problem.value });
		case "demo-value":
			return t(lang, "deskSettingDemo", { name: problem.name, value: problem.value });
		case "invalid-time-zone":
			return t(lang, "deskSettingTimeZone", {
				name: problem.name,
				value: problem.value,
				using: problem.using,
			});
	}
}

const ADMIN_PAGES = [
	{ href: "/desk/admin/users", key: "deskUsers" },
	{ href: "/desk/admin/webhooks", key: "deskWebhooks" },
] as const;

/**
 * The admin area's pages, atop each of them. The header's "Accounts" link leads here:
 * for an admin the header already needs more than 1280 px, so it gets no more links.
 */
function AdminNav(props: { lang: UiLanguage; path: string }) {
	const path = props.path.split("?")[0];
	return (
		<nav aria-label={t(props.lang, "deskAdminNavLabel")} class="tabs">
			<ul>
				{ADMIN_PAGES.map((entry) => (
					<li>
						<a href={entry.href} aria-current={path === entry.href ? "page" : undefined}>
							{t(props.lang, entry.key)}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

function DeskNav(props: { lang: UiLanguage; session: DeskSession }) {
	const { lang, session } = props;
	return (
		<nav class="desk-nav" aria-label={t(lang, "deskNavLabel")}>
			<ul>
				<li>
					<a href="/desk">{t(lang, "deskHome")}</a>
				</li>
				<li>
					<a href="/desk/claims/new">{t(lang, "deskNewClaim")}</a>
				</li>
				<li>
					<a href="/desk/articles/new">{t(lang, "deskFromArticle")}</a>
				</li>
				<li>
					<a href="/desk/tokens">{t(lang, "deskTokens")}</a>
				</li>
				{session.user.role === "admin" ? (
					<li>
						<a href="/desk/admin/users">{t(lang, "deskUsers")}</a>
					</li>
				) : null}
			</ul>
			<span class="who">
				{session.user.name} · {roleLabel(lang, session.user.role)}
			</span>
			<form method="post" action="/desk/logout" class="inline">
				<input type="hidden" name="_csrf" value={session.csrfToken} />
				<button type="submit" class="secondary">
					{t(lang, "deskLogout")}
				</button>
			</form>
		</nav>
	);
}

/** The hidden fields every desk form carries: the session's CSRF token and a fresh idempotency key. */
export function FormSecrets(props: { csrf: string; idem?: string }) {
	return (
		<>
			<input type="hidden" name="_csrf" value={props.csrf} />
			{props.idem ? <input type="hidden" name="_idem" value={props.idem} /> : null}
		</>
	);
}
