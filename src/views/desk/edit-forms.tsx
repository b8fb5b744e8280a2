import type { UiLanguage } from "../../domain/ratings";
import type { SpeakerWithAliases } from "../../store/speakers";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { ErrorSummary, type FieldErrors, Notice, SelectField, TextArea, TextField } from "./fields";

type Values = Record<string, string>;

/** Languages offered for a claim; anything else goes into "other" as a code. */
const KNOWN_LANGUAGES = ["de", "en", "fr", "es", "it", "nl", "pl", "uk", "ru", "ar", "tr", "ko"] as const;

function languageLabel(code: string, lang: UiLanguage): string {
	try {
		return new Intl.DisplayNames([lang], { type: "language" }).of(code) ?? code;
	} catch {
		return code;
	}
}

/** A select of known languages with a free "other" code beside it (not a bare code box). */
function LanguageChoice(props: { lang: UiLanguage; values: Values; errors: FieldErrors; name?: string }) {
	const name = props.name ?? "language";
	const value = props.values[name] ?? "";
	const known = (KNOWN_LANGUAGES as readonly string[]).includes(value);
	return (
		<>
			<SelectField
				name={name}
				label={t(props.lang, "deskClaimLanguage")}
				lang={props.lang}
				errors={props.errors}
				value={known ? value : "other"}
				options={[
					...KNOWN_LANGUAGES.map((code) => ({
						value: code,
						label: `${languageLabel(code, props.lang)} (${code})`,
					})),
					{ value: "other", label: t(props.lang, "deskLanguageOther") },
				]}
				required
			/>
			<TextField
				name={`${name}Other`}
				label={t(props.lang, "deskLanguageOtherCode")}
				hint={t(props.lang, "deskLanguageHint")}
				lang={props.lang}
				errors={props.errors}
				value={known ? "" : value}
				maxlength={35}
			/>
		</>
	);
}

/** The language a LanguageChoice posted: the selected one, or the "other" code. */
export function chosenLanguage(form: Values, name = "language"): string {
	const selected = form[name] ?? "";
	return selected === "other" ? (form[`${name}Other`] ?? "").trim() : selected;
}

export function ClaimEditPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	claimId: string;
	reviewed: boolean;
	values: Values;
	errors: FieldErrors;
	notice?: string | null;
}) {
	const { lang } = props.chrome;
	const title = t(lang, "deskEditClaim");
	return (
		<DeskLayout chrome={props.chrome} title={title}>
			<h1>{title}</h1>
			<p>
				<a href={`/desk/claims/${props.claimId}`}>{t(lang, "deskBackToClaim")}</a>
			</p>
			{props.notice ? <Notice kind="error">{props.notice}</Notice> : null}
			{props.reviewed ? <Notice role="status">{t(lang, "deskEditPublicExplained")}</Notice> : null}
			<ErrorSummary errors={props.errors} lang={lang} labels={{}} />
			<form method="post" action={`/desk/claims/${props.claimId}/edit`} novalidate>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<input type="hidden" name="version" value={props.values.version ?? ""} />
				<TextArea
					name="text"
					label={t(lang, "deskQuote")}
					lang={lang}
					errors={props.errors}
					value={props.values.text}
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
					rows={3}
				/>
				<TextField
					name="speaker.name"
					label={t(lang, "deskSpeakerName")}
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
		</DeskLayout>
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
	canMerge: boolean;
}) {
	const { lang } = props.chrome;
	const { speaker } = props;
	const title = `${t(lang, "deskEditSpeaker")}: ${speaker.name}`;
	return (
		<DeskLayout chrome={props.chrome} title={title}>
			<h1 dir="auto">{title}</h1>
			<p>
				<a href={`/speakers/${speaker.slug}`}>{t(lang, "deskPublicPage")}</a>
			</p>
			{props.notice ? <Notice kind="error">{props.notice}</Notice> : null}
			<ErrorSummary errors={props.errors} lang={lang} labels={{}} />
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
					label={t(lang, "deskSpeakerKind")}
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
				<button type="submit">{t(lang, "deskSaveSpeaker")}</button>
			</form>
			{props.canMerge ? (
				<section aria-labelledby="merge-h">
					<h2 id="merge-h">{t(lang, "deskMergeSpeaker")}</h2>
					<p>{t(lang, "deskMergeExplained")}</p>
					<form method="post" action={`/desk/speakers/${speaker.slug}/merge`} novalidate>
						<FormSecrets csrf={props.csrf} idem={props.idem} />
						<TextField
							name="into"
							label={t(lang, "deskMergeInto")}
							hint={t(lang, "deskMergeIntoHint")}
							lang={lang}
							errors={props.mergeErrors}
							value={props.mergeValues.into}
							required
						/>
						<button type="submit" class="secondary">
							{t(lang, "deskMergeButton")}
						</button>
					</form>
				</section>
			) : null}
		</DeskLayout>
	);
}
