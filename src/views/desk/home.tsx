import type { Child } from "hono/jsx";
import type { MatchCount } from "../../domain/match-count";
import type { UiLanguage } from "../../domain/ratings";
import { reviewStateOf } from "../../domain/review-state";
import { quoteMarks, shortQuote } from "../../domain/typography";
import type { ActivityEntry, ClaimCounts, DraftWriter, QueuedDraft, WritingDraft } from "../../store/desk";
import { type ListedClaim, RANKED_CANDIDATES } from "../../store/public-claims";
import { formatDate } from "../i18n";
import { ActorName, PersonName, personNameText } from "./audit-actor";
import { formatNumber } from "./dashboard-labels";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout } from "./desk-layout";
import { type FieldErrors, fieldId, Notice, type PageErrors, SelectField, TextField } from "./fields";
import { formatDateTime } from "./labels";
import { languageFilterOptions } from "./language-choice";
import { StatusPill } from "./status";
import { WordsChangedFlag } from "./words-changed";

export const DESK_LISTS = [
	"mine",
	"unassigned",
	// Unverified and in review together: a member's open claims, as the dashboard counts them.
	"open",
	"unverified",
	"in-review",
	"published",
	"retracted",
	"all",
] as const;
export type DeskList = (typeof DESK_LISTS)[number];

export interface Draft {
	verdictId: string;
	headline: string;
	updatedAt: string;
	changesRequestedAt: string | null;
	submittedAt: string | null;
	claimId: string;
	claimText: string;
	claimLanguage: string;
	speakerName: string | null;
	/** Its claim's words changed since it was last saved (store/draft-words). */
	claimChanged: boolean;
}

const LIST_KEYS = {
	mine: "deskListMine",
	unassigned: "deskListUnassigned",
	open: "deskListOpen",
	unverified: "deskListUnverified",
	"in-review": "deskListInReview",
	published: "deskListPublished",
	retracted: "deskListRetracted",
	all: "deskListAll",
} as const;

const COUNTS: { list: DeskList; count: keyof ClaimCounts }[] = [
	{ list: "unverified", count: "unverified" },
	{ list: "in-review", count: "inReview" },
	{ list: "published", count: "published" },
	{ list: "retracted", count: "retracted" },
];

const AGE_UNITS = [
	{ unit: "day", ms: 86_400_000, one: "deskAgeDaysOne", other: "deskAgeDaysOther" },
	{ unit: "hour", ms: 3_600_000, one: "deskAgeHoursOne", other: "deskAgeHoursOther" },
	{ unit: "minute", ms: 60_000, one: "deskAgeMinutesOne", other: "deskAgeMinutesOther" },
] as const satisfies readonly {
	unit: Intl.RelativeTimeFormatUnit;
	ms: number;
	one: MessageKey;
	other: MessageKey;
}[];

/**
 * How long something has waited, in its largest whole unit ("3 days", "1 hour"; at
 * least "1 minute"), with the plural form from `Intl.PluralRules`, and the same as a
 * relative time ("3 days ago", "vor 3 Tagen") from `Intl.RelativeTimeFormat`.
 */
function waitingFor(sinceIso: string, now: Date, lang: UiLanguage): { text: string; relative: string } {
	const elapsed = Math.max(0, now.getTime() - new Date(sinceIso).getTime());
	const band = AGE_UNITS.find((u) => elapsed >= u.ms) ?? AGE_UNITS[2];
	const n = Math.max(1, Math.floor(elapsed / band.ms));
	const form = new Intl.PluralRules(lang).select(n) === "one" ? band.one : band.other;
	return {
		text: t(lang, form, { n: formatNumber(lang, n) }),
		relative: new Intl.RelativeTimeFormat(lang, { numeric: "always" }).format(-n, band.unit),
	};
}

/** What narrows every list of the desk home: a claim language, a speaker, a topic (slugs). */
export interface DeskNarrowing {
	language: string;
	speaker: { slug: string; name: string } | null;
	topic: { slug: string; name: string } | null;
	assignee: { id: string; name: string } | null;
}

/** The narrowing as query parameters (tabs, the next page and the search form keep it). */
export function narrowingParams(n: DeskNarrowing): Record<string, string> {
	return {
		...(n.language ? { language: n.language } : {}),
		...(n.speaker ? { speaker: n.speaker.slug } : {}),
		...(n.topic ? { topic: n.topic.slug } : {}),
		...(n.assignee ? { assignee: n.assignee.id } : {}),
	};
}

/** A list's tab, keeping the search and the narrowing: a tab narrows a search. */
/**
 * Lists that name their own assignee (me, nobody): a narrowing to someone else does not
 * apply to them (routes/desk/home), and their tabs leave it out.
 */
export function ownList(list: DeskList): boolean {
	return list === "mine" || list === "unassigned";
}

function listHref(list: DeskList, q: string, narrowing: DeskNarrowing): string {
	const params = new URLSearchParams({ list, ...(q.trim() ? { q } : {}), ...narrowingParams(narrowing) });
	return `/desk?${params.toString()}`;
}

/**
 * A search's two orders: the best match among the newest RANKED_CANDIDATES matches (what
 * ranking costs bounds it, store/public-claims), or every match, newest first.
 */
function SearchOrder(props: {
	lang: UiLanguage;
	list: DeskList;
	q: string;
	sort: "relevance" | "recent";
	narrowing: DeskNarrowing;
}) {
	const { lang } = props;
	const base = listHref(props.list, props.q, props.narrowing);
	const orders = [
		{ sort: "relevance", href: base, label: t(lang, "deskSortRelevance", { window: RANKED_CANDIDATES }) },
		{ sort: "recent", href: `${base}&sort=recent`, label: t(lang, "deskSortRecent") },
	] as const;
	return (
		<nav aria-label={t(lang, "deskSortLabel")} class="tabs search-order">
			<ul>
				{orders.map((order) => (
					<li>
						<a href={order.href} aria-current={order.sort === props.sort ? "page" : undefined}>
							{order.label}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

/** "Only the claims of …" with the way back to all of them, when a speaker or topic narrows the lists. */
function Narrowed(props: { lang: UiLanguage; list: DeskList; q: string; narrowing: DeskNarrowing }) {
	const { lang, narrowing } = props;
	const parts = [
		narrowing.speaker ? { key: "deskOnlySpeaker" as const, name: narrowing.speaker.name } : null,
		narrowing.topic ? { key: "deskOnlyTopic" as const, name: narrowing.topic.name } : null,
		narrowing.assignee ? { key: "deskOnlyAssignee" as const, name: narrowing.assignee.name } : null,
	].filter((part) => part !== null);
	if (parts.length === 0) return null;
	const all = listHref(props.list, props.q, { ...narrowing, speaker: null, topic: null, assignee: null });
	return (
		<p class="notice" role="status">
			{parts.map((part, index) => (
				<>
					{index > 0 ? " · " : ""}
					{t(lang, part.key)} <bdi>{part.name}</bdi>
				</>
			))}{" "}
			· <a href={all}>{t(lang, "deskShowAllClaims")}</a>
		</p>
	);
}

export function HomePage(props: {
	chrome: DeskChrome;
	list: DeskList;
	q: string;
	/** A search's order; null without a search. */
	sort: "relevance" | "recent" | null;
	narrowing: DeskNarrowing;
	errors: FieldErrors;
	claims: ListedClaim[];
	/** With a search: how many claims it matches in this list. */
	matches: MatchCount | null;
	nextHref: string | null;
	drafts: Draft[];
	/** Every open draft of the member's, of which `drafts` shows the newest. */
	draftTotal: number;
	activity: ActivityEntry[];
	counts: ClaimCounts;
	queue: QueuedDraft[];
	/** Every draft submitted for review, of which `queue` shows the longest waiting. */
	queueTotal: number;
	/** Editors: open drafts not submitted for review, the longest open first. */
	writing: WritingDraft[];
	writingTotal: number;
	/** Editors and admins: the review queue comes first, with a link to preview and publish. */
	reviewer: boolean;
	now: Date;
	flash?: string | null;
	/**
	 * "Unassigned": who writes the open draft of a listed claim (its id's key), which keeps
	 * everyone else from taking it (store/desk `openDraftWriters`).
	 */
	draftWriters?: Map<string, DraftWriter>;
}) {
	const { chrome, list } = props;
	const { lang } = chrome;
	const title = t(lang, "deskTitle");
	const queue = (
		<ReviewQueue
			lang={lang}
			queue={props.queue}
			total={props.queueTotal}
			reviewer={props.reviewer}
			now={props.now}
		/>
	);
	return (
		<DeskLayout chrome={chrome} title={title} errors={searchErrors(lang, props.errors)}>
			<h1>{title}</h1>
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			<p>
				<a class="button" href="/desk/claims/new">
					{t(lang, "deskNewClaim")}
				</a>
			</p>
			<CountsSection lang={lang} counts={props.counts} />
			{props.reviewer ? queue : null}
			{props.reviewer ? (
				<BeingWritten lang={lang} drafts={props.writing} total={props.writingTotal} now={props.now} />
			) : null}
			<MyDrafts lang={lang} drafts={props.drafts} total={props.draftTotal} />
			{props.reviewer ? null : queue}
			<Activity lang={lang} activity={props.activity} />
			<h2>{t(lang, "claims")}</h2>
			<ListTabs lang={lang} list={list} q={props.q} narrowing={props.narrowing} />
			<Narrowed lang={lang} list={list} q={props.q} narrowing={props.narrowing} />
			<ClaimSearch
				lang={lang}
				list={list}
				q={props.q}
				sort={props.sort}
				narrowing={props.narrowing}
				errors={props.errors}
				matches={props.matches}
			/>
			{/* A refused search searched nothing: "No claims match." would say to record the claim anew. */}
			{props.errors.q ? null : (
				<ClaimList
					lang={lang}
					claims={props.claims}
					draftWriters={props.draftWriters ?? new Map()}
					userId={chrome.session?.user.id ?? null}
				/>
			)}
			{props.nextHref ? (
				<p>
					<a href={props.nextHref}>{t(lang, "nextPage")}</a>
				</p>
			) : null}
		</DeskLayout>
	);
}

/**
 * A refused search, summarised atop the page and focused: the box stands below the counts,
 * the queue and the activity, and its message beside it was all that said so.
 */
function searchErrors(lang: UiLanguage, errors: FieldErrors): PageErrors {
	return { errors, fields: [{ name: "q", label: t(lang, "searchLabel"), id: fieldId("q") }] };
}

/** How many claims each list holds, each a link to it, and the other desk overviews. */
function CountsSection({ lang, counts }: { lang: UiLanguage; counts: ClaimCounts }) {
	return (
		<section aria-labelledby="counts-h">
			<h2 id="counts-h">{t(lang, "deskCountsLabel")}</h2>
			<ul class="counts">
				{COUNTS.map(({ list: key, count }) => (
					<li>
						<a href={`/desk?list=${key}`} data-count={key}>
							<strong>{formatNumber(lang, counts[count])}</strong> {t(lang, LIST_KEYS[key])}
						</a>
					</li>
				))}
			</ul>
			<p>
				<a href="/desk/dashboard">{t(lang, "deskDashboardLink")}</a>
			</p>
			<p>
				<a href="/desk/topics">{t(lang, "deskTopicsLink")}</a>
			</p>
		</section>
	);
}

/** The signed-in member's open drafts, newest first, and how many there are past those shown. */
function MyDrafts({ lang, drafts, total }: { lang: UiLanguage; drafts: Draft[]; total: number }) {
	return (
		<>
			<h2>{t(lang, "deskMyDrafts")}</h2>
			{drafts.length === 0 ? (
				<p>{t(lang, "deskNoDrafts")}</p>
			) : (
				<ul class="claims">
					{drafts.map((draft) => (
						<li data-draft={draft.verdictId}>
							<ReviewStateLabel lang={lang} draft={draft} />{" "}
							<a href={`/desk/verdicts/${draft.verdictId}/edit`}>
								<bdi>{draft.headline}</bdi>
							</a>
							<WordsChangedFlag lang={lang} changed={draft.claimChanged} />
							<span class="text" lang={draft.claimLanguage} dir="auto">
								{shortQuote(draft.claimText, 160)}
							</span>
							<span class="meta">
								{/* A speaker's name in Arabic or Hebrew would carry the separator to its side. */}
								{draft.speakerName ? (
									<>
										<bdi>{draft.speakerName}</bdi>
										{" · "}
									</>
								) : null}
								{t(lang, "deskUpdated")} {formatDateTime(draft.updatedAt, lang)} ·{" "}
								<a href={`/desk/claims/${draft.claimId}`}>{t(lang, "deskOpenClaim")}</a>
							</span>
						</li>
					))}
				</ul>
			)}
			{total > drafts.length ? (
				<p class="meta" data-drafts-total={total}>
					{t(lang, "deskMyDraftsMore", {
						shown: formatNumber(lang, drafts.length),
						total: formatNumber(lang, total),
					})}
				</p>
			) : null}
		</>
	);
}

/** The newsroom's latest changes to claims. */
function Activity({ lang, activity }: { lang: UiLanguage; activity: ActivityEntry[] }) {
	return (
		<>
			<h2>{t(lang, "deskActivity")}</h2>
			{activity.length === 0 ? (
				<p>{t(lang, "deskNoActivity")}</p>
			) : (
				<ul class="activity">
					{activity.map((entry) => (
						<li>
							{entry.removed ? (
								<>
									{activityLabel(lang, entry.action)}
									{entry.action === "remove" ? null : ` (${t(lang, "deskActivityClaimRemoved")})`}
								</>
							) : (
								<a href={`/desk/claims/${entry.claimId}`}>
									{activityLabel(lang, entry.action)}
									<ClaimWords lang={lang} entry={entry} />
								</a>
							)}{" "}
							<span class="meta">
								<ActorName lang={lang} actor={entry} /> · {formatDateTime(entry.at, lang)}
							</span>
						</li>
					))}
				</ul>
			)}
		</>
	);
}

/**
 * ": „Die Brücke ist seit Mai gesperrt …“" after an entry's label, inside its link: a list of
 * "Verdict published" links did not say which claim each leads to. The quote marks are the
 * desk language's (they belong to its sentence), the words in the claim's language.
 */
function ClaimWords({ lang, entry }: { lang: UiLanguage; entry: ActivityEntry }) {
	if (entry.claimText === null) return null;
	const [open, close] = quoteMarks(lang);
	return (
		<>
			{": "}
			{open}
			<bdi lang={entry.claimLanguage ?? undefined} dir="auto">
				{shortQuote(entry.claimText, ACTIVITY_QUOTE_LENGTH)}
			</bdi>
			{close}
		</>
	);
}

/** Enough of a claim's words to know it again, short enough for a phone's two lines. */
const ACTIVITY_QUOTE_LENGTH = 60;

/** The desk's lists, one tab each, keeping the search and the narrowing. */
function ListTabs(props: { lang: UiLanguage; list: DeskList; q: string; narrowing: DeskNarrowing }) {
	const { lang, list } = props;
	return (
		<nav aria-label={t(lang, "deskListsLabel")} class="tabs">
			<ul>
				{DESK_LISTS.filter((key) => key !== "open" || list === "open").map((key) => (
					<li>
						<a
							href={listHref(
								key,
								props.q,
								ownList(key) ? { ...props.narrowing, assignee: null } : props.narrowing,
							)}
							aria-current={key === list ? "page" : undefined}
						>
							{t(lang, LIST_KEYS[key])}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

/**
 * The search over the claims: its form (the narrowing kept), how many match, and the
 * choice of order (store/public-claims ranks the newest matches only).
 */
function ClaimSearch(props: {
	lang: UiLanguage;
	list: DeskList;
	q: string;
	sort: "relevance" | "recent" | null;
	narrowing: DeskNarrowing;
	errors: FieldErrors;
	matches: MatchCount | null;
}) {
	const { lang, list } = props;
	return (
		<>
			{/*
			 * No list field: a search covers every claim (routes/desk/home); a tab narrows it.
			 * `tab` keeps the list shown for a choice of language without search words.
			 */}
			<form method="get" action="/desk" class="filters">
				<input type="hidden" name="tab" value={list} />
				{props.narrowing.speaker ? (
					<input type="hidden" name="speaker" value={props.narrowing.speaker.slug} />
				) : null}
				{props.narrowing.topic ? (
					<input type="hidden" name="topic" value={props.narrowing.topic.slug} />
				) : null}
				{props.narrowing.assignee ? (
					<input type="hidden" name="assignee" value={props.narrowing.assignee.id} />
				) : null}
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
					value={props.narrowing.language}
					placeholder={t(lang, "deskAnyLanguage")}
					options={languageFilterOptions(lang, props.narrowing.language)}
				/>
				<button type="submit">{t(lang, "search")}</button>
			</form>
			{props.matches && props.matches.count > 0 ? (
				<p class="hint" role="status">
					{t(lang, matchCountKey(props.matches), {
						count: formatNumber(lang, props.matches.count),
						window: RANKED_CANDIDATES,
					})}
				</p>
			) : null}
			{props.sort ? (
				<SearchOrder lang={lang} list={list} q={props.q} sort={props.sort} narrowing={props.narrowing} />
			) : null}
		</>
	);
}

/**
 * Where a draft of mine stands, as a pill before it (like a claim's status in the lists):
 * being written, submitted (since when, on hover) or changes requested.
 */
function ReviewStateLabel(props: { lang: UiLanguage; draft: Draft }) {
	const { lang, draft } = props;
	const state = reviewStateOf({ state: "draft", ...draft });
	if (state === "changes-requested")
		return (
			<strong class="status flag" data-review-state={state}>
				{t(lang, "deskChangesRequested")}
			</strong>
		);
	if (state === "submitted" && draft.submittedAt)
		return (
			<span class="status" data-review-state={state}>
				<time datetime={draft.submittedAt} title={formatDateTime(draft.submittedAt, lang)}>
					{t(lang, "deskReviewSubmitted")}
				</time>
			</span>
		);
	return (
		<span class="status" data-review-state="writing">
			{t(lang, "deskReviewWriting")}
		</span>
	);
}

/** One draft of the review queue or of "Being written": what, by whom, how long since `since`. */
function DraftRow(props: {
	lang: UiLanguage;
	draft: Pick<
		QueuedDraft,
		| "verdictId"
		| "claimId"
		| "headline"
		| "correction"
		| "claimText"
		| "claimLanguage"
		| "writerName"
		| "writerDeparted"
	>;
	since: string;
	/** The age column's name, said before the age where the table stacks (a phone). */
	sinceLabel: string;
	now: Date;
	row: Record<string, string>;
	flag?: Child;
	action?: Child;
}) {
	const { lang, draft } = props;
	const age = waitingFor(props.since, props.now, lang);
	return (
		<tr {...props.row}>
			<td>
				<a href={`/desk/claims/${draft.claimId}#verdict-${draft.verdictId}`}>
					<bdi>{draft.headline}</bdi>
				</a>
				{draft.correction ? <span class="meta"> ({t(lang, "deskQueueCorrection")})</span> : null}
				{props.flag}
				<span class="text" lang={draft.claimLanguage} dir="auto">
					{shortQuote(draft.claimText, 160)}
				</span>
				{props.action}
			</td>
			{/* Who and how long, each word whole: just wider than a phone, side by side, the squeezed
			    column split "10 Minute / n" (520 px, s33 f341). */}
			<td class="whole" dir="auto" data-label={t(lang, "deskQueueWriter")}>
				{draft.writerName === null ? (
					"–"
				) : (
					<PersonName lang={lang} name={draft.writerName} departed={draft.writerDeparted} />
				)}
			</td>
			<td class="whole" data-label={props.sinceLabel}>
				<time datetime={props.since} title={age.relative}>
					{age.text}
				</time>
			</td>
		</tr>
	);
}

/**
 * Open drafts not submitted for review, for editors: the work before it reaches the
 * queue (who writes it, since when, whether an editor asked for changes).
 */
function BeingWritten(props: { lang: UiLanguage; drafts: WritingDraft[]; total: number; now: Date }) {
	const { lang } = props;
	return (
		<section id="being-written" aria-labelledby="being-written-h">
			<h2 id="being-written-h">{t(lang, "deskBeingWritten")}</h2>
			{props.drafts.length === 0 ? (
				<p>{t(lang, "deskBeingWrittenEmpty")}</p>
			) : (
				<table class="queue stack">
					<caption class="visually-hidden">{t(lang, "deskBeingWrittenCaption")}</caption>
					<thead>
						<tr>
							<th scope="col">{t(lang, "deskQueueDraft")}</th>
							<th scope="col">{t(lang, "deskQueueWriter")}</th>
							<th scope="col">{t(lang, "deskBeingWrittenSince")}</th>
						</tr>
					</thead>
					<tbody>
						{props.drafts.map((draft) => (
							<DraftRow
								lang={lang}
								draft={draft}
								since={draft.createdAt}
								sinceLabel={t(lang, "deskBeingWrittenSince")}
								now={props.now}
								row={{ "data-writing": draft.verdictId }}
								flag={
									<>
										{draft.changesRequestedAt ? (
											<>
												{" "}
												<strong class="status flag" data-review-state="changes-requested">
													{t(lang, "deskChangesRequested")}
												</strong>
											</>
										) : null}
										<WordsChangedFlag lang={lang} changed={draft.claimChanged} />
									</>
								}
							/>
						))}
					</tbody>
				</table>
			)}
			{props.total > props.drafts.length ? (
				<p class="meta" data-writing-total={props.total}>
					{t(lang, "deskBeingWrittenMore", {
						shown: formatNumber(lang, props.drafts.length),
						total: formatNumber(lang, props.total),
					})}
				</p>
			) : null}
		</section>
	);
}

/** The drafts submitted for review, waiting for an editor: what, by whom, how long since submitted. */
function ReviewQueue(props: {
	lang: UiLanguage;
	queue: QueuedDraft[];
	total: number;
	reviewer: boolean;
	now: Date;
}) {
	const { lang } = props;
	return (
		<section id="review-queue" aria-labelledby="review-queue-h">
			<h2 id="review-queue-h">{t(lang, "deskReviewQueue")}</h2>
			{props.queue.length === 0 ? (
				<p>{t(lang, "deskReviewQueueEmpty")}</p>
			) : (
				<table class="queue stack">
					<caption class="visually-hidden">{t(lang, "deskReviewQueueCaption")}</caption>
					<thead>
						<tr>
							<th scope="col">{t(lang, "deskQueueDraft")}</th>
							<th scope="col">{t(lang, "deskQueueWriter")}</th>
							<th scope="col">{t(lang, "deskQueueWaiting")}</th>
						</tr>
					</thead>
					<tbody>
						{props.queue.map((draft) => (
							<DraftRow
								lang={lang}
								draft={draft}
								since={draft.submittedAt ?? draft.createdAt}
								sinceLabel={t(lang, "deskQueueWaiting")}
								now={props.now}
								row={{ "data-verdict": draft.verdictId }}
								flag={<WordsChangedFlag lang={lang} changed={draft.claimChanged} />}
								action={
									props.reviewer ? (
										<a href={`/desk/verdicts/${draft.verdictId}/preview`}>
											{t(lang, "deskPreviewAndPublish")}
										</a>
									) : null
								}
							/>
						))}
					</tbody>
				</table>
			)}
			{props.total > props.queue.length ? (
				<p class="meta" data-queue-total={props.total}>
					{t(lang, "deskQueueMore", {
						shown: formatNumber(lang, props.queue.length),
						total: formatNumber(lang, props.total),
					})}
				</p>
			) : null}
		</section>
	);
}

function matchCountKey(matches: MatchCount): MessageKey {
	if (matches.accuracy === "estimate") return "deskSearchCountAbout";
	if (matches.accuracy === "lower-bound") return "deskSearchCountAtLeast";
	return matches.count === 1 ? "deskSearchCountOne" : "deskSearchCountExact";
}

function ClaimList(props: {
	lang: UiLanguage;
	claims: ListedClaim[];
	draftWriters: Map<string, DraftWriter>;
	userId: string | null;
}) {
	const { lang } = props;
	if (props.claims.length === 0) return <p>{t(lang, "noResults")}</p>;
	return (
		<ul class="claims">
			{props.claims.map(({ claim, speaker, firstSource }) => (
				<li data-claim={claim.id}>
					<StatusPill lang={lang} status={claim.status} />{" "}
					<a href={`/desk/claims/${claim.id}`} class="text" lang={claim.language} dir="auto">
						{shortQuote(claim.text, 160)}
					</a>
					<span class="meta">
						{/* Each part isolated: a right-to-left name would reorder the separators around it. */}
						{[
							speaker?.name,
							firstSource?.publisher ?? firstSource?.domain,
							claim.claimedAt ? formatDate(claim.claimedAt, lang) : null,
						]
							.filter((part): part is string => Boolean(part))
							.map((part, i) => (
								<>
									{i > 0 ? " · " : ""}
									<bdi>{part}</bdi>
								</>
							))}
					</span>
					<DraftOpenBy lang={lang} writer={props.draftWriters.get(claim.id)} userId={props.userId} />
				</li>
			))}
		</ul>
	);
}

/**
 * An unassigned claim whose open draft someone writes: they alone may take it, with the draft;
 * for everyone else it is an editor's to assign (store/draft-writer).
 */
function DraftOpenBy(props: { lang: UiLanguage; writer: DraftWriter | undefined; userId: string | null }) {
	const { lang, writer } = props;
	if (!writer) return null;
	return (
		<span class="meta" data-draft-by={writer.id ?? ""}>
			{" · "}
			{writer.id !== null && writer.id === props.userId ? (
				t(lang, "deskListOwnDraftOpen")
			) : (
				<bdi>
					{t(lang, "deskListDraftOpenBy", {
						name: personNameText(lang, writer.name ?? "?", writer.departed),
					})}
				</bdi>
			)}
		</span>
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
	edit: "deskActivityEdit",
	"remove-appearance": "deskActivityRemoveAppearance",
	merge: "deskActivityMerge",
	remove: "deskActivityRemove",
	tag: "deskActivityTag",
	"upload.published": "deskActivityUploadPublished",
	"upload.hidden": "deskActivityUploadHidden",
};
