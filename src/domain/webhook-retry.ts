/**
 * When to try a failed delivery again: the Standard Webhooks schedule (immediately, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h), then every 12 h (Queues' longest delay) until three
 * days after the first attempt. `Retry-After` on a 429 or 503 lengthens the schedule's
 * delay (capped at 12 h), never shortens it.
 */

const SCHEDULE_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600] as const;
/** Queues' longest delay, of a message sent or retried. */
export const MAX_DELAY_SECONDS = 12 * 3600;
export const GIVE_UP_AFTER_SECONDS = 3 * 24 * 3600;
/** A delivery attempt waits this long for an answer. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
	if (header === null) return null;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text);
	const at = Date.parse(text);
	return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface FailedAttempt {
	/** 1 for the first attempt. */
	attempt: number;
	/** When the first attempt was made (ms). */
	firstAttemptAt: number;
	now: number;
	/** The receiver's status, or null for a timeout or network error. */
	status: number | null;
	retryAfter: string | null;
}

/** Seconds until the next attempt, or null: no more attempts (the delivery is dead). */
export function nextRetryDelay(failed: FailedAttempt): number | null {
	const asked =
		failed.status === 429 || failed.status === 503 ? retryAfterSeconds(failed.retryAfter, failed.now) : null;
	const scheduled = SCHEDULE_SECONDS[failed.attempt - 1] ?? MAX_DELAY_SECONDS;
	// A receiver may ask for more time, never for less: `Retry-After: 0` retried at once,
	// and every explicit retry counts towards the queue's limit (a dead letter in minutes).
	const delay = Math.min(Math.max(asked ?? scheduled, scheduled), MAX_DELAY_SECONDS);
	const elapsed = (failed.now - failed.firstAttemptAt) / 1000;
	return elapsed + delay > GIVE_UP_AFTER_SECONDS ? null : delay;
}

/** A pending delivery this long past its due time has no queue message (a send that failed). */
const STRANDED_AFTER_MS = 60 * 60 * 1000;

/**
 * Whether a delivery may be sent again by hand: failed or dead ones, and one stranded as
 * pending an hour past its due time. Its rows are written before its queue message is
 * sent, and a failed send (or a request cut off) leaves it pending with nothing to deliver
 * it; Queues deliver within seconds of the due time.
 */
export function isReplayable(
	delivery: { state: string; nextAttemptAt: string | null; createdAt: string },
	now: number,
): boolean {
	if (delivery.state === "failed" || delivery.state === "dead") return true;
	const due = Date.parse(delivery.nextAttemptAt ?? delivery.createdAt);
	return delivery.state === "pending" && due + STRANDED_AFTER_MS < now;
}

/**
 * Whether a subscription receives a delivery's event type now: read at each attempt and
 * replay, so a partner that dropped a type (its events edited) is sent none of it any more,
 * not even what was recorded before. A test event goes whatever it subscribes to: an admin
 * sent it.
 */
export function receivesEvent(webhook: { events: string }, eventType: string): boolean {
	return eventType === "webhook.test" || webhook.events.split(" ").includes(eventType);
}
