import { env } from "cloudflare:test";
import { generateApiToken } from "../../src/auth/api-tokens";
import type { Scope } from "../../src/auth/permissions";
import { ABSOLUTE_TIMEOUT_MS, SESSION_COOKIE_HEADER_NAME } from "../../src/auth/session";
import type { Role } from "../../src/db/schema";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { createSession } from "../../src/store/sessions";
import { createApiToken } from "../../src/store/tokens";
import { createUser, type PublicUser } from "../../src/store/users";
import { BASE, call, freshIp, testDb } from "../helpers";

export const ORIGIN = BASE;

export interface Account {
	user: PublicUser;
	password: string;
	/** Cookie header of a signed-in session. */
	cookie: string;
	csrf: string;
	sessionId: string;
	token: string;
}

/**
 * A test account's password hash: production's format (auth/passwords) with 1,000 PBKDF2
 * iterations instead of 100,000. `verifyPassword` reads the count from the stored hash, so
 * logins and confirmations check these as they check any; the suite makes hundreds of
 * accounts, and each hash and each check at 100,000 cost tens of milliseconds of CPU.
 * Hashes the desk itself makes (accounts, resets) keep production's count and are tested.
 */
async function testPasswordHash(password: string): Promise<string> {
	const iterations = 1_000;
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const key = await crypto.subtle.importKey(
		"raw",
		new TextEncoder().encode(password.normalize("NFKC")),
		"PBKDF2",
		false,
		["deriveBits"],
	);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt, iterations },
		key,
		256,
	);
	const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
	return `pbkdf2-sha256$${iterations}$${base64(salt)}$${base64(new Uint8Array(bits))}`;
}

export async function makeUser(role: Role, options: { password?: string; name?: string } = {}) {
	const password = options.password ?? `pw-${newId()}`;
	const user = await createUser(testDb(), SYSTEM("test"), {
		email: `${role}-${newId()}@desk.test`,
		name: options.name ?? `${role} ${newId().slice(0, 4)}`,
		role,
		passwordHash: await testPasswordHash(password),
	});
	return { user, password };
}

/** A session made directly in D1 (logging in through the form costs a PBKDF2 run). */
export async function signIn(user: PublicUser, options: { expiresAt?: string } = {}) {
	const token = newToken(32);
	const csrf = newToken(32);
	const { id } = await createSession(testDb(), SYSTEM("test"), {
		userId: user.id,
		tokenHash: await sha256Hex(token),
		csrfToken: csrf,
		expiresAt: options.expiresAt ?? new Date(Date.now() + ABSOLUTE_TIMEOUT_MS).toISOString(),
	});
	return { cookie: `${SESSION_COOKIE_HEADER_NAME}=${token}`, csrf, sessionId: id, token };
}

export async function account(role: Role): Promise<Account> {
	const { user, password } = await makeUser(role);
	return { user, password, ...(await signIn(user)) };
}

export async function apiToken(user: PublicUser, scopes: readonly Scope[], name = `token ${newId()}`) {
	const token = generateApiToken();
	const row = await createApiToken(testDb(), SYSTEM("test"), {
		userId: user.id,
		name,
		scopes,
		tokenHash: await sha256Hex(token),
	});
	return { token, row };
}

/**
 * A same-origin form post as a browser sends it, from an address of its own unless the test
 * names one: a password confirmation counts with the login limits of its address, and the
 * suite's files share one database, so posts without an address all counted as "unknown"
 * and a busy run reached its 50 attempts (a 429 where the test wanted a token).
 */
export function post(
	path: string,
	fields: Record<string, string>,
	options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {},
) {
	const headers: Record<string, string> = {
		"CF-Connecting-IP": freshIp(),
		"Content-Type": "application/x-www-form-urlencoded",
		...(options.cookie ? { Cookie: options.cookie } : {}),
		...(options.origin === null ? {} : { Origin: options.origin ?? ORIGIN }),
		...options.headers,
	};
	return call(path, {
		method: "POST",
		headers,
		body: new URLSearchParams(fields).toString(),
		redirect: "manual",
	});
}

/** A signed-in form post carrying the session's CSRF token. */
export function deskPost(
	who: Pick<Account, "cookie" | "csrf">,
	path: string,
	fields: Record<string, string> = {},
) {
	return post(path, { _csrf: who.csrf, ...fields }, { cookie: who.cookie });
}

export function deskGet(
	who: Pick<Account, "cookie"> | null,
	path: string,
	headers: Record<string, string> = {},
) {
	return call(path, { headers: { ...(who ? { Cookie: who.cookie } : {}), ...headers }, redirect: "manual" });
}

export function apiCall(
	method: string,
	path: string,
	options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
	return call(path, {
		method,
		headers: {
			...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
			...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
			...options.headers,
		},
		...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
	});
}

export async function auditCount(): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log").first<{ n: number }>();
	return row?.n ?? 0;
}

const TABLES = [
	"claims",
	"verdicts",
	"sources",
	"speakers",
	"appearances",
	"users",
	"api_tokens",
	"audit_log",
] as const;
export type Snapshot = Record<(typeof TABLES)[number] | "versions", number>;

/** Counts of every table a write could touch, and the sum of versions: equal means nothing was written. */
export async function snapshot(): Promise<Snapshot> {
	// One statement, not one per table: hostile-writes takes two snapshots in each of its
	// 552 cases, and nine round trips to D1 apiece were most of its run time.
	const counts = TABLES.map((table) => {
		// Logins and logouts are audited and change nothing else counted here: they are not the
		// writes a test refuses, and another test file may sign in beside this one. Neither are
		// the queue consumers' entries (a webhook disabled after a 410, a Save Page Now result):
		// they come in the background of earlier tests' events, whenever the queue runs.
		const where =
			table === "audit_log"
				? " WHERE action NOT LIKE 'login%' AND action <> 'logout' AND coalesce(actor_label, '') NOT IN ('webhooks', 'archive')"
				: "";
		return `(SELECT count(*) FROM ${table}${where}) AS ${table}`;
	});
	const versions =
		"(SELECT coalesce(sum(version), 0) FROM claims) + (SELECT coalesce(sum(version), 0) FROM verdicts) + (SELECT coalesce(sum(version), 0) FROM users) AS versions";
	const row = await env.DB.prepare(`SELECT ${[...counts, versions].join(", ")}`).first<Snapshot>();
	if (!row) throw new Error("snapshot: no row");
	return row;
}

/** The value of a hidden input in a page. */
export function hidden(html: string, name: string): string | undefined {
	const re = new RegExp(
		`<input type="hidden" name="${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" value="([^"]*)"`,
	);
	return re.exec(html)?.[1];
}

/**
 * Every field of the form posting to `action` on the page, as a browser sends it when its
 * first submit button is pressed: inputs (not checkboxes), textareas, selects' chosen options.
 */
export function formFields(html: string, action: string): Record<string, string> {
	const start = html.indexOf(`action="${action}"`);
	if (start === -1) throw new Error(`no form posting to ${action}`);
	const form = html.slice(start, html.indexOf("</form>", start));
	const decode = (text: string) =>
		text
			.replaceAll("&quot;", '"')
			.replaceAll("&#39;", "'")
			.replaceAll("&lt;", "<")
			.replaceAll("&gt;", ">")
			.replaceAll("&amp;", "&");
	const fields: Record<string, string> = {};
	for (const match of form.matchAll(/<input ([^>]*?)\/?>/g)) {
		const attrs = match[1] ?? "";
		const name = /name="([^"]+)"/.exec(attrs)?.[1];
		if (!name || /type="(checkbox|submit)"/.test(attrs)) continue;
		fields[name] = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? "");
	}
	for (const match of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
		fields[match[1] ?? ""] = decode(match[2] ?? "");
	for (const match of form.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
		fields[match[1] ?? ""] = decode(/<option value="([^"]*)" selected/.exec(match[2] ?? "")?.[1] ?? "");
	return fields;
}

let numbers = 0;
/** A number no other claim of this test run has (the matcher's number guard tells them apart). */
const distinctNumber = () => 1000 + 7919 * ++numbers + Math.floor(Math.random() * 7000);

export const claimForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
	"source.url": `https://www.example-news.test/politik/${newId()}?utm_source=newsletter`,
	"source.title": "Lawrow in Wŏnsan",
	"source.publisher": "Example News",
	"source.author": "",
	"source.language": "de",
	"source.publishedAt": "2025-07-12",
	"speaker.name": `Speaker ${newId()}`,
	"speaker.id": "",
	"speaker.kind": "person",
	"speaker.description": "",
	// A claim of its own each time (another number): the desk offers "add as appearance"
	// before recording a claim the matcher finds the same as a recorded one.
	text: `Im Bereich Kursk kämpften ${distinctNumber()} Soldaten, sagt Quelle ${newId()}.`,
	claimedAt: "2025-07-12",
	context: "",
	language: "de",
	_idem: newToken(18),
	...overrides,
});

export const verdictForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
	rating: "false",
	headline: "North Korean troops did not liberate Kursk alone",
	summary: "What we found.",
	body: "",
	"evidence.0.url": "https://evidence.example/report",
	"evidence.0.title": "Report",
	"evidence.1.url": "",
	"evidence.1.title": "",
	language: "en",
	_idem: newToken(18),
	...overrides,
});

export const ONE_DAY = 24 * 60 * 60 * 1000;
