import type * as z from "zod";
import { draftWriterId, hasRole } from "../auth/permissions";
import type { ClaimNote, Verdict } from "../db/schema";
import { forbidden } from "../lib/errors";
import { validationError } from "../lib/validate";
import { noteInput, returnInput } from "../schemas/write-api";
import {
	addNote,
	assigneeIdOf,
	draftOfAnotherChecker,
	getTag,
	giveBackRefused,
	noActiveMember,
	renameTag,
	type SomeTopicNames,
	setAssignee,
} from "../store/collaboration";
import { getUserByEmail } from "../store/users";
import { openDraftOf, returnDraftVerdict } from "../store/verdicts";
import type { CommandContext } from "./context";

/**
 * The desk working together: who works on a claim, drafts sent back with a note, and the
 * private thread on a claim. None of it is public, so these commands emit no events.
 */

/**
 * Assigns a claim to a desk member by email, or unassigns it (null). Editors assign
 * anyone; a checker may only take an unassigned claim for themselves, and give back one
 * assigned to them. `changed` false: it was so already (nothing written). `was`: whom the
 * editor's page showed holding the claim (an email; null: nobody); the claim handed on since
 * is a 409 `assignee-changed` naming who holds it now, nothing assigned (a checker's take and
 * give-back carry their own guards). Undefined: the claim changes hands whoever holds it.
 */
export async function assignClaim(
	ctx: CommandContext,
	claimId: string,
	email: string | null,
	was?: string | null,
): Promise<{ changed: boolean }> {
	const role = ctx.actor.role;
	const editor = !role || hasRole(role, "editor");
	let assigneeId: string | null = null;
	if (email !== null) {
		const user = await getUserByEmail(ctx.db, email.trim().toLowerCase());
		// A member who left may still hold a claim (a published one): the desk's assignment form
		// shows them chosen, and sending it unchanged keeps the claim as it is, no 422.
		if (editor && user?.disabledAt && (await assigneeIdOf(ctx.db, claimId)) === user.id)
			return { changed: false };
		if (!user || user.disabledAt) throw noActiveMember();
		assigneeId = user.id;
	}
	// A checker gives back a claim they hold (it goes back to "Unassigned"); whose it is
	// otherwise is an editor's decision. Not with their draft open on it: the draft would stay
	// theirs (store/draft-writer) on a claim no colleague could take.
	if (!editor && assigneeId === null && ctx.actor.userId !== null) {
		const [holder, draft] = await Promise.all([assigneeIdOf(ctx.db, claimId), openDraftOf(ctx.db, claimId)]);
		if (holder === ctx.actor.userId && draft) throw giveBackRefused();
		return setAssignee(ctx.db, ctx.actor, claimId, null, {
			onlyIfUnassigned: false,
			onlyIfAssignedTo: ctx.actor.userId,
		});
	}
	if (!editor && (assigneeId === null || assigneeId !== ctx.actor.userId)) {
		throw forbidden("A checker may only take an unassigned claim for themselves; editors assign.");
	}
	// Taking a claim one holds already (a second click, a page loaded before) changes nothing
	// and is no conflict, whoever's draft is open on it.
	if (!editor && (await assigneeIdOf(ctx.db, claimId)) === assigneeId) return { changed: false };
	// The assignee may edit the claim's draft (auth/permissions): taking a claim must not
	// take over another checker's draft; handing it over is an editor's decision.
	const draft = editor ? undefined : await openDraftOf(ctx.db, claimId);
	if (draft && draftWriterId(draft) !== ctx.actor.userId) throw draftOfAnotherChecker();
	// Checked again by the write itself: a draft opened, or the member disabled, meanwhile.
	return setAssignee(ctx.db, ctx.actor, claimId, assigneeId, {
		onlyIfUnassigned: !editor,
		...(editor || assigneeId === null ? {} : { unlessDraftOfOtherThan: assigneeId }),
		...(editor && was !== undefined ? { was: await holderSeen(ctx, was) } : {}),
	});
}

/**
 * The account an editor's page showed holding the claim, by its email (null: nobody). An address
 * no account has held nothing: it stands for no one, so any holder now differs from it.
 */
async function holderSeen(ctx: CommandContext, was: string | null): Promise<string | null> {
	if (was === null || was.trim() === "") return null;
	const user = await getUserByEmail(ctx.db, was.trim().toLowerCase());
	return user?.id ?? `unknown:${was}`;
}

/** Sends a draft back to its checker with a note; publishing stays the editor's. */
export function returnDraft(
	ctx: CommandContext,
	verdictId: string,
	version: number,
	note: unknown,
): Promise<Verdict> {
	return returnDraftVerdict(
		ctx.db,
		ctx.actor,
		verdictId,
		version,
		checked(returnInput.shape.note, "note", note),
	);
}

/** `id`: the note's, made before the write (routes/api/created). */
export function noteOnClaim(
	ctx: CommandContext,
	claimId: string,
	text: unknown,
	id?: string,
): Promise<ClaimNote> {
	return addNote(ctx.db, ctx.actor, claimId, checked(noteInput.shape.text, "text", text), id);
}

/** A value checked as the API checks it, whoever sends it (the desk posts raw form values). */
function checked<T>(schema: z.ZodType<T>, path: string, value: unknown): T {
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw validationError(parsed.error, path);
	return parsed.data;
}

/**
 * A topic's display names per language; its slug (and every link) stays. `was`: the names
 * the caller last read (store/collaboration `renameTag`).
 */
export async function renameTopic(
	ctx: CommandContext,
	slug: string,
	names: SomeTopicNames,
	was: SomeTopicNames = {},
) {
	const { changed, claimIds, fields } = await renameTag(ctx.db, ctx.actor, slug, names, was);
	// Names as they were: nothing to purge.
	if (changed) ctx.effects.emit({ type: "tag.renamed", slug, claimIds, names: fields });
	const tag = await getTag(ctx.db, slug);
	if (!tag) throw new Error("topic vanished");
	return tag;
}
