import { and, desc, entityKind, eq, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { type ApiToken, apiTokens, batchGuards, type Role, users } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { conflict } from "../lib/errors";
import {
	type Actor,
	actorChanged,
	actorStillHolds,
	audit,
	guardActor,
	guardOneRow,
	runBatch,
	type Statement,
} from "./batch";

export type PublicApiToken = Omit<ApiToken, "tokenHash">;

export interface TokenOwner {
	id: string;
	email: string;
	name: string;
	role: Role;
	disabledAt: string | null;
}

/**
 * Stores a new token by its SHA-256; the caller shows the token itself once. The actor is
 * its minter (`created_by`). Never for a disabled account (409 `account-disabled`): disabling
 * revoked its tokens, and one minted meanwhile would work again once the account is enabled.
 * A minting user must, when the batch commits, still be enabled, still an admin when the
 * token is someone else's, and still hold `confirmedHash`, the password hash the desk checked
 * (409 `actor-changed`): a reset, disabling or demotion meanwhile revoked the tokens it
 * minted, and this one would have survived it.
 */
export async function createApiToken(
	db: Db,
	actor: Actor,
	input: {
		userId: string;
		name: string;
		scopes: readonly string[];
		tokenHash: string;
		expiresAt?: string | null;
		/** The minter's password hash its confirmation was checked against. */
		confirmedHash?: string;
	},
): Promise<PublicApiToken> {
	const id = newId();
	const minter = {
		admin: actor.userId !== input.userId,
		...(input.confirmedHash !== undefined ? { passwordHash: input.confirmedHash } : {}),
	};
	const row = {
		id,
		userId: input.userId,
		name: input.name.trim(),
		scopes: input.scopes.join(" "),
		expiresAt: input.expiresAt ?? null,
	};
	try {
		await runBatch(db, [
			db.insert(apiTokens).values({ ...row, tokenHash: input.tokenHash, createdBy: actor.userId }),
			// In the batch, not only read before: an account disabled meanwhile revoked its tokens
			// before this one existed.
			db.insert(batchGuards).values({
				ok: sql`(SELECT count(*) FROM ${users} WHERE ${users.id} = ${input.userId} AND ${users.disabledAt} IS NULL)`,
			}),
			...guardActor(db, actor, minter),
			audit(db, actor, "create-token", "user", input.userId, row),
		]);
	} catch (error) {
		if (constraintFailure(error)?.kind !== "guard") throw error;
		if (!(await actorStillHolds(db, actor, minter))) throw actorChanged();
		throw accountDisabled();
	}
	const created = await getApiToken(db, id);
	if (!created) throw new Error("token vanished after insert");
	return created;
}

const accountDisabled = () =>
	conflict("This account is disabled: enable it before minting it a token.", "account-disabled");

export async function getApiToken(db: Db, id: string): Promise<PublicApiToken | undefined> {
	const row = await db.query.apiTokens.findFirst({ where: eq(apiTokens.id, id) });
	return row ? withoutSecret(row) : undefined;
}

export async function listApiTokens(db: Db, userId: string): Promise<PublicApiToken[]> {
	const rows = await db
		.select()
		.from(apiTokens)
		.where(eq(apiTokens.userId, userId))
		.orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
	return rows.map(withoutSecret);
}

/** The token with this hash and its owner, whatever its state: the caller decides. */
export async function findApiTokenByHash(
	db: Db,
	tokenHash: string,
): Promise<{ token: PublicApiToken; owner: TokenOwner } | undefined> {
	const row = await db
		.select({
			token: apiTokens,
			owner: {
				id: users.id,
				email: users.email,
				name: users.name,
				role: users.role,
				disabledAt: users.disabledAt,
			},
		})
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(eq(apiTokens.tokenHash, tokenHash))
		.get();
	return row ? { token: withoutSecret(row.token), owner: row.owner } : undefined;
}

/**
 * SQL: the token is still in force when the statement runs: not revoked, not expired, its
 * owner's account enabled (what auth/api-tokens checks when the request arrives).
 */
function tokenHolds(tokenId: string): SQL {
	return sql`EXISTS (SELECT 1 FROM ${apiTokens} JOIN ${users} ON ${users.id} = ${apiTokens.userId} WHERE ${apiTokens.id} = ${tokenId} AND ${apiTokens.revokedAt} IS NULL AND (${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) AND ${users.disabledAt} IS NULL)`;
}

const UNGUARDED = Symbol("unguarded");
const BOOKKEEPING = Symbol("bookkeeping");

/**
 * The Db under `guardedByToken`'s, for the side effects of a write already committed
 * (webhooks, snapshots, embeddings): a revocation after the commit must not lose them.
 */
export function unguardedDb(db: Db): Db {
	return (db as Db & { [UNGUARDED]?: Db })[UNGUARDED] ?? db;
}

/** Drizzle's builders that only read (a raw statement reads when its SQL is a SELECT). */
const READ_KINDS = new Set([
	"SQLiteSelect",
	"SQLiteSelectQueryBuilder",
	"SQLiteAsyncRelationalQuery",
	"SQLiteSyncRelationalQuery",
	"SQLiteCountBuilderAsync",
]);

export function onlyReads(statements: readonly Statement[]): boolean {
	return statements.every((statement) => {
		const kind = (statement.constructor as { [entityKind]?: string })[entityKind];
		if (kind === "SQLiteRaw") {
			const raw = statement as unknown as { getQuery(): { sql: string } };
			return /^\s*select\b/i.test(raw.getQuery().sql);
		}
		return kind !== undefined && READ_KINDS.has(kind);
	});
}

/**
 * The request's Db for a token's write: each of its batches that writes begins with a guard
 * that the token still holds (`tokenHolds`, one row), so a write whose token was revoked, or
 * whose owner was disabled, after the token was checked on arrival commits nothing. A guard
 * failing there is answered with `revoked()` (a 401), any other failure as it was.
 * Once one of the request's write batches has committed, the rest of the request is not
 * guarded: a 401 then would deny a write that is stored and audited (and release its
 * Idempotency-Key for a second copy), and leave an import's second half, and the first
 * half's webhooks and purges, undone. Batches of reads only (a write's read-back) are never
 * guarded. A write is a batch here, of one statement if need be (a replay's forgetting of a
 * delivery): a lone statement is bookkeeping after the write or for its failure (a key's
 * completion or release, a token's last use), and the bookkeeping before it, a key's claim,
 * is guarded without ending the guard (`guardedBookkeeping`).
 */
export function guardedByToken(db: Db, tokenId: string, revoked: () => Error): Db {
	let committed = false;
	const guarded = async (statements: [Statement, ...Statement[]], write: boolean) => {
		if (committed || onlyReads(statements)) return db.batch(statements);
		try {
			const results = await db.batch([
				db.insert(batchGuards).values({ ok: tokenHolds(tokenId) }),
				...statements,
			]);
			if (write) committed = true;
			return results.slice(1);
		} catch (error) {
			if (constraintFailure(error)?.kind !== "guard") throw error;
			const row = await db.get<{ ok: number }>(sql`SELECT ${tokenHolds(tokenId)} AS ok`);
			throw row?.ok === 1 ? error : revoked();
		}
	};
	return new Proxy(db, {
		get(target, property) {
			if (property === "batch") return (statements: [Statement, ...Statement[]]) => guarded(statements, true);
			if (property === BOOKKEEPING) return (statement: Statement) => guarded([statement], false);
			if (property === UNGUARDED) return target;
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/**
 * A request's bookkeeping before its write, one statement (its Idempotency-Key's claim): in a
 * token's request guarded as its write is (`guardedByToken`: the token revoked meanwhile, a
 * 401 and nothing kept), without being the write after which the request is not guarded.
 * Elsewhere the statement alone.
 */
export async function guardedBookkeeping<T extends Statement>(
	db: Db,
	statement: T,
): Promise<T["_"]["result"]> {
	const guarded = (db as Db & { [BOOKKEEPING]?: (statement: T) => Promise<T["_"]["result"][]> })[BOOKKEEPING];
	if (!guarded) return (await db.batch([statement]))[0];
	return (await guarded(statement))[0];
}

/**
 * Revokes every open token of an account and every token it minted for someone else: with a
 * password reset or a disabled account (users.ts), whoever had the account may have minted
 * tokens, which outlive sessions and would work again once the account is enabled. A token
 * an admin minted for a colleague was shown to that admin once and acts for them too
 * (api-tokens `mintedBy`), so it leaves with them.
 */
export function revokeUserTokens(db: Db, userId: string, at: string): Statement {
	return db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(
			and(or(eq(apiTokens.userId, userId), eq(apiTokens.createdBy, userId)), isNull(apiTokens.revokedAt)),
		);
}

/**
 * Revokes the open tokens an account minted for others, when it stops being an admin (the
 * only role that mints for others): it saw each one once, and a demoted admin kept, with
 * them, the access their role no longer gives (a colleague's backup and webhooks scopes).
 * Its own tokens stay: they act with its role, read at each use.
 */
export function revokeTokensMintedForOthers(db: Db, userId: string, at: string): Statement {
	return db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(and(eq(apiTokens.createdBy, userId), ne(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

/** Revokes a token; false when it was revoked already (nothing written then). */
export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<boolean> {
	const token = await getApiToken(db, id);
	if (!token || token.revokedAt) return false;
	try {
		await runBatch(db, [
			db
				.update(apiTokens)
				.set({ revokedAt: new Date().toISOString() })
				.where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))),
			guardOneRow(db),
			audit(db, actor, "revoke-token", "user", token.userId, { token: id, name: token.name }),
		]);
		return true;
	} catch (error) {
		// Revoked by someone else between the read and the write.
		if (constraintFailure(error)?.kind === "guard") return false;
		throw error;
	}
}

/** Last use, for the token list (bookkeeping, not audited). */
export async function touchApiToken(db: Db, id: string, at: string): Promise<void> {
	await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

function withoutSecret(row: ApiToken): PublicApiToken {
	const { tokenHash: _secret, ...rest } = row;
	return rest;
}
