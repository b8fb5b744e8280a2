import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Appearance, Claim, ClaimChange, Source, Verdict } from "../db/schema";
import {
	appearances,
	auditLog,
	batchGuards,
	claimChanges,
	claims,
	claimTags,
	retiredClaims,
	sources,
	speakerAliases,
	speakers,
	users,
	verdicts,
} from "../db/schema";
import { parseEvidence } from "../domain/evidence";
import { claimFingerprint } from "../domain/fingerprint";
import { newId } from "../domain/ids";
import { foldName, sameNameGerman, umlautlessKeys } from "../domain/speaker-matching";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict } from "../lib/errors";
import { newsroomDay } from "../lib/newsroom-clock";
import type { ClaimInput, SourceInput, SpeakerInput } from "../schemas/records";
import { type Actor, audit, batchReads, idChunks, runBatch, type Statement } from "./batch";
import { type ClaimTag, planNewClaimTags, tagsOfClaimsIn, topicTakenMeanwhile } from "./collaboration";
import { departed } from "./departed";
import { keptClaimsOf, mergedByFingerprintRead } from "./merged-words";
import { mergedIntoQuery } from "./retired-claims";
import { termsFor } from "./search-terms";
import { copiesByUrl, type SnapshotRef, snapshotsOfClaims } from "./snapshots";
import { findSourceByUrl, planSource } from "./sources";
import { planSpeaker, type SpeakerWithAliases } from "./speakers";
import { type PublicUpload, publicUploadsOfClaimsIn } from "./uploads";

export interface ClaimDetail extends Claim {
	speaker: SpeakerWithAliases | null;
	appearances: (Appearance & { source: Source })[];
	verdicts: Verdict[];
	/** Display names of the checkers and editors of its public verdicts (bylines), by user id. */
	people: Record<string, string>;
	/** Public edits of the claim, oldest first. */
	changes: ClaimChange[];
	/** Topics, by slug. */
	tags: ClaimTag[];
	/**
	 * The archived copies of each source and evidence URL, oldest first: each citation shows
	 * its own (domain/snapshots `copyForCitation`), not the newest.
	 */
	snapshots: Record<string, SnapshotRef[]>;
	/** Attached files an editor made public (the desk loads all of them itself). */
	uploads: PublicUpload[];
}

/** Users named on a claim's public verdicts: who drafted and who published each. */
function bylineUsers(db: Db, claimIds: SQL) {
	return db
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(
			sql`${users.id} IN (SELECT ${verdicts.reviewerId} FROM ${verdicts} WHERE ${verdicts.claimId} IN ${claimIds} AND ${verdicts.state} <> 'draft' UNION SELECT ${verdicts.editorId} FROM ${verdicts} WHERE ${verdicts.claimId} IN ${claimIds} AND ${verdicts.state} <> 'draft')`,
		);
}

/**
 * What a duplicate repeats: the quote of the speaker or the import id of a claim recorded, or
 * of a claim merged since into `claimId` (its words and id lead there, as in imports).
 */
export type DuplicateMatch = "quote" | "externalId" | "merged-quote" | "merged-externalId";

export type RecordClaimResult =
	| { kind: "created"; claim: ClaimDetail }
	| { kind: "duplicate"; claimId: string; sameSource: boolean; match: DuplicateMatch };

interface Resolved {
	id: string | null;
	statements: Statement[];
}

/** What a name two or more speakers carry answers: which one is meant (send its `id`). */
function speakerAmbiguous(candidates: readonly { id: string; slug: string; name: string }[]) {
	return conflict(
		`Several speakers are called that: send the id of the one you mean (${candidates.map((c) => c.slug).join(", ")}).`,
		"speaker-ambiguous",
		{ candidates: candidates.map(({ id, slug, name }) => ({ id, slug, name })) },
	);
}

/**
 * The speaker a claim names: by id, or the one speaker a name is, or a new one. A name two or
 * more speakers carry is a 409 `speaker-ambiguous` naming them (it made one more speaker each
 * time: scorecards split, the lists filled with namesakes), unless `newSpeaker` says a new
 * one is meant (the desk's choice "a new speaker").
 */
export async function resolveSpeaker(
	db: Db,
	actor: Actor,
	speaker: ClaimInput["speaker"],
	options: { newSpeaker?: boolean } = {},
): Promise<Resolved> {
	if (speaker === null) return { id: null, statements: [] };
	if ("id" in speaker) {
		const found = await db.query.speakers.findFirst({
			where: eq(speakers.id, speaker.id),
			columns: { id: true },
		});
		if (!found) {
			throw new AppError(422, "speaker.id: there is no speaker with this id.", {
				errors: [{ path: "speaker.id", message: "There is no speaker with this id." }],
			});
		}
		return { id: found.id, statements: [] };
	}
	if (!options.newSpeaker) {
		const existing = await speakersByExactName(db, speaker);
		const [only, ...more] = existing;
		if (only && more.length === 0) return { id: only, statements: [] };
		if (only) {
			const candidates = await db
				.select({ id: speakers.id, slug: speakers.slug, name: speakers.name })
				.from(speakers)
				.where(inArray(speakers.id, existing))
				.orderBy(asc(speakers.slug));
			throw speakerAmbiguous(candidates);
		}
	}
	const plan = await planSpeaker(db, actor, speaker);
	return { id: plan.id, statements: plan.statements };
}

/**
 * The recorded speaker `resolveSpeaker` would give a claim, read only: null for no speaker,
 * undefined for a new one (a name no one carries, `newSpeaker`) or a name several carry.
 */
export async function knownSpeakerOf(
	db: Db,
	speaker: ClaimInput["speaker"],
	options: { newSpeaker?: boolean } = {},
): Promise<string | null | undefined> {
	if (speaker === null) return null;
	if ("id" in speaker) return speaker.id;
	if (options.newSpeaker) return undefined;
	const existing = await speakersByExactName(db, speaker);
	return existing.length === 1 ? existing[0] : undefined;
}

/**
 * The existing speakers whose name or alias folds to exactly this name; else those whose name
 * is this name in German spelling ("Mueller" for "Müller", as imports match it). One is that
 * speaker; more are a question.
 */
export async function speakersByExactName(db: Db, speaker: SpeakerInput): Promise<string[]> {
	const folded = foldName(speaker.name);
	const rows = await db.query.speakerAliases.findMany({
		where: (a, { inArray }) => inArray(a.normalized, [folded, ...umlautlessKeys(folded)]),
		columns: { speakerId: true, normalized: true, alias: true },
	});
	const ids = (matching: typeof rows) => [...new Set(matching.map((r) => r.speakerId))];
	const exact = rows.filter((r) => r.normalized === folded);
	if (exact.length > 0) return ids(exact);
	return ids(rows.filter((r) => sameNameGerman(r.alias, speaker.name)));
}

async function resolveSource(db: Db, actor: Actor, source: ClaimInput["source"]): Promise<Resolved> {
	if ("id" in source) {
		const found = await db.query.sources.findFirst({
			where: eq(sources.id, source.id),
			columns: { id: true },
		});
		if (!found) {
			throw new AppError(422, "source.id: there is no source with this id.", {
				errors: [{ path: "source.id", message: "There is no source with this id." }],
			});
		}
		return { id: found.id, statements: [] };
	}
	const existing = await findSourceByUrl(db, source.url);
	if (existing) return { id: existing.id, statements: [] };
	const plan = planSource(db, actor, source as SourceInput);
	return { id: plan.id, statements: plan.statements };
}

/**
 * Records a claim with its speaker and first appearance in one all-or-nothing batch.
 * The same quote (by fingerprint) from the same speaker, or the same external id, is
 * reported as a duplicate instead, so the caller can add an appearance; so are a merged
 * claim's quote and id, naming the claim kept, as an import links them. A removed claim's
 * external id is a 409 `claim-removed`: it is not recorded again (the import refuses it
 * too). A speaker's name two speakers carry is a 409 `speaker-ambiguous` (`resolveSpeaker`;
 * `options.newSpeaker` makes a new one). `attempt` is internal: a batch that lost a race to a
 * concurrent writer is tried once more.
 */
export async function recordClaim(
	db: Db,
	actor: Actor,
	input: ClaimInput,
	/** `id`: the new claim's, made by the caller before the write (an Idempotency-Key's answer names it). */
	options: { newSpeaker?: boolean; id?: string } = {},
	attempt = 1,
): Promise<RecordClaimResult> {
	const fingerprint = await claimFingerprint(input.text);
	const speaker = await resolveSpeaker(db, actor, input.speaker, options);
	const source = await resolveSource(db, actor, input.source);
	const duplicate = await findDuplicate(db, fingerprint, saidBy(input.speaker, speaker.id), input.externalId);
	if (duplicate) {
		const sameSource = source.id
			? Boolean(
					await db.query.appearances.findFirst({
						where: and(eq(appearances.claimId, duplicate.claimId), eq(appearances.sourceId, source.id)),
						columns: { id: true },
					}),
				)
			: false;
		return { kind: "duplicate", ...duplicate, sameSource };
	}
	const id = options.id ?? newId();
	const claimRow = {
		id,
		text: input.text,
		language: input.language,
		speakerId: speaker.id,
		claimedAt: input.claimedAt,
		context: input.context,
		fingerprint,
		externalId: input.externalId,
		createdBy: actor.userId,
	};
	const appearanceRow = {
		id: newId(),
		claimId: id,
		sourceId: source.id ?? "",
		quote: input.quote,
		anchor: input.anchor,
		isFirst: true,
		createdBy: actor.userId,
	};
	const topics = await planNewClaimTags(db, id, input.tags ?? []);
	try {
		await runBatch(db, [
			...speaker.statements,
			...source.statements,
			// The duplicate check above ran outside this batch: a writer recording the same quote
			// of the same speaker in between must make this batch fail, not store a second claim;
			// so must a removal or merge of the claim with this import id meanwhile.
			db.insert(batchGuards).values({
				ok: sql`NOT EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.fingerprint} = ${fingerprint} AND ${claims.speakerId} IS ${speaker.id})${
					input.externalId
						? sql` AND NOT EXISTS (SELECT 1 FROM ${retiredClaims} WHERE ${retiredClaims.externalId} = ${input.externalId})`
						: sql``
				}`,
			}),
			// Its search terms (text and context stemmed; no verdict yet) go in with it, not in the audit entry.
			db.insert(claims).values({ ...claimRow, searchTerms: termsFor(claimRow, null) }),
			db.insert(appearances).values(appearanceRow),
			...topics.statements,
			audit(db, actor, "create", "claim", id, {
				...claimRow,
				appearance: appearanceRow,
				...(topics.slugs.length ? { tags: topics.slugs } : {}),
			}),
		]);
	} catch (error) {
		// A concurrent writer won a race for this claim, its new speaker, its new source or a
		// new topic's slug, or merged its speaker away (a foreign key: the speaker is gone):
		// nothing of this batch was stored, and a second look finds what the winner made (the
		// name, the survivor; an id that is gone, its own 422).
		const failure = constraintFailure(error);
		const raced =
			failure?.kind === "guard" ||
			failure?.kind === "unique" ||
			failure?.kind === "foreign-key" ||
			topicTakenMeanwhile(error);
		if (attempt === 1 && raced) {
			return recordClaim(db, actor, input, options, attempt + 1);
		}
		throw error;
	}
	const claim = await getClaim(db, id);
	if (!claim) throw new Error("claim vanished after insert");
	return { kind: "created", claim };
}

/** Who says a new claim, as store/merged-words `keptClaimsOf` matches a merged claim's speaker. */
function saidBy(input: ClaimInput["speaker"], id: string | null) {
	if (input === null) return null;
	return { id, name: "name" in input ? input.name : null };
}

/**
 * The claim a new one would repeat: a live claim with its quote and speaker or its import
 * id; else one merged away with that id, or those words by that speaker (store/merged-words),
 * as the claim kept. A removed claim's id is refused. One D1 batch, as the live claim's read
 * alone was; the speakers' spellings are read only when a merged claim had these words.
 */
async function findDuplicate(
	db: Db,
	fingerprint: string,
	speaker: { id: string | null; name: string | null } | null,
	externalId: string | null,
): Promise<{ claimId: string; match: DuplicateMatch } | null> {
	const speakerId = speaker?.id ?? null;
	const [live, retired, merged] = await db.batch([
		db
			.select({ id: claims.id, fingerprint: claims.fingerprint, speakerId: claims.speakerId })
			.from(claims)
			.where(
				sql`(${claims.fingerprint} = ${fingerprint} AND ${claims.speakerId} IS ${speakerId})${
					externalId ? sql` OR ${claims.externalId} = ${externalId}` : sql``
				}`,
			)
			.limit(1),
		db
			.select({ mergedInto: retiredClaims.mergedInto, removedAt: retiredClaims.removedAt })
			.from(retiredClaims)
			.where(externalId ? eq(retiredClaims.externalId, externalId) : sql`0`),
		mergedByFingerprintRead(db, [fingerprint]),
	]);
	const row = live[0];
	if (row) {
		const sameQuote = row.fingerprint === fingerprint && row.speakerId === speakerId;
		return { claimId: row.id, match: sameQuote ? "quote" : "externalId" };
	}
	const fate = retired[0];
	if (fate?.mergedInto) return { claimId: fate.mergedInto, match: "merged-externalId" };
	if (fate?.removedAt) {
		throw conflict(
			`The claim with this externalId was removed from the tracker on ${newsroomDay(fate.removedAt)}: it is not recorded again (give it a new id if it should be).`,
			"claim-removed",
			{ removedAt: fate.removedAt },
		);
	}
	const [kept] = await keptClaimsOf(db, merged, [{ fingerprint, speaker }]);
	return kept ? { claimId: kept, match: "merged-quote" } : null;
}

/**
 * Everything a claim's answers show besides the claim row, for the claims a subquery (or a
 * parenthesised id) names: ten reads for one D1 batch. Each selects by that subquery, never
 * by a list of ids, so none binds more than a few parameters however many claims it covers.
 * No joins: drizzle maps a batch's rows by column name, so a joined `id` would overwrite
 * the other table's `id`.
 */
function detailReads(db: Db, claimIds: SQL) {
	const speakerIds = sql`(SELECT ${claims.speakerId} FROM ${claims} WHERE ${claims.id} IN ${claimIds})`;
	return [
		db.select().from(speakers).where(sql`${speakers.id} IN ${speakerIds}`),
		db
			.select({ speakerId: speakerAliases.speakerId, alias: speakerAliases.alias })
			.from(speakerAliases)
			.where(sql`${speakerAliases.speakerId} IN ${speakerIds}`)
			.orderBy(asc(speakerAliases.alias)),
		db
			.select()
			.from(appearances)
			.where(sql`${appearances.claimId} IN ${claimIds}`)
			.orderBy(desc(appearances.isFirst), asc(appearances.createdAt), sql`${appearances}.rowid`),
		db
			.select()
			.from(sources)
			.where(
				sql`${sources.id} IN (SELECT ${appearances.sourceId} FROM ${appearances} WHERE ${appearances.claimId} IN ${claimIds})`,
			),
		db
			.select()
			.from(verdicts)
			.where(sql`${verdicts.claimId} IN ${claimIds}`)
			// rowid: the order they were written in, also within one millisecond (an import's batch)
			.orderBy(asc(verdicts.createdAt), sql`${verdicts}.rowid`),
		bylineUsers(db, claimIds),
		db
			.select()
			.from(claimChanges)
			.where(and(sql`${claimChanges.claimId} IN ${claimIds}`, eq(claimChanges.isPublic, true)))
			.orderBy(asc(claimChanges.id)),
		tagsOfClaimsIn(db, claimIds),
		snapshotsOfClaims(db, claimIds),
		publicUploadsOfClaimsIn(db, claimIds),
	] as const;
}

/** What each read of a batch answers, in order. */
type RowsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/** Rows by a key, each group in the rows' order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const group = groups.get(key(row));
		if (group) group.push(row);
		else groups.set(key(row), [row]);
	}
	return groups;
}

/** The claims with what `detailReads` found for them. */
function assembleDetails(
	claimRows: readonly Claim[],
	[
		speakerRows,
		aliasRows,
		appearanceRows,
		sourceRows,
		verdictRows,
		peopleRows,
		changeRows,
		tagRows,
		snapshotRows,
		uploadRows,
	]: RowsOf<ReturnType<typeof detailReads>>,
): ClaimDetail[] {
	const people = Object.fromEntries(peopleRows.map((p) => [p.id, p.name]));
	const copies = copiesByUrl(snapshotRows);
	const sourceById = new Map(sourceRows.map((s) => [s.id, s]));
	const speakerById = new Map(speakerRows.map((s) => [s.id, s]));
	// Rows grouped once (an export batch holds 500 claims): not each claim filtering all.
	const appearancesOf = groupBy(appearanceRows, (a) => a.claimId);
	const verdictsOf = groupBy(verdictRows, (v) => v.claimId);
	const changesOf = groupBy(changeRows, (c) => c.claimId);
	const tagsOf = groupBy(tagRows, (t) => t.claimId);
	const uploadsOf = groupBy(uploadRows, (u) => u.claimId);
	const aliasesOf = groupBy(aliasRows, (a) => a.speakerId);
	return claimRows.map((claim) => {
		const speaker = claim.speakerId ? speakerById.get(claim.speakerId) : undefined;
		const ownAppearances = (appearancesOf.get(claim.id) ?? []).flatMap((appearance) => {
			const source = sourceById.get(appearance.sourceId);
			return source ? [{ ...appearance, source }] : [];
		});
		const ownVerdicts = verdictsOf.get(claim.id) ?? [];
		// Its own copies only (its sources and its public verdicts' evidence), not the batch's:
		// every answer built from it lists them.
		const urls = [
			...ownAppearances.map((a) => a.source.url),
			...ownVerdicts
				.filter((v) => v.state !== "draft")
				.flatMap((v) => parseEvidence(v.evidence).map((e) => e.url)),
		];
		return {
			...claim,
			speaker: speaker
				? {
						...speaker,
						aliases: (aliasesOf.get(speaker.id) ?? [])
							.filter((a) => a.alias !== speaker.name)
							.map((a) => a.alias),
					}
				: null,
			appearances: ownAppearances,
			verdicts: ownVerdicts,
			people,
			changes: changesOf.get(claim.id) ?? [],
			tags: (tagsOf.get(claim.id) ?? []).map(({ claimId: _, ...tag }) => tag),
			snapshots: Object.fromEntries(urls.flatMap((url) => (copies[url] ? [[url, copies[url]]] : []))),
			uploads: (uploadsOf.get(claim.id) ?? []).map(({ claimId: _, ...upload }) => upload),
		};
	});
}

/** A claim with speaker, appearances, verdicts, bylines and the rest: one D1 round trip. */
export async function getClaim(db: Db, id: string): Promise<ClaimDetail | undefined> {
	const [claimRows, ...details] = await db.batch([
		db.select().from(claims).where(eq(claims.id, id)).limit(1),
		...detailReads(db, sql`(${id})`),
	]);
	return assembleDetails(claimRows, details)[0];
}

/**
 * Claims per round trip in `getClaims`: some reads of the batch bind every id twice
 * (bylines, archived copies), and no statement may bind more than 100 parameters.
 */
const CLAIMS_PER_READ = 45;

/** Several claims as `getClaim` reads them, one D1 round trip per 45 (an import's re-rated claims). */
export async function getClaims(db: Db, ids: readonly string[]): Promise<ClaimDetail[]> {
	const unique = [...new Set(ids)];
	const out: ClaimDetail[] = [];
	for (let i = 0; i < unique.length; i += CLAIMS_PER_READ) {
		const part = unique.slice(i, i + CLAIMS_PER_READ);
		const list = sql`(${sql.join(
			part.map((id) => sql`${id}`),
			sql`, `,
		)})`;
		const [claimRows, ...details] = await db.batch([
			db.select().from(claims).where(inArray(claims.id, part)),
			...detailReads(db, list),
		]);
		out.push(...assembleDetails(claimRows, details));
	}
	return out;
}

/** The speakers of some claims (for the pages a write makes stale); chunked under D1's 100 bound parameters. */
export async function speakerIdsOfClaims(db: Db, claimIds: readonly string[]): Promise<string[]> {
	const found = new Set<string>();
	for (let i = 0; i < claimIds.length; i += 90) {
		const rows = await db
			.selectDistinct({ speakerId: claims.speakerId })
			.from(claims)
			.where(inArray(claims.id, claimIds.slice(i, i + 90)));
		for (const row of rows) if (row.speakerId) found.add(row.speakerId);
	}
	return [...found];
}

/**
 * The claims whose answers name these speakers or topics: for purges that go claim by
 * claim (the local fallback of lib/public-cache), where one tag (domain/cache-tags
 * `speakerClaimsTag`, `topicTag`) names them all under Workers Caching.
 */
export async function claimIdsNaming(
	db: Db,
	named: { speakerIds: readonly string[]; topics: readonly string[] },
): Promise<string[]> {
	const rows = await batchReads(db, [
		...idChunks(named.speakerIds).map((ids) =>
			db.select({ id: claims.id }).from(claims).where(inArray(claims.speakerId, ids)),
		),
		...idChunks(named.topics).map((slugs) =>
			db.select({ id: claimTags.claimId }).from(claimTags).where(inArray(claimTags.tagSlug, slugs)),
		),
	]);
	return [...new Set(rows.flat().map((row) => row.id))];
}

export async function countClaims(db: Db): Promise<number> {
	const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${claims}`);
	return row?.n ?? 0;
}

/** Entries of a claim's history a page. */
const HISTORY_PAGE = 200;

/**
 * The ids of a claim's discarded drafts, whose rows are gone: from the discards' audit
 * entries, by their partial index (`audit_log_discarded_draft_idx`, whose expression and
 * condition this repeats). Those of the claims merged into it too: a merged claim had no
 * verdict but may have had drafts, and the kept claim's timeline shows the duplicate's entries.
 */
function discardedDrafts(claimId: string) {
	const discard = sql`discards.entity = 'verdict' AND discards.action = 'discard-draft'`;
	// Each an equality on the index's expression, the merged ids first (CROSS JOIN keeps that
	// order), compared without the column's affinity (`+`), which the expression lacks: with
	// `IN (its id, the merged ids)`, or a plain join, SQLite walked the verdict entries instead.
	return sql`(SELECT discards.entity_id FROM ${auditLog} AS discards WHERE ${discard} AND (discards.changes ->> '$.claimId') = ${claimId} UNION ALL SELECT discards.entity_id FROM ${retiredClaims} CROSS JOIN ${auditLog} AS discards ON ${discard} AND (discards.changes ->> '$.claimId') = +${retiredClaims.id} WHERE ${retiredClaims.mergedInto} = ${claimId})`;
}

/**
 * The audit trail of a claim and its verdicts (discarded drafts too), newest first, with actor names, a page at a
 * time: `before` is the oldest entry shown so far, `older` the one to go on from (null on
 * the last page). The verdicts are a subquery, not a list of ids: a claim corrected a
 * hundred times would bind past D1's 100 parameters.
 */
export async function claimHistory(db: Db, claimId: string, before: number | null = null) {
	const rows = await claimHistoryQuery(db, claimId, before);
	const entries = rows.slice(0, HISTORY_PAGE);
	return { entries, older: rows.length > HISTORY_PAGE ? (entries.at(-1)?.id ?? null) : null };
}

const minters = alias(users, "minters");
/** Whom an assignment entry names (its `changes.from` and `.to` are user ids): the timeline says who. */
const assignedFrom = alias(users, "assigned_from");
const assignedTo = alias(users, "assigned_to");
const ASSIGNMENT = sql.raw("('assign', 'unassign')");

/** One page of `claimHistory` and one entry more (exported for its query plan's test). */
export function claimHistoryQuery(db: Db, claimId: string, before: number | null) {
	return db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			entity: auditLog.entity,
			entityId: auditLog.entityId,
			changes: auditLog.changes,
			actorLabel: auditLog.actorLabel,
			actorName: users.name,
			// Who minted the token the actor acted with, when not the actor (auth/api-tokens `tokenActor`).
			minterName: minters.name,
			// In the same read, by primary key: the names of an assignment's holders before and after.
			fromName: assignedFrom.name,
			toName: assignedTo.name,
			// Each named account that is disabled now: the page says so beside the name.
			actorDeparted: departed(users.disabledAt),
			minterDeparted: departed(minters.disabledAt),
			fromDeparted: departed(assignedFrom.disabledAt),
			toDeparted: departed(assignedTo.disabledAt),
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.leftJoin(minters, eq(minters.id, auditLog.tokenMintedBy))
		.leftJoin(
			assignedFrom,
			sql`${auditLog.action} IN ${ASSIGNMENT} AND ${assignedFrom.id} = (${auditLog.changes} ->> '$.from')`,
		)
		.leftJoin(
			assignedTo,
			sql`${auditLog.action} IN ${ASSIGNMENT} AND ${assignedTo.id} = (${auditLog.changes} ->> '$.to')`,
		)
		.where(
			and(
				sql`((${auditLog.entity} = 'claim' AND (${auditLog.entityId} = ${claimId} OR ${auditLog.entityId} IN ${mergedIntoQuery(claimId)})) OR (${auditLog.entity} = 'verdict' AND (${auditLog.entityId} IN (SELECT ${verdicts.id} FROM ${verdicts} WHERE ${verdicts.claimId} = ${claimId}) OR ${auditLog.entityId} IN ${discardedDrafts(claimId)})))`,
				before === null ? undefined : sql`${auditLog.id} < ${before}`,
			),
		)
		.orderBy(desc(auditLog.id))
		.limit(HISTORY_PAGE + 1);
}

/**
 * The next claims with a public verdict after `afterSeq` (by seq), with every detail, in
 * one D1 round trip: an export streams thousands of claims, and D1 limits the queries of
 * one Worker invocation (1,000 on Workers Paid, 50 on Free), so a batch is one query
 * however many claims it holds (before, each batch of 100 took 8).
 */
export async function publishedClaimDetailsAfter(
	db: Db,
	afterSeq: number,
	limit: number,
): Promise<ClaimDetail[]> {
	const next = sql`${claims.seq} > ${afterSeq} AND EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claims.id} AND ${verdicts.state} <> 'draft')`;
	const [claimRows, ...details] = await db.batch([
		db.select().from(claims).where(next).orderBy(asc(claims.seq)).limit(limit),
		...detailReads(
			db,
			sql`(SELECT ${claims.id} FROM ${claims} WHERE ${next} ORDER BY ${claims.seq} LIMIT ${limit})`,
		),
	]);
	return assembleDetails(claimRows, details);
}
