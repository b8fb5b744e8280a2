import { and, desc, eq, inArray, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import {
	auditLog,
	claims,
	retiredClaims,
	speakerRedirects,
	speakers,
	type Webhook,
	type WebhookAttempt,
	type WebhookDelivery,
	webhookAttempts,
	webhookDeliveries,
	webhooks,
} from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { conflict, notFound } from "../lib/errors";
import { type Actor, audit, chunkForInsert, guardOneRow, runBatch, type Statement } from "./batch";
import type { Page } from "./public-claims";

/** Webhook subscriptions and their delivery log. Secrets never leave through `publicWebhook`. */

export type NewWebhook = Pick<Webhook, "id" | "url" | "events" | "description" | "secret">;

export async function insertWebhook(db: Db, actor: Actor, row: NewWebhook): Promise<Webhook> {
	await runBatch(db, [
		db.insert(webhooks).values({ ...row, createdBy: actor.userId }),
		audit(db, actor, "create", "webhook", row.id, { url: row.url, events: row.events }),
	]);
	return requireWebhook(db, row.id);
}

export async function getWebhook(db: Db, id: string): Promise<Webhook | undefined> {
	return db.query.webhooks.findFirst({ where: eq(webhooks.id, id) });
}

export async function requireWebhook(db: Db, id: string): Promise<Webhook> {
	const row = await getWebhook(db, id);
	if (!row) throw notFound("webhook");
	return row;
}

export function listWebhooks(db: Db): Promise<Webhook[]> {
	return db.select().from(webhooks).orderBy(desc(webhooks.createdAt));
}

export type WebhookChange = Partial<
	Pick<Webhook, "url" | "events" | "description" | "secret" | "previousSecret" | "previousSecretUntil">
> & { disabledAt?: string | null; disabledReason?: string | null; failingSince?: string | null };

/** Changes a subscription at the version last read (a stale version is a 409), audited. */
export async function updateWebhook(
	db: Db,
	actor: Actor,
	id: string,
	version: number | null,
	/** Or made from the row it applies to (the version the write is guarded by). */
	changeOf: WebhookChange | ((current: Webhook) => WebhookChange),
	action: string,
	/** Writes of the same act, after the change and only with it (`settleUnsubscribed`, `settleDisabled`). */
	alongside: Statement[] = [],
): Promise<Webhook> {
	const current = await requireWebhook(db, id);
	const change = typeof changeOf === "function" ? changeOf(current) : changeOf;
	const changedMeanwhile = (now: number) =>
		conflict("Someone else changed this webhook in the meantime.", "version-conflict", {
			current: { version: now },
		});
	if (version !== null && version !== current.version) throw changedMeanwhile(current.version);
	try {
		await runBatch(db, [
			db
				.update(webhooks)
				.set({ ...change, version: sql`${webhooks.version} + 1`, updatedAt: new Date().toISOString() })
				.where(and(eq(webhooks.id, id), eq(webhooks.version, current.version))),
			guardOneRow(db),
			audit(db, actor, action, "webhook", id, {
				...change,
				...(change.secret ? { secret: "(rotated)", previousSecret: undefined } : {}),
			}),
			...alongside,
		]);
	} catch (error) {
		// Changed between the read and the write (two rotations at once): a 409, not a broken rule.
		if (constraintFailure(error)?.kind !== "guard") throw error;
		throw changedMeanwhile((await requireWebhook(db, id)).version);
	}
	return requireWebhook(db, id);
}

/**
 * The delivery consumers' note that an endpoint is failing (since when) or has recovered
 * (null): the system's state, not an edit, so no version step (an admin's open form stays
 * valid, where a step answered it 409) and no guard (two consumers may note it at once;
 * a guard failing after a delivery's POST lost its attempt's record).
 */
export async function setWebhookFailing(
	db: Db,
	actor: Actor,
	id: string,
	failingSince: string | null,
): Promise<void> {
	await runBatch(db, [
		db
			.update(webhooks)
			.set({ failingSince })
			.where(
				and(
					eq(webhooks.id, id),
					failingSince === null ? isNotNull(webhooks.failingSince) : isNull(webhooks.failingSince),
				),
			),
		audit(db, actor, failingSince === null ? "recover" : "failing", "webhook", id, { failingSince }),
	]);
}

export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
	const current = await requireWebhook(db, id);
	await runBatch(db, [
		db
			.delete(webhookAttempts)
			.where(
				inArray(
					webhookAttempts.deliveryId,
					db
						.select({ id: webhookDeliveries.id })
						.from(webhookDeliveries)
						.where(eq(webhookDeliveries.webhookId, id)),
				),
			),
		db.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)),
		db.delete(webhooks).where(eq(webhooks.id, id)),
		audit(db, actor, "delete", "webhook", id, { url: current.url }),
	]);
}

/**
 * How far a subscription's `created_at` (D1's clock) may lie after an event's `occurredAt`
 * (the Worker's clock) and still be told of it: the two clocks are not one, and a subscription
 * made just before a write must not miss its event silently (no delivery row, nothing to
 * replay). So the error goes toward sending: a subscription made within these seconds after
 * an event may be told of it.
 */
const CLOCK_TOLERANCE_MS = 5_000;

/**
 * Enabled subscriptions of one event type that existed when the event happened
 * (`occurredAt`, the write's commit; CLOCK_TOLERANCE_MS): a fan-out runs from the queue,
 * seconds or, after D1 failures, hours later, and a subscription made meanwhile was not there
 * to be told. Both times are ISO strings of the same form, so they compare as text.
 */
export function subscribersOf(db: Db, eventType: string, occurredAt?: string): Promise<Webhook[]> {
	const happened = occurredAt === undefined ? Number.NaN : Date.parse(occurredAt);
	return db
		.select()
		.from(webhooks)
		.where(
			and(
				isNull(webhooks.disabledAt),
				sql`(' ' || ${webhooks.events} || ' ') LIKE ${`% ${eventType} %`}`,
				Number.isNaN(happened)
					? undefined
					: lte(webhooks.createdAt, new Date(happened + CLOCK_TOLERANCE_MS).toISOString()),
			),
		);
}

export type NewDelivery = Pick<WebhookDelivery, "id" | "webhookId" | "eventType" | "payload" | "timestamp">;

/** Records deliveries; `extra`: writes of the same act (an admin's test send is audited). */
export async function insertDeliveries(
	db: Db,
	rows: readonly NewDelivery[],
	extra: Statement[] = [],
): Promise<void> {
	if (rows.length === 0) return;
	const aboutSpeakers = rows.filter((row) => row.eventType.startsWith("speaker.")).map((row) => row.id);
	await runBatch(db, [
		// A fan-out run again after a failure makes the same ids: what is there stays as it is.
		...chunkForInsert(webhookDeliveries, rows).map((chunk) =>
			db.insert(webhookDeliveries).values(chunk).onConflictDoNothing(),
		),
		...(aboutSpeakers.length ? [forgetSpeakerGoneMeanwhile(db, aboutSpeakers)] : []),
		...extra,
	]);
}

/** The speaker a delivery's payload describes (`data.speaker.slug`), in SQL. */
const payloadSpeakerSlug = sql`json_extract(${webhookDeliveries.payload}, '$.data.speaker.slug')`;

/** The payload left of a delivery about a removed claim's lone speaker: its slug, nothing of its names. */
const forgottenSpeakerPayload = sql`json_set(${webhookDeliveries.payload}, '$.data', json_object('speaker', json_object('slug', ${payloadSpeakerSlug}), 'removed', json('true')))`;

/**
 * In the batch that records them: speaker deliveries whose speaker went after the fan-out
 * read it (a removal that committed meanwhile, whose `forgetLoneSpeakerDeliveries` could not
 * see them yet) are emptied and dead at once, as that removal would have left them. So a
 * speaker delivery not emptied when it is sent describes a speaker no removal took; one
 * gone later with a merged claim is left as it is, and not sent either (commands/webhooks
 * `currentPayload`: no claim names it, so it is public no more). Rarely a merge in that same
 * moment empties one too: the safe side. Only this batch's rows, not yet tried.
 */
function forgetSpeakerGoneMeanwhile(db: Db, ids: readonly string[]): Statement {
	return db
		.update(webhookDeliveries)
		.set({ payload: forgottenSpeakerPayload, state: "dead", nextAttemptAt: null })
		.where(
			and(
				sql`${webhookDeliveries.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
				eq(webhookDeliveries.state, "pending"),
				eq(webhookDeliveries.attempts, 0),
				sql`${payloadSpeakerSlug} IS NOT NULL`,
				sql`NOT EXISTS (SELECT 1 FROM ${speakers} WHERE ${speakers.slug} = ${payloadSpeakerSlug})`,
				sql`NOT EXISTS (SELECT 1 FROM ${speakerRedirects} WHERE ${speakerRedirects.slug} = ${payloadSpeakerSlug})`,
			),
		);
}

/**
 * Queues a delivery again from the first step of its schedule, audited: an admin sending
 * data to an outside address again is on record, like every other admin act. Its attempts
 * go on counting (the log numbers the replay's after those before it); only the schedule's
 * own count and start begin again. Returns the replay's id, for its queue message to carry:
 * a message without it (a retry queued before) is no longer this delivery's schedule.
 */
export async function resetDeliveryForReplay(
	db: Db,
	actor: Actor,
	delivery: WebhookDelivery,
): Promise<string> {
	const replayId = newId();
	await runBatch(db, [
		db
			.update(webhookDeliveries)
			// Due now, so it is not "stranded" (and replayable) at once.
			.set({
				state: "pending",
				nextAttemptAt: new Date().toISOString(),
				roundAttempts: 0,
				firstAttemptAt: null,
				replayId,
				// It held again, and its webhook receives it (the replay read it so): no longer "not sent".
				payload: sql`json_remove(${webhookDeliveries.payload}, '$.noLongerTrue', '$.unsubscribed')`,
			})
			.where(eq(webhookDeliveries.id, delivery.id)),
		audit(db, actor, "replay", "webhook", delivery.webhookId, {
			deliveryId: delivery.id,
			eventType: delivery.eventType,
		}),
	]);
	return replayId;
}

/**
 * A replay whose queue message could not be sent, undone: the delivery as it was read, so the
 * desk's next replay goes at once. Left pending with no message, every replay was refused as
 * "pending" for the hour until it counted as stranded. Only while no attempt has been made on
 * the replay's schedule (its id and the attempts as read); the audit row of the replay asked stays.
 * `extra`: writes of the same undoing (the request's Idempotency-Key freed).
 */
export async function undoReplay(
	db: Db,
	delivery: WebhookDelivery,
	replayId: string,
	extra: Statement[] = [],
): Promise<void> {
	const undo = db
		.update(webhookDeliveries)
		.set({
			state: delivery.state,
			nextAttemptAt: delivery.nextAttemptAt,
			roundAttempts: delivery.roundAttempts,
			firstAttemptAt: delivery.firstAttemptAt,
			replayId: delivery.replayId,
			payload: delivery.payload,
		})
		.where(
			and(
				eq(webhookDeliveries.id, delivery.id),
				eq(webhookDeliveries.replayId, replayId),
				eq(webhookDeliveries.attempts, delivery.attempts),
				// The reset left it pending; whatever moved it since (a claim's removal emptying its
				// payload, a disable, an unsubscribe) stands over the row as read.
				eq(webhookDeliveries.state, "pending"),
			),
		);
	await runBatch(db, [undo, ...extra]);
}

/**
 * A delivery whose first message was never sent (a test the queue refused): gone, while
 * nothing has touched it. Should the queue have taken the message after all, the consumer
 * finds no delivery and drops it. `extra`: writes of the same undoing (the request's
 * Idempotency-Key freed).
 */
export async function dropUnsentDelivery(db: Db, id: string, extra: Statement[] = []): Promise<void> {
	const drop = db
		.delete(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.id, id),
				eq(webhookDeliveries.state, "pending"),
				eq(webhookDeliveries.attempts, 0),
			),
		);
	await runBatch(db, [drop, ...extra]);
}

/** The claim a delivery's payload describes (`data.claim.id`), in SQL. */
const payloadClaimId = sql`json_extract(${webhookDeliveries.payload}, '$.data.claim.id')`;

/**
 * The payload left of a delivery about a removed claim: its type and time, the claim's id,
 * and nothing of its text (the claim may name a private individual).
 */
const forgottenPayload = sql`json_set(${webhookDeliveries.payload}, '$.data', json_object('claim', json_object('id', ${payloadClaimId}), 'removed', json('true')))`;

/** The claim and the ids merged into it (read before the removal's own `retired_claims` writes). */
const claimAndMerged = (claimId: string) =>
	sql`(SELECT ${claimId} UNION ALL SELECT ${retiredClaims.id} FROM ${retiredClaims} WHERE ${retiredClaims.mergedInto} = ${claimId})`;

/**
 * Since when a delivery can describe the claim or one merged into it: the earliest time one
 * of them was recorded. A merged claim's row is gone; when it was recorded is in the audit
 * row of its merge (`merged.createdAt`, on the claim it went into: this one, or another
 * merged into this one later). A merged id without such a row reads every delivery. By
 * `audit_log_entity_idx`; one value for the whole update, so the index range stays.
 */
function firstRecorded(claimId: string, since: string) {
	const mergedAt = sql`(SELECT min(audit.changes ->> '$.merged.createdAt') FROM ${auditLog} AS audit WHERE audit.entity = 'claim' AND audit.action = 'merge' AND audit.entity_id IN ${claimAndMerged(claimId)} AND audit.changes ->> '$.mergedFrom' = merged.id)`;
	return sql`(SELECT min(first) FROM (SELECT ${since} AS first UNION ALL SELECT coalesce(${mergedAt}, '') FROM ${retiredClaims} AS merged WHERE merged.merged_into = ${claimId}))`;
}

/**
 * For a removal's batch: the deliveries describing the claim or a claim merged into it
 * (`claim.created` of a duplicate recorded before it, say) lose its text, and those not
 * delivered yet die, so no retry and no replay sends it after `claim.removed` (a partner
 * would record it anew). `claim.removed` itself names no text and goes on. Before the
 * removal's own `retired_claims` writes: the merged ids are read by `merged_into`. Index
 * range: each subscription's deliveries since the first of them was recorded
 * (`webhook_deliveries_webhook_idx`); `since` is when the claim itself was.
 */
export function forgetClaimDeliveries(db: Db, claimId: string, since: string) {
	return db
		.update(webhookDeliveries)
		.set({
			payload: forgottenPayload,
			state: sql`CASE WHEN ${webhookDeliveries.state} = 'delivered' THEN 'delivered' ELSE 'dead' END`,
			nextAttemptAt: null,
		})
		.where(
			and(
				inArray(webhookDeliveries.webhookId, db.select({ id: webhooks.id }).from(webhooks)),
				sql`${webhookDeliveries.createdAt} >= ${firstRecorded(claimId, since)}`,
				sql`${webhookDeliveries.eventType} <> 'claim.removed'`,
				sql`${payloadClaimId} IN ${claimAndMerged(claimId)}`,
			),
		);
}

/**
 * For a removal's batch, after the claim's delete and before its lone speaker's: when no
 * claim names the speaker any more, the deliveries describing it (`speaker.updated`,
 * `speaker.merged`, by its slug or an old one) lose its name, aliases and description, and
 * those not delivered yet die, as the removed claim's own deliveries do: the claim may
 * have named a private individual. Index range: each subscription's deliveries since the
 * speaker was recorded.
 */
export function forgetLoneSpeakerDeliveries(db: Db, speakerId: string) {
	return db
		.update(webhookDeliveries)
		.set({
			payload: forgottenSpeakerPayload,
			state: sql`CASE WHEN ${webhookDeliveries.state} = 'delivered' THEN 'delivered' ELSE 'dead' END`,
			nextAttemptAt: null,
		})
		.where(
			and(
				inArray(webhookDeliveries.webhookId, db.select({ id: webhooks.id }).from(webhooks)),
				// Since it was recorded; a speaker merged into it has no row left to date its own
				// deliveries by, so with an old slug of its own every delivery is read (rare).
				sql`${webhookDeliveries.createdAt} >= CASE WHEN EXISTS (SELECT 1 FROM ${speakerRedirects} WHERE ${speakerRedirects.speakerId} = ${speakerId}) THEN '' ELSE (SELECT ${speakers.createdAt} FROM ${speakers} WHERE ${speakers.id} = ${speakerId}) END`,
				sql`NOT EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${speakerId})`,
				sql`${payloadSpeakerSlug} IN (SELECT ${speakers.slug} FROM ${speakers} WHERE ${speakers.id} = ${speakerId} UNION ALL SELECT ${speakerRedirects.slug} FROM ${speakerRedirects} WHERE ${speakerRedirects.speakerId} = ${speakerId})`,
			),
		);
}

/**
 * Whether a delivery describes a claim removed since it was written (or merged into one
 * removed later), or was emptied by a removal (`forgetClaimDeliveries`,
 * `forgetLoneSpeakerDeliveries`, `forgetSpeakerGoneMeanwhile`): it is then never sent, by a
 * retry or a replay. Read at each attempt, as a claim delivery written while the removal
 * committed escapes the batch. A speaker delivery not emptied whose speaker is gone since
 * (only with a merged claim: a removal empties it) and a merged claim's own deliveries are
 * not emptied here: commands/webhooks `currentPayload` reads them again (a gone speaker is
 * public no more; a `claim.merged` goes on about the claim kept now).
 */
export async function describesRemovedClaim(db: Db, delivery: WebhookDelivery): Promise<boolean> {
	if (delivery.eventType === "claim.removed") return false;
	let claimId: unknown;
	try {
		const data = (JSON.parse(delivery.payload) as { data?: { claim?: { id?: unknown }; removed?: unknown } })
			.data;
		if (data?.removed === true) return true;
		claimId = data?.claim?.id;
	} catch {
		return false;
	}
	if (typeof claimId !== "string") return false;
	const row = await db.query.retiredClaims.findFirst({ where: eq(retiredClaims.id, claimId) });
	return Boolean(row?.removedAt);
}

/**
 * A delivery about a removed claim: dead, and without the claim's text (one emptied already
 * stays as it is; a speaker's keeps the shape of one, its slug). A batch: a replay's only
 * write, guarded like any write of a token's request (store/tokens).
 */
export async function forgetDelivery(db: Db, id: string): Promise<void> {
	await runBatch(db, [
		db
			.update(webhookDeliveries)
			.set({
				payload: sql`CASE WHEN json_extract(${webhookDeliveries.payload}, '$.data.removed') = 1 THEN ${webhookDeliveries.payload} WHEN ${payloadSpeakerSlug} IS NOT NULL THEN ${forgottenSpeakerPayload} ELSE ${forgottenPayload} END`,
				state: "dead",
				nextAttemptAt: null,
			})
			.where(eq(webhookDeliveries.id, id)),
	]);
}

/**
 * The later deliveries of a delivery's webhook (`later`, after `this`, its row) that count as
 * given: delivered, or pending, still to be sent (its webhook receives the type: `events` is
 * the space-separated list `subscribersOf` reads; a pending row carries no not-sent mark,
 * `markNotSent` makes it dead). One failed (its webhook disabled, a 410) or dead (given up on
 * its schedule, unsubscribed even if subscribed again since, or no longer true itself) never
 * told the partner anything, and is sent only if replayed: the earlier one goes on as things
 * are now, rather than die on the word of an event never received.
 */
const givenLater = sql`JOIN ${webhooks} AS hook ON hook.id = later.webhook_id
	AND (later.state = 'delivered' OR (later.state = 'pending'
		AND instr(' ' || hook.events || ' ', ' ' || later.event_type || ' ') > 0))`;

/**
 * Whether a delivery's webhook was given, after it (a later row, `givenLater`), a delivery of
 * an event type about the same claim (`data.claim.id`): the later event that tells what became
 * of its subject. Not whether it receives that type now: one disabled meanwhile, or
 * subscribed since, never got it.
 */
export function laterDeliveryOf(db: Db, deliveryId: string, eventType: string): Promise<boolean> {
	return givenLaterWhere(
		db,
		deliveryId,
		sql`later.event_type = ${eventType}
			AND json_extract(later.payload, '$.data.claim.id') = json_extract(this.payload, '$.data.claim.id')`,
	);
}

/** Whether the delivery's webhook was given a later delivery (`givenLater`) that meets `condition`. */
async function givenLaterWhere(db: Db, deliveryId: string, condition: SQL): Promise<boolean> {
	const row = await db.get<{ n: number }>(
		sql`SELECT 1 AS n FROM ${webhookDeliveries} AS this JOIN ${webhookDeliveries} AS later
			ON later.webhook_id = this.webhook_id AND later.rowid > this.rowid ${givenLater}
			WHERE this.id = ${deliveryId} AND ${condition}
			LIMIT 1`,
	);
	return row !== undefined && row !== null;
}

/**
 * Whether a speaker delivery's webhook was given, after it (a later row, `givenLater`), the
 * event that says where its slug went: a rename's `speaker.updated` naming it in
 * `renamedFrom`, or a merge's `speaker.merged` naming it in `mergedFrom`. Not whether it
 * receives those now: one not subscribed to `speaker.merged`, or disabled at the rename,
 * never got it.
 */
export function laterSpeakerDeliveryOf(db: Db, deliveryId: string, slug: string): Promise<boolean> {
	return givenLaterWhere(
		db,
		deliveryId,
		sql`((later.event_type = 'speaker.updated' AND json_extract(later.payload, '$.data.renamedFrom.slug') = ${slug})
			OR (later.event_type = 'speaker.merged' AND json_extract(later.payload, '$.data.mergedFrom.slug') = ${slug}))`,
	);
}

/**
 * Whether a delivery's webhook was given, after it (a later row, `givenLater`), one that names
 * its claim as merged into another (`data.mergedFrom.id`): the merge's `claim.merged`, or an
 * event of the claim kept that says so. Not whether it receives `claim.merged` now: one not
 * subscribed to it, or disabled at the merge, never got it.
 */
export function laterMergeDeliveryOf(db: Db, deliveryId: string, claimId: string): Promise<boolean> {
	return givenLaterWhere(
		db,
		deliveryId,
		sql`json_extract(later.payload, '$.data.mergedFrom.id') = ${claimId}`,
	);
}

/** Set in the payload of a delivery dead without an attempt because its event no longer holds. */
const noLongerTrueMark = sql`json_extract(${webhookDeliveries.payload}, '$.noLongerTrue')`;
/** Set in the payload of a delivery dead unsent because its webhook no longer receives its event type. */
const unsubscribedMark = sql`json_extract(${webhookDeliveries.payload}, '$.unsubscribed')`;
/**
 * Set in the data of a delivery emptied by its claim's removal (`forgottenPayload`, and its lone
 * speaker's `forgottenSpeakerPayload`): never sent. `claim.removed` itself carries no such mark.
 */
const removedMark = sql`json_extract(${webhookDeliveries.payload}, '$.data.removed')`;

/**
 * Why a delivery was not sent: its event no longer holds (commands/webhooks `currentPayload`),
 * or its webhook no longer receives its event type (domain/webhook-retry `receivesEvent`).
 */
export type NotSentReason = "noLongerTrue" | "unsubscribed";

/** The payload marked with why it was not sent: one mark at a time (`markNotSent`). */
const notSentPayload = (why: NotSentReason) =>
	sql`json_set(json_remove(${webhookDeliveries.payload}, '$.noLongerTrue', '$.unsubscribed'), ${`$.${why}`}, json('true'))`;

/**
 * For the batch of an edit of a webhook's events, after its guarded update: its pending
 * deliveries of a type it no longer receives are dead, marked `unsubscribed` (`markNotSent`),
 * so the delivery log says "not sent: no longer subscribed" as the edit is saved, not at
 * their next attempt (up to 12 h later), pending until then though never to be sent. Read in
 * SQL from the webhook as the batch left it (a test event goes whatever the events), and only
 * pending ones: what an attempt records meanwhile (it was sent, or failed and is retried) stands,
 * and the consumer's own check kills the retry, as it does a delivery recorded by a fan-out that
 * read the subscribers before the edit. Through `webhook_deliveries_webhook_idx`.
 */
export function settleUnsubscribed(db: Db, webhookId: string): Statement {
	return db
		.update(webhookDeliveries)
		.set({ payload: notSentPayload("unsubscribed"), state: "dead", nextAttemptAt: null })
		.where(
			and(
				eq(webhookDeliveries.webhookId, webhookId),
				eq(webhookDeliveries.state, "pending"),
				sql`${webhookDeliveries.eventType} <> 'webhook.test'`,
				sql`NOT EXISTS (SELECT 1 FROM ${webhooks} AS hook WHERE hook.id = ${webhookId}
					AND instr(' ' || hook.events || ' ', ' ' || ${webhookDeliveries.eventType} || ' ') > 0)`,
			),
		);
}

/**
 * For the batch that disables a webhook (an admin, or the consumer after a 410 or three days
 * of failures), after its guarded update: its pending deliveries are `failed`, as the consumer
 * leaves each at its next attempt, since nothing is sent to a disabled webhook and enabling it
 * starts with the next event (failed ones are replayed by hand). Pending until then, the log
 * promised attempts that would not be made. Only while the batch left it disabled; an attempt
 * recorded meanwhile stands, as for `settleUnsubscribed`.
 */
export function settleDisabled(db: Db, webhookId: string): Statement {
	return db
		.update(webhookDeliveries)
		.set({ state: "failed", nextAttemptAt: null })
		.where(
			and(
				eq(webhookDeliveries.webhookId, webhookId),
				eq(webhookDeliveries.state, "pending"),
				sql`EXISTS (SELECT 1 FROM ${webhooks} AS hook WHERE hook.id = ${webhookId} AND hook.disabled_at IS NOT NULL)`,
			),
		);
}

/** A delivery as a consumer or a replay read it: what its later write is guarded by. */
export type DeliveryAsRead = Pick<WebhookDelivery, "id" | "state" | "attempts" | "nextAttemptAt">;

/**
 * In SQL: the delivery is still as `read` (its state, attempts and due time): another
 * consumer's attempt moves the count (or delivers it), a replay the due time (due now).
 */
function stillAsRead(read: DeliveryAsRead) {
	return and(
		eq(webhookDeliveries.id, read.id),
		eq(webhookDeliveries.state, read.state),
		eq(webhookDeliveries.attempts, read.attempts),
		read.nextAttemptAt === null
			? isNull(webhookDeliveries.nextAttemptAt)
			: eq(webhookDeliveries.nextAttemptAt, read.nextAttemptAt),
	);
}

/**
 * A delivery not sent, and why: dead, marked so in its payload (`noLongerTrue`,
 * `unsubscribed`; never sent, as each attempt sends its event read again, and gone once a
 * replay queues it again, `resetDeliveryForReplay`, or an attempt records what it sent) for
 * the log to say why ("not sent: no longer true", "not sent: no longer subscribed", or "not
 * sent again" after attempts). One mark at a time: the reason of its last try replaces any
 * earlier one (a webhook subscribed again whose replay found the event no longer true is not
 * shown "no longer subscribed"). Only one not delivered, whichever state
 * it is left in (a stranded pending one too), and only while it is as it was `read` (as
 * `setDeliveryState`): an admin who subscribed the webhook again and replayed it, or another
 * consumer's attempt, between the read and this write stands, where a "not delivered" guard
 * alone made a replayed delivery dead with its message queued (sending nothing). False then:
 * nothing was written. A batch: a replay's write before its 409, guarded like any write of a
 * token's request (store/tokens).
 */
export async function markNotSent(db: Db, read: DeliveryAsRead, why: NotSentReason): Promise<boolean> {
	const [updated] = await runBatch(db, [
		db
			.update(webhookDeliveries)
			.set({ payload: notSentPayload(why), state: "dead", nextAttemptAt: null })
			.where(and(stillAsRead(read), inArray(webhookDeliveries.state, ["pending", "failed", "dead"])))
			.returning({ id: webhookDeliveries.id }),
	]);
	return Array.isArray(updated) && updated.length > 0;
}

export function getDelivery(db: Db, id: string): Promise<WebhookDelivery | undefined> {
	return db.query.webhookDeliveries.findFirst({ where: eq(webhookDeliveries.id, id) });
}

export interface AttemptRecord {
	delivery: WebhookDelivery;
	/** Its number among all the delivery's attempts, replays' included (1 for the first). */
	attempt: number;
	/** Its number since the schedule began (the first send, or the last replay). */
	roundAttempt: number;
	firstAttemptAt: string;
	statusCode: number | null;
	durationMs: number;
	error: string | null;
	state: WebhookDelivery["state"];
	nextAttemptAt: string | null;
}

/**
 * One attempt in the log and the delivery's new state, with the payload it sent, in one batch. The attempt is written
 * only while its delivery exists (INSERT … SELECT from it): a subscription deleted during the
 * attempt took its deliveries with it, and an insert naming one would fail on its foreign
 * key. False then: nothing was written, the consumer acknowledges the message. Written only
 * on the schedule it was read on (its `replay_id`): an attempt under way while the desk replayed
 * the delivery (failed, enabled again, replayed, delivered by the replay's message) wrote its
 * late 500 over "delivered", and its retry, no longer the delivery's message, sent nothing.
 */
export async function recordAttempt(db: Db, record: AttemptRecord): Promise<boolean> {
	const sameSchedule = and(
		eq(webhookDeliveries.id, record.delivery.id),
		record.delivery.replayId === null
			? isNull(webhookDeliveries.replayId)
			: eq(webhookDeliveries.replayId, record.delivery.replayId),
	);
	const [, updated] = await runBatch(db, [
		db.insert(webhookAttempts).select(
			db
				.select({
					id: sql`${newId()}`.as("id"),
					deliveryId: webhookDeliveries.id,
					attempt: sql`${record.attempt}`.as("attempt"),
					statusCode: sql`${record.statusCode}`.as("status_code"),
					durationMs: sql`${record.durationMs}`.as("duration_ms"),
					error: sql`${record.error}`.as("error"),
					nextAttemptAt: sql`${record.nextAttemptAt}`.as("next_attempt_at"),
					createdAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.as("created_at"),
				})
				.from(webhookDeliveries)
				.where(sameSchedule),
		),
		db
			.update(webhookDeliveries)
			.set({
				// What the attempt sent (its event read again: commands/webhooks `currentPayload`),
				// unless a removal emptied the row meanwhile (`forgetClaimDeliveries`).
				payload: sql`CASE WHEN json_extract(${webhookDeliveries.payload}, '$.data.removed') = 1 THEN ${webhookDeliveries.payload} ELSE ${record.delivery.payload} END`,
				attempts: record.attempt,
				roundAttempts: record.roundAttempt,
				state: record.state,
				firstAttemptAt: record.firstAttemptAt,
				nextAttemptAt: record.nextAttemptAt,
			})
			.where(sameSchedule)
			.returning({ id: webhookDeliveries.id }),
	]);
	return Array.isArray(updated) && updated.length > 0;
}

/**
 * A delivery's new state (nothing more due), written only while the row is as it was read
 * (`read`: its state, attempts and due time): queues are at-least-once and the desk replays
 * at any time, so another consumer's attempt (delivered, or pending on) or a replay (pending
 * again, due now) between the read and this write stands. False when it changed meanwhile:
 * nothing was written.
 */
export async function setDeliveryState(
	db: Db,
	read: DeliveryAsRead,
	state: WebhookDelivery["state"],
): Promise<boolean> {
	const updated = await db
		.update(webhookDeliveries)
		.set({ state, nextAttemptAt: null })
		.where(stillAsRead(read))
		.returning({ id: webhookDeliveries.id });
	return updated.length > 0;
}

export interface DeliveryWithAttempts extends WebhookDelivery {
	attemptLog: WebhookAttempt[];
	/**
	 * Dead unsent because its event no longer holds (`markNotSent`), before an attempt or after
	 * some: "not sent" or "not sent again" (not given up on its schedule); a replay is still
	 * offered, its 409 deciding (it may hold again).
	 */
	noLongerTrue: boolean;
	/**
	 * Dead unsent because its webhook no longer receives its event type (`markNotSent`), before
	 * an attempt or after some: "not sent" or "not sent again".
	 */
	unsubscribed: boolean;
	/**
	 * Dead unsent because its claim was removed from the tracker (or its speaker went with it):
	 * its text taken out (`forgetClaimDeliveries`, `forgetDelivery`), it is never sent again.
	 */
	removed: boolean;
}

/** Deliveries of the log a page. */
const DELIVERIES_PER_PAGE = 50;

/**
 * A subscription's deliveries with every attempt, newest first, a page at a time (keyset
 * on created_at and rowid: the order of `webhook_deliveries_webhook_idx`), optionally of
 * one state (what is dead after an outage).
 */
export async function listDeliveries(
	db: Db,
	webhookId: string,
	options: { after?: Page; state?: WebhookDelivery["state"] } = {},
): Promise<{ rows: DeliveryWithAttempts[]; next: Page }> {
	const after = options.after?.kind === "keyset" ? options.after : null;
	const found = await db
		.select({
			delivery: webhookDeliveries,
			seq: sql<number>`${webhookDeliveries}.rowid`.mapWith(Number),
			noLongerTrue: sql<number>`coalesce(${noLongerTrueMark}, 0)`.mapWith(Number),
			unsubscribed: sql<number>`coalesce(${unsubscribedMark}, 0)`.mapWith(Number),
			removed: sql<number>`coalesce(${removedMark}, 0)`.mapWith(Number),
		})
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.webhookId, webhookId),
				options.state ? eq(webhookDeliveries.state, options.state) : undefined,
				after
					? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries}.rowid) < (${after.value}, ${after.seq})`
					: undefined,
			),
		)
		.orderBy(desc(webhookDeliveries.createdAt), desc(sql`${webhookDeliveries}.rowid`))
		.limit(DELIVERIES_PER_PAGE + 1);
	const page = found.slice(0, DELIVERIES_PER_PAGE);
	const last = page.at(-1);
	const next: Page =
		found.length > DELIVERIES_PER_PAGE && last
			? { kind: "keyset", value: last.delivery.createdAt, seq: last.seq }
			: null;
	if (page.length === 0) return { rows: [], next };
	const attempts = await db
		.select()
		.from(webhookAttempts)
		.where(
			inArray(
				webhookAttempts.deliveryId,
				page.map((r) => r.delivery.id),
			),
		)
		.orderBy(desc(webhookAttempts.createdAt));
	return {
		rows: page.map(({ delivery, noLongerTrue, unsubscribed, removed }) => ({
			...delivery,
			attemptLog: attempts.filter((a) => a.deliveryId === delivery.id),
			noLongerTrue: delivery.state === "dead" && noLongerTrue === 1,
			unsubscribed: delivery.state === "dead" && unsubscribed === 1,
			removed: delivery.state === "dead" && delivery.eventType !== "claim.removed" && removed === 1,
		})),
		next,
	};
}
