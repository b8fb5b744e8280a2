import type { UiLanguage } from "../../domain/ratings";
import type { FormValues } from "../../routes/desk/context";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { Notice, TextField } from "./fields";

/**
 * Fields the desk's forms carry for the server, not typed by anyone: `speaker.id` is the
 * speaker picked from the suggestions, whose name is listed.
 */
const MACHINE_FIELD = /^(_csrf|_idem|version|was\..*|speaker\.id)$/;
/**
 * A password (an admin's confirmation, a token's) is never shown or carried back: the page
 * may be in front of someone else by now. It is asked for again, empty.
 */
const SECRET_FIELD = "password";

/** The label a desk form gives a field of this name, wherever the name means one thing. */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
	claimedAt: "deskClaimedAt",
	context: "context",
	// The new-claim form's fields, listed here without its "Speaker" legend.
	"speaker.name": "deskEditFieldSpeaker",
	"speaker.kind": "deskSpeakerKind",
	"speaker.description": "deskSpeakerDescription",
	"source.url": "deskSourceUrl",
	"source.title": "deskSourceTitle",
	"source.publisher": "deskSourcePublisher",
	"source.publishedAt": "deskSourcePublishedAt",
	"source.archivedUrl": "deskSourceArchivedUrl",
	"source.language": "deskSourceLanguage",
	"source.author": "deskSourceAuthor",
	headline: "deskHeadline",
	summary: "summary",
	body: "deskBody",
	rating: "rating",
	correctionNote: "deskCorrectionNote",
	returnNote: "deskReturnNote",
	reason: "deskRemoveReason",
	quote: "deskAppearanceQuote",
	caption: "deskAttachmentCaption",
	tags: "deskTopics",
	nameEn: "deskTopicNameEn",
	nameDe: "deskTopicNameDe",
	aliases: "deskSpeakerAliases",
	kind: "deskSpeakerKindLabel",
	email: "deskEmail",
	role: "deskRole",
};

/**
 * What the person typed a field as: its form's label. Names several forms use for different
 * things (a note, a name, a language) are told apart by the form's address; an unknown name
 * stays as it is.
 */
function fieldLabel(lang: UiLanguage, action: string, name: string): string {
	const evidence = /^evidence\.(\d+)\.(url|title)$/.exec(name);
	if (evidence)
		return `${t(lang, evidence[2] === "url" ? "deskEvidenceUrl" : "deskEvidenceTitle")} (${Number(evidence[1]) + 1})`;
	const path = action.split("?")[0] ?? action;
	const byForm: Record<string, MessageKey | undefined> = {
		text: path.endsWith("/notes") ? "deskNoteLabel" : "deskQuote",
		name: path.startsWith("/desk/tokens")
			? "deskTokenName"
			: path.startsWith("/desk/speakers")
				? "deskSpeakerName"
				: "deskName",
		description: path.startsWith("/desk/admin/webhooks")
			? "deskWebhookDescription"
			: "deskSpeakerDescription",
		url: path.startsWith("/desk/admin/webhooks") ? "deskWebhookUrl" : "deskSourceUrl",
		into: path.startsWith("/desk/speakers") ? "deskMergeInto" : "deskMergeClaimInto",
		language: path.startsWith("/desk/articles") ? "deskArticleLanguage" : "deskClaimLanguage",
		note: path.endsWith("/merge")
			? "deskMergeNote"
			: path.endsWith("/retract")
				? "deskRetractionNote"
				: /\/appearances\//.test(path)
					? "deskRemoveAppearanceNote"
					: "deskEditNote",
	};
	// Own keys only: a posted name such as "constructor" is no label (Object's was a 500).
	const key = Object.hasOwn(byForm, name)
		? byForm[name]
		: Object.hasOwn(FIELD_LABELS, name)
			? FIELD_LABELS[name]
			: undefined;
	return key ? t(lang, key) : name;
}

/**
 * A form posted with another session's token (typically after logging in again: the old
 * page still holds the old one), same-origin by the origin check before it. Nothing was
 * saved; what was typed comes back, to be checked and sent again with this session's token
 * (the same idempotency key, so a form that did go through once is not saved twice). A
 * reload used to be the only way on, and it emptied the form.
 */
export function ResubmitPage(props: {
	chrome: DeskChrome;
	action: string;
	values: FormValues;
	csrf: string;
	/**
	 * `key-reused`: the form's idempotency key was used before for other content (routes/desk
	 * context `writeOnceAndRedirect`). It comes back under `idem`, a fresh key, and a posted
	 * file (`files`, by field name) is chosen again: a page cannot hand one back.
	 */
	reason?: "session" | "key-reused";
	idem?: string;
	files?: string[];
}) {
	const { lang } = props.chrome;
	const files = props.files ?? [];
	const kept = Object.entries(props.values).filter(
		([name]) => name !== SECRET_FIELD && !(props.idem && name === "_idem"),
	);
	const asksPassword = SECRET_FIELD in props.values;
	const typed = kept.filter(([name, value]) => !MACHINE_FIELD.test(name) && value.trim() !== "");
	return (
		<DeskLayout chrome={props.chrome} title={t(lang, "deskResubmitTitle")}>
			<h1>{t(lang, "deskResubmitTitle")}</h1>
			<Notice kind="error" role="alert">
				{t(lang, props.reason === "key-reused" ? "deskResubmitReusedText" : "deskResubmitText")}
			</Notice>
			<form
				method="post"
				action={props.action}
				novalidate
				{...(files.length > 0 ? { enctype: "multipart/form-data" } : {})}
			>
				<FormSecrets csrf={props.csrf} {...(props.idem ? { idem: props.idem } : {})} />
				{kept
					.filter(([name]) => name !== "_csrf")
					.map(([name, value]) => (
						<input type="hidden" name={name} value={value} />
					))}
				{typed.length > 0 ? (
					<>
						<h2>{t(lang, "deskResubmitTyped")}</h2>
						<dl class="changed">
							{typed.map(([name, value]) => (
								<>
									<dt>{fieldLabel(lang, props.action, name)}</dt>
									<dd dir="auto">{value}</dd>
								</>
							))}
						</dl>
					</>
				) : null}
				{files.map((name) => (
					<div class="field">
						<label for={`resubmit-${name}`}>{t(lang, "deskResubmitFile")}</label>
						<input type="file" id={`resubmit-${name}`} name={name} required />
					</div>
				))}
				{asksPassword ? (
					<TextField
						name={SECRET_FIELD}
						type="password"
						label={t(lang, "deskConfirmPassword")}
						lang={lang}
						errors={{}}
						autocomplete="current-password"
						required
					/>
				) : null}
				<button type="submit">{t(lang, "deskResubmitButton")}</button>
			</form>
		</DeskLayout>
	);
}
