import type { Context } from "hono";
import { sha256Hex } from "../domain/ids";
import type { AppEnv } from "../factory";
import { hitRateLimit, peekRateLimit, purgeRateLimits, resetRateLimit } from "../store/rate-limits";

/**
 * Login throttling, so that guessing is slow and nobody can lock anyone else out:
 * - the Workers Rate Limiting binding `LOGIN_LIMITER` (wrangler.toml): a per-address
 *   burst limit at the edge, before any password work;
 * - per address: every attempt counts; past the limit that address is refused (429);
 * - per account AND address: tries count, before the check, and a right password forgets
 *   them, so failures are what last; past the limit that address may not try that account
 *   for the rest of the window (429), the right password included; other addresses, the
 *   account's owner among them, are not affected;
 * - per account, from anywhere: failures count; past the ceiling every attempt on that
 *   account is slowed (a fixed delay before the password check), never refused, so a
 *   distributed guesser gains little and the owner still gets in.
 * The counters are fixed windows in D1 (exact, and they hold without the binding). The
 * client address is taken only from CF-Connecting-IP, which Cloudflare sets and a
 * client cannot forge; X-Forwarded-For is never trusted. Failures and lockouts are
 * audited (commands/accounts.ts).
 */
export const LOGIN_LIMITS = {
	address: { limit: 50, windowSeconds: 15 * 60 },
	accountAtAddress: { limit: 10, windowSeconds: 15 * 60 },
	account: { ceiling: 20, windowSeconds: 15 * 60, delayMs: 1500 },
} as const;

export interface LoginKeys {
	accountAtAddress: string;
	account: string;
	address: string;
}

export type LoginRateDecision =
	| {
			allowed: true;
			keys: LoginKeys;
			slowed: boolean;
			/** This try's place in its account-and-address window (counted before the check). */
			attempt: number;
	  }
	| { allowed: false; retryAfter: number; keys: LoginKeys };

export function clientIp<E extends AppEnv>(c: Context<E>): string {
	return c.req.header("CF-Connecting-IP")?.trim() || "unknown";
}

async function loginKeys(email: string, ip: string): Promise<LoginKeys> {
	const account = await sha256Hex(email.trim().toLowerCase());
	return {
		accountAtAddress: `login:account-ip:${account}:${ip}`,
		account: `login:account:${account}`,
		address: `login:ip:${ip}`,
	};
}

/**
 * Counts an attempt for the address, and for this account from this address, and decides:
 * refused (the address, or this account from this address, is over its limit) or allowed,
 * slowed when the account is over its ceiling. The caller waits `LOGIN_LIMITS.account.delayMs`
 * before checking a slowed one. The account-and-address try is counted before its password
 * is checked, in the same statement that reads the count: peeked first and counted after the
 * check, 30 wrong passwords sent at once all read a count under the limit and 20 were checked.
 * A right password then forgets the count (`clearAccountFailures`), so only failures last.
 */
export async function checkLoginRate<E extends AppEnv>(
	c: Context<E>,
	email: string,
): Promise<LoginRateDecision> {
	const ip = clientIp(c);
	const keys = await loginKeys(email, ip);
	const limiter = (c.env as Partial<Env>).LOGIN_LIMITER;
	if (limiter) {
		const { success } = await limiter.limit({ key: `login:${ip}` });
		if (!success) return { allowed: false, retryAfter: 60, keys };
	}
	const now = Math.floor(Date.now() / 1000);
	const { address, accountAtAddress, account } = LOGIN_LIMITS;
	const [byAddress, pair, total] = await Promise.all([
		hitRateLimit(c.var.db, keys.address, address.windowSeconds, now),
		hitRateLimit(c.var.db, keys.accountAtAddress, accountAtAddress.windowSeconds, now),
		peekRateLimit(c.var.db, keys.account, account.windowSeconds, now),
	]);
	c.executionCtx.waitUntil(purgeRateLimits(c.var.db, now - 24 * 60 * 60).catch(() => undefined));
	const blocked = [
		byAddress.count > address.limit ? byAddress.resetAt : 0,
		pair.count > accountAtAddress.limit ? pair.resetAt : 0,
	].filter((resetAt) => resetAt > 0);
	if (blocked.length > 0)
		return { allowed: false, retryAfter: Math.max(1, Math.max(...blocked) - now), keys };
	return { allowed: true, keys, slowed: total.count >= account.ceiling, attempt: pair.count };
}

/**
 * Counts a failed password for the account from anywhere (this address's try was counted
 * before the check); says whether this address is now locked out: the failure was the last
 * try the limit allows.
 */
export async function countLoginFailure<E extends AppEnv>(
	c: Context<E>,
	decision: { keys: LoginKeys; attempt: number },
): Promise<boolean> {
	await hitRateLimit(c.var.db, decision.keys.account, LOGIN_LIMITS.account.windowSeconds);
	return decision.attempt === LOGIN_LIMITS.accountAtAddress.limit;
}

/** After a successful login this address's failures for the account no longer count. */
export async function clearAccountFailures<E extends AppEnv>(c: Context<E>, keys: LoginKeys): Promise<void> {
	await resetRateLimit(c.var.db, keys.accountAtAddress);
}
