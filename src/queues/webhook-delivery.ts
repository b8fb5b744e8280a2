import type { CommandEvent } from "../commands/events";
import type { FanOutMessage } from "../commands/webhooks";
import type { Webhook, WebhookDelivery } from "../db/schema";
import { webhookHeaders } from "../domain/standard-webhooks";
import {
	ATTEMPT_TIMEOUT_MS,
	MAX_DELAY_SECONDS,
	nextRetryDelay,
	receivesEvent,
} from "../domain/webhook-retry";
import type { Db } from "../factory";
import { AppError } from "../lib/errors";
import { ArticleFetchError, checkOutboundUrl } from "../reader/safe-fetch";
import { SYSTEM } from "../store/batch";
import {
	describesRemovedClaim,
	forgetDelivery,
	getDelivery,
	getWebhook,
	markNotSent,
	recordAttempt,
	setDeliveryState,
	settleDisabled,
	setWebhookFailing,
	updateWebhook,
} from "../store/webhooks";

/**
 * The queue consumer that delivers webhooks. A message names a delivery (its id is the
 * `webhook-id`); each attempt is signed afresh (the timestamp is the attempt's, as
 * receivers refuse old ones), logged in D1, and either done (2xx), ended (410: the
 * endpoint is disabled), or retried on the Standard Webhooks schedule — `Retry-After`
 * honoured on 429/503. After three days of failures the delivery goes to the dead-letter
 * queue (replayable from the desk) and an endpoint failing that long is disabled.
 */

export interface DeliveryMessage {
	readonly body: unknown;
	ack(): void;
	retry(options?: { delaySeconds?: number }): void;
}

export interface DeliveryDeps {
	db: Db;
	fetch: typeof fetch;
	now: () => number;
	allowLoopback: boolean;
	deadLetters: { send(body: { deliveryId: string }): Promise<unknown> };
	/** Fans a committed event out to its subscribers (commands/webhooks `fanOut`). */
	fanOut?: (event: CommandEvent, eventId: string, occurredAt: string | undefined) => Promise<void>;
	/**
	 * The payload an attempt sends: its event as fanned out now (commands/webhooks
	 * `currentPayload`), null when that is no longer public; without it, the recorded one.
	 */
	currentPayload?: (delivery: WebhookDelivery) => Promise<string | null>;
}

/** After a failed fan-out (D1 down): again this much later; the queue's 30 retries cover hours. */
const FAN_OUT_RETRY_SECONDS = 60;
/** A delivery whose handling threw (not its receiver's answer, which the schedule times): again this much later. */
const FAILED_MESSAGE_RETRY_SECONDS = 60;
/**
 * Whether a message of a pending delivery is of an earlier schedule than the delivery's now: a
 * retry queued before its last replay. A delivery settled by an edit (disabled, its type
 * dropped) while its retry was queued, then replayed, has two messages, the old retry and the
 * replay's, which carries the replay's id (store/webhooks `resetDeliveryForReplay`; a retried
 * message keeps its body). The old one sends nothing and ends, however early or late it comes
 * (a retry of it would run a second schedule: duplicate POSTs, the steps faster); the
 * schedule's own message is never dropped, even when it comes before its due time (its
 * attempt's write made, then D1's error or the invocation's end before its retry).
 */
function ofEarlierSchedule(delivery: WebhookDelivery, body: unknown): boolean {
	const carried = (body as { replayId?: unknown } | null)?.replayId;
	return (typeof carried === "string" ? carried : null) !== delivery.replayId;
}

function fanOutOf(body: unknown): FanOutMessage["fanOut"] | null {
	const fan = (body as Partial<FanOutMessage> | null)?.fanOut;
	return fan && typeof fan.eventId === "string" && fan.event && typeof fan.event === "object" ? fan : null;
}

/** A committed event's fan-out, retried by the queue until D1 takes its deliveries. */
async function fanOutOne(deps: DeliveryDeps, message: DeliveryMessage, fan: FanOutMessage["fanOut"]) {
	if (!deps.fanOut) return message.ack();
	try {
		await deps.fanOut(fan.event, fan.eventId, fan.occurredAt);
		message.ack();
	} catch (error) {
		console.error(
			JSON.stringify({
				event: "webhook-fan-out-failed",
				type: fan.event.type,
				eventId: fan.eventId,
				error: String(error),
			}),
		);
		message.retry({ delaySeconds: FAN_OUT_RETRY_SECONDS });
	}
}

async function lastFanOut(fan: FanOutMessage["fanOut"], fanOut: DeliveryDeps["fanOut"]): Promise<void> {
	let error: unknown = "no fan-out in this consumer";
	if (fanOut) {
		try {
			return await fanOut(fan.event, fan.eventId, fan.occurredAt);
		} catch (failure) {
			error = failure;
		}
	}
	console.error(
		JSON.stringify({
			event: "webhook-event-lost",
			eventId: fan.eventId,
			occurredAt: fan.occurredAt ?? null,
			webhookEvent: fan.event,
			error: String(error),
		}),
	);
}

const ACTOR = SYSTEM("webhooks");

function deliveryIdOf(body: unknown): string | null {
	const id = (body as { deliveryId?: unknown } | null)?.deliveryId;
	return typeof id === "string" ? id : null;
}

function secretsOf(webhook: Webhook, now: number): string[] {
	const overlap =
		webhook.previousSecret && webhook.previousSecretUntil && Date.parse(webhook.previousSecretUntil) > now;
	return overlap && webhook.previousSecret ? [webhook.secret, webhook.previousSecret] : [webhook.secret];
}

interface Answer {
	status: number | null;
	retryAfter: string | null;
	error: string | null;
	durationMs: number;
}

async function attempt(deps: DeliveryDeps, webhook: Webhook, delivery: WebhookDelivery): Promise<Answer> {
	const started = deps.now();
	try {
		const url = checkOutboundUrl(webhook.url, deps.allowLoopback);
		const headers = await webhookHeaders(secretsOf(webhook, started), {
			id: delivery.id,
			timestamp: Math.floor(started / 1000),
			body: delivery.payload,
		});
		const response = await deps.fetch(url.href, {
			method: "POST",
			headers: { ...headers, "Content-Type": "application/json", "User-Agent": "Claimtrack-Webhooks/1.0" },
			body: delivery.payload,
			redirect: "manual",
			signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
		});
		await response.body?.cancel();
		const redirected = response.status >= 300 && response.status < 400;
		return {
			status: response.status,
			retryAfter: response.headers.get("Retry-After"),
			error: redirected ? "redirects are not followed" : null,
			durationMs: deps.now() - started,
		};
	} catch (error) {
		return { status: null, retryAfter: null, error: failureOf(error), durationMs: deps.now() - started };
	}
}

/** A fetch that threw (no such host, a refused or lost connection, TLS): the runtime's words say which. */
const UNREACHABLE = "the receiver could not be reached";

/**
 * Why an attempt got no answer, as a text of ours that the German desk translates
 * (views/desk/labels `fieldMessage`) and the API gives in English. A refused address keeps
 * the reader's own text; a fetch that threw is "the receiver could not be reached" before
 * the runtime's words ("Network connection lost."), which are English only.
 */
function failureOf(error: unknown): string {
	if (error instanceof ArticleFetchError) return error.message.slice(0, 500);
	if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
		return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
	const detail = String(error instanceof Error ? error.message : error).trim();
	return (detail ? `${UNREACHABLE}: ${detail}` : UNREACHABLE).slice(0, 500);
}

/** Reads and writes a consumer's disable makes while edits keep landing between the two. */
const DISABLE_TRIES = 3;

/**
 * Disables an endpoint (a 410, three days of failures), at the version read just before: an
 * admin's edit landing between the read and the write (the version guard's 409) is read again
 * and the disable written over it, not left to the message's retry (another POST a minute
 * later). A third conflict or another error throws: called before the attempt's end is
 * written, it leaves the delivery pending, and the retry's attempt disables it. One disabled
 * meanwhile (an admin's, another consumer's) or deleted is left as it is, its reason kept; one
 * given another address since too: the 410 was the old address's, and the new one is sent the
 * next events (the failed delivery by a replay).
 */
async function disable(deps: DeliveryDeps, webhook: Webhook, reason: string): Promise<void> {
	for (let tries = 1; ; tries++) {
		const current = await getWebhook(deps.db, webhook.id);
		if (!current || current.disabledAt !== null || current.url !== webhook.url) return;
		try {
			await updateWebhook(
				deps.db,
				ACTOR,
				webhook.id,
				current.version,
				{ disabledAt: new Date(deps.now()).toISOString(), disabledReason: reason },
				"disable",
				// Its other pending deliveries are failed now, not one by one at their next attempts.
				[settleDisabled(deps.db, webhook.id)],
			);
			return;
		} catch (error) {
			if (!(error instanceof AppError && error.code === "version-conflict") || tries >= DISABLE_TRIES)
				throw error;
		}
	}
}

/** Settles one message: the attempt, its log entry, and what happens next. */
async function deliverOne(deps: DeliveryDeps, message: DeliveryMessage): Promise<void> {
	const id = deliveryIdOf(message.body);
	const delivery = id ? await getDelivery(deps.db, id) : undefined;
	// A failed one is settled as a dead one is (its webhook disabled, `settleDisabled`): a retry
	// still queued sends nothing, even once it is enabled again; a replay makes it pending.
	if (delivery?.state !== "pending") return message.ack();
	if (ofEarlierSchedule(delivery, message.body)) {
		console.warn(
			JSON.stringify({
				event: "webhook-delivery-replayed-since",
				deliveryId: delivery.id,
				replayId: delivery.replayId,
			}),
		);
		return message.ack();
	}
	// Written while its claim was being removed: the text never leaves after `claim.removed`.
	if (await describesRemovedClaim(deps.db, delivery)) {
		await forgetDelivery(deps.db, delivery.id);
		return message.ack();
	}
	const webhook = await getWebhook(deps.db, delivery.webhookId);
	if (!webhook || webhook.disabledAt) {
		// Only as read: another message's attempt or a replay meanwhile stands.
		await setDeliveryState(deps.db, delivery, "failed");
		return message.ack();
	}
	// Its webhook dropped this event type since it was recorded (its events edited): the
	// partner unsubscribed, so it is not sent, by this retry or any replay; the log says why.
	if (!receivesEvent(webhook, delivery.eventType)) {
		console.warn(
			JSON.stringify({
				event: "webhook-delivery-unsubscribed",
				deliveryId: delivery.id,
				type: delivery.eventType,
			}),
		);
		// Only as read: a replay meanwhile (subscribed again) or another attempt stands.
		await markNotSent(deps.db, delivery, "unsubscribed");
		return message.ack();
	}
	// Read again at each attempt: a retry or a replay never sends what was public when it was
	// recorded and is not now. What is no longer public at all is not sent.
	const payload = deps.currentPayload ? await deps.currentPayload(delivery) : delivery.payload;
	if (payload === null) {
		// Dead without an attempt: the log says why (a replay is refused such a delivery).
		console.warn(
			JSON.stringify({
				event: "webhook-delivery-no-longer-true",
				deliveryId: delivery.id,
				type: delivery.eventType,
			}),
		);
		await markNotSent(deps.db, delivery, "noLongerTrue");
		return message.ack();
	}
	return attemptAndSettle(deps, message, webhook, { ...delivery, payload });
}

/** One attempt of a delivery (`payload`: what it sends, recorded with it), and what happens next. */
async function attemptAndSettle(
	deps: DeliveryDeps,
	message: DeliveryMessage,
	webhook: Webhook,
	delivery: WebhookDelivery,
): Promise<void> {
	const now = deps.now();
	const firstAttemptAt = delivery.firstAttemptAt ?? new Date(now).toISOString();
	// Numbered on across replays in the log; the schedule counts since its own start.
	const number = delivery.attempts + 1;
	const round = delivery.roundAttempts + 1;
	const answer = await attempt(deps, webhook, delivery);
	const log = {
		delivery,
		attempt: number,
		roundAttempt: round,
		firstAttemptAt,
		statusCode: answer.status,
		durationMs: answer.durationMs,
		error: answer.error,
	};
	if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
		// Deleted during the attempt (store/webhooks `recordAttempt`): nothing left to settle.
		if (!(await recordAttempt(deps.db, { ...log, state: "delivered", nextAttemptAt: null })))
			return message.ack();
		if (webhook.failingSince) await setWebhookFailing(deps.db, ACTOR, webhook.id, null);
		return message.ack();
	}
	if (answer.status === 410) {
		// Disabled before the attempt's end is written: a disable that throws (D1) leaves the
		// delivery pending, and the message's retry gets the 410 again. Written first, the
		// retry found it failed and ended, and the endpoint stayed enabled.
		await disable(deps, webhook, "The receiver answered 410 Gone.");
		await recordAttempt(deps.db, { ...log, state: "failed", nextAttemptAt: null });
		return message.ack();
	}
	const failingSince = webhook.failingSince ?? new Date(now).toISOString();
	if (!webhook.failingSince) await setWebhookFailing(deps.db, ACTOR, webhook.id, failingSince);
	const delay = nextRetryDelay({
		attempt: round,
		firstAttemptAt: Date.parse(firstAttemptAt),
		now,
		status: answer.status,
		retryAfter: answer.retryAfter,
	});
	if (delay === null) {
		// This delivery failed its whole schedule (its last try falls short of three days by
		// up to 12 h), and nothing succeeded since its first try: the endpoint has been down
		// all that time. (Requiring 72 h since the first failure let a quiet newsroom's dead
		// endpoint live on: its deliveries die at about 66 h.) Disabled before the delivery
		// is dead, as after a 410: a disable that throws leaves it pending for the retry.
		if (Date.parse(failingSince) <= Date.parse(firstAttemptAt)) {
			await disable(deps, webhook, "Every delivery failed for three days.");
		}
		if (!(await recordAttempt(deps.db, { ...log, state: "dead", nextAttemptAt: null }))) return message.ack();
		await deps.deadLetters.send({ deliveryId: delivery.id });
		return message.ack();
	}
	const nextAttemptAt = new Date(now + delay * 1000).toISOString();
	if (!(await recordAttempt(deps.db, { ...log, state: "pending", nextAttemptAt }))) return message.ack();
	message.retry({ delaySeconds: delay });
}

export async function deliverWebhooks(
	messages: readonly DeliveryMessage[],
	deps: DeliveryDeps,
): Promise<void> {
	for (const message of messages) {
		const fan = fanOutOf(message.body);
		if (fan) await fanOutOne(deps, message, fan);
		else {
			// One message failing (D1 down, a row changed under it) must not hold the rest of
			// the batch: it alone is retried, and the log says why.
			try {
				await deliverOne(deps, message);
			} catch (error) {
				console.error(
					JSON.stringify({
						event: "webhook-delivery-failed",
						deliveryId: deliveryIdOf(message.body),
						error: String(error),
					}),
				);
				message.retry({ delaySeconds: await retryAfterFailure(deps, message) });
			}
		}
	}
}

/**
 * When a message that threw is tried again: a minute later, or at its delivery's due time when
 * that is further off. An attempt's write that committed before D1's error set the next step's
 * due time, minutes or hours away: retried in a minute, the message attempted early, a
 * duplicate POST, and its schedule stepped on faster. Read again, as the error may have come
 * before any write; if that read fails too, a minute.
 */
async function retryAfterFailure(deps: DeliveryDeps, message: DeliveryMessage): Promise<number> {
	try {
		const id = deliveryIdOf(message.body);
		const delivery = id ? await getDelivery(deps.db, id) : undefined;
		if (delivery?.state !== "pending" || delivery.nextAttemptAt === null) return FAILED_MESSAGE_RETRY_SECONDS;
		const dueIn = Math.ceil((Date.parse(delivery.nextAttemptAt) - deps.now()) / 1000);
		return Math.min(Math.max(dueIn, FAILED_MESSAGE_RETRY_SECONDS), MAX_DELAY_SECONDS);
	} catch {
		return FAILED_MESSAGE_RETRY_SECONDS;
	}
}

/**
 * The dead-letter queue's consumer: whatever lands there is recorded as dead, for the desk
 * to replay; except what was delivered, and a delivery replayed since its message was
 * dead-lettered (pending again, no attempt yet, queued anew) or since its message was queued
 * (a message of an earlier schedule): marked dead, its replay's message would find it dead
 * and send nothing. Written only if the row is still as read
 * (store/webhooks `setDeliveryState`): a replay or an attempt between the two stands.
 *
 * An event whose fan-out ran out of retries (D1 down for half an hour) has no delivery row
 * to mark: it is fanned out once more here, and if that fails too it is logged whole as
 * `webhook-event-lost` (Workers Logs keeps it), never acknowledged without a trace.
 */
export async function recordDeadLetters(
	messages: readonly DeliveryMessage[],
	db: Db,
	fanOut?: DeliveryDeps["fanOut"],
): Promise<void> {
	for (const message of messages) {
		const fan = fanOutOf(message.body);
		if (fan) {
			await lastFanOut(fan, fanOut);
			message.ack();
			continue;
		}
		const id = deliveryIdOf(message.body);
		const delivery = id ? await getDelivery(db, id) : undefined;
		const replayed =
			delivery?.state === "pending" &&
			((delivery.roundAttempts === 0 && delivery.nextAttemptAt !== null) ||
				ofEarlierSchedule(delivery, message.body));
		// Only as read: one replayed or attempted (delivered, say) since the read stands.
		if (delivery && delivery.state !== "delivered" && !replayed) await setDeliveryState(db, delivery, "dead");
		message.ack();
	}
}
