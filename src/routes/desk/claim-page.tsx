import { hasRole, mayDraftOnAnyClaim } from "../../auth/permissions";
import { parseEvidence } from "../../domain/evidence";
import { isId } from "../../domain/ids";
import { AppError, notFound } from "../../lib/errors";
import { publicOrigin } from "../../lib/public-origin";
import { publicClaim } from "../../lib/public-visibility";
import { house } from "../../lib/publisher";
import { semanticIndexOf } from "../../lib/semantic-index";
import { findMatches } from "../../store/claim-matches";
import { type ClaimDetail, claimHistory, getClaim } from "../../store/claims";
import { claimHolder, deskMembers, listNotes } from "../../store/collaboration";
import { draftWordsChanges, latestChange } from "../../store/draft-words";
import { claimFate } from "../../store/retired-claims";
import { snapshotStates } from "../../store/snapshots";
import { uploadsOfClaim } from "../../store/uploads";
import { deskPeople } from "../../store/users";
import {
	type ClaimHolder,
	draftBlockedBy,
	draftWriterDeparted,
	draftWriterIds,
	returnThread,
} from "../../store/verdicts";
import { ClaimPage, evidenceArchiveKey, type FormState } from "../../views/desk/claim-page";
import { type MessageKey, t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { chrome, type DeskContext, deskActor, formKey, intakeSignature, page, signedIn } from "./context";

const FLASH: Record<string, MessageKey> = {
	"claim-created": "deskFlashClaimCreated",
	"appearance-added": "deskFlashAppearanceAdded",
	"appearance-removed": "deskFlashAppearanceRemoved",
	"archive-requested": "deskFlashArchiveRequested",
	"evidence-archive-requested": "deskFlashEvidenceArchiveRequested",
	"draft-saved": "deskFlashDraftSaved",
	"draft-discarded": "deskFlashDraftDiscarded",
	published: "deskFlashPublished",
	retracted: "deskFlashRetracted",
	"claim-edited": "deskFlashClaimEdited",
	"speaker-saved": "deskFlashSpeakerSaved",
	"speaker-merged": "deskFlashSpeakerMerged",
	assigned: "deskFlashAssigned",
	"unassigned-already": "deskFlashUnassignedAlready",
	"note-added": "deskFlashNoteAdded",
	"topics-saved": "deskFlashTopicsSaved",
	"topic-renamed": "deskFlashTopicRenamed",
	returned: "deskFlashReturned",
	submitted: "deskFlashSubmitted",
	attached: "deskFlashAttached",
	"attachment-changed": "deskFlashAttachmentChanged",
	"claim-merged": "deskFlashClaimMerged",
	"claim-removed": "deskFlashClaimRemoved",
};

export function flashText(c: DeskContext): string | null {
	const key = FLASH[c.req.query("done") ?? ""];
	return key ? t(c.var.lang, key) : null;
}

export function claimIdParam(c: DeskContext): string {
	const id = c.req.param("id") ?? "";
	if (!isId(id)) throw notFound("claim");
	return id;
}

/** A claim merged into another leads to the claim kept; a removed one says so (410). */
async function retiredClaimPage(
	c: DeskContext,
	claimId: string,
	state?: FormState | null,
): Promise<Response> {
	const kept = await keptClaimOf(c, claimId, Boolean(state));
	if (state && CARRIED.has(state.form)) {
		const notice = [mergedMeanwhile(c, claimId), state.notice].filter(Boolean).join(" ");
		return renderClaimPage(c, kept, { state: { ...state, notice }, status: 409 });
	}
	return c.redirect(`/desk/claims/${kept}`, 302);
}

/**
 * The forms whose input a claim merged away hands on to the claim kept: what was typed there
 * (a note, topics, an appearance, an assignment) means the same on that claim. Never a merge,
 * a removal or a verdict's step: those were about the claim that left.
 */
const CARRIED = new Set<FormState["form"]>(["note", "tags", "assign", "appearance"]);

/**
 * Where a form for a claim that is gone goes: the claim it was merged into (its id), for the
 * caller to show that claim's form, with what was typed when `posted`; a 410 when it was
 * removed (saying nothing was saved, when `posted`); a 404 when the id never named a claim.
 */
export async function keptClaimOf(c: DeskContext, claimId: string, posted = true): Promise<string> {
	const fate = await claimFate(c.var.db, claimId);
	if (fate && "mergedInto" in fate) return fate.mergedInto;
	if (fate && posted) throw removedMeanwhile(c);
	if (fate) throw new AppError(410, "This claim was removed from the tracker.", { title: "Gone" });
	throw notFound("claim");
}

/** The notice over a form re-shown on the claim kept: nothing was saved, the input is there. */
export function mergedMeanwhile(c: DeskContext, claimId: string): string {
	return t(c.var.lang, "deskClaimMergedMeanwhile", { id: claimId });
}

/** A write to a claim removed meanwhile: 410, saying so and that nothing was saved. */
function removedMeanwhile(c: DeskContext): AppError {
	return new AppError(410, t(c.var.lang, "deskClaimRemovedMeanwhile"), { title: "Gone" });
}

/**
 * Whether an error says the claim's row is gone: a store's "No such claim.", or its word of
 * what became of it (store/retired-claims `missingClaim`: merged, 409, or removed, 410), which
 * the desk tells in its own way (`keptClaimOf`).
 */
export function isClaimNotFound(error: unknown): boolean {
	if (!(error instanceof AppError)) return false;
	if (error.code === "claim-merged" || error.code === "claim-removed") return true;
	return error.status === 404 && error.message === notFound("claim").message;
}

/** Where the history starts: before the entry `?history=` names (its "Older entries" link). */
function historyBefore(value: string | undefined): number | null {
	const id = Number(value);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * Who holds the claim and so drafts its verdict, when that keeps this desk member from
 * drafting on it (a checker on another checker's claim; editors draft on any): null otherwise.
 */
export async function draftHeldBy(c: DeskContext, claimId: string): Promise<ClaimHolder | null> {
	const actor = deskActor(c);
	return mayDraftOnAnyClaim(actor) ? null : draftBlockedBy(c.var.db, claimId, actor.userId);
}

/**
 * The evidence links the archive fetched (those of every verdict that is no draft), each
 * cited when its verdict was published, as the public page reads their copies.
 */
function evidenceCitations(claim: ClaimDetail) {
	return claim.verdicts.flatMap((verdict) =>
		verdict.state === "draft"
			? []
			: parseEvidence(verdict.evidence).map((link) => ({
					url: link.url,
					// As the public page reads it: no date, the newest copy.
					citedAt: verdict.publishedAt ?? "",
					key: evidenceArchiveKey(verdict.id, link.url),
				})),
	);
}

/** The desk's claim page, optionally re-showing one of its forms with errors. */
export async function renderClaimPage(
	c: DeskContext,
	claimId: string,
	options: { state?: FormState | null; status?: 200 | 403 | 409 | 413 | 422 | 503 } = {},
) {
	const session = signedIn(c);
	// Read before the claim: a change landing between is told again, never taken as shown.
	const claimChange = await latestChange(c.var.db, claimId);
	const claim = await getClaim(c.var.db, claimId);
	// A form re-shown for a claim gone meanwhile goes with its input to the claim kept.
	if (!claim) return retiredClaimPage(c, claimId, options.state);
	const openDraft = claim.verdicts.find((v) => v.state === "draft");
	const [
		history,
		people,
		assignee,
		members,
		notes,
		returns,
		attachments,
		archive,
		similar,
		draftWriters,
		wordsChanged,
	] = await Promise.all([
		claimHistory(c.var.db, claimId, historyBefore(c.req.query("history"))),
		deskPeople(c.var.db, [
			claim.createdBy,
			// An open draft's writer is its claim's assignee, or who held the claim last.
			claim.assigneeId,
			...claim.verdicts.flatMap((v) => [v.reviewerId, v.writerId, v.editorId]),
		]),
		claimHolder(c.var.db, claimId),
		hasRole(session.user.role, "editor") ? deskMembers(c.var.db) : Promise.resolve([]),
		listNotes(c.var.db, claimId),
		openDraft ? returnThread(c.var.db, openDraft.id) : Promise.resolve([]),
		uploadsOfClaim(c.var.db, claimId),
		snapshotStates(c.var.db, [
			...claim.appearances.map((a) => ({ url: a.source.url, citedAt: a.createdAt })),
			...evidenceCitations(claim),
		]),
		findMatches(c.var.db, semanticIndexOf(c.env), {
			text: claim.text,
			language: claim.language,
			limit: 5,
			reviewedOnly: false,
			excludeId: claim.id,
		}),
		// Four eyes: who wrote the open draft may not publish it (only read when that rule is on).
		openDraft && c.var.policy.secondEditor ? draftWriterIds(c.var.db, openDraft.id) : Promise.resolve([]),
		// The claim's words changed since the open draft was last saved: its card says how.
		openDraft ? draftWordsChanges(c.var.db, openDraft) : Promise.resolve([]),
	]);
	// "Draft a verdict" is not offered to a checker on a claim another checker holds (editors: no read).
	const heldBy = openDraft ? null : await draftHeldBy(c, claimId);
	// No "Return to the checker" to a writer who left: nobody would read the note.
	const writerDeparted =
		openDraft && hasRole(session.user.role, "editor")
			? (await draftWriterDeparted(c.var.db, openDraft.id)) !== null
			: false;
	return page(
		c,
		<ClaimPage
			chrome={chrome(c, `/desk/claims/${claim.id}`)}
			session={session}
			claim={claim}
			history={history.entries}
			olderHistory={history.older}
			names={people.names}
			departed={people.departed}
			keys={formKey}
			state={options.state ?? null}
			flash={flashText(c)}
			intake={await intakeOf(c, session.csrfToken)}
			policy={c.var.policy}
			draftWriters={draftWriters}
			draftWordsChanged={wordsChanged}
			claimChange={claimChange}
			origin={publicOrigin(c)}
			publicNow={publicClaim(c.env, claim) !== undefined}
			house={house(c.env, publicOrigin(c))}
			assignee={assignee}
			draftHeldBy={heldBy}
			draftWriterDeparted={writerDeparted}
			members={members}
			notes={notes}
			returns={returns}
			attachments={attachments}
			archive={archive}
			evidenceArchive={archive}
			similar={similar.matches}
		/>,
		options.status ?? 200,
	);
}

/**
 * The article this claim was just recorded from ("New from article"), to go back to its
 * candidates: only with this session's mark of the address (`intakeSignature`). Without
 * it, a link could put a genuine desk button on the page that reads a page of its choosing.
 */
async function intakeOf(
	c: DeskContext,
	csrfToken: string,
): Promise<{ url: string; language: string; skip: string } | null> {
	const url = c.req.query("intake")?.trim() ?? "";
	if (!/^https?:\/\//i.test(url) || url.length > 2048) return null;
	// The language the list was read in is signed with the address: it decides the list.
	const language = c.req.query("intakeLanguage") ?? "";
	if (c.req.query("intakeSig") !== (await intakeSignature(csrfToken, url, language))) return null;
	return { url, language, skip: (c.req.query("intakeSkip") ?? "").replace(/[^0-9a-z,]/g, "").slice(0, 1000) };
}

/** Field errors a store reported (422 with paths), or null for any other error. */
export function storeFieldErrors(error: unknown): FieldErrors | null {
	if (!(error instanceof AppError) || error.status !== 422 || !error.errors) return null;
	const errors: FieldErrors = {};
	for (const problem of error.errors) errors[problem.path] ??= problem.message;
	return errors;
}

export function versionOf(value: string | undefined): number | null {
	const n = Number(value);
	return Number.isInteger(n) && n >= 1 ? n : null;
}
