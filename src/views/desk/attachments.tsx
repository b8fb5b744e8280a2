import type { DeskSession } from "../../auth/session";
import type { Upload } from "../../db/schema";
import type { UiLanguage } from "../../domain/ratings";
import { formatSize } from "../../domain/typography";
import { cleanFilename } from "../../domain/uploads";
import { t } from "./desk-i18n";
import { FormSecrets } from "./desk-layout";
import { type FieldErrors, Notice, TextField } from "./fields";
import { fieldMessage, formatDateTime } from "./labels";

export interface AttachmentsProps {
	lang: UiLanguage;
	session: DeskSession;
	claimId: string;
	attachments: Upload[];
	/** Editors decide what the public sees. */
	canPublish: boolean;
	keys: () => string;
	errors: FieldErrors;
	caption?: string | undefined;
	/** Over the form re-shown on a claim another was merged into: nothing was saved. */
	notice?: string | undefined;
}

function AttachmentItem(props: AttachmentsProps & { upload: Upload }) {
	const { upload, lang } = props;
	const href = `/desk/attachments/${upload.id}`;
	// As stored before cleanFilename checked names (or restored from such a backup), a name
	// could hold a bidi override or another type's extension: cleaned again, it is idempotent.
	const filename = cleanFilename(upload.filename, upload.contentType);
	return (
		<li id={`attachment-${upload.id}`}>
			{upload.contentType.startsWith("image/") ? (
				<a href={href}>
					<img class="thumb" src={href} alt={upload.caption ?? filename} />
				</a>
			) : null}
			<p>
				<a href={href}>
					<bdi>{filename}</bdi>
				</a>{" "}
				<span class="meta">
					{upload.contentType} · {formatSize(upload.bytes, lang)} · {formatDateTime(upload.createdAt, lang)} ·{" "}
					<strong>{t(lang, upload.isPublic ? "deskAttachmentPublic" : "deskAttachmentInternal")}</strong>
				</span>
			</p>
			{upload.caption ? (
				<p dir="auto">
					<bdi>{upload.caption}</bdi>
				</p>
			) : null}
			<p class="meta hash">SHA-256 {upload.sha256}</p>
			{props.canPublish && !upload.isPublic && upload.contentType === "application/pdf" ? (
				<p class="hint">{t(lang, "deskAttachmentPdfMetadata")}</p>
			) : null}
			{props.canPublish ? (
				<form method="post" action={`/desk/attachments/${upload.id}/visibility`}>
					<FormSecrets csrf={props.session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="public" value={upload.isPublic ? "false" : "true"} />
					<button type="submit" class="secondary">
						{t(lang, upload.isPublic ? "deskAttachmentHide" : "deskAttachmentShow")}
					</button>
				</form>
			) : null}
		</li>
	);
}

/** Files attached to the claim: screenshots and reports, internal until an editor makes them public. */
export function Attachments(props: AttachmentsProps) {
	const { lang } = props;
	const error = props.errors.file;
	return (
		<section class="attachments" id="attachments" aria-labelledby="attachments-h">
			<h2 id="attachments-h">{t(lang, "attachments")}</h2>
			<p class="hint">{t(lang, "deskAttachmentsHint")}</p>
			{props.attachments.length > 0 ? (
				<ul class="attachment-list">
					{props.attachments.map((upload) => (
						<AttachmentItem {...props} upload={upload} />
					))}
				</ul>
			) : null}
			<form
				method="post"
				action={`/desk/claims/${props.claimId}/attachments`}
				enctype="multipart/form-data"
				novalidate
			>
				<FormSecrets csrf={props.session.csrfToken} idem={props.keys()} />
				{props.notice ? (
					<Notice kind="error" role="alert">
						{props.notice}
					</Notice>
				) : null}
				<div class="field">
					<label for="f-file">{t(lang, "deskAttachmentFile")}</label>
					<p class="hint" id="f-file-hint">
						{t(lang, "deskAttachmentFileHint")}
					</p>
					<input
						id="f-file"
						name="file"
						type="file"
						accept="image/png,image/jpeg,image/webp,application/pdf"
						aria-invalid={error ? "true" : undefined}
						aria-describedby={error ? "f-file-hint f-file-error" : "f-file-hint"}
					/>
					{error ? (
						// The page's summary announces it (DeskLayout): a second alert said it twice.
						<p class="error" id="f-file-error">
							<span class="visually-hidden">{t(lang, "deskErrorPrefix")} </span>
							{fieldMessage(lang, error)}
						</p>
					) : null}
				</div>
				<TextField
					name="caption"
					label={t(lang, "deskAttachmentCaption")}
					lang={lang}
					errors={props.errors}
					value={props.caption}
					maxlength={300}
				/>
				<button type="submit">{t(lang, "deskAttach")}</button>
			</form>
		</section>
	);
}
