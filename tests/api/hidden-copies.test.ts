import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { planSnapshots } from "../../src/store/snapshots";
import { makeClaim, publish } from "../factories";
import { archiveDeps, BASE, testDb } from "../helpers";

/** The app where unreviewed claims are hidden (PUBLIC_UNREVIEWED = "hide"), or listed. */
async function fetchIn(mode: "hide" | "list", path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${BASE}${path}`), { ...env, PUBLIC_UNREVIEWED: mode }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

const page: typeof fetch = async () =>
	new Response("<html><body><article><p>What the desk is checking, in a post.</p></article></body></html>", {
		headers: { "Content-Type": "text/html" },
	});

/** A stored copy of an address, fetched from a stand-in page. */
async function storedCopy(url: string): Promise<string> {
	const [row] = await planSnapshots(testDb(), [url], Date.now());
	if (!row) throw new Error(`no snapshot planned for ${url}`);
	await archiveSnapshots(
		[{ body: { snapshotId: row.id }, ack: () => undefined, retry: () => undefined }],
		archiveDeps(page),
	);
	return row.id;
}

async function statuses(mode: "hide" | "list", id: string): Promise<number[]> {
	return [
		(await fetchIn(mode, `/snapshots/${id}?lang=en`)).status,
		(await fetchIn(mode, `/snapshots/${id}/raw`)).status,
	];
}

describe("archived copies where unreviewed claims are hidden", () => {
	it("are not served for a source only an unreviewed claim cites, until the claim is published", {
		timeout: 30_000,
	}, async () => {
		const url = `https://social.example/post-${newId()}`;
		const claim = await makeClaim({ sourceUrl: url, language: "en" });
		const id = await storedCopy(url);
		expect(await statuses("list", id)).toEqual([200, 200]);
		expect(await statuses("hide", id)).toEqual([404, 404]);
		await publish(claim.id, "false");
		expect(await statuses("hide", id)).toEqual([200, 200]);
	});

	it("are served for a published verdict's evidence", { timeout: 30_000 }, async () => {
		const claim = await makeClaim({ language: "en" });
		const verdict = await publish(claim.id, "false");
		const report = `https://evidence.example/report-${newId()}`;
		await env.DB.prepare("UPDATE verdicts SET evidence = ? WHERE id = ?")
			.bind(JSON.stringify([{ url: report, title: "Report" }]), verdict.id)
			.run();
		const id = await storedCopy(report);
		expect(await statuses("hide", id)).toEqual([200, 200]);
	});
});
