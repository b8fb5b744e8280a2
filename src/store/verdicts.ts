import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Verdict } from "../db/schema";
import { auditLog, batchGuards, claims, users, verdictReturns, verdicts } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, forbidden, notFound } from "../lib/errors";
import type { VerdictInput } from "../schemas/records";
import { type Actor, audit, guardOneRow, nowIso, runBatch, type Statement } from "./batch";
import { departed } from "./departed";
import {
	claimWordsChanged,
	draftSeenChange,
	guardWordsSince,
	latestChange,
	latestChangeSql,
	seenChangeSql,
	wordsChangedSince,
} from "./draft-words";
import { draftWriterSql, holderColumns } from "./draft-writer";
import { openWorkOnceDraftedSql, releaseForNewDraft, releaseIfAssigneeDisabled } from "./open-work";
import { missingClaim } from "./retired-claims";
import { claimSearchInputs, sameSearchInputs, termsFor } from "./search-terms";

export async function getVerdict(db: Db, id: string): Promise<Verdict | undefined> {
	return db.query.verdicts.findFirst({ where: eq(verdicts.id, id) });
}

/** A verdict with its claim's assignee, who may edit it while it is a draft (auth/permissions). */
export type VerdictOfClaim = Verdict & { claimAssigneeId: string | null };

/** The verdict, with its claim's assignee: for deciding who may edit or discard a draft. */
export async function getVerdictOfClaim(db: Db, id: string): Promise<VerdictOfClaim | undefined> {
	const [row] = await db
		.select({ verdict: verdicts, claimAssigneeId: claims.assigneeId })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(eq(verdicts.id, id))
		.limit(1);
	return row ? { ...row.verdict, claimAssigneeId: row.claimAssigneeId } : undefined;
}

/**
 * The claim of a draft discarded (its row is gone), from the discard's audit entry: null once
 * that claim was removed (its entries are redacted then); undefined when `id` names no
 * discarded draft. For a form of the draft still open somewhere (routes/desk/verdicts).
 */
export async function discardedDraftClaim(
	db: Db,
	id: string,
): Promise<{ claimId: string | null } | undefined> {
	const [row] = await db
		.select({ claimId: sql<string | null>`${auditLog.changes} ->> '$.claimId'` })
		.from(auditLog)
		.where(
			and(eq(auditLog.entity, "verdict"), eq(auditLog.entityId, id), eq(auditLog.action, "discard-draft")),
		)
		.limit(1);
	return row ? { claimId: typeof row.claimId === "string" ? row.claimId : null } : undefined;
}

/** The claim's open draft, if any (there is at most one: `verdicts_one_draft_unique`), with the claim's assignee. */
/**
 * Everyone who wrote a draft: its drafter and whoever saved it since, from the audit log
 * (the draft row keeps only its drafter), with whoever minted a token it was saved with for
 * someone else (`token_minted_by`). Four eyes (auth/permissions `mayPublishDraft`) keeps
 * them all from publishing it.
 */
export async function draftWriterIds(db: Db, verdictId: string): Promise<string[]> {
	const rows = await db
		.selectDistinct({ actorId: auditLog.actorId, mintedBy: auditLog.tokenMintedBy })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.entity, "verdict"),
				eq(auditLog.entityId, verdictId),
				inArray(auditLog.action, ["create-draft", "update-draft"]),
			),
		);
	return [...new Set(rows.flatMap((row) => [row.actorId, row.mintedBy].filter((id) => id !== null)))];
}

export async function openDraftOf(db: Db, claimId: string): Promise<VerdictOfClaim | undefined> {
	const [row] = await db
		.select({ verdict: verdicts, claimAssigneeId: claims.assigneeId })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(and(eq(verdicts.claimId, claimId), eq(verdicts.state, "draft")))
		.limit(1);
	return row ? { ...row.verdict, claimAssigneeId: row.claimAssigneeId } : undefined;
}

/**
 * A claim has one open draft at a time: a second one is a 409 `draft-exists` naming the
 * open draft (`draftId`, `claimId`), so its drafter edits or discards it instead.
 */
function draftExists(open: Pick<Verdict, "id" | "claimId">) {
	return conflict("This claim has an open draft already: edit it or discard it first.", "draft-exists", {
		draftId: open.id,
		claimId: open.claimId,
	});
}

/** Whom a claim is assigned to, as a refusal names them; `departed`: their account is disabled. */
export interface ClaimHolder {
	name: string;
	email: string;
	departed: boolean;
}

/**
 * Who keeps the checker `userId` from drafting on a claim: its assignee, when that is someone
 * else, whose the draft would be (auth/permissions `mayEditDraft`). A departed assignee
 * (account disabled) keeps nobody from a claim a draft makes open work again: the draft's
 * batch sends it back to "Unassigned" (open-work `releaseIfAssigneeDisabled`), and the draft
 * is its drafter's. Null when nobody does (the claim theirs, nobody's, or gone: its own error).
 */
export async function draftBlockedBy(
	db: Db,
	claimId: string,
	userId: string | null,
): Promise<ClaimHolder | null> {
	const [row] = await db
		.select(holderColumns)
		.from(claims)
		.innerJoin(users, eq(users.id, claims.assigneeId))
		.where(
			and(
				eq(claims.id, claimId),
				sql`${claims.assigneeId} IS NOT ${userId}`,
				sql`NOT (${users.disabledAt} IS NOT NULL AND ${openWorkOnceDraftedSql})`,
			),
		)
		.limit(1);
	return row ?? null;
}

/**
 * The 403 of a checker drafting on a claim another checker holds, naming the holder
 * (`assignee`, null when they could not be read again). One who left (a disabled account's
 * published claim, which no release sends back to "Unassigned") holds it until an editor
 * assigns it on: no note to them would be read, so the refusal says to ask an editor.
 */
export function claimOfAnotherChecker(holder: ClaimHolder | null): AppError {
	const assignee = holder ? { name: holder.name, email: holder.email } : null;
	const detail = holder?.departed
		? `This claim is assigned to ${holder.name}, whose account is disabled: an editor assigns it to someone else before a checker drafts its verdict.`
		: `This claim is assigned to ${holder?.name ?? "another checker"}: a checker drafts verdicts only on claims assigned to them or to nobody.`;
	return new AppError(403, detail, { code: "claim-of-another-checker", extra: { assignee } });
}

/**
 * Drafts a verdict; a claim without a published verdict goes to `in-review`. The partial
 * unique index on open drafts decides between two drafters at once: the loser's batch
 * fails whole and gets the winner's draft as a 409. `onlyOwnClaim` (a checker drafting):
 * the batch writes nothing unless the claim is assigned to the drafter or to nobody when it
 * lands, checked in SQL after a departed assignee's release, so a hand-over between the
 * caller's read and this write is refused too (`claimOfAnotherChecker`). The draft is written
 * on the claim's words as they are when the batch lands (`claim_change_seen`); `wordsSeen`
 * (a desk form, an API client's `wordsRead`: the claim's newest change row it showed) refuses it, 409
 * `claim-words-changed`, when the words it rates changed after that (store/draft-words).
 */
export async function createDraftVerdict(
	db: Db,
	actor: Actor,
	claimId: string,
	input: VerdictInput,
	/** `id`: the draft's, made by the caller before the write (an Idempotency-Key's answer names it). */
	options: { submit?: boolean; onlyOwnClaim?: boolean; id?: string; wordsSeen?: number } = {},
	attempt = 1,
): Promise<Verdict> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { id: true, language: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	const open = await openDraftOf(db, claimId);
	if (open) throw draftExists(open);
	await refuseChangedWords(db, claimId, options.wordsSeen);
	const id = options.id ?? newId();
	const row = {
		id,
		claimId,
		rating: input.rating,
		headline: input.headline,
		summary: input.summary,
		body: input.body,
		evidence: JSON.stringify(input.evidence),
		language: input.language ?? claim.language,
		reviewerId: actor.userId,
		state: "draft" as const,
	};
	const submittedAt = options.submit ? nowIso() : null;
	try {
		await runBatch(db, [
			db.insert(verdicts).values({ ...row, submittedAt, claimChangeSeen: latestChangeSql(claimId) }),
			...(options.wordsSeen === undefined ? [] : [guardWordsSince(db, claimId, options.wordsSeen)]),
			db
				.update(claims)
				.set({ status: "in-review", updatedAt: nowIso() })
				.where(and(eq(claims.id, claimId), eq(claims.status, "unverified"))),
			// A checker drafts only where the claim is theirs or nobody's (`draftBlockedBy`): a
			// departed holder's claim is released for them only when the draft makes it open work.
			...(options.onlyOwnClaim
				? releaseIfAssigneeDisabled(db, actor, claimId, id)
				: releaseForNewDraft(db, actor, claimId, id)),
			...(options.onlyOwnClaim ? [guardOwnClaim(db, actor, claimId)] : []),
			audit(db, actor, "create-draft", "verdict", id, { ...row, evidence: input.evidence }),
			...(submittedAt ? [audit(db, actor, "submit", "verdict", id, { submittedAt })] : []),
		]);
	} catch (error) {
		const failure = constraintFailure(error);
		// Merged or removed since the read: as if it had been gone then.
		if (failure?.kind === "foreign-key") throw await missingClaim(db, claimId);
		if (failure?.kind === "guard") {
			// The words changed as the form was sent: said so before anything else.
			await refuseChangedWords(db, claimId, options.wordsSeen);
			// Handed to another checker meanwhile: named as they hold it now. Given back again
			// since (nobody holds it now), the draft may be written after all: tried once more.
			const holder = await draftBlockedBy(db, claimId, actor.userId);
			if (holder || attempt >= 2) throw claimOfAnotherChecker(holder);
			return createDraftVerdict(db, actor, claimId, input, options, attempt + 1);
		}
		if (failure?.kind !== "unique" || !/verdicts\.claim_id/.test(failure.detail)) throw error;
		const winner = await openDraftOf(db, claimId);
		if (winner) throw draftExists(winner);
		// The draft that won was published or discarded since: this one may be the open draft now.
		if (attempt < 2) return createDraftVerdict(db, actor, claimId, input, options, attempt + 1);
		throw error;
	}
	return mustGet(db, id);
}

/**
 * The 409 `claim-words-changed` of a save from a form (or an API client) that showed the
 * claim's words as of change row `wordsSeen`, when those changed since; nothing for a caller
 * naming none.
 */
async function refuseChangedWords(db: Db, claimId: string, wordsSeen: number | undefined): Promise<void> {
	if (wordsSeen === undefined) return;
	const now = await latestChange(db, claimId);
	const changes = await wordsChangedSince(db, claimId, wordsSeen);
	if (changes.length > 0) throw claimWordsChanged(changes, "save", now);
}

/** Aborts the batch unless the claim is assigned to the actor or to nobody (`createDraftVerdict`). */
function guardOwnClaim(db: Db, actor: Actor, claimId: string) {
	return db.insert(batchGuards).values({
		ok: sql`EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.id} = ${claimId} AND (${claims.assigneeId} IS NULL OR ${claims.assigneeId} = ${actor.userId}))`,
	});
}

/**
 * Saves a draft at the version the editor saw; an outdated version is a 409. A save keeps
 * the draft's review state (submitted stays in the queue, returned stays "changes
 * requested"); `submit` also submits it for review in the same batch (the desk's "Save
 * and submit for review"), which the caller asks only of a draft not submitted yet.
 * `writer` (a checker saving): nothing is written unless they write the draft when the batch
 * lands (`guardWriter`). `wordsSeen` (a desk form, an API client's `wordsRead`: the claim's
 * newest change row it showed): the save records the claim's words it is made on
 * (`claim_change_seen`), and the draft rates the claim as it reads then; a change of the rated
 * words since is a 409 `claim-words-changed` and nothing is saved, as the writer never read
 * them. Without it (an autosave, a sync), nobody said which words were read: the draft keeps
 * those it was saved on, and a draft marked stays marked (docs/decisions.md).
 */
export async function updateDraftVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	input: VerdictInput,
	options: { submit?: boolean; writer?: string; wordsSeen?: number } = {},
): Promise<Verdict> {
	const changes = {
		rating: input.rating,
		headline: input.headline,
		summary: input.summary,
		body: input.body,
		evidence: JSON.stringify(input.evidence),
		// Undefined: not written, the draft keeps its language.
		language: input.language,
	};
	const at = nowIso();
	const writer = writerCheck(options.writer, "edit");
	const { wordsSeen } = options;
	// A colleague's save first: its 409 comes back with the words changed too (routes/desk/verdicts).
	const read = wordsSeen === undefined ? undefined : await getVerdict(db, id);
	const claimId = read && read.state === "draft" && read.version === expectedVersion ? read.claimId : null;
	if (claimId !== null) await refuseChangedWords(db, claimId, wordsSeen);
	try {
		await guarded(
			db,
			id,
			expectedVersion,
			"draft",
			[
				...guardWriter(db, id, writer),
				...(claimId !== null && wordsSeen !== undefined ? [guardWordsSince(db, claimId, wordsSeen)] : []),
				db
					.update(verdicts)
					.set({
						...changes,
						...(options.submit ? { submittedAt: at, changesRequestedAt: null } : {}),
						// Naming no words read, the save keeps those the draft was saved on.
						claimChangeSeen:
							wordsSeen === undefined ? seenChangeSql : latestChangeSql(sql`${verdicts.claimId}`),
						version: sql`${verdicts.version} + 1`,
						updatedAt: at,
					})
					.where(
						and(eq(verdicts.id, id), eq(verdicts.state, "draft"), eq(verdicts.version, expectedVersion)),
					),
				guardOneRow(db),
				audit(db, actor, "update-draft", "verdict", id, { ...changes, evidence: input.evidence }),
				...(options.submit ? [audit(db, actor, "submit", "verdict", id, { submittedAt: at })] : []),
			],
			writer,
		);
	} catch (error) {
		// The words changed as the form was sent (the guard tripped): said so, not as a colleague's save.
		if (claimId !== null && isConflict(error) && (await stillAt(db, id, expectedVersion, "draft")))
			await refuseChangedWords(db, claimId, wordsSeen);
		throw error;
	}
	return mustGet(db, id);
}

/**
 * Its writer submits a draft for review, at the version they saw (409 when outdated): it
 * enters the editors' review queue, waiting from now, and is no longer "changes requested".
 * A draft submitted already stays as it is (no write): submitting is idempotent. `writer`
 * (a checker submitting): nothing is written unless they write the draft then (`guardWriter`).
 */
export async function submitDraftVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	options: { writer?: string } = {},
): Promise<Verdict> {
	const draft = await getVerdict(db, id);
	if (!draft) throw notFound("verdict");
	if (submittedAsRead(draft, expectedVersion)) return draft;
	if (draft.state !== "draft" || draft.version !== expectedVersion) {
		throw versionConflict(draft, expectedVersion, "draft");
	}
	const at = nowIso();
	const writer = writerCheck(options.writer, "submit");
	try {
		await guarded(
			db,
			id,
			expectedVersion,
			"draft",
			[
				...guardWriter(db, id, writer),
				db
					.update(verdicts)
					.set({
						submittedAt: at,
						changesRequestedAt: null,
						version: sql`${verdicts.version} + 1`,
						updatedAt: at,
					})
					.where(
						and(
							eq(verdicts.id, id),
							eq(verdicts.state, "draft"),
							eq(verdicts.version, expectedVersion),
							isNull(verdicts.submittedAt),
						),
					),
				guardOneRow(db),
				audit(db, actor, "submit", "verdict", id, { submittedAt: at }),
			],
			writer,
		);
	} catch (error) {
		// The same submission sent twice at once (a double click, two tabs): the one that lost
		// finds the draft submitted at the version it read, and answers it as it is.
		const now = isConflict(error) ? await getVerdict(db, id) : undefined;
		if (now && submittedAsRead(now, expectedVersion)) return now;
		throw error;
	}
	return mustGet(db, id);
}

/**
 * A draft submitted already, as read at `expectedVersion`: submitted when it was read, or
 * submitted at that version and not saved since (the submission, one version up, is its last
 * write: `updatedAt` is its time). Submitting it again changes nothing. A save since is not
 * this: the version read is outdated, a 409 as for any write.
 */
function submittedAsRead(draft: Verdict, expectedVersion: number): boolean {
	if (draft.state !== "draft" || draft.submittedAt === null) return false;
	if (draft.version === expectedVersion) return true;
	return draft.version === expectedVersion + 1 && draft.updatedAt === draft.submittedAt;
}

/**
 * An editor sends a draft back with a note: it stays a draft, marked "changes requested",
 * and leaves the review queue until its writer submits it again. Not to a writer whose
 * account is disabled (a 409 `writer-departed`, checked by a guard in the batch): nobody
 * would read the note or submit the draft again.
 */
export async function returnDraftVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	note: string,
): Promise<Verdict> {
	const at = nowIso();
	const statements = [
		db
			.update(verdicts)
			.set({
				changesRequestedAt: at,
				submittedAt: null,
				version: sql`${verdicts.version} + 1`,
				updatedAt: at,
			})
			.where(and(eq(verdicts.id, id), eq(verdicts.state, "draft"), eq(verdicts.version, expectedVersion))),
		guardOneRow(db),
		guardWriterActive(db, id),
		db.insert(verdictReturns).values({ id: newId(), verdictId: id, note, actorId: actor.userId }),
		audit(db, actor, "return", "verdict", id, { note }),
	];
	try {
		await guarded(db, id, expectedVersion, "draft", statements);
	} catch (error) {
		const departed = await draftWriterDeparted(db, id);
		if (departed) throw writerDeparted(departed);
		throw error;
	}
	return mustGet(db, id);
}

/** Aborts the batch when the draft's writer (`draftWriterSql`) is a disabled account. */
function guardWriterActive(db: Db, id: string) {
	return db.insert(batchGuards).values({
		ok: sql`NOT EXISTS (SELECT 1 FROM ${verdicts} INNER JOIN ${claims} ON ${claims.id} = ${verdicts.claimId} INNER JOIN ${users} ON ${users.id} = ${draftWriterSql} WHERE ${verdicts.id} = ${id} AND ${users.disabledAt} IS NOT NULL)`,
	});
}

/**
 * The writer of the open draft `id` (`draftWriterSql`) when their account is disabled: a
 * claim released with their draft open stays theirs to write (store/draft-writer
 * `keepLastHolder`) until an editor assigns it, so nobody is there to return it to. Null
 * otherwise (an active writer, none, or no open draft).
 */
export async function draftWriterDeparted(
	db: Db,
	id: string,
): Promise<{ name: string; email: string } | null> {
	const [row] = await db
		.select({ name: users.name, email: users.email })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.innerJoin(users, sql`${users.id} = ${draftWriterSql}`)
		.where(and(eq(verdicts.id, id), eq(verdicts.state, "draft"), sql`${users.disabledAt} IS NOT NULL`))
		.limit(1);
	return row ?? null;
}

/** The 409 of a return to a writer who left: the editor assigns the claim on or edits the draft. */
function writerDeparted(writer: { name: string; email: string }): AppError {
	return conflict(
		"This draft's writer has left the desk (the account is disabled): nobody would read the note. Assign the claim to someone who will write it (the draft goes with it), or edit the draft yourself.",
		"writer-departed",
		{ writer },
	);
}

/** The return notes of a draft, oldest first, with who wrote them. */
export async function returnThread(db: Db, verdictId: string) {
	return db
		.select({
			id: verdictReturns.id,
			note: verdictReturns.note,
			at: verdictReturns.createdAt,
			by: users.name,
			// Their account disabled: the desk says so beside the name.
			byDeparted: departed(users.disabledAt),
		})
		.from(verdictReturns)
		.leftJoin(users, eq(users.id, verdictReturns.actorId))
		.where(eq(verdictReturns.verdictId, verdictId))
		.orderBy(asc(verdictReturns.createdAt), sql`${verdictReturns}.rowid`);
}

/**
 * While a claim is retracted, its retraction's feed entry stands for it and every public
 * change of the claim it shows (an edit, a speaker's rename: `changed_at`) moves that
 * entry's `updated` (domain/atom-feed `entryUpdated`). A publication ends that: the
 * statement, run before the claim's own update in the publication's batch, keeps the time
 * the entry had then in the verdict's `updated_at` (the claim's `changed_at`, if later than
 * the retraction), so the entry's `updated` does not fall back to the retraction. Not the
 * claim's `updated_at`: a change the entry does not show (a topic) would move it then.
 * Matches no row unless the claim is retracted now (its `reviewed_at` is that retraction's
 * time).
 */
export function keepWithdrawnEntryTime(db: Db, claimId: string) {
	const claim = (column: typeof claims.changedAt | typeof claims.reviewedAt) =>
		sql`(SELECT ${column} FROM ${claims} WHERE ${claims.id} = ${claimId} AND ${claims.status} = 'retracted')`;
	return db
		.update(verdicts)
		.set({ updatedAt: sql`max(${verdicts.updatedAt}, coalesce(${claim(claims.changedAt)}, ''))` })
		.where(
			and(
				eq(verdicts.claimId, claimId),
				eq(verdicts.state, "retracted"),
				sql`${verdicts.retractedAt} = ${claim(claims.reviewedAt)}`,
			),
		);
}

/**
 * Publishes a draft. If the claim already has a published verdict, this is a
 * correction: the old one becomes `superseded` (still readable) and a note is required.
 * A note with none in force is a 409 `current-verdict-changed` (nothing published), whether
 * `seen.supersedes` is given or not: the writer corrects a verdict no longer there.
 * `seen.supersedes`: the verdict in force the writer saw (null: none). `seen.claimVersion`:
 * the claim's version the editor read; a claim changed since (its words above all) is a 409
 * `claim-changed`, checked in the claim's own update, so nothing is published on words
 * the editor never saw.
 */
export async function publishVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	correctionNote: string | null,
	seen: { supersedes?: string | null; claimVersion?: number } = {},
	attempt = 1,
): Promise<Verdict> {
	const { supersedes, claimVersion } = seen;
	const draft = await getVerdict(db, id);
	if (!draft) throw notFound("verdict");
	// Already published by someone else (or saved since): a 409, not a demand for a
	// correction note, which would read its own publication as the verdict to correct.
	if (draft.state !== "draft" || draft.version !== expectedVersion) {
		throw versionConflict(draft, expectedVersion, "draft");
	}
	// The verdict in force before the claim's version: a retraction or a publication moves the
	// claim's version too, and is to be reported as what it is, not as changed words.
	const noted = Boolean(correctionNote?.trim());
	const current = await inForceAsSeen(db, draft.claimId, supersedes, noted);
	if (claimVersion !== undefined) await claimStillAt(db, draft.claimId, claimVersion);
	// The words the draft rates: changed since it was last saved, nobody checked it against them.
	const wordsSeen = await draftWordsStand(db, draft);
	if (current && !noted) {
		throw new AppError(422, "correctionNote: a correction needs a note that says what changed and why.", {
			errors: [
				{ path: "correctionNote", message: "A correction needs a note that says what changed and why." },
			],
		});
	}
	const claim = await claimSearchInputs(db, draft.claimId);
	if (!claim) throw notFound("claim");
	const at = nowIso();
	const statements = [];
	if (current) {
		statements.push(
			db
				.update(verdicts)
				.set({ state: "superseded", updatedAt: at, version: sql`${verdicts.version} + 1` })
				.where(and(eq(verdicts.id, current.id), eq(verdicts.state, "published"))),
			guardOneRow(db),
			audit(db, actor, "supersede", "verdict", current.id, { supersededBy: id }),
		);
	} else {
		statements.push(keepWithdrawnEntryTime(db, draft.claimId));
	}
	statements.push(
		db
			.update(verdicts)
			.set({
				state: "published",
				publishedAt: at,
				editorId: actor.userId,
				supersedesId: current?.id ?? null,
				correctionNote: current ? (correctionNote?.trim() ?? null) : null,
				updatedAt: at,
				version: sql`${verdicts.version} + 1`,
			})
			.where(and(eq(verdicts.id, id), eq(verdicts.state, "draft"), eq(verdicts.version, expectedVersion))),
		guardOneRow(db),
		db
			.update(claims)
			.set({
				status: draft.rating,
				currentVerdictId: id,
				reviewedAt: at,
				// The new verdict's headline and summary replace the old one's in the search terms.
				searchTerms: termsFor(claim, draft),
				updatedAt: at,
				version: sql`${claims.version} + 1`,
			})
			.where(
				and(
					eq(claims.id, draft.claimId),
					sameSearchInputs(claim),
					...(claimVersion !== undefined ? [eq(claims.version, claimVersion)] : []),
				),
			),
		guardOneRow(db),
		guardWordsSince(db, draft.claimId, wordsSeen),
		audit(db, actor, current ? "publish-correction" : "publish", "verdict", id, {
			rating: draft.rating,
			supersedes: current?.id ?? null,
			correctionNote: current ? correctionNote : null,
		}),
	);
	try {
		await guarded(db, id, expectedVersion, "draft", statements);
	} catch (error) {
		if (!isConflict(error) || !(await stillAt(db, id, expectedVersion, "draft"))) throw error;
		// The claim changed since it was read (the verdict did not). An editor who named the
		// claim's version saw other words: refused. A caller who named none (an API client)
		// publishes on the claim as it is, its search terms computed anew, once.
		await inForceAsSeen(db, draft.claimId, supersedes, noted);
		if (claimVersion !== undefined) await claimStillAt(db, draft.claimId, claimVersion);
		await draftWordsStand(db, draft);
		if (claimVersion === undefined && attempt < 2)
			return publishVerdict(db, actor, id, expectedVersion, correctionNote, seen, attempt + 1);
		throw error;
	}
	return mustGet(db, id);
}

/**
 * The claim's published verdict, or a 409 `current-verdict-changed` when the writer saw
 * another one in force (or none): their note was about that one, and a correction note typed
 * against a verdict retracted meanwhile must not be dropped silently. A note (`noted`) says
 * the writer believes one is in force even when they name none (`supersedes` is optional):
 * with none, publishing anew would drop the note and put a rating back over the retraction.
 */
export async function inForceAsSeen(
	db: Db,
	claimId: string,
	supersedes: string | null | undefined,
	noted: boolean,
) {
	const current = await db.query.verdicts.findFirst({
		where: and(eq(verdicts.claimId, claimId), eq(verdicts.state, "published")),
	});
	const seenOther = supersedes !== undefined && (current?.id ?? null) !== supersedes;
	if (seenOther || (noted && !current)) {
		throw conflict(
			current
				? "Another verdict was published meanwhile: nothing was published. Read the claim again: this draft now corrects that one."
				: "The verdict this would correct is not in force (retracted meanwhile, or never published): nothing was published. Read the claim again: no verdict is in force now.",
			"current-verdict-changed",
		);
	}
	return current;
}

/**
 * The change row the draft was last saved after (store/draft-words `seenChangeSql`), unless
 * the claim's rated words changed since: then a 409 `claim-words-changed` listing the changes.
 * Not saved again on them, the draft rates words nobody checked it against.
 */
async function draftWordsStand(db: Db, draft: Verdict): Promise<number> {
	const mark = (await draftSeenChange(db, draft.id)) ?? 0;
	const now = await latestChange(db, draft.claimId);
	const changes = await wordsChangedSince(db, draft.claimId, mark);
	if (changes.length > 0) throw claimWordsChanged(changes, "publish", now);
	return mark;
}

/** 409 `claim-changed` (with the claim's version now) unless the claim is at this version. */
async function claimStillAt(db: Db, claimId: string, claimVersion: number): Promise<void> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { version: true },
	});
	if (!claim) throw notFound("claim");
	if (claim.version !== claimVersion) {
		throw conflict(
			"The claim was changed after you read it: nothing was published. Read it again and publish if the verdict still fits it.",
			"claim-changed",
			{ claimVersion: claim.version },
		);
	}
}

const isConflict = (error: unknown): boolean => error instanceof AppError && error.status === 409;

/** The verdict is still in this state at this version: a failed guard was about its claim. */
async function stillAt(db: Db, id: string, version: number, state: Verdict["state"]): Promise<boolean> {
	const now = await getVerdict(db, id);
	return now?.state === state && now.version === version;
}

/** Retracts a published verdict with a public note; the claim's status becomes `retracted`. */
export async function retractVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	note: string,
	attempt = 1,
): Promise<Verdict> {
	const verdict = await getVerdict(db, id);
	if (!verdict) throw notFound("verdict");
	const claim = await claimSearchInputs(db, verdict.claimId);
	if (!claim) throw notFound("claim");
	const at = nowIso();
	const statements = [
		db
			.update(verdicts)
			.set({
				state: "retracted",
				retractionNote: note.trim(),
				retractedAt: at,
				updatedAt: at,
				version: sql`${verdicts.version} + 1`,
			})
			.where(
				and(eq(verdicts.id, id), eq(verdicts.state, "published"), eq(verdicts.version, expectedVersion)),
			),
		guardOneRow(db),
		db
			.update(claims)
			.set({
				// Withdrawn is a state of its own until a new verdict is published.
				status: "retracted",
				currentVerdictId: null,
				// The retraction is the claim's latest review: "reviewed since" filters and sorts see it.
				reviewedAt: at,
				// The withdrawn headline and summary leave the search terms.
				searchTerms: termsFor(claim, null),
				updatedAt: at,
				version: sql`${claims.version} + 1`,
			})
			.where(and(eq(claims.id, verdict.claimId), eq(claims.currentVerdictId, id), sameSearchInputs(claim))),
		guardOneRow(db),
		...releaseIfAssigneeDisabled(db, actor, verdict.claimId),
		audit(db, actor, "retract", "verdict", id, { note }),
	];
	try {
		await guarded(db, id, expectedVersion, "published", statements);
	} catch (error) {
		if (attempt < 2 && isConflict(error) && (await stillAt(db, id, expectedVersion, "published")))
			return retractVerdict(db, actor, id, expectedVersion, note, attempt + 1);
		throw error;
	}
	return mustGet(db, id);
}

/**
 * Deletes an open draft (it was never public), at `expectedVersion` when given. Its whole
 * content goes into the audit row ("discard-draft"), so nothing is lost. When it was the
 * claim's last draft and the claim is "in review" (no published verdict), the claim goes
 * back to "unverified"; a retracted claim stays retracted. `statusReset` says whether it did.
 * `writer` (a checker discarding): nothing is deleted unless they write the draft then
 * (`guardWriter`).
 */
export async function discardDraftVerdict(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number | null = null,
	options: { writer?: string } = {},
): Promise<{ verdict: Verdict; statusReset: boolean }> {
	const draft = await getVerdict(db, id);
	if (!draft) throw notFound("verdict");
	if (draft.state !== "draft") {
		throw conflict(
			`This verdict is ${draft.state}, not a draft: only drafts can be discarded.`,
			"not-a-draft",
			{ current: { version: draft.version, state: draft.state, updatedAt: draft.updatedAt } },
		);
	}
	if (expectedVersion !== null && draft.version !== expectedVersion) {
		throw versionConflict(draft, expectedVersion, "draft");
	}
	const lastDraft = sql`NOT EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${draft.claimId} AND ${verdicts.state} = 'draft')`;
	const writer = writerCheck(options.writer, "discard");
	const guards = guardWriter(db, id, writer);
	const results = await guarded(
		db,
		id,
		expectedVersion ?? draft.version,
		"draft",
		[
			...guards,
			db
				.delete(verdicts)
				.where(
					and(
						eq(verdicts.id, id),
						eq(verdicts.state, "draft"),
						expectedVersion === null ? undefined : eq(verdicts.version, expectedVersion),
					),
				),
			guardOneRow(db),
			db
				.update(claims)
				.set({ status: "unverified", updatedAt: nowIso() })
				.where(and(eq(claims.id, draft.claimId), eq(claims.status, "in-review"), lastDraft)),
			audit(db, actor, "discard-draft", "verdict", id, {
				claimId: draft.claimId,
				rating: draft.rating,
				headline: draft.headline,
				summary: draft.summary,
				body: draft.body,
				evidence: parseJsonArray(draft.evidence),
				language: draft.language,
				reviewerId: draft.reviewerId,
				version: draft.version,
				createdAt: draft.createdAt,
				updatedAt: draft.updatedAt,
			}),
		],
		writer,
	);
	return { verdict: draft, statusReset: changedRows(results[guards.length + 2]) > 0 };
}

function parseJsonArray(text: string): unknown[] {
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value : [];
	} catch {
		return [];
	}
}

/** Rows a statement of a D1 batch changed (its `meta.changes`). */
function changedRows(result: unknown): number {
	const meta = (result as { meta?: { changes?: unknown } } | undefined)?.meta;
	return typeof meta?.changes === "number" ? meta.changes : 0;
}

/**
 * Runs a batch whose guards assert the verdict is still in `state` at `version`.
 * When a guard trips, nothing was written; the re-read tells 404 from 409, and from the 403
 * of a checker's write (`writer`) to a draft someone else writes now: handed over meanwhile,
 * a conflict page offering to save again would be refused the same way.
 */
async function guarded(
	db: Db,
	id: string,
	expectedVersion: number,
	state: Verdict["state"],
	statements: Parameters<typeof runBatch>[1],
	writer?: WriterCheck,
) {
	try {
		return await runBatch(db, statements);
	} catch (error) {
		const failure = constraintFailure(error);
		if (failure?.kind !== "guard" && failure?.kind !== "unique") throw error;
		const now = await getVerdict(db, id);
		if (!now) throw notFound("verdict");
		if (writer && now.state === "draft" && !(await writesDraft(db, id, writer.userId)))
			throw notTheWriter(writer.step);
		throw versionConflict(now, expectedVersion, state);
	}
}

/** A checker's step on a draft, which they may take only on a draft they write. */
export type DraftStep = "edit" | "submit" | "discard";
interface WriterCheck {
	userId: string;
	step: DraftStep;
}

const writerCheck = (userId: string | undefined, step: DraftStep): WriterCheck | undefined =>
	userId === undefined ? undefined : { userId, step };

/**
 * The 403 of a checker's step on a draft they do not write (auth/permissions `mayEditDraft`),
 * which the desk answers with the hand-over's page: the claim changed hands since they read it.
 */
export function notTheWriter(step: DraftStep): AppError {
	if (step === "submit")
		return forbidden(
			"A checker submits only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.",
		);
	if (step === "discard")
		return forbidden(
			"A checker discards only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.",
		);
	return forbidden(
		"A checker edits only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.",
	);
}

/**
 * Aborts the batch unless the checker writes the draft when it lands (store/draft-writer): a
 * hand-over between the command's check and this write (like `guardOwnClaim`'s of a new
 * draft) takes the draft, and the write, to the new holder. Run first, before the draft changes.
 */
function guardWriter(db: Db, id: string, writer: WriterCheck | undefined): Statement[] {
	if (!writer) return [];
	return [db.insert(batchGuards).values({ ok: writesDraftSql(id, writer.userId) })];
}

const writesDraftSql = (id: string, userId: string) =>
	sql`EXISTS (SELECT 1 FROM ${verdicts} INNER JOIN ${claims} ON ${claims.id} = ${verdicts.claimId} WHERE ${verdicts.id} = ${id} AND ${draftWriterSql} = ${userId})`;

/** Who writes a draft now (`draftWriterSql`), by name: for saying whose it became (undefined: gone). */
export async function draftWriterOf(db: Db, id: string): Promise<{ name: string | null } | undefined> {
	const [row] = await db
		.select({
			name: sql<string | null>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${draftWriterSql})`,
		})
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(eq(verdicts.id, id))
		.limit(1);
	return row;
}

async function writesDraft(db: Db, id: string, userId: string): Promise<boolean> {
	const row = await db.get<{ ok: number }>(sql`SELECT ${writesDraftSql(id, userId)} AS ok`);
	return row?.ok === 1;
}

/**
 * A verdict no longer in the state the step needs is `not-a-draft` (`not-published` for a
 * retraction), whatever its version: a client that re-reads and retries on a
 * `version-conflict` would retry that forever. Only the right state at another version
 * is a `version-conflict`, which a re-read and a retry resolve.
 */
export function versionConflict(now: Verdict, expectedVersion: number, state: Verdict["state"]) {
	const current = { current: { version: now.version, state: now.state, updatedAt: now.updatedAt } };
	if (now.state !== state) {
		return conflict(
			`This verdict is ${now.state}, not ${state}.`,
			state === "draft" ? "not-a-draft" : `not-${state}`,
			current,
		);
	}
	return conflict(
		now.version !== expectedVersion
			? "Someone else saved this verdict in the meantime."
			: // The verdict is as read: a guard on its claim tripped (a claim edited meanwhile).
				"This verdict's claim changed in the meantime.",
		"version-conflict",
		current,
	);
}

async function mustGet(db: Db, id: string): Promise<Verdict> {
	const verdict = await getVerdict(db, id);
	if (!verdict) throw new Error("verdict vanished after write");
	return verdict;
}
