import type { UiLanguage } from "../../domain/ratings";
import type { SpeakerWithAliases } from "../../store/speakers";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import {
	Checkbox,
	ErrorSummary,
	type FieldErrors,
	fieldId,
	Notice,
	type PageErrors,
	SelectField,
	TextArea,
	TextField,
} from "./fields";
import { LanguageChoice, typedLanguage } from "./language-choice";

type Values = Record<string, string>;

export function ClaimEditPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	claimId: string;
	reviewed: boolean;
	/** False for a checker on a reviewed claim: the page says who can change it, with no form. */
	mayEdit: boolean;
	values: Values;
	errors: FieldErrors;
	notice?: string | null;
	/**
	 * What a user who may not edit had typed, as a note for an editor (a verdict was published
	 * while their form was open): their changes stay on the page, ready to send, not lost.
	 */
	suggestion?: { text: string; idem: string } | null;
}) {
	const { lang } = props.chrome;
	const title = t(lang, "deskEditClaim");
	return (
		<DeskLayout chrome={props.chrome} title={title} formErrors={props.errors} refused={Boolean(props.notice)}>
			<h1>{title}</h1>
			<p>
				<a href={`/desk/claims/${props.claimId}`}>{t(lang, "deskBackToClaim")}</a>
			</p>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			{props.mayEdit ? null : <Notice role="status">{t(lang, "deskEditEditorsOnly")}</Notice>}
			{props.mayEdit && props.reviewed ? (
				<Notice role="status">{t(lang, "deskEditPublicExplained")}</Notice>
			) : null}
			{props.mayEdit ? <ClaimEditForm {...props} /> : null}
			{!props.mayEdit && props.suggestion ? (
				<SuggestionForm {...props} suggestion={props.suggestion} />
			) : null}
		</DeskLayout>
	);
}

/** The claim's note form (routes/desk/collaboration), holding the changes that could not be saved. */
function SuggestionForm(
	props: Parameters<typeof ClaimEditPage>[0] & { suggestion: { text: string; idem: string } },
) {
	const { lang } = props.chrome;
	return (
		<section aria-labelledby="suggestion-h">
			<h2 id="suggestion-h">{t(lang, "deskEditSuggestionTitle")}</h2>
			<form method="post" action={`/desk/claims/${props.claimId}/notes`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.suggestion.idem} />
				<TextArea
					name="text"
					label={t(lang, "deskNoteLabel")}
					hint={t(lang, "deskEditSuggestionHint")}
					lang={lang}
					errors={{}}
					value={props.suggestion.text}
					rows={8}
					required
				/>
				<button type="submit">{t(lang, "deskAddNote")}</button>
			</form>
		</section>
	);
}

/** The claim edit form's labels by field name, in its order: each summary link names its field. */
function claimEditLabels(lang: UiLanguage): Record<string, string> {
	return {
		text: t(lang, "deskQuote"),
		claimedAt: t(lang, "deskClaimedAt"),
		language: t(lang, "deskClaimLanguage"),
		languageOther: t(lang, "deskLanguageOtherCode"),
		context: t(lang, "context"),
		// The speaker's name, not just "Name": this form has no "Speaker" legend around it, and the
		// claim's timeline names changes of it so.
		"speaker.name": t(lang, "deskEditFieldSpeaker"),
		note: t(lang, "deskEditNote"),
	};
}

/** The speaker edit form's labels by field name, in its order. */
function speakerEditLabels(lang: UiLanguage): Record<string, string> {
	return {
		name: t(lang, "deskSpeakerName"),
		kind: t(lang, "deskSpeakerKindLabel"),
		description: t(lang, "deskSpeakerDescription"),
		wikidataId: "Wikidata",
		aliases: t(lang, "deskSpeakerAliases"),
		dropOldName: t(lang, "deskSpeakerDropOldName"),
	};
}

function ClaimEditForm(props: Parameters<typeof ClaimEditPage>[0]) {
	const { lang } = props.chrome;
	// The words and their context are in the claim's language (the choice below).
	const valueLang = typedLanguage(props.values);
	return (
		<>
			<ErrorSummary errors={props.errors} lang={lang} labels={claimEditLabels(lang)} />
			<form method="post" action={`/desk/claims/${props.claimId}/edit`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<input type="hidden" name="version" value={props.values.version ?? ""} />
				{/* What the form was loaded with: only the fields this user changes are saved. */}
				{["text", "claimedAt", "language", "context", "speaker.name"].map((field) => (
					<input type="hidden" name={`was.${field}`} value={props.values[`was.${field}`] ?? ""} />
				))}
				<TextArea
					name="text"
					label={t(lang, "deskQuote")}
					lang={lang}
					errors={props.errors}
					value={props.values.text}
					valueLang={valueLang}
					rows={5}
					required
				/>
				<TextField
					name="claimedAt"
					type="date"
					label={t(lang, "deskClaimedAt")}
					lang={lang}
					errors={props.errors}
					value={props.values.claimedAt}
				/>
				<LanguageChoice lang={lang} values={props.values} errors={props.errors} />
				<TextArea
					name="context"
					label={t(lang, "context")}
					lang={lang}
					errors={props.errors}
					value={props.values.context}
					valueLang={valueLang}
					rows={3}
				/>
				<TextField
					name="speaker.name"
					label={t(lang, "deskEditFieldSpeaker")}
					lang={lang}
					errors={props.errors}
					value={props.values["speaker.name"]}
				/>
				<TextArea
					name="note"
					label={t(lang, "deskEditNote")}
					hint={t(lang, props.reviewed ? "deskEditNoteRequired" : "deskEditNoteOptional")}
					lang={lang}
					errors={props.errors}
					value={props.values.note}
					rows={3}
					required={props.reviewed}
				/>
				<button type="submit">{t(lang, "deskSaveClaim")}</button>
			</form>
		</>
	);
}

export function SpeakerEditPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	speaker: SpeakerWithAliases;
	values: Values;
	errors: FieldErrors;
	mergeValues: Values;
	mergeErrors: FieldErrors;
	notice?: string | null;
	/** What the last save or merge did (`?done=`), as on the claim page. */
	flash?: string | null;
	canMerge: boolean;
}) {
	const { lang } = props.chrome;
	const { speaker } = props;
	const title = `${t(lang, "deskEditSpeaker")}: ${speaker.name}`;
	// The merge form stands below the edit form: its failure is summarised atop the page.
	const mergeFailed: PageErrors = {
		errors: props.mergeErrors,
		fields: [{ name: "into", label: t(lang, "deskMergeInto"), id: fieldId("into") }],
	};
	return (
		<DeskLayout
			chrome={props.chrome}
			title={title}
			errors={mergeFailed}
			formErrors={props.errors}
			refused={Boolean(props.notice)}
		>
			<h1 dir="auto">{title}</h1>
			<p>
				<a href={`/speakers/${speaker.slug}`}>{t(lang, "deskPublicPage")}</a>
			</p>
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			<ErrorSummary errors={props.errors} lang={lang} labels={speakerEditLabels(lang)} />
			<form method="post" action={`/desk/speakers/${speaker.slug}`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<input type="hidden" name="version" value={props.values.version ?? String(speaker.version)} />
				<TextField
					name="name"
					label={t(lang, "deskSpeakerName")}
					lang={lang}
					errors={props.errors}
					value={props.values.name}
					required
				/>
				<SelectField
					name="kind"
					// Its own label: "A new speaker is" is the claim form's, where a speaker is being made.
					label={t(lang, "deskSpeakerKindLabel")}
					lang={lang}
					errors={props.errors}
					value={props.values.kind}
					options={[
						{ value: "person", label: t(lang, "deskKindPerson") },
						{ value: "organization", label: t(lang, "deskKindOrganization") },
					]}
				/>
				<TextField
					name="description"
					label={t(lang, "deskSpeakerDescription")}
					lang={lang}
					errors={props.errors}
					value={props.values.description}
				/>
				<TextField
					name="wikidataId"
					label="Wikidata"
					lang={lang}
					errors={props.errors}
					value={props.values.wikidataId}
				/>
				<TextArea
					name="aliases"
					label={t(lang, "deskSpeakerAliases")}
					hint={t(lang, "deskSpeakerAliasesHint")}
					lang={lang}
					errors={props.errors}
					value={props.values.aliases}
					rows={3}
				/>
				<Checkbox
					name="dropOldName"
					label={t(lang, "deskSpeakerDropOldName")}
					hint={t(lang, "deskSpeakerDropOldNameHint")}
					checked={Boolean(props.values.dropOldName)}
				/>
				<button type="submit">{t(lang, "deskSaveSpeaker")}</button>
			</form>
			{props.canMerge ? (
				<SpeakerMergeForm
					lang={lang}
					csrf={props.csrf}
					idem={props.idem}
					slug={speaker.slug}
					values={props.mergeValues}
					errors={props.mergeErrors}
				/>
			) : null}
		</DeskLayout>
	);
}

/* Below the edit form, for editors: merges this speaker into another. */
function SpeakerMergeForm(props: {
	lang: UiLanguage;
	csrf: string;
	idem: string;
	slug: string;
	values: Values;
	errors: FieldErrors;
}) {
	const { lang } = props;
	return (
		<section aria-labelledby="merge-h">
			<h2 id="merge-h">{t(lang, "deskMergeSpeaker")}</h2>
			<p>{t(lang, "deskMergeExplained")}</p>
			<form method="post" action={`/desk/speakers/${props.slug}/merge`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<TextField
					name="into"
					label={t(lang, "deskMergeInto")}
					hint={t(lang, "deskMergeIntoHint")}
					lang={lang}
					errors={props.errors}
					value={props.values.into}
					required
				/>
				<button type="submit" class="secondary">
					{t(lang, "deskMergeButton")}
				</button>
			</form>
		</section>
	);
}
