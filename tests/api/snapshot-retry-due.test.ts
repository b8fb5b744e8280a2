import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { newId } from "../../src/domain/ids";
import { archiveSnapshots, type SnapshotMessage } from "../../src/queues/snapshot-archive";
import { getSnapshot, planSnapshots } from "../../src/store/snapshots";
import { DAILY_CRON, runDeskCron } from "../cron";
import { account, deskGet } from "../desk/helpers";
import { makeClaim } from "../factories";
import { archiveDeps, testDb } from "../helpers";

/*
 * A failed copy is "retried later" on the desk only while the consumer has a try scheduled
 * (snapshots.retry_at); one given up, refused for good or failed by an outage's last delivery
 * says "Not archived", with why.
 */

type Editor = Awaited<ReturnType<typeof account>>;

/** The desk's claim page as its text reads. */
async function deskText(editor: Editor, path: string): Promise<string> {
	const html = await (await deskGet(editor, path)).text();
	return html
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, "&");
}

function message(snapshotId: string, attempts = 1): SnapshotMessage {
	return { body: { snapshotId }, attempts, ack: () => undefined, retry: () => undefined };
}

/** A claim citing `url`, and the copy planned for it. */
async function citedAndPlanned(url: string): Promise<{ claimId: string; snapshotId: string }> {
	const claim = await makeClaim({ sourceUrl: url });
	const [row] = await planSnapshots(testDb(), [url], Date.now());
	if (!row) throw new Error(`no copy planned for ${url}`);
	return { claimId: claim.id, snapshotId: row.id };
}

const down: typeof fetch = async () => new Response("down", { status: 503 });

describe("the desk's word on a failed copy", () => {
	it("says 'retried later' while a try is due, and 'Not archived' once none is", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const { claimId, snapshotId } = await citedAndPlanned(`https://down.example/${newId()}`);
		const path = `/desk/claims/${claimId}`;
		await archiveSnapshots([message(snapshotId)], archiveDeps(down));
		const retrying = await getSnapshot(testDb(), snapshotId);
		expect(retrying).toMatchObject({ state: "failed", attempts: 1 });
		// Its next try, a minute on.
		expect(Date.parse(retrying?.retryAt ?? "") - Date.parse(retrying?.updatedAt ?? "")).toBe(60_000);
		expect(await deskText(editor, `${path}?lang=en`)).toContain(
			"Not archived yet (retried later): The site answered HTTP 503.",
		);
		// The fifth failed try is the last: no try is due.
		for (let i = 0; i < 4; i++) await archiveSnapshots([message(snapshotId)], archiveDeps(down));
		expect(await getSnapshot(testDb(), snapshotId)).toMatchObject({ attempts: 5, retryAt: null });
		const english = await deskText(editor, `${path}?lang=en`);
		expect(english).toContain("Not archived: The site answered HTTP 503.");
		expect(english).not.toContain("retried later");
		const german = await deskText(editor, `${path}?lang=de`);
		expect(german).toContain("Nicht archiviert: Die Website antwortete mit HTTP 503.");
		expect(german).not.toContain("wird erneut versucht");
	});

	it("says 'Not archived' for an address refused for good and after a storage outage's last delivery", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const refused = await citedAndPlanned(`http://10.0.0.9/${newId()}`);
		await archiveSnapshots([message(refused.snapshotId)], archiveDeps(down));
		expect(await getSnapshot(testDb(), refused.snapshotId)).toMatchObject({ state: "failed", retryAt: null });
		const refusedPage = await deskText(editor, `/desk/claims/${refused.claimId}?lang=en`);
		expect(refusedPage).toContain("Not archived: 10.0.0.9 is a private");
		expect(refusedPage).not.toContain("retried later");

		// R2 down: the queue's 8th delivery marks the copy failed, and nothing tries it again.
		const outage = await citedAndPlanned(`https://news.example/outage-${newId()}.html`);
		const bucket = new Proxy(env.ARCHIVE, {
			get(target, key) {
				if (key === "put") return async () => Promise.reject(new Error("R2 unavailable"));
				return Reflect.get(target, key).bind(target);
			},
		});
		const page: typeof fetch = async () =>
			new Response("<html><body><p>Stored.</p></body></html>", { headers: { "Content-Type": "text/html" } });
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await archiveSnapshots([message(outage.snapshotId, 8)], { ...archiveDeps(page), bucket });
		} finally {
			logged.mockRestore();
		}
		expect(await getSnapshot(testDb(), outage.snapshotId)).toMatchObject({ state: "failed", retryAt: null });
		const outagePage = await deskText(editor, `/desk/claims/${outage.claimId}?lang=en`);
		expect(outagePage).toContain("Not archived: The archive could not store this copy (a storage outage)");
		expect(outagePage).not.toContain("retried later");
	});
});

describe("the daily cron", () => {
	it("takes a retry that never came off the desk: it was due hours ago, its message is lost", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const { claimId, snapshotId } = await citedAndPlanned(`https://down.example/lost-${newId()}`);
		const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
		await env.DB.prepare(
			"UPDATE snapshots SET state = 'failed', error = 'The site answered HTTP 503.', attempts = 2, retry_at = ? WHERE id = ?",
		)
			.bind(hoursAgo(4), snapshotId)
			.run();
		await runDeskCron(DAILY_CRON);
		expect(await getSnapshot(testDb(), snapshotId)).toMatchObject({
			state: "failed",
			error: "The site answered HTTP 503.",
			retryAt: null,
		});
		expect(await deskText(editor, `/desk/claims/${claimId}?lang=en`)).toContain(
			"Not archived: The site answered HTTP 503.",
		);
	});
});
