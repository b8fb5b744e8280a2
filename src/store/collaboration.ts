import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { auditLog, type ClaimNote, claimNotes, claims, claimTags, tags, users, verdicts } from "../db/schema";
import { newId } from "../domain/ids";
import { TOPIC_SLUG_MAX_LENGTH, uniqueSlug, uniqueSlugStems } from "../domain/slug";
import { isPlainTopicName, sameTopicName, topicNameKey } from "../domain/topic-names";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, notFound } from "../lib/errors";
import { type Actor, audit, guardOneRow, nowIso, runBatch, type Statement, userHolds } from "./batch";
import { departed } from "./departed";
import { openDraftWriters } from "./desk";
import { holderColumns, keepLastHolder, lastWriterSql } from "./draft-writer";
import { publicChange, touchClaimsOfTopic } from "./public-changes";
import { missingClaim } from "./retired-claims";

/** Who works on what on the desk: assignees, internal notes, topics. None of it is public but topics. */

/**
 * Sets or clears a claim's assignee. `onlyIfUnassigned` is a checker taking a claim:
 * the precondition lives in SQL, so two checkers taking it at once cannot both win.
 * `unlessDraftOfOtherThan` (the taking checker) refuses the take, in SQL too, while
 * another checker's draft is open on the claim: one drafted between the caller's read and
 * this write is not taken over (409 `draft-of-another-checker`). An assignee must be an
 * active account when the write lands: one disabled meanwhile is the caller's 422, not a
 * claim left with an account no queue shows.
 * A claim that already has this assignee stays as it is (nothing written, no audit
 * entry): taking a claim one holds, from a page loaded before, is no conflict, nor is giving
 * back one assigned to nobody already. `onlyIfAssignedTo` is a checker giving a claim back:
 * one an editor handed to someone else meanwhile is a 409 `assigned-to-another` naming them.
 * The claim's open draft goes with it (store/draft-writer): to the new assignee, and on a
 * claim going back to nobody it stays with the one who held it. A checker's give-back is
 * refused, in SQL too, while a draft is open on the claim (409 `draft-open`, `giveBackRefused`):
 * it would stay theirs on a claim no colleague could take. `was` is an editor's assignment made
 * from a page that showed the claim held by `was` (null: nobody): one that changed hands since
 * is a 409 `assignee-changed` naming who holds it now (`assigneeChanged`), checked in SQL too,
 * as a take's `IS NULL` is, so a colleague's claim and draft are never handed on unseen.
 */
export async function setAssignee(
	db: Db,
	actor: Actor,
	claimId: string,
	assigneeId: string | null,
	options: {
		onlyIfUnassigned: boolean;
		onlyIfAssignedTo?: string;
		unlessDraftOfOtherThan?: string;
		was?: string | null;
	},
): Promise<{ changed: boolean }> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { assigneeId: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	const holder = options.onlyIfAssignedTo;
	if (claim.assigneeId === assigneeId) return { changed: false };
	if (holder !== undefined && claim.assigneeId !== holder) throw await heldByAnother(db, claimId);
	const { was } = options;
	if (was !== undefined && claim.assigneeId !== was) throw await assigneeChanged(db, claimId);
	const taker = options.unlessDraftOfOtherThan;
	try {
		await runBatch(db, [
			// Back to nobody: an open draft stays with the one who holds the claim now (its new
			// holder needs nothing: the draft goes with the claim's assignee, store/draft-writer).
			...(assigneeId === null ? [keepLastHolder(db, eq(claims.id, claimId))] : []),
			db
				.update(claims)
				.set({ assigneeId })
				.where(
					and(
						eq(claims.id, claimId),
						...(options.onlyIfUnassigned ? [isNull(claims.assigneeId)] : []),
						...(holder !== undefined ? [eq(claims.assigneeId, holder), noOpenDraft(claimId)] : []),
						...(taker !== undefined ? [noDraftOfOtherThan(claimId, taker)] : []),
						...(was !== undefined ? [sql`${claims.assigneeId} IS ${was}`] : []),
						...(assigneeId !== null ? [userHolds(assigneeId)] : []),
					),
				),
			guardOneRow(db),
			audit(db, actor, assigneeId ? "assign" : "unassign", "claim", claimId, {
				from: claim.assigneeId,
				to: assigneeId,
			}),
		]);
	} catch (error) {
		// Read again: a claim merged or removed since the read says so (assigneeIdOf), not a 500.
		const now = await assigneeIdOf(db, claimId);
		if (options.onlyIfUnassigned || holder !== undefined) {
			// The same taking twice at once (a double click): the one that lost finds it done.
			if (now === assigneeId) return { changed: false };
		}
		if (assigneeId !== null && !(await isActiveUser(db, assigneeId))) throw noActiveMember();
		// Handed on (or back to nobody) between the read and the write: whose it is now.
		if (was !== undefined && now !== was) throw await assigneeChanged(db, claimId);
		if (taker !== undefined && now === null && (await hasDraftOfOtherThan(db, claimId, taker))) {
			throw draftOfAnotherChecker();
		}
		if (holder !== undefined && now === holder && (await hasOpenDraft(db, claimId))) throw giveBackRefused();
		if (holder !== undefined) throw await heldByAnother(db, claimId);
		if (options.onlyIfUnassigned) {
			throw conflict("Someone else took this claim meanwhile.", "already-assigned");
		}
		throw error;
	}
	return { changed: true };
}

/**
 * The 409 of a give-back of a claim an editor handed to someone else meanwhile: whose it
 * is now (`assignee`), which the desk shows as a notice on the claim page.
 */
async function heldByAnother(db: Db, claimId: string): Promise<AppError> {
	const assignee = await claimAssignee(db, claimId);
	return conflict(
		`This claim is assigned to ${assignee?.name ?? "someone else"} now: nothing was given back.`,
		"assigned-to-another",
		{ assignee },
	);
}

/**
 * The 409 of an editor's assignment from a page that showed the claim held by someone else (or
 * by nobody): whose it is now (`assignee`, null: nobody) and who writes its open draft
 * (`draftWriter`, null: none), which goes with the claim. Nothing was assigned.
 */
async function assigneeChanged(db: Db, claimId: string): Promise<AppError> {
	const [assignee, writers] = await Promise.all([
		claimAssignee(db, claimId),
		openDraftWriters(db, [claimId]),
	]);
	const writer = writers.get(claimId);
	const draftWriter = writer?.name ? { name: writer.name } : null;
	const holds = assignee ? `assigned to ${assignee.name}` : "assigned to nobody";
	const draft = draftWriter ? ` (${draftWriter.name}'s draft is open on it and goes with it)` : "";
	return conflict(
		`This claim was ${holds} meanwhile${draft}: nothing was assigned. Read it again and assign it if it is still to change hands.`,
		"assignee-changed",
		{ assignee, draftWriter },
	);
}

/**
 * The 409 of a checker giving back a claim with a draft open on it: the draft is theirs while
 * they hold the claim and would stay theirs on a claim nobody holds (store/draft-writer), where
 * no colleague could take it. Discarded first, or handed on by an editor, it goes.
 */
export function giveBackRefused(): AppError {
	return conflict(
		"Your draft is open on this claim and would stay yours on a claim given back, where no colleague could take it: discard it first, or ask an editor to assign the claim to a colleague (the draft goes with it).",
		"draft-open",
	);
}

/** No draft is open on the claim. */
function noOpenDraft(claimId: string): SQL {
	return sql`NOT EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claimId} AND ${verdicts.state} = 'draft')`;
}

async function hasOpenDraft(db: Db, claimId: string): Promise<boolean> {
	const [row] = await db.all<{ one: number }>(sql`SELECT 1 AS one WHERE NOT (${noOpenDraft(claimId)})`);
	return row !== undefined;
}

/** The 422 of an assignee who is no active desk member (unknown, or disabled). */
export function noActiveMember(): AppError {
	return new AppError(422, "email: no active desk member has this email.", {
		errors: [{ path: "email", message: "No active desk member has this email." }],
	});
}

/** The 409 of a checker taking a claim another checker's open draft is on. */
export function draftOfAnotherChecker(): AppError {
	return conflict(
		"Another checker's draft is open on this claim: an editor assigns it.",
		"draft-of-another-checker",
	);
}

/**
 * No draft is open on the claim but one the taker writes (or none at all). Read on a claim
 * held by nobody (a take's precondition), whose draft its last writer writes.
 */
function noDraftOfOtherThan(claimId: string, taker: string): SQL {
	return sql`NOT EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claimId} AND ${verdicts.state} = 'draft' AND ${lastWriterSql} IS NOT ${taker})`;
}

async function hasDraftOfOtherThan(db: Db, claimId: string, taker: string): Promise<boolean> {
	const [row] = await db.all<{ one: number }>(
		sql`SELECT 1 AS one WHERE NOT (${noDraftOfOtherThan(claimId, taker)})`,
	);
	return row !== undefined;
}

async function isActiveUser(db: Db, userId: string): Promise<boolean> {
	const [row] = await db.all<{ one: number }>(sql`SELECT 1 AS one WHERE ${userHolds(userId)}`);
	return row !== undefined;
}

/** Whom a claim is assigned to (null: nobody); a claim that does not exist is a 404. */
export async function assigneeIdOf(db: Db, claimId: string): Promise<string | null> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { assigneeId: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	return claim.assigneeId;
}

/** A note on a claim; `id` made by the caller before the write (an Idempotency-Key's answer reads it back). */
export async function addNote(
	db: Db,
	actor: Actor,
	claimId: string,
	text: string,
	id: string = newId(),
): Promise<ClaimNote> {
	const claim = await db.query.claims.findFirst({ where: eq(claims.id, claimId), columns: { id: true } });
	if (!claim) throw await missingClaim(db, claimId);
	try {
		await runBatch(db, [
			db.insert(claimNotes).values({ id, claimId, authorId: actor.userId, text }),
			audit(db, actor, "note", "claim", claimId, { noteId: id }),
		]);
	} catch (error) {
		// Merged or removed since the read: as if it had been gone then (not a 500).
		if (constraintFailure(error)?.kind === "foreign-key") throw await missingClaim(db, claimId);
		throw error;
	}
	const note = await db.query.claimNotes.findFirst({ where: eq(claimNotes.id, id) });
	if (!note) throw new Error("note vanished");
	return note;
}

/** One note by id (an API create's answer read back for a repeat). */
export function getNote(db: Db, id: string): Promise<ClaimNote | undefined> {
	return db.query.claimNotes.findFirst({ where: eq(claimNotes.id, id) });
}

export function listNotes(db: Db, claimId: string) {
	return db
		.select({
			id: claimNotes.id,
			text: claimNotes.text,
			at: claimNotes.createdAt,
			author: users.name,
			authorId: users.id,
			// Their account disabled: the desk says so beside the name.
			authorDeparted: departed(users.disabledAt),
			mergedFrom: claimNotes.mergedFrom,
			// The note's own audit row says whether it came through an API token (`token:<name>`):
			// the desk shows that beside the author. Found on `audit_log_entity_idx` by the claim
			// it was written on (the duplicate's id for a note merged in).
			actorLabel: sql<
				string | null
			>`(SELECT ${auditLog.actorLabel} FROM ${auditLog} WHERE ${auditLog.entity} = 'claim' AND ${auditLog.entityId} IN (${claimNotes.claimId}, coalesce(${claimNotes.mergedFrom}, ${claimNotes.claimId})) AND ${auditLog.action} = 'note' AND ${auditLog.changes} ->> '$.noteId' = ${claimNotes.id} LIMIT 1)`,
		})
		.from(claimNotes)
		.leftJoin(users, eq(users.id, claimNotes.authorId))
		.where(eq(claimNotes.claimId, claimId))
		.orderBy(asc(claimNotes.createdAt), sql`${claimNotes}.rowid`);
}

export interface TagInput {
	slug: string;
	name: string;
}

/**
 * Replaces a claim's topics; a topic is created on first use with its name in both
 * languages (an editor can rename it later). Returns the slugs before and after.
 */
export interface TagPlan {
	before: string[];
	after: string[];
	changed: boolean;
	/** The writes, for a batch of their own or of the claim edit they belong to. */
	statements: Statement[];
}

/** A wanted topic as found, or new (`isNew`: created by the write that files a claim under it). */
interface KnownTopic extends TagInput {
	isNew: boolean;
}

/**
 * The wanted topics as they are known: an existing topic's slug, as answered, in any case
 * ("BETA-X"), is that topic (the API takes topics "by name or slug", and a slug never changes; checked first,
 * a name that is another topic's slug took that topic's claims over). Otherwise a name an
 * existing topic has in either language (in any case, "ärzte x" as "Ärzte x") is that topic,
 * whatever its slug; of topics sharing a name, the claim's own, then the one whose slug the
 * name makes. The desk's field shows names, and a renamed topic's name no longer makes its
 * slug: "Ukraine-Krieg" is still `ukraine-war`. Otherwise the topic is a new one, under the
 * slug its name makes or, when a topic of other names has that slug ("Busse x" for "Buße x",
 * "C++ x" for "C# x": the slug drops what tells them apart), the first free `slug-2`, `-3` …,
 * as speakers get theirs: joining that topic filed the claim under another word. One topic
 * named twice (by its English and its German name) is wanted once.
 */
async function knownTopics(
	db: Db,
	wanted: readonly TagInput[],
	current: readonly string[],
): Promise<KnownTopic[]> {
	if (wanted.length === 0) return [];
	const named = await topicsMaybeNamed(
		db,
		wanted.map((tag) => tag.name),
	);
	const found = wanted.map((tag) => {
		const key = topicNameKey(tag.name);
		const namesakes = named.filter(
			(row) => topicNameKey(row.nameDe) === key || topicNameKey(row.nameEn) === key,
		);
		// Names need not be unique: the claim's own topic first, then the one the name makes.
		return (
			named.find((row) => row.slug === key) ??
			namesakes.find((row) => current.includes(row.slug)) ??
			namesakes.find((row) => row.slug === tag.slug) ??
			namesakes[0]
		);
	});
	const taken = await topicSlugsTaken(
		db,
		wanted.filter((_, index) => !found[index]).map((tag) => tag.slug),
	);
	const known = wanted.map((tag, index): KnownTopic => {
		const row = found[index];
		if (row) return { slug: row.slug, name: tag.name, isNew: false };
		const slug = uniqueSlug(tag.slug, (candidate) => taken.has(candidate), TOPIC_SLUG_MAX_LENGTH);
		taken.add(slug);
		return { slug, name: tag.name, isNew: true };
	});
	return known.filter((tag, index) => known.findIndex((other) => other.slug === tag.slug) === index);
}

/**
 * The topic slugs a new topic's `uniqueSlug` could meet: each base and every `base-…`, one
 * index range each, as store/speakers `slugsTaken` reads speakers'; for a long base also its
 * cuts (`uniqueSlugStems`), since its `-2` is made of one so as to fit 60 characters.
 */
async function topicSlugsTaken(db: Db, bases: readonly string[]): Promise<Set<string>> {
	if (bases.length === 0) return new Set();
	const stems = [...new Set(bases.flatMap((base) => uniqueSlugStems(base, TOPIC_SLUG_MAX_LENGTH)))];
	const rows = await db.all<{ slug: string }>(
		sql`SELECT t.slug AS slug FROM json_each(${JSON.stringify(stems)}) AS b JOIN ${tags} AS t ON t.slug >= b.value AND t.slug < b.value || '.'`,
	);
	return new Set(rows.map((row) => row.slug));
}

/**
 * A wanted topic's slug for its claim's `claim_tags` row. A new topic's is read in SQL from
 * the topic as its batch left it: a topic of another name made at that slug between the read
 * and the batch (its insert then does nothing) leaves it NULL, which fails the batch
 * (`topicTakenMeanwhile`) instead of filing the claim under that topic; read again, the name
 * gets a slug of its own.
 */
function topicSlugOf(tag: KnownTopic): SQL {
	if (!tag.isNew) return sql`${tag.slug}`;
	return sql`(SELECT ${tags.slug} FROM ${tags} WHERE ${tags.slug} = ${tag.slug} AND ${tags.nameEn} = ${tag.name} AND ${tags.nameDe} = ${tag.name})`;
}

/** A batch failed because a new topic's slug was taken by a topic of another name meanwhile: plan again. */
export function topicTakenMeanwhile(error: unknown): boolean {
	const failure = constraintFailure(error);
	return failure?.kind === "not-null" && failure.detail.includes("claim_tags.tag_slug");
}

/**
 * The topics that may have one of these names in either language, for `sameTopicName` to
 * decide, and those whose slug one of them is: every topic that has one is among them
 * (`mayBeNamed`), and often few others.
 */
function topicsMaybeNamed(db: Db, names: readonly string[], except?: string) {
	return db
		.select({ slug: tags.slug, nameEn: tags.nameEn, nameDe: tags.nameDe })
		.from(tags)
		.where(and(mayBeNamed(names), except === undefined ? undefined : sql`${tags.slug} <> ${except}`))
		.orderBy(asc(tags.slug));
}

/**
 * Whether a row of `tags` may have one of these names in either language, as
 * `topicNameKey` compares them: never false for a row that has one, so that what SQL leaves
 * out JavaScript would not have found. SQL cannot compute the key (D1 has no ICU, nor NFKC;
 * LIKE patterns with `_` for each other character missed names one character longer or
 * shorter in another form, such as "ﬁnanzen" for "FINANZEN"), so it narrows only by plain
 * names (domain/topic-names `isPlainTopicName`): when every name is plain, a row has one only
 * if its name is that name in SQLite's ASCII `lower()`, or its name is not plain itself.
 * A name that is not plain ("Ölpreis", "Wahl\u00ADkampf") may be any topic's: every row.
 */
function mayBeNamed(names: readonly string[], table = sql`${tags}`): SQL {
	if (!names.every(isPlainTopicName)) return sql`1`;
	const lowered = JSON.stringify(names.map((name) => name.toLowerCase()));
	const en = sql`${table}.name_en`;
	const de = sql`${table}.name_de`;
	// A name that is a topic's slug in any case is that topic (`knownTopics`), so the slug counts
	// too: a plain name's key is its ASCII lower case, and a slug is lower case.
	const slugs = sql`${table}.slug IN (SELECT value FROM json_each(${lowered}))`;
	return sql`(${notPlain(en)} OR ${notPlain(de)} OR ${slugs} OR EXISTS (SELECT 1 FROM json_each(${lowered}) AS wanted WHERE wanted.value IN (lower(${en}), lower(${de}))))`;
}

/**
 * A column's name is not plain (`isPlainTopicName` false): a character outside printable
 * ASCII (GLOB compares code points), a space at either end, or two spaces in a row.
 */
function notPlain(column: SQL): SQL {
	return sql`(${column} GLOB '*[^ -~]*' OR ${column} <> trim(${column}) OR instr(${column}, '  ') > 0)`;
}

/** What replacing a claim's topics writes; nothing when they stay the same. */
export async function planClaimTags(
	db: Db,
	actor: Actor,
	claimId: string,
	asked: readonly TagInput[],
): Promise<TagPlan> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { seq: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	const before = (await tagsOfClaims(db, [claimId])).get(claimId)?.map((t) => t.slug) ?? [];
	const wanted = await knownTopics(db, asked, before);
	const after = [...new Set(wanted.map((t) => t.slug))].sort();
	if (before.join(" ") === after.join(" ")) return { before, after, changed: false, statements: [] };
	return {
		before,
		after,
		changed: true,
		statements: [
			...wanted.map((tag) =>
				db.insert(tags).values({ slug: tag.slug, nameEn: tag.name, nameDe: tag.name }).onConflictDoNothing(),
			),
			db.delete(claimTags).where(eq(claimTags.claimId, claimId)),
			...[...wanted]
				.sort((a, b) => (a.slug < b.slug ? -1 : 1))
				.map((tag) =>
					db
						.insert(claimTags)
						.values({ id: newId(), claimId, claimSeq: claim.seq, tagSlug: topicSlugOf(tag) }),
				),
			audit(db, actor, "tag", "claim", claimId, { from: before, to: after }),
		],
	};
}

/**
 * Replaces a claim's topics on their own, at the claim's version (they count as an edit:
 * the version moves, guarded like any other). `expectedVersion` null: no version check.
 * A new topic's slug taken meanwhile by a topic of another name: planned again, once.
 */
export async function setClaimTags(
	db: Db,
	actor: Actor,
	claimId: string,
	wanted: readonly TagInput[],
	expectedVersion: number | null,
	attempt = 1,
): Promise<TagPlan> {
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, claimId),
		columns: { version: true, updatedAt: true },
	});
	if (!claim) throw await missingClaim(db, claimId);
	const stale = () =>
		conflict("Someone else changed this claim in the meantime.", "version-conflict", {
			current: { version: claim.version, updatedAt: claim.updatedAt },
		});
	if (expectedVersion !== null && claim.version !== expectedVersion) throw stale();
	const plan = await planClaimTags(db, actor, claimId, wanted);
	if (!plan.changed) return plan;
	const bump =
		expectedVersion === null
			? []
			: [
					db
						.update(claims)
						.set({ version: sql`${claims.version} + 1`, ...publicChange(nowIso()) })
						.where(and(eq(claims.id, claimId), eq(claims.version, expectedVersion))),
					guardOneRow(db),
				];
	try {
		await runBatch(db, [...bump, ...plan.statements]);
	} catch (error) {
		if (bump.length > 0 && constraintFailure(error)?.kind === "guard") throw stale();
		if (attempt === 1 && topicTakenMeanwhile(error))
			return setClaimTags(db, actor, claimId, wanted, expectedVersion, attempt + 1);
		throw error;
	}
	return plan;
}

export interface ClaimTag {
	slug: string;
	nameEn: string;
	nameDe: string;
}

/** The topics of some claims, by claim id, sorted by slug. */
/** Topics of some claims (a subquery, or a parenthesised id), by slug, inside their detail batch. */
export function tagsOfClaimsIn(db: Db, claimIds: SQL) {
	return db
		.select({ claimId: claimTags.claimId, slug: tags.slug, nameEn: tags.nameEn, nameDe: tags.nameDe })
		.from(claimTags)
		.innerJoin(tags, eq(tags.slug, claimTags.tagSlug))
		.where(sql`${claimTags.claimId} IN ${claimIds}`)
		.orderBy(asc(tags.slug));
}

async function tagsOfClaims(db: Db, claimIds: readonly string[]): Promise<Map<string, ClaimTag[]>> {
	const out = new Map<string, ClaimTag[]>();
	for (let i = 0; i < claimIds.length; i += 90) {
		const rows = await db
			.select({ claimId: claimTags.claimId, slug: tags.slug, nameEn: tags.nameEn, nameDe: tags.nameDe })
			.from(claimTags)
			.innerJoin(tags, eq(tags.slug, claimTags.tagSlug))
			.where(inArray(claimTags.claimId, claimIds.slice(i, i + 90)))
			.orderBy(asc(tags.slug));
		for (const { claimId, ...tag } of rows) out.set(claimId, [...(out.get(claimId) ?? []), tag]);
	}
	return out;
}

export function getTag(db: Db, slug: string) {
	return db.query.tags.findFirst({ where: eq(tags.slug, slug) });
}

/** A claim's assignee, name and email (the desk's and the token API's only). */
export async function claimAssignee(
	db: Db,
	claimId: string,
): Promise<{ name: string; email: string } | null> {
	const [row] = await db
		.select({ name: users.name, email: users.email })
		.from(claims)
		.innerJoin(users, eq(users.id, claims.assigneeId))
		.where(eq(claims.id, claimId));
	return row ?? null;
}

/**
 * A claim's assignee as the desk shows them: with whether their account is disabled (`departed`:
 * a published claim stays assigned to a member who left, until an editor assigns it on).
 */
export async function claimHolder(
	db: Db,
	claimId: string,
): Promise<{ name: string; email: string; departed: boolean } | null> {
	const [row] = await db
		.select(holderColumns)
		.from(claims)
		.innerJoin(users, eq(users.id, claims.assigneeId))
		.where(eq(claims.id, claimId));
	return row ?? null;
}

/** Active desk members, by name: whom an editor may assign. */
export function deskMembers(db: Db) {
	return db
		.select({ id: users.id, name: users.name, email: users.email })
		.from(users)
		.where(isNull(users.disabledAt))
		.orderBy(asc(users.name), asc(users.id));
}

/**
 * A topic may not take a name another topic has, in either language: the desk's topics
 * field finds topics by name (`knownTopics`), and two of one name are one to a reader. Nor
 * another topic's slug: given as a topic, that is the other topic. Returns the other topics
 * it read (every one that may have one of the names, none does).
 */
async function refuseTakenNames(db: Db, slug: string, names: readonly string[]): Promise<ClaimTag[]> {
	const others = await topicsMaybeNamed(db, names, slug);
	for (const name of names) {
		// In any case ("BETA-X" for `beta-x`), as `knownTopics` then finds it.
		const address = others.find((row) => row.slug === topicNameKey(name));
		if (address)
			throw conflict(`“${name}” is the address of another topic. Choose another name.`, "topic-name-taken", {
				topic: address.slug,
			});
		const taken = others.find((row) => sameTopicName(row.nameEn, name) || sameTopicName(row.nameDe, name));
		if (taken)
			throw conflict(
				`Another topic (${taken.slug}) is called “${name}”. Choose another name.`,
				"topic-name-taken",
				{
					topic: taken.slug,
				},
			);
	}
	return others;
}

/** Topics with how many claims carry each, by English name (the desk's topics page). */
export function listTopics(db: Db, limit: number) {
	return db
		.select({
			slug: tags.slug,
			nameEn: tags.nameEn,
			nameDe: tags.nameDe,
			claims: sql<number>`count(${claimTags.id})`,
		})
		.from(tags)
		.leftJoin(claimTags, eq(claimTags.tagSlug, tags.slug))
		.groupBy(tags.slug)
		.orderBy(sql`${tags.nameEn} COLLATE NOCASE`, tags.slug)
		.limit(limit);
}

export type TopicRow = Awaited<ReturnType<typeof listTopics>>[number];

export interface TopicNames {
	nameEn: string;
	nameDe: string;
}

/** The 409 of a rename made from names that are no longer the topic's. */
function renamedMeanwhile(tag: TopicNames) {
	return conflict(
		`Someone else renamed this topic meanwhile: it is now called “${tag.nameEn}” in English and “${tag.nameDe}” in German.`,
		"topic-renamed",
		{ current: { nameEn: tag.nameEn, nameDe: tag.nameDe } },
	);
}

/** Some of a topic's names (a field left out, or undefined, is not given). */
export type SomeTopicNames = { [K in keyof TopicNames]?: string | undefined };

const NAME_FIELDS = ["nameEn", "nameDe"] as const;

/**
 * Renames a topic (its slug stays, so links keep working); returns its claims, for purging,
 * and which names changed (`fields`: webhooks tell of an English one only).
 * Only the names that differ from the topic's are written. `was` is what the caller last
 * read: a name in it that is no longer the topic's refuses the rename (409
 * `topic-renamed`), checked again in SQL by the update itself, since D1 has no
 * transaction to hold the row between this read and the batch; a name already as wanted
 * is neither written nor checked. Without `was`, the last rename wins. The claims carrying
 * the topic show its name (sitemap `lastmod`): their `updated_at` moves with it, their
 * version does not (nothing of theirs that a save could overwrite changed), and their feed
 * entries, which show no topic, keep their time (store/public-changes `touchClaimsOfTopic`).
 */
export async function renameTag(
	db: Db,
	actor: Actor,
	slug: string,
	names: SomeTopicNames,
	was: SomeTopicNames = {},
	attempt = 1,
): Promise<{ changed: boolean; claimIds: string[]; fields: (keyof TopicNames)[] }> {
	const tag = await getTag(db, slug);
	if (!tag) throw notFound("topic");
	const change: Partial<TopicNames> = {};
	for (const field of NAME_FIELDS) {
		const name = names[field];
		if (name !== undefined && name !== tag[field]) change[field] = name;
	}
	const checked = NAME_FIELDS.flatMap((field) => {
		const expected = was[field];
		return expected === undefined || names[field] === tag[field] ? [] : [{ field, expected }];
	});
	const stale = (row: TopicNames) => checked.some(({ field, expected }) => row[field] !== expected);
	if (stale(tag)) throw renamedMeanwhile(tag);
	const newNames = Object.values(change);
	if (newNames.length === 0) return { changed: false, claimIds: [], fields: [] };
	// The other topics that may have these names, none of which has: the update below requires
	// that every other that may have them now (`mayBeNamed`, never false for one that has) is
	// one of these as read, so that a topic renamed or created meanwhile with one of the names,
	// in any form `topicNameKey` equates, fails it. A name that is not plain reads, and guards,
	// every other topic: then any other topic renamed or created meanwhile fails it (read again
	// and tried once more below).
	const others = await refuseTakenNames(db, slug, newNames);
	const seen = others.map((row) => [row.slug, row.nameEn, row.nameDe]);
	try {
		await runBatch(db, [
			db
				.update(tags)
				.set(change)
				.where(
					and(
						eq(tags.slug, slug),
						...checked.map(({ field, expected }) => eq(tags[field], expected)),
						sql`NOT EXISTS (SELECT 1 FROM ${tags} AS other WHERE other.slug <> ${slug} AND ${mayBeNamed(newNames, sql.raw("other"))} AND NOT EXISTS (SELECT 1 FROM json_each(${JSON.stringify(seen)}) AS seen WHERE other.slug = json_extract(seen.value, '$[0]') AND other.name_en = json_extract(seen.value, '$[1]') AND other.name_de = json_extract(seen.value, '$[2]')))`,
					),
				),
			guardOneRow(db),
			touchClaimsOfTopic(db, slug),
			audit(db, actor, "rename", "tag", slug, {
				from: { nameEn: tag.nameEn, nameDe: tag.nameDe },
				to: change,
			}),
		]);
	} catch (error) {
		if (constraintFailure(error)?.kind === "guard") {
			// Which precondition failed: the names read now say.
			const now = await getTag(db, slug);
			if (!now) throw notFound("topic");
			if (stale(now)) throw renamedMeanwhile(now);
			await refuseTakenNames(db, slug, newNames);
			// Another topic that may have had the names, changed meanwhile but not to one: read and
			// try again, once; changed again, the caller is told so (a 409 it may retry, not a 422).
			if (attempt === 1) return renameTag(db, actor, slug, names, was, attempt + 1);
			throw conflict(
				"Other topics were renamed while this rename was being saved, so nothing changed. Send it again.",
				"topics-changed",
			);
		}
		throw error;
	}
	const rows = await db.select({ id: claimTags.claimId }).from(claimTags).where(eq(claimTags.tagSlug, slug));
	return { changed: true, claimIds: rows.map((r) => r.id), fields: NAME_FIELDS.filter((f) => f in change) };
}

/**
 * What gives a claim being created in the same batch its topics, with their slugs: names
 * are resolved as an edit resolves them (`knownTopics`: "Krieg Y" is the renamed `war-x`),
 * and the claim's `seq`, not known before the batch, is read in SQL.
 */
export async function planNewClaimTags(
	db: Db,
	claimId: string,
	asked: readonly TagInput[],
): Promise<{ slugs: string[]; statements: Statement[] }> {
	const wanted = await knownTopics(db, asked, []);
	return {
		slugs: wanted.map((tag) => tag.slug),
		statements: wanted.flatMap((tag) => [
			db.insert(tags).values({ slug: tag.slug, nameEn: tag.name, nameDe: tag.name }).onConflictDoNothing(),
			db.insert(claimTags).select(
				db
					.select({
						id: sql<string>`${newId()}`.as("id"),
						claimId: claims.id,
						claimSeq: claims.seq,
						tagSlug: sql<string>`${topicSlugOf(tag)}`.as("tag_slug"),
					})
					.from(claims)
					.where(eq(claims.id, claimId)),
			),
		]),
	};
}
