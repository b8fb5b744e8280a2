import { and, desc, eq, inArray, lt, ne, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
	appearances,
	auditLog,
	claims,
	type Snapshot,
	snapshots,
	sources,
	verdictEvidence,
	verdicts,
} from "../db/schema";
import { newId } from "../domain/ids";
import {
	copyForCitation,
	SNAPSHOT_CLAIM_MS,
	SNAPSHOT_FRESH_MS,
	SNAPSHOT_NOT_QUEUED,
	SNAPSHOT_STRANDED_MS,
} from "../domain/snapshots";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { type Actor, chunkForStatement, guardOneRow, MAX_PARAMS, nowIso, type Statement } from "./batch";
import { touchClaimsOfSource } from "./public-changes";
import { sourceCitedSql } from "./sources";

/** The public fields of a snapshot, as the claim JSON and pages show them. */
export type SnapshotRef = Pick<
	Snapshot,
	"id" | "url" | "sha256" | "fetchedAt" | "httpStatus" | "contentType"
>;

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** Evidence URLs of public verdicts, in SQL: a verdict's `evidence` is a JSON array of {url, title}. */
const evidenceUrls = (where: ReturnType<typeof sql>) =>
	sql`SELECT json_extract(e.value, '$.url') FROM ${verdicts}, json_each(${verdicts.evidence}) e WHERE ${where}`;

/** The source pages of these claims and the evidence of their public verdicts. */
export async function urlsOfClaims(db: Db, claimIds: readonly string[]): Promise<string[]> {
	const found = new Set<string>();
	for (const ids of chunks(claimIds, MAX_PARAMS / 2 - 1)) {
		const list = sql.join(
			ids.map((id) => sql`${id}`),
			sql`, `,
		);
		const rows = await db.all<{ url: string }>(
			sql`SELECT ${sources.url} AS url FROM ${sources} WHERE ${sources.id} IN (SELECT ${appearances.sourceId} FROM ${appearances} WHERE ${appearances.claimId} IN (${list}))
				UNION ${evidenceUrls(sql`${verdicts.claimId} IN (${list}) AND ${verdicts.state} <> 'draft'`)}`,
		);
		for (const row of rows) if (typeof row.url === "string") found.add(row.url);
	}
	return [...found];
}

export async function urlOfAppearance(db: Db, appearanceId: string): Promise<string[]> {
	const rows = await db
		.select({ url: sources.url })
		.from(sources)
		.where(
			sql`${sources.id} = (SELECT ${appearances.sourceId} FROM ${appearances} WHERE ${appearances.id} = ${appearanceId})`,
		);
	return rows.map((r) => r.url);
}

export async function urlsOfVerdict(db: Db, verdictId: string): Promise<string[]> {
	const rows = await db.all<{ url: unknown }>(
		sql`SELECT DISTINCT json_extract(e.value, '$.url') AS url FROM ${verdicts}, json_each(${verdicts.evidence}) e WHERE ${verdicts.id} = ${verdictId}`,
	);
	return rows.flatMap((r) => (typeof r.url === "string" ? [r.url] : []));
}

/**
 * Whether a snapshot row (`s`) holds its address against a new copy: archived, being tried,
 * or failed with a retry due, within the last 24 hours. A failed row with no try due
 * (`retry_at` null: given up, refused, a storage outage's last delivery, never queued, or
 * unfinished in a restored backup) does not: its message says to archive it again, and a
 * new citation or "Archive again" must fetch it.
 */
const holdsAddressSql = (url: SQL | SQLiteColumn, since: string) =>
	sql`EXISTS (
		SELECT 1 FROM ${snapshots} AS s
		WHERE s.url = ${url}
			AND max(s.created_at, coalesce(s.fetched_at, '')) > ${since}
			AND NOT (s.state = 'failed' AND s.retry_at IS NULL)
	)`;

/** An address the archive fetches, as the table's check has it (case matters). */
const archivable = (url: string) => /^https?:\/\//.test(url) && url.length <= 2048;

/** Addresses a planning statement binds, as one JSON parameter (at most about 200 kB). */
const URLS_PER_PLAN = 100;

/**
 * New pending snapshots for the URLs that need one: none archived, being tried or failed
 * with a retry due within the last 24 hours (`holdsAddressSql`: a copy failed with no try
 * due does not count). Returns the new rows' ids and URLs, to be queued.
 * The 24-hour check is in the INSERT itself (`WHERE NOT EXISTS`), not a read before it:
 * two writes citing one address at once both passed such a read, and the address was
 * fetched twice. SQLite runs each statement alone, so only one of them inserts; `RETURNING`
 * says which rows did.
 */
export async function planSnapshots(
	db: Db,
	urls: readonly string[],
	now: number,
): Promise<{ id: string; url: string }[]> {
	// As the table's check has it (case matters): one address it would refuse fails the
	// whole batch, and every other copy asked for with it.
	const wanted = [...new Set(urls.filter(archivable))];
	if (wanted.length === 0) return [];
	const since = new Date(now - SNAPSHOT_FRESH_MS).toISOString();
	// The rows are the record (who asked is the write that cited the URL, in its own audit entry).
	const planned: { id: string; url: string }[] = [];
	for (const part of chunks(wanted, URLS_PER_PLAN)) {
		const rows = await db.all<{ id: string; url: string }>(
			sql`INSERT INTO ${snapshots} (id, url)
				SELECT json_extract(j.value, '$.id'), json_extract(j.value, '$.url')
				FROM json_each(${JSON.stringify(part.map((url) => ({ id: newId(), url })))}) AS j
				WHERE NOT ${holdsAddressSql(sql`json_extract(j.value, '$.url')`, since)}
				RETURNING id, url`,
		);
		planned.push(...rows);
	}
	return planned;
}

/** A new pending copy of `url`, as "Archive again" inserts it (a select's columns). */
function pendingCopyColumns(id: string, at: string, url: SQLiteColumn) {
	return {
		id: sql`${id}`.as("id"),
		url: sql`${url}`.as("url"),
		finalUrl: sql`NULL`.as("final_url"),
		state: sql`'pending'`.as("state"),
		httpStatus: sql`NULL`.as("http_status"),
		contentType: sql`NULL`.as("content_type"),
		sha256: sql`NULL`.as("sha256"),
		bytes: sql`NULL`.as("bytes"),
		fetchedAt: sql`NULL`.as("fetched_at"),
		error: sql`NULL`.as("error"),
		attempts: sql`0`.as("attempts"),
		retryAt: sql`NULL`.as("retry_at"),
		createdAt: sql`${at}`.as("created_at"),
		updatedAt: sql`${at}`.as("updated_at"),
	};
}

/**
 * "Again": nothing holds the address, and its newest try failed with no try due, or there
 * was no try at all (a source or evidence whose planning failed, or recorded before the
 * archive: see `snapshotStates`). Nothing else would ask for it: the claim cannot cite the
 * address twice, and waiting for another claim to cite it may be waiting for good.
 */
function dueAgainSql(url: SQLiteColumn, since: string): SQL {
	return sql`NOT ${holdsAddressSql(url, since)} AND coalesce((SELECT s.state = 'failed' AND s.retry_at IS NULL FROM ${snapshots} AS s WHERE s.url = ${url} ORDER BY s.created_at DESC, s.id DESC LIMIT 1), 1) = 1`;
}

/** The plan's audit entry on the claim, written only when the plan's row was (read back by its id). */
function auditOfPlan(
	db: Db,
	actor: Actor,
	plan: { at: string; id: string; claimId: string; action: string; changes: SQL },
) {
	return db.insert(auditLog).select(
		db
			.select({
				id: sql`NULL`.as("id"),
				at: sql`${plan.at}`.as("at"),
				actorId: sql`${actor.userId}`.as("actor_id"),
				actorLabel: sql`${actor.label ?? null}`.as("actor_label"),
				action: sql`${plan.action}`.as("action"),
				entity: sql`'claim'`.as("entity"),
				entityId: sql`${plan.claimId}`.as("entity_id"),
				changes: plan.changes.as("changes"),
				requestId: sql`${actor.requestId ?? null}`.as("request_id"),
				clientRequestId: sql`${actor.clientRequestId ?? null}`.as("client_request_id"),
				tokenMintedBy: sql`${actor.tokenMintedBy ?? null}`.as("token_minted_by"),
			})
			.from(snapshots)
			.where(eq(snapshots.id, plan.id)),
	);
}

/**
 * An "Archive again" plan's batch: its INSERT … SELECT, a guard that it inserted the row, its
 * audit row. One that planned nothing (not due, the appearance or citation gone) trips the
 * guard and commits nothing at all: no audit row, and none of the request's Idempotency-Key
 * mark either (store/idempotency `markingDb` adds it to this batch), so the refusal that
 * follows frees the key and a repeat is refused again, never told "archive requested". Null then.
 */
async function runPlan(
	db: Db,
	insert: Statement & PromiseLike<{ id: string; url: string }[]>,
	audited: Statement,
): Promise<{ id: string; url: string } | null> {
	try {
		const [planned] = await db.batch([insert, guardOneRow(db), audited]);
		return planned[0] ?? null;
	} catch (error) {
		if (constraintFailure(error)?.kind === "guard") return null;
		throw error;
	}
}

/**
 * "Archive again" on an appearance: a new pending copy of its source whose newest try
 * failed with no try due, or that was never tried (`dueAgainSql`), planned as
 * `planSnapshots` plans one (not while the address has a copy from the last 24 hours, one
 * being fetched or a retry due), audited on the claim in the same batch. The row is read
 * from the appearance in the INSERT itself, so an appearance removed meanwhile plans
 * nothing. Null when nothing was planned (`runPlan`: nothing committed): the caller tells why.
 */
export async function planCopyOfAppearance(
	db: Db,
	actor: Actor,
	claimId: string,
	appearanceId: string,
	now: number,
): Promise<{ id: string; url: string } | null> {
	const id = newId();
	const at = new Date(now).toISOString();
	const since = new Date(now - SNAPSHOT_FRESH_MS).toISOString();
	const insert = db.insert(snapshots).select(
		db
			.select(pendingCopyColumns(id, at, sources.url))
			.from(appearances)
			.innerJoin(sources, eq(sources.id, appearances.sourceId))
			.where(
				and(
					eq(appearances.id, appearanceId),
					eq(appearances.claimId, claimId),
					sql`${sources.url} GLOB 'http*://*' AND length(${sources.url}) <= 2048`,
					dueAgainSql(sources.url, since),
				),
			),
	);
	const audited = auditOfPlan(db, actor, {
		at,
		id,
		claimId,
		action: "archive-again",
		changes: sql`json_object('appearanceId', ${appearanceId}, 'snapshotId', ${id}, 'url', ${snapshots.url})`,
	});
	return runPlan(db, insert.returning({ id: snapshots.id, url: snapshots.url }), audited);
}

/**
 * "Archive again" on a verdict's evidence: a new pending copy of an address a public (not
 * draft) verdict of the claim cites as evidence, under `planCopyOfAppearance`'s rule (its
 * newest try failed with no try due, and nothing holds the address), audited on the claim
 * in the same batch. The citation is read in the INSERT itself (`verdict_evidence`, kept by
 * triggers), so a claim that does not cite the address plans nothing. Null when nothing was
 * planned (`runPlan`: nothing committed): the caller tells why.
 */
export async function planCopyOfEvidence(
	db: Db,
	actor: Actor,
	claimId: string,
	url: string,
	now: number,
): Promise<{ id: string; url: string } | null> {
	const id = newId();
	const at = new Date(now).toISOString();
	const since = new Date(now - SNAPSHOT_FRESH_MS).toISOString();
	const insert = db.insert(snapshots).select(
		db
			.select(pendingCopyColumns(id, at, verdictEvidence.url))
			.from(verdictEvidence)
			.innerJoin(verdicts, eq(verdicts.id, verdictEvidence.verdictId))
			.where(
				and(
					eq(verdictEvidence.url, url),
					eq(verdicts.claimId, claimId),
					ne(verdicts.state, "draft"),
					sql`${verdictEvidence.url} GLOB 'http*://*' AND length(${verdictEvidence.url}) <= 2048`,
					// Evidence no try was ever made for (its planning failed after the publication,
					// or it was published where nothing plans copies) is due too: the claim cannot
					// cite it again without a new verdict.
					dueAgainSql(verdictEvidence.url, since),
				),
			)
			// Cited by a correction and the verdict it superseded: one copy.
			.limit(1),
	);
	const audited = auditOfPlan(db, actor, {
		at,
		id,
		claimId,
		action: "archive-evidence-again",
		changes: sql`json_object('snapshotId', ${id}, 'url', ${snapshots.url})`,
	});
	return runPlan(db, insert.returning({ id: snapshots.id, url: snapshots.url }), audited);
}

/** Whether the claim is recorded, and a public verdict of it cites the address as evidence. */
export async function evidenceOfClaim(
	db: Db,
	claimId: string,
	url: string,
): Promise<"found" | "no-evidence" | "no-claim"> {
	// Written out: drizzle leaves the columns of a select list's subquery unqualified.
	const [row] = await db.all<{ cited: number }>(
		sql`SELECT EXISTS (SELECT 1 FROM verdict_evidence AS e JOIN verdicts AS v ON v.id = e.verdict_id
			WHERE e.url = ${url} AND v.claim_id = c.id AND v.state <> 'draft') AS cited
			FROM claims AS c WHERE c.id = ${claimId}`,
	);
	if (!row) return "no-claim";
	return row.cited ? "found" : "no-evidence";
}

/** Whether the claim is recorded, and the appearance one of its (by their keys). */
export async function appearanceOfClaim(
	db: Db,
	claimId: string,
	appearanceId: string,
): Promise<"found" | "no-appearance" | "no-claim"> {
	const [row] = await db
		.select({ id: appearances.id })
		.from(claims)
		.leftJoin(appearances, and(eq(appearances.claimId, claims.id), eq(appearances.id, appearanceId)))
		.where(eq(claims.id, claimId))
		.limit(1);
	if (!row) return "no-claim";
	return row.id === null ? "no-appearance" : "found";
}

/**
 * Planned copies whose queue message was never sent (`requestSnapshots`' send failed):
 * failed, with why, and no try counted, so the next citation of the address plans anew
 * (`planSnapshots`). Only rows still pending: a consumer that got a message after all wins.
 */
export async function failUnqueuedSnapshots(db: Db, ids: readonly string[], at: string): Promise<void> {
	const fail = (part: string[]) =>
		db
			.update(snapshots)
			.set({ state: "failed", error: SNAPSHOT_NOT_QUEUED, updatedAt: at })
			.where(and(inArray(snapshots.id, part), eq(snapshots.state, "pending")));
	for (const part of chunkForStatement(ids, fail)) await fail(part);
}

/**
 * Copies still pending `SNAPSHOT_STRANDED_MS` after they were planned (the daily cron): no
 * queue message is left for them (a send that failed and could not be recorded, or a
 * request cut off between planning and sending), and the desk showed "Archiving…" for
 * good. They fail as not queued, like `failUnqueuedSnapshots`. A message that does arrive
 * later still fetches its copy (the consumer fetches failed rows, as it retries them).
 * Failed rows whose retry was due as long ago lose it too (`retryAt`: the queue lost the
 * message). A scan of the table once a day (no index on state).
 */
export async function failStrandedSnapshots(db: Db, now: number): Promise<number> {
	const before = new Date(now - SNAPSHOT_STRANDED_MS).toISOString();
	const at = new Date(now).toISOString();
	const [stranded, overdue] = await db.batch([
		db
			.update(snapshots)
			.set({ state: "failed", error: SNAPSHOT_NOT_QUEUED, updatedAt: at })
			.where(and(eq(snapshots.state, "pending"), lt(snapshots.createdAt, before)))
			.returning({ id: snapshots.id }),
		// A retry that never came (its message lost): no try is due any more, whatever the row
		// said, so the desk stops saying "retried later" and offers "Archive again".
		db
			.update(snapshots)
			.set({ retryAt: null, updatedAt: at })
			.where(and(eq(snapshots.state, "failed"), lt(snapshots.retryAt, before)))
			.returning({ id: snapshots.id }),
	]);
	return stranded.length + overdue.length;
}

export async function getSnapshot(db: Db, id: string): Promise<Snapshot | undefined> {
	const [row] = await db.select().from(snapshots).where(eq(snapshots.id, id)).limit(1);
	return row;
}

/**
 * A stored copy the public may open: of an address a claim's source or a verdict's evidence
 * still cites. The copy stays in the archive when the only claim citing it is removed (one
 * naming a private individual, say), but its text is no longer served. With `reviewedOnly`
 * (PUBLIC_UNREVIEWED = "hide") a source's copy is public once a reviewed claim cites it, as
 * the sources list has it: the copy of what only the desk's unpublished work cites would
 * tell what the desk is checking. Index lookups: `sources_url_unique`,
 * `appearances_source_idx`, verdict_evidence's key (url first).
 */
export async function getPublicSnapshot(
	db: Db,
	id: string,
	reviewedOnly = false,
): Promise<Snapshot | undefined> {
	const [row] = await db
		.select()
		.from(snapshots)
		.where(
			and(
				eq(snapshots.id, id),
				eq(snapshots.state, "ok"),
				reviewedOnly ? snapshotCitedReviewedSql : snapshotCitedSql,
			),
		)
		.limit(1);
	return row;
}

/**
 * The language of the source at an address, if one is recorded there with a language: the
 * language of its copy's text (by `sources_url_unique`). Evidence that is no claim's
 * source has none on record.
 */
export async function sourceLanguageAt(db: Db, url: string): Promise<string | null> {
	const [row] = await db
		.select({ language: sources.language })
		.from(sources)
		.where(eq(sources.url, url))
		.limit(1);
	return row?.language ?? null;
}

/** Evidence of a verdict that is no draft (a published one's, whose claim is reviewed): public in either mode. */
const citedAsEvidenceSql = sql`EXISTS (SELECT 1 FROM ${verdictEvidence} JOIN ${verdicts} ON ${verdicts.id} = ${verdictEvidence.verdictId} WHERE ${verdictEvidence.url} = ${snapshots.url} AND ${verdicts.state} <> 'draft')`;

/** The condition of `getPublicSnapshot` (its plan is tested: tests/api/query-plans). */
export const snapshotCitedSql = sql`(EXISTS (SELECT 1 FROM ${sources} JOIN ${appearances} ON ${appearances.sourceId} = ${sources.id} WHERE ${sources.url} = ${snapshots.url}) OR ${citedAsEvidenceSql})`;

/** A claim with a public review: one published (it may since be superseded or retracted). */
const reviewedClaimSql = sql`(${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted')`;

/** `snapshotCitedSql` where unreviewed claims are hidden: a source's copy once a reviewed claim cites it. */
export const snapshotCitedReviewedSql = sql`(EXISTS (SELECT 1 FROM ${sources} JOIN ${appearances} ON ${appearances.sourceId} = ${sources.id} JOIN ${claims} ON ${claims.id} = ${appearances.claimId} WHERE ${sources.url} = ${snapshots.url} AND ${reviewedClaimSql}) OR ${citedAsEvidenceSql})`;

/**
 * Claims a copy's objects in R2 for the bytes of one fetch, before they are written: its
 * SHA-256 is recorded on the row not yet stored, unless another delivery's claim holds (one
 * younger than SNAPSHOT_CLAIM_MS; an older one's holder died). Only the holder writes the
 * objects and marks the copy stored (`markSnapshotArchived`), so the hash D1 keeps is that of
 * the bytes R2 keeps. Whether the claim is this fetch's.
 */
export async function claimSnapshotObjects(
	db: Db,
	id: string,
	sha256: string,
	now: number,
): Promise<boolean> {
	const stale = new Date(now - SNAPSHOT_CLAIM_MS).toISOString();
	const rows = await db
		.update(snapshots)
		.set({ sha256, updatedAt: new Date(now).toISOString() })
		.where(
			and(
				eq(snapshots.id, id),
				ne(snapshots.state, "ok"),
				sql`(${snapshots.sha256} IS NULL OR ${snapshots.updatedAt} <= ${stale})`,
			),
		)
		.returning({ id: snapshots.id });
	return rows.length > 0;
}

/** Gives up a claim of `claimSnapshotObjects` whose objects could not be written. */
export async function releaseSnapshotObjects(db: Db, id: string, sha256: string): Promise<void> {
	await db
		.update(snapshots)
		.set({ sha256: null })
		.where(and(eq(snapshots.id, id), ne(snapshots.state, "ok"), eq(snapshots.sha256, sha256)));
}

/** Marks a copy stored, if its objects are still claimed for these bytes (`claimSnapshotObjects`). */
export async function markSnapshotArchived(
	db: Db,
	id: string,
	fields: Pick<Snapshot, "finalUrl" | "httpStatus" | "contentType" | "bytes"> & {
		sha256: string;
		fetchedAt: string;
	},
): Promise<boolean> {
	const rows = await db
		.update(snapshots)
		.set({
			...fields,
			state: "ok",
			error: null,
			retryAt: null,
			attempts: sql`${snapshots.attempts} + 1`,
			updatedAt: fields.fetchedAt,
		})
		.where(and(eq(snapshots.id, id), ne(snapshots.state, "ok"), eq(snapshots.sha256, fields.sha256)))
		.returning({ id: snapshots.id });
	return rows.length > 0;
}

/** The newest stored copy of an address, if any. */
export async function newestCopyOf(db: Db, url: string): Promise<Snapshot | undefined> {
	const [row] = await db
		.select()
		.from(snapshots)
		.where(and(eq(snapshots.url, url), eq(snapshots.state, "ok")))
		.orderBy(desc(snapshots.createdAt), desc(snapshots.id))
		.limit(1);
	return row;
}

/**
 * Records a failed attempt, with when the consumer tries again (`retryAt`), or null when it
 * will not (given up, refused for good, a storage outage's last delivery): the desk says
 * "retried later" only while a try is due. Returns how many attempts the snapshot has had.
 */
export async function markSnapshotFailed(
	db: Db,
	id: string,
	error: string,
	at: string,
	retryAt: string | null,
): Promise<number> {
	const [row] = await db
		.update(snapshots)
		.set({
			state: "failed",
			error: error.slice(0, 500),
			attempts: sql`${snapshots.attempts} + 1`,
			retryAt,
			updatedAt: at,
		})
		// A stored copy stays stored: only its own fetch's failure is recorded.
		.where(and(eq(snapshots.id, id), ne(snapshots.state, "ok")))
		.returning({ attempts: snapshots.attempts });
	return row?.attempts ?? 0;
}

/**
 * The archived copies the answers of some claims (a subquery, or a parenthesised id) show,
 * inside their detail batch, so no join (drizzle maps batch rows by column name): `ok`
 * snapshots of their source pages and of their public verdicts' evidence, newest first.
 */
export function snapshotsOfClaims(db: Db, claimIds: SQL) {
	return db
		.select()
		.from(snapshots)
		.where(
			sql`${snapshots.state} = 'ok' AND ${snapshots.url} IN (SELECT ${sources.url} FROM ${sources} WHERE ${sources.id} IN (SELECT ${appearances.sourceId} FROM ${appearances} WHERE ${appearances.claimId} IN ${claimIds}) UNION ${evidenceUrls(sql`${verdicts.claimId} IN ${claimIds} AND ${verdicts.state} <> 'draft'`)})`,
		)
		.orderBy(desc(snapshots.fetchedAt), desc(snapshots.id));
}

/** Every copy of each URL, oldest first (the rows come newest first). */
export function copiesByUrl(rows: readonly Snapshot[]): Record<string, SnapshotRef[]> {
	const out: Record<string, SnapshotRef[]> = {};
	for (const row of rows) {
		const copies = out[row.url] ?? [];
		copies.unshift(row);
		out[row.url] = copies;
	}
	return out;
}

/** Where the archive stands for one address: its newest try in any state, and the citation's copy. */
export interface ArchiveStanding {
	/** Null: no try at all (`snapshotStates`: its planning failed, or it was recorded before the archive). */
	latest: Snapshot | null;
	/**
	 * The copy made for the citation (domain/snapshots `copyForCitation`), the one the public
	 * page, its ClaimReview and the JSON link: it stands whatever the tries after it did.
	 */
	copy: Snapshot | null;
	/**
	 * The newest try failed with no try due, or there was none, and no row holds the address
	 * (`holdsAddressSql`, here on the rows read): "Archive again" would plan a copy.
	 */
	mayArchiveAgain: boolean;
}

/**
 * The newest snapshot of each cited URL in any state (the desk shows pending and failed ones
 * too), with the copy the public surfaces link for that citation (`copyForCitation` at
 * `citedAt`: an appearance's `createdAt`), not simply the newest: a later failed try must not
 * hide it, and a later copy of an edited page is not the evidence the claim cited. Keyed by
 * each citation's `key` (its URL when it has none): one address cited twice (a source and a
 * verdict's evidence) may have two copies.
 */
export async function snapshotStates(
	db: Db,
	/**
	 * An address without a row stands as never tried (`latest` null), to be archived again:
	 * an appearance's source or a published verdict's evidence whose planning failed, or
	 * recorded before the archive, which `planCopyOfAppearance` and `planCopyOfEvidence` plan
	 * then.
	 */
	citations: readonly { url: string; citedAt: string; key?: string }[],
	now = Date.now(),
): Promise<Record<string, ArchiveStanding>> {
	const urls = citations.map((citation) => citation.url);
	const copies: Record<string, Snapshot[]> = {};
	const since = new Date(now - SNAPSHOT_FRESH_MS).toISOString();
	const found: Record<string, ArchiveStanding> = {};
	const held = new Set<string>();
	for (const part of chunks([...new Set(urls)], MAX_PARAMS - 1)) {
		const rows = await db
			.select()
			.from(snapshots)
			.where(inArray(snapshots.url, part))
			.orderBy(desc(snapshots.createdAt), desc(snapshots.id));
		for (const row of rows) {
			const standing = found[row.url] ?? {
				latest: row,
				copy: null,
				mayArchiveAgain: row.state === "failed" && row.retryAt === null,
			};
			if (row.state === "ok") copies[row.url] = [...(copies[row.url] ?? []), row];
			const settled = row.state === "failed" && row.retryAt === null;
			if (!settled && [row.createdAt, row.fetchedAt ?? ""].some((at) => at > since)) held.add(row.url);
			found[row.url] = standing;
		}
	}
	for (const url of held) if (found[url]) found[url].mayArchiveAgain = false;
	// Oldest first by fetch, as copyForCitation reads them (and the public claim's copies are).
	for (const ok of Object.values(copies))
		ok.sort((a, b) => (a.fetchedAt ?? "").localeCompare(b.fetchedAt ?? ""));
	const standings: Record<string, ArchiveStanding> = {};
	for (const { url, citedAt, key } of citations) {
		const standing = found[url];
		// Each citation its own copy: evidence cited when a verdict was published, say.
		if (standing)
			standings[key ?? url] = { ...standing, copy: copyForCitation(copies[url], citedAt) ?? null };
		// An address the archive cannot take (an old row kept as written) has no standing: it was
		// never "not asked for", it cannot be asked for.
		else if (archivable(url)) standings[key ?? url] = { latest: null, copy: null, mayArchiveAgain: true };
	}
	return standings;
}

/**
 * Claims whose public answers show a copy of this URL: as a source, or as evidence of a
 * public verdict. Both by index: the evidence through `verdict_evidence` (kept by triggers),
 * not by parsing every verdict's evidence for each copy the archive stores.
 */
export async function claimsCitingUrl(db: Db, url: string): Promise<string[]> {
	const rows = await db.all<{ id: string }>(claimsCitingUrlQuery(url));
	return rows.map((r) => r.id);
}

/** The query of `claimsCitingUrl` (its plan is tested: tests/api/query-plans). */
export const claimsCitingUrlQuery = (url: string) =>
	sql`SELECT ${appearances.claimId} AS id FROM ${appearances} JOIN ${sources} ON ${sources.id} = ${appearances.sourceId} WHERE ${sources.url} = ${url}
		UNION SELECT ${verdicts.claimId} FROM ${verdictEvidence} JOIN ${verdicts} ON ${verdicts.id} = ${verdictEvidence.verdictId} WHERE ${verdictEvidence.url} = ${url} AND ${verdicts.state} <> 'draft'`;

/**
 * Is this the URL of a public source with no archive URL yet (Save Page Now is asked for
 * sources only)? The Internet Archive's captures are public and permanent, so only for a
 * source the public may see now: one a claim or a non-draft verdict still cites
 * (`sourceCitedSql`; a removed claim's source, one naming a private individual, say, is not),
 * and with `reviewedOnly` (PUBLIC_UNREVIEWED = "hide") one a reviewed claim cites, as the
 * sources list has it: asking for the source of a claim still unpublished would reveal what
 * the desk is working on.
 */
export async function sourceLacksArchive(db: Db, url: string, reviewedOnly = false): Promise<boolean> {
	const cited = reviewedOnly
		? sql`EXISTS (SELECT 1 FROM ${appearances} JOIN ${claims} ON ${claims.id} = ${appearances.claimId} WHERE ${appearances.sourceId} = ${sources.id} AND ${reviewedClaimSql})`
		: sourceCitedSql;
	const [row] = await db
		.select({ id: sources.id })
		.from(sources)
		.where(and(eq(sources.url, url), sql`${sources.archivedUrl} IS NULL`, cited))
		.limit(1);
	return row !== undefined;
}

/**
 * The sources of a reviewed claim (one appearance of it, with `appearanceId`) that have no
 * archive URL yet: where unreviewed claims are hidden, Save Page Now was not asked for them
 * while only unreviewed claims cited them, and a merge into, or an appearance added to, a
 * reviewed claim is no first publication. None for a claim not reviewed. Index lookups:
 * the claim by its key, `appearances_claim_source_unique`, the source by its key.
 */
export async function unarchivedSourcesOfReviewed(
	db: Db,
	claimId: string,
	appearanceId?: string,
): Promise<string[]> {
	const rows = await db
		.select({ url: sources.url })
		.from(appearances)
		.innerJoin(claims, eq(claims.id, appearances.claimId))
		.innerJoin(sources, eq(sources.id, appearances.sourceId))
		.where(
			and(
				eq(appearances.claimId, claimId),
				appearanceId ? eq(appearances.id, appearanceId) : undefined,
				reviewedClaimSql,
				sql`${sources.archivedUrl} IS NULL`,
			),
		);
	return rows.map((row) => row.url);
}

/**
 * Of these addresses, the sources a reviewed claim cites that have no archive URL yet (an
 * import's new appearances: see `unarchivedSourcesOfReviewed`). 90 addresses a statement.
 */
export async function unarchivedReviewedSources(db: Db, urls: readonly string[]): Promise<string[]> {
	const found: string[] = [];
	for (let i = 0; i < urls.length; i += 90) {
		const rows = await db
			.selectDistinct({ url: sources.url })
			.from(sources)
			.innerJoin(appearances, eq(appearances.sourceId, sources.id))
			.innerJoin(claims, eq(claims.id, appearances.claimId))
			.where(
				and(
					inArray(sources.url, urls.slice(i, i + 90)),
					sql`${sources.archivedUrl} IS NULL`,
					reviewedClaimSql,
				),
			);
		found.push(...rows.map((row) => row.url));
	}
	return found;
}

/**
 * Sets a source's archive URL (Save Page Now's capture, or one a write gave) unless it has
 * one (the write API's, or an earlier capture), audited `source.archived`. Every claim
 * citing the source shows it (JSON, pages, ClaimReview `archivedAt`). With `datesClaims`
 * (a write gave it: a person's change of other claims' answers, as a speaker's rename is)
 * their last public change is dated in the same batch (store/public-changes), so the
 * DataFeed's `dateModified` and the sitemap's `<lastmod>` move; Save Page Now's capture, a
 * mechanical step after the citation that dated its claim, dates none, as our own copy
 * does not (docs/decisions.md, "An archived copy stored does not"). Each statement carries
 * the update's precondition: the claims and the audit log are written exactly when the
 * source is.
 */
export async function setArchivedUrlIfEmpty(
	db: Db,
	actor: Actor,
	url: string,
	archivedUrl: string,
	options: { datesClaims: boolean },
): Promise<boolean> {
	const at = nowIso();
	const lacking = and(eq(sources.url, url), sql`${sources.archivedUrl} IS NULL`);
	const update = db
		.update(sources)
		.set({ archivedUrl, version: sql`${sources.version} + 1`, updatedAt: at })
		.where(lacking)
		.returning({ id: sources.id });
	const audited = auditSelect(db, actor, "source.archived", { archivedUrl }, lacking);
	const lackingId = sql`SELECT ${sources.id} FROM ${sources} WHERE ${lacking}`;
	const written = options.datesClaims
		? (await db.batch([touchClaimsOfSource(db, lackingId, at), audited, update]))[2]
		: (await db.batch([audited, update]))[1];
	return written.length > 0;
}

/** An audit row for the source `where` selects, if it does (of `audit`'s shape, by INSERT … SELECT). */
function auditSelect(db: Db, actor: Actor, action: string, changes: unknown, where: SQL | undefined) {
	return db.insert(auditLog).select(
		db
			.select({
				id: sql`NULL`.as("id"),
				at: sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.as("at"),
				actorId: sql`${actor.userId}`.as("actor_id"),
				actorLabel: sql`${actor.label ?? null}`.as("actor_label"),
				action: sql`${action}`.as("action"),
				entity: sql`'source'`.as("entity"),
				entityId: sources.id,
				changes: sql`${JSON.stringify(changes)}`.as("changes"),
				requestId: sql`${actor.requestId ?? null}`.as("request_id"),
				clientRequestId: sql`${actor.clientRequestId ?? null}`.as("client_request_id"),
				tokenMintedBy: sql`${actor.tokenMintedBy ?? null}`.as("token_minted_by"),
			})
			.from(sources)
			.where(where),
	);
}
