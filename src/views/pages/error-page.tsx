import type { UiLanguage } from "../../domain/ratings";
import { t } from "../i18n";
import { Layout } from "../layout";

export function ErrorPage(props: {
	status: number;
	title: string;
	detail: string;
	lang: UiLanguage;
	orgName: string;
	requestId?: string;
}) {
	const title = props.status === 404 ? t(props.lang, "notFoundTitle") : props.title;
	return (
		<Layout title={title} lang={props.lang} path="/" orgName={props.orgName}>
			<h1>{title}</h1>
			<p>{props.status === 404 ? t(props.lang, "notFoundText") : props.detail}</p>
			{props.requestId ? (
				<p class="meta">
					{t(props.lang, "requestId")}: {props.requestId}
				</p>
			) : null}
			<p>
				<a href="/">{t(props.lang, "appName")}</a>
			</p>
		</Layout>
	);
}
