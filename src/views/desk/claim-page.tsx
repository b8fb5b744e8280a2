import type { Child } from "hono/jsx";
import {
	can,
	draftWriterId,
	hasRole,
	mayEditDraft,
	mayEditReviewedClaim,
	mayPublishDraft,
} from "../../auth/permissions";
import type { DeskSession } from "../../auth/session";
import type { PublishingPolicy } from "../../commands/context";
import type { Upload, Verdict } from "../../db/schema";
import { claimantName } from "../../domain/claim-review";
import { embedChoiceFromQuery } from "../../domain/embed-options";
import { parseEvidence } from "../../domain/evidence";
import { readableCorrectionNote } from "../../domain/import-correction";
import type { ClaimStatus } from "../../domain/ratings";
import { getRating, type UiLanguage } from "../../domain/ratings";
import { creditFor, type House, siteOf } from "../../domain/review-attribution";
import { reviewStateOf } from "../../domain/review-state";
import { shortQuote } from "../../domain/typography";
import { newsroomDay } from "../../lib/newsroom-clock";
import type { ClaimMatch } from "../../store/claim-matches";
import type { ClaimDetail } from "../../store/claims";
import type { WordsChange } from "../../store/draft-words";
import type { ArchiveStanding } from "../../store/snapshots";
import { EmbedCode, previewVersion } from "../embed-code";
import { formatDate } from "../i18n";
import { appearanceLink, publicHistory, versionedHistory } from "../json";
import { ArchivedElsewhere } from "../pages/archived-elsewhere";
import { Attachments } from "./attachments";
import { ActorName, auditChanges, PersonName, personNameText } from "./audit-actor";
import { SourceFields, type Values } from "./claim-form";
import { claimPageErrors } from "./claim-page-errors";
import { mayRetire, RetireSection } from "./claim-retirement";
import {
	Assignment,
	type DeskMember,
	type Note,
	Notes,
	type ReturnNote,
	ReviewThread,
	Topics,
} from "./collaboration";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { ConfirmBox, type FieldErrors, Notice, TextArea } from "./fields";
import { EntryDetail } from "./history-detail";
import { fieldMessage, formatDateTime, safeHref } from "./labels";
import { type ClaimWordsNow, RefusalNotice } from "./refusal-notice";
import { StatusPill } from "./status";
import { StaleNotice, type StaleState, shownJson } from "./verdict-preview";
import { WordsChangedNotice } from "./words-changed";

export interface HistoryEntry {
	id: number;
	at: string;
	action: string;
	entity: string;
	entityId: string;
	actorName: string | null;
	actorLabel: string | null;
	/** Who minted the API token the actor acted with, when someone else did (an admin). */
	minterName?: string | null;
	/** JSON of what changed: a merge's entries name the other claim. */
	changes: string | null;
	/** An assignment entry's holders before and after, by name. */
	fromName?: string | null;
	toName?: string | null;
	/** Which of the accounts named is disabled now (they left): said beside the name. */
	actorDeparted?: boolean;
	minterDeparted?: boolean;
	fromDeparted?: boolean;
	toDeparted?: boolean;
}

/** Errors and input of one form on the claim page, to re-show it after a failed post. */
export interface FormState {
	form:
		| "publish"
		| "retract"
		| "return"
		| "submit"
		| "appearance"
		| "discard"
		| "assign"
		| "note"
		| "tags"
		| "attachment"
		| "remove-appearance"
		| "archive-again"
		| "merge"
		| "remove-claim"
		| "new-verdict";
	verdictId?: string;
	/** The appearance whose removal form (or "Archive again" refusal) is re-shown. */
	appearanceId?: string;
	/** The evidence link (and the verdict it was shown under) whose "Archive again" refusal is re-shown. */
	evidence?: { url: string; verdictId: string };
	values: Values;
	errors: FieldErrors;
	notice?: string;
	/** The claim's words now, quoted after a verdict step's notice: it changed after the page was shown. */
	claimNow?: ClaimWordsNow | undefined;
	/** A publication refused for a draft changed since the page was shown: the notice lists how. */
	stale?: StaleState | undefined;
}

export interface ClaimPageProps {
	chrome: DeskChrome;
	session: DeskSession;
	claim: ClaimDetail;
	history: HistoryEntry[];
	/** The entry to show older ones before ("Older entries"), or null when all are shown. */
	olderHistory: number | null;
	names: Map<string, string>;
	/** Which of them left (their account disabled): each is named so ("account disabled"). */
	departed: ReadonlySet<string>;
	/** A fresh idempotency key per form on the page. */
	keys: () => string;
	state?: FormState | null;
	flash?: string | null;
	/** Recorded from "New from article": the article's address, language and skipped candidates, to go back to. */
	intake?: { url: string; language: string; skip: string } | null;
	/** Origin for absolute embed URLs. */
	origin: string;
	/** Whether the public may open the claim now (PUBLIC_UNREVIEWED = "hide" hides it until published). */
	publicNow: boolean;
	/** Our organisation and hosts: the embed code names who checked the published verdict. */
	house: House;
	/** `departed`: their account is disabled (they left; an editor assigns the claim on). */
	assignee: { name: string; email: string; departed?: boolean } | null;
	/**
	 * Who holds the claim when that keeps this checker from drafting on it (no "Draft a
	 * verdict"); `departed`: a disabled account's, which an editor assigns on first.
	 */
	draftHeldBy?: { name: string; departed?: boolean } | null;
	/** Whether the open draft's writer left (account disabled): no "Return to the checker". */
	draftWriterDeparted?: boolean;
	/** Desk members an editor may assign (empty for checkers). */
	members: DeskMember[];
	notes: Note[];
	attachments: Upload[];
	/** The newest snapshot of each source URL, whatever its state: the desk sees failures too. */
	archive: Record<string, ArchiveStanding>;
	/**
	 * The same for the evidence links of the verdicts that are no drafts (the ones archived),
	 * by `evidenceArchiveKey`: each with the copy made when its verdict was published.
	 */
	evidenceArchive?: Record<string, ArchiveStanding>;
	/** Other claims the matcher finds close to this one. */
	similar: ClaimMatch[];
	/** The open draft's review thread (its return notes), oldest first. */
	returns: ReturnNote[];
	/** The deployment's publishing rules (four eyes or not). */
	policy: PublishingPolicy;
	/** Who wrote the open draft (its drafter and whoever saved it): with four eyes, not its publishers. */
	draftWriters: readonly string[];
	/**
	 * Changes of the claim's words after the open draft was last saved (store/draft-words): its
	 * card says how, and offers no publish form until it is saved on them.
	 */
	draftWordsChanged: WordsChange[];
	/**
	 * The claim's newest change row, read before the claim: the publish form carries it, so a
	 * refusal for another reason (the verdict in force moved) still says the claim changed too.
	 */
	claimChange: number;
}

const STATE_KEYS = {
	draft: "deskStateDraft",
	published: "published",
	superseded: "superseded",
	retracted: "retracted",
} as const;

/**
 * Each public verdict's number as readers see it ("Version 2 · Superseded"), from the public
 * page's own numbering: `verdict.version` is the lock counter the forms send back, which
 * corrections and retractions raise, and an editor told "your Version 2" must find that one.
 */
function publicVersionsOf(claim: ClaimDetail): Map<string, number> {
	return new Map(versionedHistory(claim).map(({ verdict, version }) => [verdict.id, version]));
}

/**
 * The cards in the order of their numbers: the open draft first, then the public versions
 * newest first, as the public page lists them (`publicHistory`, which `versionedHistory`
 * numbers). Not the order they were written in: a desk draft begun before an import and
 * published after it is the newest version, though written before the imported one.
 */
function cardOrder(claim: ClaimDetail): Verdict[] {
	const drafts = claim.verdicts.filter((v) => v.state === "draft").reverse();
	return [...drafts, ...publicHistory(claim)];
}

export function ClaimPage(props: ClaimPageProps) {
	const { chrome, claim } = props;
	const { lang } = chrome;
	const published = claim.verdicts.find((v) => v.state === "published");
	const verdicts = cardOrder(claim);
	const publicVersions = publicVersionsOf(claim);
	const title = t(lang, "deskClaimTitle");
	// Tabs of several claims tell them apart by their words.
	const words = shortQuote(claim.text, 60);
	return (
		<DeskLayout
			chrome={chrome}
			title={`${words} – ${title}`}
			errors={claimPageErrors(lang, props.state)}
			formErrors={props.state?.errors}
			refused={Boolean(props.state?.notice)}
		>
			<h1>{title}</h1>
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			{/* A refused step on a verdict (publish, retract, return, submit, discard, a new
			    draft's form) leads the page: its card stands far down, and the notice says what
			    to read again. */}
			{(props.state?.verdictId || props.state?.form === "new-verdict") && props.state.notice ? (
				<StepRefusal {...props} state={props.state} notice={props.state.notice} />
			) : null}
			<BackToCandidates {...props} />
			<blockquote class="quote" lang={claim.language} dir="auto">
				{claim.text}
			</blockquote>
			<ClaimActions {...props} />
			<ClaimFacts {...props} />
			{claim.context ? (
				<>
					<h2>{t(lang, "context")}</h2>
					<p class="keep-lines" dir="auto">
						{claim.context}
					</p>
				</>
			) : null}
			<Teamwork {...props} />
			<Attachments
				{...formBits(props, "attachment")}
				attachments={props.attachments}
				canPublish={hasRole(props.session.user.role, "editor")}
				caption={props.state?.form === "attachment" ? props.state.values.caption : undefined}
			/>

			<h2>{t(lang, "deskVerdicts")}</h2>
			<VerdictOffer {...props} />
			{verdicts.length === 0 ? <p>{t(lang, "notReviewed")}</p> : null}
			{verdicts.map((verdict) => (
				<VerdictCard
					{...props}
					verdict={verdict}
					publicVersion={publicVersions.get(verdict.id) ?? null}
					hasPublished={Boolean(published)}
					publishedId={published?.id ?? null}
					stateKey={STATE_KEYS[verdict.state]}
				/>
			))}

			<h2>{t(lang, "appearances")}</h2>
			<AppearanceList {...props} />
			<AppearanceForm {...props} />
			<SimilarClaims {...props} />

			<EmbedCode
				claimId={claim.id}
				status={claim.status as ClaimStatus}
				claimLanguage={claim.language}
				speakerName={claimantName(claim)}
				orgName={published ? creditFor(published, props.house).name : chrome.orgName}
				origin={props.origin}
				lang={lang}
				choice={embedChoiceFromQuery(new URL(chrome.path, "http://desk.invalid").searchParams)}
				optionsPage={`/desk/claims/${claim.id}`}
				caveat={props.publicNow ? null : <p class="notice">{t(lang, "deskEmbedNotPublicYet")}</p>}
				version={previewVersion(claim)}
			/>

			<Notes {...formBits(props, "note")} notes={props.notes} />
			<RetireSection {...props} />

			<h2 id="history">{t(lang, "deskHistory")}</h2>
			<HistoryTable lang={lang} history={props.history} />
			{props.olderHistory !== null ? (
				<p>
					<a href={`/desk/claims/${claim.id}?history=${props.olderHistory}#history`} rel="next">
						{t(lang, "deskHistoryOlder")}
					</a>
				</p>
			) : null}
		</DeskLayout>
	);
}

/** Above the cards: the open draft to finish, who holds the claim's draft, or a new verdict to write. */
function VerdictOffer(props: ClaimPageProps) {
	const { claim } = props;
	const { lang } = props.chrome;
	const openDraft = claim.verdicts.find((v) => v.state === "draft");
	if (openDraft) {
		const editable = mayEditDraft(actorOf(props.session), {
			...openDraft,
			claimAssigneeId: claim.assigneeId,
		});
		return (
			<OpenDraftNotice
				lang={lang}
				href={editable ? `/desk/verdicts/${openDraft.id}/edit` : `#verdict-${openDraft.id}`}
			/>
		);
	}
	if (props.draftHeldBy) {
		return (
			<p>
				{t(lang, props.draftHeldBy.departed ? "deskDraftHeldByDeparted" : "deskDraftHeldBy", {
					name: props.draftHeldBy.name,
				})}
			</p>
		);
	}
	const published = claim.verdicts.some((v) => v.state === "published");
	return (
		<p>
			<a class="button" href={`/desk/claims/${claim.id}/verdicts/new`}>
				{published ? t(lang, "deskDraftCorrection") : t(lang, "deskDraftVerdict")}
			</a>
		</p>
	);
}

/** Back to the article's candidates, for a claim recorded from "New from article". */
function BackToCandidates(props: ClaimPageProps) {
	if (!props.intake) return null;
	return (
		<form method="post" action="/desk/articles" class="inline">
			<FormSecrets csrf={props.session.csrfToken} />
			<input type="hidden" name="url" value={props.intake.url} />
			<input type="hidden" name="language" value={props.intake.language} />
			<input type="hidden" name="skip" value={props.intake.skip} />
			<button type="submit" class="secondary">
				{t(props.chrome.lang, "deskBackToCandidates")}
			</button>
		</form>
	);
}

/** The card's steps a draft changed since the page was shown refuses, saying how (StaleNotice). */
const STALE_STEPS = ["publish", "return", "submit", "discard"] as const;

/**
 * The refusal of a step on a verdict, leading the page. A publication refused for a draft
 * saved, submitted or returned since the page was shown lists what changed, as the preview's
 * does: "Someone else saved this verdict" left the editor to spot a rating turned from
 * Misleading to False on the card before publishing it (s34 r342). A return, submission or
 * discard alike, in its own words (s35 r352).
 */
function StepRefusal(props: ClaimPageProps & { state: FormState; notice: string }) {
	const { lang } = props.chrome;
	const { state, notice } = props;
	const draft = state.stale ? props.claim.verdicts.find((v) => v.id === state.verdictId) : undefined;
	if (state.stale && draft)
		return (
			<StaleNotice
				lang={lang}
				notice={notice}
				shown={state.stale.shown}
				inForce={state.stale.inForce}
				draft={draft}
				where="card"
				doing={STALE_STEPS.find((step) => step === state.form)}
				claimNow={state.claimNow}
			/>
		);
	return <RefusalNotice lang={lang} notice={notice} claimNow={state.claimNow} />;
}

/** The public page, and the claim's and its speaker's edit forms for whoever may use them. */
function ClaimActions(props: ClaimPageProps) {
	const { claim } = props;
	const { lang } = props.chrome;
	const speaker = claim.speaker;
	return (
		<p class="actions">
			<a href={`/claims/${claim.id}`}>{t(lang, "deskPublicPage")}</a>
			{isReviewed(claim) && !mayEditReviewedClaim(actorOf(props.session)) ? null : (
				<>
					{" · "}
					<a href={`/desk/claims/${claim.id}/edit`}>{t(lang, "deskEditClaim")}</a>
				</>
			)}
			{speaker && hasRole(props.session.user.role, "editor") ? (
				<>
					{" · "}
					<a href={`/desk/speakers/${speaker.slug}`}>{t(lang, "deskEditSpeaker")}</a>
				</>
			) : null}
		</p>
	);
}

/** What was said, by whom, when, and where the claim stands. */
function ClaimFacts(props: ClaimPageProps) {
	const { claim } = props;
	const { lang } = props.chrome;
	const speaker = claim.speaker;
	return (
		<dl class="facts">
			<dt>{t(lang, "claimBy")}</dt>
			<dd dir="auto">
				{speaker ? (
					<>
						<bdi>{speaker.name}</bdi> ·{" "}
						<a href={`/desk?list=all&speaker=${speaker.slug}`}>{t(lang, "deskSpeakerInDesk")}</a>
					</>
				) : claim.appearances.length > 0 ? (
					t(lang, "claimOfSource")
				) : (
					// Neither speaker nor source (an import may name neither): nobody's, as on the public page.
					"–"
				)}
			</dd>
			<dt>{t(lang, "saidOn")}</dt>
			<dd>{claim.claimedAt ? formatDate(claim.claimedAt, lang) : "–"}</dd>
			<dt>{t(lang, "status")}</dt>
			<dd>
				<StatusPill lang={lang} status={claim.status} />
			</dd>
			<dt>{t(lang, "deskRecorded")}</dt>
			<dd>
				{formatDateTime(claim.createdAt, lang)}
				{claim.createdBy ? (
					<>
						{" · "}
						<PersonName
							lang={lang}
							name={props.names.get(claim.createdBy) ?? ""}
							departed={props.departed.has(claim.createdBy)}
						/>
					</>
				) : null}
			</dd>
			<dt>{t(lang, "deskVersion")}</dt>
			<dd>{claim.version}</dd>
		</dl>
	);
}

/** Where the claim appeared: the same links as the public page, with each source's archived copy. */
function AppearanceList(props: ClaimPageProps) {
	const { claim } = props;
	const { lang } = props.chrome;
	// A claim keeps one appearance; a reviewed claim's are an editor's to remove (store/appearances).
	const mayRemove =
		claim.appearances.length > 1 &&
		can(props.session.user.role, "claim:edit") &&
		(!isReviewed(claim) || mayEditReviewedClaim(actorOf(props.session)));
	// An import may name no source: said so, as on the public page, above the form that adds one.
	if (claim.appearances.length === 0) return <p>{t(lang, "appearancesNone")}</p>;
	return (
		<ul class="appearances">
			{claim.appearances.map((appearance) => {
				// The same link as the public page: the source, landing on the quote.
				const href = safeHref(appearanceLink(appearance, claim.text));
				return (
					<li>
						{href ? (
							<a href={href}>{appearance.source.title ?? appearance.source.url}</a>
						) : (
							appearance.source.url
						)}
						<span class="meta">
							{" "}
							{[appearance.source.publisher, formatDate(appearance.source.publishedAt, lang)]
								.filter(Boolean)
								.join(", ")}
							{appearance.isFirst ? ` · ${t(lang, "firstAppearance")}` : ""}
						</span>
						<ArchiveState
							claimId={claim.id}
							standing={props.archive[appearance.source.url]}
							archivedUrl={appearance.source.archivedUrl}
							lang={lang}
						/>
						<ArchiveAgain {...props} appearanceId={appearance.id} url={appearance.source.url} />
						{appearance.quote ? <blockquote dir="auto">{appearance.quote}</blockquote> : null}
						{mayRemove ? <RemoveAppearanceForm {...props} appearanceId={appearance.id} /> : null}
					</li>
				);
			})}
		</ul>
	);
}

function HistoryTable(props: { lang: UiLanguage; history: ClaimPageProps["history"] }) {
	const { lang } = props;
	// On a phone each entry stacks, its time and who under their column's names (table.stack),
	// each word whole: side by side, anywhere-breaking split a German "07.12.2026," inside its
	// year ("07.12.2 / 026,") and names mid-word. A name one unbroken run scrolls the table.
	return (
		<div class="table-scroll">
			<table class="stack">
				<caption class="visually-hidden">{t(lang, "deskHistoryCaption")}</caption>
				<thead>
					<tr>
						<th scope="col">{t(lang, "deskWhen")}</th>
						<th scope="col">{t(lang, "deskWho")}</th>
						<th scope="col">{t(lang, "deskWhat")}</th>
					</tr>
				</thead>
				<tbody>
					{props.history.map((entry) => (
						<tr>
							<td class="whole" data-label={t(lang, "deskWhen")}>
								{formatDateTime(entry.at, lang)}
							</td>
							<td class="whole" data-label={t(lang, "deskWho")}>
								<ActorName
									lang={lang}
									actor={{ ...entry, imported: auditChanges(entry.changes).imported === true }}
								/>
							</td>
							<td>
								{actionLabel(lang, entry.action)} (
								{entry.entity === "verdict" ? t(lang, "deskVerdict") : t(lang, "deskClaim")}{" "}
								<code>{entry.entityId}</code>)
								<EntryDetail lang={lang} entry={entry} />
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

const ACTION_KEYS = {
	create: "deskActCreate",
	"add-appearance": "deskActAddAppearance",
	"remove-appearance": "deskActRemoveAppearance",
	"create-draft": "deskActCreateDraft",
	"update-draft": "deskActUpdateDraft",
	publish: "deskActPublish",
	"publish-correction": "deskActPublishCorrection",
	supersede: "deskActSupersede",
	retract: "deskActRetract",
	"discard-draft": "deskActDiscardDraft",
	assign: "deskActAssign",
	unassign: "deskActUnassign",
	return: "deskActReturn",
	submit: "deskActSubmit",
	note: "deskActNote",
	tag: "deskActTag",
	edit: "deskActEdit",
	merge: "deskActMerge",
	"merged-into": "deskActMergedInto",
	remove: "deskActRemove",
	"upload.added": "deskActUploadAdded",
	"upload.published": "deskActUploadPublished",
	"upload.hidden": "deskActUploadHidden",
	"import-create": "deskActImportCreate",
	"import-update": "deskActImportUpdate",
	"archive-again": "deskActArchiveAgain",
	"archive-evidence-again": "deskActArchiveEvidenceAgain",
} as const;

/** What a collaboration form needs, with its errors when it is the form re-shown. */
function formBits(props: ClaimPageProps, form: FormState["form"]) {
	const state = props.state?.form === form ? props.state : null;
	return {
		lang: props.chrome.lang,
		session: props.session,
		claimId: props.claim.id,
		keys: props.keys,
		errors: state?.errors ?? {},
		values: state?.values ?? {},
		notice: state?.notice,
	};
}

/**
 * Claims that may be the same as this one: a duplicate recorded before matching, or a
 * restatement. An editor gets links to merge one into the other (the merge form, filled in).
 */
function SimilarClaims(props: ClaimPageProps) {
	const { lang } = props.chrome;
	const matches = props.similar;
	if (matches.length === 0) return null;
	const merges = can(props.session.user.role, "claim:merge");
	return (
		<section aria-labelledby="similar-h">
			<h2 id="similar-h">{t(lang, "deskSimilarClaims")}</h2>
			<p class="hint">{t(lang, "deskSimilarClaimsHint")}</p>
			<ul>
				{matches.map((match) => {
					const other = match.claim.claim;
					return (
						<li>
							<strong>{t(lang, match.relation === "same" ? "deskMatchSame" : "deskMatchSimilar")}</strong>{" "}
							<a href={`/desk/claims/${other.id}`} lang={other.language} dir="auto">
								{other.text}
							</a>{" "}
							<StatusPill lang={lang} status={other.status as ClaimStatus} />
							{merges ? (
								<span class="meta">
									{mayRetire(props.claim) ? (
										<>
											{" · "}
											<a href={`/desk/claims/${props.claim.id}?mergeInto=${other.id}#merge`}>
												{t(lang, "deskMergeIntoThat")}
											</a>
										</>
									) : null}
									{other.status === "unverified" ? (
										<>
											{" · "}
											<a href={`/desk/claims/${other.id}?mergeInto=${props.claim.id}#merge`}>
												{t(lang, "deskMergeThatHere")}
											</a>
										</>
									) : null}
								</span>
							) : null}
						</li>
					);
				})}
			</ul>
		</section>
	);
}

/** The key of a verdict's evidence link in `evidenceArchive`. */
export const evidenceArchiveKey = (verdictId: string, url: string) => `${verdictId} ${url}`;

/** Evidence that is one of the claim's sources has the source's copy elsewhere, as the public page links it. */
function archivedElsewhere(claim: ClaimDetail, url: string): string | null {
	return claim.appearances.find((a) => a.source.url === url)?.source.archivedUrl ?? null;
}

/**
 * Where the evidence archive stands for a source: the copy the public pages link for this
 * citation (opened for the claim, its quote highlighted), and a later try being fetched or
 * failed and why. A failed re-fetch does not hide that copy.
 */
function ArchiveState(props: {
	claimId: string;
	standing: ArchiveStanding | undefined;
	/** The source's copy elsewhere (Save Page Now's, or one the API was given), read-only here. */
	archivedUrl: string | null;
	lang: UiLanguage;
}) {
	const { standing, lang } = props;
	if (!standing) {
		return props.archivedUrl ? (
			<p class="meta">
				<ArchivedElsewhere archivedUrl={props.archivedUrl} lang={lang} first={true} />
			</p>
		) : null;
	}
	const { latest, copy } = standing;
	return (
		<p class="meta">
			{copy ? (
				<>
					<a href={`/desk/snapshots/${copy.id}?claim=${props.claimId}`}>{t(lang, "archivedCopy")}</a> ·{" "}
					{formatDateTime(copy.fetchedAt ?? copy.updatedAt, lang)}
				</>
			) : null}
			{latest === null ? (
				t(lang, "deskArchiveNeverTried")
			) : latest.state !== "ok" ? (
				<>
					{copy ? " · " : ""}
					{t(lang, archiveStateKey(latest, copy !== null))}
					{latest.error ? `: ${fieldMessage(lang, latest.error)}` : ""}
				</>
			) : null}
			<ArchivedElsewhere archivedUrl={props.archivedUrl} lang={lang} ownCopyId={copy?.id} />
		</p>
	);
}

/**
 * "Archive again": a new copy of a source whose copy failed with no try due (given up,
 * refused, never queued, unfinished at a backup), for anyone who may add appearances.
 * Not while the address has a copy under a day old, one being fetched or a retry due.
 */
function ArchiveAgain(props: ClaimPageProps & { appearanceId: string; url: string }) {
	const state =
		props.state?.form === "archive-again" && props.state.appearanceId === props.appearanceId
			? props.state
			: null;
	return (
		<ArchiveAgainForm
			{...props}
			standing={props.archive[props.url]}
			action={`/desk/claims/${props.claim.id}/appearances/${props.appearanceId}/archive`}
			fields={{}}
			notice={state?.notice}
		/>
	);
}

/** "Archive again" beside an evidence link of a verdict (its copy failed with no try due). */
function ArchiveEvidenceAgain(props: ClaimPageProps & { verdictId: string; url: string }) {
	const refused = props.state?.form === "archive-again" ? props.state.evidence : undefined;
	const here = refused?.url === props.url && refused.verdictId === props.verdictId;
	return (
		<ArchiveAgainForm
			{...props}
			standing={props.evidenceArchive?.[evidenceArchiveKey(props.verdictId, props.url)]}
			action={`/desk/claims/${props.claim.id}/evidence/archive`}
			fields={{ url: props.url, verdictId: props.verdictId }}
			notice={here ? props.state?.notice : undefined}
		/>
	);
}

/** The button (and a refusal's notice), offered when the newest try failed with none due. */
function ArchiveAgainForm(
	props: ClaimPageProps & {
		standing: ArchiveStanding | undefined;
		action: string;
		fields: Record<string, string>;
		notice: string | undefined;
	},
) {
	const { lang } = props.chrome;
	const offered =
		props.standing?.mayArchiveAgain === true && can(props.session.user.role, "claim:add-appearance");
	return (
		<>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			{offered ? (
				<form method="post" action={props.action} class="inline archive-again">
					<FormSecrets csrf={props.session.csrfToken} idem={props.keys()} />
					{Object.entries(props.fields).map(([name, value]) => (
						<input type="hidden" name={name} value={value} />
					))}
					<button type="submit" class="secondary">
						{t(lang, "deskArchiveAgain")}
					</button>
				</form>
			) : null}
		</>
	);
}

/**
 * What the newest try says: being fetched; failed with a retry due (the consumer stored
 * when: `retryAt`); or failed for good, with no try due (given up, refused, never queued).
 */
function archiveStateKey(latest: NonNullable<ArchiveStanding["latest"]>, hasCopy: boolean) {
	if (latest.state === "pending") return "deskArchivePending";
	if (latest.retryAt !== null) return hasCopy ? "deskArchiveRetryFailed" : "deskArchiveFailed";
	return hasCopy ? "deskArchiveRetryFailedFinal" : "deskArchiveFailedFinal";
}

/** Who works on the claim, and its topics. */
function Teamwork(props: ClaimPageProps) {
	const { lang } = props.chrome;
	const writer = openDraftWriter(props.claim);
	return (
		<>
			<Assignment
				{...formBits(props, "assign")}
				assignee={props.assignee}
				members={props.members}
				draftBy={writer}
				draftByName={
					writer === null
						? null
						: personNameText(lang, props.names.get(writer) ?? "?", props.departed.has(writer))
				}
			/>
			<Topics
				{...formBits(props, "tags")}
				version={props.claim.version}
				tags={props.claim.tags.map((tag) => ({
					slug: tag.slug,
					name: lang === "de" ? tag.nameDe : tag.nameEn,
				}))}
			/>
		</>
	);
}

/** Who writes the claim's open draft now (auth/permissions `draftWriterId`); null: none open. */
function openDraftWriter(claim: ClaimPageProps["claim"]): string | null {
	const draft = claim.verdicts.find((v) => v.state === "draft");
	return draft ? draftWriterId({ ...draft, claimAssigneeId: claim.assigneeId }) : null;
}

function actorOf(session: DeskSession) {
	return { userId: session.user.id, role: session.user.role };
}

/** "A draft exists — open it": a claim has one open draft at a time. */
function OpenDraftNotice(props: { lang: UiLanguage; href: string }) {
	const { lang } = props;
	return (
		<Notice role="status">
			{t(lang, "deskDraftExists")} <a href={props.href}>{t(lang, "deskOpenDraft")}</a>
		</Notice>
	);
}

function actionLabel(lang: UiLanguage, action: string): string {
	const key = ACTION_KEYS[action as keyof typeof ACTION_KEYS];
	return key ? t(lang, key) : action;
}

/** An import's correction note in the desk's words (domain/import-correction); an editor's in the verdict's language. */
function CorrectionNoteText(props: { verdict: Verdict; lang: UiLanguage }) {
	const { text, ours } = readableCorrectionNote(props.verdict.correctionNote ?? "", props.lang);
	return <bdi lang={ours ? props.lang : props.verdict.language}>{text}</bdi>;
}

function VerdictCard(
	props: ClaimPageProps & {
		verdict: Verdict;
		/** Its number on the public page; null for a draft, which readers never see. */
		publicVersion: number | null;
		hasPublished: boolean;
		publishedId: string | null;
		stateKey: (typeof STATE_KEYS)[keyof typeof STATE_KEYS];
	},
) {
	const { chrome, verdict, session, names } = props;
	const { lang } = chrome;
	const state = props.state?.verdictId === verdict.id ? props.state : null;
	const headingId = `verdict-${verdict.id}`;
	// Who writes the draft now (its claim's holder, or who held it last): not always its drafter.
	const writer =
		verdict.state === "draft" ? draftWriterId({ ...verdict, claimAssigneeId: props.claim.assigneeId }) : null;
	return (
		<section class={`verdict verdict-${verdict.state}`} aria-labelledby={headingId}>
			<h3 id={headingId}>
				{/* The verdict's words are in its language, the desk's around them in the desk's. Its
				    public number names it apart from a correction that kept the headline (each card
				    is a region named by this heading), as "Version 2 · Superseded" on its own page. */}
				{props.publicVersion !== null ? `${t(lang, "deskVersion")} ${props.publicVersion} · ` : null}
				<span class="state">{t(lang, props.stateKey)}</span>:{" "}
				<bdi lang={verdict.language}>{verdict.headline}</bdi>
			</h3>
			<p>
				<span class="rating-label">
					{t(lang, "rating")}: {getRating(verdict.rating).labels[lang]}
				</span>
			</p>
			{verdict.summary ? (
				<p class="keep-lines" lang={verdict.language} dir="auto">
					{verdict.summary}
				</p>
			) : null}
			{verdict.body ? (
				<p class="body" lang={verdict.language}>
					{verdict.body}
				</p>
			) : null}
			<EvidenceLinks {...props} verdict={verdict} />
			{/* The label in the desk's language, the note in the verdict's (as on the public page). */}
			{verdict.retractionNote ? (
				<p>
					<strong>{t(lang, "deskRetractionNote")}:</strong>{" "}
					<bdi lang={verdict.language}>{verdict.retractionNote}</bdi>
				</p>
			) : null}
			{verdict.correctionNote ? (
				<p>
					<strong>{t(lang, "deskCorrectionNote")}:</strong>{" "}
					<CorrectionNoteText verdict={verdict} lang={lang} />
				</p>
			) : null}
			<VerdictByline
				lang={lang}
				verdict={verdict}
				names={names}
				departed={props.departed}
				writer={writer}
				publicVersion={props.publicVersion}
			/>
			{verdict.state === "draft" ? (
				<ReviewStateLine lang={lang} verdict={verdict} own={writer === session.user.id} />
			) : null}
			{verdict.state === "draft" ? (
				<WordsChangedNotice
					lang={lang}
					changes={props.draftWordsChanged}
					claimLanguage={props.claim.language}
					title="deskWordsChangedSinceSaved"
					advice={
						can(session.user.role, "verdict:publish")
							? "deskWordsChangedPublishAdvice"
							: "deskWordsChangedSaveAdvice"
					}
				/>
			) : null}
			{verdict.state === "draft" ? (
				<ReviewThread
					{...formBits(props, "return")}
					// Its refusal leads the page (ClaimPage), not said twice.
					notice={undefined}
					verdictId={verdict.id}
					version={verdict.version}
					shown={shownJson(verdict)}
					thread={props.returns}
					changesRequested={verdict.changesRequestedAt !== null}
					open={state?.form === "return"}
					returnable={writer !== null && writer !== session.user.id && !props.draftWriterDeparted}
				/>
			) : null}
			{verdict.state === "draft" ? <DraftActions {...props} state={state} /> : null}
			{verdict.state === "published" && can(session.user.role, "verdict:retract") ? (
				<details class="retract" open={state?.form === "retract"}>
					<summary>{t(lang, "deskRetract")}</summary>
					<form method="post" action={`/desk/verdicts/${verdict.id}/retract`} novalidate>
						<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
						<input type="hidden" name="version" value={String(verdict.version)} />
						<TextArea
							name="note"
							label={t(lang, "deskRetractionNote")}
							lang={lang}
							errors={state?.form === "retract" ? state.errors : {}}
							value={state?.form === "retract" ? state.values.note : ""}
							idSuffix={verdict.id}
							rows={3}
							required
						/>
						<button type="submit" class="danger">
							{t(lang, "deskRetract")}
						</button>
					</form>
				</details>
			) : null}
		</section>
	);
}

/**
 * A verdict's evidence links; those of a verdict that is no draft (archived when it was
 * published) with where the archive stands for each, as the appearances have it.
 */
function EvidenceLinks(props: ClaimPageProps & { verdict: Verdict }) {
	const { verdict } = props;
	const { lang } = props.chrome;
	const evidence = parseEvidence(verdict.evidence);
	if (evidence.length === 0) return null;
	return (
		<>
			<p class="label">{t(lang, "evidence")}</p>
			<ul>
				{evidence.map((link) => {
					const href = safeHref(link.url);
					return (
						<li>
							{href ? <a href={href}>{link.title}</a> : link.title}
							{verdict.state !== "draft" ? (
								<>
									<ArchiveState
										claimId={props.claim.id}
										standing={props.evidenceArchive?.[evidenceArchiveKey(verdict.id, link.url)]}
										archivedUrl={archivedElsewhere(props.claim, link.url)}
										lang={lang}
									/>
									<ArchiveEvidenceAgain {...props} verdictId={verdict.id} url={link.url} />
								</>
							) : null}
						</li>
					);
				})}
			</ul>
		</>
	);
}

/**
 * Who drafted and published a verdict, when, and its public version number (none for a
 * draft: its card says it is one), joined by " · ": a verdict
 * without a drafter (imported, or published by the system) began with a stray " · ". An
 * imported one names the review's publisher, site and day, then who imported it and when
 * (`importedBy`). An open draft someone else writes now (`writer`: its claim changed hands)
 * names them too, as the lists of drafts do.
 */
function VerdictByline(props: {
	lang: UiLanguage;
	verdict: Verdict;
	names: Map<string, string>;
	departed: ReadonlySet<string>;
	writer: string | null;
	publicVersion: number | null;
}) {
	const { lang, verdict, names, writer } = props;
	const nameOf = (id: string) => (
		<PersonName lang={lang} name={names.get(id) ?? "?"} departed={props.departed.has(id)} />
	);
	const parts: Child[] = [];
	// Imports store the publisher's own rating beside the mapped one, and only imports do.
	const imported = verdict.originalRating !== null;
	if (imported) parts.push(<ImportedFrom lang={lang} verdict={verdict} />);
	else if (verdict.reviewerId)
		parts.push(
			<>
				{t(lang, "deskDraftedBy")} {nameOf(verdict.reviewerId)}
			</>,
		);
	if (writer !== null && writer !== verdict.reviewerId)
		parts.push(
			<>
				{t(lang, parts.length === 0 ? "deskWrittenNowByFirst" : "deskWrittenNowBy")} {nameOf(writer)}
			</>,
		);
	if (imported) parts.push(...importedBy(lang, verdict, nameOf));
	else {
		if (verdict.editorId)
			parts.push(
				<>
					{t(lang, parts.length === 0 ? "deskPublishedByFirst" : "deskPublishedBy")}{" "}
					{nameOf(verdict.editorId)}
				</>,
			);
		if (verdict.publishedAt) parts.push(formatDateTime(verdict.publishedAt, lang));
	}
	if (props.publicVersion !== null) parts.push(`${t(lang, "deskVersion")} ${props.publicVersion}`);
	return (
		<p class="meta byline">
			{parts.map((part, index) => (
				<>
					{index > 0 ? " · " : ""}
					{part}
				</>
			))}
		</p>
	);
}

/**
 * "Review by Correctiv (correctiv.org) of 12 July 2025": the review's publisher, its site when
 * that is another name, and its day, as the public page dates it. Not a time: a review dated
 * with a day alone is stored as an instant on that day (store/imports `publishedTimestamp`,
 * midnight UTC), which read as a time ("12.07.2025, 02:00 MESZ" beside the importer's name)
 * was a moment no one published anything, and another hour in every zone.
 */
function ImportedFrom(props: { lang: UiLanguage; verdict: Verdict }) {
	const { lang, verdict } = props;
	const site = siteOf(verdict.reviewUrl);
	const publisher = verdict.reviewPublisher?.trim() || site;
	const day = verdict.publishedAt ? (
		<>
			{" "}
			{t(lang, "deskReviewOf")}{" "}
			<time datetime={newsroomDay(verdict.publishedAt)}>{formatDate(verdict.publishedAt, lang)}</time>
		</>
	) : null;
	if (!publisher)
		return (
			<>
				{t(lang, "deskImportedReview")}
				{day}
			</>
		);
	return (
		<>
			{t(lang, "deskReviewBy")} <bdi>{publisher}</bdi>
			{site && site !== publisher ? ` (${site})` : ""}
			{day}
		</>
	);
}

/**
 * "imported by Ada Admin · 7 Dec 2026, 17:24 CET": who ran the import (the verdict's editor,
 * the import's actor) and when, the verdict's row made in the import's batch: what the desk
 * answers "who put this up, when?" with, beside the review's own day.
 */
function importedBy(lang: UiLanguage, verdict: Verdict, nameOf: (id: string) => Child): Child[] {
	const who = verdict.editorId ? (
		<>
			{t(lang, "deskImportedBy")} {nameOf(verdict.editorId)}
		</>
	) : (
		t(lang, "deskImportedAt")
	);
	return [who, <time datetime={verdict.createdAt}>{formatDateTime(verdict.createdAt, lang)}</time>];
}

/**
 * Where a draft stands in the review loop: submitted (since when), or not yet, which an
 * editor about to publish it should know (its writer may still be at it). A returned
 * draft says "changes requested" in its review thread.
 */
function ReviewStateLine(props: { lang: UiLanguage; verdict: Verdict; own: boolean }) {
	const { lang, verdict } = props;
	const state = reviewStateOf(verdict);
	if (state === "submitted" && verdict.submittedAt) {
		return (
			<p class="review-state" data-review-state={state}>
				{t(lang, "deskReviewSubmitted")}{" "}
				<time datetime={verdict.submittedAt}>{formatDateTime(verdict.submittedAt, lang)}</time>
			</p>
		);
	}
	// Its writer has the "Submit for review" button instead.
	if (state === "writing" && !props.own) {
		return (
			<p class="review-state hint" data-review-state={state}>
				{t(lang, "deskNotSubmittedHint")}
			</p>
		);
	}
	return null;
}

/** What the claim form's "add as appearance" brings besides the source and the words. */
const CARRIED_APPEARANCE_FIELDS = ["anchor", "intake", "intakeSig", "intakeSkip", "intakeLanguage"] as const;

/** Edit, submit, preview, publish (with a correction note over a published verdict) or discard a draft. */
function DraftActions(
	props: ClaimPageProps & {
		verdict: Verdict;
		hasPublished: boolean;
		publishedId: string | null;
		state: FormState | null;
	},
) {
	const { chrome, verdict, session, state } = props;
	const { lang } = chrome;
	// With four eyes, the editor who wrote the draft sees who publishes it instead of the button.
	const mayPublish =
		can(session.user.role, "verdict:publish") &&
		mayPublishDraft(actorOf(session), { ...verdict, writerIds: props.draftWriters }, props.policy);
	const mayEdit = mayEditDraft(actorOf(session), { ...verdict, claimAssigneeId: props.claim.assigneeId });
	return (
		<div class="actions">
			{/* The actions are a column: the links share one row of their own (a " · " between them stood alone). */}
			<p class="links">
				{mayEdit ? <a href={`/desk/verdicts/${verdict.id}/edit`}>{t(lang, "deskEditDraft")}</a> : null}
				{can(session.user.role, "verdict:publish") ? (
					<a href={`/desk/verdicts/${verdict.id}/preview`}>{t(lang, "deskPreview")}</a>
				) : null}
			</p>
			{mayEdit && verdict.submittedAt === null ? (
				<form method="post" action={`/desk/verdicts/${verdict.id}/submit`} class="submit" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="version" value={String(verdict.version)} />
					{/* The draft as its card shows it: changed before the click, the refusal says how. */}
					<input type="hidden" name="shown" value={shownJson(verdict)} />
					<button type="submit">{t(lang, "deskSubmitForReview")}</button>
				</form>
			) : null}
			{props.draftWordsChanged.length > 0 ? (
				// Written for other words: saved on these first (the notice above says so). A
				// correction note typed before that came out is kept to copy.
				can(session.user.role, "verdict:publish") ? (
					<div class="hint" data-words-changed={props.draftWordsChanged.length}>
						<p>{t(lang, "deskWordsChangedNoPublish")}</p>
						{state?.form === "publish" && state.values.correctionNote?.trim() ? (
							<div data-kept="correctionNote">
								<p>{t(lang, "deskCorrectionNoteKept")}</p>
								<blockquote dir="auto">{state.values.correctionNote}</blockquote>
							</div>
						) : null}
					</div>
				) : null
			) : mayPublish ? (
				<form method="post" action={`/desk/verdicts/${verdict.id}/publish`} class="publish" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="version" value={String(verdict.version)} />
					{/* The verdict in force as shown: one retracted or published meanwhile is a 409 that keeps the note. */}
					<input type="hidden" name="supersedes" value={props.publishedId ?? ""} />
					{/* The claim's words as shown: changed before the click, nothing is published. */}
					<input type="hidden" name="claimVersion" value={String(props.claim.version)} />
					<input type="hidden" name="claimChange" value={String(props.claimChange)} />
					{/* The draft as its card shows it: changed before the click, the refusal says how. */}
					<input type="hidden" name="shown" value={shownJson(verdict)} />
					{props.hasPublished ? (
						<TextArea
							name="correctionNote"
							label={t(lang, "deskCorrectionNote")}
							hint={t(lang, "deskCorrectionNoteHint")}
							lang={lang}
							errors={state?.form === "publish" ? state.errors : {}}
							value={state?.form === "publish" ? state.values.correctionNote : ""}
							idSuffix={verdict.id}
							rows={3}
							required
						/>
					) : state?.form === "publish" && state.values.correctionNote?.trim() ? (
						// The verdict it was written for was retracted meanwhile: the writer's words stay.
						<div class="hint" data-kept="correctionNote">
							<p>{t(lang, "deskCorrectionNoteKept")}</p>
							<blockquote dir="auto">{state.values.correctionNote}</blockquote>
						</div>
					) : null}
					<button type="submit">
						{props.hasPublished ? t(lang, "deskPublishCorrection") : t(lang, "deskPublish")}
					</button>
				</form>
			) : (
				<p class="hint">
					{t(lang, can(session.user.role, "verdict:publish") ? "deskNeedsSecondEditor" : "deskNeedsEditor")}
				</p>
			)}
			{mayEdit ? (
				<form method="post" action={`/desk/verdicts/${verdict.id}/discard`} class="discard" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="version" value={String(verdict.version)} />
					<input type="hidden" name="shown" value={shownJson(verdict)} />
					<p class="hint" id={`discard-hint-${verdict.id}`}>
						{t(lang, "deskDiscardHint")}
					</p>
					{/* One click deleted a draft for good: the box is checked again on the server. */}
					<ConfirmBox
						id={`discard-confirm-${verdict.id}`}
						label={t(lang, "deskDiscardConfirm")}
						lang={lang}
						error={state?.form === "discard" ? state.errors.confirm : undefined}
					/>
					<button type="submit" class="danger" aria-describedby={`discard-hint-${verdict.id}`}>
						{t(lang, "deskDiscardDraft")}
					</button>
				</form>
			) : null}
		</div>
	);
}

function AppearanceForm(props: ClaimPageProps) {
	const { chrome, claim, session } = props;
	const { lang } = chrome;
	const state = props.state?.form === "appearance" ? props.state : null;
	return (
		<details class="add-appearance" open={Boolean(state)}>
			<summary>{t(lang, "deskAddAppearance")}</summary>
			{state?.notice ? (
				<Notice kind="error" role="alert">
					{state.notice}
				</Notice>
			) : null}
			<form method="post" action={`/desk/claims/${claim.id}/appearances`} novalidate>
				<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
				{/* Re-shown from "New from article": its anchor and the way back to the candidates. */}
				{CARRIED_APPEARANCE_FIELDS.map((name) =>
					state?.values[name] ? <input type="hidden" name={name} value={state.values[name]} /> : null,
				)}
				<SourceFields lang={lang} values={state?.values ?? {}} errors={state?.errors ?? {}} />
				<TextArea
					name="quote"
					label={t(lang, "deskAppearanceQuote")}
					hint={t(lang, "deskAppearanceQuoteHint")}
					lang={lang}
					errors={state?.errors ?? {}}
					value={state?.values.quote}
					rows={3}
				/>
				<button type="submit">{t(lang, "deskAddAppearance")}</button>
			</form>
		</details>
	);
}

/** A public verdict (published, superseded or retracted): changes of the claim are then public. */
function isReviewed(claim: ClaimDetail): boolean {
	return claim.verdicts.some((v) => v.state !== "draft");
}

/**
 * "Remove this appearance": for a source named by mistake. The box is checked again on the
 * server (one click removed it for good); the note is required, and public, on a reviewed claim.
 */
function RemoveAppearanceForm(props: ClaimPageProps & { appearanceId: string }) {
	const { chrome, claim, session, appearanceId } = props;
	const { lang } = chrome;
	const state =
		props.state?.form === "remove-appearance" && props.state.appearanceId === appearanceId
			? props.state
			: null;
	const errors = state?.errors ?? {};
	const reviewed = isReviewed(claim);
	return (
		<details class="remove-appearance" open={Boolean(state)}>
			<summary>{t(lang, "deskRemoveAppearance")}</summary>
			{state?.notice ? (
				<Notice kind="error" role="alert">
					{state.notice}
				</Notice>
			) : null}
			<form
				method="post"
				action={`/desk/claims/${claim.id}/appearances/${appearanceId}/remove`}
				class="discard"
				novalidate
			>
				<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
				<input type="hidden" name="version" value={String(claim.version)} />
				<p class="hint" id={`remove-hint-${appearanceId}`}>
					{t(lang, "deskRemoveAppearanceHint")}
				</p>
				<TextArea
					name="note"
					label={t(lang, "deskRemoveAppearanceNote")}
					hint={t(lang, reviewed ? "deskRemoveAppearanceNotePublic" : "deskRemoveAppearanceNoteInternal")}
					lang={lang}
					errors={errors}
					value={state?.values.note}
					idSuffix={appearanceId}
					rows={3}
					required={reviewed}
				/>
				<ConfirmBox
					id={`remove-confirm-${appearanceId}`}
					label={t(lang, "deskRemoveAppearanceConfirm")}
					lang={lang}
					error={errors.confirm}
				/>
				<button type="submit" class="danger" aria-describedby={`remove-hint-${appearanceId}`}>
					{t(lang, "deskRemoveAppearance")}
				</button>
			</form>
		</details>
	);
}
