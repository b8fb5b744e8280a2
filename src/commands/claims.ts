import type { Claim } from "../db/schema";
import { canonicalizeUrl } from "../domain/canonical-url";
import { uploadKey } from "../domain/snapshots";
import { constraintFailure } from "../lib/d1-errors";
import type { ClaimEditInput, ClaimInput, SourceInput } from "../schemas/records";
import {
	type AddedAppearance,
	type AppearanceRemoval,
	addAppearanceWithSource,
	removeAppearance as storeRemoveAppearance,
} from "../store/appearances";
import { type FieldChange, editClaim as storeEditClaim } from "../store/claim-edits";
import { type ClaimMerge, mergeClaims } from "../store/claim-merges";
import { type ClaimRemoval, removeClaim as storeRemoveClaim } from "../store/claim-removals";
import { getClaim, type RecordClaimResult, recordClaim as storeClaim } from "../store/claims";
import { planClaimTags, setClaimTags, topicTakenMeanwhile } from "../store/collaboration";
import { claimsCitingUrl, setArchivedUrlIfEmpty } from "../store/snapshots";
import type { CommandContext } from "./context";

/** Records a claim with its speaker and first source; a duplicate is reported, not stored. */
export async function recordClaim(
	ctx: CommandContext,
	input: ClaimInput,
	/**
	 * `newSpeaker`: the speaker's name means a new speaker, whoever else carries it (the desk's
	 * choice). `id`: the new claim's, made before the write (routes/api/created).
	 */
	options: { newSpeaker?: boolean; id?: string } = {},
): Promise<RecordClaimResult> {
	// Its topics are written in the claim's own batch: all of it or nothing.
	const result = await storeClaim(ctx.db, ctx.actor, input, options);
	if (result.kind === "created") {
		const speakerIds = result.claim.speakerId ? [result.claim.speakerId] : [];
		ctx.effects.emit({ type: "claim.created", claimId: result.claim.id, speakerIds });
		// The answer shows the source as it is now.
		if (await keepArchivedUrlGiven(ctx, input.source))
			return { ...result, claim: (await getClaim(ctx.db, result.claim.id)) ?? result.claim };
	}
	return result;
}

/**
 * The archive URL a write gave for a source recorded already (the URL matched a stored
 * source, whose fields the write does not change): kept when the source has none, as Save
 * Page Now's capture is (audited `source.archived`; every answer showing the source is
 * purged). One it has already stays, whoever set it: a capture is not replaced by a later
 * write's (README, "Evidence archive"). A new source was written with it.
 */
async function keepArchivedUrlGiven(
	ctx: CommandContext,
	source: AppearanceInput["source"],
): Promise<boolean> {
	if ("id" in source || !source.archivedUrl) return false;
	const url = canonicalizeUrl(source.url).url;
	if (!(await setArchivedUrlIfEmpty(ctx.db, ctx.actor, url, source.archivedUrl, { datesClaims: true })))
		return false;
	ctx.effects.emit({
		type: "evidence.archived",
		url,
		claimIds: await claimsCitingUrl(ctx.db, url),
		dated: true,
	});
	return true;
}

export interface AppearanceInput {
	source: { id: string } | SourceInput;
	quote: string | null;
	anchor: string | null;
}

/**
 * A further source a claim appears in. On a published claim it shows publicly at once
 * (audited, and listed in the claim's activity): see docs/decisions.md. It dates a public
 * change of the claim, so a reviewed claim's feed entry is updated too.
 */
export async function addAppearance(
	ctx: CommandContext,
	claimId: string,
	input: AppearanceInput,
	/** The appearance's id, made before the write (routes/api/created). */
	id?: string,
): Promise<AddedAppearance> {
	const appearance = await addAppearanceWithSource(ctx.db, ctx.actor, claimId, input, id);
	await keepArchivedUrlGiven(ctx, input.source);
	ctx.effects.emit({
		type: "appearance.added",
		claimId,
		appearanceId: appearance.id,
		isPublic: appearance.claimReviewed,
	});
	return appearance;
}

/**
 * Removes an appearance of a claim at the version last read (store/appearances). It is a
 * change of the claim: `claim.updated` with the field `appearance`, public (the feed too)
 * when the claim has a public verdict, so purges and webhooks follow as for an edit.
 */
export async function removeAppearance(
	ctx: CommandContext,
	claimId: string,
	appearanceId: string,
	input: { version: number; note: string | null },
): Promise<AppearanceRemoval> {
	const result = await storeRemoveAppearance(
		ctx.db,
		ctx.actor,
		claimId,
		appearanceId,
		input.version,
		input.note,
	);
	ctx.effects.emit({
		type: "claim.updated",
		claimId,
		fields: ["appearance"],
		isPublic: result.isPublic,
		speakerIds: result.claim.speakerId ? [result.claim.speakerId] : [],
	});
	return result;
}

/**
 * Edits a claim at the version last read. A reviewed claim's edit is public: it needs a
 * note and is listed in the claim's `changes`.
 */
export async function editClaim(
	ctx: CommandContext,
	claimId: string,
	input: ClaimEditInput,
	attempt = 1,
): Promise<{ claim: Claim; changes: FieldChange[] }> {
	const { version, note, tags, ...edit } = input;
	// Topics are not claim text (no public change entry) but part of the same edit: with other
	// changes they go into the edit's batch, alone they move the version themselves.
	const topics = tags === undefined ? null : await planClaimTags(ctx.db, ctx.actor, claimId, tags);
	let result: Awaited<ReturnType<typeof storeEditClaim>>;
	try {
		result = await storeEditClaim(ctx.db, ctx.actor, claimId, version, edit, note, topics?.statements ?? []);
	} catch (error) {
		// A new topic's slug taken meanwhile by a topic of another name, or the speaker named
		// merged away or removed (a foreign key): nothing was stored; read and plan again.
		const raced = topicTakenMeanwhile(error) || constraintFailure(error)?.kind === "foreign-key";
		if (attempt === 1 && raced) return editClaim(ctx, claimId, input, attempt + 1);
		throw error;
	}
	if (topics?.changed && result.changes.length === 0)
		await setClaimTags(ctx.db, ctx.actor, claimId, tags ?? [], version);
	const fields: string[] = result.changes.map((c) => c.field);
	if (topics?.changed) fields.push("tags");
	if (fields.length > 0) {
		ctx.effects.emit({
			type: "claim.updated",
			claimId,
			fields,
			isPublic: result.isPublic,
			speakerIds: [result.previousSpeakerId, result.claim.speakerId].filter(
				(id, index, all): id is string => id !== null && all.indexOf(id) === index,
			),
		});
	}
	return { claim: result.claim, changes: result.changes };
}

/**
 * Merges a duplicate into the claim kept (store/claim-merges): editors only. Partners hear
 * `claim.merged` about the kept claim, with the merged one's id and address.
 */
export async function mergeClaim(
	ctx: CommandContext,
	claimId: string,
	input: { into: string; version: number; intoVersion?: number | undefined; note: string },
): Promise<ClaimMerge> {
	const result = await mergeClaims(ctx.db, ctx.actor, claimId, input);
	ctx.effects.emit({
		type: "claim.merged",
		claimId: result.kept.id,
		mergedFromId: claimId,
		isPublic: result.keptReviewed,
		// The merged claim's speaker loses a claim; the kept claim's speaker lists what it listed.
		speakerIds: result.merged.speakerId ? [result.merged.speakerId] : [],
	});
	return result;
}

/**
 * Removes a claim recorded by mistake (store/claim-removals): editors only. Its
 * attachments' files (exactly those whose rows the batch deleted, one uploaded meanwhile
 * too) are deleted from R2 once the rows are gone (the audit row keeps their ids and
 * hashes); a failed delete leaves unreachable bytes, logged, never a dangling row.
 */
export async function removeClaim(
	ctx: CommandContext,
	bucket: R2Bucket,
	claimId: string,
	input: { version: number; reason: string },
): Promise<ClaimRemoval> {
	const result = await storeRemoveClaim(ctx.db, ctx.actor, claimId, input);
	ctx.effects.emit({
		type: "claim.removed",
		claimId,
		removedAt: result.removedAt,
		mergedIds: result.mergedIds,
		speakerIds: result.speakerId ? [result.speakerId] : [],
	});
	if (result.uploadIds.length > 0) {
		try {
			await bucket.delete(result.uploadIds.map(uploadKey));
		} catch (error) {
			console.error(
				JSON.stringify({
					event: "removed-claim-files-kept",
					claimId,
					uploads: result.uploadIds,
					error: String(error),
				}),
			);
		}
	}
	return result;
}
