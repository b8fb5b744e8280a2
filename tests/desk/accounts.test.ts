import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { changeUserRole, getUser, setUserDisabled, setUserPassword } from "../../src/store/users";
import { fetchWith, freshIp, racingD1, testDb } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	makeUser,
	ORIGIN,
	post,
	signIn,
	snapshot,
} from "./helpers";

function secretIn(html: string, id: string): string | undefined {
	return new RegExp(`id="${id}" type="text" readonly="" value="([^"]+)"`).exec(html)?.[1];
}

describe("admin: accounts", () => {
	it("creates an account and shows its generated password once", async () => {
		const admin = await account("admin");
		const email = `Invited-${newId()}@Desk.test`;
		const form = {
			email,
			name: "Ina Invited",
			role: "editor",
			password: admin.password,
			_idem: newToken(18),
		};
		const response = await deskPost(admin, "/desk/admin/users", form);
		expect(response.status).toBe(201);
		const html = await response.text();
		const password = secretIn(html, "new-password");
		expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
		const row = await env.DB.prepare("SELECT id, role, password_hash FROM users WHERE email = ?")
			.bind(email.toLowerCase())
			.first<{ id: string; role: string; password_hash: string }>();
		expect(row?.role).toBe("editor");
		expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
		expect(row?.password_hash).not.toContain(password);
		// The reload does not create a second account, nor show the password again.
		const again = await deskPost(admin, "/desk/admin/users", form);
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`/desk/admin/users/${row?.id}`);
		const login = await post(
			"/desk/login",
			{ email, password: password ?? "" },
			{ headers: { "CF-Connecting-IP": freshIp() } },
		);
		expect(login.status).toBe(303);
		const audit = await env.DB.prepare(
			"SELECT actor_id FROM audit_log WHERE entity = 'user' AND entity_id = ? AND action = 'create'",
		)
			.bind(row?.id)
			.first<{ actor_id: string }>();
		expect(audit?.actor_id).toBe(admin.user.id);
	});

	it("refuses an existing email and a bad one beside the field", async () => {
		const admin = await account("admin");
		const { user } = await makeUser("checker");
		const taken = await deskPost(admin, "/desk/admin/users", {
			email: user.email,
			name: "x",
			role: "checker",
			password: admin.password,
			_idem: newToken(18),
		});
		expect(taken.status).toBe(409);
		expect(await taken.text()).toContain("An account with this email exists already.");
		const bad = await deskPost(admin, "/desk/admin/users", {
			email: "not-an-email",
			name: "",
			role: "boss",
			_idem: newToken(18),
		});
		expect(bad.status).toBe(422);
		const html = await bad.text();
		expect(html).toContain('id="f-email-error"');
		expect(html).toContain('id="f-name-error"');
		expect(html).toContain('id="f-role-error"');
	});

	it("changes a role at the version the admin saw; an outdated version is a 409", async () => {
		const admin = await account("admin");
		const { user } = await makeUser("checker");
		const ok = await deskPost(admin, `/desk/admin/users/${user.id}/role`, {
			role: "editor",
			version: String(user.version),
			password: admin.password,
			_idem: newToken(18),
		});
		expect(ok.status).toBe(303);
		expect((await getUser(testDb(), user.id))?.role).toBe("editor");
		const before = await snapshot();
		const stale = await deskPost(admin, `/desk/admin/users/${user.id}/role`, {
			role: "admin",
			version: String(user.version),
			password: admin.password,
			_idem: newToken(18),
		});
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain("Someone else changed this account in the meantime.");
		expect(await snapshot()).toEqual(before);
	});

	it("a role change applies to the open session at once", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		expect((await deskGet(editor, "/desk")).status).toBe(200);
		await deskPost(admin, `/desk/admin/users/${editor.user.id}/role`, {
			role: "checker",
			version: String(editor.user.version),
			password: admin.password,
			_idem: newToken(18),
		});
		const html = await (await deskGet(editor, "/desk")).text();
		expect(html).toContain("Fact-checker");
	});

	it("resets a password: new one shown once, every session and API token ended, old password refused", async () => {
		const admin = await account("admin");
		const target = await account("checker");
		// A token whoever had the account may have minted: a reset locks it out too.
		const { token } = await apiToken(target.user, ["claims:write"]);
		expect((await apiCall("POST", "/api/v1/claims", { token, body: {} })).status).toBe(422);
		const response = await deskPost(admin, `/desk/admin/users/${target.user.id}/password`, {
			password: admin.password,
			_idem: newToken(18),
		});
		// POST-redirect-GET: the account page shows the new password once (a cookie only it gets).
		expect(response.status).toBe(303);
		expect(response.headers.get("location")).toBe(`/desk/admin/users/${target.user.id}?done=password-reset`);
		const flash = /^(password_flash=[^;]+);.*Path=\/desk\/admin\/users\/[0-9a-z]+;.*HttpOnly/i.exec(
			response.headers.get("set-cookie") ?? "",
		)?.[1];
		expect(flash).toBeTruthy();
		const shown = await deskGet(admin, `/desk/admin/users/${target.user.id}?done=password-reset`, {
			Cookie: `${admin.cookie}; ${flash}`,
		});
		expect(shown.headers.get("set-cookie")).toMatch(/password_flash=;/);
		const password = secretIn(await shown.text(), "new-password");
		expect(password).toBeTruthy();
		// A reload without the cookie (it is gone) shows no password.
		const reload = await (
			await deskGet(admin, `/desk/admin/users/${target.user.id}?done=password-reset`)
		).text();
		expect(secretIn(reload, "new-password")).toBeFalsy();
		expect((await deskGet(target, "/desk")).status).toBe(303);
		expect((await apiCall("POST", "/api/v1/claims", { token, body: {} })).status).toBe(401);
		const old = await post(
			"/desk/login",
			{ email: target.user.email, password: target.password },
			{ headers: { "CF-Connecting-IP": freshIp() } },
		);
		expect(old.status).toBe(401);
		const fresh = await post(
			"/desk/login",
			{ email: target.user.email, password: password ?? "" },
			{ headers: { "CF-Connecting-IP": freshIp() } },
		);
		expect(fresh.status).toBe(303);
	});

	it("enables a disabled account again, without the API tokens it had", async () => {
		const admin = await account("admin");
		const { user, password } = await makeUser("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		await deskPost(admin, `/desk/admin/users/${user.id}/disable`, {
			confirm: "1",
			version: String(user.version),
			_idem: newToken(18),
		});
		const disabled = await getUser(testDb(), user.id);
		expect(disabled?.disabledAt).not.toBeNull();
		await deskPost(admin, `/desk/admin/users/${user.id}/enable`, {
			version: String(disabled?.version),
			password: admin.password,
			_idem: newToken(18),
		});
		expect((await getUser(testDb(), user.id))?.disabledAt).toBeNull();
		expect((await apiCall("POST", "/api/v1/claims", { token, body: {} })).status).toBe(401);
		const login = await post(
			"/desk/login",
			{ email: user.email, password },
			{ headers: { "CF-Connecting-IP": freshIp() } },
		);
		expect(login.status).toBe(303);
	});

	it("mints no token for a disabled account, which comes back without any", async () => {
		const admin = await account("admin");
		const { user } = await makeUser("editor");
		await deskPost(admin, `/desk/admin/users/${user.id}/disable`, {
			confirm: "1",
			version: String(user.version),
			_idem: newToken(18),
		});
		const disabled = await getUser(testDb(), user.id);
		expect(disabled?.disabledAt).not.toBeNull();
		const page = await (await deskGet(admin, `/desk/admin/users/${user.id}`)).text();
		expect(page).not.toContain(`action="/desk/admin/users/${user.id}/tokens"`);
		expect(page).toContain("The account is disabled: no token is minted for it.");
		const before = await snapshot();
		const refused = await deskPost(admin, `/desk/admin/users/${user.id}/tokens`, {
			name: "kept for later",
			"scope:claims:write": "1",
			password: admin.password,
			_idem: newToken(18),
		});
		expect(refused.status).toBe(409);
		const html = await refused.text();
		expect(html).toContain("This account is disabled: enable it before minting it a token.");
		expect(html).not.toMatch(/ct_[A-Za-z0-9_-]{43}/);
		expect(await snapshot()).toEqual(before);
		// The store refuses it as well, in the token's own batch: an account disabled between
		// the page's read and the write revoked its tokens before this one existed.
		await expect(apiToken(user, ["claims:write"])).rejects.toMatchObject({
			status: 409,
			code: "account-disabled",
		});
		expect(await snapshot()).toEqual(before);
		await deskPost(admin, `/desk/admin/users/${user.id}/enable`, {
			version: String(disabled?.version),
			password: admin.password,
			_idem: newToken(18),
		});
		expect((await getUser(testDb(), user.id))?.disabledAt).toBeNull();
		const tokens = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE user_id = ?")
			.bind(user.id)
			.first<{ n: number }>();
		expect(tokens?.n).toBe(0);
	});

	it("makes no account, role, password or re-enabled account without the admin's own password", async () => {
		const admin = await account("admin");
		const { user } = await makeUser("checker");
		const disabled = await makeUser("checker");
		await deskPost(admin, `/desk/admin/users/${disabled.user.id}/disable`, {
			confirm: "1",
			version: String(disabled.user.version),
			_idem: newToken(18),
		});
		const version = String((await getUser(testDb(), disabled.user.id))?.version);
		const before = await snapshot();
		// A stolen session's holder knows no password: none, or a guess. From an address of its
		// own: the refusals count as failed logins, and would lock out the tests' shared one.
		const ip = { headers: { "CF-Connecting-IP": freshIp() } };
		const as = (path: string, fields: Record<string, string>) =>
			post(path, { _csrf: admin.csrf, ...fields }, { cookie: admin.cookie, ...ip });
		for (const password of [undefined, "guess"]) {
			const secret: Record<string, string> = password === undefined ? {} : { password };
			const attempts = [
				await as("/desk/admin/users", {
					email: `Stolen-${newId()}@desk.test`,
					name: "Sly",
					role: "admin",
					...secret,
					_idem: newToken(18),
				}),
				await as(`/desk/admin/users/${user.id}/role`, {
					role: "admin",
					version: String(user.version),
					...secret,
					_idem: newToken(18),
				}),
				await as(`/desk/admin/users/${user.id}/password`, { ...secret, _idem: newToken(18) }),
				await as(`/desk/admin/users/${disabled.user.id}/enable`, {
					version,
					...secret,
					_idem: newToken(18),
				}),
			];
			for (const [i, response] of attempts.entries()) {
				expect(response.status).toBe(422);
				expect(response.headers.get("set-cookie") ?? "").not.toContain("password_flash");
				const html = await response.text();
				expect(html).toContain("This is not your password.");
				// The role form comes back with the role chosen, not the account's.
				if (i === 1) {
					expect(html).toMatch(/<option value="admin" selected(="")?>/);
					expect(html).not.toMatch(/<option value="checker" selected(="")?>/);
				}
			}
		}
		expect(await snapshot()).toEqual(before);
		// Each refusal is on record as a failed login would be, with where it happened.
		const { results } = await env.DB.prepare(
			"SELECT changes FROM audit_log WHERE action = 'login-failed' AND entity_id = ? ORDER BY id",
		)
			.bind(admin.user.id)
			.all<{ changes: string }>();
		expect(results.map((r) => JSON.parse(r.changes).where)).toEqual(
			expect.arrayContaining(["account", "role", "password-reset", "enable"]),
		);
	});

	it("disables an account only when the admin ticks the confirmation", async () => {
		const admin = await account("admin");
		const target = await account("checker");
		const unconfirmed = await deskPost(admin, `/desk/admin/users/${target.user.id}/disable`, {
			version: String(target.user.version),
			_idem: newToken(18),
		});
		expect(unconfirmed.status).toBe(422);
		expect(await unconfirmed.text()).toContain("Nothing was changed: tick the box to confirm.");
		expect((await getUser(testDb(), target.user.id))?.disabledAt).toBeNull();
		expect((await deskGet(target, "/desk")).status).toBe(200);
	});

	it("an admin cannot lock themselves out", async () => {
		const admin = await account("admin");
		const before = await snapshot();
		expect(
			(
				await deskPost(admin, `/desk/admin/users/${admin.user.id}/disable`, {
					confirm: "1",
					version: "1",
					_idem: newToken(18),
				})
			).status,
		).toBe(422);
		expect(
			(
				await deskPost(admin, `/desk/admin/users/${admin.user.id}/role`, {
					role: "checker",
					version: "1",
					_idem: newToken(18),
				})
			).status,
		).toBe(422);
		expect(await snapshot()).toEqual(before);
	});

	it("an admin cannot reset their own password, which ended the session it was shown to", async () => {
		const admin = await account("admin");
		const other = await makeUser("checker");
		// The form is offered for others, not on the admin's own page.
		const resetForm = (id: string) => `action="/desk/admin/users/${id}/password"`;
		expect(await (await deskGet(admin, `/desk/admin/users/${other.user.id}`)).text()).toContain(
			resetForm(other.user.id),
		);
		const own = await (await deskGet(admin, `/desk/admin/users/${admin.user.id}`)).text();
		expect(own).not.toContain(resetForm(admin.user.id));
		expect(own).toContain("Another admin resets your password");
		const before = await snapshot();
		const refused = await deskPost(admin, `/desk/admin/users/${admin.user.id}/password`, {
			password: admin.password,
			_idem: newToken(18),
		});
		expect(refused.status).toBe(422);
		expect(await refused.text()).toContain("Admins cannot reset their own password here.");
		expect(await snapshot()).toEqual(before);
		// Still signed in, and the password still the one they know.
		expect((await deskGet(admin, "/desk/admin/users")).status).toBe(200);
		const login = await post(
			"/desk/login",
			{ email: admin.user.email, password: admin.password, next: "/desk" },
			{ headers: { "CF-Connecting-IP": freshIp() } },
		);
		expect(login.status).toBe(303);
	});

	it("stacks the accounts list on a phone, each role and status whole under its column's name (en, de)", async () => {
		const admin = await account("admin");
		const checker = await account("checker");
		const words = {
			en: {
				email: "Email address",
				role: "Role",
				status: "Status",
				checker: "Fact-checker",
				active: "Active",
			},
			de: {
				email: "E-Mail-Adresse",
				role: "Rolle",
				status: "Status",
				checker: "Faktenprüfer:in",
				active: "Aktiv",
			},
		};
		for (const [lang, w] of Object.entries(words)) {
			const html = await (await deskGet(admin, `/desk/admin/users?lang=${lang}`)).text();
			// Side by side at 360 px, anywhere-breaking split the roles: "Fakten / prüfer:i / n" (s33 h334).
			expect(html, lang).toMatch(
				/<div class="table-scroll"><table class="stack"><caption class="visually-hidden">/,
			);
			const link = `<td class="whole"><a href="/desk/admin/users/${checker.user.id}">`;
			const start = html.indexOf(link);
			expect(start, lang).toBeGreaterThan(-1);
			const row = html.slice(start, html.indexOf("</tr>", start));
			// The address wraps before its @ and after a dot or hyphen only: anywhere, a squeezed
			// column split it mid-host; before the @ alone, a long one hid the role above 480 px.
			const [local, host] = checker.user.email.split("@");
			const breaks = (text: string) => text.replace(/([.-])/g, "$1<wbr/>");
			expect(row, lang).toContain(
				`<td class="whole" data-label="${w.email}">${breaks(local ?? "")}<wbr/>@${breaks(host ?? "")}</td>`,
			);
			expect(row, lang).toContain(
				`<td class="word" data-label="${w.role}">${w.checker}</td><td class="word" data-label="${w.status}">${w.active}</td>`,
			);
		}
	});
});

describe("API tokens in the desk", () => {
	it("a user creates a named, scoped token shown once; it works, and revoking ends it", async () => {
		const checker = await account("checker");
		// A session alone does not mint a token: the account's password does (a stolen cookie
		// or an unlocked screen made tokens that outlived the session).
		const before = await snapshot();
		const unconfirmed = await deskPost(checker, "/desk/tokens", {
			name: "newsroom importer",
			"scope:claims:write": "1",
			password: "not the password",
			_idem: newToken(18),
		});
		expect(unconfirmed.status).toBe(422);
		expect(await unconfirmed.text()).toContain("This is not your password.");
		// On record like a failed login, by the session that tried.
		const failed = await env.DB.prepare(
			"SELECT actor_id AS actor, changes FROM audit_log WHERE action = 'login-failed' AND entity_id = ?",
		)
			.bind(checker.user.id)
			.all<{ actor: string; changes: string }>();
		expect(failed.results.map((r) => [r.actor, JSON.parse(r.changes).where])).toEqual([
			[checker.user.id, "token"],
		]);
		expect(await snapshot()).toEqual(before);
		const response = await deskPost(checker, "/desk/tokens", {
			name: "newsroom importer",
			"scope:claims:write": "1",
			password: checker.password,
			_idem: newToken(18),
		});
		expect(response.status).toBe(201);
		const html = await response.text();
		const token = secretIn(html, "new-token");
		expect(token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
		const row = await env.DB.prepare("SELECT id, scopes, token_hash FROM api_tokens WHERE user_id = ?")
			.bind(checker.user.id)
			.first<{ id: string; scopes: string; token_hash: string }>();
		expect(row?.scopes).toBe("claims:write");
		// Listed afterwards without the secret.
		const list = await (await deskGet(checker, "/desk/tokens")).text();
		expect(list).toContain("newsroom importer");
		expect(list).not.toContain(token ?? "-");
		const body = {
			text: `Claim ${newId()}`,
			language: "de",
			speaker: null,
			source: { url: `https://news.example/${newId()}` },
		};
		expect((await apiCall("POST", "/api/v1/claims", { token, body })).status).toBe(201);
		const revoke = await deskPost(checker, `/desk/tokens/${row?.id}/revoke`, { _idem: newToken(18) });
		expect(revoke.status).toBe(303);
		expect((await apiCall("POST", "/api/v1/claims", { token, body })).status).toBe(401);
	});

	it("a form's key sent again with other scopes makes nothing and keeps the input, not an empty page", async () => {
		const checker = await account("checker");
		const key = newToken(18);
		const form = { name: "importer", "scope:claims:write": "1", password: checker.password, _idem: key };
		expect((await deskPost(checker, "/desk/tokens", form)).status).toBe(201);
		// The same form again (a reload): no second token, none shown.
		const reload = await deskPost(checker, "/desk/tokens", form);
		expect(reload.status).toBe(200);
		expect(secretIn(await reload.text(), "new-token")).toBeUndefined();
		// Back, then another scope ticked: the key stands for the first form's scopes.
		const changed = await deskPost(checker, "/desk/tokens", {
			...form,
			"scope:verdicts:write": "1",
		});
		expect(changed.status).toBe(422);
		const html = await changed.text();
		expect(html).toContain("sent before with another name or other scopes");
		expect(html).toContain('value="importer"');
		expect(html).toMatch(/name="scope:verdicts:write" value="1" checked/);
		expect(secretIn(html, "new-token")).toBeUndefined();
		const tokens = await env.DB.prepare("SELECT scopes FROM api_tokens WHERE user_id = ?")
			.bind(checker.user.id)
			.all<{ scopes: string }>();
		expect(tokens.results).toEqual([{ scopes: "claims:write" }]);
	});

	it("a checker cannot give a token a scope beyond the role", async () => {
		const checker = await account("checker");
		const before = await snapshot();
		const response = await deskPost(checker, "/desk/tokens", {
			name: "sneaky",
			"scope:verdicts:publish": "1",
			_idem: newToken(18),
		});
		expect(response.status).toBe(422);
		expect(await snapshot()).toEqual(before);
		// The form does not even offer it.
		const html = await (await deskGet(checker, "/desk/tokens")).text();
		expect(html).not.toContain("scope:verdicts:publish");
		expect(html).toContain("scope:claims:write");
	});

	it("needs a name and a scope", async () => {
		const checker = await account("checker");
		const response = await deskPost(checker, "/desk/tokens", { name: "", _idem: newToken(18) });
		expect(response.status).toBe(422);
		const html = await response.text();
		expect(html).toContain("Give the token a name.");
		expect(html).toContain("Choose at least one scope.");
		// At the top of the form, as on every desk form: a summary announced at once, each
		// problem linking to its field (only the inline errors were there).
		const summary =
			/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(
				html,
			)?.[1];
		expect(summary).toContain('<a href="#f-name">Token name: Give the token a name.</a>');
		expect(summary).toContain('<a href="#f-scopes">Scopes: Choose at least one scope.</a>');
		expect(html.indexOf('id="error-summary"')).toBeLessThan(
			html.indexOf('<form method="post" action="/desk/tokens"'),
		);
		const german = await (
			await deskPost(checker, "/desk/tokens?lang=de", { name: "", _idem: newToken(18) })
		).text();
		expect(german).toMatch(
			/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">[\s\S]*Bitte dem Token einen Namen geben\./,
		);
	});

	it("keeps the token list's dates on one line, and its names' and minters' words whole", async () => {
		const checker = await account("checker");
		await apiToken(checker.user, ["claims:write"], "dated 1796662701579");
		const html = await (await deskGet(checker, "/desk/tokens?lang=de")).text();
		// Whole words (td.whole): the scrolling table split a name "e2e 17966 / 62701 / 579" and
		// "Komman / dozeile" at 360 px (s33 f341).
		const start = html.indexOf('<td class="whole">dated 1796662701579</td>');
		expect(start).toBeGreaterThan(-1);
		const row = html.slice(start, html.indexOf("</tr>", start));
		expect(row).toContain('<td class="whole" data-created-by="">der Kommandozeile</td>');
		// A cell that may not wrap (td.word): a narrow table broke "06.12.2026" after "06.12.202".
		// In the newsroom's zone, named (vitest.config.ts: Europe/Berlin, so MEZ or MESZ).
		expect(row).toMatch(/<td class="word">\d\d\.\d\d\.\d{4}, \d\d:\d\d MES?Z<\/td>/);
		expect(row).toContain('<td class="word">–</td>');
	});

	it("an admin issues and revokes tokens for another account", async () => {
		const admin = await account("admin");
		const editor = await makeUser("editor");
		const response = await deskPost(admin, `/desk/admin/users/${editor.user.id}/tokens`, {
			name: "publisher bot",
			"scope:verdicts:publish": "1",
			password: admin.password,
			_idem: newToken(18),
		});
		expect(response.status).toBe(201);
		const row = await env.DB.prepare("SELECT id, scopes FROM api_tokens WHERE user_id = ?")
			.bind(editor.user.id)
			.first<{ id: string; scopes: string }>();
		expect(row?.scopes).toBe("verdicts:publish");
		const revoked = await deskPost(admin, `/desk/admin/users/${editor.user.id}/tokens/${row?.id}/revoke`, {
			_idem: newToken(18),
		});
		expect(revoked.status).toBe(303);
		const after = await env.DB.prepare("SELECT revoked_at FROM api_tokens WHERE id = ?")
			.bind(row?.id)
			.first();
		expect(after?.revoked_at).not.toBeNull();
	});

	it("pages render in German", async () => {
		const admin = await account("admin");
		const html = await (await deskGet(admin, "/desk/tokens", { "Accept-Language": "de-DE,de;q=0.9" })).text();
		expect(html).toContain('<html lang="de">');
		expect(html).toContain("Token anlegen");
		const session = await signIn(admin.user);
		expect((await deskGet(session, "/desk/admin/users?lang=de")).headers.get("set-cookie")).toContain(
			"lang=de",
		);
	});
});

/** `deskPost` through a database where `racing` runs another writer's change first. */
async function racingPost(
	racing: D1Database,
	who: Pick<Account, "cookie" | "csrf">,
	path: string,
	fields: Record<string, string>,
	headers: Record<string, string> = {},
) {
	const { response } = await fetchWith(racing, path, {
		method: "POST",
		headers: {
			"Content-Type": "application/x-www-form-urlencoded",
			Origin: ORIGIN,
			"CF-Connecting-IP": freshIp(),
			Cookie: who.cookie,
			...headers,
		},
		body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
		redirect: "manual",
	});
	return response;
}

async function tokensOf(userId: string): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE user_id = ?")
		.bind(userId)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

const CHANGED_MEANWHILE =
	"Your own account was changed meanwhile (disabled, its role or its password): nothing was saved.";

describe("a token minted while the minter's access ends", () => {
	it("is not made when the owner's password is reset between its check and the insert", async () => {
		const checker = await account("checker");
		// The admin's reset commits just before the token's batch: the old password was right.
		const racing = racingD1(/^insert into "api_tokens"/i, () =>
			setUserPassword(testDb(), SYSTEM("admin"), checker.user.id, "pbkdf2-sha256$1000$bmV3$bmV3"),
		);
		const response = await racingPost(racing, checker, "/desk/tokens", {
			name: "importer",
			"scope:claims:write": "1",
			password: checker.password,
			_idem: newToken(18),
		});
		expect(response.status).toBe(409);
		const html = await response.text();
		expect(html).toContain(CHANGED_MEANWHILE);
		expect(html).not.toMatch(/ct_[A-Za-z0-9_-]{43}/);
		expect(await tokensOf(checker.user.id)).toBe(0);
	});

	it("is not made for a colleague when the minting admin is disabled or demoted meanwhile", async () => {
		for (const race of ["disable", "demote"] as const) {
			const admin = await account("admin");
			const colleague = await makeUser("admin");
			const racing = racingD1(/^insert into "api_tokens"/i, async () => {
				const now = await getUser(testDb(), admin.user.id);
				if (race === "disable")
					await setUserDisabled(testDb(), SYSTEM("other admin"), admin.user.id, now?.version ?? 0, true);
				else
					await changeUserRole(testDb(), SYSTEM("other admin"), admin.user.id, now?.version ?? 0, "checker");
			});
			const response = await racingPost(
				racing,
				admin,
				`/desk/admin/users/${colleague.user.id}/tokens`,
				{ name: "backup bot", "scope:backup": "1", password: admin.password, _idem: newToken(18) },
				{ "Accept-Language": "de-DE,de;q=0.9" },
			);
			expect(response.status, race).toBe(409);
			const html = await response.text();
			expect(html).toContain("Ihr eigenes Konto wurde inzwischen geändert");
			expect(html).not.toMatch(/ct_[A-Za-z0-9_-]{43}/);
			expect(await tokensOf(colleague.user.id), race).toBe(0);
		}
	});

	it("is still made when only the owner's role changed meanwhile (its own token)", async () => {
		const editor = await account("editor");
		const racing = racingD1(/^insert into "api_tokens"/i, () =>
			env.DB.prepare("UPDATE users SET role = 'checker', version = version + 1 WHERE id = ?")
				.bind(editor.user.id)
				.run(),
		);
		const response = await racingPost(racing, editor, "/desk/tokens", {
			name: "importer",
			"scope:claims:write": "1",
			password: editor.password,
			_idem: newToken(18),
		});
		expect(response.status).toBe(201);
		expect(await tokensOf(editor.user.id)).toBe(1);
	});
});

describe("an account change while the acting admin's access ends", () => {
	/** The other admin's change to `admin`, committed just before the form's batch. */
	function endAccess(admin: Account, how: "disable" | "demote") {
		return async () => {
			const now = await getUser(testDb(), admin.user.id);
			if (how === "disable")
				await setUserDisabled(testDb(), SYSTEM("other admin"), admin.user.id, now?.version ?? 0, true);
			else await changeUserRole(testDb(), SYSTEM("other admin"), admin.user.id, now?.version ?? 0, "checker");
		};
	}

	it("creates no account when the admin is disabled or demoted between the check and the insert", async () => {
		for (const how of ["disable", "demote"] as const) {
			const admin = await account("admin");
			const email = `raced-${newId()}@desk.test`;
			const racing = racingD1(/^insert into "users"/i, endAccess(admin, how));
			const response = await racingPost(racing, admin, "/desk/admin/users", {
				email,
				name: "Raced Admin",
				role: "admin",
				password: admin.password,
				_idem: newToken(18),
			});
			expect(response.status, how).toBe(409);
			const html = await response.text();
			expect(html).toContain(CHANGED_MEANWHILE);
			expect(html).not.toContain('id="new-password"');
			const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first();
			expect(row, how).toBeNull();
		}
	});

	it("changes no role, enables no account and resets no password once the admin was disabled meanwhile", async () => {
		const cases = [
			{ path: "role", sql: /^update "users" set "role"/i, fields: { role: "admin" } },
			{ path: "enable", sql: /^update "users" set "disabled_at"/i, fields: {} },
			{ path: "password", sql: /^update "users" set "password_hash"/i, fields: {} },
		] as const;
		for (const { path, sql, fields } of cases) {
			const admin = await account("admin");
			const friend = await makeUser("checker");
			if (path === "enable")
				await setUserDisabled(testDb(), SYSTEM("test"), friend.user.id, friend.user.version, true);
			const before = await getUser(testDb(), friend.user.id);
			const racing = racingD1(sql, endAccess(admin, "disable"));
			const response = await racingPost(
				racing,
				admin,
				`/desk/admin/users/${friend.user.id}/${path}`,
				{ ...fields, version: String(before?.version), password: admin.password, _idem: newToken(18) },
				{ "Accept-Language": "de-DE,de;q=0.9" },
			);
			expect(response.status, path).toBe(409);
			expect(await response.text(), path).toContain("Ihr eigenes Konto wurde inzwischen geändert");
			expect(response.headers.getSetCookie().join(";"), path).not.toContain("password_flash");
			expect(await getUser(testDb(), friend.user.id), path).toEqual(before);
		}
	});
});
