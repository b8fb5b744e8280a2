import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { planSnapshots } from "../../src/store/snapshots";
import { account, deskGet } from "../desk/helpers";
import { makeClaim } from "../factories";
import { archiveDeps, BASE, call, json, testDb } from "../helpers";

/*
 * The desk links the archived copy the public surfaces show for a citation (the copy made
 * for it, domain/snapshots `copyForCitation`), opened for the claim so its quote is
 * highlighted; not simply the newest copy of the address.
 */

/** A stored copy of `url` fetched `days` from now (its objects are not needed for the links). */
async function storedCopy(url: string, days: number): Promise<string> {
	const id = newId();
	const at = new Date(Date.now() + days * 86_400_000 + 60_000).toISOString();
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, final_url, state, http_status, content_type, sha256, bytes, fetched_at, attempts, created_at, updated_at) VALUES (?, ?, ?, 'ok', 200, 'text/html', ?, 10, ?, 1, ?, ?)",
	)
		.bind(id, url, url, "a".repeat(64), at, at, at)
		.run();
	return id;
}

describe("the desk's archived copy of a source", () => {
	it("is the copy the public JSON shows for the citation, opened for the claim", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const url = `https://news.example/edited-${newId()}.html`;
		const claim = await makeClaim({ sourceUrl: url });
		// The copy made when the claim cited the page, and one made days later for another
		// claim after the outlet edited it.
		const cited = await storedCopy(url, 0);
		const later = await storedCopy(url, 3);
		const detail = await json<{ appearances: { source: { snapshot: { url: string } | null } }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(detail.appearances[0]?.source.snapshot?.url).toContain(`/snapshots/${cited}`);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(page).toMatch(new RegExp(`href="[^"]*/snapshots/${cited}\\?claim=${claim.id}"`));
		expect(page).not.toContain(`/snapshots/${later}`);
	});
});

/** The app where unreviewed claims are hidden (PUBLIC_UNREVIEWED = "hide"), as `who` if given. */
async function hideMode(path: string, cookie?: string): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(
		new Request(`${BASE}${path}`, cookie ? { headers: { Cookie: cookie } } : {}),
		{ ...env, PUBLIC_UNREVIEWED: "hide" },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

describe("the desk's own address of an archived copy", () => {
	it("opens the copy of a claim still being checked where the public may not, as inert text and a download", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const url = `https://news.example/unreviewed-${newId()}.html`;
		const quote = `The harbour cost ${newId()} euros`;
		const claim = await makeClaim({ sourceUrl: url, text: quote });
		const [planned] = await planSnapshots(testDb(), [url], Date.now());
		if (!planned) throw new Error("no copy planned");
		const page = `<html><body><article><p>Reported: ${quote}.</p><script>alert(1)</script></article></body></html>`;
		await archiveSnapshots(
			[{ body: { snapshotId: planned.id }, ack: () => undefined, retry: () => undefined }],
			archiveDeps(async () => new Response(page, { headers: { "Content-Type": "text/html" } })),
		);
		// The public copy is the desk's unpublished work where unreviewed claims are hidden.
		expect((await hideMode(`/snapshots/${planned.id}?claim=${claim.id}`)).status).toBe(404);
		expect((await hideMode(`/snapshots/${planned.id}/raw`)).status).toBe(404);

		const desk = await hideMode(`/desk/claims/${claim.id}`, checker.cookie);
		const link = `/desk/snapshots/${planned.id}?claim=${claim.id}`;
		expect(await desk.text()).toContain(`href="${link}"`);
		const opened = await hideMode(link, checker.cookie);
		expect(opened.status).toBe(200);
		const csp = opened.headers.get("content-security-policy") ?? "";
		expect(csp).toContain("default-src 'none'");
		expect(csp).not.toContain("script-src");
		expect(opened.headers.get("cache-control")).toContain("no-store");
		expect(opened.headers.get("cache-tag")).toBeNull();
		const html = await opened.text();
		// The desk's header around the copy has the log-out form: the policy lets it be sent
		// (to this origin alone), where the public page's sends no form at all.
		expect(html).toContain('action="/desk/logout"');
		expect(csp.split(/;\s*/)).toContain("form-action 'self'");
		expect(csp).not.toContain("form-action 'none'");
		expect(html).toContain(`<mark>${quote}</mark>`);
		expect(html).not.toContain("<script>alert");
		expect(html).toContain(`href="/desk/snapshots/${planned.id}/raw"`);
		expect(html).toContain(`href="/desk/claims/${claim.id}"`);

		const raw = await hideMode(`/desk/snapshots/${planned.id}/raw`, checker.cookie);
		expect(raw.status).toBe(200);
		expect(raw.headers.get("content-type")).toBe("application/octet-stream");
		expect(raw.headers.get("content-disposition")).toMatch(/^attachment/);
		expect(raw.headers.get("content-security-policy")).toContain("sandbox");
		expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
		expect(raw.headers.get("cache-control")).toContain("no-store");
		expect(await raw.text()).toBe(page);

		// Not without a session.
		const anonymous = await hideMode(link);
		expect([303, 401]).toContain(anonymous.status);
		expect(await deskGet(null, `/desk/snapshots/${planned.id}/raw`).then((r) => r.status)).not.toBe(200);
	});
});
