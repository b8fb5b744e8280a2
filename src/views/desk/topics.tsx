import type { TopicRow } from "../../store/collaboration";
import { formatNumber } from "./dashboard-labels";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { ErrorSummary, type FieldErrors, Notice, TextField } from "./fields";

/**
 * The desk's topics: every topic with its claims, in both of its names, linked to the
 * desk's list of its claims and to its public page; an editor renames one from here (its
 * address stays, so every link keeps working).
 */
export function TopicsPage(props: {
	chrome: DeskChrome;
	topics: TopicRow[];
	canRename: boolean;
	/** More topics exist than are listed (by English name, the first ones are). */
	more: boolean;
	flash: string | null;
}) {
	const { lang } = props.chrome;
	return (
		<DeskLayout chrome={props.chrome} title={t(lang, "deskTopics")}>
			<h1>{t(lang, "deskTopics")}</h1>
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			<p>{t(lang, "deskTopicsIntro")}</p>
			{props.topics.length === 0 ? (
				<p>{t(lang, "deskTopicsEmpty")}</p>
			) : (
				<div class="table-scroll">
					<table>
						<caption class="visually-hidden">{t(lang, "deskTopicsCaption")}</caption>
						<thead>
							<tr>
								<th scope="col">{t(lang, "deskTopic")}</th>
								<th scope="col">{t(lang, "deskTopicClaims")}</th>
							</tr>
						</thead>
						<tbody>
							{props.topics.map((topic) => (
								<tr id={`topic-${topic.slug}`}>
									<td>
										<a href={`/desk?list=all&topic=${topic.slug}`} dir="auto">
											{topic.nameEn}
										</a>
										{topic.nameDe === topic.nameEn ? null : (
											<>
												<br />
												<span dir="auto" lang="de">
													{topic.nameDe}
												</span>
											</>
										)}
										<br />
										<span class="meta">
											<a href={`/tags/${topic.slug}`}>{t(lang, "deskPublicPage")}</a>
											{props.canRename ? (
												<>
													{" · "}
													<a href={`/desk/topics/${topic.slug}`}>{t(lang, "deskRenameTopic")}</a>
												</>
											) : null}
										</span>
									</td>
									<td>{formatNumber(lang, topic.claims)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{props.more ? (
				<p>{t(lang, "deskTopicsMore", { count: formatNumber(lang, props.topics.length) })}</p>
			) : null}
		</DeskLayout>
	);
}

export function TopicEditPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	topic: { slug: string; nameEn: string; nameDe: string };
	values: Record<string, string | undefined>;
	errors: FieldErrors;
	notice: string | null;
}) {
	const { lang } = props.chrome;
	const { topic } = props;
	const title = `${t(lang, "deskRenameTopic")}: ${lang === "de" ? topic.nameDe : topic.nameEn}`;
	return (
		<DeskLayout chrome={props.chrome} title={title} formErrors={props.errors} refused={Boolean(props.notice)}>
			<h1 dir="auto">{title}</h1>
			<p>
				<a href="/desk/topics">{t(lang, "deskAllTopics")}</a> ·{" "}
				<a href={`/tags/${topic.slug}`}>{t(lang, "deskPublicPage")}</a>
			</p>
			<p>{t(lang, "deskRenameTopicHint", { address: `/tags/${topic.slug}` })}</p>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			<ErrorSummary
				errors={props.errors}
				lang={lang}
				labels={{ nameEn: t(lang, "deskTopicNameEn"), nameDe: t(lang, "deskTopicNameDe") }}
			/>
			<form method="post" action={`/desk/topics/${topic.slug}`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				{/* What the form was loaded with: only the names this editor changes are saved. */}
				{["nameEn", "nameDe"].map((field) => (
					<input type="hidden" name={`was.${field}`} value={props.values[`was.${field}`] ?? ""} />
				))}
				<TextField
					name="nameEn"
					label={t(lang, "deskTopicNameEn")}
					lang={lang}
					errors={props.errors}
					value={props.values.nameEn}
					required
				/>
				<TextField
					name="nameDe"
					label={t(lang, "deskTopicNameDe")}
					lang={lang}
					errors={props.errors}
					value={props.values.nameDe}
					required
				/>
				<button type="submit">{t(lang, "deskSaveTopic")}</button>
			</form>
		</DeskLayout>
	);
}
