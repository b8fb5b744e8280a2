import type { UiLanguage } from "../../domain/ratings";
import { formatDate, type MessageKey, t } from "../i18n";
import { Layout } from "../layout";

/**
 * Each status a reader may meet, as a title and a sentence in the page's language. The
 * problem's own title and detail are written for API clients, in English, and may quote
 * a schema's internals (a pattern, a type): a page never shows them.
 */
const WORDS: Record<number, [MessageKey, MessageKey]> = {
	400: ["errorBadRequestTitle", "errorBadRequestText"],
	401: ["errorUnauthorizedTitle", "errorUnauthorizedText"],
	403: ["errorForbiddenTitle", "errorForbiddenText"],
	404: ["notFoundTitle", "notFoundText"],
	405: ["errorMethodTitle", "errorMethodText"],
	409: ["errorConflictTitle", "errorConflictText"],
	410: ["errorGoneTitle", "errorGoneText"],
	413: ["errorTooLargeTitle", "errorTooLargeText"],
	415: ["errorMediaTypeTitle", "errorMediaTypeText"],
	422: ["errorInvalidTitle", "errorInvalidText"],
	429: ["errorTooManyTitle", "errorTooManyText"],
	500: ["errorServerTitle", "errorServerText"],
	501: ["errorNotImplementedTitle", "errorNotImplementedText"],
	502: ["errorUnavailableTitle", "errorUnavailableText"],
	503: ["errorUnavailableTitle", "errorUnavailableText"],
	504: ["errorUnavailableTitle", "errorUnavailableText"],
};

/** A status's title in `lang`, as the error page says it (the API's German problem titles). */
export function statusTitle(status: number, lang: UiLanguage): string {
	return t(lang, (WORDS[status] ?? WORDS[status >= 500 ? 500 : 400] ?? ["errorBadRequestTitle"])[0]);
}

/** The query parameters of the public pages, in words; any other by its name. */
const FIELD_WORDS: Record<string, MessageKey> = {
	q: "fieldSearch",
	cursor: "fieldCursor",
	next: "fieldNext",
};

/** "query.q" → "the search text"; a path without a parameter (the whole query) names none. */
function fieldInWords(path: string, lang: UiLanguage): string | null {
	const name = path.split(".")[1];
	if (!name) return null;
	const key = FIELD_WORDS[name];
	return key ? t(lang, key) : t(lang, "fieldOther", { name });
}

interface ErrorPageProps {
	status: number;
	lang: UiLanguage;
	orgName: string;
	requestId?: string;
	/** The request's method, which a 405 names. */
	method: string;
	/** The address asked for, without `lang`: the language switch comes back to it, not to the home page. */
	path: string;
	/** A 422's field paths ("query.q"): named in words, never with the validator's message. */
	fields?: string[];
	/** A removed claim's date (a 410 with code claim-removed). */
	removedAt?: string;
}

function errorWords(props: ErrorPageProps): { title: string; text: string } {
	const { lang, status } = props;
	const [titleKey, textKey] =
		WORDS[status] ??
		(status >= 500
			? ["errorServerTitle", "errorServerText"]
			: ["errorBadRequestTitle", "errorBadRequestText"]);
	if (status === 410 && props.removedAt) {
		return {
			title: t(lang, "claimRemovedTitle"),
			text: t(lang, "claimRemovedText", { date: formatDate(props.removedAt, lang) }),
		};
	}
	const names = [...new Set((props.fields ?? []).map((path) => fieldInWords(path, lang)))].filter(
		(name): name is string => name !== null,
	);
	const text =
		status === 422 && names.length > 0
			? t(lang, "errorInvalidFieldsText", { fields: names.join(", ") })
			: t(lang, textKey, { method: props.method });
	return { title: t(lang, titleKey), text };
}

export function ErrorPage(props: ErrorPageProps) {
	const { lang } = props;
	const { title, text } = errorWords(props);
	return (
		<Layout title={title} lang={lang} path={props.path} orgName={props.orgName}>
			<h1>{title}</h1>
			<p>{text}</p>
			{props.requestId ? (
				<p class="meta">
					{t(lang, "requestId")}: {props.requestId}
				</p>
			) : null}
			<p>
				<a href="/">{t(lang, "appName")}</a>
			</p>
		</Layout>
	);
}
