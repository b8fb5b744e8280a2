import type { ClaimChange, ClaimEditField } from "../db/schema";
import type { UiLanguage } from "../domain/ratings";
import { removedAppearanceText } from "../domain/removed-appearance";
import { formatDate, languageName, type MessageKey, t } from "./i18n";

/** The label a public change of a claim starts with ("Wording:", "Appearance removed:"). */
export function changeFieldKey(field: ClaimEditField): MessageKey {
	const keys: Record<ClaimEditField, MessageKey> = {
		text: "changedText",
		claimedAt: "changedClaimedAt",
		language: "changedLanguage",
		context: "changedContext",
		speaker: "changedSpeaker",
		appearance: "changedAppearance",
	};
	return keys[field];
}

/**
 * A public change in a reader's words: "Wording: old → new", or for a removed appearance
 * "Appearance removed: Title (host)" (its stored value holds the whole address; the host
 * says which outlet without sending readers to the page named by mistake).
 */
export function changeInWords(
	change: Pick<ClaimChange, "field" | "fromValue" | "toValue">,
	lang: UiLanguage,
) {
	const label = t(lang, changeFieldKey(change.field));
	if (change.field === "appearance") return `${label} ${removedAppearanceText(change.fromValue)}`;
	// As the claim page shows them: a date as a date, a language by its name.
	const shown = (value: string | null) => {
		if (value === null) return "–";
		if (change.field === "claimedAt") return formatDate(value, lang);
		return change.field === "language" ? languageName(value, lang) : value;
	};
	return `${label} ${shown(change.fromValue)} → ${shown(change.toValue)}`;
}
