import type { Webhook } from "../db/schema";
import type { DeliveryWithAttempts } from "../store/webhooks";

/** A subscription as the API shows it: never its secrets. */
export function webhookToJson(webhook: Webhook) {
	return {
		id: webhook.id,
		url: webhook.url,
		events: webhook.events.split(" "),
		description: webhook.description,
		enabled: webhook.disabledAt === null,
		disabledAt: webhook.disabledAt,
		disabledReason: webhook.disabledReason,
		previousSecretUntil: webhook.previousSecretUntil,
		createdAt: webhook.createdAt,
		version: webhook.version,
	};
}

export function deliveryToJson(delivery: DeliveryWithAttempts) {
	return {
		id: delivery.id,
		eventType: delivery.eventType,
		state: delivery.state,
		attempts: delivery.attempts,
		nextAttemptAt: delivery.nextAttemptAt,
		createdAt: delivery.createdAt,
		log: delivery.attemptLog.map((a) => ({
			attempt: a.attempt,
			at: a.createdAt,
			statusCode: a.statusCode,
			durationMs: a.durationMs,
			error: a.error,
			nextAttemptAt: a.nextAttemptAt,
		})),
	};
}
