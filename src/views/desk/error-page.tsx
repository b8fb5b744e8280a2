import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout } from "./desk-layout";
import { fieldMessage } from "./labels";

const TITLES = {
	400: "deskErr400",
	401: "deskErr401",
	403: "deskErr403",
	404: "deskErr404",
	409: "deskErr409",
	410: "deskErr410",
	413: "deskErr413",
	422: "deskErr422",
	429: "deskErr429",
	500: "deskErr500",
} as const;

export type ErrorStatus = keyof typeof TITLES;

export function ErrorPage(props: {
	chrome: DeskChrome;
	status: ErrorStatus;
	detail?: string;
	csrf?: boolean;
}) {
	const { lang } = props.chrome;
	const title = t(lang, TITLES[props.status]);
	return (
		<DeskLayout chrome={props.chrome} title={title}>
			<h1>{title}</h1>
			{props.csrf ? <p>{t(lang, "deskErrCsrf")}</p> : null}
			{props.detail ? <p>{fieldMessage(lang, props.detail)}</p> : null}
			{props.status === 401 ? (
				<p>
					<a href="/desk/login">{t(lang, "deskLogin")}</a>
				</p>
			) : (
				<p>
					<a href="/desk">{t(lang, "deskBackHome")}</a>
				</p>
			)}
		</DeskLayout>
	);
}
