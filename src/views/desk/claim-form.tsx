import type { UiLanguage } from "../../domain/ratings";
import type { ClaimMatch } from "../../store/claim-matches";
import type { SpeakerWithAliases } from "../../store/speakers";
import { ClaimMatches } from "./claim-matches";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import {
	Checkbox,
	ErrorSummary,
	type FieldErrors,
	fieldId,
	Notice,
	RadioGroup,
	TextArea,
	TextField,
} from "./fields";

export type Values = Record<string, string>;

/** Field labels by field name, for the error summary. */
function claimFieldLabels(lang: UiLanguage): Record<string, string> {
	return {
		"source.url": t(lang, "deskSourceUrl"),
		"source.title": t(lang, "deskSourceTitle"),
		"source.publisher": t(lang, "deskSourcePublisher"),
		"source.author": t(lang, "deskSourceAuthor"),
		"source.language": t(lang, "deskSourceLanguage"),
		"source.publishedAt": t(lang, "deskSourcePublishedAt"),
		"source.archivedUrl": t(lang, "deskSourceArchivedUrl"),
		"speaker.choice": t(lang, "deskSpeakerChoose"),
		// The summary stands above the form, outside the "Speaker" legend: "Name" alone did not
		// say whose (the claim edit form's word, and the claim timeline's).
		"speaker.name": t(lang, "deskEditFieldSpeaker"),
		"speaker.id": t(lang, "deskEditFieldSpeaker"),
		"speaker.kind": t(lang, "deskSpeakerKind"),
		"speaker.description": t(lang, "deskSpeakerDescription"),
		text: t(lang, "deskQuote"),
		claimedAt: t(lang, "deskClaimedAt"),
		language: t(lang, "deskClaimLanguage"),
		context: t(lang, "context"),
		quote: t(lang, "deskAppearanceQuote"),
	};
}

/** The source fields, shared by the intake form and the add-appearance form. */
export function SourceFields(props: { lang: UiLanguage; values: Values; errors: FieldErrors }) {
	const { lang, values, errors } = props;
	return (
		<>
			<TextField
				name="source.url"
				type="url"
				inputmode="url"
				label={t(lang, "deskSourceUrl")}
				hint={t(lang, "deskSourceUrlHint")}
				lang={lang}
				errors={errors}
				value={values["source.url"]}
				required
			/>
			<TextField
				name="source.title"
				label={t(lang, "deskSourceTitle")}
				lang={lang}
				errors={errors}
				value={values["source.title"]}
			/>
			<TextField
				name="source.publisher"
				label={t(lang, "deskSourcePublisher")}
				lang={lang}
				errors={errors}
				value={values["source.publisher"]}
			/>
			<TextField
				name="source.author"
				label={t(lang, "deskSourceAuthor")}
				hint={t(lang, "deskSourceAuthorHint")}
				lang={lang}
				errors={errors}
				value={values["source.author"]}
			/>
			<TextField
				name="source.language"
				label={t(lang, "deskSourceLanguage")}
				hint={t(lang, "deskLanguageHint")}
				lang={lang}
				errors={errors}
				value={values["source.language"]}
				maxlength={35}
			/>
			<TextField
				name="source.publishedAt"
				type="date"
				label={t(lang, "deskSourcePublishedAt")}
				lang={lang}
				errors={errors}
				value={values["source.publishedAt"]}
			/>
			<TextField
				name="source.archivedUrl"
				type="url"
				inputmode="url"
				label={t(lang, "deskSourceArchivedUrl")}
				hint={t(lang, "deskSourceArchivedUrlHint")}
				lang={lang}
				errors={errors}
				value={values["source.archivedUrl"]}
			/>
		</>
	);
}

export interface DuplicateOffer {
	claimId: string;
	sameSource: boolean;
	idem: string;
}

export function ClaimFormPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	values: Values;
	errors: FieldErrors;
	duplicate?: DuplicateOffer | null;
	speakerChoices?: SpeakerWithAliases[] | null;
	/** What the matcher found for the quote, shown beside it (after a submit without JavaScript). */
	matches?: ClaimMatch[] | null;
}) {
	const { chrome, values, errors } = props;
	const { lang } = chrome;
	const title = t(lang, "deskNewClaim");
	return (
		<DeskLayout chrome={chrome} title={title} script formErrors={errors}>
			<h1>{title}</h1>
			{props.duplicate ? (
				<DuplicateNotice lang={lang} csrf={props.csrf} offer={props.duplicate} values={values} />
			) : null}
			<ErrorSummary lang={lang} errors={errors} labels={claimFieldLabels(lang)} />
			<form method="post" action="/desk/claims" novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<IntakeCarry values={values} />
				<fieldset>
					<legend>{t(lang, "deskSourceLegend")}</legend>
					<SourceFields lang={lang} values={values} errors={errors} />
				</fieldset>
				<SpeakerFieldset lang={lang} values={values} errors={errors} choices={props.speakerChoices ?? null} />
				<ClaimFieldset
					lang={lang}
					values={values}
					errors={errors}
					matches={props.matches ?? null}
					answered={Boolean(props.duplicate) || Boolean(props.matches)}
				/>
				<button type="submit">{t(lang, "deskSaveClaim")}</button>
			</form>
		</DeskLayout>
	);
}

type FieldsetProps = { lang: UiLanguage; values: Values; errors: FieldErrors };

/** What an article's intake carries through the form (its anchor, the signed intake, what was skipped). */
function IntakeCarry({ values }: { values: Values }) {
	return (
		<>
			{values.anchor ? <input type="hidden" name="anchor" value={values.anchor} /> : null}
			{values.intake ? <input type="hidden" name="intake" value={values.intake} /> : null}
			{values.intakeSig ? <input type="hidden" name="intakeSig" value={values.intakeSig} /> : null}
			{values.intakeSkip ? <input type="hidden" name="intakeSkip" value={values.intakeSkip} /> : null}
			{values.intakeLanguage ? (
				<input type="hidden" name="intakeLanguage" value={values.intakeLanguage} />
			) : null}
		</>
	);
}

/** A known speaker as the choice among them lists it: the name, and what tells it apart. */
export function speakerChoiceLabel(speaker: { name: string; description: string | null }): string {
	return `${speaker.name}${speaker.description ? ` – ${speaker.description}` : ""}`;
}

/** Who said it: a choice among known speakers when the name was ambiguous, or a new one. */
function SpeakerFieldset({
	lang,
	values,
	errors,
	choices,
}: FieldsetProps & { choices: SpeakerWithAliases[] | null }) {
	return (
		<fieldset>
			<legend>{t(lang, "deskSpeakerLegend")}</legend>
			{choices && choices.length > 0 ? (
				<RadioGroup
					name="speaker.choice"
					legend={t(lang, "deskSpeakerChoose")}
					lang={lang}
					errors={errors}
					value={values["speaker.choice"]}
					options={[
						...choices.map((speaker) => ({ value: speaker.id, label: speakerChoiceLabel(speaker) })),
						{ value: "new", label: t(lang, "deskSpeakerChooseNew") },
					]}
				/>
			) : null}
			<div class="typeahead">
				<TextField
					name="speaker.name"
					label={t(lang, "deskSpeakerName")}
					hint={t(lang, "deskSpeakerNameHint")}
					lang={lang}
					errors={errors}
					value={values["speaker.name"]}
					autocomplete="off"
				/>
				<input
					type="hidden"
					name="speaker.id"
					id={fieldId("speaker.id")}
					value={values["speaker.id"] ?? ""}
				/>
				<p
					id="speaker-status"
					class="hint"
					aria-live="polite"
					data-chosen={t(lang, "deskSpeakerChosen")}
					data-count={t(lang, "deskSuggestions")}
					data-count-one={t(lang, "deskSuggestion")}
				>
					{values["speaker.id"] ? t(lang, "deskSpeakerChosen") : ""}
				</p>
			</div>
			<RadioGroup
				name="speaker.kind"
				legend={t(lang, "deskSpeakerKind")}
				lang={lang}
				errors={errors}
				value={values["speaker.kind"] || "person"}
				options={[
					{ value: "person", label: t(lang, "deskKindPerson") },
					{ value: "organization", label: t(lang, "deskKindOrganization") },
				]}
			/>
			<TextField
				name="speaker.description"
				label={t(lang, "deskSpeakerDescription")}
				hint={t(lang, "deskSpeakerDescriptionHint")}
				lang={lang}
				errors={errors}
				value={values["speaker.description"]}
			/>
			<Checkbox
				name="speakerIsSource"
				label={t(lang, "deskSpeakerIsSource")}
				checked={values.speakerIsSource === "1"}
			/>
		</fieldset>
	);
}

/** The quote itself, with what the matcher found for it, its date, language and context. */
function ClaimFieldset({
	lang,
	values,
	errors,
	matches,
	answered,
}: FieldsetProps & { matches: ClaimMatch[] | null; answered: boolean }) {
	return (
		<fieldset>
			<legend>{t(lang, "deskClaimLegend")}</legend>
			<TextArea
				name="text"
				label={t(lang, "deskQuote")}
				hint={t(lang, "deskQuoteHint")}
				lang={lang}
				errors={errors}
				value={values.text}
				rows={5}
				required
			/>
			<ClaimMatches
				lang={lang}
				matches={matches}
				reviewed={values.matchesReviewed === "1"}
				answered={answered}
			/>
			{values.matchesReviewed === "1" ? <input type="hidden" name="matchesReviewed" value="1" /> : null}
			<TextField
				name="claimedAt"
				type="date"
				label={t(lang, "deskClaimedAt")}
				lang={lang}
				errors={errors}
				value={values.claimedAt}
			/>
			<TextField
				name="language"
				label={t(lang, "deskClaimLanguage")}
				hint={t(lang, "deskLanguageHint")}
				lang={lang}
				errors={errors}
				value={values.language}
				maxlength={35}
				required
			/>
			<TextArea
				name="context"
				label={t(lang, "context")}
				lang={lang}
				errors={errors}
				value={values.context}
				rows={3}
			/>
		</fieldset>
	);
}

const SOURCE_FIELDS = [
	"source.url",
	"source.title",
	"source.publisher",
	"source.author",
	"source.language",
	"source.publishedAt",
	"source.archivedUrl",
];

function DuplicateNotice(props: { lang: UiLanguage; csrf: string; offer: DuplicateOffer; values: Values }) {
	const { lang, offer } = props;
	return (
		<Notice role="status">
			<h2>{t(lang, "deskDuplicateTitle")}</h2>
			<p>
				{t(lang, "deskDuplicateText")}{" "}
				<a href={`/desk/claims/${offer.claimId}`}>{t(lang, "deskOpenClaim")}</a>
			</p>
			{offer.sameSource ? (
				<p>{t(lang, "deskDuplicateSameSource")}</p>
			) : (
				<form method="post" action={`/desk/claims/${offer.claimId}/appearances`}>
					<FormSecrets csrf={props.csrf} idem={offer.idem} />
					{SOURCE_FIELDS.map((name) => (
						<input type="hidden" name={name} value={props.values[name] ?? ""} />
					))}
					<input type="hidden" name="quote" value={props.values.text ?? ""} />
					{/* From "New from article": readers land on the sentence in this source too, and the
					    claim's page leads back to the article's other candidates. */}
					<IntakeCarry values={props.values} />
					<button type="submit">{t(lang, "deskAddAsAppearance")}</button>
				</form>
			)}
		</Notice>
	);
}
