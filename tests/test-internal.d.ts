/** The test pool's internal module: awaits the `ctx.waitUntil` work of every request so far (tests/own-database.ts). */
declare module "cloudflare:test-internal" {
	export function waitForGlobalWaitUntil(): Promise<void>;
}
