import type { UiLanguage } from "../../domain/ratings";
import type { FormState } from "./claim-page";
import { type MessageKey, t } from "./desk-i18n";
import { evidenceHref, fieldId, type PageErrors } from "./fields";

/** `href`: where a field on another page is; `label` null: its message names it already. */
type Field = [name: string, label: MessageKey | null, id: string, href?: string];

/**
 * The fields of each small form on the claim page, in form order, with their ids there: a form
 * repeated per verdict or appearance suffixes its ids with it. The assignment and the refusals
 * of a step say what is wrong in a notice of their own.
 */
function fieldsOf(state: FormState): Field[] {
	const verdict = state.verdictId ?? "";
	const appearance = state.appearanceId ?? "";
	switch (state.form) {
		case "note":
			return [["text", "deskNoteLabel", fieldId("text")]];
		case "tags":
			return [["tags", "deskTopics", fieldId("tags")]];
		case "attachment":
			return [
				["file", "deskAttachmentFile", fieldId("file")],
				["caption", "deskAttachmentCaption", fieldId("caption")],
			];
		case "publish":
			// A correction's note stands halfway down a long page; a draft's evidence is on its
			// edit form, and "Add at least one evidence link" says what it is about.
			return [
				["correctionNote", "deskCorrectionNote", `${fieldId("correctionNote")}-${verdict}`],
				["evidence", null, fieldId("evidence"), evidenceHref(verdict).evidence],
			];
		case "retract":
			return [["note", "deskRetractionNote", `${fieldId("note")}-${verdict}`]];
		case "return":
			// The store names the return's note "note"; its field is "returnNote".
			return [
				["returnNote", "deskReturnNote", `${fieldId("returnNote")}-${verdict}`],
				["note", "deskReturnNote", `${fieldId("returnNote")}-${verdict}`],
			];
		case "discard":
			return [["confirm", "deskDiscardConfirm", `discard-confirm-${verdict}`]];
		case "appearance":
			return [
				["source.url", "deskSourceUrl", fieldId("source.url")],
				["source.title", "deskSourceTitle", fieldId("source.title")],
				["source.publisher", "deskSourcePublisher", fieldId("source.publisher")],
				["source.author", "deskSourceAuthor", fieldId("source.author")],
				["source.language", "deskSourceLanguage", fieldId("source.language")],
				["source.publishedAt", "deskSourcePublishedAt", fieldId("source.publishedAt")],
				["source.archivedUrl", "deskSourceArchivedUrl", fieldId("source.archivedUrl")],
				["quote", "deskAppearanceQuote", fieldId("quote")],
			];
		case "remove-appearance":
			return [
				["note", "deskRemoveAppearanceNote", `${fieldId("note")}-${appearance}`],
				["confirm", "deskRemoveAppearanceConfirm", `remove-confirm-${appearance}`],
			];
		case "merge":
			return [
				["into", "deskMergeClaimInto", fieldId("into")],
				["note", "deskMergeNote", `${fieldId("note")}-merge`],
				["confirm", "deskMergeConfirm", "merge-confirm"],
			];
		case "remove-claim":
			return [
				["reason", "deskRemoveReason", fieldId("reason")],
				["confirm", "deskRemoveConfirm", "remove-claim-confirm"],
			];
		default:
			return [];
	}
}

/** The claim page's failed small form, for the summary atop the page (null: none, or not summarised here). */
export function claimPageErrors(lang: UiLanguage, state: FormState | null | undefined): PageErrors | null {
	if (!state) return null;
	const fields = fieldsOf(state);
	if (fields.length === 0) return null;
	return {
		errors: state.errors,
		fields: fields.map(([name, label, id, href]) => ({
			name,
			label: label ? t(lang, label) : "",
			id,
			...(href ? { href } : {}),
		})),
	};
}
