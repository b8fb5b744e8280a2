import { DUMMY_HASH, verifyPassword } from "../../auth/passwords";
import {
	checkLoginRate,
	clearAccountFailures,
	clientIp,
	countLoginFailure,
	LOGIN_LIMITS,
} from "../../auth/rate-limit";
import { recordLoginFailure } from "../../commands/accounts";
import type { CommandContext } from "../../commands/context";
import type { User } from "../../db/schema";
import { getUserForLogin } from "../../store/users";
import type { DeskContext } from "./context";

export type PasswordCheck = { ok: true; user: User } | { ok: false; retryAfter?: number };

/**
 * An account's password, checked the one way the desk checks passwords (the login, and
 * the confirmation a token's minting asks for): the limits on wrong tries per address and
 * per account (an account under attack gets a few checks a minute, the rest refused), one
 * PBKDF2 run for unknown, disabled and password-less accounts alike, and every failure in
 * the audit log. `retryAfter` (seconds) when the try is refused unchecked.
 */
export async function checkPassword(
	c: DeskContext,
	email: string,
	password: string,
	failure: { ctx: CommandContext; where?: string },
): Promise<PasswordCheck> {
	const rate = await checkLoginRate(c, email);
	if (!rate.allowed) return { ok: false, retryAfter: rate.retryAfter };
	const user = email ? await getUserForLogin(c.var.db, email) : undefined;
	const valid = await verifyPassword(
		password.slice(0, 1024),
		user?.passwordHash ?? DUMMY_HASH,
		c.env.PASSWORD_PEPPER,
	);
	if (!user || !valid || user.disabledAt || !user.passwordHash) {
		const lockedOut = await countLoginFailure(c, rate);
		await recordLoginFailure(failure.ctx, {
			userId: user?.id ?? null,
			address: clientIp(c),
			lockedOut,
			retryAfterSeconds: LOGIN_LIMITS.accountAtAddress.windowSeconds,
			...(failure.where ? { where: failure.where } : {}),
		});
		return { ok: false };
	}
	await clearAccountFailures(c, rate.keys);
	return { ok: true, user };
}
