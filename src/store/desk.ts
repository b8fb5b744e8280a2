import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { auditLog, claims, retiredClaims, speakers, users, verdicts } from "../db/schema";
import type { Db } from "../factory";
import { departed } from "./departed";
import { claimChangedSinceSavedSql } from "./draft-words";
import { draftWriterSql } from "./draft-writer";
import { openWorkSql } from "./open-work";

/** The desk's "my drafts": open drafts that are a user's (`draftsOfUser`), newest first, with their claims. */
export async function draftsOf(db: Db, userId: string, limit = 50) {
	return db
		.select({
			verdictId: verdicts.id,
			headline: verdicts.headline,
			rating: verdicts.rating,
			updatedAt: verdicts.updatedAt,
			changesRequestedAt: verdicts.changesRequestedAt,
			submittedAt: verdicts.submittedAt,
			claimId: claims.id,
			claimText: claims.text,
			// Its words are in the claim's language: the lists mark them with it.
			claimLanguage: claims.language,
			speakerName: speakers.name,
			// Its claim's words changed since it was last saved: to be saved on them again.
			claimChanged: claimChangedSinceSavedSql,
		})
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.leftJoin(speakers, eq(speakers.id, claims.speakerId))
		.where(draftsOfUser(userId))
		.orderBy(desc(verdicts.updatedAt), desc(verdicts.id))
		.limit(limit);
}

/**
 * Theirs: the drafts they write now (store/draft-writer `draftWriterSql`): on a claim they
 * hold, or held by nobody since they held it (or drafted it). A claim handed to someone else
 * takes its draft to the new holder's list, editors' drafts too.
 */
const draftsOfUser = (userId: string) => and(eq(verdicts.state, "draft"), sql`${draftWriterSql} = ${userId}`);

/** How many open drafts are a user's (`draftsOf` lists the newest of them). */
export async function draftCountOf(db: Db, userId: string): Promise<number> {
	const row = await db
		.select({ n: sql<number>`count(*)`.mapWith(Number) })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(draftsOfUser(userId))
		.get();
	return row?.n ?? 0;
}

/** Who writes a claim's open draft (`draftWriterSql`): null, a process's draft. */
export interface DraftWriter {
	id: string | null;
	name: string | null;
	/** Their account is disabled (they left): the list says so beside the name. */
	departed: boolean;
}

/**
 * The open drafts of these claims, by claim, with who writes each: on the desk's
 * "Unassigned", a claim whose draft someone writes is theirs to take, and an editor's to
 * assign to anyone else (taking it would take their draft: 409 `draft-of-another-checker`).
 */
export async function openDraftWriters(db: Db, claimIds: string[]): Promise<Map<string, DraftWriter>> {
	if (claimIds.length === 0) return new Map();
	const rows = await db
		.select({ claimId: verdicts.claimId, id: draftWriterSql, name: writerName, departed: writerDeparted })
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.where(and(eq(verdicts.state, "draft"), inArray(verdicts.claimId, claimIds)));
	return new Map(rows.map(({ claimId, ...writer }) => [claimId, writer]));
}

/** Submitted for review: in the editors' review queue. */
const submitted = () => and(eq(verdicts.state, "draft"), isNotNull(verdicts.submittedAt));
/** Open drafts not submitted: being written, or returned with changes requested. */
const unsubmitted = () => and(eq(verdicts.state, "draft"), isNull(verdicts.submittedAt));

/** Who writes a draft now (store/draft-writer `draftWriterSql`), by name: every list of drafts names them. */
export const writerName = sql<
	string | null
>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${draftWriterSql})`;

/**
 * Whether that writer's account is disabled (false for none): a draft stays its departed
 * writer's until an editor assigns the claim on, and every list naming them says they left,
 * as the claim page does.
 */
export const writerDeparted =
	sql<boolean>`coalesce((SELECT ${departed(users.disabledAt)} FROM ${users} WHERE ${users.id} = ${draftWriterSql}), 0)`.mapWith(
		Boolean,
	);

/**
 * The columns both lists of drafts show, with the claim, its speaker and the name of whoever
 * writes the draft now (`writerName`), as "My drafts" and the dashboard's lists read it.
 */
function draftRows(db: Db) {
	return db
		.select({
			verdictId: verdicts.id,
			headline: verdicts.headline,
			rating: verdicts.rating,
			createdAt: verdicts.createdAt,
			updatedAt: verdicts.updatedAt,
			submittedAt: verdicts.submittedAt,
			changesRequestedAt: verdicts.changesRequestedAt,
			claimId: claims.id,
			claimText: claims.text,
			// Its words are in the claim's language: the lists mark them with it.
			claimLanguage: claims.language,
			claimStatus: claims.status,
			speakerName: speakers.name,
			writerName,
			writerDeparted,
			correction: sql<boolean>`${claims.currentVerdictId} IS NOT NULL`.mapWith(Boolean),
			// Its claim's words changed since it was last saved: not to be published as it is.
			claimChanged: claimChangedSinceSavedSql,
		})
		.from(verdicts)
		.innerJoin(claims, eq(claims.id, verdicts.claimId))
		.leftJoin(speakers, eq(speakers.id, claims.speakerId));
}

/**
 * The editors' review queue: drafts submitted for review (one per claim at most), longest
 * waiting since submission first, with the name of whoever writes it now and whether it
 * corrects a published verdict. Drafts still being written are `draftsBeingWritten`.
 */
export async function reviewQueue(db: Db, limit = 50) {
	return draftRows(db).where(submitted()).orderBy(asc(verdicts.submittedAt), asc(verdicts.id)).limit(limit);
}
export type QueuedDraft = Awaited<ReturnType<typeof reviewQueue>>[number];

/**
 * Open drafts not submitted for review (being written, or returned and not submitted
 * again), the longest open first: editors see the work before it reaches the queue, under
 * the name of whoever writes each now (`writerName`: a claim handed over takes its draft).
 */
export async function draftsBeingWritten(db: Db, limit = 50) {
	return draftRows(db).where(unsubmitted()).orderBy(asc(verdicts.createdAt), asc(verdicts.id)).limit(limit);
}
export type WritingDraft = Awaited<ReturnType<typeof draftsBeingWritten>>[number];

/**
 * How many drafts are submitted and how many are not, counted on `verdicts_published_idx`
 * (state first; drafts are at most one per claim).
 */
export async function draftCounts(db: Db): Promise<{ submitted: number; unsubmitted: number }> {
	const row = await db
		.select({
			submitted: sql<number>`count(${verdicts.submittedAt})`.mapWith(Number),
			all: sql<number>`count(*)`.mapWith(Number),
		})
		.from(verdicts)
		.where(eq(verdicts.state, "draft"))
		.get();
	const submittedCount = row?.submitted ?? 0;
	return { submitted: submittedCount, unsubmitted: (row?.all ?? 0) - submittedCount };
}

/** How many claims are in each state the desk counts (published: any rating). */
export interface ClaimCounts {
	unverified: number;
	inReview: number;
	published: number;
	retracted: number;
}

/** How many claims are assigned to a user, counted on `claims_assignee_idx`. */
export async function assignedCount(db: Db, userId: string): Promise<number> {
	const row = await db
		.select({ n: sql<number>`count(*)`.mapWith(Number) })
		.from(claims)
		.where(and(eq(claims.assigneeId, userId), openWorkSql))
		.get();
	return row?.n ?? 0;
}

/** Claims by status, counted on `claims_status_idx`. */
export async function claimCounts(db: Db): Promise<ClaimCounts> {
	const rows = await db
		.select({ status: claims.status, n: sql<number>`count(*)`.mapWith(Number) })
		.from(claims)
		.groupBy(claims.status);
	const counts: ClaimCounts = { unverified: 0, inReview: 0, published: 0, retracted: 0 };
	for (const { status, n } of rows) {
		if (status === "unverified") counts.unverified += n;
		else if (status === "in-review") counts.inReview += n;
		else if (status === "retracted") counts.retracted += n;
		else counts.published += n;
	}
	return counts;
}

/** A step audited on a verdict: what was done ("update-draft", "return", "publish", …), by whom, when. */
export interface VerdictStep {
	action: string;
	by: string | null;
	/** Who, as an account (null: the system, an import without one): one's own step in another tab. */
	byId: string | null;
	/**
	 * The API token the step was made through (its name; null: the desk, a process): a token
	 * acts as its owner (`byId`), so one's own token's save is not one's own other tab.
	 */
	token: string | null;
	at: string;
	/** A submission made with a save, in one write ("Save and submit for review"). */
	withSave: boolean;
}

/**
 * The newest step on a verdict, from the audit log, for "changed meanwhile": a form refused
 * says what the colleague did, not only who (a publication and a return read "saved this
 * draft"). `published`: its publication, which a later supersession or retraction leaves.
 */
export async function lastVerdictStep(
	db: Db,
	verdictId: string,
	options: { published?: boolean } = {},
): Promise<VerdictStep | null> {
	const rows = await db
		.select({
			action: auditLog.action,
			at: auditLog.at,
			requestId: auditLog.requestId,
			actorId: auditLog.actorId,
			name: users.name,
			label: auditLog.actorLabel,
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(
			and(
				eq(auditLog.entity, "verdict"),
				eq(auditLog.entityId, verdictId),
				options.published ? inArray(auditLog.action, ["publish", "publish-correction"]) : undefined,
			),
		)
		.orderBy(desc(auditLog.id))
		.limit(2);
	const [last, before] = rows;
	if (!last) return null;
	const withSave =
		last.action === "submit" &&
		before?.action === "update-draft" &&
		last.requestId !== null &&
		before.requestId === last.requestId;
	return {
		action: last.action,
		by: last.name ?? last.label ?? null,
		byId: last.actorId,
		// auth/api-tokens `tokenActor`'s label.
		token: last.label?.startsWith("token:") ? last.label.slice("token:".length) : null,
		at: last.at,
		withSave,
	};
}

/** Audited actions of a verdict: the public sees each. */
const PUBLIC_VERDICT_ACTIONS = ["publish", "publish-correction", "retract"] as const;
/** Audited actions that do when their row says so: the edit of a checked claim, its appearance withdrawn. */
const PUBLIC_WHEN_SAID = ["edit", "remove-appearance"] as const;
/**
 * Audited actions the public sees where it sees their claim: a new appearance, its topics
 * changed, an attachment made public or internal again, a duplicate merged into it (the
 * kept claim's row), the claim removed (its addresses answer 410).
 */
const PUBLIC_WITH_CLAIM = [
	"add-appearance",
	"tag",
	"upload.published",
	"upload.hidden",
	"merge",
	"remove",
] as const;

/**
 * The desk's recent activity: every change the public sees (a new appearance on a claim,
 * a publication, a correction, a retraction, a checked claim's public edit or withdrawn
 * appearance, a duplicate merged into a claim, a claim removed; a public claim's topics
 * changed, an attachment of it made public or internal again), newest first, with who did
 * it. An appearance needs no review, so this is where the desk sees them. `removed` marks
 * the entries of a claim removed since (its page is a 410): shown without a link.
 * `reviewedOnly` (PUBLIC_UNREVIEWED = "hide"): the public sees a claim once reviewed, so a
 * claim's change counts only when it had a published verdict then (a removed claim never
 * had one: only verdict-less claims are removed; a merged duplicate neither, so a merge
 * counts by the claim kept). Read from the verdicts, not from the row: topic and attachment
 * rows say `reviewed` only since session 30, and an appearance's, merge's or removal's never
 * did. One probe of `verdicts_claim_idx` per row read. Each entry carries its claim's words
 * and language, so its link says which claim it leads to: a merged duplicate's (its row is
 * gone) from `retired_claims`, which keeps them while it is merged; null once the claim is
 * removed (a removed claim's entries never show its text, and a removal clears the words of
 * the claims merged into it). One primary-key probe of each table per row read.
 */
export async function recentActivity(db: Db, limit = 20, options: { reviewedOnly?: boolean } = {}) {
	const verdictClaim = sql<string>`(SELECT ${verdicts.claimId} FROM ${verdicts} WHERE ${verdicts.id} = ${auditLog.entityId})`;
	const claimId = sql<string>`CASE WHEN ${auditLog.entity} = 'claim' THEN ${auditLog.entityId} ELSE ${verdictClaim} END`;
	// The claim (of a claim's row) had a published verdict when the row was written; one
	// superseded or retracted since still counts (its page stays public).
	const reviewedThen = sql`EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${auditLog.entityId} AND ${verdicts.state} IN ('published', 'superseded', 'retracted') AND ${verdicts.publishedAt} <= ${auditLog.at})`;
	return db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			claimId,
			// Never a removed claim's words: the guard holds should a removal ever keep them.
			claimText: sql<
				string | null
			>`coalesce(${claims.text}, CASE WHEN ${retiredClaims.removedAt} IS NULL THEN ${retiredClaims.text} END)`,
			claimLanguage: sql<
				string | null
			>`coalesce(${claims.language}, CASE WHEN ${retiredClaims.removedAt} IS NULL THEN ${retiredClaims.language} END)`,
			actorName: users.name,
			actorLabel: auditLog.actorLabel,
			// An import's publication reads as one (it skipped four eyes), not as its token owner's.
			imported: sql<boolean>`coalesce(json_extract(${auditLog.changes}, '$.imported'), 0)`.mapWith(Boolean),
			removed: sql<boolean>`${retiredClaims.removedAt} IS NOT NULL`.mapWith(Boolean),
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.leftJoin(claims, sql`${claims.id} = ${claimId}`)
		.leftJoin(retiredClaims, sql`${retiredClaims.id} = ${claimId}`)
		.where(
			or(
				// No entity here: with one on every branch SQLite read every claim's and verdict's
				// rows through audit_log_entity_idx and sorted them, instead of reading the log
				// newest first up to `limit`. These actions are audited on verdicts only.
				inArray(auditLog.action, [...PUBLIC_VERDICT_ACTIONS]),
				and(
					inArray(auditLog.action, [...PUBLIC_WHEN_SAID]),
					eq(auditLog.entity, "claim"),
					sql`json_extract(${auditLog.changes}, '$.isPublic') = 1`,
				),
				// A merge's row on the kept claim (the duplicate's addresses now lead to it); a
				// speaker's merge is audited as "merge" too, on the speaker, and is not a claim's.
				and(
					inArray(auditLog.action, [...PUBLIC_WITH_CLAIM]),
					eq(auditLog.entity, "claim"),
					options.reviewedOnly ? reviewedThen : undefined,
				),
			),
		)
		.orderBy(desc(auditLog.id))
		.limit(limit);
}
export type ActivityEntry = Awaited<ReturnType<typeof recentActivity>>[number];
