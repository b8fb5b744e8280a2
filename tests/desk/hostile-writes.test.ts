import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/auth/permissions";
import { newId, newToken } from "../../src/domain/ids";
import "../../src/app";
import { declaredRoutes } from "../../src/lib/route-declaration";
import { accessRules, type RouteAccess } from "../../src/routes/access-rules";
import { MAX_FORM_BODY } from "../../src/routes/desk/middleware";

// Importing the app (above) builds every router, and with them the declarations.
const ACCESS_RULES = accessRules();

import { draft, makeClaim } from "../factories";
import { call, json } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	claimForm,
	deskGet,
	deskPost,
	hidden,
	makeUser,
	ORIGIN,
	type Snapshot,
	snapshot,
} from "./helpers";

/**
 * Hostile input against every authenticated write route, API and desk forms alike,
 * taken from the access rule table so a new route is attacked without being listed
 * here: never a 500, the right refusal in the route's own format, nothing stored on
 * refusal, and hostile text that IS legitimate comes out escaped everywhere it shows.
 */

const XSS = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
const SQL = `'; DROP TABLE claims; -- " OR 1=1`;
const FTS = `harbour" OR * NEAR(a b) ^text:x - "`;
const NUL = "nul\u0000byte";
/** Right-to-left text is legitimate; an override that reorders what is shown is not. */
const RTL = "قال الوزير إن الميناء مفتوح";

const writeRoutes = ACCESS_RULES.filter((r) => r.method !== "GET");
const declared = (route: RouteAccess) =>
	declaredRoutes().find((d) => d.method === route.method && d.path === route.path);
const takesNoBody = (route: RouteAccess) => declared(route) !== undefined && !declared(route)?.body;
/**
 * A route that takes bytes as they are (an archive object restored from a backup): no body
 * type is wrong for it, and it refuses anything without the checksum header it needs (422).
 */
const takesRawBytes = (route: RouteAccess) => declared(route)?.rawBody === true;
const isApi = (route: RouteAccess) => route.path.startsWith("/api/");
const archivesAgain = (route: RouteAccess) => route.path.endsWith("/appearances/:appearanceId/archive");
const apiRoutes = writeRoutes.filter(isApi);
const deskRoutes = writeRoutes.filter((r) => !isApi(r));

/** Desk forms that validate fields before acting: a post with nothing usable changes nothing. */
const DESK_FORMS = new Set([
	"/desk/claims",
	"/desk/claims/:id/appearances",
	"/desk/claims/:id/appearances/:appearanceId/remove",
	"/desk/claims/:id/verdicts",
	"/desk/verdicts/:id",
	"/desk/verdicts/:id/publish",
	"/desk/verdicts/:id/retract",
	"/desk/admin/users",
	"/desk/admin/users/:id/role",
	"/desk/tokens",
	"/desk/articles",
	"/desk/login",
]);

let admin: Account;
let token: string;
let ids: { claim: string; draft: string; user: string; token: string; speaker: string; appearance: string };

beforeAll(async () => {
	admin = await account("admin");
	token = (await apiToken(admin.user, SCOPES)).token;
	const claim = await makeClaim();
	// A copy of its source from a minute ago: "Archive again" on it is refused (409), not a
	// copy planned by an attack (a source never tried may be archived again).
	const copied = new Date(Date.now() - 60_000).toISOString();
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, state, attempts, fetched_at, created_at, updated_at) VALUES (?, ?, 'ok', 1, ?, ?, ?)",
	)
		.bind(newId(), claim.appearances[0]?.source.url ?? "", copied, copied, copied)
		.run();
	const drafted = await draft((await makeClaim()).id);
	const other = await account("checker");
	const otherToken = await apiToken(other.user, ["claims:write"]);
	ids = {
		claim: claim.id,
		draft: drafted.id,
		user: other.user.id,
		token: otherToken.row.id,
		speaker: claim.speaker?.slug ?? "",
		appearance: claim.appearances[0]?.id ?? "",
	};
});

function urlFor(route: RouteAccess, id?: string): string {
	return route.path
		.replace(":appearanceId", ids.appearance)
		.replace(":tokenId", id ?? ids.token)
		.replace(":slug", id ?? ids.speaker)
		.replace(
			":id",
			id ??
				(route.path.includes("/users/")
					? ids.user
					: route.path.includes("verdicts/")
						? ids.draft
						: ids.claim),
		);
}

function send(route: RouteAccess, init: RequestInit & { headers?: Record<string, string> }, id?: string) {
	const auth: Record<string, string> = isApi(route)
		? { Authorization: `Bearer ${token}` }
		: { Cookie: admin.cookie, Origin: ORIGIN };
	return call(urlFor(route, id), {
		method: route.method,
		redirect: "manual",
		...init,
		headers: { ...auth, ...init.headers },
	});
}

/** Checks the refusal's status and format; returns the body for further checks. */
async function expectRefusal(route: RouteAccess, response: Response, statuses: number[]) {
	const body = await response.text();
	expect(response.status, `${route.method} ${route.path}: ${body.slice(0, 300)}`).toBeLessThan(500);
	expect(statuses, `${route.method} ${route.path}: ${body.slice(0, 300)}`).toContain(response.status);
	const type = response.headers.get("content-type") ?? "";
	expect(type).toContain(isApi(route) ? "application/problem+json" : "text/html");
	expect(body).not.toMatch(/at [\w.]+ \(.*:\d+:\d+\)/);
	return body;
}

/**
 * Event handler attributes (on*=) of the real tags in a document. Quoted values go first:
 * the escaped payload `&lt;img onerror=…&gt;` may sit in an aria-label and is only text.
 */
function handlerAttributes(markup: string): string[] {
	return (markup.match(/<[a-zA-Z][^>]*>/g) ?? [])
		.map((tag) => tag.replace(/"[^"]*"/g, '""').replace(/'[^']*'/g, "''"))
		.filter((tag) => /\son[a-z]+\s*=/i.test(tag));
}

const encoder = new TextEncoder();
const concat = (...parts: (string | Uint8Array)[]) => {
	const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
};

/*
 * Over each route's limit by 64 KB or more: imports take 5 MB, an attachment form 10 MB and
 * its fields, extraction 100,000 characters (at most 4 bytes each, ~395 KB), desk forms
 * 2 MB (MAX_FORM_BODY), the rest of the JSON API 128 KB.
 */
const oversize = (route: RouteAccess) =>
	declared(route)?.maxBody !== undefined
		? (declared(route)?.maxBody ?? 0) + 65_536
		: route.path === "/api/v1/import"
			? 5 * 1024 * 1024 + 65_536
			: route.path.endsWith("/attachments")
				? 10 * 1024 * 1024 + 131_072
				: route.path === "/api/v1/extract"
					? 400_000 + 4096 + 65_536
					: MAX_FORM_BODY + 65_536;

/** A body streamed in chunks without Content-Length, as a chunked upload arrives. */
function chunked(total: number): ReadableStream<Uint8Array> {
	const chunk = encoder.encode("x".repeat(65_536));
	let sent = 0;
	return new ReadableStream({
		pull(controller) {
			if (sent >= total) return controller.close();
			controller.enqueue(chunk);
			sent += chunk.length;
		},
	});
}

interface Attack {
	name: string;
	routes: RouteAccess[];
	statuses: (route: RouteAccess) => number[];
	request: (route: RouteAccess) => RequestInit & { headers?: Record<string, string> };
	id?: string;
}

/** Login has no session and so no CSRF field: a refused login is a 401 form, or 422/429. */
const deskRefusal = (route: RouteAccess) => (route.path === "/desk/login" ? [401, 422, 429] : [403]);

const formBody = (fields: Record<string, string>) => ({
	headers: { "Content-Type": "application/x-www-form-urlencoded" },
	body: new URLSearchParams({ _csrf: admin.csrf, ...fields }).toString(),
});

// 400 bad JSON, 413 too large, 415 wrong type, 422 invalid; desk: 403 without the form's CSRF field.
const attacks: Attack[] = [
	{
		name: "malformed JSON",
		routes: apiRoutes,
		statuses: (r) => (takesRawBytes(r) ? [422] : [400]),
		request: () => ({ headers: { "Content-Type": "application/json" }, body: '{"text": "a", ' }),
	},
	{
		name: "JSON sent as text/plain",
		routes: writeRoutes,
		statuses: (r) => (takesRawBytes(r) ? [422] : isApi(r) ? [415] : deskRefusal(r)),
		request: () => ({ headers: { "Content-Type": "text/plain" }, body: '{"text":"a"}' }),
	},
	{
		name: "multipart to a JSON route",
		routes: apiRoutes,
		statuses: (r) => (takesRawBytes(r) ? [422] : [415]),
		request: () => {
			const form = new FormData();
			form.set("text", XSS);
			return { body: form };
		},
	},
	{
		name: "JSON to a form route",
		routes: deskRoutes,
		statuses: deskRefusal,
		request: () => ({
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ _csrf: "x" }),
		}),
	},
	{
		name: "body over the limit with Content-Length",
		routes: writeRoutes,
		statuses: () => [413],
		request: (r) => ({
			headers: {
				"Content-Type": isApi(r) ? "application/json" : "application/x-www-form-urlencoded",
				"Content-Length": String(oversize(r)),
			},
			body: "x".repeat(oversize(r)),
		}),
	},
	{
		name: "chunked body over the limit without Content-Length",
		routes: writeRoutes,
		// A raw-bytes route refuses a missing checksum before it reads a byte.
		statuses: (r) => (takesRawBytes(r) ? [413, 422] : [413]),
		request: (r) => ({
			headers: { "Content-Type": isApi(r) ? "application/json" : "application/x-www-form-urlencoded" },
			body: chunked(oversize(r)),
			duplex: "half",
		}),
	},
	{
		name: "huge headers",
		routes: writeRoutes,
		// A route that takes no body has nothing to refuse here: the id's own answer is right
		// (404; "Archive again" on the sample claim's appearance, whose copy is fresh: 409).
		statuses: (r) =>
			isApi(r)
				? [400, 415, 422, ...(takesNoBody(r) ? [404, ...(archivesAgain(r) ? [409] : [])] : [])]
				: deskRefusal(r),
		request: () => ({
			headers: Object.fromEntries(
				Array.from({ length: 32 }, (_, i) => [`X-Pad-${i}`, "y".repeat(4096)] as [string, string]),
			),
		}),
	},
	{
		name: "invalid UTF-8 bytes in JSON",
		routes: apiRoutes,
		statuses: () => [400, 422],
		request: () => ({
			headers: { "Content-Type": "application/json" },
			body: concat('{"unknownField":"', new Uint8Array([0xff, 0xfe, 0xc3, 0x28]), '","version":"x"}'),
		}),
	},
	{
		name: "invalid UTF-8 and broken percent-escapes in a form",
		routes: deskRoutes.filter((r) => DESK_FORMS.has(r.path)),
		statuses: (r) => (r.path === "/desk/login" ? [401, 422, 429] : [400, 404, 409, 422]),
		request: () => ({
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: concat(
				`_csrf=${admin.csrf}&email=%zz&headline=%E0%A4%A&name=`,
				new Uint8Array([0xff, 0xfe]),
				"&rating=%",
			),
		}),
	},
	...["..%2F..%2Fetc%2Fpasswd", "%00", "1'%20OR%20'1'%3D'1", "%E2%80%AE%3Cscript%3E"].map(
		(id): Attack => ({
			name: `hostile id ${decodeURIComponent(id.replace("%00", "%2500"))}`,
			id,
			routes: writeRoutes.filter((r) => r.path.includes(":")),
			statuses: (r) => (isApi(r) ? [404, 422] : [404, 422]),
			request: (r) =>
				isApi(r)
					? { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ version: 1 }) }
					: formBody({ version: "1", note: "n", role: "editor", name: "n" }),
		}),
	),
];

describe("hostile requests to write routes", { timeout: 120_000 }, () => {
	// One snapshot per case, not two: a case's "before" is the last case's "after" when that
	// matched (nothing else writes between two cases of this file), which halves the file's
	// D1 reads. After a mismatch the next case takes its own.
	let last: Snapshot | null = null;
	for (const attack of attacks) {
		describe(attack.name, () => {
			for (const route of attack.routes) {
				it(`${route.method} ${route.path}`, async () => {
					const before = last ?? (await snapshot());
					last = null;
					const response = await send(route, attack.request(route), attack.id);
					await expectRefusal(route, response, attack.statuses(route));
					const after = await snapshot();
					expect(after).toEqual(before);
					last = after;
				});
			}
		});
	}
});

describe("SQL and FTS injection strings", () => {
	it("are refused as ids and harmless as search terms", async () => {
		const before = await snapshot();
		for (const term of [SQL, FTS, XSS]) {
			const asId = await apiCall("PUT", `/api/v1/verdicts/${encodeURIComponent(term)}`, {
				token,
				body: { version: 1, rating: "false", headline: "x" },
			});
			expect(asId.status).toBe(422);
			await asId.body?.cancel();
			for (const path of [
				`/api/v1/claims?q=${encodeURIComponent(term)}`,
				`/claims?q=${encodeURIComponent(term)}`,
			]) {
				const search = await call(path);
				expect(search.status, path).toBeLessThan(500);
				await search.body?.cancel();
			}
		}
		expect(await snapshot()).toEqual(before);
	});
});

describe("hostile text that is legitimate text", { timeout: 120_000 }, () => {
	const tag = newId();
	const text = `The harbour ${tag} ${XSS} ${SQL} ${FTS} ${RTL}`;
	const speakerName = `Speaker ${tag} ${XSS}`;
	const fields = {
		context: `Context ${XSS}\r\nsecond paragraph`,
		quote: `Quote ${XSS}`,
		speakerDescription: `Description ${XSS}`,
		sourceTitle: `Title ${XSS} ${SQL}`,
		sourcePublisher: `Publisher ${XSS}`,
		sourceAuthor: `Author ${XSS}`,
		headline: `Headline ${tag} ${XSS}`,
		summary: `Summary ${XSS} ${FTS}`,
		body: `Body ${XSS} ${RTL}`,
		evidenceTitle: `Evidence ${XSS}`,
		correctionHeadline: `Corrected ${tag} ${XSS}`,
		correctionNote: `Note ${XSS} ${SQL}`,
	};
	let claimId = "";
	let draftId = "";

	beforeAll(async () => {
		const created = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text,
				language: "en",
				context: fields.context,
				quote: fields.quote,
				speaker: { name: speakerName, description: fields.speakerDescription },
				source: {
					url: `https://news.example/${tag}`,
					title: fields.sourceTitle,
					publisher: fields.sourcePublisher,
					author: fields.sourceAuthor,
				},
			},
		});
		expect(created.status, await created.clone().text()).toBe(201);
		claimId = String((await json(created)).id);
		const verdict = async (headline: string) => {
			const response = await apiCall("POST", `/api/v1/claims/${claimId}/verdicts`, {
				token,
				body: {
					rating: "false",
					headline,
					summary: fields.summary,
					body: fields.body,
					evidence: [{ url: "https://evidence.example/report", title: fields.evidenceTitle }],
					language: "en",
				},
			});
			expect(response.status).toBe(201);
			return json<{ id: string; version: number }>(response);
		};
		const first = await verdict(fields.headline);
		const published = await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token,
			body: { version: first.version },
		});
		expect(published.status).toBe(200);
		await published.body?.cancel();
		const second = await verdict(fields.correctionHeadline);
		const corrected = await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
			token,
			body: { version: second.version, correctionNote: fields.correctionNote },
		});
		expect(corrected.status, await corrected.clone().text()).toBe(200);
		await corrected.body?.cancel();
		draftId = (await verdict(`Draft ${tag} ${XSS}`)).id;
	});

	function expectEscaped(body: string, where: string) {
		expect(body, where).not.toContain("<script>alert(1)");
		expect(body, where).not.toMatch(/<img src=x onerror/i);
		expect(handlerAttributes(body), where).toEqual([]);
	}

	it("round-trips unchanged through the JSON API, line breaks stored as \\n", async () => {
		const claim = await json<{ text: string; context: string }>(await call(`/api/v1/claims/${claimId}`));
		expect(claim.text).toBe(text);
		expect(claim.context).toBe(fields.context.replace("\r\n", "\n"));
	});

	it("is isolated on the public page, so right-to-left text cannot reorder the page around it", async () => {
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		expect(page).toMatch(/<blockquote class="quote" lang="en" dir="ltr">“<bdi>The harbour/);
		expect(page).toContain(RTL);
	});

	it("is escaped on the public claim page, and its JSON-LD parses back to the original", async () => {
		const page = await (await call(`/claims/${claimId}`, { headers: { Accept: "text/html" } })).text();
		expectEscaped(page, "claim page");
		expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		const scripts = [...page.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)];
		expect(scripts.length).toBeGreaterThan(0);
		const leaves: string[] = [];
		const walk = (value: unknown) => {
			if (typeof value === "string") leaves.push(value);
			else if (value && typeof value === "object") for (const inner of Object.values(value)) walk(inner);
		};
		for (const [, source] of scripts) walk(JSON.parse(source ?? ""));
		expect(leaves).toContain(text);
		expect(leaves).toContain(speakerName);
		expect(leaves).toContain(fields.correctionHeadline);
	});

	it("leaves no script or event handler in the badge", async () => {
		const svg = await (await call(`/badges/${claimId}.svg`)).text();
		expect(svg).toContain("<svg");
		expect(svg).not.toMatch(/<script/i);
		expect(handlerAttributes(svg)).toEqual([]);
	});

	it("is escaped in the embed card", async () => {
		const response = await call(`/embed/${claimId}`);
		expect(response.status).toBe(200);
		expectEscaped(await response.text(), "embed");
	});

	it("parses back to the original from the Atom feed", async () => {
		const xml = await (await call("/feeds/verdicts.atom")).text();
		expectEscaped(xml, "feed");
		const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml);
		const entries: unknown[] = [feed.feed.entry].flat();
		type Text = { "#text": string } | string;
		const entry = entries.find(
			(e) => JSON.stringify(e).includes(claimId) && /Correction/.test(JSON.stringify(e)),
		) as { title: Text; summary: Text; content: Text } | undefined;
		expect(entry, "the correction's entry").toBeDefined();
		const text = (value: Text | undefined) => (typeof value === "string" ? value : value?.["#text"]);
		expect(text(entry?.title)).toMatch(/^Correction: False: “The harbour /);
		expect(text(entry?.title)?.endsWith(` — ${speakerName}`)).toBe(true);
		expect(text(entry?.summary)).toBe(
			`Correction: ${fields.correctionNote}\n\n${fields.correctionHeadline}\n\n${fields.summary}`,
		);
		expect(text(entry?.content)).toBe(fields.body);
	});

	it("is escaped on the desk's pages", async () => {
		for (const path of [`/desk/claims/${claimId}`, `/desk/verdicts/${draftId}/edit`, "/desk"]) {
			const response = await deskGet(admin, path);
			expect(response.status, path).toBe(200);
			expectEscaped(await response.text(), path);
		}
	});

	it("comes back escaped when a desk form re-renders it", async () => {
		const before = await snapshot();
		// An invalid date makes the form come back with everything typed in it.
		const response = await deskPost(
			admin,
			"/desk/claims",
			claimForm({ text: text, "speaker.name": speakerName, "source.title": XSS, claimedAt: "2025-02-30" }),
		);
		const page = await response.text();
		expect(response.status).toBe(422);
		expect(response.headers.get("content-type")).toContain("text/html");
		expectEscaped(page, "re-rendered form");
		expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(await snapshot()).toEqual(before);
	});
});

describe("control, bidi override, lone surrogate and invisible-only text is refused with the field named", () => {
	const source = () => ({ url: `https://news.example/${newId()}`, title: "Article" });
	const cases: { name: string; body: () => Record<string, unknown>; path: string }[] = [
		{
			name: "NUL in the claim",
			body: () => ({ text: `Harbour ${NUL}`, language: "en", source: source() }),
			path: "text",
		},
		{
			name: "U+0001 in a speaker's name",
			body: () => ({
				text: `Harbour ${newId()}`,
				language: "en",
				speaker: { name: "Ann\u0001 Lee" },
				source: source(),
			}),
			path: "speaker.name",
		},
		{
			name: "a C1 control in a title",
			body: () => ({
				text: `Harbour ${newId()}`,
				language: "en",
				source: { ...source(), title: "Title\u0085" },
			}),
			path: "source.title",
		},
		{
			name: "U+202E in the claim",
			body: () => ({ text: `Harbour \u202Eevil ${newId()}`, language: "en", source: source() }),
			path: "text",
		},
		{
			// Stored, half a character became U+FFFD: the text kept was not the text sent.
			name: "a lone surrogate in the claim",
			body: () => ({ text: `Harbour \ud800 ${newId()}`, language: "en", source: source() }),
			path: "text",
		},
		{
			// It gave the speaker "X \udc00" the slug `x`.
			name: "a lone surrogate in a speaker's name",
			body: () => ({
				text: `Harbour ${newId()}`,
				language: "en",
				speaker: { name: "X \udc00" },
				source: source(),
			}),
			path: "speaker.name",
		},
		{
			name: "zero-width-only claim",
			body: () => ({ text: "\u200B\u200C\u2060\uFEFF", language: "en", source: source() }),
			path: "text",
		},
	];
	for (const { name, body, path } of cases) {
		it(`${name}: 422 naming ${path}, nothing stored`, async () => {
			const before = await snapshot();
			const response = await apiCall("POST", "/api/v1/claims", { token, body: body() });
			expect(response.status).toBe(422);
			const problem = await json<{ errors: { path: string }[] }>(response);
			expect(problem.errors.map((e) => e.path)).toContain(path);
			expect(await snapshot()).toEqual(before);
		});
	}

	it("keeps characters beyond U+FFFF: their surrogates come in pairs", async () => {
		const text = `Harbour \u{1F6A2} \ud835\udd4f ${newId()}`;
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { text, language: "en", speaker: { name: `Ship \u{1F6A2} ${newId()}` }, source: source() },
		});
		expect(response.status, await response.clone().text()).toBe(201);
		expect((await json<{ text: string }>(response)).text).toBe(text);
	});

	it("verdict headline and retraction note, through the API and the desk form", async () => {
		const claim = await makeClaim();
		const draftResponse = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: { rating: "false", headline: "\u200B", evidence: [], language: "en" },
		});
		expect(draftResponse.status).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(draftResponse)).errors[0]?.path).toBe("headline");
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "false",
				headline: "Fine",
				evidence: [{ url: "https://evidence.example/a", title: "A" }],
				language: "en",
			},
		});
		const drafted = await json<{ id: string; version: number }>(created);
		const published = await json<{ version: number }>(
			await apiCall("POST", `/api/v1/verdicts/${drafted.id}/publish`, {
				token,
				body: { version: drafted.version },
			}),
		);
		const retract = await apiCall("POST", `/api/v1/verdicts/${drafted.id}/retract`, {
			token,
			body: { version: published.version, note: `Withdrawn ${NUL}` },
		});
		expect(retract.status).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(retract)).errors[0]?.path).toBe("note");
	});
});

describe("anchors are text fragments only", () => {
	for (const anchor of [
		"javascript:alert(1)",
		"#top",
		"https://evil.example/",
		"#:~:text=",
		"#:~:text=a b",
	]) {
		it(`refuses ${JSON.stringify(anchor)} with 422 naming anchor`, async () => {
			const response = await apiCall("POST", "/api/v1/claims", {
				token,
				body: {
					text: `Anchored ${newId()}`,
					language: "en",
					speaker: null,
					source: { url: `https://news.example/${newId()}` },
					anchor,
				},
			});
			expect(response.status).toBe(422);
			expect((await json<{ errors: { path: string }[] }>(response)).errors[0]?.path).toBe("anchor");
		});
	}

	it("keeps a text fragment", async () => {
		const anchor = "#:~:text=the%20harbour%20is%20open,-and%20busy";
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Anchored ${newId()}`,
				language: "en",
				speaker: null,
				source: { url: `https://news.example/${newId()}` },
				anchor,
			},
		});
		expect(response.status).toBe(201);
	});
});

describe("a form's key sent again with other content", () => {
	const notes = async (claimId: string) =>
		(
			await env.DB.prepare("SELECT text FROM claim_notes WHERE claim_id = ? ORDER BY created_at")
				.bind(claimId)
				.all<{ text: string }>()
		).results.map((row) => row.text);

	// Firefox restores a form's hidden fields after Back: the note is corrected, the key is the first's.
	it("is a 422 that saved nothing and hands back the new text under a fresh key, not the first's 'done'", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const key = newToken(18);
		const path = `/desk/claims/${claim.id}/notes`;
		const first = await deskPost(checker, path, { text: "First note A", _idem: key });
		expect(first.status).toBe(303);
		const repeat = await deskPost(checker, path, { text: "First note A", _idem: key });
		expect(repeat.status).toBe(303);
		expect(repeat.headers.get("location")).toBe(first.headers.get("location"));
		const changed = await deskPost(checker, path, { text: "Corrected note B", _idem: key });
		expect(changed.status).toBe(422);
		const html = await changed.text();
		expect(html).toContain("sent before with other content");
		expect(html).toContain("Corrected note B");
		expect(await notes(claim.id)).toEqual(["First note A"]);
		// Sent again from that page (its hidden fields), it is saved once.
		const fresh = hidden(html, "_idem");
		expect(fresh).toMatch(/^[A-Za-z0-9_-]{16,}$/);
		expect(fresh).not.toBe(key);
		expect(hidden(html, "text")).toBe("Corrected note B");
		const again = await deskPost(checker, path, { text: hidden(html, "text") ?? "", _idem: fresh ?? "" });
		expect(again.status).toBe(303);
		expect(await notes(claim.id)).toEqual(["First note A", "Corrected note B"]);
	});

	it("holds for the forms that keep their own key too: a new claim, a webhook, an account's role", async () => {
		const editor = await account("editor");
		const key = newToken(18);
		const claim = claimForm({ _idem: key });
		expect((await deskPost(editor, "/desk/claims", claim)).status).toBe(303);
		const otherClaim = await deskPost(editor, "/desk/claims", { ...claim, text: `${claim.text} Anders.` });
		expect(otherClaim.status).toBe(422);
		expect(await otherClaim.text()).toContain("sent before with other content");
		const count = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text LIKE ?")
			.bind(`${(claim.text ?? "").slice(0, 40)}%`)
			.first<{ n: number }>();
		expect(count?.n).toBe(1);

		const admin = await account("admin");
		const hook = { "event:claim.created": "1", description: "", _idem: newToken(18) };
		const first = `https://hooks.example/ok/${newId()}`;
		expect((await deskPost(admin, "/desk/admin/webhooks", { ...hook, url: first })).status).toBe(201);
		const second = `https://hooks.example/ok/${newId()}`;
		expect((await deskPost(admin, "/desk/admin/webhooks", { ...hook, url: second })).status).toBe(422);
		expect(await env.DB.prepare("SELECT id FROM webhooks WHERE url = ?").bind(second).first()).toBeNull();

		const { user } = await makeUser("checker");
		const role = { version: String(user.version), password: admin.password, _idem: newToken(18) };
		const path = `/desk/admin/users/${user.id}/role`;
		expect((await deskPost(admin, path, { ...role, role: "editor" })).status).toBe(303);
		const changed = await deskPost(admin, path, { ...role, role: "admin" });
		expect(changed.status).toBe(422);
		const html = await changed.text();
		expect(html).not.toContain(admin.password);
		expect((await env.DB.prepare("SELECT role FROM users WHERE id = ?").bind(user.id).first())?.role).toBe(
			"editor",
		);
	});

	it("tells two files apart by their bytes, and asks for the file again", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const key = newToken(18);
		const upload = (text: string) => {
			const form = new FormData();
			form.set("_csrf", checker.csrf);
			form.set("_idem", key);
			form.set("caption", "scan");
			form.set("file", new Blob([`%PDF-1.4\n% ${text}\n%%EOF\n`], { type: "application/pdf" }), "scan.pdf");
			return call(`/desk/claims/${claim.id}/attachments`, {
				method: "POST",
				headers: { Cookie: checker.cookie, Origin: ORIGIN },
				body: form,
				redirect: "manual",
			});
		};
		expect((await upload("first")).status).toBe(303);
		expect((await upload("first")).status).toBe(303);
		const other = await upload("second, same name and size");
		expect(other.status).toBe(422);
		const html = await other.text();
		expect(html).toContain('enctype="multipart/form-data"');
		expect(html).toContain('type="file"');
		expect(hidden(html, "caption")).toBe("scan");
		const count = await env.DB.prepare("SELECT count(*) AS n FROM uploads WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(1);
	});
});
