import type * as z from "zod";
import { mayDraftOnAnyClaim, mayEditAnyDraft, mayEditDraft, mayPublishDraft } from "../auth/permissions";
import type { Verdict } from "../db/schema";
import { AppError, conflict, notFound } from "../lib/errors";
import { validationError } from "../lib/validate";
import { optionalLongText } from "../schemas/common";
import { retractionNote, type VerdictInput } from "../schemas/records";
import { speakerIdsOfClaims } from "../store/claims";
import {
	claimOfAnotherChecker,
	createDraftVerdict,
	discardDraftVerdict,
	draftBlockedBy,
	draftWriterIds,
	getVerdict,
	getVerdictOfClaim,
	notTheWriter,
	publishVerdict as storePublish,
	retractVerdict as storeRetract,
	submitDraftVerdict,
	updateDraftVerdict,
	versionConflict,
} from "../store/verdicts";
import type { CommandContext } from "./context";

/**
 * The verdict workflow the desk and the JSON API share: the store writes each step in
 * one guarded batch; the editorial rules (evidence before publishing, a reason for a
 * retraction) and the events live here.
 */

/** A note checked as the API checks it, whoever sends it (the desk posts raw form values). */
function fieldValue<T>(schema: z.ZodType<T>, path: string, value: unknown): T {
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw validationError(parsed.error, path);
	return parsed.data;
}

function evidenceCount(verdict: Pick<Verdict, "evidence">): number {
	try {
		const value: unknown = JSON.parse(verdict.evidence);
		return Array.isArray(value) ? value.length : 0;
	} catch {
		return 0;
	}
}

/**
 * A new draft; a claim without a published verdict goes to "in review". A claim has one
 * open draft at a time: another is a 409 `draft-exists` naming it (`draftId`). A checker
 * drafts only on a claim assigned to them or to nobody (auth/permissions
 * `mayDraftOnAnyClaim`): another's is a 403 `claim-of-another-checker` naming its holder,
 * before anything else is said of the claim, and again when a hand-over lands first.
 */
export async function draftVerdict(
	ctx: CommandContext,
	claimId: string,
	input: VerdictInput,
	/**
	 * `id`: the draft's, made before the write (routes/api/created). `wordsSeen`: the claim's
	 * newest change row the desk's form showed, or the API's `wordsRead` (store/draft-words):
	 * words changed since are a 409.
	 */
	options: { submit?: boolean; id?: string; wordsSeen?: number } = {},
): Promise<Verdict> {
	const onlyOwnClaim = !mayDraftOnAnyClaim(ctx.actor);
	if (onlyOwnClaim) {
		const holder = await draftBlockedBy(ctx.db, claimId, ctx.actor.userId);
		if (holder) throw claimOfAnotherChecker(holder);
	}
	const verdict = await createDraftVerdict(ctx.db, ctx.actor, claimId, input, { ...options, onlyOwnClaim });
	const speakerIds = await speakerIdsOfClaims(ctx.db, [claimId]);
	ctx.effects.emit({ type: "verdict.drafted", claimId, verdictId: verdict.id, speakerIds });
	return verdict;
}

/**
 * A checker writes only the drafts they write (auth/permissions `mayEditDraft`): checked when
 * the command reads the draft, and again by a guard in the write's batch, so a hand-over
 * landing between the two refuses the write too (store/verdicts `guardWriter`).
 */
function onlyAsWriter(ctx: CommandContext): { writer?: string } {
	return mayEditAnyDraft(ctx.actor) ? {} : { writer: ctx.actor.userId ?? "" };
}

/**
 * Saves a draft at the version its editor read; an older version is a 409. A save keeps
 * the draft's review state; `submit` also submits a draft not yet submitted for review
 * (one submitted already keeps its place in the queue). `wordsSeen` (the desk's form, the
 * API's `wordsRead`): saved, the draft rates the claim's words as they are then, and words
 * changed since they were shown are a 409 `claim-words-changed` with nothing saved. Without
 * it, the draft keeps the words it was last saved on (store/verdicts `updateDraftVerdict`).
 */
export async function saveDraft(
	ctx: CommandContext,
	verdictId: string,
	expectedVersion: number,
	input: VerdictInput,
	options: { submit?: boolean; wordsSeen?: number } = {},
): Promise<Verdict> {
	const draft = await getVerdictOfClaim(ctx.db, verdictId);
	if (!draft) throw notFound("verdict");
	if (!mayEditDraft(ctx.actor, draft)) throw notTheWriter("edit");
	// Read at this version or refused by the save's guard: the state read is the state saved over.
	const submit = Boolean(options.submit) && draft.submittedAt === null;
	const verdict = await updateDraftVerdict(ctx.db, ctx.actor, verdictId, expectedVersion, input, {
		submit,
		...onlyAsWriter(ctx),
		...(options.wordsSeen === undefined ? {} : { wordsSeen: options.wordsSeen }),
	});
	ctx.effects.emit({ type: "verdict.saved", claimId: verdict.claimId, verdictId });
	return verdict;
}

/**
 * Submits a draft for review (its writer: a checker the drafts of their claims, and their
 * own of claims nobody holds; editors any), at the version read. Nothing public changes,
 * so no event: drafts send no webhook and purge no cache.
 */
export async function submitDraft(
	ctx: CommandContext,
	verdictId: string,
	expectedVersion: number,
): Promise<Verdict> {
	const draft = await getVerdictOfClaim(ctx.db, verdictId);
	if (!draft) throw notFound("verdict");
	if (draft.state === "draft" && !mayEditDraft(ctx.actor, draft)) throw notTheWriter("submit");
	return submitDraftVerdict(ctx.db, ctx.actor, verdictId, expectedVersion, onlyAsWriter(ctx));
}

/**
 * Publishes a draft with evidence; over a published verdict it is a correction with a note.
 * `supersedes`: the verdict in force the writer saw (null: none); another one now is a 409,
 * as is a correction note with none in force (sent or not).
 * `claimVersion`: the claim's version the editor saw; a claim changed since is a 409
 * `claim-changed` (the desk's forms always send it). A draft whose claim's words changed
 * after it was last saved is a 409 `claim-words-changed` until it is saved again on them.
 */
export async function publishVerdict(
	ctx: CommandContext,
	verdictId: string,
	expectedVersion: number,
	correctionNote: string | null,
	supersedes?: string | null,
	claimVersion?: number,
): Promise<Verdict> {
	const draft = await getVerdict(ctx.db, verdictId);
	if (!draft) throw notFound("verdict");
	if (draft.state === "draft" && evidenceCount(draft) === 0) {
		throw new AppError(422, "evidence: add at least one evidence link before publishing.", {
			code: "evidence-required",
			errors: [{ path: "evidence", message: "Add at least one evidence link before publishing." }],
		});
	}
	// The writers are read at this version, and the publication is bound to it: a save since
	// makes it a 409. A client naming a later version (an editor's own save, sent beside the
	// publication, would have passed the four-eyes check made before it) is refused here.
	if (draft.state === "draft" && draft.version !== expectedVersion)
		throw versionConflict(draft, expectedVersion, "draft");
	const writerIds =
		ctx.policy?.secondEditor && draft.state === "draft" ? await draftWriterIds(ctx.db, verdictId) : [];
	if (draft.state === "draft" && !mayPublishDraft(ctx.actor, { ...draft, writerIds }, ctx.policy)) {
		throw conflict(
			"A second editor publishes what you drafted or edited (this desk publishes with four eyes): ask another editor.",
			"second-editor-required",
		);
	}
	const note = fieldValue(optionalLongText, "correctionNote", correctionNote);
	const verdict = await storePublish(ctx.db, ctx.actor, verdictId, expectedVersion, note, {
		...(supersedes !== undefined ? { supersedes } : {}),
		...(claimVersion !== undefined ? { claimVersion } : {}),
	});
	ctx.effects.emit({
		type: "verdict.published",
		claimId: verdict.claimId,
		verdictId,
		correction: verdict.supersedesId !== null,
		speakerIds: await speakerIdsOfClaims(ctx.db, [verdict.claimId]),
	});
	return verdict;
}

/** Withdraws a published verdict with a public reason. */
export async function retractVerdict(
	ctx: CommandContext,
	verdictId: string,
	expectedVersion: number,
	note: string,
): Promise<Verdict> {
	const reason = fieldValue(retractionNote, "note", note);
	const verdict = await storeRetract(ctx.db, ctx.actor, verdictId, expectedVersion, reason);
	const speakerIds = await speakerIdsOfClaims(ctx.db, [verdict.claimId]);
	ctx.effects.emit({ type: "verdict.retracted", claimId: verdict.claimId, verdictId, speakerIds });
	return verdict;
}

/**
 * Deletes an open draft unpublished (a checker only one they write; editors any), at
 * `expectedVersion` when given. Anything but a draft is a 409 `not-a-draft`. The audit
 * row keeps the draft's content; the claim goes back to "unverified" when it was "in
 * review" only because of this draft.
 */
export async function discardDraft(
	ctx: CommandContext,
	verdictId: string,
	expectedVersion: number,
): Promise<Verdict> {
	const draft = await getVerdictOfClaim(ctx.db, verdictId);
	if (!draft) throw notFound("verdict");
	if (draft.state === "draft" && !mayEditDraft(ctx.actor, draft)) throw notTheWriter("discard");
	const { verdict, statusReset } = await discardDraftVerdict(
		ctx.db,
		ctx.actor,
		verdictId,
		expectedVersion,
		onlyAsWriter(ctx),
	);
	const speakerIds = statusReset ? await speakerIdsOfClaims(ctx.db, [verdict.claimId]) : [];
	ctx.effects.emit({
		type: "verdict.discarded",
		claimId: verdict.claimId,
		verdictId,
		statusReset,
		speakerIds,
	});
	return verdict;
}
