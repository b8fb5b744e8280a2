import { raw } from "hono/html";
import type { Verdict } from "../../db/schema";
import { claimantName } from "../../domain/claim-review";
import type { EmbedChoice } from "../../domain/embed-options";
import { parseEvidence } from "../../domain/evidence";
import { readableCorrectionNote } from "../../domain/import-correction";
import { type ClaimStatus, describeStatus, type UiLanguage } from "../../domain/ratings";
import { removedAppearanceText } from "../../domain/removed-appearance";
import { type Credit, creditFor, type House } from "../../domain/review-attribution";
import { copyForCitation } from "../../domain/snapshots";
import { formatSize, quoteMarks, textDirection } from "../../domain/typography";
import { publicFilename } from "../../domain/uploads";
import type { ClaimDetail } from "../../store/claims";
import type { SnapshotRef } from "../../store/snapshots";
import { changeFieldKey } from "../claim-change";
import { EmbedCode, previewVersion } from "../embed-code";
import { formatDate, languageName, t } from "../i18n";
import {
	appearanceLink,
	claimPath,
	publicHistory,
	snapshotPath,
	sourcePath,
	speakerPath,
	tagPath,
	uploadPath,
	verdictPath,
	versionedHistory,
} from "../json";
import { wordDiffView } from "../word-diff";
import { ArchivedElsewhere } from "./archived-elsewhere";
import { StatusChip } from "./parts";

export interface ClaimPageProps {
	detail: ClaimDetail;
	lang: UiLanguage;
	origin: string;
	/** ClaimReview JSON text already made safe for a script element (safe-json-ld). */
	jsonLd: string | null;
	/** Our organisation and hosts: whose check each verdict is (domain/review-attribution). */
	house: House;
	/** The embed options chosen on this page (?embedStyle=…&embedLang=…&embedTheme=…). */
	embedChoice?: EmbedChoice;
}

function stateLabel(verdict: Verdict, lang: UiLanguage): string {
	if (verdict.state === "retracted") return t(lang, "retracted");
	if (verdict.state === "superseded") return t(lang, "superseded");
	return verdict.supersedesId ? t(lang, "corrected") : t(lang, "published");
}

interface PartProps {
	detail: ClaimDetail;
	lang: UiLanguage;
}

/**
 * Who said it and when: the page's byline, and the desk preview's, which shows what the page
 * will (it left out the speaker's description). `linked: false` there: the speaker's page may
 * not be public yet. A claim with neither speaker nor source (an import may name neither) is
 * nobody's here, not "Statement of the source": the page says no source is recorded.
 */
export function ClaimByline({ detail, lang, linked = true }: PartProps & { linked?: boolean }) {
	const speaker = detail.speaker;
	const name = speaker ? <bdi>{speaker.name}</bdi> : null;
	const claimant = speaker ? (
		<>
			{t(lang, "claimBy")} {linked ? <a href={speakerPath(speaker.slug)}>{name}</a> : name}
			{speaker.description ? (
				<>
					{" ("}
					<bdi>{speaker.description}</bdi>)
				</>
			) : null}
		</>
	) : detail.appearances.length > 0 ? (
		t(lang, "claimOfSource")
	) : null;
	const said = detail.claimedAt ? `${t(lang, "saidOn")} ${formatDate(detail.claimedAt, lang)}` : null;
	if (claimant === null && said === null) return null;
	return (
		<p class="meta">
			{claimant}
			{claimant !== null && said !== null ? " · " : null}
			{said}
		</p>
	);
}

/**
 * The quote in its own language, its context and topics: the page's, and the desk preview's
 * (`linked: false` there: a topic's page may not be public yet).
 */
export function ClaimQuote({ detail, lang, linked = true }: PartProps & { linked?: boolean }) {
	return (
		<>
			<blockquote class="quote" lang={detail.language} dir={textDirection(detail.text)}>
				{quoteMarks(detail.language)[0]}
				<bdi>{detail.text}</bdi>
				{quoteMarks(detail.language)[1]}
			</blockquote>
			{detail.context ? (
				<p>
					<strong>{t(lang, "context")}:</strong> <bdi lang={detail.language}>{detail.context}</bdi>
				</p>
			) : null}
			{detail.tags.length > 0 ? (
				<p class="meta">
					{t(lang, "topics")}:{" "}
					{detail.tags.map((tag, index) => {
						const name = <bdi>{lang === "de" ? tag.nameDe : tag.nameEn}</bdi>;
						return (
							<>
								{index > 0 ? ", " : ""}
								{linked ? (
									<a href={tagPath(tag.slug)} rel="tag">
										{name}
									</a>
								) : (
									name
								)}
							</>
						);
					})}
				</p>
			) : null}
		</>
	);
}

/** Who said it and when, its rating, the quote in its own language, context and topics. */
function ClaimHeader({ detail, lang }: PartProps) {
	return (
		<>
			<ClaimByline detail={detail} lang={lang} />
			<h1>
				<span class="visually-hidden">{t(lang, "factCheck")}: </span>
				<StatusChip status={detail.status as ClaimStatus} lang={lang} />
			</h1>
			<ClaimQuote detail={detail} lang={lang} />
		</>
	);
}

/** Where the claim was made: each source, its archived copy and its own page. */
function Appearances({ detail, lang }: PartProps) {
	// An import may name no source (README, "Import"): said so, not an empty list under the heading.
	if (detail.appearances.length === 0)
		return (
			<section aria-labelledby="sources-h">
				<h2 id="sources-h">{t(lang, "appearances")}</h2>
				<p>{t(lang, "appearancesNone")}</p>
			</section>
		);
	return (
		<section aria-labelledby="sources-h">
			<h2 id="sources-h">{t(lang, "appearances")}</h2>
			<ul>
				{detail.appearances.map((a) => (
					<li>
						<a
							class="url"
							href={safeHref(appearanceLink(a, detail.text))}
							rel="noopener nofollow"
							lang={a.source.title ? (a.source.language ?? undefined) : undefined}
						>
							{a.source.title ?? a.source.url}
						</a>{" "}
						<span class="meta">
							{a.source.publisher ?? a.source.domain}
							{a.source.publishedAt ? ` · ${formatDate(a.source.publishedAt, lang)}` : ""}
							{a.isFirst ? ` · ${t(lang, "firstAppearance")}` : ""} ·{" "}
							<a href={sourcePath(a.source.id)}>{t(lang, "source")}</a>
							<ArchivedCopy
								snapshot={copyForCitation(detail.snapshots[a.source.url], a.createdAt)}
								claimId={detail.id}
								lang={lang}
								archivedUrl={a.source.archivedUrl}
							/>
						</span>
					</li>
				))}
			</ul>
		</section>
	);
}

/**
 * A version's retraction and correction notes, in the verdict's language; their labels in
 * the page's (a screen reader reads the label with the page's voice, the note with the verdict's).
 */
function VersionNotes(props: { verdict: Verdict; lang: UiLanguage; retractionClass?: "meta" | "notice" }) {
	const { verdict, lang } = props;
	return (
		<>
			{verdict.retractionNote ? (
				<p class={props.retractionClass ?? "meta"}>
					<strong>{t(lang, "retractionNote")}:</strong>{" "}
					<bdi lang={verdict.language}>{verdict.retractionNote}</bdi>
				</p>
			) : null}
			{verdict.correctionNote ? (
				<CorrectionNote note={verdict.correctionNote} verdict={verdict} lang={lang} />
			) : null}
		</>
	);
}

/** An import's note is ours, in the page's words (domain/import-correction); an editor's in the verdict's language. */
function CorrectionNote(props: {
	note: string;
	verdict: Verdict;
	lang: UiLanguage;
	label?: string;
	noteClass?: "meta" | "notice";
}) {
	const { text, ours } = readableCorrectionNote(props.note, props.lang);
	return (
		<p class={props.noteClass ?? "meta"}>
			<strong>{props.label ?? t(props.lang, "correctionNote")}:</strong>{" "}
			<bdi lang={ours ? props.lang : props.verdict.language}>{text}</bdi>
		</p>
	);
}

/**
 * When a version became what its log line says, and when it was published if that was
 * earlier: "Retracted 30 April 2025 (published 20 February 2025)", "Superseded 20 February
 * 2025 (published 10 January 2025)" (its successor's publication), "Published 10 January 2025".
 * Dated by its publication alone, a withdrawn version read as withdrawn the day it came out.
 */
function VersionDates({
	verdict,
	history,
	lang,
}: {
	verdict: Verdict;
	history: Verdict[];
	lang: UiLanguage;
}) {
	const published = formatDate(verdict.publishedAt, lang);
	const ended =
		verdict.state === "retracted"
			? verdict.retractedAt
			: verdict.state === "superseded"
				? (history.find((v) => v.supersedesId === verdict.id)?.publishedAt ?? null)
				: null;
	if (!ended) return <>{published}</>;
	return (
		<>
			{formatDate(ended, lang)} ({t(lang, "versionPublishedOn")} {published})
		</>
	);
}

/** The public corrections log: every version, with its correction or retraction note. */
function VersionHistory({ detail, lang, history, house }: PartProps & { history: Verdict[]; house: House }) {
	if (!(history.length > 1 || history.some((v) => v.state !== "published"))) return null;
	return (
		<section aria-labelledby="history-h">
			<h2 id="history-h">{t(lang, "history")}</h2>
			<ol class="history">
				{history.map((v) => (
					<li>
						<strong>{stateLabel(v, lang)}</strong> <VersionDates verdict={v} history={history} lang={lang} />:{" "}
						<StatusChip status={v.rating} lang={lang} />{" "}
						<a href={verdictPath(detail.id, v.id)}>
							<bdi lang={v.language}>{v.headline}</bdi>
						</a>
						<TheirName credit={creditFor(v, house)} lang={lang} />
						<VersionNotes verdict={v} lang={lang} />
					</li>
				))}
			</ol>
		</section>
	);
}

type Change = ClaimDetail["changes"][number];

/** One edit's changes: stored together, by one person, under one note. */
function sameEdit(a: Change, b: Change): boolean {
	if (a.field === "appearance" || b.field === "appearance") return false;
	// An edit's rows are one batch: the same instant but for the milliseconds between statements.
	return a.note === b.note && a.actorId === b.actorId && Math.abs(Date.parse(a.at) - Date.parse(b.at)) < 1000;
}

/**
 * The claim's language before and after each change, walked back from today's: an edit
 * that changed the language changed it for its every field, so its old wording is in the
 * old language and its new wording in the new. (Changes are public from the first
 * verdict on, so the public ones are the latest: none is missing from the walk.)
 */
function languagesOfChanges(changes: Change[], current: string): { before: string; after: string }[] {
	const languages: { before: string; after: string }[] = new Array(changes.length);
	let after = current;
	let end = changes.length - 1;
	while (end >= 0) {
		let start = end;
		while (start > 0 && sameEdit(changes[start - 1] as Change, changes[end] as Change)) start -= 1;
		const edit = changes.slice(start, end + 1);
		const before = edit.find((change) => change.field === "language")?.fromValue ?? after;
		for (let index = start; index <= end; index += 1) languages[index] = { before, after };
		after = before;
		end = start - 1;
	}
	return languages;
}

/**
 * The claim's wording and language when a version was published: today's, with every
 * later change of either undone, newest first. Changes are public from the first verdict
 * on (store/claim-edits), so none made after a publication is missing from the walk.
 */
function wordingAt(detail: ClaimDetail, publishedAt: string | null): { text: string; language: string } {
	let text = detail.text;
	let language = detail.language;
	const since = publishedAt ? Date.parse(publishedAt) : Number.NaN;
	if (Number.isNaN(since)) return { text, language };
	for (let index = detail.changes.length - 1; index >= 0; index -= 1) {
		const change = detail.changes[index] as Change;
		if (Date.parse(change.at) <= since) break;
		if (change.field === "text" && change.fromValue !== null) text = change.fromValue;
		if (change.field === "language" && change.fromValue !== null) language = change.fromValue;
	}
	return { text, language };
}

/** A changed value as the rest of the page shows it: a date as a date, a language by its name, words in their language. */
function ChangedValue(props: {
	field: Change["field"];
	value: string | null;
	valueLang: string;
	lang: UiLanguage;
	as: "del" | "ins";
}) {
	const { field, value, lang } = props;
	const Tag = props.as;
	if (value === null) return <Tag>–</Tag>;
	if (field === "claimedAt") return <Tag>{formatDate(value, lang)}</Tag>;
	if (field === "language") return <Tag>{languageName(value, lang)}</Tag>;
	if (field === "text" || field === "context") {
		return (
			<Tag lang={props.valueLang} dir="auto">
				{value}
			</Tag>
		);
	}
	return <Tag dir="auto">{value}</Tag>;
}

/**
 * A wording changed in place, word by word (views/word-diff), where both wordings are in one
 * language; null where a word diff would not help, and old → new is shown whole.
 */
function wordingDiff(
	change: Change,
	languages: { before: string; after: string } | undefined,
	lang: UiLanguage,
) {
	if (change.field !== "text" && change.field !== "context") return null;
	if (
		change.fromValue === null ||
		change.toValue === null ||
		!languages ||
		languages.before !== languages.after
	)
		return null;
	return wordDiffView({
		before: change.fromValue,
		after: change.toValue,
		valueLang: languages.after,
		uiLang: lang,
		labels: { deleted: t(lang, "wordsDeleted"), inserted: t(lang, "wordsInserted") },
	});
}

/** Public changes of the claim itself (its words, its speaker, a removed appearance), old and new side by side. */
function ClaimChanges({ detail, lang }: PartProps) {
	if (detail.changes.length === 0) return null;
	const languages = languagesOfChanges(detail.changes, detail.language);
	return (
		<section aria-labelledby="changes-h">
			<h2 id="changes-h">{t(lang, "claimChanges")}</h2>
			<ol class="history">
				{detail.changes.map((change, index) => (
					<li>
						<strong>{formatDate(change.at, lang)}</strong>: {t(lang, changeFieldKey(change.field))}{" "}
						{change.field === "appearance" ? (
							// The outlet by title and host, not a link: it was named by mistake.
							<del dir="auto">{removedAppearanceText(change.fromValue)}</del>
						) : (
							(wordingDiff(change, languages[index], lang) ?? (
								<>
									<ChangedValue
										field={change.field}
										value={change.fromValue}
										valueLang={languages[index]?.before ?? detail.language}
										lang={lang}
										as="del"
									/>{" "}
									→{" "}
									<ChangedValue
										field={change.field}
										value={change.toValue}
										valueLang={languages[index]?.after ?? detail.language}
										lang={lang}
										as="ins"
									/>
								</>
							))
						)}
						{change.note ? (
							<p class="meta" dir="auto">
								{change.note}
							</p>
						) : null}
					</li>
				))}
			</ol>
		</section>
	);
}

export function ClaimPage({ detail, lang, origin, house, embedChoice }: ClaimPageProps) {
	const history = publicHistory(detail);
	const current = history.find((v) => v.state === "published");
	const credit = current ? creditFor(current, house) : null;
	return (
		<article>
			<ClaimHeader detail={detail} lang={lang} />
			{current ? (
				<section aria-labelledby="verdict-h">
					<VerdictBody
						verdict={current}
						people={detail.people}
						lang={lang}
						headingId="verdict-h"
						archive={archiveLinksOf(detail)}
						credit={credit}
					/>
				</section>
			) : (
				<PendingNotice
					status={detail.status as ClaimStatus}
					retracted={history.find((v) => v.state === "retracted")}
					lang={lang}
				/>
			)}
			<Appearances detail={detail} lang={lang} />
			<Attachments detail={detail} lang={lang} />
			<VersionHistory detail={detail} lang={lang} history={history} house={house} />
			<ClaimChanges detail={detail} lang={lang} />
			<EmbedCode
				claimId={detail.id}
				status={detail.status as ClaimStatus}
				claimLanguage={detail.language}
				speakerName={claimantName(detail)}
				orgName={credit?.name ?? house.name}
				origin={origin}
				lang={lang}
				version={previewVersion(detail)}
				{...(embedChoice ? { choice: embedChoice } : {})}
			/>
		</article>
	);
}

/**
 * Who checked and who published a verdict, and when (names only, never emails). Another
 * publisher's review (imported) names that publisher, linked to its own review, and
 * nobody of ours: they checked and published it.
 */
function Byline(props: {
	verdict: Verdict;
	people: Record<string, string>;
	lang: UiLanguage;
	credit: Credit | null;
}) {
	const { verdict, people, lang, credit } = props;
	if (credit?.external && credit.reviewUrl) {
		return (
			<p class="meta byline">
				{t(lang, "checkedBy")}{" "}
				<a href={safeHref(credit.reviewUrl)} rel="noopener nofollow" class="publisher">
					<bdi>{credit.name}</bdi>
				</a>
				{verdict.publishedAt ? ` · ${formatDate(verdict.publishedAt, lang)}` : ""}
			</p>
		);
	}
	const checker = verdict.reviewerId ? people[verdict.reviewerId] : undefined;
	const editor = verdict.editorId ? people[verdict.editorId] : undefined;
	return (
		<p class="meta byline">
			{checker ? `${t(lang, "checkedBy")} ${checker}` : ""}
			{checker && editor ? " · " : ""}
			{editor ? `${t(lang, "publishedByEditor")} ${editor}` : ""}
			{verdict.publishedAt ? `${checker || editor ? " · " : ""}${formatDate(verdict.publishedAt, lang)}` : ""}
		</p>
	);
}

/** A verdict's full text: headline, byline, summary, body, evidence. */
export function VerdictBody(props: {
	verdict: Verdict;
	people: Record<string, string>;
	lang: UiLanguage;
	headingId: string;
	/** The claim's archived copies, linked beside each evidence link. */
	archive?: ArchiveLinks;
	/** Whose check it is (domain/review-attribution `creditFor`); absent: ours (a desk draft's preview). */
	credit?: Credit | null;
}) {
	const { verdict, lang } = props;
	return (
		<>
			<h2 id={props.headingId} lang={verdict.language} dir="auto">
				{verdict.headline}
			</h2>
			<Byline verdict={verdict} people={props.people} lang={lang} credit={props.credit ?? null} />
			{verdict.summary ? (
				<p lang={verdict.language} dir="auto">
					{verdict.summary}
				</p>
			) : null}
			{verdict.body ? (
				<div lang={verdict.language} dir="auto">
					{verdict.body.split(/\n{2,}/).map((paragraph) => (
						<p>{paragraph}</p>
					))}
				</div>
			) : null}
			<EvidenceList verdict={verdict} lang={lang} archive={props.archive} />
		</>
	);
}

/**
 * Files the desk attached and an editor made public: images shown, PDFs linked. Saved under
 * their public name (`publicFilename`), never the one they were uploaded with; described by
 * their caption, or without one by their place in the list: a generated file name tells a
 * reader (or a screen reader's listener) nothing.
 */
function Attachments({ detail, lang }: { detail: ClaimDetail; lang: UiLanguage }) {
	if (detail.uploads.length === 0) return null;
	return (
		<section aria-labelledby="attachments-h">
			<h2 id="attachments-h">{t(lang, "attachments")}</h2>
			<ul class="attachments">
				{detail.uploads.map((u, index) => (
					<li>
						{u.contentType.startsWith("image/") ? (
							<figure>
								<a href={uploadPath(u.id)}>
									<img
										src={uploadPath(u.id)}
										alt={u.caption ?? t(lang, "attachmentAlt", { n: index + 1 })}
										loading="lazy"
									/>
								</a>
								{u.caption ? <figcaption dir="auto">{u.caption}</figcaption> : null}
							</figure>
						) : (
							<a href={uploadPath(u.id)} download={publicFilename(u)}>
								{u.caption ? <bdi>{u.caption}</bdi> : t(lang, "attachmentNumbered", { n: index + 1 })} (PDF,{" "}
								{formatSize(u.bytes, lang)})
							</a>
						)}
						<span class="meta hash">SHA-256 {u.sha256}</span>
					</li>
				))}
			</ul>
		</section>
	);
}

interface ArchiveLinks {
	claimId: string;
	/** Copies by URL, oldest first: each version's evidence shows the copy of its publication. */
	snapshots: Record<string, SnapshotRef[]>;
	/** Copies elsewhere by URL: the archivedUrl of the claim's sources (evidence may cite one). */
	elsewhere: Record<string, string | null>;
}

/** The archive links of a claim's answers: its copies, and its sources' copies elsewhere. */
function archiveLinksOf(detail: ClaimDetail): ArchiveLinks {
	return {
		claimId: detail.id,
		snapshots: detail.snapshots,
		elsewhere: Object.fromEntries(detail.appearances.map((a) => [a.source.url, a.source.archivedUrl])),
	};
}

/**
 * " · archived copy (date)" for an address the archive holds, then the source's copy
 * elsewhere (Save Page Now's, or one the API was given): the one a reader has when our own
 * fetch failed and the source is gone.
 */
function ArchivedCopy(props: {
	snapshot: SnapshotRef | undefined;
	claimId: string;
	lang: UiLanguage;
	archivedUrl?: string | null | undefined;
}) {
	const { lang } = props;
	const snapshot = props.snapshot?.fetchedAt ? props.snapshot : undefined;
	return (
		<>
			{snapshot?.fetchedAt ? (
				<>
					{" · "}
					<a href={`${snapshotPath(snapshot.id)}?claim=${props.claimId}`} class="archived">
						{t(lang, "archivedCopy")} ({formatDate(snapshot.fetchedAt, lang)})
					</a>
				</>
			) : null}
			<ArchivedElsewhere archivedUrl={props.archivedUrl} lang={lang} ownCopyId={snapshot?.id} />
		</>
	);
}

function EvidenceList({
	verdict,
	lang,
	archive,
}: {
	verdict: Verdict;
	lang: UiLanguage;
	archive?: ArchiveLinks;
}) {
	const evidence = parseEvidence(verdict.evidence);
	if (evidence.length === 0) return null;
	return (
		<>
			<h3>{t(lang, "evidence")}</h3>
			<ul>
				{evidence.map((e) => (
					<li>
						<a href={safeHref(e.url)} rel="noopener nofollow" lang={verdict.language} dir="auto">
							{e.title}
						</a>
						{archive ? (
							<span class="meta">
								<ArchivedCopy
									snapshot={copyForCitation(archive.snapshots[e.url], verdict.publishedAt)}
									claimId={archive.claimId}
									lang={lang}
									archivedUrl={archive.elsewhere[e.url]}
								/>
							</span>
						) : null}
					</li>
				))}
			</ul>
		</>
	);
}

/** " · Correctiv" after a version of another publisher's (its byline names them in full). */
function TheirName(props: { credit: Credit; lang: UiLanguage }) {
	if (!props.credit.external) return null;
	return (
		<span class="meta">
			{" · "}
			{t(props.lang, "checkedBy")} <bdi>{props.credit.name}</bdi>
		</span>
	);
}

/** Only http(s) URLs become links; anything else (stored before validation, say) is inert. */
function safeHref(url: string): string {
	return /^https?:\/\//i.test(url) ? url : "#";
}

/** The JSON-LD script: its text comes from jsonLdScript, which escapes < > & and line separators. */
export function JsonLdScript({ json }: { json: string | null }) {
	return json ? raw(`<script type="application/ld+json">${json}</script>`) : null;
}

/**
 * What a claim without a current verdict says: withdrawn (with the reason), in review,
 * or not reviewed yet. A claim that was reviewed never says "not reviewed".
 */
function PendingNotice(props: {
	status: ClaimStatus;
	retracted: { retractionNote: string | null; retractedAt: string | null; language: string } | undefined;
	lang: UiLanguage;
}) {
	const { lang } = props;
	if (props.status === "retracted") {
		return (
			<section class="notice retracted" aria-labelledby="retracted-h">
				<h2 id="retracted-h">{t(lang, "retractedHeading")}</h2>
				<p>
					{t(lang, "retractedExplained")}
					{props.retracted?.retractedAt ? ` (${formatDate(props.retracted.retractedAt, lang)})` : ""}
				</p>
				{props.retracted?.retractionNote ? (
					<p>
						<strong>{t(lang, "retractionNote")}:</strong>{" "}
						<bdi lang={props.retracted.language}>{props.retracted.retractionNote}</bdi>
					</p>
				) : null}
			</section>
		);
	}
	return <p class="notice">{t(lang, props.status === "in-review" ? "inReview" : "notReviewed")}</p>;
}

/**
 * One public version of a verdict, with its full text, evidence, reviewer, editor and
 * dates: what `history[].url` points to, so a superseded or withdrawn verdict stays readable.
 */
export function VerdictVersionPage(props: {
	detail: ClaimDetail;
	verdictId: string;
	lang: UiLanguage;
	house: House;
}) {
	const { detail, lang } = props;
	const versions = versionedHistory(detail);
	const entry = versions.find(({ verdict }) => verdict.id === props.verdictId);
	if (!entry) return null;
	const { verdict, version } = entry;
	// What this version checked, not what the claim says today: an edit since may have
	// changed its words and language (the claim page's changes list each one).
	const checked = wordingAt(detail, verdict.publishedAt);
	const successor =
		verdict.state === "superseded" ? versions.find((v) => v.verdict.supersedesId === verdict.id) : undefined;
	return (
		<article>
			<p class="meta">
				<a href={claimPath(detail.id)}>{t(lang, "backToClaim")}</a>
			</p>
			{/* The page's title for the outline: which version, and what became of it. The quote
			    follows it, so heading navigation does not skip it. */}
			<h1 class="version-title">
				{t(lang, "versionLabel")} {version} · {stateLabel(verdict, lang)}
			</h1>
			<p class="quote" lang={checked.language} dir={textDirection(checked.text)}>
				{quoteMarks(checked.language)[0]}
				<bdi>{checked.text}</bdi>
				{quoteMarks(checked.language)[1]}
			</p>
			{checked.text !== detail.text ? (
				<p class="meta">
					<a href={`${claimPath(detail.id)}#changes-h`}>{t(lang, "wordingChangedSince")}</a>
				</p>
			) : null}
			<p>
				<StatusChip status={verdict.rating} lang={lang} />
				{verdict.retractedAt ? ` · ${t(lang, "retracted")} ${formatDate(verdict.retractedAt, lang)}` : ""}
				{successor ? <SupersededBy claimId={detail.id} successor={successor} lang={lang} /> : null}
			</p>
			<VersionNotes verdict={verdict} lang={lang} retractionClass="notice" />
			{successor?.verdict.correctionNote ? (
				<CorrectionNote
					note={successor.verdict.correctionNote}
					verdict={successor.verdict}
					lang={lang}
					label={t(lang, "successorCorrectionNote", { n: successor.version })}
					noteClass="notice"
				/>
			) : null}
			<section aria-labelledby="version-h">
				<VerdictBody
					verdict={verdict}
					people={detail.people}
					lang={lang}
					headingId="version-h"
					archive={archiveLinksOf(detail)}
					credit={creditFor(verdict, props.house)}
				/>
			</section>
		</article>
	);
}

/**
 * " · Superseded 8 December 2026 by Version 2": a superseded version ended with its
 * successor's publication, whose page (and correction note) says why.
 */
function SupersededBy(props: {
	claimId: string;
	successor: { verdict: Verdict; version: number };
	lang: UiLanguage;
}) {
	const { successor, lang } = props;
	return (
		<>
			{` · ${t(lang, "superseded")} ${formatDate(successor.verdict.publishedAt, lang)} ${t(lang, "supersededBy")} `}
			<a href={verdictPath(props.claimId, successor.verdict.id)}>
				{t(lang, "versionLabel")} {successor.version}
			</a>
		</>
	);
}

/** Open Graph and Twitter card tags, so a shared link shows the verdict, not just the address. */
export function SharingMeta(props: { title: string; description: string; url: string; siteName: string }) {
	return (
		<>
			<meta property="og:type" content="article" />
			<meta property="og:title" content={props.title} />
			<meta property="og:description" content={props.description} />
			<meta property="og:url" content={props.url} />
			<meta property="og:site_name" content={props.siteName} />
			<meta name="twitter:card" content="summary" />
			<meta name="twitter:title" content={props.title} />
			<meta name="twitter:description" content={props.description} />
		</>
	);
}

/** The status and the current verdict's headline, or what a claim without one says. */
export function sharingDescription(detail: ClaimDetail, lang: UiLanguage): string {
	const current = publicHistory(detail).find((v) => v.state === "published");
	const status = describeStatus(detail.status as ClaimStatus, lang).label;
	return current ? `${status}: ${current.headline}` : status;
}
