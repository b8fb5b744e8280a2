import { mintableScopes, parseScopes, type Scope, scopeInForce, scopesFor } from "../../auth/permissions";
import { ROLES, type Role } from "../../db/schema";
import type { UiLanguage } from "../../domain/ratings";
import type { PublicApiToken } from "../../store/tokens";
import type { PublicUser } from "../../store/users";
import type { Values } from "./claim-form";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import {
	ConfirmBox,
	ErrorSummary,
	type FieldErrors,
	fieldId,
	Notice,
	type PageErrors,
	SelectField,
	TextField,
} from "./fields";
import { fieldMessage, formatDateTime, roleLabel } from "./labels";

export const SCOPE_KEYS = {
	"claims:write": "deskScopeClaimsWrite",
	"verdicts:write": "deskScopeVerdictsWrite",
	"verdicts:publish": "deskScopeVerdictsPublish",
	import: "deskScopeImport",
	"webhooks:manage": "deskScopeWebhooks",
	backup: "deskScopeBackup",
} as const;

function roleOptions(lang: UiLanguage) {
	return ROLES.map((role) => ({ value: role, label: roleLabel(lang, role) }));
}

/** A secret shown exactly once (a generated password or an API token). */
function SecretOnce(props: { lang: UiLanguage; label: string; secret: string; id: string }) {
	return (
		<div class="notice ok secret" role="status">
			<label for={props.id}>{props.label}</label>
			<input
				id={props.id}
				type="text"
				readonly
				value={props.secret}
				class="secret-value"
				autocomplete="off"
				spellcheck={false}
			/>
			<p class="hint">{t(props.lang, "deskShownOnce")}</p>
		</div>
	);
}

/**
 * The admin's own password, asked by every form that makes a lasting way in (an account,
 * a role, a password, a re-enabled account): a stolen session alone makes none of them.
 */
function AdminPassword(props: { lang: UiLanguage; errors: FieldErrors; idSuffix?: string }) {
	return (
		<TextField
			name="password"
			type="password"
			label={t(props.lang, "deskConfirmPassword")}
			hint={t(props.lang, "deskConfirmAdminHint")}
			lang={props.lang}
			errors={props.errors}
			autocomplete="current-password"
			{...(props.idSuffix ? { idSuffix: props.idSuffix } : {})}
			required
		/>
	);
}

/**
 * An address that may wrap before its @ and after a dot or hyphen, as a mail client breaks it,
 * and nowhere else (in a `whole` cell): broken anywhere, a squeezed column split it mid-word
 * ("admin@e2e.claimtr / ack.test"); broken before the @ alone, a long address pushed the role
 * and status out of sight just above phone width (s33 r350).
 */
function EmailAddress({ email }: { email: string }) {
	const at = email.lastIndexOf("@");
	if (at <= 0) return <>{email}</>;
	const afterDots = (text: string) => text.split(/(?<=[.-])/);
	const parts = [...afterDots(email.slice(0, at)), ...afterDots(email.slice(at))];
	return <>{parts.flatMap((part, i) => (i === 0 ? [part] : [<wbr />, part]))}</>;
}

export function UsersPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	users: PublicUser[];
	values: Values;
	errors: FieldErrors;
	created?: { user: PublicUser; password: string } | null;
	notice?: string | null;
}) {
	const { chrome, values, errors } = props;
	const { lang } = chrome;
	const title = t(lang, "deskUsers");
	return (
		<DeskLayout chrome={chrome} title={title} formErrors={errors} refused={Boolean(props.notice)}>
			<h1>{title}</h1>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			{props.created ? (
				<>
					<p>{t(lang, "deskUserCreated", { email: props.created.user.email })}</p>
					<SecretOnce
						lang={lang}
						id="new-password"
						label={t(lang, "deskInitialPassword")}
						secret={props.created.password}
					/>
				</>
			) : null}
			{/* On a phone each account stacks, its values under their column's names (table.stack);
			    each word kept whole: side by side, anywhere-breaking split "Fakten / prüfer:i / n",
			    and just wider than a phone "Chris Chec / ker" and addresses mid-host. */}
			<div class="table-scroll">
				<table class="stack">
					<caption class="visually-hidden">{t(lang, "deskUsers")}</caption>
					<thead>
						<tr>
							<th scope="col">{t(lang, "deskName")}</th>
							<th scope="col">{t(lang, "deskEmail")}</th>
							<th scope="col">{t(lang, "deskRole")}</th>
							<th scope="col">{t(lang, "status")}</th>
						</tr>
					</thead>
					<tbody>
						{props.users.map((user) => (
							<tr>
								<td class="whole">
									<a href={`/desk/admin/users/${user.id}`}>{user.name}</a>
								</td>
								<td class="whole" data-label={t(lang, "deskEmail")}>
									<EmailAddress email={user.email} />
								</td>
								<td class="word" data-label={t(lang, "deskRole")}>
									{roleLabel(lang, user.role)}
								</td>
								<td class="word" data-label={t(lang, "status")}>
									{user.disabledAt ? t(lang, "deskDisabled") : t(lang, "deskActive")}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			<h2>{t(lang, "deskInvite")}</h2>
			<p class="hint">{t(lang, "deskInviteHint")}</p>
			<ErrorSummary
				lang={lang}
				errors={errors}
				labels={{ email: t(lang, "deskEmail"), name: t(lang, "deskName"), role: t(lang, "deskRole") }}
			/>
			<form method="post" action="/desk/admin/users" novalidate class="narrow">
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<TextField
					name="email"
					type="email"
					label={t(lang, "deskEmail")}
					lang={lang}
					errors={errors}
					value={values.email}
					autocomplete="off"
					required
				/>
				<TextField
					name="name"
					label={t(lang, "deskName")}
					lang={lang}
					errors={errors}
					value={values.name}
					autocomplete="off"
					required
				/>
				<SelectField
					name="role"
					label={t(lang, "deskRole")}
					lang={lang}
					errors={errors}
					value={values.role || "checker"}
					options={roleOptions(lang)}
					required
				/>
				<AdminPassword lang={lang} errors={errors} />
				<button type="submit">{t(lang, "deskCreateUser")}</button>
			</form>
		</DeskLayout>
	);
}

/** Disabling an account (a box to tick) or enabling it again (the admin's password). */
function AccessForm(props: {
	lang: UiLanguage;
	csrf: string;
	idem: string;
	user: PublicUser;
	errors: FieldErrors;
}) {
	const { lang, user } = props;
	return (
		<>
			<h2>{user.disabledAt ? t(lang, "deskEnable") : t(lang, "deskDisable")}</h2>
			<form method="post" action={`/desk/admin/users/${user.id}/${user.disabledAt ? "enable" : "disable"}`}>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<input type="hidden" name="version" value={String(user.version)} />
				<p class="hint">{user.disabledAt ? t(lang, "deskEnableHint") : t(lang, "deskDisableHint")}</p>
				{user.disabledAt ? (
					<AdminPassword lang={lang} errors={props.errors} idSuffix="enable" />
				) : (
					// Disabling ends every session and token at once: one click did it.
					<ConfirmBox
						id="disable-confirm"
						label={t(lang, "deskDisableConfirm")}
						lang={lang}
						error={props.errors.confirm}
					/>
				)}
				<button type="submit" class={user.disabledAt ? undefined : "danger"}>
					{user.disabledAt ? t(lang, "deskEnable") : t(lang, "deskDisable")}
				</button>
			</form>
		</>
	);
}

/**
 * The account page's failed small form (role, enable or disable, password reset), summarised
 * atop the page; the token form keeps its own summary.
 */
function userPageErrors(
	lang: UiLanguage,
	props: {
		roleErrors: FieldErrors;
		confirmErrors: { form: "enable" | "disable" | "password"; errors: FieldErrors } | null;
	},
): PageErrors | null {
	const password = (suffix: string) => ({
		name: "password",
		label: t(lang, "deskConfirmPassword"),
		id: `${fieldId("password")}-${suffix}`,
	});
	if (Object.keys(props.roleErrors).length > 0)
		return {
			errors: props.roleErrors,
			fields: [{ name: "role", label: t(lang, "deskRole"), id: fieldId("role") }, password("role")],
		};
	const failed = props.confirmErrors;
	if (!failed) return null;
	const fields =
		failed.form === "disable"
			? [{ name: "confirm", label: t(lang, "deskDisableConfirm"), id: "disable-confirm" }]
			: [password(failed.form === "enable" ? "enable" : "reset")];
	return { errors: failed.errors, fields };
}

export function UserPage(props: {
	chrome: DeskChrome;
	csrf: string;
	keys: () => string;
	user: PublicUser;
	tokens: PublicApiToken[];
	/** Names of the accounts that minted the tokens, by id. */
	minters: ReadonlyMap<string, string>;
	newPassword?: string | null;
	newToken?: string | null;
	notice?: string | null;
	tokenValues: Values;
	tokenErrors: FieldErrors;
	roleErrors: FieldErrors;
	/** The role a refused form chose (a wrong password): kept, not the account's. */
	roleValue: string | null;
	/** The admin's password, refused on the enable or password-reset form. */
	confirmErrors: { form: "enable" | "disable" | "password"; errors: FieldErrors } | null;
}) {
	const { chrome, user } = props;
	const confirmErrors = (form: "enable" | "disable" | "password") =>
		props.confirmErrors?.form === form ? props.confirmErrors.errors : {};
	const { lang } = chrome;
	const title = `${t(lang, "deskUser")}: ${user.name}`;
	return (
		<DeskLayout
			chrome={chrome}
			title={title}
			errors={userPageErrors(lang, props)}
			formErrors={props.tokenErrors}
			refused={Boolean(props.notice)}
		>
			<h1>{title}</h1>
			<p>
				<a href="/desk/admin/users">{t(lang, "deskUsers")}</a>
			</p>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			{props.newPassword ? (
				<SecretOnce
					lang={lang}
					id="new-password"
					label={t(lang, "deskNewPassword")}
					secret={props.newPassword}
				/>
			) : null}
			<dl class="facts">
				<dt>{t(lang, "deskEmail")}</dt>
				<dd>{user.email}</dd>
				<dt>{t(lang, "deskRole")}</dt>
				<dd>{roleLabel(lang, user.role)}</dd>
				<dt>{t(lang, "status")}</dt>
				<dd>
					{user.disabledAt
						? `${t(lang, "deskDisabled")} (${formatDateTime(user.disabledAt, lang)})`
						: t(lang, "deskActive")}
				</dd>
				<dt>{t(lang, "deskVersion")}</dt>
				<dd>{user.version}</dd>
			</dl>
			<h2>{t(lang, "deskChangeRole")}</h2>
			<form method="post" action={`/desk/admin/users/${user.id}/role`} novalidate class="narrow">
				<FormSecrets csrf={props.csrf} idem={props.keys()} />
				<input type="hidden" name="version" value={String(user.version)} />
				<SelectField
					name="role"
					label={t(lang, "deskRole")}
					lang={lang}
					errors={props.roleErrors}
					value={props.roleValue ?? user.role}
					options={roleOptions(lang)}
				/>
				<AdminPassword lang={lang} errors={props.roleErrors} idSuffix="role" />
				<button type="submit">{t(lang, "deskSaveRole")}</button>
			</form>
			<AccessForm
				lang={lang}
				csrf={props.csrf}
				idem={props.keys()}
				user={user}
				errors={confirmErrors(user.disabledAt ? "enable" : "disable")}
			/>
			<h2>{t(lang, "deskResetPassword")}</h2>
			{chrome.session?.user.id === user.id ? (
				// The desk has no change of one's own password; a reset here locked its admin out.
				<p class="hint">{t(lang, "deskResetOwnPasswordHint")}</p>
			) : (
				<form method="post" action={`/desk/admin/users/${user.id}/password`} class="narrow">
					<FormSecrets csrf={props.csrf} idem={props.keys()} />
					<p class="hint">{t(lang, "deskResetPasswordHint")}</p>
					<AdminPassword lang={lang} errors={confirmErrors("password")} idSuffix="reset" />
					<button type="submit" class="secondary">
						{t(lang, "deskResetPassword")}
					</button>
				</form>
			)}
			<TokenSection
				lang={lang}
				csrf={props.csrf}
				keys={props.keys}
				role={user.role}
				minterRole={chrome.session?.user.role ?? "checker"}
				tokens={props.tokens}
				minters={props.minters}
				adminView={chrome.session?.user.id !== user.id}
				action={`/desk/admin/users/${user.id}/tokens`}
				newToken={props.newToken ?? null}
				values={props.tokenValues}
				errors={props.tokenErrors}
				mintable={!user.disabledAt}
				mintHint={chrome.session?.user.id === user.id ? null : t(lang, "deskTokenForAnotherHint")}
			/>
		</DeskLayout>
	);
}

export function TokensPage(props: {
	chrome: DeskChrome;
	csrf: string;
	keys: () => string;
	role: Role;
	tokens: PublicApiToken[];
	/** Names of the accounts that minted the tokens, by id. */
	minters: ReadonlyMap<string, string>;
	newToken?: string | null;
	values: Values;
	errors: FieldErrors;
	notice?: string | null;
}) {
	const { chrome } = props;
	const { lang } = chrome;
	const title = t(lang, "deskTokens");
	return (
		<DeskLayout chrome={chrome} title={title} formErrors={props.errors} refused={Boolean(props.notice)}>
			<h1>{title}</h1>
			<p class="hint">{t(lang, "deskTokensIntro")}</p>
			{props.notice ? (
				<Notice kind="error" role="alert" focus>
					{props.notice}
				</Notice>
			) : null}
			<TokenSection
				lang={lang}
				csrf={props.csrf}
				keys={props.keys}
				role={props.role}
				minterRole={props.role}
				tokens={props.tokens}
				minters={props.minters}
				adminView={false}
				action="/desk/tokens"
				newToken={props.newToken ?? null}
				values={props.values}
				errors={props.errors}
			/>
		</DeskLayout>
	);
}

function TokenSection(props: {
	lang: UiLanguage;
	csrf: string;
	keys: () => string;
	/** The owner's role; `minterRole` the signed-in user's, who mints here. */
	role: Role;
	minterRole: Role;
	tokens: PublicApiToken[];
	minters: ReadonlyMap<string, string>;
	/** An admin looking at someone else's tokens: they, not an admin they would ask, fix one not in force. */
	adminView: boolean;
	action: string;
	newToken: string | null;
	values: Values;
	errors: FieldErrors;
	/** False for a disabled account: no token is minted for it (its tokens were revoked). */
	mintable?: boolean;
	/** What minting means here (an admin's token for someone else). */
	mintHint?: string | null;
}) {
	const { lang } = props;
	return (
		<>
			<h2>{t(lang, "deskTokensList")}</h2>
			{props.newToken ? (
				<SecretOnce lang={lang} id="new-token" label={t(lang, "deskNewToken")} secret={props.newToken} />
			) : null}
			{props.tokens.length === 0 ? (
				<p>{t(lang, "deskNoTokens")}</p>
			) : (
				// Six columns do not fit a phone: the table scrolls sideways instead of the page.
				<div class="table-scroll">
					<table class="tokens">
						<caption class="visually-hidden">{t(lang, "deskTokensList")}</caption>
						<thead>
							<tr>
								<th scope="col">{t(lang, "deskName")}</th>
								<th scope="col">{t(lang, "deskScopes")}</th>
								<th scope="col">{t(lang, "deskCreated")}</th>
								<th scope="col">{t(lang, "deskTokenCreatedBy")}</th>
								<th scope="col">{t(lang, "deskLastUsed")}</th>
								<th scope="col">{t(lang, "status")}</th>
							</tr>
						</thead>
						<tbody>
							{props.tokens.map((token) => (
								<tr>
									{/* A name's and a minter's words whole: the scrolling table split "e2e 17966/62701/579". */}
									<td class="whole">{token.name}</td>
									<td>
										<TokenScopes
											lang={lang}
											token={token}
											ownerRole={props.role}
											adminView={props.adminView}
										/>
									</td>
									{/* Dates on one line: at 360 px the scrolling table broke them mid-number. */}
									<td class="word">{formatDateTime(token.createdAt, lang)}</td>
									{/* Who minted it decides what is in force (an admin-granted scope its owner minted is not). */}
									<td class="whole" data-created-by={token.createdBy ?? ""}>
										{token.createdBy === null ? (
											t(lang, "deskTokenCreatedByCli")
										) : (
											<bdi>{props.minters.get(token.createdBy) ?? "?"}</bdi>
										)}
									</td>
									<td class="word">{token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : "–"}</td>
									{/* The status above its button, not beside it: on one line they squeezed the scopes column. */}
									<td class="word">
										<div data-token-status>{tokenStatus(lang, token, props.role)}</div>
										{token.revokedAt ? null : (
											<form method="post" action={`${props.action}/${token.id}/revoke`} class="inline">
												<FormSecrets csrf={props.csrf} idem={props.keys()} />
												<button
													type="submit"
													class="danger"
													aria-label={`${t(lang, "deskRevoke")}: ${token.name}`}
												>
													{t(lang, "deskRevoke")}
												</button>
											</form>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<h2>{t(lang, "deskCreateToken")}</h2>
			{props.mintable === false ? (
				<p class="hint">{t(lang, "deskTokenDisabledAccount")}</p>
			) : (
				<>
					{props.mintHint ? <p class="hint">{props.mintHint}</p> : null}
					<ErrorSummary
						lang={lang}
						errors={props.errors}
						labels={{
							name: t(lang, "deskTokenName"),
							scopes: t(lang, "deskScopes"),
							password: t(lang, "deskConfirmPassword"),
						}}
					/>
					<TokenForm
						lang={lang}
						csrf={props.csrf}
						keys={props.keys}
						role={props.role}
						minterRole={props.minterRole}
						action={props.action}
						values={props.values}
						errors={props.errors}
					/>
				</>
			)}
		</>
	);
}

/** The scopes a token lists that are not in force (permissions `scopeInForce`), as the API refuses them. */
function withheldScopes(token: PublicApiToken, ownerRole: Role): Scope[] {
	const owner = { ownerId: token.userId, ownerRole, createdBy: token.createdBy };
	return parseScopes(token.scopes).filter((scope) => !scopeInForce(scope, owner));
}

/**
 * What a token does now, beside its Revoke button (which alone read as the status): revoked
 * or expired since when, else in force, partly (some scopes withheld) or not at all.
 */
function tokenStatus(lang: UiLanguage, token: PublicApiToken, ownerRole: Role): string {
	if (token.revokedAt) return `${t(lang, "deskRevoked")} ${formatDateTime(token.revokedAt, lang)}`;
	// As the API reads it (auth/api-tokens): expired at its time, whatever the page says.
	if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now())
		return `${t(lang, "deskTokenExpired")} ${formatDateTime(token.expiresAt, lang)}`;
	const withheld = withheldScopes(token, ownerRole).length;
	if (withheld === 0) return t(lang, "deskTokenInForce");
	return t(
		lang,
		withheld < parseScopes(token.scopes).length ? "deskTokenPartlyInForce" : "deskTokenNotInForce",
	);
}

/**
 * A token's scopes as listed; one not in force (an admin-granted scope its editor minted for
 * themselves, permissions `scopeInForce`) says so, as the API refuses it. Its owner is told
 * an admin grants it; an admin, who is that admin, is told why and what to do instead.
 */
function TokenScopes(props: {
	lang: UiLanguage;
	token: PublicApiToken;
	ownerRole: Role;
	adminView: boolean;
}) {
	const { token } = props;
	const withheld = withheldScopes(token, props.ownerRole);
	if (withheld.length === 0) return <code>{token.scopes}</code>;
	const key = props.adminView ? "deskScopeNotInForceOwnerMinted" : "deskScopeNotInForce";
	return (
		<>
			<code>{token.scopes}</code>
			<span class="hint" data-withheld={withheld.join(" ")}>
				{" "}
				({t(props.lang, key, { scopes: withheld.join(", ") })})
			</span>
		</>
	);
}

/**
 * A new token's name and scopes (those the owner's role may hold and the minter may grant),
 * confirmed with the minter's password.
 */
function TokenForm(props: {
	lang: UiLanguage;
	csrf: string;
	keys: () => string;
	role: Role;
	minterRole: Role;
	action: string;
	values: Values;
	errors: FieldErrors;
}) {
	const { lang, errors, values } = props;
	const allowed = mintableScopes(props.role, props.minterRole);
	// An editor minting their own token: say where the import scope comes from.
	const adminGranted = scopesFor(props.role).filter((scope) => !allowed.includes(scope));
	const chosen = new Set(
		Object.keys(values)
			.filter((key) => key.startsWith("scope:"))
			.map((key) => key.slice(6)),
	);
	return (
		<form method="post" action={props.action} novalidate class="narrow">
			<FormSecrets csrf={props.csrf} idem={props.keys()} />
			<TextField
				name="name"
				label={t(lang, "deskTokenName")}
				hint={t(lang, "deskTokenNameHint")}
				lang={lang}
				errors={errors}
				value={values.name}
				autocomplete="off"
				required
			/>
			<fieldset
				class="field"
				id={fieldId("scopes")}
				aria-describedby={errors.scopes ? `${fieldId("scopes")}-error` : undefined}
			>
				<legend>{t(lang, "deskScopes")}</legend>
				{allowed.map((scope: Scope) => (
					<div class="checkbox">
						<input
							type="checkbox"
							id={`scope-${scope.replace(":", "-")}`}
							name={`scope:${scope}`}
							value="1"
							checked={chosen.has(scope)}
						/>
						<label for={`scope-${scope.replace(":", "-")}`}>
							<code>{scope}</code> – {t(lang, SCOPE_KEYS[scope])}
						</label>
					</div>
				))}
				{adminGranted.length > 0 ? (
					<p class="hint" data-admin-granted={adminGranted.join(" ")}>
						{t(lang, "deskScopeAdminGranted", { scopes: adminGranted.join(", ") })}
					</p>
				) : null}
				{errors.scopes ? (
					<p class="error" id={`${fieldId("scopes")}-error`}>
						{fieldMessage(lang, errors.scopes)}
					</p>
				) : null}
			</fieldset>
			<TextField
				name="password"
				type="password"
				label={t(lang, "deskConfirmPassword")}
				hint={t(lang, "deskConfirmPasswordHint")}
				lang={lang}
				errors={errors}
				autocomplete="current-password"
				required
			/>
			<button type="submit">{t(lang, "deskCreateToken")}</button>
		</form>
	);
}
