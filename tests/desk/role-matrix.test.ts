import { describe, expect, it } from "vitest";
import { SCOPES } from "../../src/auth/permissions";
import type { Role } from "../../src/db/schema";
import { newId, newToken } from "../../src/domain/ids";
import { addAppearanceWithSource } from "../../src/store/appearances";
import { SYSTEM } from "../../src/store/batch";
import { createDraftVerdict, getVerdict } from "../../src/store/verdicts";
import { bareSource, draft, makeClaim, publish, reload } from "../factories";
import { freshIp, testDb } from "../helpers";
import {
	account,
	apiCall,
	apiToken,
	claimForm,
	deskGet,
	makeUser,
	post,
	snapshot,
	verdictForm,
} from "./helpers";

type Who = "anonymous" | Role;
const WHO: Who[] = ["anonymous", "checker", "editor", "admin"];
const RANK: Record<Who, number> = { anonymous: 0, checker: 1, editor: 2, admin: 3 };

interface Case {
	name: string;
	/** Lowest role allowed. */
	min: Role;
	/** Builds what the request needs and returns its path and fields. */
	setup: (me: {
		userId: string;
		/** The acting account's password (forms that confirm it: minting a token). */
		password: string;
	}) => Promise<{ path: string; fields?: Record<string, string>; body?: unknown; method?: string }>;
}

const idem = () => ({ _idem: newToken(18) });

/** A draft of the user under test: a checker edits only drafts they drafted. */
async function draftFixture(authorId?: string) {
	const claim = await makeClaim();
	const verdict = await draft(claim.id, undefined, authorId);
	return { claim, verdict };
}

async function publishedFixture() {
	const claim = await makeClaim();
	const verdict = await publish(claim.id);
	return { claim, verdict };
}

/** A claim with a second appearance (to remove), published when `reviewed`; at its current version. */
async function twoSources(reviewed: boolean) {
	const made = await makeClaim();
	const appearance = await addAppearanceWithSource(testDb(), SYSTEM("test"), made.id, {
		source: bareSource(`https://other.example/${newId()}`),
		quote: null,
		anchor: null,
	});
	if (reviewed) await publish(made.id);
	return { claim: await reload(made.id), appearanceId: appearance.id };
}

const deskCases: Case[] = [
	{
		name: "record a claim",
		min: "checker",
		setup: async () => ({ path: "/desk/claims", fields: claimForm() }),
	},
	{
		name: "add an appearance",
		min: "checker",
		setup: async () => {
			const claim = await makeClaim();
			return {
				path: `/desk/claims/${claim.id}/appearances`,
				fields: { "source.url": `https://other.example/${newId()}`, ...idem() },
			};
		},
	},
	{
		name: "remove an appearance of an unreviewed claim",
		min: "checker",
		setup: async () => {
			const { claim, appearanceId } = await twoSources(false);
			return {
				path: `/desk/claims/${claim.id}/appearances/${appearanceId}/remove`,
				fields: { version: String(claim.version), confirm: "1", ...idem() },
			};
		},
	},
	{
		name: "remove an appearance of a reviewed claim",
		min: "editor",
		setup: async () => {
			const { claim, appearanceId } = await twoSources(true);
			return {
				path: `/desk/claims/${claim.id}/appearances/${appearanceId}/remove`,
				fields: { version: String(claim.version), note: "Wrong outlet.", confirm: "1", ...idem() },
			};
		},
	},
	{
		name: "draft a verdict",
		min: "checker",
		setup: async () => ({ path: `/desk/claims/${(await makeClaim()).id}/verdicts`, fields: verdictForm() }),
	},
	{
		name: "edit a draft",
		min: "checker",
		setup: async (me) => {
			const { verdict } = await draftFixture(me.userId);
			return {
				path: `/desk/verdicts/${verdict.id}`,
				fields: verdictForm({ version: String(verdict.version) }),
			};
		},
	},
	{
		name: "publish a draft",
		min: "editor",
		setup: async () => {
			const verdict = await draftWithEvidence((await makeClaim()).id);
			return {
				path: `/desk/verdicts/${verdict.id}/publish`,
				fields: { version: String(verdict.version), ...idem() },
			};
		},
	},
	{
		name: "retract a verdict",
		min: "editor",
		setup: async () => {
			const { verdict } = await publishedFixture();
			return {
				path: `/desk/verdicts/${verdict.id}/retract`,
				fields: { version: String(verdict.version), note: "Wrong.", ...idem() },
			};
		},
	},
	{
		name: "create an account",
		min: "admin",
		setup: async (me) => ({
			path: "/desk/admin/users",
			fields: {
				email: `new-${newId()}@desk.test`,
				name: "New Person",
				role: "checker",
				password: me.password,
				...idem(),
			},
		}),
	},
	{
		name: "change a role",
		min: "admin",
		setup: async (me) => {
			const { user } = await makeUser("checker");
			return {
				path: `/desk/admin/users/${user.id}/role`,
				fields: { role: "editor", version: String(user.version), password: me.password, ...idem() },
			};
		},
	},
	{
		name: "disable an account",
		min: "admin",
		setup: async () => {
			const { user } = await makeUser("checker");
			return {
				path: `/desk/admin/users/${user.id}/disable`,
				fields: { version: String(user.version), confirm: "1", ...idem() },
			};
		},
	},
	{
		name: "reset a password",
		min: "admin",
		setup: async (me) => {
			const { user } = await makeUser("checker");
			return { path: `/desk/admin/users/${user.id}/password`, fields: { password: me.password, ...idem() } };
		},
	},
	{
		name: "issue a token for someone else",
		min: "admin",
		setup: async (me) => {
			const { user } = await makeUser("checker");
			return {
				path: `/desk/admin/users/${user.id}/tokens`,
				fields: { name: "importer", "scope:claims:write": "1", password: me.password, ...idem() },
			};
		},
	},
	{
		name: "revoke someone else's token",
		min: "admin",
		setup: async () => {
			const { user } = await makeUser("checker");
			const { row } = await apiToken(user, ["claims:write"]);
			return { path: `/desk/admin/users/${user.id}/tokens/${row.id}/revoke`, fields: idem() };
		},
	},
	{
		name: "issue an own token",
		min: "checker",
		setup: async (me) => ({
			path: "/desk/tokens",
			fields: { name: "mine", "scope:claims:write": "1", password: me.password, ...idem() },
		}),
	},
];

async function draftWithEvidence(claimId: string) {
	return createDraftVerdict(testDb(), SYSTEM("test"), claimId, {
		rating: "false",
		headline: "h",
		summary: null,
		body: null,
		evidence: [{ url: "https://evidence.example/x", title: "x" }],
		language: "de",
	});
}

const apiCases: Case[] = [
	{
		name: "POST /api/v1/claims",
		min: "checker",
		setup: async () => ({
			path: "/api/v1/claims",
			body: {
				text: `Claim ${newId()}`,
				language: "de",
				speaker: { name: `Speaker ${newId()}` },
				source: { url: `https://news.example/${newId()}` },
			},
		}),
	},
	{
		name: "POST /api/v1/claims/:id/appearances",
		min: "checker",
		setup: async () => ({
			path: `/api/v1/claims/${(await makeClaim()).id}/appearances`,
			body: { source: { url: `https://other.example/${newId()}` } },
		}),
	},
	{
		name: "DELETE /api/v1/claims/:id/appearances/:appearanceId (unreviewed claim)",
		min: "checker",
		setup: async () => {
			const { claim, appearanceId } = await twoSources(false);
			return {
				method: "DELETE",
				path: `/api/v1/claims/${claim.id}/appearances/${appearanceId}`,
				body: { version: claim.version },
			};
		},
	},
	{
		name: "DELETE /api/v1/claims/:id/appearances/:appearanceId (reviewed claim)",
		min: "editor",
		setup: async () => {
			const { claim, appearanceId } = await twoSources(true);
			return {
				method: "DELETE",
				path: `/api/v1/claims/${claim.id}/appearances/${appearanceId}`,
				body: { version: claim.version, note: "Wrong outlet." },
			};
		},
	},
	{
		name: "POST /api/v1/claims/:id/verdicts",
		min: "checker",
		setup: async () => ({
			path: `/api/v1/claims/${(await makeClaim()).id}/verdicts`,
			body: { rating: "false", headline: "h", evidence: [] },
		}),
	},
	{
		name: "PUT /api/v1/verdicts/:id",
		min: "checker",
		setup: async (me) => {
			const { verdict } = await draftFixture(me.userId);
			return {
				method: "PUT",
				path: `/api/v1/verdicts/${verdict.id}`,
				body: { rating: "true", headline: "h2", version: verdict.version },
			};
		},
	},
	{
		name: "POST /api/v1/verdicts/:id/publish",
		min: "editor",
		setup: async () => {
			const verdict = await draftWithEvidence((await makeClaim()).id);
			return { path: `/api/v1/verdicts/${verdict.id}/publish`, body: { version: verdict.version } };
		},
	},
	{
		name: "POST /api/v1/verdicts/:id/retract",
		min: "editor",
		setup: async () => {
			const { verdict } = await publishedFixture();
			const current = await getVerdict(testDb(), verdict.id);
			return {
				path: `/api/v1/verdicts/${verdict.id}/retract`,
				body: { version: current?.version, note: "Wrong." },
			};
		},
	},
];

describe("role matrix: desk forms", () => {
	for (const entry of deskCases) {
		for (const who of WHO) {
			const allowed = who !== "anonymous" && RANK[who] >= RANK[entry.min];
			it(`${who} ${allowed ? "may" : "may not"} ${entry.name}`, async () => {
				const me = who === "anonymous" ? null : await account(who);
				const request = await entry.setup({ userId: me?.user.id ?? "", password: me?.password ?? "" });
				const before = await snapshot();
				// An address of its own: the forms that confirm a password count every try per
				// address (auth/rate-limit), and other files in this runtime post passwords too.
				const response = await post(
					request.path,
					{ ...(me ? { _csrf: me.csrf } : {}), ...request.fields },
					{ ...(me ? { cookie: me.cookie } : {}), headers: { "CF-Connecting-IP": freshIp() } },
				);
				if (allowed) {
					expect(response.status, await response.clone().text()).toBeLessThan(400);
					expect((await snapshot()).audit_log).toBeGreaterThan(before.audit_log);
				} else {
					expect(response.status).toBe(who === "anonymous" ? 401 : 403);
					expect(response.headers.get("content-type")).toContain("text/html");
					expect(await snapshot()).toEqual(before);
				}
			});
		}
	}

	it("admin pages are for admins only", async () => {
		for (const who of ["checker", "editor"] as const) {
			const me = await account(who);
			expect((await deskGet(me, "/desk/admin/users")).status).toBe(403);
		}
		expect((await deskGet(await account("admin"), "/desk/admin/users")).status).toBe(200);
		expect((await deskGet(null, "/desk/admin/users")).status).toBe(303);
	});

	it("nobody revokes another user's token through their own token page", async () => {
		const owner = await makeUser("checker");
		const { row } = await apiToken(owner.user, ["claims:write"]);
		const intruder = await account("editor");
		const before = await snapshot();
		const response = await post(
			`/desk/tokens/${row.id}/revoke`,
			{ _csrf: intruder.csrf, ...idem() },
			{ cookie: intruder.cookie },
		);
		expect(response.status).toBe(404);
		expect(await snapshot()).toEqual(before);
	});
});

describe("role matrix: JSON API (tokens with every scope, limited by the owner's role)", () => {
	for (const entry of apiCases) {
		for (const who of WHO) {
			const allowed = who !== "anonymous" && RANK[who] >= RANK[entry.min];
			it(`${who} ${allowed ? "may" : "may not"} ${entry.name}`, async () => {
				let token: string | undefined;
				let userId = "";
				if (who !== "anonymous") {
					const { user } = await makeUser(who);
					token = (await apiToken(user, SCOPES)).token;
					userId = user.id;
				}
				const request = await entry.setup({ userId, password: "" });
				const before = await snapshot();
				const response = await apiCall(request.method ?? "POST", request.path, { token, body: request.body });
				if (allowed) {
					expect(response.status, await response.clone().text()).toBeLessThan(300);
					expect((await snapshot()).audit_log).toBeGreaterThan(before.audit_log);
				} else {
					expect(response.status).toBe(who === "anonymous" ? 401 : 403);
					expect(response.headers.get("content-type")).toContain("application/problem+json");
					expect(await snapshot()).toEqual(before);
				}
			});
		}
	}
});
