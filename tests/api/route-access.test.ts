import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { SCOPES, type Scope } from "../../src/auth/permissions";
import type { Role } from "../../src/db/schema";
import { accessRules, type RouteAccess } from "../../src/routes/access-rules";

// Importing the app (above) builds every router, and with them the declarations.
const ACCESS_RULES = accessRules();

import { account, apiCall, apiToken, deskGet, deskPost, makeUser, post } from "../desk/helpers";
import { draft, makeClaim, publish } from "../factories";
import { BASE, call } from "../helpers";

/**
 * Every route the app registers has a declared access rule (src/routes/access-rules.ts),
 * and every rule holds when asked: public pages open to anyone, writes closed to
 * anonymous and under-scoped tokens, desk pages closed to anonymous and lower roles.
 */

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

// `.use()` middleware is registered as method ALL; handlers never are in this app.
const registered = [...new Set(app.routes.filter((r) => r.method !== "ALL").map(key))].sort();
const declared = ACCESS_RULES.map(key);

describe("the access rule table", () => {
	it("declares every registered route", () => {
		expect(registered.filter((route) => !declared.includes(route))).toEqual([]);
	});

	it("declares no route that is not registered", () => {
		expect(declared.filter((route) => !registered.includes(route))).toEqual([]);
	});

	it("declares each route once", () => {
		expect(declared.filter((route, i) => declared.indexOf(route) !== i)).toEqual([]);
	});
});

interface Samples {
	claimId: string;
	verdictId: string;
	draftId: string;
	speakerSlug: string;
	sourceId: string;
	userId: string;
	tokenId: string;
	appearanceId: string;
}

let samples: Samples;

/** A concrete URL for a route pattern, with ids of real rows. */
function urlFor(route: RouteAccess): string {
	const s = samples;
	let path = route.path
		.replace(":method{claims:search}", "claims:search")
		.replace(/:file\{[^}]*\}/, `${s.claimId}.svg`)
		.replace(/:key\{[^}]*\}/, "uploads/00000000000000")
		.replace(":tokenId", s.tokenId)
		.replace(":appearanceId", s.appearanceId)
		.replace(":verdictId", s.verdictId)
		.replace(":deliveryId", `msg_${"0".repeat(32)}`)
		.replace(":restore", "0".repeat(14))
		.replace(":slug", s.speakerSlug);
	if (/^\/(api\/v1\/)?sources\//.test(path)) path = path.replace(":id", s.sourceId);
	else if (path.startsWith("/desk/admin/users/")) path = path.replace(":id", s.userId);
	else if (/^\/desk\/verdicts\//.test(path)) path = path.replace(":id", s.draftId);
	else if (/^\/api\/v1\/verdicts\//.test(path)) path = path.replace(":id", s.verdictId);
	else path = path.replace(":id", s.claimId);
	expect(path.replace("claims:search", ""), "every parameter gets a sample").not.toContain(":");
	if (path === "/oembed") return `${path}?url=${encodeURIComponent(`${BASE}/claims/${s.claimId}`)}`;
	if (path.startsWith("/v1alpha1/")) return `${path}?query=harbour`;
	return path;
}

beforeAll(async () => {
	const claim = await makeClaim();
	const verdict = await publish(claim.id);
	const pending = await makeClaim();
	const drafted = await draft(pending.id);
	const { user } = await makeUser("checker");
	const { row } = await apiToken(user, ["claims:write"]);
	const speakerSlug = claim.speaker?.slug;
	const sourceId = claim.appearances[0]?.sourceId;
	const appearanceId = claim.appearances[0]?.id;
	if (!speakerSlug || !sourceId || !appearanceId) throw new Error("sample claim without speaker or source");
	samples = {
		claimId: claim.id,
		verdictId: verdict.id,
		draftId: drafted.id,
		speakerSlug,
		sourceId,
		userId: user.id,
		tokenId: row.id,
		appearanceId,
	};
});

describe("public routes answer anonymous requests", () => {
	for (const route of ACCESS_RULES.filter((r) => r.rule === "public" && r.method === "GET")) {
		it(key(route), async () => {
			const response = await call(urlFor(route), { redirect: "manual" });
			expect(response.status).not.toBe(401);
			expect(response.status).not.toBe(403);
			expect(response.status).toBeLessThan(500);
			await response.body?.cancel();
		});
	}
});

describe("token routes refuse anonymous and under-scoped callers", () => {
	for (const route of ACCESS_RULES.filter((r) => r.rule.startsWith("token"))) {
		const scope = route.rule.slice("token:".length) as Scope | "";
		it(`${key(route)} (${route.rule})`, async () => {
			const url = urlFor(route);
			const body = route.method === "GET" ? undefined : {};
			const anonymous = await apiCall(route.method, url, { body });
			expect(anonymous.status).toBe(401);
			expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
			// An admin's token: only the missing scope can be the reason for a refusal.
			const { user } = await makeUser("admin");
			const others = SCOPES.filter((s) => s !== scope);
			const { token } = await apiToken(user, others);
			const underScoped = await apiCall(route.method, url, { token, body });
			if (scope) {
				expect(underScoped.status, await underScoped.clone().text()).toBe(403);
				expect(underScoped.headers.get("www-authenticate")).toContain(`scope="${scope}"`);
			} else {
				expect([401, 403]).not.toContain(underScoped.status);
			}
			await underScoped.body?.cancel();
		});
	}
});

const ROLES: Role[] = ["checker", "editor", "admin"];

describe("desk routes refuse anonymous callers and lower roles", () => {
	const accounts = new Map<Role, Awaited<ReturnType<typeof account>>>();
	beforeAll(async () => {
		for (const role of ROLES) accounts.set(role, await account(role));
		// A checker may open only drafts they drafted: the sample draft is the checker's.
		const checker = accounts.get("checker");
		if (checker) samples.draftId = (await draft((await makeClaim()).id, undefined, checker.user.id)).id;
	});
	const session = (role: Role) => {
		const found = accounts.get(role);
		if (!found) throw new Error(`no ${role} account`);
		return found;
	};

	for (const route of ACCESS_RULES.filter((r) => r.rule.startsWith("session:"))) {
		const minimum = route.rule.slice("session:".length) as Role;
		it(`${key(route)} (${route.rule})`, async () => {
			const url = urlFor(route);
			const anonymous = route.method === "GET" ? await deskGet(null, url) : await post(url, {});
			if (anonymous.status === 303) {
				expect(anonymous.headers.get("location")).toMatch(/^\/desk\/login\?next=/);
			} else {
				expect(anonymous.status).toBe(401);
			}
			await anonymous.body?.cancel();

			for (const role of ROLES.slice(0, ROLES.indexOf(minimum))) {
				const who = session(role);
				const response = route.method === "GET" ? await deskGet(who, url) : await deskPost(who, url, {});
				expect(response.status, `${role}: ${await response.clone().text()}`).toBe(403);
				await response.body?.cancel();
			}
			// The minimum role itself gets in (reads only: a blank post could do something).
			if (route.method === "GET") {
				const response = await deskGet(session(minimum), url);
				expect([401, 403]).not.toContain(response.status);
				expect(response.status).toBeLessThan(500);
				await response.body?.cancel();
			}
		});
	}
});
