import { type Action, mayEditDraft, mayPublishDraft } from "../../auth/permissions";
import { returnDraft } from "../../commands/collaboration";
import {
	discardDraft,
	draftVerdict,
	publishVerdict,
	retractVerdict,
	saveDraft,
	submitDraft,
} from "../../commands/verdicts";
import type { Verdict } from "../../db/schema";
import { isId } from "../../domain/ids";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { verdictInput } from "../../schemas/records";
import { getClaim } from "../../store/claims";
import { lastVerdictStep } from "../../store/desk";
import { draftSeenChange, draftWordsChanges, latestChange, wordsChangedSince } from "../../store/draft-words";
import { claimFate } from "../../store/retired-claims";
import { userNames } from "../../store/users";
import {
	type ClaimHolder,
	discardedDraftClaim,
	draftWriterIds,
	draftWriterOf,
	getVerdict,
	getVerdictOfClaim,
	inForceAsSeen,
	notTheWriter,
	openDraftOf,
	returnThread,
	type VerdictOfClaim,
} from "../../store/verdicts";
import { type MessageKey, t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import type { ClaimWordsNow } from "../../views/desk/refusal-notice";
import { type VerdictConflict, VerdictFormPage, verdictValues } from "../../views/desk/verdict-form";
import { VerdictNotSavedPage, verdictInputText } from "../../views/desk/verdict-kept";
import {
	type CardStep,
	inForceMovedNotice,
	type PreviewState,
	type StaleState,
	stalePreviewNotice,
	VerdictPreviewPage,
} from "../../views/desk/verdict-preview";
import {
	claimIdParam,
	draftHeldBy,
	isClaimNotFound,
	keptClaimOf,
	mergedMeanwhile,
	renderClaimPage,
	storeFieldErrors,
	versionOf,
} from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskActor,
	deskCommand,
	deskFactory,
	type FormValues,
	formKey,
	formValues,
	page,
	signedIn,
	writeOnceAndRedirect,
} from "./context";
import { evidenceRenamer, formErrors, shownDraftOf, verdictFromForm } from "./forms";

async function verdictParam(c: DeskContext): Promise<VerdictOfClaim> {
	const id = c.req.param("id") ?? "";
	const verdict = isId(id) ? await getVerdictOfClaim(c.var.db, id) : undefined;
	if (!verdict) throw notFound("verdict");
	return verdict;
}

async function verdictForm(
	c: DeskContext,
	claimId: string,
	values: FormValues,
	options: {
		errors?: FieldErrors;
		verdict?: Verdict;
		version?: number;
		conflict?: VerdictConflict | null;
		openDraft?: {
			draft: Pick<VerdictOfClaim, "id" | "claimId" | "reviewerId" | "writerId" | "claimAssigneeId">;
			keptInput: boolean;
		} | null;
		/** Why the form came back with its input (its draft discarded meanwhile). */
		notice?: string;
		/** The same said shortly, before the refusal of a claim another checker holds. */
		lead?: string;
		status?: 200 | 409 | 422;
	} = {},
) {
	const session = allowed(c, options.verdict ? "verdict:edit-draft" : "verdict:draft");
	// The words the form carries back are read before the words it shows: a change landing
	// between is shown (or refused when the form is sent), never covered unseen (s35 r351).
	let seen = await latestChange(c.var.db, claimId);
	let claim = await getClaim(c.var.db, claimId);
	let notice: string | null = options.notice ?? null;
	let openDraft = options.openDraft ?? null;
	let lead = options.lead ?? null;
	if (!claim && !options.verdict) {
		// A new verdict's form posted for a claim merged meanwhile: the kept claim's form holds
		// the input (and says where that claim's open draft is); removed: its text to copy (410).
		const fate = await claimFate(c.var.db, claimId);
		if (fate && !("mergedInto" in fate)) return textOfRemovedClaim(c, values, "deskKeptTextClaimRemoved");
		const keptId = await keptClaimOf(c, claimId);
		seen = await latestChange(c.var.db, keptId);
		claim = await getClaim(c.var.db, keptId);
		notice = [options.notice, mergedMeanwhile(c, claimId)].filter(Boolean).join(" ");
		lead = [lead, t(c.var.lang, "deskClaimMergedInto", { id: claimId })].filter(Boolean).join(" ");
		const open = claim?.verdicts.find((v) => v.state === "draft");
		if (claim && open) openDraft = { draft: { ...open, claimAssigneeId: claim.assigneeId }, keptInput: true };
	}
	if (!claim) throw notFound("claim");
	// A new draft's form leads to a claim another checker holds (the claim kept by a merge, or
	// a discarded draft's claim, handed on since): it would be refused when sent, so the input
	// is offered as a note for them at once, saying why.
	const holder = options.verdict ? null : await draftHeldBy(c, claim.id);
	if (holder) return heldByAnother(c, claim.id, values, holder, lead);
	const published = claim.verdicts.some((v) => v.state === "published");
	const returns = options.verdict ? await returnThread(c.var.db, options.verdict.id) : [];
	// The form came back on the claim kept by a merge: the change row it carried is the
	// duplicate's, so the kept claim's earlier edits are not "changed while this form was open"
	// (its words are quoted above as they read now, s34 r341).
	const { claimChange: _duplicates, ...kept } = values;
	const words = await wordsUnread(c, claim.id, claim.id === claimId ? values : kept, options.verdict, seen);
	return page(
		c,
		<VerdictFormPage
			returns={returns}
			changesRequested={Boolean(options.verdict?.changesRequestedAt)}
			submittedAt={options.verdict?.submittedAt ?? null}
			chrome={chrome(c, verdictFormPath(claim.id, options.verdict))}
			csrf={session.csrfToken}
			idem={values._idem || formKey()}
			claim={claim}
			values={values}
			errors={options.errors ?? {}}
			verdictId={options.verdict?.id}
			version={options.version ?? options.verdict?.version}
			isCorrection={published}
			conflict={options.conflict ?? null}
			openDraft={
				openDraft ? { href: openDraftHref(c, openDraft.draft), keptInput: openDraft.keptInput } : null
			}
			notice={notice}
			wordsSeen={words.seen}
			wordsChanged={words.changed}
		/>,
		notice ? 409 : (options.status ?? 200),
	);
}

/**
 * The claim's words as a verdict form shows them (`seen`, its newest change row, read by the
 * caller before the claim, which the form sends back) and the changes of them its writer has
 * not read: since the form that came back was shown (it carries `claimChange`), else since the
 * draft was last saved.
 */
async function wordsUnread(
	c: DeskContext,
	claimId: string,
	values: FormValues,
	draft: Verdict | undefined,
	seen: number,
) {
	const carried = wordsSeenOf(values.claimChange);
	const since = carried ?? (draft ? await draftSeenChange(c.var.db, draft.id) : null);
	const changes = since === null ? [] : await wordsChangedSince(c.var.db, claimId, since);
	return {
		seen,
		changed:
			changes.length > 0
				? { changes, since: carried === undefined ? ("draft" as const) : ("form" as const) }
				: null,
	};
}

/** The claim's change row a verdict form showed (`claimChange`); undefined for a form without it. */
function wordsSeenOf(value: string | undefined): number | undefined {
	const n = Number(value);
	return value !== undefined && value !== "" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The address of a verdict form: the draft's edit form, else the claim's new-verdict form. */
function verdictFormPath(claimId: string, draft: Verdict | undefined): string {
	return draft ? `/desk/verdicts/${draft.id}/edit` : `/desk/claims/${claimId}/verdicts/new`;
}

/** Where "open the draft" goes: its edit form for who may edit it, else its card on the claim page. */
function openDraftHref(
	c: DeskContext,
	draft: Pick<VerdictOfClaim, "id" | "claimId" | "reviewerId" | "writerId" | "claimAssigneeId">,
): string {
	return mayEditDraft(deskActor(c), draft)
		? `/desk/verdicts/${draft.id}/edit`
		: `/desk/claims/${draft.claimId}#verdict-${draft.id}`;
}

/** The preview of a draft as the public will see it, with the publish form below. */
async function renderPreview(
	c: DeskContext,
	draft: Verdict,
	options: { state?: PreviewState | null; status?: 200 | 409 | 422 } = {},
) {
	const session = allowed(c, "verdict:publish");
	// Read before the claim: a change landing between is told again, never taken as shown.
	const claimChange = await latestChange(c.var.db, draft.claimId);
	const claim = await getClaim(c.var.db, draft.claimId);
	if (!claim) throw notFound("claim");
	const current = claim.verdicts.find((v) => v.state === "published") ?? null;
	const names = await userNames(c.var.db, [draft.reviewerId]);
	const people: Record<string, string> = { [session.user.id]: session.user.name };
	if (draft.reviewerId) people[draft.reviewerId] = names.get(draft.reviewerId) ?? "";
	// Four eyes: a writer of the draft sees who publishes it, not the form (the command refuses them too).
	const writerIds = c.var.policy.secondEditor ? await draftWriterIds(c.var.db, draft.id) : [];
	const mayPublish = mayPublishDraft(deskActor(c), { ...draft, writerIds }, c.var.policy);
	// Words changed since the draft was last saved: no publish form until it is saved on them.
	const wordsChanged = await draftWordsChanges(c.var.db, draft);
	return page(
		c,
		<VerdictPreviewPage
			chrome={chrome(c, `/desk/verdicts/${draft.id}/preview`)}
			mayPublish={mayPublish}
			session={session}
			claim={claim}
			draft={draft}
			current={current}
			people={people}
			idem={formKey()}
			now={new Date().toISOString()}
			state={options.state ?? null}
			wordsChanged={wordsChanged}
			claimChange={claimChange}
		/>,
		options.status ?? 200,
	);
}

/** Fields whose saved value differs from what the user sent: what changed meanwhile. */
function changedFields(current: Verdict, sent: FormValues): VerdictConflict["changed"] {
	const saved = verdictValues(current);
	const names = new Set([...Object.keys(saved), "rating", "headline", "summary", "body", "language"]);
	const changed: VerdictConflict["changed"] = [];
	const evidenceSaved = JSON.stringify(verdictFromForm(saved).input.evidence);
	const evidenceSent = JSON.stringify(verdictFromForm(sent).input.evidence);
	for (const name of names) {
		if (name.startsWith("evidence.")) continue;
		if ((saved[name] ?? "").trim() !== (sent[name] ?? "").trim())
			changed.push({ field: name, saved: saved[name] ?? "" });
	}
	if (evidenceSaved !== evidenceSent) {
		changed.push({
			field: "evidence",
			saved: verdictFromForm(saved)
				.input.evidence.map((e) => `${e.title} <${e.url}>`)
				.join("; "),
		});
	}
	return changed;
}

/**
 * A draft's form sent after a colleague's step on the draft: every field as this user typed
 * it, what the colleague did, and what saving does now. Saved (submitted, returned) meanwhile:
 * the saved version's differences, and a second save knowingly replaces it. Published
 * meanwhile, the same input drafts anew: a correction of the verdict in force, which the list
 * compares it with; retracted since, a new verdict (nothing to compare with). Its newest
 * step says which: a retraction or a correction over it, not its publication (s34 r342).
 */
async function changedMeanwhile(c: DeskContext, current: Verdict, values: FormValues): Promise<Response> {
	const published = current.state === "published";
	const claim = current.state === "draft" || published ? null : await getClaim(c.var.db, current.claimId);
	const inForce = published ? current : (claim?.verdicts.find((v) => v.state === "published") ?? null);
	const compared = current.state === "draft" ? current : inForce;
	// Published (and in force): its publication, which says that saving drafts a correction.
	const step = await lastVerdictStep(c.var.db, current.id, { published });
	const mine = Boolean(step?.byId) && step?.byId === deskActor(c).userId;
	const conflict: VerdictConflict = {
		current,
		inForce,
		changed: compared ? changedFields(compared, values) : [],
		step,
		own: mine && !step?.token,
		// Through this user's own API token: a sync, an autosave, a token an admin minted for them.
		ownToken: mine ? (step?.token ?? undefined) : undefined,
	};
	return verdictForm(c, current.claimId, values, {
		...(current.state === "draft" ? { verdict: current, version: current.version } : {}),
		conflict,
		status: 409,
	});
}

/**
 * Publishing and retracting from the claim page: one write under the form's key, then
 * back to the claim page; a problem re-renders the page with that form open.
 */
async function editorialStep(
	c: DeskContext,
	action: Action,
	step: "publish" | "retract" | "return" | "submit",
	write: (verdictId: string, version: number, form: FormValues) => Promise<Verdict>,
): Promise<Response> {
	allowed(c, action);
	const id = c.req.param("id") ?? "";
	const verdict = isId(id) ? await getVerdictOfClaim(c.var.db, id) : undefined;
	const form = await formValues(c);
	// A draft discarded before its return was sent: the note is offered on its claim.
	if (!verdict && step === "return") return returnRaced(c, id, form, undefined);
	if (!verdict) throw notFound("verdict");
	const version = versionOf(form.version) ?? 0;
	try {
		const run = async () => {
			await write(verdict.id, version, form);
		};
		return await writeOnceAndRedirect(c, form, run, `/desk/claims/${verdict.claimId}?done=${DONE[step]}`);
	} catch (error) {
		if (step === "publish" && form.from === "preview") {
			const now = (await getVerdict(c.var.db, verdict.id)) ?? verdict;
			const errors = storeFieldErrors(error);
			if (errors && now.state === "draft") {
				return renderPreview(c, now, { state: { values: form, errors }, status: 422 });
			}
			if (error instanceof AppError && error.status === 409 && now.state === "draft") {
				// Saved, submitted or returned since the preview was shown: say who did what, and how it changed.
				const refusal = isStale(error, now, version)
					? await stalePreview(c, now, form, "preview")
					: await conflictNotice(c, error, verdict.claimId, form);
				return renderPreview(c, now, { state: { values: form, errors: {}, ...refusal }, status: 409 });
			}
		}
		const raced = isRaced(error) ? await typedTextRaced(c, step, verdict, form) : null;
		if (raced) return raced;
		const state = { form: step, verdictId: verdict.id, values: form };
		// A submission from a page shown before the claim, and its draft, changed hands.
		if (step === "submit" && error instanceof AppError && error.status === 403) {
			const notice = await handedOverNotice(c, verdict.id, "submit");
			return renderClaimPage(c, verdict.claimId, { state: { ...state, errors: {}, notice }, status: 403 });
		}
		const errors = storeFieldErrors(error);
		if (errors) return renderClaimPage(c, verdict.claimId, { state: { ...state, errors }, status: 422 });
		if (error instanceof AppError && error.status === 409) {
			// Publish, return or submit on the draft's card, the draft changed since: as from the
			// preview (s34 r342). "Someone else saved this verdict" named nobody and listed nothing,
			// and a second click returned or submitted the save unread (s35 r352).
			const now = step === "retract" ? undefined : await getVerdict(c.var.db, verdict.id);
			const refusal =
				step !== "retract" && now?.state === "draft" && isStale(error, now, version)
					? await stalePreview(c, now, form, "card", step)
					: await conflictNotice(c, error, verdict.claimId, form);
			return renderClaimPage(c, verdict.claimId, {
				state: { ...state, errors: {}, ...refusal },
				status: 409,
			});
		}
		throw error;
	}
}

/**
 * A refusal that may mean a colleague's step came first: a conflict, or the verdict gone. Not
 * this form's own first submission still being saved (a double click, `idempotency-pending`):
 * its step may have been done already, by this editor, and is said so ("still being saved").
 */
function isRaced(error: unknown): boolean {
	return (
		error instanceof AppError &&
		(error.status === 409 || error.status === 404) &&
		error.code !== "idempotency-pending"
	);
}

/**
 * The text an editor typed into a return or retraction a colleague's step made moot, kept
 * (the claim page's forms draw neither a return form without a draft nor a retraction form
 * on a verdict no longer in force): null when the verdict is still what the step needs (a
 * version conflict, shown on its card as any).
 */
async function typedTextRaced(
	c: DeskContext,
	step: "publish" | "retract" | "return" | "submit",
	verdict: Verdict,
	form: FormValues,
): Promise<Response | null> {
	if (step !== "return" && step !== "retract") return null;
	const now = await getVerdict(c.var.db, verdict.id);
	if (step === "return") return now?.state === "draft" ? null : returnRaced(c, verdict.id, form, now);
	if (now?.state === "published") return null;
	const lang = c.var.lang;
	const claim = await getClaim(c.var.db, verdict.claimId);
	const inForce = claim?.verdicts.find((v) => v.state === "published");
	// Corrected meanwhile: the reason goes to the correction's form, for the editor to read
	// the correction and decide whether it still applies (nothing retracts it unread).
	if (claim && inForce) {
		const notice = t(lang, "deskRetractCorrectedMeanwhile");
		const values = { note: form.note ?? "" };
		return renderClaimPage(c, claim.id, {
			state: { form: "retract", verdictId: inForce.id, values, errors: {}, notice },
			status: 409,
		});
	}
	return textAsNote(c, verdict.claimId, {
		text: [t(lang, "deskRetractSuggestion"), form.note ?? ""].join("\n"),
		notice: t(lang, "deskRetractNotInForce"),
		title: t(lang, "deskRetractNotDone"),
	});
}

/**
 * A return whose draft was published (`now`) or discarded (undefined) meanwhile: its note is
 * offered on the claim. A 404 for an id that never named a draft.
 */
async function returnRaced(
	c: DeskContext,
	verdictId: string,
	form: FormValues,
	now: Verdict | undefined,
): Promise<Response> {
	const claimId = now ? now.claimId : (await discardedDraftClaim(c.var.db, verdictId))?.claimId;
	if (claimId === undefined) throw notFound("verdict");
	const lang = c.var.lang;
	return textAsNote(c, claimId, {
		text: [t(lang, "deskReturnSuggestion"), form.returnNote ?? ""].join("\n"),
		notice: t(lang, now ? "deskReturnPublishedMeanwhile" : "deskReturnDiscardedMeanwhile"),
		title: t(lang, "deskReturnNotSent"),
	});
}

/**
 * A refused step's notice. A claim changed since the page was shown names its words now:
 * the editor was about to publish on words they had not read (the page shows it as it is).
 * The words go beside the notice, not into its text: the view isolates them in their language.
 */
async function conflictNotice(
	c: DeskContext,
	error: AppError,
	claimId: string,
	form: FormValues,
): Promise<{ notice: string; claimNow?: ClaimWordsNow }> {
	// The changes themselves are on the page below (the draft's card, the preview).
	if (error.code === "claim-words-changed") return { notice: t(c.var.lang, "deskWordsChangedRefused") };
	if (error.code === "current-verdict-changed") {
		const moved = await inForceNotice(c, claimId, form, error);
		const changed = await claimChangedSince(c, claimId, form);
		const too = changed.claimNow ? ` ${t(c.var.lang, "deskStaleClaimChanged")}` : "";
		return { notice: `${t(c.var.lang, "deskNothingPublished")} ${moved}${too}`, ...changed };
	}
	if (error.code !== "claim-changed") return { notice: fieldMessage(c.var.lang, error.message) };
	const claim = await getClaim(c.var.db, claimId);
	const notice = t(c.var.lang, "deskClaimChangedBeforePublish");
	return claim ? { notice, claimNow: { text: claim.text, language: claim.language } } : { notice };
}

/**
 * The claim's words now, when it was changed after the publish form's page was shown (the
 * claim's newest change row then, `claimChange`): a refusal for the verdict in force says so
 * too, since the page it brings back carries the claim's new version, and the next click
 * would publish on words nobody was told of (s35 r361). A retraction or a publication writes
 * no change row: alone, it is not said as a changed claim.
 */
async function claimChangedSince(
	c: DeskContext,
	claimId: string,
	form: FormValues,
): Promise<{ claimNow?: ClaimWordsNow }> {
	const seen = wordsSeenOf(form.claimChange);
	if (seen === undefined || (await latestChange(c.var.db, claimId)) <= seen) return {};
	const claim = await getClaim(c.var.db, claimId);
	return claim ? { claimNow: { text: claim.text, language: claim.language } } : {};
}

/** A publication refused because the draft was saved, submitted or returned after the form's page was shown. */
function isStale(error: AppError, now: Verdict, version: number): boolean {
	return error.code === "version-conflict" && now.version !== version;
}

/**
 * The refusal of a publication from a page (the preview, the draft's card) shown before the
 * draft changed: who did what, and the text then. The draft's version is checked before the
 * claim's (commands publishVerdict), so a claim changed as well is said here, with its words
 * now: the list of the draft's fields alone read as all that changed, and the page that comes
 * back carries the claim's new version, so publishing again is not refused for it (s34 r342).
 */
async function stalePreview(
	c: DeskContext,
	now: Verdict,
	form: FormValues,
	where: "preview" | "card",
	/** The step refused: on the card, a return, submission or discard too. */
	doing: CardStep = "publish",
): Promise<Pick<PreviewState, "notice" | "stale" | "claimNow">> {
	const step = await lastVerdictStep(c.var.db, now.id);
	const notice = stalePreviewNotice(c.var.lang, step, now, where, doing);
	const shown = shownDraftOf(form.shown);
	// The verdict in force retracted or replaced as well: said as that, and the claim is quoted
	// as changed only when its change rows moved past the page's (that step moved its version,
	// not its words). Told as changed words, the next click published over the retraction, the
	// note dropped (s35 r352); told only the retraction, it published on new words (s35 r361).
	const inForce = doing === "publish" ? await inForceMoved(c, now.claimId, form) : null;
	if (inForce)
		return { notice, stale: { shown, inForce }, ...(await claimChangedSince(c, now.claimId, form)) };
	const stale = { shown };
	const shownVersion = form.claimVersion === undefined ? null : versionOf(form.claimVersion);
	const claim = shownVersion === null ? undefined : await getClaim(c.var.db, now.claimId);
	if (!claim || claim.version === shownVersion) return { notice, stale };
	return { notice, stale, claimNow: { text: claim.text, language: claim.language } };
}

/**
 * What became of the verdict in force a publication's page showed (store/verdicts
 * `inForceAsSeen`, the rule the publication itself keeps), said by whom; null when it is
 * still the one in force.
 */
async function inForceMoved(c: DeskContext, claimId: string, form: FormValues): Promise<string | null> {
	const supersedes = form.supersedes === undefined ? undefined : form.supersedes || null;
	try {
		await inForceAsSeen(c.var.db, claimId, supersedes, Boolean(form.correctionNote?.trim()));
		return null;
	} catch (error) {
		if (!(error instanceof AppError) || error.code !== "current-verdict-changed") throw error;
		return inForceNotice(c, claimId, form, error);
	}
}

/**
 * A `current-verdict-changed` refusal as what happened: with none in force, the newest
 * retraction (who, when); with one, its publication, a correction of the verdict the page
 * showed or the claim's first since. The store's words when nothing is audited.
 */
async function inForceNotice(
	c: DeskContext,
	claimId: string,
	form: FormValues,
	error: AppError,
): Promise<string> {
	const claim = await getClaim(c.var.db, claimId);
	const inForce = claim?.verdicts.find((v) => v.state === "published");
	const retracted = claim?.verdicts
		.filter((v) => v.state === "retracted")
		.sort((a, b) => (b.retractedAt ?? "").localeCompare(a.retractedAt ?? ""))[0];
	const subject = inForce ?? retracted;
	const step = subject ? await lastVerdictStep(c.var.db, subject.id, { published: Boolean(inForce) }) : null;
	if (!step) return fieldMessage(c.var.lang, error.message);
	const move = inForce ? (form.supersedes ? "corrected" : "published") : "retracted";
	return inForceMovedNotice(c.var.lang, move, step);
}

const DONE = {
	publish: "published",
	retract: "retracted",
	return: "returned",
	submit: "submitted",
} as const;

/** Drafting, editing, publishing and retracting verdicts from the desk. */
export const deskVerdictRoutes = deskFactory
	.createApp()
	.get(
		"/claims/:id/verdicts/new",
		declareRoute({ method: "GET", path: "/desk/claims/:id/verdicts/new", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "verdict:draft");
			const claimId = claimIdParam(c);
			const claim = await getClaim(c.var.db, claimId);
			// Merged: the kept claim's form; removed: 410.
			if (!claim) return c.redirect(`/desk/claims/${await keptClaimOf(c, claimId, false)}/verdicts/new`, 302);
			// Another checker's claim is theirs to draft: its page says whose, and offers no form.
			if (await draftHeldBy(c, claimId)) {
				const notice = t(c.var.lang, "deskNewDraftRefused");
				return renderClaimPage(c, claimId, {
					state: { form: "new-verdict", values: {}, errors: {}, notice },
					status: 403,
				});
			}
			// One open draft per claim: say where it is instead of offering a second.
			const open = claim.verdicts.find((v) => v.state === "draft");
			if (open)
				return verdictForm(
					c,
					claimId,
					{},
					{
						openDraft: { draft: { ...open, claimAssigneeId: claim.assigneeId }, keptInput: false },
					},
				);
			// A correction starts from what was published.
			const published = claim.verdicts.find((v) => v.state === "published");
			return verdictForm(c, claimId, published ? verdictValues(published) : { language: c.var.lang });
		},
	)
	.post(
		"/claims/:id/verdicts",
		declareRoute({ method: "POST", path: "/desk/claims/:id/verdicts", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "verdict:draft");
			const claimId = claimIdParam(c);
			const form = await formValues(c);
			// A form posted on a claim another checker holds (a page open since the hand-over, or
			// made by hand): no form back, nor "Add another link"; its text is offered as a note.
			const holder = await draftHeldBy(c, claimId);
			if (holder) return heldByAnother(c, claimId, form, holder);
			// "Add another link": the same form again with one more empty row, nothing saved.
			if (form.moreEvidence) return verdictForm(c, claimId, withMoreEvidence(form));
			const { input, rowOf } = verdictFromForm(form);
			const parsed = verdictInput.safeParse(input);
			if (!parsed.success) {
				return verdictForm(c, claimId, form, {
					errors: formErrors(parsed.error, evidenceRenamer(rowOf)),
					status: 422,
				});
			}
			try {
				const submit = form.submitForReview === "1";
				return await writeOnceAndRedirect(
					c,
					form,
					async () => {
						const wordsSeen = wordsSeenOf(form.claimChange);
						await draftVerdict(deskCommand(c), claimId, parsed.data, { submit, wordsSeen });
					},
					`/desk/claims/${claimId}?done=${submit ? "submitted" : "draft-saved"}`,
				);
			} catch (error) {
				// Merged meanwhile: the kept claim's form, with this input (verdictForm); removed: 410.
				if (isClaimNotFound(error)) return verdictForm(c, claimId, { ...form, _idem: formKey() });
				// Handed to another checker while this was sent: as if it had been theirs before.
				if (error instanceof AppError && error.code === "claim-of-another-checker")
					return heldByAnother(c, claimId, form, await draftHeldBy(c, claimId));
				// The claim's words changed while the form was open: the form again, saying how.
				if (error instanceof AppError && error.code === "claim-words-changed")
					return verdictForm(c, claimId, { ...form, _idem: formKey() }, { status: 409 });
				if (!(error instanceof AppError) || error.code !== "draft-exists") throw error;
				// Someone drafted first: keep this input (nothing was saved) and point at their draft.
				const open = await openDraftOf(c.var.db, claimId);
				return verdictForm(
					c,
					claimId,
					{ ...form, _idem: formKey() },
					{ ...(open ? { openDraft: { draft: open, keptInput: true } } : {}), status: 409 },
				);
			}
		},
	)
	.get(
		"/verdicts/:id",
		declareRoute({ method: "GET", path: "/desk/verdicts/:id", access: { session: "checker" } }),
		async (c) => {
			// Where a verdict is shown: its card on its claim page (a discarded draft's claim page).
			// The address an error or resubmit page of a verdict step names (context `chrome`):
			// those steps are the claim page's forms, and their address does not name the claim.
			const id = c.req.param("id") ?? "";
			const verdict = isId(id) ? await getVerdictOfClaim(c.var.db, id) : undefined;
			const claimId =
				verdict?.claimId ?? (isId(id) ? (await discardedDraftClaim(c.var.db, id))?.claimId : null);
			if (!claimId) throw notFound("verdict");
			const lang = c.req.query("lang");
			const query = lang === "en" || lang === "de" ? `?lang=${lang}` : "";
			return c.redirect(`/desk/claims/${claimId}${query}${verdict ? `#verdict-${verdict.id}` : ""}`, 303);
		},
	)
	.get(
		"/verdicts/:id/edit",
		declareRoute({ method: "GET", path: "/desk/verdicts/:id/edit", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "verdict:edit-draft");
			const verdict = await verdictParam(c);
			if (!mayEditDraft(deskActor(c), verdict)) throw notTheWriter("edit");
			if (verdict.state !== "draft") {
				throw new AppError(409, "This verdict is no longer a draft; draft a correction instead.");
			}
			return verdictForm(c, verdict.claimId, verdictValues(verdict), { verdict });
		},
	)
	.post(
		"/verdicts/:id",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "verdict:edit-draft");
			const id = c.req.param("id") ?? "";
			const form = await formValues(c);
			const verdict = isId(id) ? await getVerdictOfClaim(c.var.db, id) : undefined;
			if (!verdict) return discardedMeanwhile(c, id, form);
			if (!mayEditDraft(deskActor(c), verdict)) return handedOver(c, verdict.claimId, form);
			const version = versionOf(form.version);
			if (form.moreEvidence) {
				// Published or saved since the form was shown: said now, as a save's refusal says it,
				// not only at the next save (the form came back as "Edit draft", s34 r342).
				const changed = verdict.state !== "draft" || (version !== null && version !== verdict.version);
				if (changed) return changedMeanwhile(c, verdict, { ...withMoreEvidence(form), _idem: formKey() });
				return verdictForm(c, verdict.claimId, withMoreEvidence(form), {
					verdict,
					version: version ?? verdict.version,
				});
			}
			const { input, rowOf } = verdictFromForm(form);
			const parsed = verdictInput.safeParse(input);
			if (!parsed.success || version === null) {
				const errors = parsed.success ? {} : formErrors(parsed.error, evidenceRenamer(rowOf));
				if (version === null) errors.version = "Send the version you last read.";
				return verdictForm(c, verdict.claimId, form, {
					errors,
					verdict,
					version: version ?? verdict.version,
					status: 422,
				});
			}
			try {
				const submit = form.submitForReview === "1";
				const page = (done: string) => `/desk/claims/${verdict.claimId}?done=${done}`;
				const save = async () => {
					const wordsSeen = wordsSeenOf(form.claimChange);
					const options = { submit, wordsSeen };
					const saved = await saveDraft(deskCommand(c), verdict.id, version, parsed.data, options);
					return page(submit && saved.submittedAt ? "submitted" : "draft-saved");
				};
				return await writeOnceAndRedirect(c, form, save, page(submit ? "submitted" : "draft-saved"));
			} catch (error) {
				const lost =
					error instanceof AppError &&
					error.status === 409 &&
					(error.code === "version-conflict" || error.code === "not-a-draft");
				// The claim was assigned to another checker meanwhile (its draft went with it).
				if (error instanceof AppError && error.status === 403) return handedOver(c, verdict.claimId, form);
				// The claim's words changed while the form was open: the form again, saying how.
				if (error instanceof AppError && error.code === "claim-words-changed")
					return verdictForm(
						c,
						verdict.claimId,
						{ ...form, _idem: formKey() },
						{ verdict, version, status: 409 },
					);
				const gone = error instanceof AppError && error.message === notFound("verdict").message;
				if (!lost && !gone) throw error;
				// A colleague's step came first: the form again, saying what they did; discarded, a new draft's form.
				const current = await getVerdict(c.var.db, verdict.id);
				if (!current) return discardedMeanwhile(c, verdict.id, form);
				return changedMeanwhile(c, current, { ...form, _idem: formKey() });
			}
		},
	)
	.post(
		"/verdicts/:id/discard",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id/discard", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "verdict:edit-draft");
			const id = c.req.param("id") ?? "";
			if (!isId(id)) throw notFound("verdict");
			const form = await formValues(c);
			if (form.confirm !== "1") {
				return discardRefused(c, id, { errors: { confirm: t(c.var.lang, "deskDiscardUnconfirmed") } }, 422);
			}
			// Read first for where the form goes, known before the write (routes/desk/context).
			const before = await getVerdict(c.var.db, id);
			const page = (claimId: string) => `/desk/claims/${claimId}?done=draft-discarded`;
			try {
				// A repeat of the form (the draft is gone by then) goes where the first one went.
				const discard = async () => {
					// A form without a version read discards nothing: 0 matches no draft (a 409).
					const discarded = await discardDraft(deskCommand(c), id, versionOf(form.version) ?? 0);
					return page(discarded.claimId);
				};
				return await writeOnceAndRedirect(c, form, discard, before ? page(before.claimId) : "/desk");
			} catch (error) {
				// A page shown before the claim, and its draft, changed hands: whose it is now.
				if (error instanceof AppError && error.status === 403) {
					const notice = await handedOverNotice(c, id, "discard");
					return discardRefused(c, id, { errors: {}, notice }, 403);
				}
				if (!(error instanceof AppError) || error.status !== 409) throw error;
				// Saved, submitted or returned since the page was shown: who did what, and how it
				// changed; a second click discarded the save unread (s35 r352).
				const now = await getVerdict(c.var.db, id);
				if (now?.state === "draft" && isStale(error, now, versionOf(form.version) ?? 0)) {
					const refusal = await stalePreview(c, now, form, "card", "discard");
					return discardRefused(c, id, { errors: {}, ...refusal }, 409);
				}
				return discardRefused(c, id, { errors: {}, notice: t(c.var.lang, "deskDiscardConflict") }, 409);
			}
		},
	)
	.get(
		"/verdicts/:id/preview",
		declareRoute({ method: "GET", path: "/desk/verdicts/:id/preview", access: { session: "editor" } }),
		async (c) => {
			allowed(c, "verdict:publish");
			const verdict = await verdictParam(c);
			if (verdict.state !== "draft") {
				throw new AppError(409, "This verdict is no longer a draft; draft a correction instead.");
			}
			return renderPreview(c, verdict);
		},
	)
	.post(
		"/verdicts/:id/publish",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id/publish", access: { session: "editor" } }),
		(c) =>
			editorialStep(c, "verdict:publish", "publish", (verdictId, version, form) =>
				// The form names the verdict in force when it was shown ("" for none) and the claim's
				// version it showed; older forms name neither.
				publishVerdict(
					deskCommand(c),
					verdictId,
					version,
					form.correctionNote ?? null,
					form.supersedes === undefined ? undefined : form.supersedes || null,
					form.claimVersion === undefined ? undefined : (versionOf(form.claimVersion) ?? 0),
				),
			),
	)
	.post(
		"/verdicts/:id/retract",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id/retract", access: { session: "editor" } }),
		(c) =>
			editorialStep(c, "verdict:retract", "retract", (verdictId, version, form) =>
				retractVerdict(deskCommand(c), verdictId, version, form.note ?? ""),
			),
	)
	.post(
		"/verdicts/:id/return",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id/return", access: { session: "editor" } }),
		(c) =>
			editorialStep(c, "verdict:return", "return", (verdictId, version, form) =>
				returnDraft(deskCommand(c), verdictId, version, form.returnNote ?? ""),
			),
	)
	.post(
		"/verdicts/:id/submit",
		declareRoute({ method: "POST", path: "/desk/verdicts/:id/submit", access: { session: "checker" } }),
		(c) =>
			editorialStep(c, "verdict:submit", "submit", (verdictId, version) =>
				submitDraft(deskCommand(c), verdictId, version),
			),
	);

/**
 * A save (or "Add another link") of a draft discarded while its form was open: nothing was
 * saved; the new-verdict form of its claim (found by the discard's audit entry) holds the
 * input, saying so and where the claim's open draft is if someone drafted anew. Its claim
 * merged meanwhile: the kept claim's form; removed: the text on a page of its own (410). A
 * 404 for an id that never named a discarded draft.
 */
async function discardedMeanwhile(c: DeskContext, verdictId: string, form: FormValues): Promise<Response> {
	const discarded = isId(verdictId) ? await discardedDraftClaim(c.var.db, verdictId) : undefined;
	if (!discarded) throw notFound("verdict");
	const values = { ...(form.moreEvidence ? withMoreEvidence(form) : form), _idem: formKey() };
	const { claimId } = discarded;
	// A removal redacts the discard's entry (it names no claim then): no form can hold the text.
	const fate = claimId ? await claimFate(c.var.db, claimId) : null;
	if (!claimId || (fate && !("mergedInto" in fate)))
		return textOfRemovedClaim(c, values, "deskDraftDiscardedClaimRemoved");
	const open = fate ? undefined : await openDraftOf(c.var.db, claimId);
	return verdictForm(c, claimId, values, {
		notice: t(c.var.lang, "deskDraftDiscardedMeanwhile"),
		lead: t(c.var.lang, "deskDraftDiscardedBefore"),
		...(open ? { openDraft: { draft: open, keptInput: true } } : {}),
		status: 409,
	});
}

/**
 * A verdict form's text sent after its claim was removed: no form can hold it (no claim is
 * left to save it to), so it is on a page of its own to copy, saying why (410). A claim
 * removed for naming the wrong person is often recorded again, and the research applies there.
 */
function textOfRemovedClaim(
	c: DeskContext,
	values: FormValues,
	why: "deskKeptTextClaimRemoved" | "deskDraftDiscardedClaimRemoved",
) {
	const text = verdictInputText(c.var.lang, values);
	const notice = t(c.var.lang, why);
	return page(c, <VerdictNotSavedPage chrome={chrome(c, "/desk")} notice={notice} text={text} />, 410);
}

/** The claim page again, its discard form saying why nothing was discarded. */
async function discardRefused(
	c: DeskContext,
	verdictId: string,
	why: { errors: Record<string, string>; notice?: string; stale?: StaleState },
	status: 403 | 409 | 422,
): Promise<Response> {
	const verdict = await getVerdict(c.var.db, verdictId);
	if (!verdict) throw notFound("verdict");
	return renderClaimPage(c, verdict.claimId, {
		state: { form: "discard", verdictId, values: {}, ...why },
		status,
	});
}

/**
 * Why a checker's submission or discard of a draft was refused (403): its claim, and the
 * draft with it, went to someone else after the page was shown. Names who writes it now, as
 * a give-back's refusal names the claim's holder; the refusal itself when no one is named.
 */
async function handedOverNotice(
	c: DeskContext,
	verdictId: string,
	step: "submit" | "discard",
): Promise<string> {
	const writer = await draftWriterOf(c.var.db, verdictId);
	const lang = c.var.lang;
	if (!writer?.name) return fieldMessage(lang, notTheWriter(step).message);
	const key = step === "submit" ? "deskSubmitHandedOver" : "deskDiscardHandedOver";
	return t(lang, key, { name: writer.name });
}

/**
 * A save of a draft its writer may no longer edit (an editor gave the claim, and so the
 * draft, to another checker while the form was open): nothing was saved; what they typed is
 * offered as a note on the claim for whoever writes the draft now, as the claim edit does.
 */
function handedOver(c: DeskContext, claimId: string, form: FormValues): Promise<Response> {
	return offeredAsNote(c, claimId, form, t(c.var.lang, "deskDraftHandedOver"), "deskDraftSuggestion");
}

/**
 * A new draft posted on a claim another checker (`holder`; null: no longer read) holds: theirs
 * to draft. Nothing was saved; the text is offered as a note on the claim for them, as a
 * hand-over's is (for the editors, when the holder has left).
 */
function heldByAnother(
	c: DeskContext,
	claimId: string,
	form: FormValues,
	holder: ClaimHolder | null,
	/** What came first (a merge, a discard meanwhile), said before. */
	before: string | null = null,
): Promise<Response> {
	const lang = c.var.lang;
	const notice = holder
		? t(lang, holder.departed ? "deskNewDraftHeldByDeparted" : "deskNewDraftHeldBy", { name: holder.name })
		: t(lang, "deskNewDraftRefused");
	return offeredAsNote(
		c,
		claimId,
		form,
		[before, notice].filter(Boolean).join(" "),
		"deskNewDraftSuggestion",
	);
}

/** A verdict form's text that could not be saved, on a page of its own as a note on its claim (403). */
async function offeredAsNote(
	c: DeskContext,
	claimId: string,
	form: FormValues,
	notice: string,
	intro: MessageKey,
): Promise<Response> {
	const session = signedIn(c);
	const claim = await getClaim(c.var.db, claimId);
	if (!claim) throw notFound("claim");
	const lang = c.var.lang;
	const text = [t(lang, intro), verdictInputText(lang, form)].join("\n");
	return page(
		c,
		<VerdictNotSavedPage
			chrome={chrome(c, `/desk/claims/${claim.id}`)}
			notice={notice}
			text={text}
			claim={{ ...claim, csrf: session.csrfToken, idem: formKey() }}
		/>,
		403,
	);
}

/**
 * Text typed for a step a colleague's step made moot, on a page of its own as a note on the
 * claim (409): on the claim kept when it was merged meanwhile; to copy when it was removed (410).
 */
async function textAsNote(
	c: DeskContext,
	claimId: string | null,
	kept: { text: string; notice: string; title: string },
): Promise<Response> {
	const session = signedIn(c);
	const fate = claimId ? await claimFate(c.var.db, claimId) : null;
	const keptId = fate && "mergedInto" in fate ? fate.mergedInto : claimId;
	const claim = keptId ? await getClaim(c.var.db, keptId) : undefined;
	const text = kept.text.trim();
	if (!claim) {
		const notice = t(c.var.lang, "deskKeptTextClaimRemoved");
		const props = { chrome: chrome(c, "/desk"), notice, text, title: kept.title };
		return page(c, <VerdictNotSavedPage {...props} />, 410);
	}
	return page(
		c,
		<VerdictNotSavedPage
			chrome={chrome(c, `/desk/claims/${claim.id}`)}
			notice={kept.notice}
			title={kept.title}
			text={text}
			claim={{ ...claim, csrf: session.csrfToken, idem: formKey() }}
		/>,
		409,
	);
}

/** The form's values asking for one more evidence row than it showed. */
function withMoreEvidence(form: FormValues): FormValues {
	const { moreEvidence: _more, ...values } = form;
	const shown = Number(values.evidenceRows ?? 3);
	return { ...values, evidenceRows: String((Number.isInteger(shown) ? shown : 3) + 1) };
}
