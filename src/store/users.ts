import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { claims, type Role, type User, users } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { conflict, notFound } from "../lib/errors";
import {
	type Actor,
	actorChanged,
	actorStillHolds,
	audit,
	guardActor,
	guardOneRow,
	idChunks,
	nowIso,
	runBatch,
	type Statement,
} from "./batch";
import { openWorkSql, releaseClaims } from "./open-work";
import { revokeUserSessions } from "./sessions";
import { revokeTokensMintedForOthers, revokeUserTokens } from "./tokens";

export type PublicUser = Omit<User, "passwordHash">;

/**
 * What an acting user must still be when an account change commits: an admin, enabled, and
 * holding the password the form confirmed (`confirmedHash`, when it asked for one). The desk
 * checks the role when the request starts and the password (slow PBKDF2) before the write;
 * an admin disabled, demoted or reset meanwhile no longer makes accounts or admins.
 */
const adminNeeds = (confirmedHash: string | undefined) => ({
	admin: true,
	...(confirmedHash !== undefined ? { passwordHash: confirmedHash } : {}),
});

/** Runs an account change guarded by `adminNeeds`; 409 `actor-changed` when that tripped. */
async function asAdmin(
	db: Db,
	actor: Actor,
	confirmedHash: string | undefined,
	statements: Statement[],
	otherGuard: () => Promise<never>,
): Promise<void> {
	const needs = adminNeeds(confirmedHash);
	try {
		await runBatch(db, [...guardActor(db, actor, needs), ...statements]);
	} catch (error) {
		if (constraintFailure(error)?.kind !== "guard") throw error;
		if (!(await actorStillHolds(db, actor, needs))) throw actorChanged();
		await otherGuard();
	}
}

export async function createUser(
	db: Db,
	actor: Actor,
	input: { email: string; name: string; role: Role; passwordHash: string | null; confirmedHash?: string },
	/** Made by the caller before the write (the desk's form answers where the account lives). */
	id: string = newId(),
): Promise<PublicUser> {
	const row = { id, email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role };
	await asAdmin(
		db,
		actor,
		input.confirmedHash,
		[
			db.insert(users).values({ ...row, passwordHash: input.passwordHash }),
			audit(db, actor, "create", "user", id, row),
		],
		() => {
			throw new Error("account guard tripped without a cause");
		},
	);
	const created = await getUser(db, id);
	if (!created) throw new Error("user vanished after insert");
	return created;
}

export async function getUser(db: Db, id: string): Promise<PublicUser | undefined> {
	const user = await db.query.users.findFirst({ where: eq(users.id, id) });
	return user ? withoutSecret(user) : undefined;
}

/** The full row, hash included: for login only. */
/** Display names by user id ("drafted by", "published by"): 90 ids a statement, in one D1 batch. */
export async function userNames(
	db: Db,
	ids: readonly (string | null | undefined)[],
): Promise<Map<string, string>> {
	return (await deskPeople(db, ids)).names;
}

/**
 * `userNames`, and which of them left (their account disabled: `departed`), for a page that
 * names them so: "Drafted by Anna (account disabled)".
 */
export async function deskPeople(
	db: Db,
	ids: readonly (string | null | undefined)[],
): Promise<{ names: Map<string, string>; departed: Set<string> }> {
	const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
	const [first, ...rest] = idChunks(wanted).map((chunk) =>
		db
			.select({ id: users.id, name: users.name, disabledAt: users.disabledAt })
			.from(users)
			.where(inArray(users.id, chunk)),
	);
	if (!first) return { names: new Map(), departed: new Set() };
	const rows = (await db.batch([first, ...rest])).flat();
	return {
		names: new Map(rows.map((row) => [row.id, row.name])),
		departed: new Set(rows.filter((row) => row.disabledAt !== null).map((row) => row.id)),
	};
}

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

export async function getUserByEmail(db: Db, email: string): Promise<PublicUser | undefined> {
	const user = await db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
	return user ? withoutSecret(user) : undefined;
}

/**
 * Runs a change of a user at the version the admin saw, while the admin still is one
 * (`asAdmin`); when the version guard trips nothing was written and the re-read tells 404
 * from 409.
 */
async function guardedUserChange(
	db: Db,
	actor: Actor,
	confirmedHash: string | undefined,
	id: string,
	statements: Statement[],
) {
	await asAdmin(db, actor, confirmedHash, statements, async () => {
		const now = await getUser(db, id);
		if (!now) throw notFound("user");
		throw conflict("Someone else changed this account in the meantime.", "version-conflict", {
			current: { version: now.version, role: now.role, disabledAt: now.disabledAt, updatedAt: now.updatedAt },
		});
	});
	const updated = await getUser(db, id);
	if (!updated) throw notFound("user");
	return updated;
}

const versionMatches = (id: string, version: number) => and(eq(users.id, id), eq(users.version, version));

export async function changeUserRole(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	role: Role,
	confirmedHash?: string,
): Promise<PublicUser> {
	const at = nowIso();
	return guardedUserChange(db, actor, confirmedHash, id, [
		db
			.update(users)
			.set({ role, version: sql`${users.version} + 1`, updatedAt: at })
			.where(versionMatches(id, expectedVersion)),
		guardOneRow(db),
		...(role === "admin" ? [] : [revokeTokensMintedForOthers(db, id, at)]),
		audit(db, actor, "change-role", "user", id, { role }),
	]);
}

/**
 * Disables an account and ends its sessions and API tokens in the same batch; enabling
 * lets it log in again (with new tokens: the old ones stay revoked).
 */
export async function setUserDisabled(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	disabled: boolean,
	confirmedHash?: string,
): Promise<PublicUser> {
	const at = nowIso();
	return guardedUserChange(db, actor, confirmedHash, id, [
		db
			.update(users)
			.set({ disabledAt: disabled ? at : null, version: sql`${users.version} + 1`, updatedAt: at })
			.where(versionMatches(id, expectedVersion)),
		guardOneRow(db),
		...(disabled ? [...endAccess(db, id, at), ...releaseOpenClaims(db, actor, id)] : []),
		audit(db, actor, disabled ? "disable" : "enable", "user", id),
	]);
}

/**
 * Sets a new password hash and ends every session and API token of the account (a reset
 * locks out whoever had it, tokens they minted included).
 */
export async function setUserPassword(
	db: Db,
	actor: Actor,
	id: string,
	passwordHash: string,
	confirmedHash?: string,
): Promise<PublicUser> {
	const at = nowIso();
	const current = await getUser(db, id);
	if (!current) throw notFound("user");
	return guardedUserChange(db, actor, confirmedHash, id, [
		db
			.update(users)
			.set({ passwordHash, version: sql`${users.version} + 1`, updatedAt: at })
			.where(versionMatches(id, current.version)),
		guardOneRow(db),
		...endAccess(db, id, at),
		audit(db, actor, "reset-password", "user", id),
	]);
}

/**
 * What ends an account's access: its sessions and its API tokens (tokens it minted would
 * outlive a reset or a disabling otherwise). The desk and the CLI's `--remote` SQL
 * (scripts/user.ts) both use these statements, so the two cannot drift apart.
 */
export function endAccess(db: Db, id: string, at: string): Statement[] {
	return [revokeUserSessions(db, id, at), revokeUserTokens(db, id, at)];
}

/** A disabled account's open claims go back to "Unassigned" (open-work `releaseClaims`). */
export function releaseOpenClaims(db: Db, actor: Actor, id: string): Statement[] {
	return releaseClaims(db, actor, and(eq(claims.assigneeId, id), openWorkSql));
}

function withoutSecret(user: User): PublicUser {
	const { passwordHash: _hidden, ...rest } = user;
	return rest;
}
