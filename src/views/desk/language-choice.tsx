import { normalizeLanguageTag } from "../../domain/language-tags";
import type { UiLanguage } from "../../domain/ratings";
import { t } from "./desk-i18n";
import { type FieldErrors, SelectField, TextField } from "./fields";

type Values = Record<string, string>;

/** Languages offered for a claim or a verdict; anything else goes into "other" as a code. */
const KNOWN_LANGUAGES = ["de", "en", "fr", "es", "it", "nl", "pl", "uk", "ru", "ar", "tr", "ko"] as const;

export function languageLabel(code: string, lang: UiLanguage): string {
	try {
		return new Intl.DisplayNames([lang], { type: "language" }).of(code) ?? code;
	} catch {
		return code;
	}
}

/** A language as the desk names it beside its code ("Deutsch (de)"); a code no language is known by stays as it is. */
export function languageWithCode(code: string, lang: UiLanguage): string {
	const name = languageLabel(code, lang);
	return name === code ? code : `${name} (${code})`;
}

/**
 * The languages a desk list may be narrowed to: those the claim form offers, and the one it
 * is narrowed to now (`?language=` any code), so that the select shows it and sending the
 * form again keeps it.
 */
export function languageFilterOptions(lang: UiLanguage, active: string): { value: string; label: string }[] {
	const codes: string[] = [...KNOWN_LANGUAGES];
	if (active && !codes.includes(active)) codes.push(active);
	return codes.map((code) => ({ value: code, label: `${languageLabel(code, lang)} (${code})` }));
}

/**
 * A select of known languages with a free "other" code beside it (not a bare code box).
 * `values` are a stored record's (a code) or a re-rendered form's (`other` and the code
 * typed beside it): either way the code stays where its reader left it, and no stored
 * language the select does not list is silently replaced by the first option.
 */
export function LanguageChoice(props: {
	lang: UiLanguage;
	values: Values;
	errors: FieldErrors;
	name?: string;
	label?: string;
}) {
	const name = props.name ?? "language";
	const posted = props.values[name] ?? "";
	const value = posted === "other" ? (props.values[`${name}Other`] ?? "") : posted;
	const known = (KNOWN_LANGUAGES as readonly string[]).includes(value);
	return (
		<>
			<SelectField
				name={name}
				label={props.label ?? t(props.lang, "deskClaimLanguage")}
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

/**
 * The language of the text typed beside a LanguageChoice, for its fields' `lang`: the one
 * chosen (a stored code, or a re-rendered form's), undefined while it is no language tag (a
 * half-typed "other" code).
 */
export function typedLanguage(values: Values, name = "language"): string | undefined {
	return normalizeLanguageTag(chosenLanguage(values, name)) ?? undefined;
}
