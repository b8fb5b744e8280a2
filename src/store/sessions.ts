import { and, eq, isNull, sql } from "drizzle-orm";
import { batchGuards, type Role, sessions, users } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { type Actor, audit, runBatch, type Statement } from "./batch";

/** A session row with the user it belongs to, as the desk needs it on every request. */
export interface SessionRecord {
	id: string;
	userId: string;
	csrfToken: string;
	createdAt: string;
	lastSeenAt: string;
	expiresAt: string;
	revokedAt: string | null;
	user: { id: string; email: string; name: string; role: Role; disabledAt: string | null };
}

/**
 * Starts a session: only the token's SHA-256 is stored. The session the browser held
 * before (if any) is revoked in the same batch, so a login always rotates the token.
 *
 * `passwordHash`: the hash a login's password was checked against. The batch then holds
 * only while the account still has that hash and is not disabled (a guard, first in the
 * batch): a password reset or a disable that commits between the check and this insert
 * ends every session it finds, and a session inserted after it would have outlived it.
 * The hash, not the account's version: a role change bumps the version too, and leaves the
 * password valid. Refused, nothing is written and `SessionRefused` is thrown.
 */
export async function createSession(
	db: Db,
	actor: Actor,
	input: {
		userId: string;
		tokenHash: string;
		csrfToken: string;
		expiresAt: string;
		replacesHash?: string | null;
		passwordHash?: string;
	},
): Promise<{ id: string }> {
	const id = newId();
	const at = new Date().toISOString();
	const statements: Statement[] = [];
	if (input.passwordHash !== undefined) {
		const holds = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${input.userId} AND ${users.passwordHash} = ${input.passwordHash} AND ${users.disabledAt} IS NULL)`;
		statements.push(db.insert(batchGuards).values({ ok: holds }));
	}
	if (input.replacesHash) {
		statements.push(
			db
				.update(sessions)
				.set({ revokedAt: at })
				.where(and(eq(sessions.tokenHash, input.replacesHash), isNull(sessions.revokedAt))),
		);
	}
	statements.push(
		db.insert(sessions).values({
			id,
			tokenHash: input.tokenHash,
			userId: input.userId,
			csrfToken: input.csrfToken,
			createdAt: at,
			lastSeenAt: at,
			expiresAt: input.expiresAt,
		}),
		audit(db, actor, "login", "user", input.userId, { session: id, expiresAt: input.expiresAt }),
	);
	try {
		await runBatch(db, statements);
	} catch (error) {
		if (input.passwordHash !== undefined && constraintFailure(error)?.kind === "guard")
			throw new SessionRefused();
		throw error;
	}
	return { id };
}

/** The account's password or state changed after its password was checked: no session. */
export class SessionRefused extends Error {
	constructor() {
		super("The account changed while logging in.");
		this.name = "SessionRefused";
	}
}

export async function findSessionByHash(db: Db, tokenHash: string): Promise<SessionRecord | undefined> {
	const row = await db
		.select({
			session: sessions,
			user: {
				id: users.id,
				email: users.email,
				name: users.name,
				role: users.role,
				disabledAt: users.disabledAt,
			},
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.tokenHash, tokenHash))
		.get();
	if (!row) return undefined;
	const { tokenHash: _secret, ...session } = row.session;
	return { ...session, user: row.user };
}

/** Marks activity for the idle timeout (bookkeeping, not audited). */
export async function touchSession(db: Db, id: string, at: string): Promise<void> {
	await db
		.update(sessions)
		.set({ lastSeenAt: at })
		.where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

export async function revokeSession(db: Db, actor: Actor, id: string, userId: string): Promise<void> {
	await runBatch(db, [
		db
			.update(sessions)
			.set({ revokedAt: new Date().toISOString() })
			.where(and(eq(sessions.id, id), isNull(sessions.revokedAt))),
		audit(db, actor, "logout", "user", userId, { session: id }),
	]);
}

/** Revokes every open session of a user, for a caller's batch (disable, password reset). */
export function revokeUserSessions(db: Db, userId: string, at: string): Statement {
	return db
		.update(sessions)
		.set({ revokedAt: at })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
