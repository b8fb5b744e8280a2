import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { generateApiToken } from "../../src/auth/api-tokens";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { createApiToken } from "../../src/store/tokens";
import { BASE, freshIp, testDb } from "../helpers";
import { type Account, account, ORIGIN } from "./helpers";

/**
 * The `import` scope is an admin's to grant (README "Import", "Four eyes"): an import whose
 * review is on our own host publishes as ours without a second editor, so an editor minting
 * it for themselves published alone.
 */

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

function form(who: Account, path: string, fields: Record<string, string>): Promise<Response> {
	return fourEyes(path, {
		method: "POST",
		headers: {
			Cookie: who.cookie,
			Origin: ORIGIN,
			"Content-Type": "application/x-www-form-urlencoded",
			"CF-Connecting-IP": freshIp(),
		},
		body: new URLSearchParams({ _csrf: who.csrf, _idem: newToken(18), ...fields }).toString(),
	});
}

const page = async (who: Account, path: string) =>
	(await fourEyes(path, { headers: { Cookie: who.cookie } })).text();

const mintFields = (who: Account) => ({
	name: `importer ${newId()}`,
	"scope:import": "1",
	password: who.password,
});

function tokenOn(html: string): string {
	const token = /value="(ct_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
	if (!token) throw new Error("no token on the page");
	return token;
}

/** A record of our own review (its URL on our host): published as ours, past four eyes. */
function ownReview() {
	const externalId = `own-${newId()}`;
	return {
		externalId,
		record: {
			externalId,
			claim: { text: `The harbour ${externalId} handled 5000 ships in 2024.`, language: "en" },
			speaker: { name: `Harbour master ${externalId}`, kind: "person" },
			sources: [{ url: `https://news.example/${externalId}`, title: "Article" }],
			verdict: {
				rating: "false",
				originalRating: "False",
				headline: "It handled far fewer",
				url: `${BASE}/claims/whatever-${externalId}`,
				publishedAt: "2025-07-02",
			},
		},
	};
}

function importWith(token: string, record: unknown): Promise<Response> {
	return fourEyes("/api/v1/import", {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify({ records: [record] }),
	});
}

async function claimsOf(externalId: string): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE external_id = ?")
		.bind(externalId)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("the import scope is granted by an admin only", () => {
	it("an editor is offered no import scope on their own tokens page, and minting it is refused", async () => {
		const editor = await account("editor");
		const tokensPage = await page(editor, "/desk/tokens");
		expect(tokensPage).toContain('name="scope:verdicts:publish"');
		expect(tokensPage).not.toContain('name="scope:import"');
		expect(tokensPage).toContain("An admin grants import");
		const refused = await form(editor, "/desk/tokens", mintFields(editor));
		const html = await refused.text();
		expect(refused.status, html).toBe(422);
		expect(html).toContain("Only an admin grants this scope.");
		expect(html).not.toMatch(/ct_[A-Za-z0-9_-]{43}/);
		const tokens = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE user_id = ?")
			.bind(editor.user.id)
			.first<{ n: number }>();
		expect(tokens?.n).toBe(0);
	});

	it("an admin mints it for an editor, who imports with it; and for themselves", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		const adminPage = await page(admin, `/desk/admin/users/${editor.user.id}`);
		expect(adminPage).toContain('name="scope:import"');
		const minted = await form(admin, `/desk/admin/users/${editor.user.id}/tokens`, mintFields(admin));
		const html = await minted.text();
		expect(minted.status, html).toBe(201);
		const { externalId, record } = ownReview();
		const imported = await importWith(tokenOn(html), record);
		expect(imported.status, await imported.clone().text()).toBe(200);
		expect(await claimsOf(externalId), await imported.text()).toBe(1);
		// The editor's tokens page lists it as in force.
		expect(await page(editor, "/desk/tokens")).not.toContain("not in force");

		expect(await page(admin, "/desk/tokens")).toContain('name="scope:import"');
		const own = await form(admin, "/desk/tokens", mintFields(admin));
		const ownHtml = await own.text();
		expect(own.status, ownHtml).toBe(201);
		const second = ownReview();
		expect((await importWith(tokenOn(ownHtml), second.record)).status).toBe(200);
		expect(await claimsOf(second.externalId)).toBe(1);
	});

	it("an editor's import token they minted themselves (as the desk let them) imports nothing", async () => {
		const editor = await account("editor");
		const token = generateApiToken();
		await createApiToken(
			testDb(),
			{ userId: editor.user.id, label: "desk", role: "editor" },
			{ userId: editor.user.id, name: "my import", scopes: ["import"], tokenHash: await sha256Hex(token) },
		);
		const { externalId, record } = ownReview();
		const refused = await importWith(token, record);
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { detail: string }).detail).toContain(
			"An admin grants the scope import",
		);
		expect(await claimsOf(externalId)).toBe(0);
		const tokensPage = await page(editor, "/desk/tokens");
		expect(tokensPage).toContain("import not in force: an admin grants it");
	});

	it("an admin is told who minted an editor's token and what to do, not to ask an admin; each token says whether it is in force", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		// The editor's own import token (as the desk let them), and one with more scopes.
		for (const [name, scopes] of [
			["own import", ["import"]],
			["own mixed", ["import", "claims:write"]],
		] as const) {
			await createApiToken(
				testDb(),
				{ userId: editor.user.id, label: "desk", role: "editor" },
				{ userId: editor.user.id, name, scopes: [...scopes], tokenHash: await sha256Hex(generateApiToken()) },
			);
		}
		const minted = await form(admin, `/desk/admin/users/${editor.user.id}/tokens`, mintFields(admin));
		expect(minted.status).toBe(201);

		const html = await page(admin, `/desk/admin/users/${editor.user.id}`);
		expect(html).not.toContain("an admin grants it");
		expect(html).toContain(
			"import not in force: minted by its owner, not by an admin – mint them a new token below",
		);
		const row = (name: string, at = html) => {
			const start = at.indexOf(`<td class="whole">${name}`);
			expect(start, name).toBeGreaterThan(-1);
			return at.slice(start, at.indexOf("</tr>", start)).replace(/<[^>]+>/g, " ");
		};
		expect(html).toContain('<th scope="col">Created by</th>');
		expect(row("own import")).toContain(editor.user.name);
		expect(row("own import")).toMatch(/Not in force\s+Revoke/);
		expect(row("own mixed")).toMatch(/Partly in force\s+Revoke/);
		expect(row("importer")).toContain(admin.user.name);
		expect(row("importer")).toMatch(/In force\s+Revoke/);

		// In German too; the editor's own page still says that an admin grants it.
		const german = await page(admin, `/desk/admin/users/${editor.user.id}?lang=de`);
		expect(german).toContain("import nicht wirksam: von seiner Inhaber:in selbst erstellt");
		expect(german).toContain('<th scope="col">Angelegt von</th>');
		expect(german).toContain("Teilweise wirksam");
		const own = await page(editor, "/desk/tokens");
		expect(own).toContain("import not in force: an admin grants it");
		expect(row("importer", own)).toContain(admin.user.name);
	});
});
