import type { SpeakerEdit } from "../schemas/records";
import { claimIdsOfSpeaker, mergeSpeakers as storeMerge, updateSpeaker } from "../store/speaker-edits";
import type { SpeakerWithAliases } from "../store/speakers";
import type { CommandContext } from "./context";

/**
 * Edits a speaker at the version last read (only the fields sent change); every claim of the
 * speaker shows the new name. `keepUnseen`: an API edit where unreviewed claims are hidden
 * keeps the spellings its public read left out (store/speaker-edits `withUnseen`).
 * An edit that changes nothing (the values just read, sent back) tells no subscriber and
 * purges nothing, as a claim's does.
 */
export async function editSpeaker(
	ctx: CommandContext,
	slug: string,
	version: number,
	input: SpeakerEdit,
	options: { keepUnseen?: boolean } = {},
): Promise<SpeakerWithAliases> {
	const { speaker, changed } = await updateSpeaker(ctx.db, ctx.actor, slug, version, input, options);
	if (!changed) return speaker;
	const claimIds = await claimIdsOfSpeaker(ctx.db, speaker.id);
	// `slug` was the speaker's (an old one is refused): a rename dropping the old name moved it.
	ctx.effects.emit({
		type: "speaker.updated",
		speakerId: speaker.id,
		claimIds,
		...(speaker.slug !== slug ? { renamedFrom: { slug } } : {}),
	});
	return speaker;
}

/** Merges one speaker into another: claims move, the old name becomes an alias, the old slug redirects. */
export async function mergeSpeaker(
	ctx: CommandContext,
	slug: string,
	intoSlug: string,
): Promise<SpeakerWithAliases> {
	const { from, into, movedClaims } = await storeMerge(ctx.db, ctx.actor, slug, intoSlug);
	ctx.effects.emit({
		type: "speaker.merged",
		speakerId: from.id,
		intoId: into.id,
		from: { slug: from.slug, name: from.name },
		claimIds: movedClaims,
	});
	return into;
}
