import { mayGrant } from "../auth/permissions";
import type { Role } from "../db/schema";
import { forbidden } from "../lib/errors";
import { writeAudit } from "../store/batch";
import { revokeSession } from "../store/sessions";
import { createApiToken, type PublicApiToken, revokeApiToken } from "../store/tokens";
import {
	changeUserRole,
	createUser,
	type PublicUser,
	setUserDisabled,
	setUserPassword,
} from "../store/users";
import type { CommandContext } from "./context";

/**
 * Accounts, tokens and sessions. Each write is one audited batch in the store; a user who
 * changes an account must still be an enabled admin when it commits, holding the password
 * hash the desk confirmed (`confirmedHash`), else 409 `actor-changed` (store/users). Nothing
 * public changes, so these emit no events today. They are commands all the same, so
 * that the desk, the operator CLIs and later notifications share one entry point.
 */

export function createAccount(
	ctx: CommandContext,
	input: { email: string; name: string; role: Role; passwordHash: string | null; confirmedHash?: string },
	/** Made before the write: the form's Idempotency key keeps where the account lives with it. */
	id?: string,
): Promise<PublicUser> {
	return createUser(ctx.db, ctx.actor, input, id);
}

export function changeRole(
	ctx: CommandContext,
	userId: string,
	version: number,
	role: Role,
	confirmedHash?: string,
): Promise<PublicUser> {
	return changeUserRole(ctx.db, ctx.actor, userId, version, role, confirmedHash);
}

/** Disabling ends the account's sessions and stops its tokens in the same batch. */
export function setAccountDisabled(
	ctx: CommandContext,
	userId: string,
	version: number,
	disabled: boolean,
	confirmedHash?: string,
): Promise<PublicUser> {
	return setUserDisabled(ctx.db, ctx.actor, userId, version, disabled, confirmedHash);
}

export function resetPassword(
	ctx: CommandContext,
	userId: string,
	passwordHash: string,
	confirmedHash?: string,
): Promise<PublicUser> {
	return setUserPassword(ctx.db, ctx.actor, userId, passwordHash, confirmedHash);
}

export function issueToken(
	ctx: CommandContext,
	input: {
		userId: string;
		name: string;
		scopes: readonly string[];
		tokenHash: string;
		expiresAt?: string | null;
		/** The minter's password hash the desk checked (store/tokens `createApiToken`). */
		confirmedHash?: string;
	},
): Promise<PublicApiToken> {
	// Checked here too, whoever calls: an editor's own `import` published past four eyes.
	if (input.scopes.some((scope) => !mayGrant(ctx.actor.role, scope)))
		return Promise.reject(forbidden("Only an admin grants this scope."));
	return createApiToken(ctx.db, ctx.actor, input);
}

export function revokeToken(ctx: CommandContext, tokenId: string): Promise<boolean> {
	return revokeApiToken(ctx.db, ctx.actor, tokenId);
}

export function endSession(ctx: CommandContext, sessionId: string, userId: string): Promise<void> {
	return revokeSession(ctx.db, ctx.actor, sessionId, userId);
}

/**
 * A failed login, audited: against the account when it exists (else "unknown"), with
 * the client address; and the lockout of that address for that account when this
 * failure reached the limit.
 */
export function recordLoginFailure(
	ctx: CommandContext,
	input: {
		userId: string | null;
		address: string;
		lockedOut: boolean;
		retryAfterSeconds: number;
		/** Where the password was given when not at login (a token's confirmation). */
		where?: string;
	},
): Promise<void> {
	const entityId = input.userId ?? "unknown";
	const where = input.where ? { where: input.where } : {};
	return writeAudit(ctx.db, ctx.actor, [
		{ action: "login-failed", entity: "user", entityId, changes: { address: input.address, ...where } },
		...(input.lockedOut
			? [
					{
						action: "login-locked",
						entity: "user",
						entityId,
						changes: { address: input.address, forSeconds: input.retryAfterSeconds },
					},
				]
			: []),
	]);
}
