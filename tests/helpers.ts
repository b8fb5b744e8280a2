import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { claimTag } from "../src/domain/cache-tags";
import { newId } from "../src/domain/ids";
import { createDb } from "../src/factory";
import { publicCacheFor } from "../src/lib/public-cache";

export const BASE = "http://claimtrack.test";

export function testDb() {
	return createDb(env.DB);
}

export function call(path: string, init?: RequestInit): Promise<Response> {
	return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
	return (await response.json()) as T;
}

export async function rowCount(table: string): Promise<number> {
	const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
	return row?.n ?? 0;
}

/** What the commands layer does after a write to a claim, where Workers Caching is absent. */
export function purgeClaim(claimId: string): Promise<void> {
	return publicCacheFor(undefined).purge([claimTag(claimId)]);
}

/** Waits for background work (waitUntil, the pool's queue consumer) to reach a state. */
export async function eventually<T>(
	read: () => Promise<T>,
	done: (value: T) => boolean,
	ms = 20_000,
): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > until) return value;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * A made-up place name no other test's can be taken for: letters only (digits read as
 * numbers) and random from its first letter, since the claim matcher credits a shared
 * beginning of five letters as the same word (domain/claim-matching, `partialCredit`).
 * "Zeta" and six random characters made two tests' towns one word in 1 of 36 runs.
 */
export function uniquePlace(): string {
	let letters = "";
	while (letters.length < 8) letters += newId().replace(/\d/g, "");
	return `${letters.charAt(0).toUpperCase()}${letters.slice(1, 8)}`;
}
