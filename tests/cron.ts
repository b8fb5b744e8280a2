import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { vi } from "vitest";
import deskWorker from "../src/desk-worker";

/** The desk Worker's crons, as wrangler.desk.toml schedules them. */
export const DAILY_CRON = "47 3 * * *";
export const WEEKLY_CRON = "17 3 * * SUN";

/**
 * Runs one of the desk Worker's crons as Cloudflare does and returns the events it logged
 * (one JSON object per line), keeping them off the test's output.
 */
export async function runDeskCron(cron: string, bindings: Env = env): Promise<Record<string, unknown>[]> {
	const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
	try {
		await deskWorker.scheduled(createScheduledController({ cron }), bindings, createExecutionContext());
		return log.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
	} finally {
		log.mockRestore();
	}
}
