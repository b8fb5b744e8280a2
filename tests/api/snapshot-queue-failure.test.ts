import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { requestSnapshots } from "../../src/commands/snapshots";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_NOT_QUEUED } from "../../src/domain/snapshots";
import { DAILY_CRON, runDeskCron } from "../cron";
import { account, apiCall, apiToken, deskGet } from "../desk/helpers";
import { BASE, eventually, json, testDb } from "../helpers";

/*
 * A copy is planned (a pending row) before its message is sent to the snapshot queue. A send
 * that fails (the queue down, or not created yet on a first deploy) or never happens (the
 * request's background cut off) left the row pending with nothing to fetch it: "Archiving…"
 * on the desk for good, and no new copy of the address for 24 hours.
 */

/** What the desk stores, and shows in English, for a copy whose fetch never reached the queue. */
const NOT_QUEUED = SNAPSHOT_NOT_QUEUED;

interface Row {
	id: string;
	state: string;
	error: string | null;
	attempts: number;
}

async function rowsOf(url: string): Promise<Row[]> {
	const rows = await env.DB.prepare(
		"SELECT id, state, error, attempts FROM snapshots WHERE url = ? ORDER BY created_at, id",
	)
		.bind(url)
		.all<Row>();
	return rows.results;
}

function claimBody(url: string) {
	return {
		text: `A harbour that was never built ${newId()}.`,
		language: "en",
		speaker: null,
		source: { url, title: "Article" },
	};
}

/** A queue that refuses every message, as one that is down or was never created does. */
const refusingQueue = {
	async send(): Promise<never> {
		throw new Error("Queue claimtrack-snapshots does not exist");
	},
	async sendBatch(): Promise<never> {
		throw new Error("Queue claimtrack-snapshots does not exist");
	},
};

/** The desk's claim page as its text reads, in one language. */
async function deskText(editor: Awaited<ReturnType<typeof account>>, path: string): Promise<string> {
	const html = await (await deskGet(editor, path)).text();
	return html
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, "&");
}

describe("a copy whose fetch could not be queued", () => {
	it("is failed with why (English and German on the desk), and citing the address again plans a new copy", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["claims:write"])).token;
		const url = `https://news.example/unqueued-${newId()}.html`;
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let claimId: string;
		try {
			const ctx = createExecutionContext();
			const response = await app.fetch(
				new Request(`${BASE}/api/v1/claims`, {
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify(claimBody(url)),
				}),
				{ ...env, SNAPSHOT_QUEUE: refusingQueue as unknown as Queue },
				ctx,
			);
			await waitOnExecutionContext(ctx);
			expect(response.status, await response.clone().text()).toBe(201);
			claimId = (await json<{ id: string }>(response)).id;
			// Said in the log, not swallowed.
			const lines = logged.mock.calls.map((call) => String(call[0]));
			expect(lines.some((line) => line.includes("snapshot-queue-failed"))).toBe(true);
		} finally {
			logged.mockRestore();
		}
		expect(await rowsOf(url)).toEqual([
			expect.objectContaining({ state: "failed", error: NOT_QUEUED, attempts: 0 }),
		]);
		const path = `/desk/claims/${claimId}`;
		const english = await deskText(editor, `${path}?lang=en`);
		expect(english).not.toContain("Archiving…");
		expect(english).toContain(NOT_QUEUED);
		const german = await deskText(editor, `${path}?lang=de`);
		expect(german).toContain("Der Abruf dieser Kopie konnte nicht in die Warteschlange gestellt werden");
		expect(german).not.toContain(NOT_QUEUED);

		// Cited again (the queue works now): a new copy is planned and queued at once.
		const again = await apiCall("POST", "/api/v1/claims", { token, body: claimBody(url) });
		expect(again.status, await again.clone().text()).toBe(201);
		const rows = await eventually(
			() => rowsOf(url),
			(found) => found.length === 2,
		);
		expect(rows.filter((row) => row.error === NOT_QUEUED)).toHaveLength(1);
	});
});

/** A queue that refuses its first batch and takes the others, keeping what it took. */
function refusingFirstQueue() {
	const sent: string[] = [];
	let batches = 0;
	return {
		sent,
		async send(): Promise<void> {},
		async sendBatch(messages: { body: { snapshotId: string } | { archiveOrgFor: string } }[]): Promise<void> {
			batches++;
			if (batches === 1) throw new Error("Queue claimtrack-snapshots is overloaded");
			for (const { body } of messages) if ("snapshotId" in body) sent.push(body.snapshotId);
		},
	};
}

async function statesOf(urls: readonly string[]): Promise<Map<string, Row & { url: string }>> {
	const rows = await env.DB.prepare(
		"SELECT s.id, s.url, s.state, s.error, s.attempts FROM snapshots s JOIN json_each(?) j ON j.value = s.url",
	)
		.bind(JSON.stringify(urls))
		.all<Row & { url: string }>();
	return new Map(rows.results.map((row) => [row.url, row]));
}

describe("an import citing more addresses than one queue batch holds", () => {
	it("fails a refused part of 100 copies as not queued and still sends the next part", {
		timeout: 120_000,
	}, async () => {
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["import"])).token;
		const run = newId();
		const urls = Array.from({ length: 150 }, (_, i) => `https://news.example/bulk-${run}-${i}.html`);
		const records = urls.map((url, i) => ({
			externalId: `bulk-${run}-${i}`,
			claim: { text: `Harbour ${i} of ${run} was never built.`, language: "en" },
			speaker: null,
			sources: [{ url, title: "Article" }],
			verdict: null,
		}));
		const queue = refusingFirstQueue();
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			const ctx = createExecutionContext();
			const response = await app.fetch(
				new Request(`${BASE}/api/v1/import`, {
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ records }),
				}),
				{ ...env, SNAPSHOT_QUEUE: queue as unknown as Queue },
				ctx,
			);
			await waitOnExecutionContext(ctx);
			expect(response.status, await response.clone().text()).toBe(200);
			expect((await json<{ summary: { created: number } }>(response)).summary.created).toBe(150);
			const lines = logged.mock.calls.map((call) => String(call[0]));
			expect(lines.filter((line) => line.includes("snapshot-queue-failed"))).toHaveLength(1);
		} finally {
			logged.mockRestore();
		}
		const rows = [...(await statesOf(urls)).values()];
		expect(rows).toHaveLength(150);
		// The refused part: failed with why, none left "Archiving…".
		const failed = rows.filter((row) => row.state === "failed");
		expect(failed).toHaveLength(100);
		expect(failed.every((row) => row.error === NOT_QUEUED && row.attempts === 0)).toBe(true);
		// The next part went to the queue, and its rows wait for the consumer.
		expect(queue.sent).toHaveLength(50);
		const pending = rows.filter((row) => row.state === "pending").map((row) => row.id);
		expect(new Set(pending)).toEqual(new Set(queue.sent));
	});

	it("still sends the next part when the refused part's failure cannot be recorded", {
		timeout: 60_000,
	}, async () => {
		const run = newId();
		const urls = Array.from({ length: 120 }, (_, i) => `https://news.example/unrecorded-${run}-${i}.html`);
		const db = testDb();
		// A database that plans copies but cannot write their failure (D1 overloaded at that moment).
		const failing = new Proxy(db, {
			get(target, key) {
				if (key === "update")
					return () => {
						throw new Error("D1_ERROR: overloaded");
					};
				const value = Reflect.get(target, key);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		const queue = refusingFirstQueue();
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await requestSnapshots(
				{ db: failing, queue, now: () => Date.now() },
				{ type: "claims.imported", claimIds: [], createdIds: [], urls, verdicts: [], speakerIds: [] },
			);
			const lines = logged.mock.calls.map((call) => String(call[0]));
			expect(lines.some((line) => line.includes("snapshot-unqueued-unrecorded"))).toBe(true);
		} finally {
			logged.mockRestore();
		}
		expect(queue.sent).toHaveLength(20);
	});
});

describe("the daily cron", () => {
	it("fails a copy left pending past the consumer's own schedule, and only such a one", {
		timeout: 60_000,
	}, async () => {
		const stranded = `https://news.example/stranded-${newId()}.html`;
		const recent = `https://news.example/recent-${newId()}.html`;
		const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
		for (const [url, at] of [
			[stranded, hoursAgo(4)],
			[recent, hoursAgo(0.5)],
		] as const) {
			await env.DB.prepare(
				"INSERT INTO snapshots (id, url, state, attempts, created_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)",
			)
				.bind(newId(), url, at, at)
				.run();
		}
		expect(await runDeskCron(DAILY_CRON)).toContainEqual({
			event: "snapshots-stranded",
			failed: expect.any(Number),
		});
		expect(await rowsOf(stranded)).toEqual([
			expect.objectContaining({ state: "failed", error: NOT_QUEUED, attempts: 0 }),
		]);
		// Still within the consumer's reach: left as it is.
		expect(await rowsOf(recent)).toEqual([expect.objectContaining({ state: "pending", error: null })]);

		// Its address is no longer blocked: a claim citing it plans a new copy.
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["claims:write"])).token;
		const response = await apiCall("POST", "/api/v1/claims", { token, body: claimBody(stranded) });
		expect(response.status, await response.clone().text()).toBe(201);
		await eventually(
			() => rowsOf(stranded),
			(found) => found.length === 2,
		);
	});
});
