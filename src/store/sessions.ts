import { and, eq, isNull } from "drizzle-orm";
import { type Role, sessions, users } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
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
	},
): Promise<{ id: string }> {
	const id = newId();
	const at = new Date().toISOString();
	const statements: Statement[] = [];
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
	await runBatch(db, statements);
	return { id };
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
