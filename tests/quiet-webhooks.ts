import { env } from "cloudflare:test";
import { afterEach } from "vitest";

/*
 * Most test files share a runtime and its database (vitest.config.ts), and a webhook
 * subscription a test makes stayed enabled after it: every later test's writes then fanned
 * out deliveries to it (2,900 in one run, against 64 the webhook tests wait for), work in
 * the background that slowed every test after it, and made a test waiting for its own
 * delivery wait behind the queue (7.4 s for what takes 0.4 s alone). A test's
 * subscriptions end with the test.
 */
afterEach(async () => {
	await env.DB.prepare(
		"UPDATE webhooks SET disabled_at = ?, disabled_reason = 'the test that made it ended' WHERE disabled_at IS NULL",
	)
		.bind(new Date().toISOString())
		.run();
});
