import type { DeskSession } from "../../auth/session";
import type { Verdict } from "../../db/schema";
import { parseEvidence } from "../../domain/evidence";
import { type ClaimStatus, getRating, type UiLanguage } from "../../domain/ratings";
import { quoteMarks } from "../../domain/typography";
import type { ClaimDetail } from "../../store/claims";
import type { VerdictStep } from "../../store/desk";
import type { WordsChange } from "../../store/draft-words";
import { ClaimByline, ClaimQuote, VerdictBody } from "../pages/claim-page";
import { StatusChip } from "../pages/parts";
import type { Values } from "./claim-form";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { ErrorSummary, evidenceHref, type FieldErrors, Notice, TextArea } from "./fields";
import { formatDateTime } from "./labels";
import { type ClaimWordsNow, RefusalNotice } from "./refusal-notice";
import { WordsChangedNotice } from "./words-changed";

/** Errors and input of the publish form, to re-show the preview after a failed post. */
export interface PreviewState {
	values: Values;
	errors: FieldErrors;
	notice?: string;
	/** The claim's words now, quoted after the notice: it changed after the page was shown. */
	claimNow?: ClaimWordsNow | undefined;
	stale?: StaleState;
}

/**
 * The draft changed after the page was shown (a save, submission or return): the notice says
 * who did what; `shown` is the draft as that page showed it, for what changed (null: a page
 * from before the form carried it).
 */
export interface StaleState {
	shown: ShownDraft | null;
	/**
	 * The verdict in force the page showed was retracted or replaced meanwhile, said as what
	 * happened and by whom (`inForceMovedNotice`): it moved the claim's version too, which is
	 * not the claim changed.
	 */
	inForce?: string | undefined;
}

/** A draft's text as a preview shows it: its publish form carries it back (`shown`). */
export type ShownDraft = Pick<Verdict, "rating" | "headline" | "summary" | "body" | "evidence" | "language">;

/** The stale notice's words by what the colleague did, and where the page shows the draft as it is now. */
const STALE_KEYS = {
	preview: {
		saved: "deskPreviewStaleSaved",
		submitted: "deskPreviewStaleSubmitted",
		savedSubmitted: "deskPreviewStaleSavedSubmitted",
		returned: "deskPreviewStaleReturned",
	},
	card: {
		saved: "deskCardStaleSaved",
		submitted: "deskCardStaleSubmitted",
		savedSubmitted: "deskCardStaleSavedSubmitted",
		returned: "deskCardStaleReturned",
	},
	/** Return, submit or discard on the draft's card: `{nothing}` says which was not done. */
	step: {
		saved: "deskCardStaleSavedStep",
		submitted: "deskCardStaleSubmittedStep",
		savedSubmitted: "deskCardStaleSavedSubmittedStep",
		returned: "deskCardStaleReturnedStep",
	},
} as const satisfies Record<string, Record<string, MessageKey>>;

/** A step on a draft refused for a draft changed since its page was shown. */
export type CardStep = "publish" | "return" | "submit" | "discard";

const NOTHING_DONE = {
	return: "deskNothingReturned",
	submit: "deskNothingSubmitted",
	discard: "deskNothingDiscarded",
} as const satisfies Record<Exclude<CardStep, "publish">, MessageKey>;

/** The stale notice's closing words by step: its text as read, or to read again before the step. */
const STALE_CLOSING = {
	publish: { unchanged: "deskPreviewStaleUnchanged", reread: "deskPreviewStaleReread" },
	return: { unchanged: "deskStaleUnchangedReturn", reread: "deskStaleRereadReturn" },
	submit: { unchanged: "deskStaleUnchangedSubmit", reread: "deskStaleRereadSubmit" },
	discard: { unchanged: "deskStaleUnchangedDiscard", reread: "deskStaleRereadDiscard" },
} as const satisfies Record<CardStep, Record<string, MessageKey>>;

/**
 * The notice of a publication refused because the draft changed after its preview was shown:
 * who did what, and when. A bare "Someone else saved this verdict in the meantime." left the
 * editor to spot a rating turned from Misleading to False before publishing again (s33 h346).
 * The card's return, submission and discard alike (`doing`), which said only that, and whose
 * second click acted on the save unread (s35 r352).
 */
export function stalePreviewNotice(
	lang: UiLanguage,
	step: VerdictStep | null,
	draft: Verdict,
	/** Where the draft is shown as it is now: the preview, or its card on the claim page. */
	where: "preview" | "card" = "preview",
	doing: CardStep = "publish",
): string {
	const keys = doing === "publish" ? STALE_KEYS[where] : STALE_KEYS.step;
	const key =
		step?.action === "return"
			? keys.returned
			: step?.action === "submit"
				? step.withSave
					? keys.savedSubmitted
					: keys.submitted
				: keys.saved;
	return t(lang, key, {
		who: step?.by ?? t(lang, "deskConflictSomeone"),
		when: formatDateTime(step?.at ?? draft.updatedAt, lang),
		...(doing === "publish" ? {} : { nothing: t(lang, NOTHING_DONE[doing]) }),
	});
}

/** What became of the verdict in force a publication's page showed. */
export type InForceMove = "retracted" | "corrected" | "published";

const IN_FORCE_KEYS = {
	retracted: "deskInForceRetracted",
	corrected: "deskInForceCorrected",
	published: "deskInForcePublished",
} as const satisfies Record<InForceMove, MessageKey>;

/**
 * A publication refused because the verdict in force is not the one its page showed: who
 * retracted it (none is in force now, and publishing puts up a new verdict without the note),
 * or who published the one in force now (the draft corrects that one). The bare "not in
 * force" named nobody, and beside a save meanwhile it was not said at all (s35 r352).
 */
export function inForceMovedNotice(lang: UiLanguage, move: InForceMove, step: VerdictStep): string {
	return t(lang, IN_FORCE_KEYS[move], {
		who: step.by ?? t(lang, "deskConflictSomeone"),
		when: formatDateTime(step.at, lang),
	});
}

export interface PreviewProps {
	chrome: DeskChrome;
	session: DeskSession;
	claim: ClaimDetail;
	draft: Verdict;
	/** The claim's published verdict: publishing the draft corrects it. */
	current: Verdict | null;
	/** Display names by user id: the drafter and the editor about to publish. */
	people: Record<string, string>;
	idem: string;
	now: string;
	state?: PreviewState | null;
	/** False under four eyes for who wrote the draft: the page says who publishes it instead. */
	mayPublish: boolean;
	/**
	 * Changes of the claim's words after the draft was last saved: the verdict was written for
	 * others, so the page says how they changed and offers no publish form until it is saved.
	 */
	wordsChanged: WordsChange[];
	/**
	 * The claim's newest change row, read before the claim: the publish form carries it, so a
	 * refusal for another reason (the verdict in force moved) still says the claim changed too.
	 */
	claimChange: number;
}

/**
 * The draft as the public claim page will show it once published (the public page's own
 * `VerdictBody`, with this editor as the publisher and today as the date), a field-by-field
 * comparison with the published verdict when it is a correction, and the publish form.
 */
export function VerdictPreviewPage(props: PreviewProps) {
	const { chrome, claim, draft, current, session } = props;
	const { lang } = chrome;
	const title = t(lang, "deskPreviewTitle");
	const asPublished: Verdict = {
		...draft,
		state: "published",
		publishedAt: props.now,
		editorId: session.user.id,
		supersedesId: current?.id ?? null,
	};
	const errors = props.state?.errors ?? {};
	return (
		<DeskLayout chrome={chrome} title={title} formErrors={errors} refused={Boolean(props.state?.notice)}>
			<h1>{title}</h1>
			<p>
				<a href={`/desk/claims/${claim.id}`}>{t(lang, "deskBackToClaim")}</a> ·{" "}
				<a href={`/desk/verdicts/${draft.id}/edit`}>{t(lang, "deskEditDraft")}</a>
			</p>
			{/* Above the page it refers to: a refusal says what to read again (the claim's words now). */}
			{props.state?.notice && props.state.stale ? (
				<StaleNotice
					lang={lang}
					notice={props.state.notice}
					shown={props.state.stale.shown}
					inForce={props.state.stale.inForce}
					draft={draft}
					claimNow={props.state.claimNow}
				/>
			) : props.state?.notice ? (
				<RefusalNotice lang={lang} notice={props.state.notice} claimNow={props.state.claimNow} />
			) : null}
			<WordsChangedNotice
				lang={lang}
				changes={props.wordsChanged}
				claimLanguage={claim.language}
				title="deskWordsChangedSinceSaved"
				advice="deskWordsChangedPublishAdvice"
			/>
			<Notice role="status">{t(lang, "deskPreviewExplained")}</Notice>
			<section class="preview" aria-labelledby="preview-h">
				<h2 id="preview-h">{t(lang, "deskPreviewPublicPage")}</h2>
				<article class="public-preview" lang={lang}>
					{/* The public page's own parts: written out here, the byline lacked the speaker's
					    description, the quote its direction and the topics were missing (s33 h334). */}
					<ClaimByline detail={claim} lang={lang} linked={false} />
					<p>
						<span class="visually-hidden">{t(lang, "factCheck")}: </span>
						<StatusChip status={draft.rating as ClaimStatus} lang={lang} />
					</p>
					<ClaimQuote detail={claim} lang={lang} linked={false} />
					<VerdictBody
						verdict={asPublished}
						people={props.people}
						lang={lang}
						headingId="preview-verdict-h"
					/>
				</article>
			</section>
			{current ? <CorrectionDiff lang={lang} before={current} after={draft} /> : null}
			<PublishSection {...props} />
		</DeskLayout>
	);
}

interface DiffRow {
	label: MessageKey;
	before: string;
	after: string;
	/**
	 * The verdict's own words (headline, summary, body, evidence), marked with its language;
	 * a rating's label is the desk's, and a screen reader read "Irreführend" in an English voice.
	 */
	words?: boolean;
}

/** The preview's publication: its form, or why there is none (words changed, four eyes). */
function PublishSection(props: PreviewProps) {
	const { claim, draft, current, session } = props;
	const { lang } = props.chrome;
	const errors = props.state?.errors ?? {};
	return (
		<section aria-labelledby="publish-h">
			<h2 id="publish-h">{current ? t(lang, "deskPublishCorrection") : t(lang, "deskPublish")}</h2>
			{/* Publishing does not wait for a submission; the editor should know its writer may be at it. */}
			{draft.submittedAt === null ? (
				<p class="hint" data-review-state={draft.changesRequestedAt ? "changes-requested" : "writing"}>
					{t(lang, draft.changesRequestedAt ? "deskChangesRequestedHint" : "deskNotSubmittedHint")}
				</p>
			) : null}
			{/* Focused at load: the note's error beside its field was read by no one (s32). */}
			{errors.evidence || errors.correctionNote ? (
				<ErrorSummary
					lang={lang}
					errors={{
						...(errors.correctionNote ? { correctionNote: errors.correctionNote } : {}),
						...(errors.evidence ? { evidence: errors.evidence } : {}),
					}}
					labels={{ correctionNote: t(lang, "deskCorrectionNote") }}
					hrefs={{ ...evidenceHref(draft.id), correctionNote: `#f-correctionNote-${draft.id}` }}
				/>
			) : null}
			{props.wordsChanged.length > 0 ? (
				// Nothing to publish until it is saved on the words now; a note typed is kept to copy.
				<div class="hint" data-words-changed={props.wordsChanged.length}>
					<p>{t(lang, "deskWordsChangedNoPublish")}</p>
					{props.state?.values.correctionNote?.trim() ? (
						<div data-kept="correctionNote">
							<p>{t(lang, "deskCorrectionNoteKept")}</p>
							<blockquote dir="auto">{props.state.values.correctionNote}</blockquote>
						</div>
					) : null}
				</div>
			) : props.mayPublish ? (
				<form method="post" action={`/desk/verdicts/${draft.id}/publish`} class="publish" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.idem} />
					<input type="hidden" name="version" value={String(draft.version)} />
					<input type="hidden" name="from" value="preview" />
					<input type="hidden" name="supersedes" value={current?.id ?? ""} />
					{/* The claim as shown above: changed before the click, nothing is published. */}
					<input type="hidden" name="claimVersion" value={String(claim.version)} />
					<input type="hidden" name="claimChange" value={String(props.claimChange)} />
					{/* The draft as shown above: changed before the click, the refusal says how. */}
					<input type="hidden" name="shown" value={shownJson(draft)} />
					{current ? (
						<TextArea
							name="correctionNote"
							label={t(lang, "deskCorrectionNote")}
							hint={t(lang, "deskCorrectionNoteHint")}
							lang={lang}
							errors={errors}
							value={props.state?.values.correctionNote ?? ""}
							idSuffix={draft.id}
							rows={3}
							required
						/>
					) : props.state?.values.correctionNote?.trim() ? (
						// The verdict it was written for was retracted meanwhile: the writer's words stay.
						<div class="hint" data-kept="correctionNote">
							<p>{t(lang, "deskCorrectionNoteKept")}</p>
							<blockquote dir="auto">{props.state.values.correctionNote}</blockquote>
						</div>
					) : null}
					<button type="submit">{current ? t(lang, "deskPublishCorrection") : t(lang, "deskPublish")}</button>
				</form>
			) : (
				<p class="hint">{t(lang, "deskNeedsSecondEditor")}</p>
			)}
		</section>
	);
}
/** The draft as a page shows it, for its publish form to carry back (`shown`). */
export function shownJson(draft: Verdict): string {
	const { rating, headline, summary, body, evidence, language } = draft;
	return JSON.stringify({ rating, headline, summary, body, evidence, language } satisfies ShownDraft);
}

/**
 * A publication refused for a draft changed since its page (the preview, the claim page) was
 * shown: who did what, then each field that differs from what the page showed, as it was and
 * as it is (the page below). A claim changed too is quoted as it reads now: only the draft's
 * fields listed read as all that changed, and publishing again was done on words unread. The
 * verdict in force retracted or replaced meanwhile is said next to who saved (`inForce`).
 */
export function StaleNotice(props: {
	lang: UiLanguage;
	notice: string;
	shown: ShownDraft | null;
	/** What became of the verdict in force the page showed (StaleState `inForce`). */
	inForce?: string | undefined;
	draft: Verdict;
	/** Where the draft is shown as it is now: the preview, or its card on the claim page. */
	where?: "preview" | "card";
	/** The step refused (the card's return, submission, discard): publishing when not said. */
	doing?: CardStep | undefined;
	claimNow?: ClaimWordsNow | undefined;
}) {
	const { lang, shown, draft, claimNow } = props;
	const closing = STALE_CLOSING[props.doing ?? "publish"];
	const [open, close] = quoteMarks(lang);
	const before = shown ? { ...draft, ...shown } : null;
	const rows = before
		? [
				...correctionRows(lang, before, draft),
				{ label: "deskVerdictLanguage" as const, before: before.language, after: draft.language },
			].filter((row) => row.before !== row.after)
		: null;
	return (
		<Notice kind="error" role="alert" focus>
			<p>{props.notice}</p>
			{props.inForce ? <p data-in-force="">{props.inForce}</p> : null}
			{rows && rows.length === 0 ? <p>{t(lang, closing.unchanged)}</p> : null}
			{rows && rows.length > 0 ? (
				<>
					<p>{t(lang, props.where === "card" ? "deskCardStaleChanged" : "deskPreviewStaleChanged")}</p>
					<dl class="changed">
						{rows.map((row) => (
							<>
								<dt>{t(lang, row.label)}</dt>
								<dd dir="auto" data-field={row.label}>
									<del lang={row.words ? before?.language : undefined}>
										<Lines text={row.before} />
									</del>{" "}
									→{" "}
									<ins lang={row.words ? draft.language : undefined}>
										<Lines text={row.after} />
									</ins>
								</dd>
							</>
						))}
					</dl>
				</>
			) : null}
			{claimNow ? (
				<p data-claim-changed="">
					{t(lang, "deskStaleClaimChanged")} {open}
					<bdi lang={claimNow.language} dir="auto">
						{claimNow.text}
					</bdi>
					{close}
				</p>
			) : null}
			{rows && rows.length === 0 ? null : <p>{t(lang, closing.reread)}</p>}
		</Notice>
	);
}

function evidenceText(verdict: Verdict): string {
	return parseEvidence(verdict.evidence)
		.map((link) => `${link.title} <${link.url}>`)
		.join("\n");
}

/** The fields a correction may change, as the published verdict has them and as the draft does. */
function correctionRows(lang: UiLanguage, before: Verdict, after: Verdict): DiffRow[] {
	return [
		{
			label: "rating",
			before: getRating(before.rating).labels[lang],
			after: getRating(after.rating).labels[lang],
		},
		{ label: "deskHeadline", before: before.headline, after: after.headline, words: true },
		{ label: "summary", before: before.summary ?? "", after: after.summary ?? "", words: true },
		{ label: "deskBody", before: before.body ?? "", after: after.body ?? "", words: true },
		{ label: "evidence", before: evidenceText(before), after: evidenceText(after), words: true },
	];
}

function CorrectionDiff(props: { lang: UiLanguage; before: Verdict; after: Verdict }) {
	const { lang } = props;
	return (
		<section aria-labelledby="changes-h">
			<h2 id="changes-h">{t(lang, "deskPreviewChanges")}</h2>
			<table class="diff stack">
				<caption class="visually-hidden">{t(lang, "deskPreviewChangesCaption")}</caption>
				<thead>
					<tr>
						<th scope="col">{t(lang, "deskPreviewField")}</th>
						<th scope="col">{t(lang, "deskPreviewBefore")}</th>
						<th scope="col">{t(lang, "deskPreviewAfter")}</th>
					</tr>
				</thead>
				<tbody>
					{correctionRows(lang, props.before, props.after).map((row) => {
						const changed = row.before !== row.after;
						return (
							<tr class={changed ? "changed" : "unchanged"} data-field={row.label}>
								<th scope="row">
									{t(lang, row.label)}{" "}
									<span class="meta">
										({changed ? t(lang, "deskPreviewChanged") : t(lang, "deskPreviewUnchanged")})
									</span>
								</th>
								<td
									dir="auto"
									lang={row.words ? props.before.language : undefined}
									data-label={t(lang, "deskPreviewBefore")}
								>
									{changed ? (
										<del>
											<Lines text={row.before} />
										</del>
									) : (
										<Lines text={row.before} />
									)}
								</td>
								<td
									dir="auto"
									lang={row.words ? props.after.language : undefined}
									data-label={t(lang, "deskPreviewAfter")}
								>
									{changed ? (
										<ins>
											<Lines text={row.after} />
										</ins>
									) : (
										<Lines text={row.after} />
									)}
								</td>
							</tr>
						);
					})}
				</tbody>
			</table>
		</section>
	);
}

/** Text with its line breaks kept ("–" when empty). */
function Lines(props: { text: string }) {
	if (props.text === "") return <>–</>;
	return (
		<>
			{props.text.split("\n").map((line, i) => (
				<>
					{i > 0 ? <br /> : null}
					{line}
				</>
			))}
		</>
	);
}
