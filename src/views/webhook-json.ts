import type { Webhook } from "../db/schema";
import type { DeliveryWithAttempts } from "../store/webhooks";
import { t } from "./desk/desk-i18n";

/**
 * Why a dead delivery ended, as the desk's log tells it (its message keys, in this order):
 * given up on its schedule, or not sent (again, once attempted) because its event no longer
 * holds or its webhook no longer receives its type (store/webhooks `markNotSent`), or because
 * its claim was removed from the tracker (its text taken out).
 */
const DEAD_REASON_KEYS = [
	"deskDeliveryDead",
	"deskDeliveryNoLongerTrue",
	"deskDeliveryNoLongerTrueAgain",
	"deskDeliveryUnsubscribed",
	"deskDeliveryUnsubscribedAgain",
	"deskDeliveryClaimRemoved",
	"deskDeliveryClaimRemovedAgain",
] as const;

export type DeadReasonKey = (typeof DEAD_REASON_KEYS)[number];

/** The reasons in the API's words: the English desk's, so a token reads what an admin sees. */
export const DEAD_REASONS = DEAD_REASON_KEYS.map((key) => t("en", key));

/** Why a delivery is dead (`DEAD_REASON_KEYS`); null for one that is not. */
export function deadReasonKey(
	delivery: Pick<DeliveryWithAttempts, "state" | "attempts" | "noLongerTrue" | "unsubscribed" | "removed">,
): DeadReasonKey | null {
	if (delivery.state !== "dead") return null;
	// First: a removal empties a delivery for good, whatever mark an earlier try left on it;
	// nothing the receiver did ended it ("given up" said so).
	if (delivery.removed)
		return delivery.attempts === 0 ? "deskDeliveryClaimRemoved" : "deskDeliveryClaimRemovedAgain";
	// Stopped, not given up: attempted before, it is not sent again.
	if (delivery.noLongerTrue)
		return delivery.attempts === 0 ? "deskDeliveryNoLongerTrue" : "deskDeliveryNoLongerTrueAgain";
	if (delivery.unsubscribed)
		return delivery.attempts === 0 ? "deskDeliveryUnsubscribed" : "deskDeliveryUnsubscribedAgain";
	return "deskDeliveryDead";
}

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
	const reason = deadReasonKey(delivery);
	return {
		id: delivery.id,
		eventType: delivery.eventType,
		state: delivery.state,
		attempts: delivery.attempts,
		nextAttemptAt: delivery.nextAttemptAt,
		createdAt: delivery.createdAt,
		reason: reason ? t("en", reason) : null,
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
