import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { SCOPES } from "../../src/auth/permissions";
import { makeClaim } from "../factories";
import { BASE } from "../helpers";
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

async function deskPage(who: Account, path: string): Promise<string> {
	return (await fourEyes(path, { headers: { Cookie: who.cookie, Origin: ORIGIN } })).text();
}
