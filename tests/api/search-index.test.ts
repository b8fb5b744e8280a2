import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import deskWorker from "../../src/desk-worker";
import { newId } from "../../src/domain/ids";
import { runDeskCron, WEEKLY_CRON } from "../cron";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/** The Sunday cron; what it logged last. */
async function runWeeklyCron(): Promise<Record<string, unknown> | undefined> {
	return (await runDeskCron(WEEKLY_CRON)).at(-1);
}

/** Every block of the index, by id, with its bytes' length: equal lists mean nothing was rewritten. */
async function indexBlocks(): Promise<{ id: number; size: number }[]> {
	const { results } = await env.DB.prepare(
		"SELECT id, length(block) AS size FROM claims_fts_data ORDER BY id",
	).all<{ id: number; size: number }>();
	return results;
}

async function found(query: string): Promise<string[]> {
	const page = await json<{ data: { id: string }[] }>(await call(`/api/v1/claims?${query}`));
	return page.data.map((claim) => claim.id);
}

describe("the desk Worker's crons", () => {
	it("compact the index on Sunday even when the search-terms refresh before it fails", async () => {
		// D1 refuses the refresh's read of stale terms, and only that.
		const db = new Proxy(env.DB, {
			get(target, key) {
				if (key !== "prepare") return Reflect.get(target, key);
				return (query: string) => {
					if (query.includes("substr(")) throw new Error("D1 busy");
					return target.prepare(query);
				};
			},
		});
		const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await expect(
				deskWorker.scheduled(
					createScheduledController({ cron: "17 3 * * SUN" }),
					{ ...env, DB: db },
					createExecutionContext(),
				),
			).rejects.toThrow("a scheduled job failed");
			expect(JSON.parse(String(error.mock.calls[0]?.[0]))).toMatchObject({
				event: "search-terms-refreshed-failed",
				error: expect.stringContaining("D1 busy"),
			});
			expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({
				event: "search-index-compacted",
			});
		} finally {
			log.mockRestore();
			error.mockRestore();
		}
	});
});

describe("the weekly search-index compaction (desk Worker's cron)", () => {
	it("merges the index into fewer blocks, answers every search the same, and rewrites nothing when run again", async () => {
		const word = `verdichtet${newId().slice(-6)}`;
		// Each claim is its own write, so its own segment; publishing rewrites the claim's
		// row in the index (its verdict's words join the stems), leaving deletions behind.
		for (let i = 0; i < 6; i++) {
			const claim = await makeClaim({ text: `Der Hafen ${word} wurde ${i} Mal geöffnet.` });
			if (i % 2 === 0) await publish(claim.id, "false", { headline: `Nein, ${word} stimmt nicht` });
		}
		const searches = [`q=${word}&sort=relevance`, `q=${word}`, `q=${word}%20Hafen&sort=relevance`];
		const before = await Promise.all(searches.map(found));
		expect(before[0]).toHaveLength(6);
		const blocksBefore = (await indexBlocks()).length;

		const logged = await runWeeklyCron();

		const compacted = await indexBlocks();
		expect(compacted.length).toBeLessThan(blocksBefore);
		expect(logged).toMatchObject({
			event: "search-index-compacted",
			blocksBefore,
			blocksAfter: compacted.length,
		});
		// At least one step merged; the last found nothing left to merge.
		expect(logged?.steps).toBeGreaterThanOrEqual(2);
		// FTS5's own check of the index against the claims' text: throws if they disagree.
		await env.DB.prepare("INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)").run();
		expect(await Promise.all(searches.map(found))).toEqual(before);

		expect(await runWeeklyCron()).toMatchObject({ steps: 1, blocksAfter: compacted.length });
		expect(await indexBlocks()).toEqual(compacted);
	}, 60_000);
});
