import type { Claim, Verdict } from "../../db/schema";
import { parseEvidence } from "../../domain/evidence";
import { getRating, RATINGS, type UiLanguage } from "../../domain/ratings";
import type { VerdictStep } from "../../store/desk";
import type { WordsChange } from "../../store/draft-words";
import type { Values } from "./claim-form";
import { type ReturnNote, ReturnNotes } from "./collaboration";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import {
	ErrorSummary,
	type FieldErrors,
	FOCUSED_AT_LOAD,
	fieldId,
	Notice,
	SelectField,
	TextArea,
	TextField,
} from "./fields";
import { fieldMessage, formatDateTime } from "./labels";
import { LanguageChoice, typedLanguage } from "./language-choice";
import { WordsChangedNotice } from "./words-changed";

/** How many evidence rows a form shows: what is there plus two empty ones (at least three). */
function evidenceRows(values: Values): number {
	let highest = -1;
	for (const key of Object.keys(values)) {
		const match = /^evidence\.(\d+)\.(url|title)$/.exec(key);
		if (match?.[1] && (values[key] ?? "").trim() !== "") highest = Math.max(highest, Number(match[1]));
	}
	// "Add another link" asks for one row more than the form showed (evidenceRows).
	const asked = Number(values.evidenceRows ?? 0);
	return Math.min(50, Math.max(3, highest + 3, Number.isInteger(asked) ? asked : 0));
}

/** A stored verdict as form values. */
export function verdictValues(verdict: Verdict): Values {
	const values: Values = {
		rating: verdict.rating,
		headline: verdict.headline,
		summary: verdict.summary ?? "",
		body: verdict.body ?? "",
		language: verdict.language,
	};
	parseEvidence(verdict.evidence).forEach((link, index) => {
		values[`evidence.${index}.url`] = link.url;
		values[`evidence.${index}.title`] = link.title;
	});
	return values;
}

export function verdictFieldLabels(lang: UiLanguage, rows: number): Record<string, string> {
	const labels: Record<string, string> = {
		rating: t(lang, "rating"),
		headline: t(lang, "deskHeadline"),
		summary: t(lang, "summary"),
		body: t(lang, "deskBody"),
		language: t(lang, "deskVerdictLanguage"),
		evidence: t(lang, "evidence"),
		version: t(lang, "deskVersion"),
	};
	for (let i = 0; i < rows; i++) {
		labels[`evidence.${i}.url`] =
			`${t(lang, "deskEvidenceLink", { n: i + 1 })} – ${t(lang, "deskEvidenceUrl")}`;
		labels[`evidence.${i}.title`] =
			`${t(lang, "deskEvidenceLink", { n: i + 1 })} – ${t(lang, "deskEvidenceTitle")}`;
	}
	return labels;
}

export interface VerdictConflict {
	current: Verdict;
	/**
	 * The claim's verdict in force now, for a draft no longer one: the draft itself when it was
	 * published meanwhile, the correction published over it since, null when it was retracted
	 * (saving drafts a correction of it, or a new verdict when null).
	 */
	inForce?: Verdict | null;
	/** Fields whose saved value (of the verdict in force, for a draft no longer one) differs from what the user sent. */
	changed: { field: string; saved: string }[];
	/** What a colleague did meanwhile (store/desk `lastVerdictStep`); null when not audited. */
	step: VerdictStep | null;
	/** The step was this user's own (another tab or window): not "someone else". */
	own?: boolean;
	/** The step was made through this user's own API token (its name): neither "someone else" nor another tab. */
	ownToken?: string | undefined;
}

export function VerdictFormPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	claim: Claim;
	values: Values;
	errors: FieldErrors;
	/** Present when editing a draft. */
	verdictId?: string;
	version?: number;
	isCorrection: boolean;
	conflict?: VerdictConflict | null;
	/**
	 * The claim's open draft (a claim has one at a time): the page says so with a link to
	 * it. `keptInput` when a post was refused for it: the input stays in the form below;
	 * otherwise (opening the form) no form is shown.
	 */
	openDraft?: { href: string; keptInput: boolean } | null;
	/** The editors' return notes on this draft, oldest first. */
	returns?: ReturnNote[];
	changesRequested?: boolean;
	/** When the draft was submitted for review; null while it is being written (or new). */
	submittedAt?: string | null;
	/** Why the form came back with its input (a claim merged into this one meanwhile). */
	notice?: string | null;
	/**
	 * The claim's newest change row as this form shows its words (store/draft-words): sent back,
	 * a save refuses words changed since (409 `claim-words-changed`).
	 */
	wordsSeen: number;
	/**
	 * Changes of the claim's words the writer has not read: since the form that came back was
	 * shown (`since: "form"`, nothing was saved) or since the draft was last saved (`"draft"`).
	 */
	wordsChanged?: { changes: WordsChange[]; since: "form" | "draft" } | null;
}) {
	const { chrome, values } = props;
	const { lang } = chrome;
	const editing = Boolean(props.verdictId);
	const title = editing
		? t(lang, "deskEditDraft")
		: props.isCorrection
			? t(lang, "deskDraftCorrection")
			: t(lang, "deskDraftVerdict");
	const rows = evidenceRows(values);
	const action = editing ? `/desk/verdicts/${props.verdictId}` : `/desk/claims/${props.claim.id}/verdicts`;
	const words = props.wordsChanged;
	const wordsRefused = words?.since === "form" && words.changes.length > 0;
	return (
		<DeskLayout
			chrome={chrome}
			title={title}
			formErrors={props.errors}
			refused={Boolean(props.conflict || props.notice || wordsRefused)}
		>
			<h1>{title}</h1>
			<p>
				<a href={`/desk/claims/${props.claim.id}`}>{t(lang, "deskBackToClaim")}</a>
			</p>
			<blockquote class="quote" lang={props.claim.language} dir="auto">
				{props.claim.text}
			</blockquote>
			{words ? (
				<WordsChangedNotice
					lang={lang}
					changes={words.changes}
					claimLanguage={props.claim.language}
					title={wordsRefused ? "deskWordsChangedSinceShown" : "deskWordsChangedSinceSaved"}
					advice={wordsRefused ? "deskWordsChangedKeptAdvice" : "deskWordsChangedSaveAdvice"}
					focus={wordsRefused && !props.conflict && !props.notice}
				/>
			) : null}
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			{props.returns && props.returns.length > 0 ? (
				<ReturnNotes lang={lang} notes={props.returns} changesRequested={props.changesRequested ?? false} />
			) : null}
			{props.openDraft ? (
				<Notice
					{...(props.openDraft.keptInput ? { kind: "error" as const } : {})}
					role={props.openDraft.keptInput ? "alert" : "status"}
				>
					{t(lang, "deskDraftExists")} <a href={props.openDraft.href}>{t(lang, "deskOpenDraft")}</a>
					{props.openDraft.keptInput ? ` ${t(lang, "deskDraftExistsKept")}` : ""}
				</Notice>
			) : null}
			{props.openDraft && !props.openDraft.keptInput ? null : (
				<VerdictFields {...props} rows={rows} action={action} />
			)}
		</DeskLayout>
	);
}

function VerdictFields(props: Parameters<typeof VerdictFormPage>[0] & { rows: number; action: string }) {
	const { chrome, values, errors, rows, action } = props;
	const { lang } = chrome;
	// What is written here is in the verdict's language (the choice below), not the desk's.
	const language = values.language || "de";
	const valueLang = typedLanguage({ ...values, language });
	return (
		<>
			{props.isCorrection ? <Notice role="status">{t(lang, "deskCorrectionExplained")}</Notice> : null}
			{props.conflict ? <ConflictNotice lang={lang} conflict={props.conflict} /> : null}
			<ErrorSummary lang={lang} errors={errors} labels={verdictFieldLabels(lang, rows)} />
			<form method="post" action={action} novalidate>
				{/*
				 * Enter in a field submits with the form's first submit button: "Add another link"
				 * came first, so Enter added a row and saved nothing. This one saves; it is out of
				 * sight, out of the tab order and of the accessibility tree; the visible "Save draft"
				 * below does the same.
				 */}
				{/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: out of the tab order (tabindex -1); hidden from assistive technology, which would announce two Save buttons */}
				<button type="submit" class="visually-hidden" tabindex={-1} aria-hidden="true">
					{t(lang, "deskSaveDraft")}
				</button>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				{props.version !== undefined ? (
					<input type="hidden" name="version" value={String(props.version)} />
				) : null}
				{/* The claim's words as quoted above: changed before the save, nothing is saved. */}
				<input type="hidden" name="claimChange" value={String(props.wordsSeen)} />
				<SelectField
					name="rating"
					label={t(lang, "rating")}
					lang={lang}
					errors={errors}
					value={values.rating}
					placeholder={t(lang, "deskChooseRating")}
					options={RATINGS.map((rating) => ({ value: rating.key, label: rating.labels[lang] }))}
					required
				/>
				<TextField
					name="headline"
					label={t(lang, "deskHeadline")}
					lang={lang}
					errors={errors}
					value={values.headline}
					valueLang={valueLang}
					required
				/>
				<TextArea
					name="summary"
					label={t(lang, "summary")}
					lang={lang}
					errors={errors}
					value={values.summary}
					valueLang={valueLang}
					rows={3}
				/>
				<TextArea
					name="body"
					label={t(lang, "deskBody")}
					lang={lang}
					errors={errors}
					value={values.body}
					valueLang={valueLang}
					rows={8}
				/>
				{/* The hint (and a refusal) describe the group: a screen reader says them on entering it. */}
				<fieldset
					id={fieldId("evidence")}
					aria-describedby={`${fieldId("evidence")}-hint${errors.evidence ? ` ${fieldId("evidence")}-error` : ""}`}
				>
					<legend>{t(lang, "evidence")}</legend>
					<p class="hint" id={`${fieldId("evidence")}-hint`}>
						{t(lang, "deskEvidenceHint")}
					</p>
					{errors.evidence ? (
						<p class="error" id={`${fieldId("evidence")}-error`}>
							<span class="visually-hidden">{t(lang, "deskErrorPrefix")} </span>
							{fieldMessage(lang, errors.evidence)}
						</p>
					) : null}
					{Array.from({ length: rows }, (_, i) => (
						<fieldset class="evidence-row">
							<legend>{t(lang, "deskEvidenceLink", { n: i + 1 })}</legend>
							<TextField
								name={`evidence.${i}.url`}
								type="url"
								inputmode="url"
								label={t(lang, "deskEvidenceUrl")}
								lang={lang}
								errors={errors}
								value={values[`evidence.${i}.url`]}
							/>
							<TextField
								name={`evidence.${i}.title`}
								label={t(lang, "deskEvidenceTitle")}
								hint={t(lang, "deskEvidenceTitleRequired")}
								lang={lang}
								errors={errors}
								value={values[`evidence.${i}.title`]}
								valueLang={valueLang}
							/>
						</fieldset>
					))}
					<input type="hidden" name="evidenceRows" value={String(rows)} />
					<button type="submit" name="moreEvidence" value="1" class="secondary">
						{t(lang, "deskMoreEvidence")}
					</button>
				</fieldset>
				<LanguageChoice
					lang={lang}
					label={t(lang, "deskVerdictLanguage")}
					errors={errors}
					values={{ ...values, language }}
				/>
				<SaveButtons {...props} />
			</form>
		</>
	);
}

/**
 * "Save draft", and while the draft is not submitted for review "Save and submit for
 * review": a save keeps a draft's review state, so a submitted draft has the one button.
 */
function SaveButtons(props: { chrome: DeskChrome; submittedAt?: string | null; changesRequested?: boolean }) {
	const { lang } = props.chrome;
	if (props.submittedAt) {
		return (
			<>
				<p class="hint" data-review-state="submitted">
					{t(lang, "deskSubmittedHint", { when: formatDateTime(props.submittedAt, lang) })}
				</p>
				<button type="submit">{t(lang, "deskSaveDraft")}</button>
			</>
		);
	}
	return (
		<>
			<p class="hint" data-review-state={props.changesRequested ? "changes-requested" : "writing"}>
				{t(lang, props.changesRequested ? "deskChangesRequestedHint" : "deskSubmitHint")}
			</p>
			<p class="buttons">
				<button type="submit" class="secondary">
					{t(lang, "deskSaveDraft")}
				</button>{" "}
				<button type="submit" name="submitForReview" value="1">
					{t(lang, "deskSaveAndSubmit")}
				</button>
			</p>
		</>
	);
}

/**
 * The words of a conflict by what the colleague did: a publication and a return were told as
 * "saved this draft", and a publication's "save again to replace the saved version", where
 * saving drafts a correction an editor publishes (s33 h346). A draft published and retracted
 * or corrected since was told as published, its input compared with the verdict no longer in
 * force, and saving as drafting a correction of it (s34 r342): `saving` says what a save does now.
 */
function conflictWords(conflict: VerdictConflict) {
	const state = conflict.current.state;
	const action = conflict.step?.action;
	if (state === "published")
		return {
			title: "deskConflictPublishedTitle",
			text: "deskConflictPublishedText",
			saving: "deskConflictNotDraft",
			changed: "deskConflictChangedPublished",
		} as const;
	if (state === "retracted" || state === "superseded") {
		const retracted = state === "retracted";
		return {
			title: retracted ? "deskConflictRetractedTitle" : "deskConflictCorrectedTitle",
			text: retracted ? "deskConflictRetractedText" : "deskConflictCorrectedText",
			saving: conflict.inForce ? "deskConflictCorrectsInForce" : "deskConflictNoneInForce",
			changed: "deskConflictChangedInForce",
		} as const;
	}
	const changed = "deskConflictChanged";
	if (action === "return")
		return { title: "deskConflictReturnedTitle", text: "deskConflictReturnedText", changed } as const;
	if (action === "submit") {
		const text = conflict.step?.withSave ? "deskConflictSavedSubmittedText" : "deskConflictSubmittedText";
		return { title: "deskConflictSubmittedTitle", text, changed } as const;
	}
	// Their own save in another tab read "Someone else saved this draft" above their name (s35 r352).
	// Their own token's save (a sync, an autosave) read as their other tab (s35 r361).
	return {
		title: conflict.ownToken
			? "deskConflictOwnTokenTitle"
			: conflict.own
				? "deskConflictOwnTitle"
				: "deskConflictTitle",
		text: "deskConflictText",
		changed,
	} as const;
}

/** Fields whose saved value is the verdict's own words, in its language (not a label or a code). */
const WORDS_FIELDS = new Set(["headline", "summary", "body", "evidence"]);

function ConflictNotice(props: { lang: UiLanguage; conflict: VerdictConflict }) {
	const { lang, conflict } = props;
	const words = conflictWords(conflict);
	// The list compares with the draft, or with the verdict in force for one no longer a draft.
	const language = (conflict.inForce ?? conflict.current).language;
	const saving = "saving" in words ? words.saving : null;
	return (
		<div class="notice error" role="alert" {...FOCUSED_AT_LOAD}>
			<h2>{t(lang, words.title, { token: conflict.ownToken ?? "" })}</h2>
			<p>
				{/* No number: `current.version` is the lock counter, which no card or public page
				 * shows (a draft has no public number; a published one's is another). */}
				{t(lang, words.text, {
					who: conflict.step?.by ?? t(lang, "deskConflictSomeone"),
					when: formatDateTime(conflict.step?.at ?? conflict.current.updatedAt, lang),
				})}
			</p>
			{saving ? <p>{t(lang, saving)}</p> : null}
			{conflict.changed.length > 0 ? (
				<>
					<p>{t(lang, words.changed)}</p>
					<dl class="changed">
						{conflict.changed.map((change) => (
							<>
								<dt>{verdictFieldLabels(lang, 0)[change.field] ?? change.field}</dt>
								{/* An English headline on a German desk was read in a German voice (s35 r352). */}
								<dd
									lang={WORDS_FIELDS.has(change.field) ? language : undefined}
									dir={WORDS_FIELDS.has(change.field) ? "auto" : undefined}
								>
									{change.field === "rating" && change.saved
										? getRating(change.saved as Verdict["rating"]).labels[lang]
										: change.saved || "–"}
								</dd>
							</>
						))}
					</dl>
				</>
			) : null}
			{/* No longer a draft: saving drafts anew (said above), it replaces nothing. */}
			{saving ? null : <p>{t(lang, "deskConflictResave")}</p>}
		</div>
	);
}
