import type { Context } from "hono";
import { sha256Hex } from "../domain/ids";
import type { AppEnv } from "../factory";
import { hitRateLimit, purgeRateLimits, resetRateLimit } from "../store/rate-limits";

/**
 * Login throttling. Two layers:
 * - the Workers Rate Limiting binding `LOGIN_LIMITER` (wrangler.toml), a per-IP burst
 *   limit enforced at the edge before any password work;
 * - fixed-window counters in D1 per account and per IP, which hold where the binding is
 *   missing and are exact (the binding is per location and eventually consistent).
 * The client IP is taken only from CF-Connecting-IP, which Cloudflare sets and a client
 * cannot forge; X-Forwarded-For is never trusted.
 */

export const LOGIN_LIMITS = {
	account: { limit: 10, windowSeconds: 15 * 60 },
	ip: { limit: 50, windowSeconds: 15 * 60 },
} as const;

export type LoginRateDecision =
	| { allowed: true; accountKey: string }
	| { allowed: false; retryAfter: number };

export function clientIp<E extends AppEnv>(c: Context<E>): string {
	return c.req.header("CF-Connecting-IP")?.trim() || "unknown";
}

/** Counts a login attempt for the account and the IP; refuses when either is over its limit. */
export async function checkLoginRate<E extends AppEnv>(
	c: Context<E>,
	email: string,
): Promise<LoginRateDecision> {
	const ip = clientIp(c);
	const limiter = (c.env as Partial<Env>).LOGIN_LIMITER;
	if (limiter) {
		const { success } = await limiter.limit({ key: `login:${ip}` });
		if (!success) return { allowed: false, retryAfter: 60 };
	}
	const accountKey = `login:account:${await sha256Hex(email.trim().toLowerCase())}`;
	const now = Math.floor(Date.now() / 1000);
	const [account, byIp] = await Promise.all([
		hitRateLimit(c.var.db, accountKey, LOGIN_LIMITS.account.windowSeconds, now),
		hitRateLimit(c.var.db, `login:ip:${ip}`, LOGIN_LIMITS.ip.windowSeconds, now),
	]);
	c.executionCtx.waitUntil(purgeRateLimits(c.var.db, now - 24 * 60 * 60).catch(() => undefined));
	const blocked = [
		account.count > LOGIN_LIMITS.account.limit ? account.resetAt : 0,
		byIp.count > LOGIN_LIMITS.ip.limit ? byIp.resetAt : 0,
	].filter((resetAt) => resetAt > 0);
	if (blocked.length > 0) return { allowed: false, retryAfter: Math.max(1, Math.max(...blocked) - now) };
	return { allowed: true, accountKey };
}

/** After a successful login the account's failed attempts no longer count. */
export async function clearAccountFailures<E extends AppEnv>(
	c: Context<E>,
	accountKey: string,
): Promise<void> {
	await resetRateLimit(c.var.db, accountKey);
}
