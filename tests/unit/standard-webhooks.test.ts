import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newMessageId, newWebhookSecret, webhookHeaders } from "../../src/domain/standard-webhooks";
import { GIVE_UP_AFTER_SECONDS, nextRetryDelay, retryAfterSeconds } from "../../src/domain/webhook-retry";

/** Verifies as a receiver would, with the `standardwebhooks` package (not ours). */
function verify(secret: string, body: string, headers: Record<string, string>) {
	return new Webhook(secret).verify(body, headers);
}

describe("Standard Webhooks signatures", () => {
	it("verify with the standardwebhooks package", async () => {
		const secret = newWebhookSecret();
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		const body = JSON.stringify({ type: "verdict.published", data: { claim: { id: "x" } } });
		const headers = await webhookHeaders([secret], {
			id: newMessageId(),
			timestamp: Math.floor(Date.now() / 1000),
			body,
		});
		expect(verify(secret, body, headers)).toEqual(JSON.parse(body));
		expect(() => verify(newWebhookSecret(), body, headers)).toThrow();
		expect(() => verify(secret, `${body} `, headers)).toThrow();
	});

	it("after a rotation both the old and the new secret verify", async () => {
		const [old, current] = [newWebhookSecret(), newWebhookSecret()];
		const body = "{}";
		const headers = await webhookHeaders([current, old], {
			id: "msg_1",
			timestamp: Math.floor(Date.now() / 1000),
			body,
		});
		expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
		expect(verify(old, body, headers)).toEqual({});
		expect(verify(current, body, headers)).toEqual({});
	});

	it("a stale timestamp is refused by the receiver", async () => {
		const secret = newWebhookSecret();
		const headers = await webhookHeaders([secret], {
			id: "msg_2",
			timestamp: Math.floor(Date.now() / 1000) - 3600,
			body: "{}",
		});
		expect(() => verify(secret, "{}", headers)).toThrow();
	});
});

describe("retry schedule", () => {
	const start = Date.UTC(2026, 0, 1);
	it("follows the spec, then every 12 h, and gives up after three days", () => {
		let now = start;
		const delays: number[] = [];
		for (let attempt = 1; attempt < 30; attempt++) {
			const delay = nextRetryDelay({ attempt, firstAttemptAt: start, now, status: 500, retryAfter: null });
			if (delay === null) break;
			delays.push(delay);
			now += delay * 1000;
		}
		expect(delays.slice(0, 6)).toEqual([5, 300, 1800, 7200, 18000, 36000]);
		expect(new Set(delays.slice(6))).toEqual(new Set([43200]));
		expect((now - start) / 1000).toBeLessThanOrEqual(GIVE_UP_AFTER_SECONDS);
		expect((now - start) / 1000 + 43200).toBeGreaterThan(GIVE_UP_AFTER_SECONDS);
	});

	it("honours Retry-After on 429 and 503 only, capped at 12 h, never sooner than the schedule", () => {
		const base = { attempt: 1, firstAttemptAt: start, now: start };
		expect(nextRetryDelay({ ...base, status: 429, retryAfter: "120" })).toBe(120);
		expect(nextRetryDelay({ ...base, status: 503, retryAfter: new Date(start + 60_000).toUTCString() })).toBe(
			60,
		);
		// Asking for less than the schedule's wait gets the schedule's.
		expect(nextRetryDelay({ ...base, status: 429, retryAfter: "0" })).toBe(5);
		expect(nextRetryDelay({ ...base, attempt: 3, status: 503, retryAfter: "60" })).toBe(1800);
		expect(nextRetryDelay({ ...base, status: 503, retryAfter: new Date(start - 60_000).toUTCString() })).toBe(
			5,
		);
		expect(nextRetryDelay({ ...base, status: 500, retryAfter: "120" })).toBe(5);
		expect(nextRetryDelay({ ...base, status: 429, retryAfter: "999999" })).toBe(43200);
		expect(nextRetryDelay({ ...base, status: null, retryAfter: null })).toBe(5);
		expect(retryAfterSeconds("soon", start)).toBeNull();
	});
});
