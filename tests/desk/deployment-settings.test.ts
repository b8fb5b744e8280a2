import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import deskWorker from "../../src/desk-worker";
import { makeClaim } from "../factories";
import { account } from "./helpers";

/** The desk Worker's app as a deployment with these settings, reached at `origin`, answers. */
async function deployed(origin: string, vars: Record<string, string>, path: string, cookie?: string) {
	const ctx = createExecutionContext();
	const response = await app.fetch(
		new Request(`${origin}${path}`, cookie ? { headers: { Cookie: cookie } } : {}),
		{ ...env, ...vars },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

const TYPOS = { PUBLIC_UNREVIEWED: "hidden", PUBLISHING: "second_editor" };

describe("the deployment's settings", () => {
	it("shows admins, on every desk page, what is wrong with them; other members see nothing of it", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		const production = "https://claimtrack.newsroom.workers.dev";
		const vars = { ...TYPOS, PUBLIC_URL: "http://localhost:8787" };
		for (const path of ["/desk", "/desk/dashboard", "/desk/admin/users"]) {
			const response = await deployed(production, vars, path, admin.cookie);
			const page = await response.text();
			expect(response.status, page.slice(0, 400)).toBe(200);
			expect(page).toContain("settings need fixing");
			expect(page).toContain("PUBLIC_UNREVIEWED = “hidden” is not one of list, hide; it is read as “hide”");
			expect(page).toContain("PUBLISHING = “second_editor” is not one of any-editor, second-editor");
			expect(page).toContain(
				`PUBLIC_URL is http://localhost:8787, but this desk was reached at ${production}`,
			);
			expect(page).toContain("ORG_NAME is still the example&#39;s “Claimtrack Demo Desk”");
		}
		const german = await (await deployed(production, vars, "/desk?lang=de", admin.cookie)).text();
		expect(german).toContain("Die Einstellungen dieser Installation müssen korrigiert werden");
		const editorsPage = await (await deployed(production, vars, "/desk", editor.cookie)).text();
		expect(editorsPage).not.toContain("settings need fixing");
		// Set up as README says, the warning goes.
		const fixed = await deployed(
			"https://factcheck.example.org",
			{
				PUBLIC_URL: "https://factcheck.example.org",
				ORG_NAME: "Faktencheck Nord",
				ORG_URL: "https://nord.example.org",
				ORG_LOGO: "https://nord.example.org/logo.png",
			},
			"/desk",
			admin.cookie,
		);
		expect(fixed.status).toBe(200);
		expect(await fixed.text()).not.toContain("settings need fixing");
	}, 60_000);

	it("reads a mistyped PUBLIC_UNREVIEWED as hide: what the desk is checking stays unpublished", async () => {
		// Two claims: an answer is cached by its address, whatever the settings that made it.
		const [shown, hidden] = [await makeClaim({ language: "en" }), await makeClaim({ language: "en" })];
		const base = "http://claimtrack.test";
		const listed = await deployed(base, { PUBLIC_UNREVIEWED: "list" }, `/api/v1/claims/${shown.id}`);
		expect(listed.status).toBe(200);
		const typo = await deployed(base, TYPOS, `/api/v1/claims/${hidden.id}`);
		expect(typo.status).toBe(404);
	}, 60_000);

	it("names a missing PUBLIC_URL to admins of a desk reached from a production host, in English and German", async () => {
		const admin = await account("admin");
		const vars = { ORG_NAME: "Faktencheck Nord", ORG_URL: "https://nord.example.org" };
		for (const publicUrl of ["", "  "]) {
			const page = await (
				await deployed(
					"https://factcheck.example.org",
					{ ...vars, PUBLIC_URL: publicUrl },
					"/desk",
					admin.cookie,
				)
			).text();
			expect(page).toContain("settings need fixing");
			expect(page).toContain("PUBLIC_URL is not set: links follow the address each request came to");
			const german = await (
				await deployed(
					"https://claimtrack.newsroom.workers.dev",
					{ ...vars, PUBLIC_URL: publicUrl },
					"/desk?lang=de",
					admin.cookie,
				)
			).text();
			expect(german).toContain("PUBLIC_URL ist nicht gesetzt");
		}
		// On this machine no PUBLIC_URL is what it should be: links follow `wrangler dev`'s address.
		for (const local of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
			const page = await (await deployed(local, { ...vars, PUBLIC_URL: "" }, "/desk", admin.cookie)).text();
			expect(page, local).not.toContain("PUBLIC_URL is not set");
		}
	}, 60_000);

	it("the queue consumer says in the log when it has no PUBLIC_URL to build links on", async () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
		try {
			const batch = { queue: "claimtrack-webhooks", messages: [] } as unknown as MessageBatch<never>;
			const ctx = createExecutionContext();
			await deskWorker.queue?.(batch, { ...env, PUBLIC_URL: "" } as never, ctx);
			const lines = warn.mock.calls.map((call) => String(call[0]));
			expect(lines.map((line) => (line.startsWith("{") ? JSON.parse(line) : {}))).toContainEqual({
				event: "public-url-missing",
				queue: "claimtrack-webhooks",
				using: "http://localhost:8787",
			});
			warn.mockClear();
			await deskWorker.queue?.(batch, env as never, ctx);
			expect(warn.mock.calls.map((call) => String(call[0])).join("\n")).not.toContain("public-url-missing");
		} finally {
			warn.mockRestore();
		}
	});

	it("names the example's ORG_LOGO and one that is not an address, as README step 1 says", async () => {
		const admin = await account("admin");
		const vars = {
			PUBLIC_URL: "https://factcheck.example.org",
			ORG_NAME: "Faktencheck Nord",
			ORG_URL: "https://nord.example.org",
		};
		const demo = await (
			await deployed(
				"https://factcheck.example.org",
				{ ...vars, ORG_LOGO: "https://claimtrack.example/logo.png" },
				"/desk",
				admin.cookie,
			)
		).text();
		expect(demo).toContain("ORG_LOGO is still the example&#39;s “https://claimtrack.example/logo.png”");
		const relative = await (
			await deployed(
				"https://factcheck.example.org",
				{ ...vars, ORG_LOGO: "logo.png" },
				"/desk",
				admin.cookie,
			)
		).text();
		expect(relative).toContain("ORG_LOGO = “logo.png” is not an http(s) address.");
	}, 60_000);
});
