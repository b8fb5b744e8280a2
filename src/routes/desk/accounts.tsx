import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as z from "zod";
import { tokenInput, userInput } from "../../auth/account-input";
import { generateApiToken, scopesBeyondMinter, scopesBeyondRole } from "../../auth/api-tokens";
import { type Idempotent, idempotent, requestFingerprint } from "../../auth/idempotency";
import { generatePassword, hashPassword } from "../../auth/passwords";
import { can, SCOPES } from "../../auth/permissions";
import {
	changeRole,
	createAccount,
	issueToken,
	resetPassword,
	revokeToken,
	setAccountDisabled,
} from "../../commands/accounts";
import { ROLES } from "../../db/schema";
import { isId, newId, sha256Hex } from "../../domain/ids";
import { AppError, forbidden, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { getApiToken, listApiTokens } from "../../store/tokens";
import { getUser, getUserByEmail, listUsers, type PublicUser, userNames } from "../../store/users";
import { TokensPage, UserPage, UsersPage } from "../../views/desk/accounts";
import { t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { versionOf } from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskCommand,
	deskFactory,
	type FormValues,
	formKey,
	formScope,
	formValues,
	keyReused,
	keyReusedPage,
	page,
	signedIn,
} from "./context";
import { formErrors } from "./forms";
import { checkPassword } from "./password-check";

/**
 * A reset password travels from the POST to the account page in a cookie that only that
 * page receives (its path), only over HTTPS, for a minute, and is deleted when shown.
 */
const PASSWORD_FLASH = "password_flash";
const flashCookie = (userId: string) =>
	({ path: `/desk/admin/users/${userId}`, httpOnly: true, secure: true, sameSite: "Strict" }) as const;

function tokenFromForm(form: FormValues) {
	return {
		name: form.name ?? "",
		scopes: SCOPES.filter((scope) => form[`scope:${scope}`] === "1"),
	};
}

async function userParam(c: DeskContext): Promise<PublicUser> {
	const id = c.req.param("id") ?? "";
	const user = isId(id) ? await getUser(c.var.db, id) : undefined;
	if (!user) throw notFound("user");
	return user;
}

async function usersPage(
	c: DeskContext,
	options: {
		values?: FormValues;
		errors?: FieldErrors;
		created?: { user: PublicUser; password: string };
		notice?: string;
		status?: 200 | 201 | 409 | 422 | 429;
	} = {},
) {
	const session = allowed(c, "users:manage");
	return page(
		c,
		<UsersPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={options.values?._idem || formKey()}
			users={await listUsers(c.var.db)}
			values={options.values ?? {}}
			errors={options.errors ?? {}}
			created={options.created ?? null}
			notice={options.notice ?? null}
		/>,
		options.status ?? 200,
	);
}

async function userPage(
	c: DeskContext,
	user: PublicUser,
	options: {
		newPassword?: string;
		newToken?: string;
		notice?: string;
		tokenValues?: FormValues;
		tokenErrors?: FieldErrors;
		roleErrors?: FieldErrors;
		/** The role the refused form chose, shown again instead of the account's. */
		roleValue?: string;
		confirmErrors?: { form: "enable" | "disable" | "password"; errors: FieldErrors };
		status?: 200 | 201 | 409 | 422 | 429;
	} = {},
) {
	const session = allowed(c, "users:manage");
	const tokens = await listApiTokens(c.var.db, user.id);
	return page(
		c,
		<UserPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			keys={formKey}
			user={user}
			tokens={tokens}
			minters={
				await userNames(
					c.var.db,
					tokens.map((token) => token.createdBy),
				)
			}
			newPassword={options.newPassword ?? null}
			newToken={options.newToken ?? null}
			notice={options.notice ?? null}
			tokenValues={options.tokenValues ?? {}}
			tokenErrors={options.tokenErrors ?? {}}
			roleErrors={options.roleErrors ?? {}}
			roleValue={options.roleValue ?? null}
			confirmErrors={options.confirmErrors ?? null}
		/>,
		options.status ?? 200,
	);
}

/**
 * The signed-in user's own password from the form, checked as a login checks it: what
 * outlives a session (a token; an account, a role, a password or a re-enabled account an
 * admin makes) is made by the account's owner, not by whoever holds its session. On record
 * like a failed login (`where`): a wrong password here may be a stolen session's. When
 * confirmed, the hash it was checked against, for the write's batch to hold (the store's
 * `confirmedHash`: a reset meanwhile ended this access); otherwise the field error, and 429
 * with Retry-After when the address is locked out.
 */
async function confirmOwnPassword(
	c: DeskContext,
	form: FormValues,
	where: string,
): Promise<{ errors: FieldErrors; status: 422 | 429 } | { confirmedHash: string }> {
	// No password is no guess: refused, but not counted against the address or audited (a
	// form sent without its field would otherwise lock out every admin behind the address).
	if ((form.password ?? "") === "")
		return { errors: { password: "This is not your password." }, status: 422 };
	const confirmed = await checkPassword(c, signedIn(c).user.email, form.password ?? "", {
		ctx: deskCommand(c),
		where,
	});
	// checkPassword refuses an account without a hash, so an accepted one has it.
	if (confirmed.ok) return { confirmedHash: confirmed.user.passwordHash ?? "" };
	if (confirmed.retryAfter !== undefined) {
		c.header("Retry-After", String(confirmed.retryAfter));
		return { errors: { password: "Too many wrong passwords: try again in a few minutes." }, status: 429 };
	}
	return { errors: { password: "This is not your password." }, status: 422 };
}

/**
 * Makes a token for `owner` from the form. Returns the token (shown once), field
 * errors, or null when this form was sent before (the token was shown then).
 */
async function createTokenFromForm(
	c: DeskContext,
	owner: PublicUser,
	form: FormValues,
): Promise<{ token: string } | { errors: FieldErrors; status?: 429 } | { notice: string } | null> {
	const session = signedIn(c);
	const parsed = tokenInput.safeParse(tokenFromForm(form));
	if (!parsed.success) return { errors: formErrors(parsed.error) };
	if (scopesBeyondRole(owner.role, parsed.data.scopes).length > 0) {
		return { errors: { scopes: "Your role may not hold this scope." } };
	}
	if (scopesBeyondMinter(session.user.role, parsed.data.scopes).length > 0) {
		return { errors: { scopes: "Only an admin grants this scope." } };
	}
	// A token outlives the session it was made in: whoever mints one proves to be the account's
	// owner, not just the holder of its session (a stolen cookie or an unlocked screen).
	const confirmed = await confirmOwnPassword(c, form, "token");
	if ("errors" in confirmed)
		return confirmed.status === 429
			? { errors: confirmed.errors, status: 429 }
			: { errors: confirmed.errors };
	// The key stands for this token's name and scopes: the same key with others (a form's
	// earlier copy after Back, then changed) made nothing and says so, keeping the input.
	const scope = `POST token for ${owner.id} ${await requestFingerprint(parsed.data)}`;
	let outcome: Idempotent<string>;
	try {
		outcome = await idempotent<string>(
			c.var.db,
			// Only that the token exists is remembered, never the token itself.
			{ userId: session.user.id, key: form._idem, scope, ahead: { status: 201, location: null } },
			async () => {
				const token = generateApiToken();
				await issueToken(deskCommand(c), {
					userId: owner.id,
					name: parsed.data.name,
					scopes: parsed.data.scopes,
					tokenHash: await sha256Hex(token),
					confirmedHash: confirmed.confirmedHash,
				});
				return { kind: "store", result: { status: 201, location: null, body: null }, value: token };
			},
		);
	} catch (error) {
		if (error instanceof AppError && error.code === "idempotency-key-reused") {
			return { errors: { name: TOKEN_KEY_REUSED } };
		}
		// Disabled, demoted or reset between the password's check and the write: no token.
		if (error instanceof AppError && error.code === "actor-changed") return { notice: error.message };
		throw error;
	}
	return outcome.replayed ? null : { token: outcome.value };
}

const TOKEN_KEY_REUSED =
	"This form was sent before with another name or other scopes, and that token was made. Nothing was made now: check the form and send it again.";

/** Admin pages (accounts) and everyone's own API tokens. */
export const deskAccountRoutes = deskFactory
	.createApp()
	.get(
		"/admin/users",
		declareRoute({ method: "GET", path: "/desk/admin/users", access: { session: "admin" } }),
		(c) => usersPage(c),
	)
	.post(
		"/admin/users",
		declareRoute({ method: "POST", path: "/desk/admin/users", access: { session: "admin" } }),
		async (c) => {
			const session = allowed(c, "users:manage");
			const form = await formValues(c);
			const parsed = userInput.safeParse({
				email: form.email ?? "",
				name: form.name ?? "",
				role: form.role ?? "",
			});
			if (!parsed.success)
				return usersPage(c, { values: form, errors: formErrors(parsed.error), status: 422 });
			const refused = await confirmOwnPassword(c, form, "account");
			if ("errors" in refused) return usersPage(c, { values: { ...form, password: "" }, ...refused });
			let outcome: Idempotent<{ user: PublicUser; password: string } | "exists">;
			try {
				// The account's id is made first: where it lives is known before the write.
				const id = newId();
				const location = `/desk/admin/users/${id}`;
				outcome = await idempotent<{ user: PublicUser; password: string } | "exists">(
					c.var.db,
					{
						userId: session.user.id,
						key: form._idem,
						scope: await formScope(c, "POST /desk/admin/users"),
						ahead: { status: 201, location },
					},
					async () => {
						if (await getUserByEmail(c.var.db, parsed.data.email)) return { kind: "pass", value: "exists" };
						const password = generatePassword();
						const user = await createAccount(
							deskCommand(c),
							{
								...parsed.data,
								passwordHash: await hashPassword(password, c.env.PASSWORD_PEPPER),
								confirmedHash: refused.confirmedHash,
							},
							id,
						);
						return {
							kind: "store",
							result: { status: 201, location, body: null },
							value: { user, password },
						};
					},
				);
			} catch (error) {
				if (keyReused(error)) return keyReusedPage(c);
				// Disabled, demoted or reset between the password's check and the insert: no account.
				if (error instanceof AppError && error.code === "actor-changed")
					return usersPage(c, {
						values: { ...form, password: "" },
						notice: fieldMessage(c.var.lang, error.message),
						status: 409,
					});
				throw error;
			}
			// A repeat of the form goes to the account; the password was shown the first time.
			if (outcome.replayed) return c.redirect(outcome.result.location ?? "/desk/admin/users", 303);
			if (outcome.value === "exists") {
				return usersPage(c, {
					values: form,
					errors: { email: "An account with this email exists already." },
					status: 409,
				});
			}
			return usersPage(c, { created: outcome.value, status: 201 });
		},
	)
	.get(
		"/admin/users/:id",
		declareRoute({ method: "GET", path: "/desk/admin/users/:id", access: { session: "admin" } }),
		async (c) => {
			allowed(c, "users:manage");
			const user = await userParam(c);
			// Right after a reset (POST-redirect-GET): the new password, shown this once.
			const flash = getCookie(c, PASSWORD_FLASH);
			if (flash) deleteCookie(c, PASSWORD_FLASH, flashCookie(user.id));
			return userPage(c, user, flash ? { newPassword: flash } : {});
		},
	)
	.post(
		"/admin/users/:id/role",
		declareRoute({ method: "POST", path: "/desk/admin/users/:id/role", access: { session: "admin" } }),
		async (c) => {
			allowed(c, "users:manage");
			const user = await userParam(c);
			const form = await formValues(c);
			const role = z.enum(ROLES, { error: "Choose a role." }).safeParse(form.role);
			const version = versionOf(form.version);
			if (!role.success || version === null) {
				return userPage(c, user, { roleErrors: { role: "Choose a role." }, status: 422 });
			}
			if (user.id === signedIn(c).user.id && role.data !== "admin") {
				// The last way back in would be the CLI: an admin does not demote themselves here.
				return userPage(c, user, {
					notice: fieldMessage(c.var.lang, "Admins cannot change their own role."),
					status: 422,
				});
			}
			const refused = await confirmOwnPassword(c, form, "role");
			if ("errors" in refused)
				return userPage(c, user, {
					roleErrors: refused.errors,
					roleValue: role.data,
					status: refused.status,
				});
			return versionedUserChange(c, user, form, () =>
				changeRole(deskCommand(c), user.id, version, role.data, refused.confirmedHash),
			);
		},
	)
	.post(
		"/admin/users/:id/disable",
		declareRoute({ method: "POST", path: "/desk/admin/users/:id/disable", access: { session: "admin" } }),
		async (c) => {
			allowed(c, "users:manage");
			const user = await userParam(c);
			const form = await formValues(c);
			if (user.id === signedIn(c).user.id) {
				return userPage(c, user, {
					notice: fieldMessage(c.var.lang, "Admins cannot disable themselves."),
					status: 422,
				});
			}
			const version = versionOf(form.version) ?? 0;
			if (form.confirm !== "1") {
				return userPage(c, user, {
					confirmErrors: { form: "disable", errors: { confirm: t(c.var.lang, "deskDisableUnconfirmed") } },
					status: 422,
				});
			}
			return versionedUserChange(c, user, form, () =>
				setAccountDisabled(deskCommand(c), user.id, version, true),
			);
		},
	)
	.post(
		"/admin/users/:id/enable",
		declareRoute({ method: "POST", path: "/desk/admin/users/:id/enable", access: { session: "admin" } }),
		async (c) => {
			allowed(c, "users:manage");
			const user = await userParam(c);
			const form = await formValues(c);
			const version = versionOf(form.version) ?? 0;
			const refused = await confirmOwnPassword(c, form, "enable");
			if ("errors" in refused) {
				return userPage(c, user, {
					confirmErrors: { form: "enable", errors: refused.errors },
					status: refused.status,
				});
			}
			return versionedUserChange(c, user, form, () =>
				setAccountDisabled(deskCommand(c), user.id, version, false, refused.confirmedHash),
			);
		},
	)
	.post(
		"/admin/users/:id/password",
		declareRoute({ method: "POST", path: "/desk/admin/users/:id/password", access: { session: "admin" } }),
		async (c) => {
			const session = allowed(c, "users:manage");
			const user = await userParam(c);
			const form = await formValues(c);
			if (user.id === session.user.id) {
				// A reset ends every session of the account, this one too: the new password would
				// be shown to a login form, and the old one no longer works.
				return userPage(c, user, {
					notice: fieldMessage(c.var.lang, "Admins cannot reset their own password here."),
					status: 422,
				});
			}
			const refused = await confirmOwnPassword(c, form, "password-reset");
			if ("errors" in refused) {
				return userPage(c, user, {
					confirmErrors: { form: "password", errors: refused.errors },
					status: refused.status,
				});
			}
			let outcome: Idempotent<string>;
			try {
				outcome = await idempotent<string>(
					c.var.db,
					{
						userId: session.user.id,
						key: form._idem,
						scope: `POST /desk/admin/users/${user.id}/password`,
						ahead: { status: 200, location: null },
					},
					async () => {
						const password = generatePassword();
						const hash = await hashPassword(password, c.env.PASSWORD_PEPPER);
						await resetPassword(deskCommand(c), user.id, hash, refused.confirmedHash);
						return { kind: "store", result: { status: 200, location: null, body: null }, value: password };
					},
				);
			} catch (error) {
				// The admin's own account changed meanwhile, or the account did (version-conflict).
				if (!(error instanceof AppError) || error.status !== 409) throw error;
				const current = (await getUser(c.var.db, user.id)) ?? user;
				return userPage(c, current, { notice: fieldMessage(c.var.lang, error.message), status: 409 });
			}
			// Shown once on the account page the browser is sent to, so a reload never resets again.
			if (!outcome.replayed)
				setCookie(c, PASSWORD_FLASH, outcome.value, { ...flashCookie(user.id), maxAge: 60 });
			return c.redirect(`/desk/admin/users/${user.id}?done=password-reset`, 303);
		},
	)
	.post(
		"/admin/users/:id/tokens",
		declareRoute({ method: "POST", path: "/desk/admin/users/:id/tokens", access: { session: "admin" } }),
		async (c) => {
			allowed(c, "tokens:manage-any");
			const user = await userParam(c);
			const form = await formValues(c);
			if (user.disabledAt) {
				// Disabling revoked its tokens; one minted now would work once it is enabled again.
				return userPage(c, user, {
					notice: fieldMessage(c.var.lang, "This account is disabled: enable it before minting it a token."),
					status: 409,
				});
			}
			const result = await createTokenFromForm(c, user, form);
			if (result && "notice" in result)
				return userPage(c, user, { notice: fieldMessage(c.var.lang, result.notice), status: 409 });
			if (result && "errors" in result)
				return userPage(c, user, {
					tokenValues: form,
					tokenErrors: result.errors,
					status: result.status ?? 422,
				});
			return userPage(c, user, result ? { newToken: result.token, status: 201 } : {});
		},
	)
	.post(
		"/admin/users/:id/tokens/:tokenId/revoke",
		declareRoute({
			method: "POST",
			path: "/desk/admin/users/:id/tokens/:tokenId/revoke",
			access: { session: "admin" },
		}),
		async (c) => {
			allowed(c, "tokens:manage-any");
			const user = await userParam(c);
			await revokeOwnedToken(c, user.id);
			return c.redirect(`/desk/admin/users/${user.id}`, 303);
		},
	)
	.get(
		"/tokens",
		declareRoute({
			method: "GET",
			path: "/desk/tokens",
			access: { session: "checker" },
			reason: "everyone's own tokens",
		}),
		async (c) => tokensPage(c),
	)
	.post(
		"/tokens",
		declareRoute({
			method: "POST",
			path: "/desk/tokens",
			access: { session: "checker" },
			reason: "scopes capped by the role",
		}),
		async (c) => {
			const session = signedIn(c);
			const owner = await getUser(c.var.db, session.user.id);
			if (!owner) throw notFound("user");
			const form = await formValues(c);
			const result = await createTokenFromForm(c, owner, form);
			if (result && "notice" in result)
				return tokensPage(c, {
					values: { ...form, password: "" },
					notice: fieldMessage(c.var.lang, result.notice),
					status: 409,
				});
			if (result && "errors" in result)
				return tokensPage(c, { values: form, errors: result.errors, status: result.status ?? 422 });
			return tokensPage(c, result ? { newToken: result.token, status: 201 } : {});
		},
	)
	.post(
		"/tokens/:tokenId/revoke",
		declareRoute({
			method: "POST",
			path: "/desk/tokens/:tokenId/revoke",
			access: { session: "checker" },
			reason: "only the caller's own tokens",
		}),
		async (c) => {
			const session = signedIn(c);
			await revokeOwnedToken(c, session.user.id);
			return c.redirect("/desk/tokens", 303);
		},
	);

async function tokensPage(
	c: DeskContext,
	options: {
		values?: FormValues;
		errors?: FieldErrors;
		newToken?: string;
		notice?: string;
		status?: 200 | 201 | 409 | 422 | 429;
	} = {},
) {
	const session = signedIn(c);
	const tokens = await listApiTokens(c.var.db, session.user.id);
	return page(
		c,
		<TokensPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			keys={formKey}
			role={session.user.role}
			tokens={tokens}
			minters={
				await userNames(
					c.var.db,
					tokens.map((token) => token.createdBy),
				)
			}
			newToken={options.newToken ?? null}
			values={options.values ?? {}}
			errors={options.errors ?? {}}
			notice={options.notice ?? null}
		/>,
		options.status ?? 200,
	);
}

/** Revokes the token in the path if it belongs to `ownerId` (anyone else's is a 404, not a hint). */
async function revokeOwnedToken(c: DeskContext, ownerId: string): Promise<void> {
	const tokenId = c.req.param("tokenId") ?? "";
	const token = isId(tokenId) ? await getApiToken(c.var.db, tokenId) : undefined;
	if (!token || token.userId !== ownerId) throw notFound("token");
	const session = signedIn(c);
	if (token.userId !== session.user.id && !can(session.user.role, "tokens:manage-any")) throw forbidden();
	await revokeToken(deskCommand(c), token.id);
}

async function versionedUserChange(
	c: DeskContext,
	user: PublicUser,
	form: FormValues,
	change: () => Promise<PublicUser>,
) {
	const session = signedIn(c);
	try {
		const outcome = await idempotent<PublicUser>(
			c.var.db,
			{
				userId: session.user.id,
				key: form._idem,
				scope: await formScope(c, `${c.req.method} ${c.req.path}`),
				ahead: { status: 303, location: `/desk/admin/users/${user.id}` },
			},
			async () => {
				const updated = await change();
				return {
					kind: "store",
					result: { status: 303, location: `/desk/admin/users/${user.id}`, body: null },
					value: updated,
				};
			},
		);
		return c.redirect(
			outcome.replayed ? (outcome.result.location ?? "/desk/admin/users") : `/desk/admin/users/${user.id}`,
			303,
		);
	} catch (error) {
		if (keyReused(error)) return keyReusedPage(c);
		if (!(error instanceof AppError) || error.status !== 409) throw error;
		const current = (await getUser(c.var.db, user.id)) ?? user;
		return userPage(c, current, { notice: fieldMessage(c.var.lang, error.message), status: 409 });
	}
}
