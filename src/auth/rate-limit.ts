import type { Context } from "hono";
import { sha256Hex } from "../domain/ids";
import type { AppEnv } from "../factory";
import { logBackgroundFailure } from "../lib/background-work";
import { hitRateLimit, peekRateLimit, purgeRateLimits, resetRateLimit } from "../store/rate-limits";

/**
 * Login throttling, so that guessing is slow and nobody can lock anyone else out for long:
 * - the Workers Rate Limiting binding `LOGIN_LIMITER` (wrangler.toml): a per-address
 *   burst limit at the edge, before any password work;
 * - per address: every attempt counts; past the limit that address is refused (429);
 * - per account AND address: tries count, before the check, and a right password forgets
 *   them, so failures are what last; past the limit that address may not try that account
 *   for the rest of the window (429), the right password included; other addresses, the
 *   account's owner among them, are not affected;
 * - per account, from anywhere: failures count; past the ceiling at most
 *   `checkedPerMinute` tries a minute are checked, counted before the check (a fixed delay
 *   per try held nothing back: tries sent at once were delayed together), and the others are
 *   refused (429) until the minute ends without a password check. The owner shares those
 *   tries while the guessing goes on: slowed, never locked out for longer than a minute.
 * An "address" is a network (`addressNetwork`): an IPv6 address by its /64, what one
 * subscriber or server is given, so its 2^64 addresses are one for the limits. The counters
 * are fixed windows in D1 (exact, and they hold without the binding). The client address is
 * taken only from CF-Connecting-IP, which Cloudflare sets and a client cannot forge;
 * X-Forwarded-For is never trusted. Failures and lockouts are audited (commands/accounts.ts)
 * with the full address.
 */
export const LOGIN_LIMITS = {
	address: { limit: 50, windowSeconds: 15 * 60 },
	accountAtAddress: { limit: 10, windowSeconds: 15 * 60 },
	account: { ceiling: 20, windowSeconds: 15 * 60, checkedPerMinute: 5 },
} as const;

export interface LoginKeys {
	accountAtAddress: string;
	account: string;
	/** Tries of the account checked in the current minute, once it is past its ceiling. */
	accountChecked: string;
	address: string;
}

export type LoginRateDecision =
	| {
			allowed: true;
			keys: LoginKeys;
			/** This try's place in its account-and-address window (counted before the check). */
			attempt: number;
	  }
	| { allowed: false; retryAfter: number; keys: LoginKeys };

export function clientIp<E extends AppEnv>(c: Context<E>): string {
	return c.req.header("CF-Connecting-IP")?.trim() || "unknown";
}

/**
 * The network an address's limits count for: IPv4 as it is; IPv6 by its first four hextets
 * (its /64), written out in one form whichever way the address was (`2001:DB8::1` and
 * `2001:0db8:0:0::2` are `2001:db8:0:0::/64`); an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`)
 * as the IPv4 address it is. Anything else (not an address) is its own key.
 */
export function addressNetwork(ip: string): string {
	const address = ip.trim().toLowerCase();
	if (!address.includes(":")) return address;
	const hextets = ipv6Hextets(address);
	if (!hextets) return address;
	const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = hextets;
	if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) {
		return [g >> 8, g & 0xff, h >> 8, h & 0xff].join(".");
	}
	return `${[a, b, c, d].map((hextet) => hextet.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail read), or null. */
function ipv6Hextets(address: string): number[] | null {
	let text = address.split("%")[0] ?? "";
	const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
	if (dotted) {
		const [o1 = 0, o2 = 0, o3 = 0, o4 = 0] = dotted.slice(2, 6).map(Number);
		if ([o1, o2, o3, o4].some((octet) => octet > 255)) return null;
		text = `${dotted[1]}${((o1 << 8) | o2).toString(16)}:${((o3 << 8) | o4).toString(16)}`;
	}
	const halves = text.split("::");
	if (halves.length > 2) return null;
	const groups = (part: string | undefined) => (part ? part.split(":") : []);
	const head = groups(halves[0]);
	const tail = groups(halves[1]);
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
	if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
	return all.map((group) => Number.parseInt(group, 16));
}

async function loginKeys(email: string, ip: string): Promise<LoginKeys> {
	const account = await sha256Hex(email.trim().toLowerCase());
	const network = addressNetwork(ip);
	return {
		accountAtAddress: `login:account-ip:${account}:${network}`,
		account: `login:account:${account}`,
		accountChecked: `login:account-checked:${account}`,
		address: `login:ip:${network}`,
	};
}

/**
 * Counts an attempt for the address, and for this account from this address, and decides:
 * refused (the address, or this account from this address, is over its limit, or the account
 * is past its ceiling and this minute's checks are used up) or allowed. Tries are counted
 * before their password is checked, each in the one statement that reads the count: peeked
 * first and counted after the check, 30 wrong passwords sent at once all read a count under
 * the limit and 20 were checked. A right password then forgets the account-and-address count
 * (`clearAccountFailures`), so only failures last. A try the account's minute refuses is not
 * counted against the account from its address (it was no guess): the owner retrying during
 * an attack does not lock their own address out.
 */
export async function checkLoginRate<E extends AppEnv>(
	c: Context<E>,
	email: string,
): Promise<LoginRateDecision> {
	const keys = await loginKeys(email, clientIp(c));
	const limiter = (c.env as Partial<Env>).LOGIN_LIMITER;
	if (limiter) {
		const { success } = await limiter.limit({ key: `login:${addressNetwork(clientIp(c))}` });
		if (!success) return { allowed: false, retryAfter: 60, keys };
	}
	const now = Math.floor(Date.now() / 1000);
	const { address, accountAtAddress, account } = LOGIN_LIMITS;
	const db = c.var.db;
	const [byAddress, pairSoFar, total] = await Promise.all([
		hitRateLimit(db, keys.address, address.windowSeconds, now),
		peekRateLimit(db, keys.accountAtAddress, accountAtAddress.windowSeconds, now),
		peekRateLimit(db, keys.account, account.windowSeconds, now),
	]);
	c.executionCtx.waitUntil(
		purgeRateLimits(db, now - 24 * 60 * 60).catch(logBackgroundFailure("rate-limit-sweep-failed")),
	);
	const refuse = (resetAt: number) => ({
		allowed: false as const,
		retryAfter: Math.max(1, resetAt - now),
		keys,
	});
	if (byAddress.count > address.limit) return refuse(byAddress.resetAt);
	if (pairSoFar.count >= accountAtAddress.limit) return refuse(pairSoFar.resetAt);
	if (total.count >= account.ceiling) {
		const checked = await hitRateLimit(db, keys.accountChecked, 60, now);
		if (checked.count > account.checkedPerMinute) return refuse(checked.resetAt);
	}
	const pair = await hitRateLimit(db, keys.accountAtAddress, accountAtAddress.windowSeconds, now);
	if (pair.count > accountAtAddress.limit) return refuse(pair.resetAt);
	return { allowed: true, keys, attempt: pair.count };
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
