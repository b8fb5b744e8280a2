import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../db/schema";
import { newToken, sha256Hex } from "../domain/ids";
import { type AppEnv, createDb, type SessionUser } from "../factory";
import { logBackgroundFailure } from "../lib/background-work";
import { AppError, forbidden } from "../lib/errors";
import type { Actor } from "../store/batch";
import { findApiTokenByHash, guardedByToken, touchApiToken } from "../store/tokens";
import {
	ACTIONS,
	type Action,
	can,
	mayGrant,
	parseScopes,
	type Scope,
	scopeInForce,
	scopesFor,
} from "./permissions";

/**
 * API tokens: `ct_` + 256 random bits (base64url). Only the SHA-256 is stored; the
 * token is shown once when it is made. The prefix makes leaked tokens easy to spot.
 */
const TOKEN_PREFIX = "ct_";
const TOKEN_PATTERN = /^ct_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(): string {
	return `${TOKEN_PREFIX}${newToken(32)}`;
}

export interface ApiCaller {
	user: SessionUser;
	/**
	 * `mintedBy`: the account that minted it when not its owner (an admin, in the desk).
	 * `withheld`: scopes it lists that are not in force (permissions `scopeInForce`).
	 */
	token: { id: string; name: string; scopes: Scope[]; withheld: Scope[]; mintedBy: string | null };
}

export type ApiEnv = AppEnv & { Variables: { caller: ApiCaller } };

const REFUSED = "This API token is unknown, revoked or expired, or its account is disabled.";

const invalidToken = (detail: string) =>
	new AppError(401, detail, {
		headers: { "WWW-Authenticate": 'Bearer realm="claimtrack", error="invalid_token"' },
	});

/** Authenticates `Authorization: Bearer <token>`; anything else is a 401 problem. */
export const bearerAuth = createMiddleware<ApiEnv>(async (c, next) => {
	const caller = await authenticateToken(c);
	c.set("caller", caller);
	c.set("user", caller.user);
	// A write's batches check the token again as they commit: revoked meanwhile, nothing is written.
	if (c.req.method !== "GET" && c.req.method !== "HEAD") {
		c.set(
			"db",
			guardedByToken(c.var.db, caller.token.id, () => invalidToken(REFUSED)),
		);
	}
	await next();
});

/**
 * The token's owner and scopes, for a public route that answers more to a token (the
 * claim list's `assignee` filter); a missing or bad token is a 401 problem.
 */
export async function authenticateToken<E extends AppEnv>(c: Context<E>): Promise<ApiCaller> {
	const header = c.req.header("Authorization");
	if (!header) {
		throw new AppError(401, "Send an API token: Authorization: Bearer <token>.", {
			headers: { "WWW-Authenticate": 'Bearer realm="claimtrack"' },
		});
	}
	const match = /^Bearer +(\S+)$/i.exec(header.trim());
	const presented = match?.[1];
	if (!presented || !TOKEN_PATTERN.test(presented)) throw invalidToken("This is not a Claimtrack API token.");
	// On the primary, always: a public GET's `db` is a read-replica session (lib/read-replica),
	// and a replica that has not yet seen a revocation or a disabled account would let the
	// token in. The binding itself is the primary.
	const primary = createDb(c.env.DB);
	const found = await findApiTokenByHash(primary, await sha256Hex(presented));
	const now = Date.now();
	if (
		!found ||
		found.token.revokedAt ||
		found.owner.disabledAt ||
		(found.token.expiresAt && Date.parse(found.token.expiresAt) <= now)
	) {
		throw invalidToken(REFUSED);
	}
	const { id, email, name, role } = found.owner;
	const { createdBy } = found.token;
	const listed = parseScopes(found.token.scopes);
	const inForce = (scope: Scope) => scopeInForce(scope, { ownerId: id, ownerRole: role, createdBy });
	// Last-use bookkeeping must not slow down or fail the request.
	c.executionCtx.waitUntil(
		touchApiToken(primary, found.token.id, new Date(now).toISOString()).catch(
			logBackgroundFailure("token-last-use-failed"),
		),
	);
	return {
		user: { id, email, name, role },
		token: {
			id: found.token.id,
			name: found.token.name,
			scopes: listed.filter(inForce),
			withheld: listed.filter((scope) => !inForce(scope)),
			mintedBy: createdBy !== null && createdBy !== id ? createdBy : null,
		},
	};
}

/** 403 unless the token carries the action's scope and its owner's role allows the action. */
export function requireAction(action: Action) {
	return createMiddleware<ApiEnv>(async (c, next) => {
		const { user, token } = c.var.caller;
		const scope = ACTIONS[action].scope;
		if (scope && !token.scopes.includes(scope)) {
			const detail = token.withheld.includes(scope)
				? `An admin grants the scope ${scope}: this token's owner minted it for themselves, so it is not in force. Ask an admin for a token with it.`
				: `This token lacks the scope ${scope}.`;
			throw new AppError(403, detail, {
				headers: {
					"WWW-Authenticate": `Bearer realm="claimtrack", error="insufficient_scope", scope="${scope}"`,
				},
			});
		}
		if (!can(user.role, action)) throw forbidden(`The role ${user.role} may not do this.`);
		await next();
	});
}

/**
 * Who acts for a token request: the token's owner, named by the token, with the request's
 * ids; and, for a token an admin minted for them, that admin too. Either of them may be
 * sending it, so the audit log names both and four eyes counts both: an admin who drafted a
 * verdict, or drafted it with a token minted for a checker, does not publish it with a token
 * minted for an editor (auth/permissions `mayPublishDraft`).
 */
export function tokenActor(vars: {
	caller: ApiCaller;
	requestId?: string;
	clientRequestId?: string | null;
}): Actor {
	return {
		userId: vars.caller.user.id,
		label: `token:${vars.caller.token.name}`,
		requestId: vars.requestId ?? null,
		clientRequestId: vars.clientRequestId ?? null,
		role: vars.caller.user.role,
		...(vars.caller.token.mintedBy ? { tokenMintedBy: vars.caller.token.mintedBy } : {}),
	};
}

/** Scopes asked for that the role may not hold: tokens never promise more than the role allows. */
export function scopesBeyondRole(role: Role, scopes: readonly string[]): string[] {
	const allowed = new Set<string>(scopesFor(role));
	return scopes.filter((scope) => !allowed.has(scope));
}

/** Scopes asked for that only an admin grants (permissions `mayGrant`), asked by someone else. */
export function scopesBeyondMinter(minter: Role, scopes: readonly string[]): string[] {
	return scopes.filter((scope) => !mayGrant(minter, scope));
}
