import * as z from "zod";
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENTS } from "../db/schema";
import { DEAD_REASONS } from "../views/webhook-json";
import { optionalShortText, versionRead } from "./common";

/** Bodies and answers of `/api/v1/webhooks` (the desk's forms send the same fields). */

const events = z
	.array(z.enum(WEBHOOK_EVENTS))
	.min(1, "Choose at least one event.")
	.max(WEBHOOK_EVENTS.length, `Choose at most ${WEBHOOK_EVENTS.length} events.`)
	.transform((list) => [...new Set(list)])
	.describe(`Any of: ${WEBHOOK_EVENTS.join(", ")}.`);

const url = z
	.string()
	.trim()
	.min(1, "Give the address that receives the webhooks.")
	.max(2048, "The address is longer than 2,048 characters.")
	.describe("An https address on the public internet (checked like article addresses: no private hosts).");

export const webhookInput = z.object({ url, events, description: optionalShortText });
export type WebhookInput = z.infer<typeof webhookInput>;

export const webhookPatch = z.strictObject({
	version: versionRead,
	url: url.optional(),
	events: events.optional(),
	description: optionalShortText.optional(),
	enabled: z
		.boolean()
		.optional()
		.describe(
			"false stops deliveries (those pending are `failed` at once: replay them once enabled); true starts them again, from the next event, after a disable.",
		),
});
export type WebhookPatch = z.infer<typeof webhookPatch>;

export const webhookJson = z.object({
	id: z.string(),
	url: z.string(),
	events: z.array(z.string()),
	description: z.string().nullable(),
	enabled: z.boolean(),
	disabledAt: z.string().nullable(),
	disabledReason: z.string().nullable(),
	previousSecretUntil: z
		.string()
		.nullable()
		.describe("Until then the secret before the last rotation also signs."),
	createdAt: z.string(),
	version: z.number(),
});

export const webhookWithSecretJson = webhookJson.extend({
	secret: z.string().describe("`whsec_` + base64 of 32 bytes. Shown in this answer only: store it now."),
});

export const deliveryJson = z.object({
	id: z.string().describe("The `webhook-id` header of every attempt."),
	eventType: z.string(),
	state: z.enum(WEBHOOK_DELIVERY_STATES),
	attempts: z
		.number()
		.describe(
			"Every attempt made, replays' included. A replay starts the retry schedule again and numbers its attempts on.",
		),
	nextAttemptAt: z.string().nullable(),
	createdAt: z.string(),
	reason: z
		.enum(DEAD_REASONS)
		.nullable()
		.describe(
			'Why a `dead` delivery ended, in the words of the desk\'s delivery log (English): "given up" (any other dead one: its retry schedule ran out, or its queue message ran out of retries; `log` has each attempt\'s answer), "not sent: no longer true" (its event no longer holds: see `POST /api/v1/webhooks`), "not sent: no longer subscribed" (its event type was dropped from the webhook\'s `events`), "not sent: claim removed" (it describes a claim removed from the tracker since, or the speaker that went with it: its text taken out, it is never sent; a replay answers 409 `claim-removed`), or "not sent again: …" for any of these once attempted before. Null for a delivery that is not `dead`.',
		),
	log: z.array(
		z.object({
			attempt: z
				.number()
				.describe("Its number among the delivery's attempts (1 for the first), counted on across replays."),
			at: z.string(),
			statusCode: z.number().nullable(),
			durationMs: z.number(),
			error: z.string().nullable(),
			nextAttemptAt: z.string().nullable(),
		}),
	),
});
