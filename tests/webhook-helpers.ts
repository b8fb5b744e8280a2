import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { CommandEvent } from "../src/commands/events";
import { fanOut, type WebhookOutbox } from "../src/commands/webhooks";
import { newId } from "../src/domain/ids";
import { house } from "../src/lib/publisher";
import type { ClaimDetail } from "../src/store/claims";
import { account, apiCall, apiToken } from "./desk/helpers";
import { BASE, json, testDb } from "./helpers";

/*
 * What the tests of recorded webhook deliveries share: an outbox that records deliveries
 * without queueing them (the test fans events out and reads them back itself, so the pool's
 * consumer never races it), a subscription made through the API, and its delivery rows.
 */

/** The outbox `fanOut` and `currentPayload` take, as the desk Worker's (no queue messages). */
export function testOutbox(reviewedOnly = false): WebhookOutbox {
	return {
		db: testDb(),
		queue: { send: async () => undefined, sendBatch: async () => undefined },
		origin: BASE,
		house: house(env, BASE),
		publicClaim: (d: ClaimDetail | undefined) => d ?? null,
		reviewedOnly,
	};
}

export const outbox = testOutbox();

/** An event fanned out now through `box` (its deliveries recorded, nothing queued). */
export function fanOutNow(event: CommandEvent, box: WebhookOutbox = outbox): Promise<void> {
	return fanOut(box, event, newId(), new Date().toISOString());
}

/**
 * A subscription to `events`, made by an admin through the API; its id. Its receiver answers
 * as the path says (vitest.config `serveFixture`): `down` with 500, so deliveries stay
 * pending, retried on their schedule; `ok` with 204.
 */
export async function hook(events: string[], answer: "down" | "ok" = "down"): Promise<string> {
	const admin = await account("admin");
	const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
	const created = await apiCall("POST", "/api/v1/webhooks", {
		token,
		body: { url: `https://hooks.example/${answer}/${newId()}`, events },
	});
	expect(created.status, await created.clone().text()).toBe(201);
	return (await json<{ id: string }>(created)).id;
}

export interface DeliveryRow {
	id: string;
	payload: string;
	state: string;
	attempts: number;
}

/** A subscription's deliveries, oldest first. */
export const rowsOf = async (webhookId: string) =>
	(
		await env.DB.prepare(
			"SELECT id, payload, state, attempts FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at, rowid",
		)
			.bind(webhookId)
			.all<DeliveryRow>()
	).results;
