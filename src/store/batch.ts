import { getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { auditLog, batchGuards, type Role, users } from "../db/schema";
import type { Db } from "../factory";
import { conflict } from "../lib/errors";

/** Who did a write: a user, or a named process (seed, cli, import, an API token). */
export interface Actor {
	userId: string | null;
	label: string | null;
	requestId?: string | null;
	/** A client's own X-Request-Id, stored apart from ours. */
	clientRequestId?: string | null;
	/** The acting user's role, for policies (scripts and imports act without one). */
	role?: Role;
	/**
	 * When the user acts with an API token another account minted for them (an admin, in the
	 * desk): that account. It holds the token as well, so four eyes counts it among those who
	 * acted (auth/permissions `mayPublishDraft`), and the audit log names it.
	 */
	tokenMintedBy?: string | null;
}

export const SYSTEM = (label: string): Actor => ({ userId: null, label });

export type Statement = BatchItem<"sqlite">;

/** D1 binds at most 100 parameters per statement. */
export const MAX_PARAMS = 100;

/**
 * Splits rows so that no insert binds more than 100 parameters. drizzle binds one per
 * column that a row gives a value or that has a JavaScript default; a column no row
 * sets and whose default is SQL (or none) is written as a literal and binds nothing.
 */
export function chunkForInsert<T>(table: SQLiteTable, rows: readonly T[]): T[][] {
	const bound = Object.entries(getTableColumns(table)).filter(([key, column]) => {
		if (rows.some((row) => (row as Record<string, unknown>)[key] !== undefined)) return true;
		const fallback = column.default;
		return column.defaultFn !== undefined || (fallback !== undefined && !is(fallback, SQL));
	}).length;
	const size = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, bound)));
	const chunks: T[][] = [];
	for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
	return chunks;
}

/** A statement whose bound parameters can be counted: a drizzle query builder. */
interface Countable {
	toSQL(): { params: unknown[] };
}

/**
 * Ids split so that the statement `build` makes of each part binds at most 100 parameters.
 * The size is counted from the statement itself (built over one id and over two: what each
 * id binds, and what the rest of the statement binds besides), not written beside it by
 * hand: a hand-written "MAX_PARAMS - 3" under an UPDATE binding four values besides its ids
 * made every full part 101 parameters, and a value added to a SET or WHERE later would
 * put any such number out again.
 */
export function chunkForStatement<T>(ids: readonly T[], build: (part: T[]) => Countable): T[][] {
	const [first, second] = ids;
	if (first === undefined) return [];
	const one = build([first]).toSQL().params.length;
	// One id alone is one part whatever it binds.
	const perId = second === undefined ? 1 : Math.max(1, build([first, second]).toSQL().params.length - one);
	const size = Math.max(1, Math.floor((MAX_PARAMS - (one - perId)) / perId));
	const chunks: T[][] = [];
	for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
	return chunks;
}

/**
 * Ids split for `IN (…)` lookups, at most 90 a statement: D1's 100 parameters, with room
 * for a statement's other conditions. A list page of speakers or claims may hold more.
 */
export function idChunks<T>(ids: readonly T[]): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < ids.length; i += 90) chunks.push(ids.slice(i, i + 90));
	return chunks;
}

/**
 * Reads of one kind in D1 batches of at most 100 statements. A batch is one D1 query
 * however many statements it holds, and D1 limits the queries of one Worker invocation
 * (1,000 on Workers Paid): work done per record of a large request goes through here.
 */
export async function batchReads<T extends Statement>(
	db: Db,
	reads: readonly T[],
): Promise<T["_"]["result"][]> {
	const out: T["_"]["result"][] = [];
	for (let i = 0; i < reads.length; i += 100) {
		const [first, ...rest] = reads.slice(i, i + 100);
		if (first) out.push(...(await db.batch([first, ...rest])));
	}
	return out;
}

export function audit(
	db: Db,
	actor: Actor,
	action: string,
	entity: string,
	entityId: string,
	changes?: unknown,
): Statement {
	return db.insert(auditLog).values({
		actorId: actor.userId,
		actorLabel: actor.label,
		action,
		entity,
		entityId,
		changes: changes === undefined ? null : JSON.stringify(changes),
		requestId: actor.requestId ?? null,
		clientRequestId: actor.clientRequestId ?? null,
		tokenMintedBy: actor.tokenMintedBy ?? null,
	});
}

/** Aborts the batch unless the statement just before it changed exactly one row. */
export function guardOneRow(db: Db): Statement {
	return db.insert(batchGuards).values({ ok: sql`changes() = 1` });
}

/**
 * What the acting user must still be when a batch commits, checked against its row:
 * enabled, and with `admin` still an admin, and with `passwordHash` still holding the
 * password the request confirmed. A desk form reads the session and checks the password
 * (slow PBKDF2) before it writes; an admin who disabled, demoted or reset that account
 * meanwhile ended its access, and what the form makes (an account, a role, a token) must
 * not outlive that. Nothing for a process without a user (CLI, seed, import).
 */
export interface ActorNeeds {
	admin?: boolean;
	passwordHash?: string;
}

function actorHolds(actor: Actor, needs: ActorNeeds) {
	return userHolds(actor.userId ?? "", needs);
}

/** SQL: the user is an enabled account (and, per `needs`, an admin, with that password hash). */
export function userHolds(id: string, needs: ActorNeeds = {}): SQL {
	return sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${id} AND ${users.disabledAt} IS NULL${
		needs.admin ? sql` AND ${users.role} = 'admin'` : sql``
	}${needs.passwordHash !== undefined ? sql` AND ${users.passwordHash} = ${needs.passwordHash}` : sql``})`;
}

/** Aborts the batch unless the acting user still is what `needs` says (`ActorNeeds`). */
export function guardActor(db: Db, actor: Actor, needs: ActorNeeds = {}): Statement[] {
	if (actor.userId === null) return [];
	return [db.insert(batchGuards).values({ ok: actorHolds(actor, needs) })];
}

/**
 * After a guard tripped: whether it was the actor's (`guardActor`), so the caller answers
 * "your account changed" instead of another conflict.
 */
export async function actorStillHolds(db: Db, actor: Actor, needs: ActorNeeds = {}): Promise<boolean> {
	if (actor.userId === null) return true;
	const row = await db.get<{ ok: number }>(sql`SELECT ${actorHolds(actor, needs)} AS ok`);
	return row?.ok === 1;
}

/** Your own account changed between the form's check and its write: nothing was written. */
export const actorChanged = () =>
	conflict(
		"Your own account was changed meanwhile (disabled, its role or its password): nothing was saved.",
		"actor-changed",
	);

/** Runs statements all-or-nothing. */
export async function runBatch(db: Db, statements: Statement[]) {
	const [first, ...rest] = statements;
	if (!first) return [];
	return db.batch([first, ...rest]);
}

export const nowIso = () => new Date().toISOString();

/** Audit rows alone, for events that change no other row (failed logins, lockouts). */
export async function writeAudit(
	db: Db,
	actor: Actor,
	entries: readonly { action: string; entity: string; entityId: string; changes?: unknown }[],
): Promise<void> {
	if (entries.length === 0) return;
	await runBatch(
		db,
		entries.map((e) => audit(db, actor, e.action, e.entity, e.entityId, e.changes)),
	);
}
