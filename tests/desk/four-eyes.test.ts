import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { SCOPES } from "../../src/auth/permissions";
import { newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { BASE, freshIp } from "../helpers";
import { type Account, account, apiToken, ORIGIN } from "./helpers";

/** The desk Worker's app as a deployment with `PUBLISHING = "second-editor"` answers. */
async function fourEyes(path: string, init: RequestInit = {}): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(
		new Request(`${BASE}${path}`, init),
		{ ...env, PUBLISHING: "second-editor" },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

const api = (token: string, method: string, path: string, body: unknown) =>
	fourEyes(path, {
		method,
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	});

async function draftBy(token: string) {
	const claim = await makeClaim({ language: "en" });
	const response = await api(token, "POST", `/api/v1/claims/${claim.id}/verdicts`, {
		rating: "false",
		headline: "Not so",
		evidence: [{ url: "https://evidence.example/report", title: "Report" }],
		language: "en",
	});
	expect(response.status, await response.clone().text()).toBe(201);
	return { claim, draft: (await response.json()) as { id: string; version: number } };
}

describe('PUBLISHING = "second-editor": four eyes on every verdict', () => {
	it("an editor's own draft is published by another editor, not by its author", async () => {
		const author = await account("editor");
		const other = await account("editor");
		const authorToken = (await apiToken(author.user, SCOPES)).token;
		const { draft } = await draftBy(authorToken);
		const own = await api(authorToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(own.status).toBe(409);
		expect(((await own.json()) as { type: string }).type).toBe(
			"urn:claimtrack:problem:second-editor-required",
		);
		const otherToken = (await apiToken(other.user, SCOPES)).token;
		const published = await api(otherToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});

	it("an editor's save sent beside their publication at the next version is no second pair of eyes", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { draft } = await draftBy((await apiToken(checker.user, SCOPES)).token);
		const editorToken = (await apiToken(editor.user, SCOPES)).token;
		// The editor's save lands right after the publication read the draft's writers (an
		// audit_log read), before it writes: as two requests sent at once may.
		let raced = false;
		const db = new Proxy(env.DB, {
			get(target, property) {
				if (property !== "prepare") return Reflect.get(target, property, target);
				return (query: string) => {
					const statement = target.prepare(query);
					if (raced || !/from "audit_log"/i.test(query)) return statement;
					const bind = statement.bind.bind(statement);
					statement.bind = (...values: unknown[]) => {
						const bound = bind(...values);
						for (const read of ["all", "raw", "first"] as const) {
							const real = (bound[read] as (...args: unknown[]) => Promise<unknown>).bind(bound);
							Object.assign(bound, {
								[read]: async (...args: unknown[]) => {
									const result = await real(...args);
									if (!raced) {
										raced = true;
										const save = await api(editorToken, "PUT", `/api/v1/verdicts/${draft.id}`, {
											version: draft.version,
											rating: "true",
											headline: "The editor's rewrite",
											evidence: [{ url: "https://evidence.example/report", title: "Report" }],
											language: "en",
										});
										expect(save.status, await save.clone().text()).toBe(200);
									}
									return result;
								},
							});
						}
						return bound;
					};
					return statement;
				};
			},
		});
		const ctx = createExecutionContext();
		const published = await app.fetch(
			new Request(`${BASE}/api/v1/verdicts/${draft.id}/publish`, {
				method: "POST",
				headers: { Authorization: `Bearer ${editorToken}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: draft.version + 1 }),
			}),
			{ ...env, DB: db, PUBLISHING: "second-editor" },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(published.status, await published.clone().text()).toBe(409);
		const row = await env.DB.prepare("SELECT state, headline FROM verdicts WHERE id = ?")
			.bind(draft.id)
			.first<{ state: string; headline: string }>();
		expect(row?.state).toBe("draft");
	});

	it("a checker's draft needs an editor as ever, and the desk shows its author no publish button", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { draft: checked } = await draftBy((await apiToken(checker.user, ["verdicts:write"])).token);
		const editorToken = (await apiToken(editor.user, SCOPES)).token;
		expect(
			(await api(editorToken, "POST", `/api/v1/verdicts/${checked.id}/publish`, { version: checked.version }))
				.status,
		).toBe(200);
		const { claim } = await draftBy(editorToken);
		const page = await deskPage(editor, `/desk/claims/${claim.id}`);
		expect(page).toContain("You wrote or edited this draft: another editor publishes it");
		expect(page).not.toContain('/publish"');
		const colleague = await deskPage(await account("editor"), `/desk/claims/${claim.id}`);
		expect(colleague).toContain('/publish"');
	});
});

describe('PUBLISHING = "second-editor": who rewrote a draft does not publish it either', () => {
	it("an editor who saved a checker's draft is refused, in the API, on the claim page and in the preview", async () => {
		const checker = await account("checker");
		const rewriter = await account("editor");
		const { claim, draft } = await draftBy((await apiToken(checker.user, ["verdicts:write"])).token);
		const rewriterToken = (await apiToken(rewriter.user, SCOPES)).token;
		const saved = await api(rewriterToken, "PUT", `/api/v1/verdicts/${draft.id}`, {
			version: draft.version,
			rating: "true",
			headline: "Rewritten: it is so",
			evidence: [{ url: "https://evidence.example/other", title: "Other" }],
			language: "en",
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
		const version = ((await saved.json()) as { version: number }).version;
		const own = await api(rewriterToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, { version });
		expect(own.status).toBe(409);
		expect(((await own.json()) as { type: string }).type).toBe(
			"urn:claimtrack:problem:second-editor-required",
		);
		for (const path of [`/desk/claims/${claim.id}`, `/desk/verdicts/${draft.id}/preview`]) {
			const page = await deskPage(rewriter, path);
			expect(page, path).toContain("You wrote or edited this draft: another editor publishes it");
			expect(page, path).not.toContain(`/verdicts/${draft.id}/publish"`);
		}
		// A third editor, who wrote none of it, sees the button and publishes.
		const third = await account("editor");
		expect(await deskPage(third, `/desk/verdicts/${draft.id}/preview`)).toContain(
			`/verdicts/${draft.id}/publish"`,
		);
		const thirdToken = (await apiToken(third.user, SCOPES)).token;
		const published = await api(thirdToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, { version });
		expect(published.status, await published.clone().text()).toBe(200);
	});
});

describe('PUBLISHING = "second-editor": whoever minted a token acts with it too', () => {
	it("an admin does not publish their own draft with a token they minted for an editor", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		const { draft } = await draftBy((await apiToken(admin.user, SCOPES)).token);
		const minted = await mintFor(admin, editor.user.id, ["verdicts:publish"]);
		const refused = await api(minted, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(((await refused.json()) as { type: string }).type).toBe(
			"urn:claimtrack:problem:second-editor-required",
		);
		// The editor's own token is a second pair of eyes.
		const own = (await apiToken(editor.user, SCOPES)).token;
		const published = await api(own, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});

	it("a draft saved with a token an admin minted for a checker is the admin's too, and the history says so", async () => {
		const admin = await account("admin");
		const checker = await account("checker");
		const minted = await mintFor(admin, checker.user.id, ["verdicts:write"]);
		const { claim, draft } = await draftBy(minted);
		const row = await env.DB.prepare(
			"SELECT actor_id, actor_label, token_minted_by FROM audit_log WHERE entity = 'verdict' AND entity_id = ? AND action = 'create-draft'",
		)
			.bind(draft.id)
			.first();
		expect(row).toEqual({
			actor_id: checker.user.id,
			actor_label: "token:for the desk",
			token_minted_by: admin.user.id,
		});
		const adminToken = (await apiToken(admin.user, SCOPES)).token;
		const refused = await api(adminToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		const page = await deskPage(admin, `/desk/claims/${claim.id}`);
		expect(page).toContain("You wrote or edited this draft: another editor publishes it");
		expect(page).toContain(`with a token minted by ${admin.user.name}`);
		const editorToken = (await apiToken((await account("editor")).user, SCOPES)).token;
		const published = await api(editorToken, "POST", `/api/v1/verdicts/${draft.id}/publish`, {
			version: draft.version,
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});
});

describe("a token an admin minted for someone else leaves with the admin", () => {
	const claimBody = { text: "A claim sent with a minted token", language: "en" };

	it("disabling the admin revokes it; the owner's own token keeps working", async () => {
		const minter = await account("admin");
		const checker = await account("checker");
		const minted = await mintFor(minter, checker.user.id, ["claims:write"]);
		const own = (await apiToken(checker.user, ["claims:write"])).token;
		expect((await api(minted, "POST", "/api/v1/claims", {})).status).toBe(422);
		const other = await account("admin");
		const fresh = await env.DB.prepare("SELECT version FROM users WHERE id = ?").bind(minter.user.id).first();
		const disabled = await deskForm(other, `/desk/admin/users/${minter.user.id}/disable`, {
			confirm: "1",
			version: String(fresh?.version),
		});
		expect(disabled.status, await disabled.clone().text()).toBe(303);
		const refused = await api(minted, "POST", "/api/v1/claims", claimBody);
		expect(refused.status).toBe(401);
		expect((await api(own, "POST", "/api/v1/claims", {})).status).toBe(422);
	});

	it("demoting the admin revokes the tokens they minted for others, not their own", async () => {
		const minter = await account("admin");
		const colleague = await account("admin");
		const minted = await mintFor(minter, colleague.user.id, ["backup", "webhooks:manage"]);
		const own = (await apiToken(minter.user, ["claims:write"])).token;
		expect((await api(minted, "GET", "/api/v1/webhooks", undefined)).status).toBe(200);
		const other = await account("admin");
		const fresh = await env.DB.prepare("SELECT version FROM users WHERE id = ?").bind(minter.user.id).first();
		const demoted = await deskForm(other, `/desk/admin/users/${minter.user.id}/role`, {
			role: "checker",
			version: String(fresh?.version),
			password: other.password,
		});
		expect(demoted.status, await demoted.clone().text()).toBe(303);
		expect((await api(minted, "GET", "/api/v1/webhooks", undefined)).status).toBe(401);
		expect((await api(minted, "GET", "/api/v1/backup", undefined)).status).toBe(401);
		// Their own token acts with the role they have now.
		expect((await api(own, "POST", "/api/v1/claims", {})).status).toBe(422);
	});

	it("resetting the admin's password revokes it too", async () => {
		const minter = await account("admin");
		const editor = await account("editor");
		const minted = await mintFor(minter, editor.user.id, ["claims:write"]);
		const other = await account("admin");
		const reset = await deskForm(other, `/desk/admin/users/${minter.user.id}/password`, {
			password: other.password,
		});
		expect(reset.status, await reset.clone().text()).toBe(303);
		expect((await api(minted, "POST", "/api/v1/claims", claimBody)).status).toBe(401);
		const row = await env.DB.prepare("SELECT revoked_at FROM api_tokens WHERE user_id = ? AND created_by = ?")
			.bind(editor.user.id, minter.user.id)
			.first();
		expect(row?.revoked_at).toBeTruthy();
	});
});

async function deskForm(who: Account, path: string, fields: Record<string, string>): Promise<Response> {
	return fourEyes(path, {
		method: "POST",
		headers: {
			Cookie: who.cookie,
			Origin: ORIGIN,
			"Content-Type": "application/x-www-form-urlencoded",
			"CF-Connecting-IP": freshIp(),
		},
		body: new URLSearchParams({ ...fields, _csrf: who.csrf, _idem: newToken(18) }).toString(),
	});
}

/** A token an admin mints in the desk for another account (their own password confirms it). */
async function mintFor(admin: Account, ownerId: string, scopes: readonly string[]): Promise<string> {
	const fields: Record<string, string> = {
		name: "for the desk",
		password: admin.password,
		_csrf: admin.csrf,
		_idem: newToken(18),
	};
	for (const scope of scopes) fields[`scope:${scope}`] = "1";
	const response = await fourEyes(`/desk/admin/users/${ownerId}/tokens`, {
		method: "POST",
		headers: {
			Cookie: admin.cookie,
			Origin: ORIGIN,
			"Content-Type": "application/x-www-form-urlencoded",
			"CF-Connecting-IP": freshIp(),
		},
		body: new URLSearchParams(fields).toString(),
	});
	const page = await response.text();
	expect(response.status, page).toBe(201);
	const token = /value="(ct_[A-Za-z0-9_-]{43})"/.exec(page)?.[1];
	if (!token) throw new Error("no token on the page");
	return token;
}

async function deskPage(who: Account, path: string): Promise<string> {
	return (await fourEyes(path, { headers: { Cookie: who.cookie, Origin: ORIGIN } })).text();
}
