import path from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { DESK_CALLER_PROPS } from "../../src/lib/desk-caller";

/**
 * The two Workers' configuration files (README, "Two Workers"): the public Worker's
 * bindings are a subset of the desk Worker's — the generated `Env` type and the tests'
 * single Worker both rest on that — their variables are the same, and each names the
 * other in its service binding.
 */
const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => unstable_readConfig({ config: path.join(root, file) });
const publicWorker = read("wrangler.toml");
const deskWorker = read("wrangler.desk.toml");

describe("wrangler.toml and wrangler.desk.toml", () => {
	it("name each other and share compatibility, database and variables", () => {
		expect(publicWorker.name).toBe("claimtrack");
		expect(deskWorker.name).toBe("claimtrack-desk");
		expect(publicWorker.services).toEqual([{ binding: "DESK", service: "claimtrack-desk" }]);
		expect(deskWorker.services).toEqual([
			{ binding: "PUBLIC", service: "claimtrack", props: DESK_CALLER_PROPS },
		]);
		expect(deskWorker.compatibility_date).toBe(publicWorker.compatibility_date);
		expect(deskWorker.compatibility_flags).toEqual(publicWorker.compatibility_flags);
		expect(deskWorker.d1_databases).toEqual(publicWorker.d1_databases);
		expect(deskWorker.vars).toEqual(publicWorker.vars);
		// Shipped as UTC, the same as absent: a newsroom that merges an upgrade keeps its dates.
		expect(publicWorker.vars.NEWSROOM_TIME_ZONE).toBe("UTC");
		// What they log is kept (Workers Logs), not only shown to a live `wrangler tail`.
		expect(publicWorker.observability?.enabled).toBe(true);
		expect(deskWorker.observability?.enabled).toBe(true);
	});

	it("give the public Worker no binding the desk Worker lacks", () => {
		for (const bucket of publicWorker.r2_buckets) expect(deskWorker.r2_buckets).toContainEqual(bucket);
		for (const limiter of publicWorker.ratelimits) expect(deskWorker.ratelimits).toContainEqual(limiter);
		// The evidence archive's queue, where a failed purge goes to be made again.
		expect(publicWorker.queues.producers).toEqual([
			{ binding: "SNAPSHOT_QUEUE", queue: "claimtrack-snapshots" },
		]);
		for (const producer of publicWorker.queues.producers)
			expect(deskWorker.queues.producers).toContainEqual(producer);
		expect(publicWorker.queues.consumers ?? []).toEqual([]);
		expect(publicWorker.ai).toEqual(deskWorker.ai);
		expect(publicWorker.vectorize).toEqual(deskWorker.vectorize);
	});

	it("put Workers Caching in front of the public Worker only, and give the desk Worker no public route", () => {
		expect(publicWorker.cache?.enabled).toBe(true);
		expect(deskWorker.cache?.enabled ?? false).toBe(false);
		expect(deskWorker.workers_dev).toBe(false);
		// Explicit: left out, whether a version's Preview URL serves the desk follows the account.
		expect(deskWorker.preview_urls).toBe(false);
		expect(deskWorker.routes ?? []).toEqual([]);
	});

	it("run the daily search-terms refresh and the weekly compaction on the desk Worker, the one with a scheduled handler", () => {
		// src/desk-worker.ts compacts on the first, by its string.
		expect(deskWorker.triggers.crons).toEqual(["17 3 * * SUN", "47 3 * * *"]);
		expect(publicWorker.triggers.crons ?? []).toEqual([]);
	});
});
