import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { newToken, sha256Hex } from "../domain/ids";
import type { AppEnv, SessionUser } from "../factory";
import type { Actor } from "../store/batch";
import {
	createSession,
	findSessionByHash,
	type SessionRecord,
	SessionRefused,
	touchSession,
} from "../store/sessions";

/**
 * Desk sessions. The browser holds a random 256-bit token in a `__Host-` cookie
 * (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain); D1 holds only its SHA-256.
 * A session ends after `IDLE_TIMEOUT_MS` without a request or `ABSOLUTE_TIMEOUT_MS`
 * after login, whichever comes first, and at logout or when the account is disabled.
 *
 * `__Host-` cookies need Secure. Browsers accept Secure cookies from http://localhost
 * (a secure context), so the same cookie works under `wrangler dev` and in production.
 */

const SESSION_COOKIE = "claimtrack_session";
export const SESSION_COOKIE_HEADER_NAME = `__Host-${SESSION_COOKIE}`;
export const IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often: one write per minute, not one per request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface DeskSession {
	id: string;
	csrfToken: string;
	user: SessionUser;
}

export type SessionState = "active" | "revoked" | "expired" | "idle" | "disabled";

/** Whether a stored session still counts at `now` (pure, so the timeouts are testable). */
export function sessionState(session: SessionRecord, now: number): SessionState {
	if (session.revokedAt) return "revoked";
	if (session.user.disabledAt) return "disabled";
	if (Date.parse(session.expiresAt) <= now) return "expired";
	if (Date.parse(session.lastSeenAt) + IDLE_TIMEOUT_MS <= now) return "idle";
	return "active";
}

function readSessionToken<E extends AppEnv>(c: Context<E>): string | undefined {
	const token = getCookie(c, SESSION_COOKIE, "host");
	// A token is 43 base64url characters; anything else is not worth a database read.
	return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

/** Whether the request carries a session cookie at all: without an active session, it ended. */
export function sentSessionCookie<E extends AppEnv>(c: Context<E>): boolean {
	return readSessionToken(c) !== undefined;
}

/** The session of this request, if its cookie names one that is still active. */
export async function loadSession<E extends AppEnv>(c: Context<E>): Promise<DeskSession | null> {
	const token = readSessionToken(c);
	if (!token) return null;
	const record = await findSessionByHash(c.var.db, await sha256Hex(token));
	const now = Date.now();
	if (!record || sessionState(record, now) !== "active") {
		clearSessionCookie(c);
		return null;
	}
	if (now - Date.parse(record.lastSeenAt) > TOUCH_EVERY_MS) {
		await touchSession(c.var.db, record.id, new Date(now).toISOString());
	}
	const { id, email, name, role } = record.user;
	return { id: record.id, csrfToken: record.csrfToken, user: { id, email, name, role } };
}

/**
 * Logs a user in: a fresh token (the old one, if any, is revoked) in a fresh cookie.
 * `passwordHash` is the hash the password was checked against: false, and no session, when
 * the account's password was reset (or the account disabled) since (store/sessions).
 */
export async function startSession<E extends AppEnv>(
	c: Context<E>,
	actor: Actor,
	user: { id: string; passwordHash: string },
): Promise<boolean> {
	const token = newToken(32);
	const previous = readSessionToken(c);
	const expiresAt = new Date(Date.now() + ABSOLUTE_TIMEOUT_MS);
	try {
		await createSession(c.var.db, actor, {
			userId: user.id,
			tokenHash: await sha256Hex(token),
			csrfToken: newToken(32),
			expiresAt: expiresAt.toISOString(),
			replacesHash: previous ? await sha256Hex(previous) : null,
			passwordHash: user.passwordHash,
		});
	} catch (error) {
		if (error instanceof SessionRefused) return false;
		throw error;
	}
	setCookie(c, SESSION_COOKIE, token, {
		prefix: "host",
		path: "/",
		secure: true,
		httpOnly: true,
		sameSite: "Lax",
		expires: expiresAt,
	});
	return true;
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
	deleteCookie(c, SESSION_COOKIE, { prefix: "host", path: "/", secure: true });
}

/** Constant-time string comparison for the form's CSRF token. */
export function sameSecret(a: string, b: string): boolean {
	const left = new TextEncoder().encode(a);
	const right = new TextEncoder().encode(b);
	if (left.length !== right.length) return false;
	let diff = 0;
	for (let i = 0; i < left.length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
	return diff === 0;
}
