import { and, eq, sql } from "drizzle-orm";
import { mayEditReviewedClaim } from "../auth/permissions";
import { type Claim, type ClaimEditField, claimChanges, claims, speakers, verdicts } from "../db/schema";
import { claimFingerprint } from "../domain/fingerprint";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, forbidden } from "../lib/errors";
import type { ClaimInput } from "../schemas/records";
import { type Actor, audit, guardOneRow, nowIso, runBatch, type Statement } from "./batch";
import { resolveSpeaker } from "./claims";
import { entryChange, QUOTED_FIELDS, quoteChange } from "./public-changes";
import { missingClaim } from "./retired-claims";
import { termsFor, verdictSearchInputs } from "./search-terms";

export interface ClaimEdit {
	text?: string;
	claimedAt?: string | null;
	language?: string;
	context?: string | null;
	speaker?: ClaimInput["speaker"];
}

export interface FieldChange {
	field: ClaimEditField;
	from: string | null;
	to: string | null;
}

/** The fields an edit changes, with their values before and after (speakers by name). */
async function changesOf(db: Db, claim: Claim, edit: ClaimEdit, speakerId: string | null | undefined) {
	const changes: FieldChange[] = [];
	const simple = ["text", "claimedAt", "language", "context"] as const;
	for (const field of simple) {
		const next = edit[field];
		if (next !== undefined && next !== claim[field]) changes.push({ field, from: claim[field], to: next });
	}
	if (speakerId !== undefined && speakerId !== claim.speakerId) {
		const name = async (id: string | null) =>
			id ? ((await db.query.speakers.findFirst({ where: eq(speakers.id, id) }))?.name ?? id) : null;
		// A new speaker is only planned (inserted in the batch): its name comes from the edit.
		const planned = edit.speaker && !("id" in edit.speaker) ? edit.speaker.name : null;
		const to =
			speakerId === null
				? null
				: (await name(speakerId)) === speakerId && planned
					? planned
					: await name(speakerId);
		changes.push({ field: "speaker", from: await name(claim.speakerId), to });
	}
	return changes;
}

/**
 * Edits a claim at the version its editor read. On a claim with a public verdict
 * (published, superseded or retracted) the change is public and needs a note; every
 * changed field becomes a `claim_changes` row beside the audit entry. An outdated
 * version is a 409 and nothing is written; a change such a claim refuses to the actor's
 * role is a 403 whatever the version read.
 */
export async function editClaim(
	db: Db,
	actor: Actor,
	claimId: string,
	expectedVersion: number,
	edit: ClaimEdit,
	note: string | null,
	/** Writes that belong to the same edit (its topics), run in its batch when it has changes. */
	extra: Statement[] = [],
): Promise<{ claim: Claim; changes: FieldChange[]; isPublic: boolean; previousSpeakerId: string | null }> {
	const claim = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
	if (!claim) throw await missingClaim(db, claimId);
	const reviewed = await db.query.verdicts.findFirst({
		where: and(eq(verdicts.claimId, claimId), sql`${verdicts.state} <> 'draft'`),
		columns: { id: true },
	});
	const isPublic = Boolean(reviewed);
	const speaker = edit.speaker === undefined ? undefined : await resolveSpeaker(db, actor, edit.speaker);
	const changes = await changesOf(db, claim, edit, speaker?.id);
	// The role before the version and the note: a checker whose form was opened before a verdict
	// was published may not make this change at any version nor with any note, so a 409 (which
	// offers their changes again) or a 422 asking for a public note would ask for what cannot help.
	if (changes.length > 0 && isPublic && !mayEditReviewedClaim(actor)) {
		throw forbidden(
			"Only an editor changes a claim with a public verdict: the change is shown publicly, like a correction. Leave a note for an editor on the claim.",
		);
	}
	if (claim.version !== expectedVersion) throw staleVersion(claim);
	const previousSpeakerId = claim.speakerId;
	if (changes.length === 0) return { claim, changes, isPublic, previousSpeakerId };
	if (isPublic && !note) {
		throw new AppError(422, "note: say why a reviewed claim is changed; the change is shown publicly.", {
			errors: [{ path: "note", message: "Say why the claim is changed: the note is shown publicly." }],
		});
	}
	const textChanged = changes.some((c) => c.field === "text") && edit.text !== undefined;
	const fingerprint = textChanged && edit.text !== undefined ? await claimFingerprint(edit.text) : null;
	await refuseDuplicate(db, claim, fingerprint ?? claim.fingerprint, speaker ? speaker.id : claim.speakerId);
	// New text, context or language: new search terms, with the current verdict's words. The
	// version guard covers that read too (publishing or retracting moves the claim's version).
	const searchTerms = changes.some(
		(c) => c.field === "text" || c.field === "context" || c.field === "language",
	)
		? termsFor(
				{
					text: edit.text ?? claim.text,
					context: edit.context === undefined ? claim.context : edit.context,
					language: edit.language ?? claim.language,
				},
				await verdictSearchInputs(db, claim.currentVerdictId),
			)
		: null;
	const statements = editStatements(db, actor, claim, {
		edit,
		speaker,
		changes,
		note,
		isPublic,
		fingerprint,
		searchTerms,
	});
	try {
		await runBatch(db, [...statements, ...extra]);
	} catch (error) {
		const failure = constraintFailure(error);
		if (failure?.kind === "guard") {
			const now = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
			// Merged or removed since the read: as if it had been gone then.
			if (!now) throw await missingClaim(db, claimId);
			throw staleVersion(now);
		}
		throw error;
	}
	const saved = await db.query.claims.findFirst({ where: eq(claims.id, claimId) });
	if (!saved) throw new Error("claim vanished after edit");
	return { claim: saved, changes, isPublic, previousSpeakerId };
}

/**
 * An edit may not make a claim another one: the same words (fingerprint) of the same
 * speaker, which `recordClaim` refuses to record twice. Two such claims would split one
 * claim's appearances and verdicts, and duplicate checks would find either.
 */
async function refuseDuplicate(db: Db, claim: Claim, fingerprint: string, speakerId: string | null) {
	if (fingerprint === claim.fingerprint && speakerId === claim.speakerId) return;
	const other = await db.query.claims.findFirst({
		where: sql`${claims.fingerprint} = ${fingerprint} AND ${claims.speakerId} IS ${speakerId} AND ${claims.id} <> ${claim.id}`,
		columns: { id: true },
	});
	if (other) {
		throw conflict(
			`The claim would then be the same as claim ${other.id} (the same words of the same speaker): add an appearance to that one instead.`,
			"duplicate-claim",
			{ claimId: other.id },
		);
	}
}

function editStatements(
	db: Db,
	actor: Actor,
	claim: Claim,
	plan: {
		edit: ClaimEdit;
		speaker: { id: string | null; statements: Statement[] } | undefined;
		changes: FieldChange[];
		note: string | null;
		isPublic: boolean;
		/** Of the new text, when it changes (duplicates are found by fingerprint). */
		fingerprint: string | null;
		/** When text, context or language change. */
		searchTerms: string | null;
	},
): Statement[] {
	const { edit, speaker, changes } = plan;
	// One instant for the claim's last change and its change rows (as appearances' removal).
	const at = nowIso();
	const set: Partial<typeof claims.$inferInsert> = {};
	for (const change of changes) {
		if (change.field === "speaker") set.speakerId = speaker?.id ?? null;
		else if (change.field === "text") set.text = edit.text;
		else if (change.field === "claimedAt") set.claimedAt = edit.claimedAt ?? null;
		else if (change.field === "language") set.language = edit.language;
		else set.context = edit.context ?? null;
	}
	return [
		...(speaker?.statements ?? []),
		db
			.update(claims)
			.set({
				...set,
				...(plan.fingerprint ? { fingerprint: plan.fingerprint } : {}),
				...(plan.searchTerms !== null ? { searchTerms: plan.searchTerms } : {}),
				version: sql`${claims.version} + 1`,
				// Its words, language or speaker, or a change note: what its standing feed entry
				// shows; the first three its older entries' titles show too (`quoteChange`).
				...(changes.some((change) => QUOTED_FIELDS.has(change.field)) ? quoteChange(at) : entryChange(at)),
			})
			.where(and(eq(claims.id, claim.id), eq(claims.version, claim.version))),
		guardOneRow(db),
		...changes.map((change) =>
			db.insert(claimChanges).values({
				claimId: claim.id,
				field: change.field,
				fromValue: change.from,
				// The text replaced, as an import finds its claim by it (store/earlier-texts).
				fromFingerprint: change.field === "text" ? claim.fingerprint : null,
				toValue: change.to,
				note: plan.note,
				isPublic: plan.isPublic,
				actorId: actor.userId,
				at,
			}),
		),
		// `isPublic`: the desk's "recent public changes" lists the edits the public sees.
		audit(db, actor, "edit", "claim", claim.id, { changes, note: plan.note, isPublic: plan.isPublic }),
	];
}

function staleVersion(claim: Claim) {
	return conflict("Someone else changed this claim in the meantime.", "version-conflict", {
		current: { version: claim.version, updatedAt: claim.updatedAt },
	});
}
