import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { addressNetwork, checkLoginRate, LOGIN_LIMITS } from "../../src/auth/rate-limit";
import { IDLE_TIMEOUT_MS, SESSION_COOKIE_HEADER_NAME, sessionState } from "../../src/auth/session";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { factory } from "../../src/factory";
import { SYSTEM } from "../../src/store/batch";
import { hitRateLimit } from "../../src/store/rate-limits";
import { setUserDisabled, setUserPassword } from "../../src/store/users";
import { makeClaim } from "../factories";
import { fetchWith, freshIp, json, racingD1, testDb } from "../helpers";
import {
	account,
	claimForm,
	deskGet,
	deskPost,
	hidden,
	makeUser,
	ORIGIN,
	post,
	signIn,
	verdictForm,
} from "./helpers";

async function notesOf(claimId: string): Promise<string[]> {
	const { results } = await env.DB.prepare(
		"SELECT text FROM claim_notes WHERE claim_id = ? ORDER BY created_at",
	)
		.bind(claimId)
		.all<{ text: string }>();
	return results.map((row) => row.text);
}

function login(
	email: string,
	password: string,
	options: { ip?: string; cookie?: string; next?: string } = {},
) {
	return post(
		"/desk/login",
		{ email, password, next: options.next ?? "/desk" },
		{
			headers: {
				"CF-Connecting-IP": options.ip ?? freshIp(),
				...(options.cookie ? { Cookie: options.cookie } : {}),
			},
		},
	);
}

function sessionCookie(response: Response): string | undefined {
	const header = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE_HEADER_NAME}=`));
	return header;
}

/** A page's text without what differs per response (nonce, request id, CSRF token). */
function stable(html: string): string {
	return html.replace(/nonce="[^"]*"/g, "").replace(/value="[A-Za-z0-9_-]{20,}"/g, "");
}

describe("login", () => {
	it("starts a session in a __Host- cookie and stores only the token's hash", async () => {
		const { user, password } = await makeUser("checker");
		const response = await login(user.email.toUpperCase(), password, { next: "/desk/claims/new" });
		expect(response.status).toBe(303);
		expect(response.headers.get("location")).toBe("/desk/claims/new");
		const cookie = sessionCookie(response);
		expect(cookie).toBeDefined();
		expect(cookie).toMatch(/; Path=\//);
		expect(cookie).toMatch(/; HttpOnly/);
		expect(cookie).toMatch(/; Secure/);
		expect(cookie).toMatch(/; SameSite=Lax/);
		expect(cookie).not.toMatch(/Domain=/i);
		const token = /^__Host-claimtrack_session=([^;]+)/.exec(cookie ?? "")?.[1] ?? "";
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const row = await env.DB.prepare("SELECT token_hash FROM sessions WHERE user_id = ?")
			.bind(user.id)
			.first<{ token_hash: string }>();
		expect(row?.token_hash).toBe(await sha256Hex(token));
		expect(row?.token_hash).not.toContain(token);
		const desk = await deskGet({ cookie: `${SESSION_COOKIE_HEADER_NAME}=${token}` }, "/desk");
		expect(desk.status).toBe(200);
		expect(await desk.text()).toContain(user.name);
		const audit = await env.DB.prepare(
			"SELECT actor_id FROM audit_log WHERE action = 'login' AND entity_id = ?",
		)
			.bind(user.id)
			.first<{ actor_id: string }>();
		expect(audit?.actor_id).toBe(user.id);
	});

	it("answers a wrong password, an unknown user and a disabled account alike", async () => {
		const { user, password } = await makeUser("editor");
		const disabled = await makeUser("checker");
		await setUserDisabled(testDb(), SYSTEM("test"), disabled.user.id, disabled.user.version, true);
		const email = "nobody@desk.test";
		const wrong = await login(user.email, "not-the-password");
		const unknown = await login(email, password);
		const off = await login(disabled.user.email, disabled.password);
		expect([wrong.status, unknown.status, off.status]).toEqual([401, 401, 401]);
		const [a, b, c] = await Promise.all([wrong.text(), unknown.text(), off.text()]);
		expect(a).toContain("The email address or the password is wrong.");
		// Same page apart from the echoed email address.
		expect(stable(b).replace(email, "E")).toBe(stable(a).replace(user.email, "E"));
		expect(stable(c).replace(disabled.user.email, "E")).toBe(stable(a).replace(user.email, "E"));
		for (const response of [wrong, unknown, off]) expect(sessionCookie(response)).toBeUndefined();
	});

	it("rotates the session at login: the cookie held before is revoked", async () => {
		const { user, password } = await makeUser("checker");
		const before = await signIn(user);
		const response = await login(user.email, password, { cookie: before.cookie });
		expect(response.status).toBe(303);
		expect(sessionCookie(response)).not.toContain(before.token);
		const old = await env.DB.prepare("SELECT revoked_at FROM sessions WHERE id = ?")
			.bind(before.sessionId)
			.first<{ revoked_at: string | null }>();
		expect(old?.revoked_at).not.toBeNull();
		expect((await deskGet(before, "/desk")).status).toBe(303);
	});

	it("starts no session when the password is reset between its check and the session's insert", async () => {
		const { user, password } = await makeUser("checker");
		// The admin's reset commits just before the login's batch: the old password was right.
		const racing = racingD1(/^insert into "sessions"/i, () =>
			setUserPassword(testDb(), SYSTEM("admin"), user.id, "pbkdf2-sha256$1000$bmV3$bmV3"),
		);
		const { response } = await fetchWith(racing, "/desk/login", {
			method: "POST",
			headers: {
				"Content-Type": "application/x-www-form-urlencoded",
				Origin: ORIGIN,
				"CF-Connecting-IP": freshIp(),
			},
			body: new URLSearchParams({ email: user.email, password, next: "/desk" }).toString(),
			redirect: "manual",
		});
		expect(response.status).toBe(401);
		expect(sessionCookie(response)).toBeUndefined();
		const open = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?")
			.bind(user.id)
			.first<{ n: number }>();
		expect(open?.n).toBe(0);
	});

	it("still starts the session when only the role changed meanwhile", async () => {
		const { user, password } = await makeUser("checker");
		const racing = racingD1(/^insert into "sessions"/i, () =>
			env.DB.prepare("UPDATE users SET role = 'editor', version = version + 1 WHERE id = ?")
				.bind(user.id)
				.run(),
		);
		const { response } = await fetchWith(racing, "/desk/login", {
			method: "POST",
			headers: {
				"Content-Type": "application/x-www-form-urlencoded",
				Origin: ORIGIN,
				"CF-Connecting-IP": freshIp(),
			},
			body: new URLSearchParams({ email: user.email, password, next: "/desk" }).toString(),
			redirect: "manual",
		});
		expect(response.status).toBe(303);
		expect(sessionCookie(response)).toBeDefined();
	});

	it("only follows a next path inside the desk", async () => {
		const { user, password } = await makeUser("checker");
		const response = await login(user.email, password, { next: "//evil.example/desk" });
		expect(response.headers.get("location")).toBe("/desk");
	});
});

describe("the page after login", () => {
	it("never puts a control character into Location: a signed-in visitor goes to the desk, not to a 500", async () => {
		const checker = await account("checker");
		for (const next of ["/desk/x\u0000", "/desk\u0001", "/desk/x\u007f", "/desk/x\u001b[0m"]) {
			const response = await deskGet(checker, `/desk/login?next=${encodeURIComponent(next)}`);
			expect(response.status).toBe(303);
			expect(response.headers.get("location")).toBe("/desk");
		}
		const { user, password } = await makeUser("checker");
		const posted = await login(user.email, password, { next: "/desk/x\u0000" });
		expect(posted.status).toBe(303);
		expect(posted.headers.get("location")).toBe("/desk");
	});

	it("keeps a desk path with other letters, percent-encoded, and leaves none outside the desk", async () => {
		const checker = await account("checker");
		const cases: [string, string][] = [
			["/desk/claims?q=Brücke", "/desk/claims?q=Br%C3%BCcke"],
			["/desk/claims/abc#notes", "/desk/claims/abc#notes"],
			["/desk/../admin", "/desk"],
			["/desk/..%2f..%2fevil", "/desk/..%2f..%2fevil"],
		];
		for (const [next, location] of cases) {
			const response = await deskGet(checker, `/desk/login?next=${encodeURIComponent(next)}`);
			expect(response.status).toBe(303);
			expect(response.headers.get("location")).toBe(location);
		}
	});
});

describe("sessions", () => {
	it("sends anonymous visitors to the login form and refuses their posts", async () => {
		const page = await deskGet(null, "/desk/claims/new");
		expect(page.status).toBe(303);
		expect(page.headers.get("location")).toBe("/desk/login?next=%2Fdesk%2Fclaims%2Fnew");
		const form = await post("/desk/claims", { text: "x" });
		expect(form.status).toBe(401);
		expect(form.headers.get("content-type")).toContain("text/html");
	});

	it("ends at logout: the session is revoked in D1 and the cookie is cleared", async () => {
		const checker = await account("checker");
		const response = await deskPost(checker, "/desk/logout");
		expect(response.status).toBe(303);
		expect(response.headers.getSetCookie().join("\n")).toMatch(/__Host-claimtrack_session=;.*Max-Age=0/);
		const row = await env.DB.prepare("SELECT revoked_at FROM sessions WHERE id = ?")
			.bind(checker.sessionId)
			.first<{ revoked_at: string | null }>();
		expect(row?.revoked_at).not.toBeNull();
		expect((await deskGet(checker, "/desk")).status).toBe(303);
	});

	it("expires after the absolute lifetime", async () => {
		const { user } = await makeUser("checker");
		const session = await signIn(user, { expiresAt: new Date(Date.now() - 1000).toISOString() });
		const response = await deskGet(session, "/desk");
		expect(response.status).toBe(303);
		expect(response.headers.get("location")).toContain("/desk/login");
		expect(response.headers.getSetCookie().join("\n")).toContain("Max-Age=0");
	});

	it("expires after being idle, and activity keeps it alive", async () => {
		const { user } = await makeUser("checker");
		const session = await signIn(user);
		expect((await deskGet(session, "/desk")).status).toBe(200);
		const idleSince = new Date(Date.now() - IDLE_TIMEOUT_MS - 1000).toISOString();
		await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?")
			.bind(idleSince, session.sessionId)
			.run();
		expect((await deskGet(session, "/desk")).status).toBe(303);
	});

	it("records activity at most once a minute", async () => {
		const { user } = await makeUser("checker");
		const session = await signIn(user);
		const earlier = new Date(Date.now() - 5 * 60 * 1000).toISOString();
		await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?")
			.bind(earlier, session.sessionId)
			.run();
		await deskGet(session, "/desk");
		const row = await env.DB.prepare("SELECT last_seen_at FROM sessions WHERE id = ?")
			.bind(session.sessionId)
			.first<{ last_seen_at: string }>();
		expect(Date.parse(row?.last_seen_at ?? "")).toBeGreaterThan(Date.parse(earlier));
	});

	it("is revoked when the account is disabled", async () => {
		const admin = await account("admin");
		const checker = await account("checker");
		expect((await deskGet(checker, "/desk")).status).toBe(200);
		const response = await deskPost(admin, `/desk/admin/users/${checker.user.id}/disable`, {
			confirm: "1",
			version: String(checker.user.version),
		});
		expect(response.status).toBe(303);
		const row = await env.DB.prepare("SELECT revoked_at FROM sessions WHERE id = ?")
			.bind(checker.sessionId)
			.first<{ revoked_at: string | null }>();
		expect(row?.revoked_at).not.toBeNull();
		expect((await deskGet(checker, "/desk")).status).toBe(303);
	});

	it("classifies stored sessions by state", () => {
		const now = Date.parse("2025-07-12T12:00:00Z");
		const base = {
			id: "s",
			userId: "u",
			csrfToken: "c",
			createdAt: "2025-07-12T11:00:00Z",
			lastSeenAt: "2025-07-12T11:59:00Z",
			expiresAt: "2025-07-12T20:00:00Z",
			revokedAt: null,
			user: { id: "u", email: "u@x.test", name: "U", role: "checker" as const, disabledAt: null },
		};
		expect(sessionState(base, now)).toBe("active");
		expect(sessionState({ ...base, revokedAt: "2025-07-12T11:30:00Z" }, now)).toBe("revoked");
		expect(sessionState({ ...base, expiresAt: "2025-07-12T12:00:00Z" }, now)).toBe("expired");
		expect(sessionState({ ...base, lastSeenAt: "2025-07-12T09:00:00Z" }, now)).toBe("idle");
		expect(sessionState({ ...base, user: { ...base.user, disabledAt: "2025-07-12T10:00:00Z" } }, now)).toBe(
			"disabled",
		);
	});
});

describe("cross-site request forgery", () => {
	it("refuses a form post from another origin, and nothing changes", async () => {
		const checker = await account("checker");
		const before = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL").first<{
			n: number;
		}>();
		const response = await post(
			"/desk/logout",
			{ _csrf: checker.csrf },
			{ cookie: checker.cookie, origin: "https://evil.example", headers: { "Sec-Fetch-Site": "cross-site" } },
		);
		expect(response.status).toBe(403);
		expect(await response.text()).toContain("another site");
		const after = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL").first<{
			n: number;
		}>();
		expect(after?.n).toBe(before?.n);
	});

	it("refuses a post without Origin or Sec-Fetch-Site", async () => {
		const checker = await account("checker");
		const response = await post(
			"/desk/logout",
			{ _csrf: checker.csrf },
			{ cookie: checker.cookie, origin: null },
		);
		expect(response.status).toBe(403);
	});

	it("refuses a same-origin post without the session's token", async () => {
		const checker = await account("checker");
		const missing = await post("/desk/logout", {}, { cookie: checker.cookie });
		expect(missing.status).toBe(403);
		const other = await account("checker");
		const wrong = await post("/desk/logout", { _csrf: other.csrf }, { cookie: checker.cookie });
		expect(wrong.status).toBe(403);
		expect((await deskGet(checker, "/desk")).status).toBe(200);
	});

	it("hands back what was typed on a page from before a new login, to send again with this session's token", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		// The page was loaded in a session that has since ended; the checker logged in again.
		const before = await signIn(checker.user);
		const typed = `Called the press office <${newId()}>\nThey confirmed nothing.`;
		const idem = newToken(18);
		const refused = await post(
			`/desk/claims/${claim.id}/notes`,
			{ _csrf: before.csrf, _idem: idem, text: typed },
			{ cookie: checker.cookie },
		);
		expect(refused.status).toBe(403);
		const html = await refused.text();
		expect(html).toContain("Send this form again?");
		// Each field under the label its form gave it, not its name in the form.
		expect(html).toContain("<dt>Your note</dt>");
		expect(html).not.toContain("<code>text</code>");
		// A field named as an object's own property is its name, not a failure.
		for (const name of ["constructor", "__proto__", "toString"]) {
			const odd = await post(
				`/desk/claims/${claim.id}/notes`,
				{ _csrf: before.csrf, _idem: newToken(18), text: typed, [name]: "x" },
				{ cookie: checker.cookie },
			);
			expect(odd.status, name).toBe(403);
			expect(await odd.text(), name).toContain("Send this form again?");
		}
		// Escaped, and all of it: the text is shown and carried in the form.
		expect(html).toContain(typed.replace("<", "&lt;").replace(">", "&gt;"));
		expect(hidden(html, "_csrf")).toBe(checker.csrf);
		expect(hidden(html, "_idem")).toBe(idem);
		expect(await notesOf(claim.id)).toEqual([]);
		const again = await post(
			`/desk/claims/${claim.id}/notes`,
			{ _csrf: hidden(html, "_csrf") ?? "", _idem: hidden(html, "_idem") ?? "", text: typed },
			{ cookie: checker.cookie },
		);
		expect(again.status).toBe(303);
		expect(await notesOf(claim.id)).toEqual([typed]);
		// A password typed on the old page is neither shown nor carried back: asked for again.
		const secret = `pw-${newId()}`;
		const token = await post(
			"/desk/tokens",
			{ _csrf: before.csrf, _idem: newToken(18), name: "cms", "scope:claims:write": "1", password: secret },
			{ cookie: checker.cookie },
		);
		expect(token.status).toBe(403);
		const tokenPage = await token.text();
		expect(tokenPage).not.toContain(secret);
		expect(tokenPage).toContain('name="password" type="password" value=""');
	});

	it("lists a new claim's speaker fields by their labels, and not the speaker's hidden id (en, de)", async () => {
		const checker = await account("checker");
		const known = await makeClaim({ speaker: { name: `Landrat ${newId()}` } });
		const before = await signIn(checker.user);
		for (const [lang, labels] of [
			["en", ["Speaker", "A new speaker is"]],
			["de", ["Sprecher/in", "Ein neuer Eintrag ist"]],
		] as const) {
			// A speaker picked from the suggestions: its id rides in a hidden field.
			const form = claimForm({
				"speaker.name": known.speaker?.name ?? "",
				"speaker.id": known.speaker?.id ?? "",
			});
			const refused = await post(
				`/desk/claims?lang=${lang}`,
				{ ...form, _csrf: before.csrf },
				{ cookie: checker.cookie },
			);
			expect(refused.status).toBe(403);
			const html = await refused.text();
			const terms = [...html.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1]);
			for (const label of labels) expect(terms, lang).toContain(label);
			expect(terms, lang).not.toContain("Name");
			expect(
				terms.filter((term) => term?.startsWith("speaker.")),
				lang,
			).toEqual([]);
			// Carried back all the same, not shown as typed.
			expect(hidden(html, "speaker.id")).toBe(known.speaker?.id);
			expect(html.match(new RegExp(`>${known.speaker?.id}<`, "g")), lang).toBeNull();
		}
	});

	it("puts its form's own button words on a form with nothing typed: publishing, a replay, a webhook's or account's step, a revocation, archiving, an assignment, an attachment's visibility, logging out (en, de)", async () => {
		const admin = await account("admin");
		const checker = await account("checker");
		const editor = await account("editor");
		const sessions = {
			admin: [admin, await signIn(admin.user)],
			checker: [checker, await signIn(checker.user)],
			editor: [editor, await signIn(editor.user)],
		} as const;
		/** Fields listed under their posted names. */
		const raw: string[] = [];
		/** The re-send page's button, for a post with the old session's token. */
		const resent = async (
			path: string,
			fields: Record<string, string>,
			who: keyof typeof sessions = "admin",
		) => {
			const [current, before] = sessions[who];
			const refused = await post(
				path,
				{ ...fields, _idem: newToken(18), _csrf: before.csrf },
				{ cookie: current.cookie },
			);
			expect(refused.status, path).toBe(403);
			const html = await refused.text();
			const main = html.slice(html.indexOf("<main"));
			// Nothing but what was typed: no field is listed under its posted name.
			const labels = [...main.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1] ?? "");
			raw.push(...labels.filter((label) => label in fields).map((label) => `${path} ${label}`));
			return /<button type="submit">([^<]*)<\/button>/.exec(main)?.[1];
		};
		const webhook = "/desk/admin/webhooks/w_x";
		const shown = async (lang: "en" | "de") => ({
			publish: await resent(`/desk/verdicts/v_missing/publish?lang=${lang}`, {
				version: "3",
				claimVersion: "2",
				from: "preview",
			}),
			correction: await resent(`/desk/verdicts/v_missing/publish?lang=${lang}`, {
				version: "3",
				supersedes: "v_old",
				claimVersion: "2",
			}),
			replay: await resent(`${webhook}/replay?lang=${lang}`, { delivery: "d_123" }),
			submit: await resent(`/desk/verdicts/v_missing/submit?lang=${lang}`, { version: "3" }),
			test: await resent(`${webhook}/test?lang=${lang}`, {}),
			rotate: await resent(`${webhook}/rotate-secret?lang=${lang}`, {}),
			disable: await resent(`${webhook}/disable?lang=${lang}`, { version: "2" }),
			enable: await resent(`${webhook}/enable?lang=${lang}`, { version: "3" }),
			revoke: await resent(`/desk/tokens/t_x/revoke?lang=${lang}`, {}),
			revokeTheirs: await resent(`/desk/admin/users/u_x/tokens/t_x/revoke?lang=${lang}`, {}),
			enableAccount: await resent(`/desk/admin/users/u_x/enable?lang=${lang}`, {
				version: "2",
				password: "pw",
			}),
			resetPassword: await resent(`/desk/admin/users/u_x/password?lang=${lang}`, { password: "pw" }),
			archiveSource: await resent(`/desk/claims/c_x/appearances/a_x/archive?lang=${lang}`, {}),
			archiveEvidence: await resent(`/desk/claims/c_x/evidence/archive?lang=${lang}`, {
				url: "https://evidence.example/report",
				verdictId: "v_x",
			}),
			take: await resent(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "me" }, "checker"),
			// A checker's "Take this claim" sent by an editor (logged in on that browser since, or
			// promoted): the route assigns it to them whoever holds it, as the editor's own form does.
			takeByEditor: await resent(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "me" }, "editor"),
			giveBack: await resent(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "" }, "checker"),
			assign: await resent(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "kim@newsroom.example" }),
			show: await resent(`/desk/attachments/at_x/visibility?lang=${lang}`, { public: "true" }),
			hide: await resent(`/desk/attachments/at_x/visibility?lang=${lang}`, { public: "false" }),
			logout: await resent(`/desk/logout?lang=${lang}`, {}, "checker"),
		});
		expect({ en: await shown("en"), de: await shown("de") }).toEqual({
			en: {
				publish: "Publish",
				correction: "Publish correction",
				replay: "Replay the delivery",
				submit: "Submit for review",
				test: "Send a test event",
				rotate: "Rotate the secret",
				disable: "Disable the webhook",
				enable: "Enable the webhook",
				revoke: "Revoke",
				revokeTheirs: "Revoke",
				enableAccount: "Enable the account",
				resetPassword: "Reset the password",
				archiveSource: "Archive again",
				archiveEvidence: "Archive again",
				take: "Take this claim",
				takeByEditor: "Assign",
				giveBack: "Give this claim back",
				assign: "Assign",
				show: "Make the attachment public",
				hide: "Make the attachment internal",
				logout: "Log out",
			},
			de: {
				publish: "Veröffentlichen",
				correction: "Korrektur veröffentlichen",
				replay: "Zustellung erneut senden",
				submit: "Zur Prüfung einreichen",
				test: "Testereignis senden",
				rotate: "Schlüssel erneuern",
				disable: "Webhook deaktivieren",
				enable: "Webhook aktivieren",
				revoke: "Widerrufen",
				revokeTheirs: "Widerrufen",
				enableAccount: "Konto entsperren",
				resetPassword: "Passwort zurücksetzen",
				archiveSource: "Erneut archivieren",
				archiveEvidence: "Erneut archivieren",
				take: "Behauptung übernehmen",
				takeByEditor: "Zuweisen",
				giveBack: "Diese Behauptung zurückgeben",
				assign: "Zuweisen",
				// Not a verdict's "Veröffentlichen": both list nothing.
				show: "Anhang veröffentlichen",
				hide: "Anhang nur intern zeigen",
				logout: "Abmelden",
			},
		});
		expect(raw).toEqual([]);
	});

	it("lists what a form without typing sends by its form's words: the evidence link archived again, the assignee an editor picked, the article read again (en, de)", async () => {
		const editor = await account("editor");
		const member = await makeUser("checker", { name: `Kim ${newId().slice(0, 4)}` });
		const before = await signIn(editor.user);
		/** The re-send page's list: each label with its value. */
		const listed = async (path: string, fields: Record<string, string>) => {
			const refused = await post(
				path,
				{ ...fields, _idem: newToken(18), _csrf: before.csrf },
				{ cookie: editor.cookie },
			);
			expect(refused.status, path).toBe(403);
			const html = await refused.text();
			return Object.fromEntries(
				[...html.matchAll(/<dt>([^<]*)<\/dt><dd dir="auto">([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
			);
		};
		const article = "Der Minister sagte, die Exporte seien um 40 Prozent gestiegen.";
		const shown = async (lang: "en" | "de") => ({
			evidence: await listed(`/desk/claims/c_x/evidence/archive?lang=${lang}`, {
				url: "https://evidence.example/report",
				verdictId: "v_x",
			}),
			// The select posts a member's email under their name: listed by the name, as it showed them.
			assigned: await listed(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: member.user.email }),
			// An address that is no account has no name to show.
			unknown: await listed(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "kim@newsroom.example" }),
			// A checker's "Take this claim" sent by this editor assigns it to the editor.
			me: await listed(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "me" }),
			unassigned: await listed(`/desk/claims/c_x/assignee?lang=${lang}`, { assignee: "" }),
			// "Skip" on the candidates: the article's own fields, and which candidates were skipped.
			skipped: await listed(`/desk/articles?lang=${lang}`, {
				url: "",
				text: article,
				language: "de",
				skip: "k1,k2",
			}),
			readAgain: await listed(`/desk/articles?lang=${lang}`, {
				url: "https://news.example/wonsan.html",
				text: "",
				language: "",
				skip: "k1",
			}),
			attachment: await listed(`/desk/attachments/at_x/visibility?lang=${lang}`, { public: "true" }),
		});
		expect({ en: await shown("en"), de: await shown("de") }).toEqual({
			en: {
				evidence: { "Address (URL)": "https://evidence.example/report" },
				assigned: { "Assign to": member.user.name },
				unknown: { "Assign to": "kim@newsroom.example" },
				me: { "Assign to": editor.user.name },
				unassigned: { "Assign to": "(unassigned)" },
				skipped: {
					"…or paste the article text": article,
					"Language of the article (optional)": "German (de)",
				},
				readAgain: { "Article address (URL)": "https://news.example/wonsan.html" },
				attachment: {},
			},
			de: {
				evidence: { "Adresse (URL)": "https://evidence.example/report" },
				assigned: { "Zuweisen an": member.user.name },
				unknown: { "Zuweisen an": "kim@newsroom.example" },
				me: { "Zuweisen an": editor.user.name },
				unassigned: { "Zuweisen an": "(niemand)" },
				skipped: {
					"…oder den Text des Artikels einfügen": article,
					"Sprache des Artikels (optional)": "Deutsch (de)",
				},
				readAgain: { "Adresse des Artikels (URL)": "https://news.example/wonsan.html" },
				attachment: {},
			},
		});
	});

	it("lists an editor's pick by the member's name also when the form's key was used before with another pick (en, de)", async () => {
		const editor = await account("editor");
		const first = await makeUser("checker", { name: `Kim ${newId().slice(0, 4)}` });
		const then = await makeUser("checker", { name: `Jo ${newId().slice(0, 4)}` });
		for (const [lang, label] of [
			["en", "Assign to"],
			["de", "Zuweisen an"],
		] as const) {
			const claim = await makeClaim();
			const path = `/desk/claims/${claim.id}/assignee?lang=${lang}`;
			const idem = newToken(18);
			const assigned = await post(
				path,
				{ _csrf: editor.csrf, _idem: idem, assignee: first.user.email },
				{ cookie: editor.cookie },
			);
			expect(assigned.status, lang).toBe(303);
			// Back in the browser, another pick, the same key: nothing saved, the pick handed back.
			const reused = await post(
				path,
				{ _csrf: editor.csrf, _idem: idem, assignee: then.user.email },
				{ cookie: editor.cookie },
			);
			expect(reused.status, lang).toBe(422);
			const html = await reused.text();
			const listed = Object.fromEntries(
				[...html.matchAll(/<dt>([^<]*)<\/dt><dd dir="auto">([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
			);
			expect(listed, lang).toEqual({ [label]: then.user.name });
			expect(hidden(html, "assignee"), lang).toBe(then.user.email);
		}
	});

	it("names no member for a checker's made-up assignment, nor a disabled account for an editor: the address is listed as sent", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const colleague = await makeUser("checker", { name: `Kim ${newId().slice(0, 4)}` });
		const departed = await makeUser("checker", { name: `Jo ${newId().slice(0, 4)}` });
		await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE id = ?")
			.bind(new Date().toISOString(), departed.user.id)
			.run();
		/** What the re-send page of a key used before with another pick lists. */
		const listed = async (sender: typeof checker, email: string) => {
			const claim = await makeClaim();
			const path = `/desk/claims/${claim.id}/assignee?lang=en`;
			const idem = newToken(18);
			await post(path, { _csrf: sender.csrf, _idem: idem, assignee: "me" }, { cookie: sender.cookie });
			const reused = await post(
				path,
				{ _csrf: sender.csrf, _idem: idem, assignee: email },
				{ cookie: sender.cookie },
			);
			expect(reused.status).toBe(422);
			const html = await reused.text();
			return Object.fromEntries(
				[...html.matchAll(/<dt>([^<]*)<\/dt><dd dir="auto">([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
			);
		};
		expect(Object.values(await listed(checker, colleague.user.email))).not.toContain(colleague.user.name);
		expect(Object.values(await listed(editor, departed.user.email))).not.toContain(departed.user.name);
		// An enabled colleague an editor picked is named, as the select showed them.
		expect(Object.values(await listed(editor, colleague.user.email))).toContain(colleague.user.name);
	});

	it("says only the button is below when a re-sent form lists nothing, and asks for the password again (en, de)", async () => {
		const admin = await account("admin");
		const before = await signIn(admin.user);
		/** The re-send page's notice, for a post with the old session's token. */
		const notice = async (path: string, fields: Record<string, string>) => {
			const refused = await post(
				path,
				{ ...fields, _idem: newToken(18), _csrf: before.csrf },
				{ cookie: admin.cookie },
			);
			expect(refused.status, path).toBe(403);
			return /<div class="notice error" role="alert">([^<]*)<\/div>/.exec(await refused.text())?.[1];
		};
		const shown = async (lang: "en" | "de") => ({
			rotate: await notice(`/desk/admin/webhooks/w_x/rotate-secret?lang=${lang}`, {}),
			replay: await notice(`/desk/admin/webhooks/w_x/replay?lang=${lang}`, { delivery: "d_123" }),
			revoke: await notice(`/desk/tokens/t_x/revoke?lang=${lang}`, {}),
			logout: await notice(`/desk/logout?lang=${lang}`, {}),
			resetPassword: await notice(`/desk/admin/users/u_x/password?lang=${lang}`, { password: "pw" }),
			// What was typed is listed below, to check.
			note: await notice(`/desk/claims/c_x/notes?lang=${lang}`, { text: "Called the press office." }),
		});
		const step = {
			en: "This page was loaded in an earlier session (you have logged in since), so nothing was done. To do it now, press the button below.",
			de: "Diese Seite wurde in einer früheren Sitzung geladen (Sie haben sich seitdem neu angemeldet), daher wurde nichts ausgeführt. Um es jetzt nachzuholen, klicken Sie auf die Schaltfläche unten.",
		};
		expect({ en: await shown("en"), de: await shown("de") }).toEqual({
			en: {
				rotate: step.en,
				replay: step.en,
				revoke: step.en,
				logout: step.en,
				resetPassword:
					"This page was loaded in an earlier session (you have logged in since), so nothing was done. To do it now, enter your password again and press the button below.",
				note: "This page was loaded in an earlier session (you have logged in since), so nothing was saved. What you sent is kept below: check it and send it again.",
			},
			de: {
				rotate: step.de,
				replay: step.de,
				revoke: step.de,
				logout: step.de,
				resetPassword:
					"Diese Seite wurde in einer früheren Sitzung geladen (Sie haben sich seitdem neu angemeldet), daher wurde nichts ausgeführt. Um es jetzt nachzuholen, geben Sie Ihr Passwort erneut ein und klicken Sie auf die Schaltfläche unten.",
				note: "Diese Seite wurde in einer früheren Sitzung geladen (Sie haben sich seitdem neu angemeldet), daher wurde nichts gespeichert. Was Sie gesendet haben, steht unten: Prüfen Sie es und senden Sie es erneut.",
			},
		});
	});

	it("shows a chosen value as its form shows it: a speaker's kind, the speaker picked, a rating, a role (en, de)", async () => {
		const checker = await account("checker");
		const name = `Landrat ${newId()}`;
		const known = await makeClaim({ speaker: { name, description: "Kreis Nord" } });
		const before = await signIn(checker.user);
		/** The re-send page's list of what was typed: each label with its value. */
		const listed = async (path: string, fields: Record<string, string>) => {
			const refused = await post(path, { ...fields, _csrf: before.csrf }, { cookie: checker.cookie });
			expect(refused.status, path).toBe(403);
			const html = await refused.text();
			return Object.fromEntries(
				[...html.matchAll(/<dt>([^<]*)<\/dt><dd dir="auto">([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
			);
		};
		const shown = async (lang: "en" | "de") => {
			const picked = await listed(
				`/desk/claims?lang=${lang}`,
				claimForm({
					"speaker.name": name,
					"speaker.choice": known.speaker?.id ?? "",
					"speaker.kind": "organization",
				}),
			);
			const created = await listed(
				`/desk/claims?lang=${lang}`,
				claimForm({ "speaker.name": name, "speaker.choice": "new", "speaker.kind": "person" }),
			);
			const verdict = await listed(`/desk/claims/${known.id}/verdicts?lang=${lang}`, verdictForm());
			const speaker = await listed(`/desk/speakers/${known.speaker?.slug}?lang=${lang}`, {
				_idem: newToken(18),
				version: "1",
				name,
				kind: "organization",
			});
			const role = await listed(`/desk/admin/users?lang=${lang}`, {
				_idem: newToken(18),
				email: `new-${newId()}@newsroom.example`,
				name: "New Colleague",
				role: "editor",
			});
			const [kindLabel, choiceLabel] =
				lang === "en"
					? ["A new speaker is", "Several speakers have this name. Which one is meant?"]
					: ["Ein neuer Eintrag ist", "Mehrere Einträge haben diesen Namen. Welcher ist gemeint?"];
			return {
				pickedKind: picked[kindLabel],
				picked: picked[choiceLabel],
				createdKind: created[kindLabel],
				created: created[choiceLabel],
				rating: verdict[lang === "en" ? "Rating" : "Bewertung"],
				speakerKind: speaker[lang === "en" ? "Kind" : "Art"],
				role: role[lang === "en" ? "Role" : "Rolle"],
			};
		};
		expect({ en: await shown("en"), de: await shown("de") }).toEqual({
			en: {
				pickedKind: "an organisation",
				picked: `${name} – Kreis Nord`,
				createdKind: "a person",
				created: "Someone else: create a new speaker",
				rating: "False",
				speakerKind: "an organisation",
				role: "Editor",
			},
			de: {
				pickedKind: "eine Organisation",
				picked: `${name} – Kreis Nord`,
				createdKind: "eine Person",
				created: "Jemand anderes: neu anlegen",
				rating: "Falsch",
				speakerKind: "eine Organisation",
				role: "Redakteur:in",
			},
		});
	});

	it("shows a ticked box, a pressed button, an event, a scope, a confirmation and a language as its form does (en, de)", async () => {
		const checker = await account("checker");
		const known = await makeClaim({ speaker: { name: `Landrat ${newId()}` } });
		const before = await signIn(checker.user);
		const idem = () => ({ _idem: newToken(18) });
		/** Rows listing a field by its posted name, or a box as its "1". */
		const raw: string[] = [];
		/** The re-send page's list of what was typed: each label with its value. */
		const listed = async (path: string, fields: Record<string, string>) => {
			const refused = await post(path, { ...fields, _csrf: before.csrf }, { cookie: checker.cookie });
			expect(refused.status, path).toBe(403);
			const html = await refused.text();
			const rows = [...html.matchAll(/<dt>([^<]*)<\/dt><dd dir="auto">([^<]*)<\/dd>/g)].map(
				([, label = "", value = ""]) => [label, value] as const,
			);
			raw.push(
				...rows.filter(([label, value]) => label in fields || value === "1").map((row) => `${path} ${row}`),
			);
			return Object.fromEntries(rows);
		};
		/** Only the rows whose label or value is one of these: the rest is f315's. */
		const only = (rows: Record<string, string>, names: readonly string[]) =>
			Object.fromEntries(Object.entries(rows).filter(([label]) => names.some((n) => label.includes(n))));
		const shown = async (lang: "en" | "de") => {
			const claim = await listed(
				`/desk/claims?lang=${lang}`,
				claimForm({ speakerIsSource: "1", language: "fr", "source.language": "uk" }),
			);
			const verdict = await listed(
				`/desk/claims/${known.id}/verdicts?lang=${lang}`,
				verdictForm({
					moreEvidence: "1",
					submitForReview: "1",
					language: "other",
					languageOther: "uk",
					evidenceRows: "2",
				}),
			);
			const edit = await listed(`/desk/claims/${known.id}/edit?lang=${lang}`, {
				...idem(),
				version: "1",
				language: "other",
				languageOther: "x-klingon",
			});
			const speaker = await listed(`/desk/speakers/${known.speaker?.slug}?lang=${lang}`, {
				...idem(),
				version: "1",
				name: "Neuer Name",
				wikidataId: "Q1",
				dropOldName: "1",
			});
			const webhook = await listed(`/desk/admin/webhooks?lang=${lang}`, {
				...idem(),
				url: "https://hooks.example/in",
				"event:claim.created": "1",
			});
			const token = await listed(`/desk/tokens?lang=${lang}`, {
				...idem(),
				name: "cms",
				"scope:claims:write": "1",
			});
			const removal = await listed(`/desk/claims/${known.id}/remove?lang=${lang}`, {
				...idem(),
				version: "1",
				reason: "Spam",
				confirm: "1",
			});
			return {
				claim: only(claim, lang === "en" ? ["No speaker", "Language"] : ["Niemand", "Sprache"]),
				verdict: only(
					verdict,
					lang === "en" ? ["link", "submit", "anguage"] : ["Beleg", "einreichen", "prache"],
				),
				edit: only(edit, lang === "en" ? ["anguage"] : ["prache"]),
				speaker: only(speaker, ["Wikidata", lang === "en" ? "old name" : "Alten"]),
				webhook: only(webhook, ["claim."]),
				token: only(token, ["claims:"]),
				removal: only(removal, [lang === "en" ? "Yes" : "Ja"]),
			};
		};
		expect({ en: await shown("en"), de: await shown("de") }).toEqual({
			en: {
				claim: {
					"No speaker: the article itself makes this claim": "yes",
					"Language of the article": "Ukrainian (uk)",
					"Language of the claim": "French (fr)",
				},
				verdict: {
					"Add another link": "yes",
					"Language of the verdict": "Ukrainian (uk)",
					"Save and submit for review": "yes",
				},
				edit: { "Language of the claim": "x-klingon" },
				speaker: { Wikidata: "Q1", "Drop the old name": "yes" },
				webhook: { "claim.created: a claim is recorded": "yes" },
				token: { "claims:write – record claims and appearances": "yes" },
				removal: { "Yes, remove this claim from the tracker": "yes" },
			},
			de: {
				claim: {
					"Niemand: der Artikel selbst stellt diese Behauptung auf": "ja",
					"Sprache des Artikels": "Ukrainisch (uk)",
					"Sprache der Behauptung": "Französisch (fr)",
				},
				verdict: {
					"Weiteren Beleg hinzufügen": "ja",
					"Sprache der Bewertung": "Ukrainisch (uk)",
					"Speichern und zur Prüfung einreichen": "ja",
				},
				edit: { "Sprache der Behauptung": "x-klingon" },
				speaker: { Wikidata: "Q1", "Alten Namen verwerfen": "ja" },
				webhook: { "claim.created: eine Behauptung wird erfasst": "ja" },
				token: { "claims:write – Behauptungen und Fundstellen erfassen": "ja" },
				removal: { "Ja, diese Behauptung aus dem Verzeichnis entfernen": "ja" },
			},
		});
		expect(raw).toEqual([]);
	});

	it("keeps a typed speaker's name escaped on the re-send page, in the list and the carried field", async () => {
		const checker = await account("checker");
		const known = await makeClaim({ speaker: { name: `Landrat ${newId()}` } });
		const before = await signIn(checker.user);
		const name = `<script>alert("x")</script> & Co`;
		const refused = await post(
			`/desk/speakers/${known.speaker?.slug}`,
			{ _csrf: before.csrf, _idem: newToken(18), version: "1", name, description: "<b>bold</b>" },
			{ cookie: checker.cookie },
		);
		expect(refused.status).toBe(403);
		const html = await refused.text();
		expect(html).not.toContain("<script>alert");
		expect(html).not.toContain("<b>bold</b>");
		expect(html).toContain("&lt;script&gt;alert(");
		// Carried back as typed, escaped in its attribute.
		expect(hidden(html, "name")).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
	});

	it("accepts a post a browser marks same-origin", async () => {
		const checker = await account("checker");
		const response = await post(
			"/desk/logout",
			{ _csrf: checker.csrf },
			{ cookie: checker.cookie, origin: null, headers: { "Sec-Fetch-Site": "same-origin" } },
		);
		expect(response.status).toBe(303);
	});
});

describe("login rate limit", () => {
	// The limits count in fixed 15-minute windows: a test's tries that straddle a window's
	// end start counting again in the next (once, a lockout went missing at 20:45:00). Each
	// test's tries take seconds, so none starts in a window's last 20 s.
	beforeEach(async () => {
		const windowMs = LOGIN_LIMITS.accountAtAddress.windowSeconds * 1000;
		const left = windowMs - (Date.now() % windowMs);
		if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 500));
	});

	it("locks an account only for the address that failed, the right password included there", async () => {
		const { user, password } = await makeUser("checker");
		const attacker = freshIp();
		for (let i = 0; i < LOGIN_LIMITS.accountAtAddress.limit; i++) {
			expect((await login(user.email, `wrong-${i}`, { ip: attacker })).status).toBe(401);
		}
		const blocked = await login(user.email, password, { ip: attacker });
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
		expect(await blocked.text()).toContain("Too many login attempts");
		expect(sessionCookie(blocked)).toBeUndefined();
		// The owner, from anywhere else, still gets in: nobody can lock anyone else out.
		const owner = await login(user.email, password, { ip: freshIp() });
		expect(owner.status).toBe(303);
		expect(sessionCookie(owner)).toBeDefined();
	});

	it("checks no more than the limit's passwords when the wrong ones come all at once", async () => {
		const { user, password } = await makeUser("checker");
		const attacker = freshIp();
		const statuses = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				login(user.email, `wrong-${i}`, { ip: attacker }).then((r) => r.status),
			),
		);
		expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_LIMITS.accountAtAddress.limit);
		expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
		const audited = await env.DB.prepare(
			"SELECT action, count(*) AS n FROM audit_log WHERE entity = 'user' AND entity_id = ? AND action LIKE 'login-%' GROUP BY action ORDER BY action",
		)
			.bind(user.id)
			.all<{ action: string; n: number }>();
		expect(audited.results).toEqual([
			{ action: "login-failed", n: LOGIN_LIMITS.accountAtAddress.limit },
			{ action: "login-locked", n: 1 },
		]);
		// Locked for that address, the right password included; the owner elsewhere gets in.
		expect((await login(user.email, password, { ip: attacker })).status).toBe(429);
		expect((await login(user.email, password, { ip: freshIp() })).status).toBe(303);
	});

	it("checks a few tries a minute of an account guessed at from many addresses, sent at once or not", async () => {
		const { user, password } = await makeUser("checker");
		for (let i = 0; i < LOGIN_LIMITS.account.ceiling; i++) {
			expect((await login(user.email, `wrong-${i}`, { ip: freshIp() })).status).toBe(401);
		}
		// The checks are counted in fixed minutes: all of this test's tries go into one.
		const left = 60_000 - (Date.now() % 60_000);
		if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 500));
		// Past the ceiling the owner still gets in, with the first of the minute's checks.
		expect((await login(user.email, password, { ip: freshIp() })).status).toBe(303);
		const burst = await Promise.all(
			Array.from({ length: 30 }, (_, i) => login(user.email, `guess-${i}`, { ip: freshIp() })),
		);
		const statuses = burst.map((response) => response.status);
		expect(statuses.filter((status) => status === 401)).toHaveLength(
			LOGIN_LIMITS.account.checkedPerMinute - 1,
		);
		expect(statuses.filter((status) => status === 429)).toHaveLength(
			31 - LOGIN_LIMITS.account.checkedPerMinute,
		);
		for (const response of burst.filter((r) => r.status === 429)) {
			const retryAfter = Number(response.headers.get("retry-after"));
			expect(retryAfter).toBeGreaterThan(0);
			expect(retryAfter).toBeLessThanOrEqual(60);
		}
		// The price, in the README: while the guessing goes on the owner waits for the next minute.
		const owner = await login(user.email, password, { ip: freshIp() });
		expect(owner.status).toBe(429);
		expect(await owner.text()).toContain("Try again in a minute.");
		const failed = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE entity = 'user' AND entity_id = ? AND action = 'login-failed'",
		)
			.bind(user.id)
			.first<{ n: number }>();
		expect(failed?.n).toBe(LOGIN_LIMITS.account.ceiling + LOGIN_LIMITS.account.checkedPerMinute - 1);
	}, 60_000);

	it("counts an IPv6 address by its /64, however it is written", async () => {
		const { user, password } = await makeUser("checker");
		const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
		const net = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
		const spellings = [
			(i: number) => `${net}::${i.toString(16)}`,
			(i: number) => `${net.toUpperCase()}:0:0:${i.toString(16)}:1`,
			(i: number) => `2001:0db8:${a.toString(16).padStart(4, "0")}:${b.toString(16).padStart(4, "0")}:${i}::`,
		];
		for (let i = 1; i <= LOGIN_LIMITS.accountAtAddress.limit; i++) {
			const ip = spellings[i % 3]?.(i) ?? "";
			expect((await login(user.email, `wrong-${i}`, { ip })).status).toBe(401);
		}
		// Another address of that /64, the right password included, is locked out of the account.
		expect((await login(user.email, password, { ip: `${net}::beef` })).status).toBe(429);
		expect((await login(user.email, password, { ip: freshIp() })).status).toBe(303);
	});

	it("reads addresses into the networks the limits count", () => {
		expect(addressNetwork("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
		expect(addressNetwork("2001:DB8:0001:0002::9")).toBe("2001:db8:1:2::/64");
		expect(addressNetwork("2001:db8::1")).toBe("2001:db8:0:0::/64");
		expect(addressNetwork("::1")).toBe("0:0:0:0::/64");
		expect(addressNetwork("::ffff:192.0.2.7")).toBe("192.0.2.7");
		expect(addressNetwork("::ffff:c000:207")).toBe("192.0.2.7");
		expect(addressNetwork("192.0.2.7")).toBe("192.0.2.7");
		expect(addressNetwork("2001:db8::1::2")).toBe("2001:db8::1::2");
		expect(addressNetwork("unknown")).toBe("unknown");
	});

	it("audits failed logins and lockouts, with the address", async () => {
		const { user } = await makeUser("checker");
		const ip = freshIp();
		for (let i = 0; i < LOGIN_LIMITS.accountAtAddress.limit; i++) await login(user.email, "wrong", { ip });
		const rows = await env.DB.prepare(
			"SELECT action, changes FROM audit_log WHERE entity = 'user' AND entity_id = ? ORDER BY id",
		)
			.bind(user.id)
			.all<{ action: string; changes: string }>();
		const actions = rows.results.map((r) => r.action);
		expect(actions.filter((a) => a === "login-failed")).toHaveLength(LOGIN_LIMITS.accountAtAddress.limit);
		expect(actions.filter((a) => a === "login-locked")).toHaveLength(1);
		const failed = rows.results.find((r) => r.action === "login-failed");
		expect(JSON.parse(failed?.changes ?? "{}")).toEqual({ address: ip });
	});

	it("forgets an address's failures after a successful login", async () => {
		const { user, password } = await makeUser("checker");
		const ip = freshIp();
		for (let i = 0; i < LOGIN_LIMITS.accountAtAddress.limit - 1; i++)
			await login(user.email, "wrong", { ip });
		expect((await login(user.email, password, { ip })).status).toBe(303);
		for (let i = 0; i < LOGIN_LIMITS.accountAtAddress.limit - 1; i++)
			await login(user.email, "wrong", { ip });
		expect((await login(user.email, password, { ip })).status).toBe(303);
	});

	it("blocks one IP trying many accounts", async () => {
		const ip = freshIp();
		const statuses: number[] = [];
		for (let i = 0; i <= LOGIN_LIMITS.address.limit; i++) {
			statuses.push((await login(`someone-${i}@desk.test`, "guess", { ip })).status);
			if (statuses.at(-1) === 429) break;
		}
		expect(statuses.at(-1)).toBe(429);
		// Another IP is not affected.
		expect((await login("someone@desk.test", "guess")).status).toBe(401);
	});

	it("counts in fixed windows in D1, so it holds without the binding", async () => {
		const db = testDb();
		const key = `test:${crypto.randomUUID()}`;
		const t0 = 1_700_000_000 - (1_700_000_000 % 60);
		expect((await hitRateLimit(db, key, 60, t0)).count).toBe(1);
		expect((await hitRateLimit(db, key, 60, t0 + 10)).count).toBe(2);
		expect((await hitRateLimit(db, key, 60, t0 + 59)).count).toBe(3);
		const next = await hitRateLimit(db, key, 60, t0 + 60);
		expect(next).toEqual({ count: 1, resetAt: t0 + 120 });
		await Promise.all(Array.from({ length: 5 }, () => hitRateLimit(db, key, 60, t0 + 61)));
		expect((await hitRateLimit(db, key, 60, t0 + 62)).count).toBe(7);
	});

	it("limits per IP in D1 where the Workers rate-limit binding is missing", async () => {
		expect(env.LOGIN_LIMITER).toBeDefined();
		const app = factory
			.createApp()
			.post("/", async (c) => c.json(await checkLoginRate(c, `u-${freshIp()}@desk.test`)));
		const ip = freshIp();
		const withoutBinding = { ...env, LOGIN_LIMITER: undefined };
		const decisions: boolean[] = [];
		for (let i = 0; i <= LOGIN_LIMITS.address.limit; i++) {
			const ctx = createExecutionContext();
			const response = await app.request(
				"/",
				{ method: "POST", headers: { "CF-Connecting-IP": ip } },
				withoutBinding,
				ctx,
			);
			await waitOnExecutionContext(ctx);
			decisions.push((await json<{ allowed: boolean }>(response)).allowed);
		}
		expect(decisions.slice(0, LOGIN_LIMITS.address.limit).every(Boolean)).toBe(true);
		expect(decisions.at(-1)).toBe(false);
	});

	it("takes the client IP only from CF-Connecting-IP", async () => {
		const ip = freshIp();
		for (let i = 0; i < 3; i++) {
			await login(`x-${i}@desk.test`, "guess", { ip });
		}
		const row = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?")
			.bind(`login:ip:${addressNetwork(ip)}`)
			.first<{ count: number }>();
		expect(row?.count).toBe(3);
		await post(
			"/desk/login",
			{ email: "y@desk.test", password: "guess" },
			{ headers: { "CF-Connecting-IP": freshIp(), "X-Forwarded-For": ip } },
		);
		const still = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?")
			.bind(`login:ip:${addressNetwork(ip)}`)
			.first<{ count: number }>();
		expect(still?.count).toBe(3);
	});
});
