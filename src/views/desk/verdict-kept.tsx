import { RATINGS, type UiLanguage } from "../../domain/ratings";
import type { Values } from "./claim-form";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { Notice, TextArea } from "./fields";
import { verdictFieldLabels } from "./verdict-form";

/**
 * A verdict form's input as plain text, for a page that cannot hold it in the form any more
 * (its draft discarded and its claim removed meanwhile): each field under its label, the
 * evidence one link a line.
 */
export function verdictInputText(lang: UiLanguage, values: Values): string {
	const labels = verdictFieldLabels(lang, 0);
	const lines: string[] = [];
	const rating = RATINGS.find((r) => r.key === values.rating);
	if (rating) lines.push(`${labels.rating}: ${rating.labels[lang]}`);
	for (const field of ["headline", "summary", "body"] as const) {
		const value = (values[field] ?? "").trim();
		if (value) lines.push(`${labels[field]}:`, value, "");
	}
	const links: string[] = [];
	for (let i = 0; i < 50; i++) {
		const url = (values[`evidence.${i}.url`] ?? "").trim();
		const title = (values[`evidence.${i}.title`] ?? "").trim();
		if (url || title) links.push(`- ${title}${title && url ? " " : ""}${url ? `<${url}>` : ""}`);
	}
	if (links.length > 0) lines.push(`${labels.evidence}:`, ...links, "");
	if (values.language) lines.push(`${labels.language}: ${values.language}`);
	return lines.join("\n").trim();
}

/**
 * The typed text of a verdict form nothing could be saved from, with why, so it is not lost:
 * with `claim` (its draft handed to another writer) as a note on that claim, ready to send
 * (routes/desk/collaboration); without (the claim removed), to copy. Also an editor's return
 * note or retraction reason a colleague's step made moot (`title` says which step failed).
 */
export function VerdictNotSavedPage(props: {
	chrome: DeskChrome;
	notice: string;
	text: string;
	title?: string;
	claim?: { id: string; text: string; language: string; csrf: string; idem: string } | null;
}) {
	const { lang } = props.chrome;
	const title = props.title ?? t(lang, "deskDraftNotSaved");
	const { claim } = props;
	return (
		<DeskLayout chrome={props.chrome} title={title}>
			<h1>{title}</h1>
			{claim ? (
				<>
					<p>
						<a href={`/desk/claims/${claim.id}`}>{t(lang, "deskBackToClaim")}</a>
					</p>
					<blockquote class="quote" lang={claim.language} dir="auto">
						{claim.text}
					</blockquote>
				</>
			) : null}
			<Notice kind="error" role="alert">
				{props.notice}
			</Notice>
			{claim ? (
				<section aria-labelledby="kept-note-h">
					<h2 id="kept-note-h">{t(lang, "deskDraftNoteTitle")}</h2>
					<form method="post" action={`/desk/claims/${claim.id}/notes`} novalidate>
						<FormSecrets csrf={claim.csrf} idem={claim.idem} />
						<TextArea
							name="text"
							label={t(lang, "deskNoteLabel")}
							hint={t(lang, "deskDraftNoteHint")}
							lang={lang}
							errors={{}}
							value={props.text}
							rows={16}
							required
						/>
						<button type="submit">{t(lang, "deskAddNote")}</button>
					</form>
				</section>
			) : (
				<TextArea
					name="text"
					label={t(lang, "deskDraftYourText")}
					lang={lang}
					errors={{}}
					value={props.text}
					rows={16}
				/>
			)}
		</DeskLayout>
	);
}
