import { hasRole } from "../../auth/permissions";
import { ROLES } from "../../db/schema";
import { RATINGS, type UiLanguage } from "../../domain/ratings";
import type { FormValues } from "../../routes/desk/context";
import { SCOPE_KEYS } from "./accounts";
import { speakerChoiceLabel } from "./claim-form";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { Notice, TextField } from "./fields";
import { roleLabel } from "./labels";
import { languageLabel } from "./language-choice";
import { eventLabel } from "./webhooks";

/**
 * Fields the desk's forms carry for the server, not typed by anyone: `speaker.id` is the
 * speaker picked from the suggestions, whose name is listed; the rest are hidden inputs
 * (the verdict form's row count and the claim's words it showed, a match review done, what
 * a publish supersedes, the article intake's way back, a replayed delivery's id, the verdict
 * of an evidence link archived again, an attachment's new visibility, which its button says),
 * which read as noise, not choices.
 */
const MACHINE_FIELD =
	/^(_csrf|_idem|version|was\..*|speaker\.id|evidenceRows|matchesReviewed|supersedes|claimVersion|claimChange|anchor|intake(Sig|Skip|Language)?|skip|delivery|from|verdictId|public)$/;
/**
 * A password (an admin's confirmation, a token's) is never shown or carried back: the page
 * may be in front of someone else by now. It is asked for again, empty.
 */
const SECRET_FIELD = "password";
/**
 * Fields a form posts "1" for when ticked or pressed (a checkbox, a confirmation box, a
 * webhook's event, a token's scope, a named button): listed as "yes" under the label that
 * says what, not as "1".
 */
const YES_FIELD = /^(speakerIsSource|dropOldName|confirm|moreEvidence|submitForReview|(event|scope):.+)$/;
/** Fields holding a language code; a LanguageChoice's posts "other" and the code in `…Other`. */
const LANGUAGE_FIELD = /^(language|source\.language)$/;

/** The label a desk form gives a field of this name, wherever the name means one thing. */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
	claimedAt: "deskClaimedAt",
	context: "context",
	// The new-claim form's fields, listed here without its "Speaker" legend.
	"speaker.name": "deskEditFieldSpeaker",
	"speaker.choice": "deskSpeakerChoose",
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
	speakerIsSource: "deskSpeakerIsSource",
	languageOther: "deskLanguageOtherCode",
	moreEvidence: "deskMoreEvidence",
	submitForReview: "deskSaveAndSubmit",
	dropOldName: "deskSpeakerDropOldName",
	assignee: "deskAssignTo",
};

/** The steps of a webhook's page and of an account's page with nothing typed, by the address's end. */
const WEBHOOK_ACTIONS: Readonly<Record<string, MessageKey>> = {
	test: "deskWebhookTest",
	"rotate-secret": "deskWebhookRotate",
	disable: "deskWebhookDisable",
	enable: "deskWebhookEnable",
};
const ACCOUNT_ACTIONS: Readonly<Record<string, MessageKey>> = {
	enable: "deskEnable",
	password: "deskResetPassword",
};

/**
 * Which of a claim's assignment forms was sent: "Take this claim" ("me"), an editor's pick
 * of anyone or nobody (listed: whom), or a checker's "Give this claim back" (""). Only
 * editors are shown the pick, and they are not shown the other two. Read by the role of
 * whoever sends it now (a checker's page re-sent after an editor logged in on that browser,
 * or after a promotion), since the route acts by that role: an editor's "me" assigns the
 * claim to them whoever holds it, an editor's pick, not a take of a free claim.
 */
function assignment(path: string, values: FormValues, editor: boolean) {
	if (!/^\/desk\/claims\/[^/]+\/assignee$/.test(path)) return null;
	if (values.assignee === "me") return editor ? "assign" : "take";
	return editor || values.assignee ? "assign" : "give-back";
}

/**
 * What a form with nothing typed does when sent (a publication, a correction, a replay, a
 * submission, a webhook's or an account's step, a revocation, archiving again, an
 * attachment's visibility, logging out, a claim's assignment): its own button's words on
 * the button, since the page lists only what was typed and these act.
 */
function actionKey(path: string, values: FormValues, editor: boolean): MessageKey | undefined {
	if (path.endsWith("/publish")) return values.supersedes ? "deskPublishCorrection" : "deskPublish";
	// Not the delivery log's "Replay": in German that is "Erneut senden", this page's generic button.
	if (path.endsWith("/replay")) return "deskResubmitReplay";
	if (path.endsWith("/submit")) return "deskSubmitForReview";
	const step = /^\/desk\/admin\/(webhooks|users)\/[^/]+\/([a-z-]+)$/.exec(path);
	const steps = step?.[1] === "webhooks" ? WEBHOOK_ACTIONS : ACCOUNT_ACTIONS;
	if (step?.[2] && Object.hasOwn(steps, step[2])) return steps[step[2]];
	if (/^\/desk\/(admin\/users\/[^/]+\/)?tokens\/[^/]+\/revoke$/.test(path)) return "deskRevoke";
	if (/^\/desk\/claims\/[^/]+\/(appearances\/[^/]+|evidence)\/archive$/.test(path)) return "deskArchiveAgain";
	// Not the attachment's own "Make public": in German that is a verdict's "Veröffentlichen".
	if (/^\/desk\/attachments\/[^/]+\/visibility$/.test(path))
		return values.public === "true" ? "deskResubmitAttachmentShow" : "deskResubmitAttachmentHide";
	if (path === "/desk/logout") return "deskLogout";
	const assigned = assignment(path, values, editor);
	if (assigned === "take") return "deskTakeClaim";
	if (assigned === "give-back") return "deskGiveBackClaim";
	if (assigned === "assign") return "deskAssign";
	return undefined;
}

/** The box a destructive step needs ticked, by the form's address: each says what it confirms. */
function confirmKey(path: string): MessageKey | undefined {
	if (path.endsWith("/discard")) return "deskDiscardConfirm";
	if (/\/appearances\/[^/]+\/remove$/.test(path)) return "deskRemoveAppearanceConfirm";
	if (path.startsWith("/desk/claims/") && path.endsWith("/merge")) return "deskMergeConfirm";
	if (path.startsWith("/desk/claims/") && path.endsWith("/remove")) return "deskRemoveConfirm";
	if (path.startsWith("/desk/admin/webhooks/") && path.endsWith("/delete")) return "deskWebhookDeleteConfirm";
	if (path.startsWith("/desk/admin/users/") && path.endsWith("/disable")) return "deskDisableConfirm";
	return undefined;
}

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
	// A webhook's event and a token's scope as their checkboxes' labels say them.
	if (name.startsWith("event:")) return eventLabel(lang, name.slice(6));
	const scope = name.startsWith("scope:") ? name.slice(6) : "";
	if (Object.hasOwn(SCOPE_KEYS, scope))
		return `${scope} – ${t(lang, SCOPE_KEYS[scope as keyof typeof SCOPE_KEYS])}`;
	if (name === "wikidataId") return "Wikidata";
	const byForm: Record<string, MessageKey | undefined> = {
		text: path.endsWith("/notes")
			? "deskNoteLabel"
			: path === "/desk/articles"
				? "deskArticleText"
				: "deskQuote",
		name: path.startsWith("/desk/tokens")
			? "deskTokenName"
			: path.startsWith("/desk/speakers")
				? "deskSpeakerName"
				: "deskName",
		description: path.startsWith("/desk/admin/webhooks")
			? "deskWebhookDescription"
			: "deskSpeakerDescription",
		url: path.startsWith("/desk/admin/webhooks")
			? "deskWebhookUrl"
			: path === "/desk/articles"
				? "deskArticleUrl"
				: "deskSourceUrl",
		into: path.startsWith("/desk/speakers") ? "deskMergeInto" : "deskMergeClaimInto",
		language: path.startsWith("/desk/articles")
			? "deskArticleLanguage"
			: path.startsWith("/desk/verdicts/") || path.endsWith("/verdicts")
				? "deskVerdictLanguage"
				: "deskClaimLanguage",
		confirm: confirmKey(path),
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

const KIND_KEYS: Readonly<Record<string, MessageKey>> = {
	person: "deskKindPerson",
	organization: "deskKindOrganization",
};

/** A known speaker a new claim form's choice may name (`speaker.choice`: its id, or "new"). */
export interface ChoiceSpeaker {
	id: string;
	name: string;
	description: string | null;
}

/** A member an editor's pick of an assignee names (the select posts the email, shows the name). */
export interface ChoiceMember {
	email: string;
	name: string;
}

/**
 * Whom an assignment assigns, as the form showed it: nobody as the select's "(unassigned)",
 * an editor's "me" by their own name, a member by the name the select showed (the email
 * stays for an address that is no member now).
 */
function assigneeValue(
	lang: UiLanguage,
	value: string,
	me: string | undefined,
	members: readonly ChoiceMember[],
) {
	if (value.trim() === "") return t(lang, "deskUnassigned");
	if (value === "me") return me ?? value;
	const email = value.trim().toLowerCase();
	return members.find((member) => member.email === email)?.name ?? value;
}

/**
 * A language as the language select names it ("French (fr)"); a code no language is known by
 * (a typo in "other") stays as typed.
 */
function languageValue(lang: UiLanguage, code: string): string {
	const name = languageLabel(code, lang);
	return name === code ? code : `${name} (${code})`;
}

/**
 * What a field's value reads as on its form: a chosen option by its label (a speaker's kind,
 * the speaker picked among several of a name, a rating, a role, a language), not the key the
 * form posts; a ticked box "yes"; typed text as typed. Null for a choice of a speaker no
 * longer there (nothing to name it by), and for a language's "other" code, which its
 * language's row shows.
 */
function fieldValue(
	lang: UiLanguage,
	name: string,
	value: string,
	values: FormValues,
	speakers: readonly ChoiceSpeaker[],
) {
	if (YES_FIELD.test(name) && value === "1") return t(lang, "deskResubmitYes");
	if (LANGUAGE_FIELD.test(name)) {
		const other = values[`${name}Other`];
		if (value !== "other" || other === undefined) return languageValue(lang, value.trim());
		return other.trim() === "" ? t(lang, "deskLanguageOther") : languageValue(lang, other.trim());
	}
	const chosen = /^(.+)Other$/.exec(name)?.[1];
	if (chosen && LANGUAGE_FIELD.test(chosen) && values[chosen] !== undefined) return null;
	if ((name === "speaker.kind" || name === "kind") && Object.hasOwn(KIND_KEYS, value))
		return t(lang, KIND_KEYS[value] as MessageKey);
	if (name === "speaker.choice") {
		if (value === "new") return t(lang, "deskSpeakerChooseNew");
		const speaker = speakers.find((s) => s.id === value);
		return speaker ? speakerChoiceLabel(speaker) : null;
	}
	if (name === "rating") return RATINGS.find((r) => r.key === value)?.labels[lang] ?? value;
	if (name === "role") {
		const role = ROLES.find((r) => r === value);
		return role ? roleLabel(lang, role) : value;
	}
	return value;
}

/**
 * Why nothing was saved and what is below: what was sent, to check and send again; or, when
 * nothing is listed (a step such as rotating a secret, a revocation, logging out), only the
 * button that does it (and the password it asks again).
 */
function noticeKey(
	reason: "session" | "key-reused" | undefined,
	listed: boolean,
	asksPassword: boolean,
): MessageKey {
	if (reason === "key-reused") return "deskResubmitReusedText";
	if (listed) return "deskResubmitText";
	return asksPassword ? "deskResubmitStepPasswordText" : "deskResubmitStepText";
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
	/** The speaker `speaker.choice` names, to show it as the choice did (routes/desk `choiceSpeakers`). */
	speakers?: readonly ChoiceSpeaker[];
	/** The member an assignment's `assignee` names, to show them as the select did (routes/desk `choiceMembers`). */
	members?: readonly ChoiceMember[];
}) {
	const { lang } = props.chrome;
	const files = props.files ?? [];
	const speakers = props.speakers ?? [];
	const kept = Object.entries(props.values).filter(
		([name]) => name !== SECRET_FIELD && !(props.idem && name === "_idem"),
	);
	const asksPassword = SECRET_FIELD in props.values;
	const path = props.action.split("?")[0] ?? props.action;
	const editor = hasRole(props.chrome.session?.user.role ?? "checker", "editor");
	const action = actionKey(path, props.values, editor);
	const assigned = assignment(path, props.values, editor);
	const typed = kept.flatMap(([name, value]) => {
		// An editor's pick is listed, nobody too; taking a claim or giving it back is its button's.
		if (name === "assignee" && assigned)
			return assigned === "assign"
				? [[name, assigneeValue(lang, value, props.chrome.session?.user.name, props.members ?? [])] as const]
				: [];
		if (MACHINE_FIELD.test(name) || value.trim() === "") return [];
		const shown = fieldValue(lang, name, value, props.values, speakers);
		return shown === null ? [] : [[name, shown] as const];
	});
	return (
		<DeskLayout chrome={props.chrome} title={t(lang, "deskResubmitTitle")}>
			<h1>{t(lang, "deskResubmitTitle")}</h1>
			<Notice kind="error" role="alert">
				{t(lang, noticeKey(props.reason, typed.length > 0 || files.length > 0, asksPassword))}
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
				<button type="submit">{t(lang, action ?? "deskResubmitButton")}</button>
			</form>
		</DeskLayout>
	);
}
