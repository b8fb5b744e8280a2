import type { Child } from "hono/jsx";
import { hasRole } from "../../auth/permissions";
import type { DeskSession } from "../../auth/session";
import type { UiLanguage } from "../../domain/ratings";
import { ActorName, PersonName } from "./audit-actor";
import { t } from "./desk-i18n";
import { FormSecrets } from "./desk-layout";
import { type FieldErrors, Notice, TextArea, TextField } from "./fields";
import { fieldMessage, formatDateTime, safeHref } from "./labels";

/** The claim page's teamwork: assignee, topics, the private notes, a draft's review thread. */

export interface DeskMember {
	id: string;
	name: string;
	email: string;
}

export interface Note {
	id: string;
	text: string;
	at: string;
	author: string | null;
	/** The author's account is disabled now (they left). */
	authorDeparted?: boolean;
	/** Its audit row's label: `token:<name>` when it came through an API token. */
	actorLabel?: string | null;
	/** The claim it was written on, merged into this one since. */
	mergedFrom: string | null;
}

interface FormBits {
	lang: UiLanguage;
	session: DeskSession;
	claimId: string;
	keys: () => string;
	errors: FieldErrors;
	values: Record<string, string | undefined>;
	notice?: string | undefined;
}

function FormNotice(props: { notice?: string | undefined }) {
	return props.notice ? (
		<Notice kind="error" role="alert">
			{props.notice}
		</Notice>
	) : null;
}

/** Editors assign anyone (or nobody); a checker takes an unassigned claim. */
export function Assignment(
	props: FormBits & {
		/** `departed`: the account is disabled, so no longer among `members`. */
		assignee: { name: string; email: string; departed?: boolean } | null;
		members: DeskMember[];
		/** Who writes the claim's open draft (auth/permissions `draftWriterId`): another keeps a checker from taking it. */
		draftBy: string | null;
		/** Their name, for saying so. */
		draftByName: string | null;
	},
) {
	const { lang, session, assignee } = props;
	const editor = hasRole(session.user.role, "editor");
	const action = `/desk/claims/${props.claimId}/assignee`;
	// A form sent back refused (the claim changed hands meanwhile) keeps the editor's choice.
	const chosen = props.values.assignee;
	const selected = (email: string) => (chosen === undefined ? assignee?.email === email : chosen === email);
	return (
		<section class="assignment" aria-labelledby="assignee-h">
			<h2 id="assignee-h">{t(lang, "deskAssignee")}</h2>
			<p>
				{assignee ? (
					<PersonName lang={lang} name={assignee.name} departed={assignee.departed} />
				) : (
					t(lang, "deskNobody")
				)}
			</p>
			<FormNotice
				notice={props.notice ?? (props.errors.email ? fieldMessage(lang, props.errors.email) : undefined)}
			/>
			{editor ? (
				<form method="post" action={action} class="inline" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					{/* Whom the page showed holding the claim: changed hands since, nothing is assigned (409). */}
					<input type="hidden" name="was.assignee" value={assignee?.email ?? ""} />
					<label for="f-assignee">{t(lang, "deskAssignTo")}</label>{" "}
					<select id="f-assignee" name="assignee">
						<option value="" selected={chosen === undefined ? !assignee : chosen === ""}>
							{t(lang, "deskUnassigned")}
						</option>
						{props.members.map((member) => (
							<option value={member.email} selected={selected(member.email)}>
								{member.name}
							</option>
						))}
						{/* A departed assignee is no member to assign, but holds the claim: shown as chosen,
						    and sent back unchanged, it keeps the claim as it is. */}
						{assignee && !props.members.some((member) => member.email === assignee.email) ? (
							<option value={assignee.email} selected={selected(assignee.email)}>
								{assignee.name} ({t(lang, "deskAccountDisabled")})
							</option>
						) : null}
					</select>{" "}
					<button type="submit">{t(lang, "deskAssign")}</button>
				</form>
			) : !assignee && (props.draftBy === null || props.draftBy === session.user.id) ? (
				<form method="post" action={action} class="inline" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="assignee" value="me" />
					<button type="submit">{t(lang, "deskTakeClaim")}</button>
				</form>
			) : !assignee ? (
				// Another's draft is open on it: taking the claim would take their draft.
				<p class="hint">{t(lang, "deskTakeDraftOfAnother", { name: props.draftByName ?? "?" })}</p>
			) : assignee.email === session.user.email && props.draftBy !== null ? (
				// Given back, the draft would stay theirs on a claim no colleague could take.
				<p class="hint">{t(lang, "deskGiveBackDraftOpen")}</p>
			) : assignee.email === session.user.email ? (
				// Taken by mistake, or it cannot be done: back to "Unassigned" for a colleague.
				<form method="post" action={action} class="inline" novalidate>
					<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
					<input type="hidden" name="assignee" value="" />
					<button type="submit" class="secondary">
						{t(lang, "deskGiveBackClaim")}
					</button>
				</form>
			) : null}
		</section>
	);
}

/** The claim's topics (public) and the form to change them, at the claim's version. */
export function Topics(props: FormBits & { tags: { slug: string; name: string }[]; version: number }) {
	const { lang, session } = props;
	return (
		<section class="topics" aria-labelledby="topics-h">
			<h2 id="topics-h">{t(lang, "deskTopics")}</h2>
			{props.tags.length > 0 ? (
				<p>
					{props.tags.map((tag, index) => (
						<>
							{index > 0 ? ", " : ""}
							{/* The topic's claims in the desk, every state: its public page shows the reviewed ones. */}
							<a href={`/desk?list=all&topic=${tag.slug}`}>
								<bdi>{tag.name}</bdi>
							</a>
						</>
					))}
				</p>
			) : null}
			<FormNotice notice={props.notice} />
			<form method="post" action={`/desk/claims/${props.claimId}/tags`} novalidate>
				<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
				<input type="hidden" name="version" value={String(props.version)} />
				{/* What the field was loaded with: a save refused as a colleague's came first keeps theirs (routes/desk/collaboration). */}
				<input type="hidden" name="was.tags" value={props.tags.map((tag) => tag.name).join(", ")} />
				{/* Which topics those were: a topic renamed meanwhile keeps its slug, not its name. */}
				<input type="hidden" name="was.slugs" value={props.tags.map((tag) => tag.slug).join(",")} />
				<TextField
					name="tags"
					label={t(lang, "deskTopics")}
					hint={t(lang, "deskTopicsHint")}
					lang={lang}
					errors={props.errors}
					value={props.values.tags ?? props.tags.map((tag) => tag.name).join(", ")}
					maxlength={1300}
				/>
				<button type="submit">{t(lang, "deskSaveTopics")}</button>
			</form>
		</section>
	);
}

const LINK = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/g;

/** Plain text with its web addresses made into links (nothing else is interpreted). */
function Linkified(props: { text: string }): Child {
	return props.text.split(LINK).map((part, index) => {
		if (index % 2 === 0) return part;
		const href = safeHref(part);
		return href ? (
			<a href={href} rel="noopener nofollow noreferrer">
				{part}
			</a>
		) : (
			part
		);
	});
}

/** The desk's private thread on a claim. */
export function Notes(props: FormBits & { notes: Note[] }) {
	const { lang, session } = props;
	return (
		<section class="notes" aria-labelledby="notes-h">
			<h2 id="notes-h">{t(lang, "deskNotes")}</h2>
			<p class="hint">{t(lang, "deskNotesHint")}</p>
			{props.notes.length === 0 ? <p>{t(lang, "deskNoNotes")}</p> : null}
			<ol class="thread">
				{props.notes.map((note) => (
					<li id={`note-${note.id}`}>
						<p class="meta">
							<ActorName
								lang={lang}
								actor={{
									actorName: note.author,
									actorLabel: note.actorLabel ?? null,
									actorDeparted: note.authorDeparted ?? false,
								}}
							/>{" "}
							· {formatDateTime(note.at, lang)}
							{note.mergedFrom ? (
								<>
									{" · "}
									{t(lang, "deskNoteMergedFrom")} <code>{note.mergedFrom}</code>
								</>
							) : null}
						</p>
						<p class="body" dir="auto">
							<Linkified text={note.text} />
						</p>
					</li>
				))}
			</ol>
			<FormNotice notice={props.notice} />
			<form method="post" action={`/desk/claims/${props.claimId}/notes`} novalidate>
				<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
				<TextArea
					name="text"
					label={t(lang, "deskNoteLabel")}
					lang={lang}
					errors={props.errors}
					value={props.values.text}
					rows={3}
					required
				/>
				<button type="submit">{t(lang, "deskAddNote")}</button>
			</form>
		</section>
	);
}

export interface ReturnNote {
	note: string;
	by: string | null;
	/** Their account is disabled now (they left). */
	byDeparted?: boolean;
	at: string;
}

function ThreadList(props: { lang: UiLanguage; notes: ReturnNote[] }) {
	return (
		<ol class="thread">
			{props.notes.map((entry) => (
				<li>
					<p class="meta">
						{entry.by ? <PersonName lang={props.lang} name={entry.by} departed={entry.byDeparted} /> : "–"} ·{" "}
						{formatDateTime(entry.at, props.lang)}
					</p>
					<p class="body" dir="auto">
						<Linkified text={entry.note} />
					</p>
				</li>
			))}
		</ol>
	);
}

/** The return notes of a draft, oldest first (on its card and on its edit form). */
export function ReturnNotes(props: { lang: UiLanguage; notes: ReturnNote[]; changesRequested: boolean }) {
	const { lang } = props;
	return (
		<section class="review-thread" aria-labelledby="review-thread-h">
			<h2 id="review-thread-h">
				{t(lang, "deskReturnThread")}
				{props.changesRequested ? <span class="flag"> · {t(lang, "deskChangesRequested")}</span> : null}
			</h2>
			<ThreadList lang={lang} notes={props.notes} />
		</section>
	);
}

/** A draft's review thread, and for editors the form that returns it with a note. */
export function ReviewThread(
	props: Omit<FormBits, "claimId"> & {
		verdictId: string;
		version: number;
		/** The draft as its card shows it (verdict-preview `shownJson`): changed before the click, the refusal says how. */
		shown: string;
		thread: ReturnNote[];
		changesRequested: boolean;
		open: boolean;
		/**
		 * Whether there is a checker to return it to: a draft someone else writes now (its
		 * claim's holder, or who held it last: auth/permissions `draftWriterId`), submitted or
		 * still being written (an editor tells its writer what to change before the submission
		 * too), also one the editor began and handed on with the claim; a draft the editor
		 * writes themselves has no one to return it to.
		 */
		returnable: boolean;
	},
) {
	const { lang, session } = props;
	return (
		<>
			{props.changesRequested ? <p class="flag">{t(lang, "deskChangesRequested")}</p> : null}
			{props.thread.length > 0 ? (
				<>
					<p class="label">{t(lang, "deskReturnThread")}</p>
					<ThreadList lang={lang} notes={props.thread} />
				</>
			) : null}
			{/* A refused return stays shown (open), with the note typed, whatever the draft is now. */}
			{hasRole(session.user.role, "editor") && (props.returnable || props.open) ? (
				<details class="return" open={props.open}>
					<summary>{t(lang, "deskReturn")}</summary>
					<FormNotice notice={props.notice} />
					<form method="post" action={`/desk/verdicts/${props.verdictId}/return`} novalidate>
						<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
						<input type="hidden" name="version" value={String(props.version)} />
						<input type="hidden" name="shown" value={props.shown} />
						<TextArea
							name="returnNote"
							label={t(lang, "deskReturnNote")}
							lang={lang}
							errors={props.errors.note ? { returnNote: props.errors.note } : props.errors}
							value={props.values.returnNote}
							idSuffix={props.verdictId}
							rows={3}
							required
						/>
						<button type="submit">{t(lang, "deskReturn")}</button>
					</form>
				</details>
			) : null}
		</>
	);
}
