import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import deskWorker from "../../src/desk-worker";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_NOT_QUEUED } from "../../src/domain/snapshots";
import { account, apiCall, apiToken, deskGet } from "../desk/helpers";
import { BASE, eventually, json } from "../helpers";

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
		const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
		try {
			await deskWorker.scheduled(
				createScheduledController({ cron: "47 3 * * *" }),
				env,
				createExecutionContext(),
			);
			const events = log.mock.calls.map((call) => JSON.parse(String(call[0])) as { event: string });
			expect(events).toContainEqual({ event: "snapshots-stranded", failed: expect.any(Number) });
		} finally {
			log.mockRestore();
		}
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
