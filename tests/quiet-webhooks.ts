import { env } from "cloudflare:test";
import { afterAll } from "vitest";

/*
 * Most test files share a runtime and its database (vitest.config.ts), and a webhook
 * subscription a file makes stays enabled after it: every later file's writes then fanned
 * out deliveries to it (2,900 in one run, against 64 the webhook tests wait for), work in
 * the background that slowed every file after it. A file's subscriptions end with the file.
 */
afterAll(async () => {
	await env.DB.prepare(
		"UPDATE webhooks SET disabled_at = ?, disabled_reason = 'the test file that made it ended' WHERE disabled_at IS NULL",
	)
		.bind(new Date().toISOString())
		.run();
});
