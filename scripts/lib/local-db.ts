import { spawnSync } from "node:child_process";
import path from "node:path";
import { getPlatformProxy } from "wrangler";
import { createDb, type Db } from "../../src/factory";

process.env.WRANGLER_SEND_METRICS ??= "false";
// Offline by design: no fetch of the Request.cf placeholder from Cloudflare at start.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

/** Where `wrangler dev` keeps local state by default, and these scripts read it. */
export const LOCAL_STATE = path.resolve(import.meta.dirname, "../../.wrangler/state");

/** Applies migrations to the local D1 the way production does: through wrangler. */
export function applyLocalMigrations(): void {
	const result = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
		stdio: ["ignore", "inherit", "inherit"],
		env: { ...process.env, CI: "true" },
	});
	if (result.status !== 0) throw new Error("wrangler d1 migrations apply failed");
}

/** The local D1 of `wrangler dev` (.wrangler/state), opened through Miniflare. */
export function withLocalDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
	return withLocalBindings(({ db }) => work(db));
}

/** The local D1 and the local evidence archive (R2) of `wrangler dev`. */
export async function withLocalBindings<T>(
	work: (bindings: { db: Db; archive: R2Bucket }) => Promise<T>,
): Promise<T> {
	const proxy = await getPlatformProxy<{ DB: D1Database; ARCHIVE: R2Bucket }>({
		configPath: "wrangler.toml",
		persist: true,
	});
	try {
		return await work({ db: createDb(proxy.env.DB), archive: proxy.env.ARCHIVE });
	} finally {
		await proxy.dispose();
	}
}
