import { asc, eq, sql } from "drizzle-orm";
import { type Role, type User, users } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { type Actor, audit, runBatch } from "./batch";

export type PublicUser = Omit<User, "passwordHash">;

export async function createUser(
	db: Db,
	actor: Actor,
	input: { email: string; name: string; role: Role; passwordHash: string | null },
): Promise<PublicUser> {
	const id = newId();
	const row = { id, email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role };
	await runBatch(db, [
		db.insert(users).values({ ...row, passwordHash: input.passwordHash }),
		audit(db, actor, "create", "user", id, row),
	]);
	const created = await getUser(db, id);
	if (!created) throw new Error("user vanished after insert");
	return created;
}

export async function getUser(db: Db, id: string): Promise<PublicUser | undefined> {
	const user = await db.query.users.findFirst({ where: eq(users.id, id) });
	return user ? withoutSecret(user) : undefined;
}

/** The full row, hash included: for login only. */
export async function getUserForLogin(db: Db, email: string): Promise<User | undefined> {
	return db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
	return (await db.select().from(users).orderBy(asc(users.email))).map(withoutSecret);
}

export async function countUsers(db: Db): Promise<number> {
	const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${users}`);
	return row?.n ?? 0;
}

function withoutSecret(user: User): PublicUser {
	const { passwordHash: _hidden, ...rest } = user;
	return rest;
}
