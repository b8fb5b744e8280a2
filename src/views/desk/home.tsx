import type { UiLanguage } from "../../domain/ratings";
import type { ActivityEntry } from "../../store/desk";
import type { ListedClaim } from "../../store/public-claims";
import { type MessageKey, t } from "../i18n";
import { type DeskChrome, DeskLayout } from "./desk-layout";
import { type FieldErrors, SelectField, TextField } from "./fields";
import { formatDateTime } from "./labels";
import { StatusPill } from "./status";

export const DESK_LISTS = ["unverified", "in-review", "published", "all"] as const;
export type DeskList = (typeof DESK_LISTS)[number];

export interface Draft {
	verdictId: string;
	headline: string;
	updatedAt: string;
	claimId: string;
	claimText: string;
	speakerName: string | null;
}

const LIST_KEYS = {
	unverified: "deskListUnverified",
	"in-review": "deskListInReview",
	published: "deskListPublished",
	all: "deskListAll",
} as const;

function excerpt(text: string, max = 160): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function HomePage(props: {
	chrome: DeskChrome;
	list: DeskList;
	q: string;
	language: string;
	errors: FieldErrors;
	claims: ListedClaim[];
	nextHref: string | null;
	drafts: Draft[];
	activity: ActivityEntry[];
	flash?: string | null;
}) {
	const { chrome, list } = props;
	const { lang } = chrome;
	const title = t(lang, "deskTitle");
	return (
		<DeskLayout chrome={chrome} title={title}>
			<h1>{title}</h1>
			{props.flash ? (
				<div class="notice" role="status">
					{props.flash}
				</div>
			) : null}
			<p>
				<a class="button" href="/desk/claims/new">
					{t(lang, "deskNewClaim")}
				</a>
			</p>
			<h2>{t(lang, "deskMyDrafts")}</h2>
			{props.drafts.length === 0 ? (
				<p>{t(lang, "deskNoDrafts")}</p>
			) : (
				<ul class="claims">
					{props.drafts.map((draft) => (
						<li>
							<a href={`/desk/verdicts/${draft.verdictId}/edit`}>
								<bdi>{draft.headline}</bdi>
							</a>
							<span class="text">{excerpt(draft.claimText)}</span>
							<span class="meta">
								{draft.speakerName ? `${draft.speakerName} · ` : ""}
								{t(lang, "deskUpdated")} {formatDateTime(draft.updatedAt, lang)} ·{" "}
								<a href={`/desk/claims/${draft.claimId}`}>{t(lang, "deskOpenClaim")}</a>
							</span>
						</li>
					))}
				</ul>
			)}
			<h2>{t(lang, "deskActivity")}</h2>
			{props.activity.length === 0 ? (
				<p>{t(lang, "deskNoActivity")}</p>
			) : (
				<ul class="activity">
					{props.activity.map((entry) => (
						<li>
							<a href={`/desk/claims/${entry.claimId}`}>{activityLabel(lang, entry.action)}</a>{" "}
							<span class="meta">
								{entry.actorName ?? entry.actorLabel ?? "?"} · {formatDateTime(entry.at, lang)}
							</span>
						</li>
					))}
				</ul>
			)}
			<h2>{t(lang, "claims")}</h2>
			<nav aria-label={t(lang, "deskListsLabel")} class="tabs">
				<ul>
					{DESK_LISTS.map((key) => (
						<li>
							<a href={`/desk?list=${key}`} aria-current={key === list ? "page" : undefined}>
								{t(lang, LIST_KEYS[key])}
							</a>
						</li>
					))}
				</ul>
			</nav>
			<form method="get" action="/desk" class="filters">
				<input type="hidden" name="list" value={list} />
				<TextField
					name="q"
					type="search"
					label={t(lang, "searchLabel")}
					lang={lang}
					errors={props.errors}
					value={props.q}
				/>
				<SelectField
					name="language"
					label={t(lang, "deskClaimLanguage")}
					lang={lang}
					errors={props.errors}
					value={props.language}
					placeholder={t(lang, "deskAnyLanguage")}
					options={[
						{ value: "de", label: "Deutsch" },
						{ value: "en", label: "English" },
					]}
				/>
				<button type="submit">{t(lang, "search")}</button>
			</form>
			<ClaimList lang={lang} claims={props.claims} />
			{props.nextHref ? (
				<p>
					<a href={props.nextHref}>{t(lang, "nextPage")}</a>
				</p>
			) : null}
		</DeskLayout>
	);
}

function ClaimList(props: { lang: UiLanguage; claims: ListedClaim[] }) {
	const { lang } = props;
	if (props.claims.length === 0) return <p>{t(lang, "noResults")}</p>;
	return (
		<ul class="claims">
			{props.claims.map(({ claim, speaker, firstSource }) => (
				<li>
					<StatusPill lang={lang} status={claim.status} />{" "}
					<a href={`/desk/claims/${claim.id}`} class="text">
						{excerpt(claim.text)}
					</a>
					<span class="meta">
						{[speaker?.name, firstSource?.publisher ?? firstSource?.domain, claim.claimedAt]
							.filter(Boolean)
							.join(" · ")}
					</span>
				</li>
			))}
		</ul>
	);
}

function activityLabel(lang: UiLanguage, action: string): string {
	const key = ACTIVITY_LABELS[action];
	return key ? t(lang, key) : action;
}

const ACTIVITY_LABELS: Record<string, MessageKey> = {
	"add-appearance": "deskActivityAppearance",
	publish: "deskActivityPublish",
	"publish-correction": "deskActivityCorrection",
	retract: "deskActivityRetract",
};
