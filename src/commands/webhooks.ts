import type { Webhook, WebhookDelivery, WebhookEventType } from "../db/schema";
import { newId, sha256Hex } from "../domain/ids";
import type { House } from "../domain/review-attribution";
import { foldName } from "../domain/speaker-matching";
import { newMessageId, newWebhookSecret } from "../domain/standard-webhooks";
import { isReplayable, receivesEvent } from "../domain/webhook-retry";
import type { Db } from "../factory";
import { AppError, conflict, notFound } from "../lib/errors";
import { ArticleFetchError, checkOutboundUrl } from "../reader/safe-fetch";
import type { WebhookInput, WebhookPatch } from "../schemas/webhooks";
import { audit, type Statement } from "../store/batch";
import { type ClaimDetail, getClaims } from "../store/claims";
import { freeingMarkedKey, unmarked } from "../store/idempotency";
import { speakerScorecard } from "../store/public-claims";
import { claimFate } from "../store/retired-claims";
import {
	mergedSpeakerWasPublic,
	nameMergedUnder,
	speakerRedirect,
	tookSlugSince,
} from "../store/speaker-edits";
import { getSpeaker, getSpeakerBySlug, type SpeakerWithAliases } from "../store/speakers";
import {
	describesRemovedClaim,
	dropUnsentDelivery,
	forgetDelivery,
	getDelivery,
	insertDeliveries,
	insertWebhook,
	laterDeliveryOf,
	laterMergeDeliveryOf,
	laterSpeakerDeliveryOf,
	markNotSent,
	type NewDelivery,
	requireWebhook,
	resetDeliveryForReplay,
	settleDisabled,
	settleUnsubscribed,
	deleteWebhook as storeDelete,
	subscribersOf,
	undoReplay,
	updateWebhook,
} from "../store/webhooks";
import { claimDetailToJson } from "../views/json";
import { publicAliases, speakerToJson } from "../views/speaker-json";
import { fitEventData, fitSpeakerData } from "../views/webhook-payload";
import type { CommandContext } from "./context";
import type { CommandEvent } from "./events";

/** Deliveries written (and queued) together by one fan-out step. */
const DELIVERIES_PER_WRITE = 100;

/** A rotated secret keeps signing beside the new one this long (the spec allows several signatures). */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
/** Payloads stay under this size, in UTF-8 bytes: a longer claim or speaker is cut (views/webhook-payload). */
const MAX_PAYLOAD_BYTES = 20_000;

/**
 * A committed event to fan out to its subscribers, by the webhook queue's consumer.
 * `occurredAt`: when the write committed, the payload's `timestamp` however late the
 * fan-out runs (absent from messages queued before it existed).
 */
export interface FanOutMessage {
	fanOut: { eventId: string; event: CommandEvent; occurredAt?: string };
}

export interface WebhookQueue {
	/** `replayId`: a replay's message carries its id (store/webhooks `resetDeliveryForReplay`). */
	send(body: { deliveryId: string; replayId?: string } | FanOutMessage): Promise<unknown>;
	sendBatch(messages: { body: { deliveryId: string } }[]): Promise<unknown>;
}

/** The stored address's limit (`webhooks_url_check`); the schema's, as typed. */
const MAX_URL_LENGTH = 2048;

function urlProblem(message: string): AppError {
	return new AppError(422, `url: ${message}`, { errors: [{ path: "url", message }] });
}

function checkedUrl(url: string, allowLoopback: boolean): string {
	let href: string;
	try {
		href = checkOutboundUrl(url, allowLoopback).href;
	} catch (error) {
		if (!(error instanceof ArticleFetchError)) throw error;
		throw urlProblem(error.message);
	}
	// Written out, a non-ASCII character is %XX per byte: an address typed within the schema's
	// 2,048 characters can be stored longer, which the table refuses as a bare constraint.
	if (href.length > MAX_URL_LENGTH) throw urlProblem("The address is longer than 2,048 characters.");
	return href;
}

/** A new subscription; its secret is in this answer only. */
/** `id`: the subscription's, made before the write (an Idempotency-Key's answer names it). */
export async function createWebhook(
	ctx: CommandContext,
	input: WebhookInput,
	allowLoopback: boolean,
	id: string = newId(),
) {
	const secret = newWebhookSecret();
	const webhook = await insertWebhook(ctx.db, ctx.actor, {
		id,
		url: checkedUrl(input.url, allowLoopback),
		events: input.events.join(" "),
		description: input.description ?? null,
		secret,
	});
	return { webhook, secret };
}

export async function editWebhook(
	ctx: CommandContext,
	id: string,
	patch: WebhookPatch,
	allowLoopback: boolean,
) {
	const { version, enabled, events, url, description } = patch;
	return updateWebhook(
		ctx.db,
		ctx.actor,
		id,
		version,
		(current) => ({
			...(url !== undefined ? { url: checkedUrl(url, allowLoopback) } : {}),
			...(events !== undefined ? { events: events.join(" ") } : {}),
			...(description !== undefined ? { description } : {}),
			// Only a disabled one is enabled afresh: `enabled: true` sent back as read must not
			// restart a failing endpoint's three days (`failingSince`) before it is disabled.
			...(enabled === true && current.disabledAt !== null
				? { disabledAt: null, disabledReason: null, failingSince: null }
				: {}),
			// Nor does a disabled one sent back as read lose why it stopped (a 410, say).
			...(enabled === false && current.disabledAt === null
				? { disabledAt: new Date().toISOString(), disabledReason: "disabled by an admin" }
				: {}),
		}),
		"edit",
		// The delivery log is true as the edit is saved: what will not be sent is not shown pending.
		[
			...(events !== undefined ? [settleUnsubscribed(ctx.db, id)] : []),
			...(enabled === false ? [settleDisabled(ctx.db, id)] : []),
		],
	);
}

export function removeWebhook(ctx: CommandContext, id: string): Promise<void> {
	return storeDelete(ctx.db, ctx.actor, id);
}

/**
 * A new secret; the old one signs too for 24 hours, so receivers can switch without a gap.
 * A rotation within those hours keeps the secret from before them signing to their end and
 * drops the one it replaces: a delivery carries two signatures (the consumer's, the current
 * and one previous), and the secret receivers are known to hold is the one from before. A
 * secret replaced within its day was likely never handed out (an answer lost, a request
 * sent again) or is replaced for leaking; dropping the first instead cut every receiver
 * still on it off at once.
 */
export async function rotateWebhookSecret(ctx: CommandContext, id: string) {
	const current = await requireWebhook(ctx.db, id);
	const secret = newWebhookSecret();
	const overlapping =
		current.previousSecret !== null &&
		current.previousSecretUntil !== null &&
		Date.parse(current.previousSecretUntil) > Date.now();
	const webhook = await updateWebhook(
		ctx.db,
		ctx.actor,
		id,
		current.version,
		overlapping
			? { secret }
			: {
					secret,
					previousSecret: current.secret,
					previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString(),
				},
		"rotate-secret",
	);
	return { webhook, secret };
}

async function enqueue(
	db: Db,
	queue: WebhookQueue,
	rows: NewDelivery[],
	extra: Statement[] = [],
): Promise<void> {
	await insertDeliveries(db, rows, extra);
	for (let i = 0; i < rows.length; i += 100) {
		await queue.sendBatch(rows.slice(i, i + 100).map((row) => ({ body: { deliveryId: row.id } })));
	}
}

/**
 * A delivery of one event to one subscriber. Fanned out by the queue's consumer, which
 * may run again after a failure: the id is made from the event's, so a second run writes
 * no second delivery (the row is there; its message may be sent twice, and receivers
 * deduplicate on the `webhook-id`, as the spec asks).
 */
async function delivery(
	webhookId: string,
	type: string,
	data: unknown,
	from: { eventId: string; target: string; occurredAt?: string | undefined } | null,
): Promise<NewDelivery> {
	// Standard Webhooks: the payload's timestamp is when the event happened, not when it is sent.
	const timestamp = from?.occurredAt ? new Date(from.occurredAt) : new Date();
	return {
		id: from
			? `msg_${(await sha256Hex(`${from.eventId}\n${webhookId}\n${type}\n${from.target}`)).slice(0, 32)}`
			: newMessageId(),
		webhookId,
		eventType: type,
		payload: JSON.stringify({ type, timestamp: timestamp.toISOString(), data }),
		timestamp: Math.floor(timestamp.getTime() / 1000),
	};
}

/**
 * A disabled subscription is sent nothing: the consumer would mark the delivery failed
 * without trying, after a "sent" answer (a 409, until an admin enables it).
 */
function refuseDisabled(webhook: Webhook): void {
	if (webhook.disabledAt === null) return;
	throw conflict(
		"This webhook is disabled, so nothing is sent to it: enable it first, then send again.",
		"webhook-disabled",
	);
}

/** A `webhook.test` event to one subscription, delivered like any other. */
export async function testWebhook(ctx: CommandContext, id: string, queue: WebhookQueue): Promise<string> {
	const webhook = await requireWebhook(ctx.db, id);
	refuseDisabled(webhook);
	const row = await delivery(
		webhook.id,
		"webhook.test",
		{ message: "A test delivery from Claimtrack." },
		null,
	);
	await insertDeliveries(
		ctx.db,
		[row],
		[audit(ctx.db, ctx.actor, "test", "webhook", webhook.id, { deliveryId: row.id })],
	);
	try {
		await queue.send({ deliveryId: row.id });
	} catch (error) {
		// A test the admin cannot see go would stay "pending" in the log for the hour until it
		// counts as stranded, one more with each try: it goes; the audit row of the test asked stays.
		// Dropped with the key this write marked: a repeat of the form sends the test then.
		await dropUnsentDelivery(ctx.db, row.id, freeingMarkedKey(ctx.db));
		throw notQueued("webhook-test-queue-failed", row.id, error, TEST_NOT_QUEUED);
	}
	return row.id;
}

const TEST_NOT_QUEUED =
	"The test delivery could not be queued just now: nothing was sent. Try again shortly.";

/**
 * A replay that found a delivery not to send, while another replay (its webhook subscribed
 * again, say) or an attempt changed it: that one stands, and this one changed nothing.
 */
function deliveryChangedMeanwhile(): AppError {
	return conflict(
		"This delivery was replayed or attempted in the meantime: nothing was changed. The log shows it as it is now.",
		"not-replayable",
	);
}

/**
 * Sends a dead (or failed) delivery again, with the same `webhook-id`, from the first
 * step of the schedule; also one stranded as pending an hour past its due time. Not one
 * whose event, read again, would not be sent (`currentPayload`), nor one of an event type its
 * webhook no longer receives: it would die unseen.
 */
export async function replayDelivery(ctx: CommandContext, deliveryId: string, outbox: WebhookOutbox) {
	const row = await getDelivery(ctx.db, deliveryId);
	if (!row) throw notFound("delivery");
	if (!isReplayable(row, Date.now())) {
		throw conflict(
			`This delivery is ${row.state}; only failed, dead or stranded ones are replayed.`,
			"not-replayable",
		);
	}
	// The refusals' own writes carry no Idempotency-Key mark: they are not the replay asked
	// for, and a repeat must be refused again, never answered "replayed" (store/idempotency).
	if (await describesRemovedClaim(ctx.db, row)) {
		await unmarked(ctx.db, () => forgetDelivery(ctx.db, row.id));
		throw conflict(
			"This delivery describes a claim removed from the tracker, or the speaker that went with it: it is never sent again (subscribers were told `claim.removed`).",
			"claim-removed",
		);
	}
	const webhook = await requireWebhook(ctx.db, row.webhookId);
	// Its partner unsubscribed from the event type since: dead now, as for one no longer true.
	if (!receivesEvent(webhook, row.eventType)) {
		if (!(await unmarked(ctx.db, () => markNotSent(ctx.db, row, "unsubscribed"))))
			throw deliveryChangedMeanwhile();
		throw conflict(
			"This webhook no longer receives this delivery's event type (its events were changed since): it is not sent, and its state is now dead.",
			"unsubscribed",
		);
	}
	if ((await currentPayload(outbox, row)) === null) {
		// Dead now, whatever it was (a stranded pending one stayed pending for ever); the
		// desk's log says why of one never attempted.
		if (!(await unmarked(ctx.db, () => markNotSent(ctx.db, row, "noLongerTrue"))))
			throw deliveryChangedMeanwhile();
		throw conflict(
			"This delivery's event no longer holds (its claim or speaker is not public any more; or its claim was merged, its speaker renamed or merged, its verdict retracted or corrected, or its appearance removed, and this webhook was sent the event that says so since): it is not sent, and its state is now dead.",
			"no-longer-true",
		);
	}
	refuseDisabled(webhook);
	const replayId = await resetDeliveryForReplay(ctx.db, ctx.actor, row);
	try {
		await outbox.queue.send({ deliveryId: row.id, replayId });
	} catch (error) {
		// Undone with the key this write marked: a repeat of the form replays it then.
		await undoReplay(ctx.db, row, replayId, freeingMarkedKey(ctx.db));
		throw notQueued("webhook-replay-queue-failed", row.id, error, REPLAY_NOT_QUEUED);
	}
	return row;
}

/**
 * A replay or test whose queue message could not be sent (the queue down or over its limits),
 * once it is undone: a platform part out for a moment, so a 503 the admin may send again, not
 * a 500 that says the fault is ours for good. Logged: the client hears only "try again".
 */
function notQueued(event: string, deliveryId: string, error: unknown, message: string): AppError {
	console.error(JSON.stringify({ event, deliveryId, error: String(error) }));
	return new AppError(503, message, { code: "queue-unavailable", headers: { "Retry-After": "5" } });
}

const REPLAY_NOT_QUEUED =
	"The delivery could not be queued just now: nothing was changed. Try again shortly.";

/* ---------- events → deliveries ---------- */

type WebhookTarget =
	| {
			type: WebhookEventType;
			claimId: string;
			verdictId?: string;
			/**
			 * `claim.merged`, or an event of a claim merged since told about the claim kept
			 * (`mergedClaimNow`): the merged claim's id, whose address now leads to this one.
			 */
			mergedFromId?: string;
			/** `appearance.added`: the appearance added, sent beside the claim (`data.appearance`). */
			appearanceId?: string;
	  }
	/** `claim.removed`: the claim is gone, so the payload is its id, address and removal time. */
	| { type: "claim.removed"; removedId: string; removedAt: string }
	| {
			type: "speaker.updated" | "speaker.merged";
			speakerId: string;
			/** The merged speaker: its old slug, and its name while the speaker kept carries it (`mergedAsCarried`). */
			mergedFrom?: { slug: string; name?: string };
			/** `speaker.updated` of a rename that moved the slug: the old one. */
			renamedFrom?: { slug: string };
	  };

/**
 * The webhook events of a command event. Drafts send none; nor does the bulk of an import
 * (its new claims and linked appearances), but a verdict it published on a claim recorded
 * before does: a partner told "False" must hear of the correction; so does a known speaker
 * it gave a new spelling (`speaker.updated`, as an edit adding it). A speaker's edit or
 * merge is one event about the speaker, not one per claim it renames (partners have the
 * speaker event to follow); a topic has no event of its own, so its English rename is a
 * `claim.updated` per claim.
 */
function webhookEventsOf(event: CommandEvent): WebhookTarget[] {
	switch (event.type) {
		case "claim.created":
		case "claim.updated":
			return [{ type: event.type, claimId: event.claimId }];
		case "appearance.added":
			return [{ type: event.type, claimId: event.claimId, appearanceId: event.appearanceId }];
		case "verdict.published":
			return [
				{
					type: event.correction ? "verdict.corrected" : "verdict.published",
					claimId: event.claimId,
					verdictId: event.verdictId,
				},
			];
		case "verdict.retracted":
			return [{ type: "verdict.retracted", claimId: event.claimId, verdictId: event.verdictId }];
		// A known speaker given a new spelling changed as an edit changes it (a new alias and
		// version in its JSON): partners following `speaker.updated` hear of it.
		case "claims.imported":
			return [
				...event.verdicts.map((v) => ({
					type: v.correction ? ("verdict.corrected" as const) : ("verdict.published" as const),
					claimId: v.claimId,
					verdictId: v.verdictId,
				})),
				...(event.aliasedSpeakerIds ?? []).map((speakerId) => ({
					type: "speaker.updated" as const,
					speakerId,
				})),
			];
		case "claim.merged":
			return [{ type: "claim.merged", claimId: event.claimId, mergedFromId: event.mergedFromId }];
		// One per id that answers 410 now: a partner holding a duplicate merged into the claim
		// (its `claim.created`, with `claim.merged` missed or never subscribed) drops it too.
		case "claim.removed":
			return [event.claimId, ...(event.mergedIds ?? [])].map((removedId) => ({
				type: "claim.removed",
				removedId,
				removedAt: event.removedAt,
			}));
		case "speaker.updated":
			return [
				{
					type: "speaker.updated",
					speakerId: event.speakerId,
					...(event.renamedFrom ? { renamedFrom: event.renamedFrom } : {}),
				},
			];
		case "speaker.merged":
			return [{ type: "speaker.merged", speakerId: event.intoId, mergedFrom: event.from }];
		// An attachment made public or internal: the claim JSON lists it, or no longer does.
		case "attachment.changed":
			return [{ type: "claim.updated", claimId: event.claimId }];
		// The topic's new name is in the JSON of each claim carrying it (there is no topic
		// event): one claim.updated each, fanned out 500 claims a message (`fanOutParts`). That
		// JSON is English: a German name alone changes none of it (the pages are purged still).
		case "tag.renamed":
			if (event.names && !event.names.includes("nameEn")) return [];
			return event.claimIds.map((claimId) => ({ type: "claim.updated", claimId }));
		default:
			return [];
	}
}

export interface WebhookOutbox {
	db: Db;
	queue: WebhookQueue;
	origin: string;
	/** Our organisation and hosts, for whose check each verdict is (domain/review-attribution). */
	house: House;
	/** The public claim, or null when it is not public (PUBLIC_UNREVIEWED = "hide"). */
	publicClaim: (detail: ClaimDetail | undefined) => ClaimDetail | null;
	/** PUBLIC_UNREVIEWED = "hide": a speaker known only from unreviewed claims is not public. */
	reviewedOnly: boolean;
}

/** What `{type, timestamp, data}` adds around the data. */
const ENVELOPE_BYTES = 100;

type ClaimTarget = Extract<WebhookTarget, { claimId: string }>;

/**
 * The payload's data: the public claim JSON, the verdict the event is about, the appearance
 * added (a long claim's list, cut to fit, may not reach it: its newest come last), and the
 * merged claim's address; cut to fit the payload limit (views/webhook-payload).
 */
function eventData(outbox: WebhookOutbox, detail: ClaimDetail, target: ClaimTarget) {
	const claim = claimDetailToJson(outbox.origin, detail, "en", outbox.house);
	const verdict = target.verdictId ? claim.history.find((entry) => entry.id === target.verdictId) : undefined;
	// Gone by the fan-out (removed at once): no longer public, so not sent.
	const appearance = target.appearanceId
		? claim.appearances.find((entry) => entry.id === target.appearanceId)
		: undefined;
	return fitEventData(
		{
			claim,
			...(verdict ? { verdict } : {}),
			...(appearance ? { appearance } : {}),
			// Hidden unreviewed work: the duplicate was never public, nor may its address be.
			...(target.mergedFromId && !outbox.reviewedOnly
				? { mergedFrom: mergedFrom(outbox, target.mergedFromId) }
				: {}),
		},
		MAX_PAYLOAD_BYTES - ENVELOPE_BYTES,
	);
}

/**
 * The speaker as the public API shows it, and where its claims are, cut to fit the payload
 * limit (views/webhook-payload); null when it is not public.
 */
async function speakerData(outbox: WebhookOutbox, target: Extract<WebhookTarget, { speakerId: string }>) {
	const speaker = await getSpeaker(outbox.db, target.speakerId);
	if (!speaker) return null;
	// Public while a public claim names them, in both settings (store/public-claims
	// `speakerHasPublicClaim`): a speaker no claim names any more is told to no partner.
	const scorecard = await speakerScorecard(outbox.db, speaker.id, { reviewedOnly: outbox.reviewedOnly });
	if (scorecard.claims === 0) return null;
	// Hidden unreviewed work: a merged speaker no reviewed claim named was never public, nor may
	// its name and address be (as a merged claim's `mergedFrom`); nor the old address of a
	// speaker renamed before a reviewed claim named it (its redirect's `was_public`, the same).
	const wasPublic = async (from: { slug: string } | undefined) =>
		from !== undefined && (!outbox.reviewedOnly || (await mergedSpeakerWasPublic(outbox.db, from.slug)));
	const merged =
		target.mergedFrom && (await wasPublic(target.mergedFrom))
			? mergedAsCarried(target.mergedFrom, speaker, outbox.reviewedOnly)
			: undefined;
	const renamed = (await wasPublic(target.renamedFrom)) ? target.renamedFrom : undefined;
	return fitSpeakerData(
		{
			speaker: speakerToJson(outbox.origin, speaker, { reviewedOnly: outbox.reviewedOnly }),
			claims: `${outbox.origin}/api/v1/claims?speaker=${speaker.slug}`,
			...(merged ? { mergedFrom: merged } : {}),
			...(renamed ? { renamedFrom: { slug: renamed.slug } } : {}),
		},
		MAX_PAYLOAD_BYTES - ENVELOPE_BYTES,
	);
}

/**
 * A merged speaker as a speaker event names it: with its name only while the speaker kept
 * still carries that name among those the public sees (its name or aliases, folded as
 * spellings are matched, `foldName`; under hide the public ones): one an admin dropped since
 * (a private person wrongly named) is no longer public, so it leaves with no event recorded
 * before; the old slug alone still tells a partner which speaker it was.
 */
function mergedAsCarried(
	from: { slug: string; name?: string },
	speaker: SpeakerWithAliases,
	reviewedOnly: boolean,
): { slug: string; name?: string } {
	if (from.name === undefined) return { slug: from.slug };
	const key = foldName(from.name);
	const shown = [speaker.name, ...publicAliases(speaker, reviewedOnly)];
	return shown.some((name) => foldName(name) === key)
		? { slug: from.slug, name: from.name }
		: { slug: from.slug };
}

/** A target's payload data as the public sees it now; null when it is not public. */
async function targetData(
	outbox: WebhookOutbox,
	target: WebhookTarget,
	details: ReadonlyMap<string, ClaimDetail>,
): Promise<unknown> {
	if ("speakerId" in target) return speakerData(outbox, target);
	if ("removedId" in target) return removedData(outbox, target);
	const detail = outbox.publicClaim(details.get(target.claimId));
	return detail ? eventData(outbox, detail, target) : null;
}

function targetId(target: WebhookTarget): string {
	if ("speakerId" in target) return target.speakerId;
	return "removedId" in target ? target.removedId : target.claimId;
}

const mergedFrom = (outbox: WebhookOutbox, id: string) => ({ id, url: `${outbox.origin}/claims/${id}` });

/**
 * A removed claim's id, address (410 from now on) and removal time: nothing of its text, as
 * it may name a private individual. Only a claim that was public is told about: with
 * unreviewed claims hidden, a removed claim (never reviewed) was never sent as created.
 */
function removedData(outbox: WebhookOutbox, target: Extract<WebhookTarget, { removedId: string }>) {
	if (outbox.reviewedOnly) return null;
	return {
		claim: {
			id: target.removedId,
			url: `${outbox.origin}/claims/${target.removedId}`,
			removedAt: target.removedAt,
		},
	};
}

/** The events whose payload is a claim's (`data.claim`, with `verdict`, `appearance` or `mergedFrom`). */
const CLAIM_EVENTS = new Set<string>([
	"claim.created",
	"claim.updated",
	"claim.merged",
	"verdict.published",
	"verdict.corrected",
	"verdict.retracted",
	"appearance.added",
]);

/** What a recorded payload names of its event: the ids `currentPayload` reads again. */
interface StoredPayload {
	type: string;
	timestamp: string;
	data?: {
		claim?: { id?: unknown };
		verdict?: { id?: unknown };
		appearance?: { id?: unknown };
		mergedFrom?: { id?: unknown; slug?: unknown; name?: unknown };
		renamedFrom?: { slug?: unknown };
		speaker?: { slug?: unknown };
	} | null;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The event a recorded payload is of, to read again: "as-stored" when there is nothing to
 * read (a test event, a removal's ids, an old shape), null when its speaker is gone (with a
 * merged claim; a speaker made after the event, or renamed since, that took the slug is
 * another). A speaker whose slug moved since (renamed or merged) is followed to where it
 * leads now: a rename's own event (`renamedFrom`) and a merge's (`speaker.merged`) go on
 * naming what they named; any other `speaker.updated` as `movedSpeaker` says.
 */
async function storedTarget(
	db: Db,
	deliveryId: string,
	type: string,
	{ data, timestamp: at }: StoredPayload,
): Promise<WebhookTarget | "as-stored" | null> {
	if (type === "speaker.updated" || type === "speaker.merged") {
		const slug = text(data?.speaker?.slug);
		if (slug === undefined) return "as-stored";
		const renamedFrom = text(data?.renamedFrom?.slug);
		// A speaker made after the event that took the slug, or renamed onto it since (the one
		// holding it then gone with a merged claim), is not the one it was about.
		let speaker = await getSpeakerBySlug(db, slug);
		if (speaker && (speaker.createdAt > at || (await tookSlugSince(db, speaker.id, slug, at, renamedFrom))))
			speaker = undefined;
		if (!speaker) {
			const moved = await speakerRedirect(db, slug);
			// Gone with a merged claim: no claim names it, so it is not public (the claim's
			// `claim.merged` says where it went). Renamed or merged since: a rename's own event
			// goes to where its slug leads now, still naming the slug it moved from (renamed
			// twice, a partner still holds the first), and so does a merge's, still naming the
			// speaker merged (a partner holding only that one learns where it went).
			if (moved === null) return null;
			speaker = await getSpeakerBySlug(db, moved);
			if (!speaker) return null;
			if (renamedFrom === undefined && type !== "speaker.merged")
				return movedSpeaker(db, deliveryId, slug, speaker.id);
		}
		// Its name may have been left out (dropped from the speaker kept): the slug still goes.
		const from = { slug: text(data?.mergedFrom?.slug), name: text(data?.mergedFrom?.name) };
		return {
			type,
			speakerId: speaker.id,
			...(from.slug !== undefined
				? { mergedFrom: from.name !== undefined ? { slug: from.slug, name: from.name } : { slug: from.slug } }
				: {}),
			...(renamedFrom !== undefined ? { renamedFrom: { slug: renamedFrom } } : {}),
		};
	}
	const claimId = text(data?.claim?.id);
	if (!CLAIM_EVENTS.has(type) || claimId === undefined) return "as-stored";
	const verdictId = text(data?.verdict?.id);
	const appearanceId = text(data?.appearance?.id);
	const mergedFromId = text(data?.mergedFrom?.id);
	return {
		type: type as WebhookEventType,
		claimId,
		...(verdictId !== undefined ? { verdictId } : {}),
		...(appearanceId !== undefined ? { appearanceId } : {}),
		...(mergedFromId !== undefined ? { mergedFromId } : {}),
	};
}

/**
 * A `speaker.updated` whose speaker's slug moved since it was recorded: dead (null) for a
 * webhook given, after it, the event that says where the slug went (the rename's
 * `speaker.updated`, the merge's `speaker.merged`: store/webhooks `laterSpeakerDeliveryOf`);
 * else about the speaker the slug leads to now, naming the slug it was about, as those events
 * do: `mergedFrom` with the name it was merged under, or `renamedFrom`. So a webhook not
 * receiving `speaker.merged` (or disabled at the rename) still learns where the speaker went.
 */
async function movedSpeaker(
	db: Db,
	deliveryId: string,
	slug: string,
	speakerId: string,
): Promise<WebhookTarget | null> {
	if (await laterSpeakerDeliveryOf(db, deliveryId, slug)) return null;
	const name = await nameMergedUnder(db, slug, speakerId);
	return {
		type: "speaker.updated",
		speakerId,
		...(name !== null ? { mergedFrom: { slug, name } } : { renamedFrom: { slug } }),
	};
}

/**
 * A claim event's claim as it is now, and the event as it is still told: null (not sent)
 * when it no longer holds and the same webhook was given, after it, the later event that
 * tells what became of it (store/webhooks `laterDeliveryOf`; not merely subscribed to it now:
 * one disabled meanwhile, or subscribed since, never got it), so a partner never loses what
 * it needs to converge:
 * - its claim merged since: as `mergedClaimNow` says;
 * - a `verdict.published`/`verdict.corrected` whose verdict is published no more: dead for a
 *   webhook given a later `verdict.retracted` (retracted) or `verdict.corrected` (superseded)
 *   of the claim; else sent as it is now (the claim with the verdict in force, `verdict` with its state);
 * - an `appearance.added` whose appearance was removed: dead for a webhook given a later
 *   `claim.updated` of the claim (the removal's); else sent without `appearance`.
 * A removal's deliveries never come here (store/webhooks `describesRemovedClaim`).
 */
async function claimNow(
	db: Db,
	deliveryId: string,
	target: ClaimTarget,
	reviewedOnly: boolean,
): Promise<{ target: ClaimTarget; detail: ClaimDetail } | null> {
	let [detail] = await getClaims(db, [target.claimId]);
	let now = target;
	if (!detail) {
		const merged = await mergedClaimNow(db, deliveryId, target, reviewedOnly);
		if (merged === null) return null;
		now = merged;
		[detail] = await getClaims(db, [now.claimId]);
	}
	if (!detail) return null;
	const announces = now.type === "verdict.published" || now.type === "verdict.corrected";
	const verdict = detail.verdicts.find((v) => v.id === now.verdictId);
	if (announces && verdict?.state !== "published") {
		if (!verdict) return null;
		const later = verdict.state === "retracted" ? "verdict.retracted" : "verdict.corrected";
		if (await laterDeliveryOf(db, deliveryId, later)) return null;
	}
	if (now.appearanceId !== undefined && !detail.appearances.some((a) => a.id === now.appearanceId)) {
		if (await laterDeliveryOf(db, deliveryId, "claim.updated")) return null;
		const { appearanceId: _removed, ...rest } = now;
		now = rest;
	}
	return { target: now, detail };
}

/**
 * A claim event whose claim's row is gone, followed to the claim its id leads to now
 * (`retired_claims.merged_into`, which every later merge points on); null when it was removed
 * (its deliveries are emptied: store/webhooks `describesRemovedClaim`), or:
 * - a `claim.merged` whose kept claim was merged on since, or an event already told about the
 *   claim kept (`mergedFrom`, recorded by an attempt): about the claim kept now, still naming
 *   the claim merged first, so a partner holding that one learns where it went;
 * - any other event of a claim merged since: dead for a webhook given, after it, a delivery
 *   naming it in `mergedFrom` (the merge's `claim.merged`: store/webhooks
 *   `laterMergeDeliveryOf`); else about the claim kept now, naming the merged one as
 *   `claim.merged` would (`mergedFrom: {id, url}`), so a partner not subscribed to
 *   `claim.merged` (or disabled at the merge) still learns where it went. Where unreviewed
 *   claims are hidden it is dead: a merged claim never had a public verdict, so it never was
 *   public, nor may its address be told.
 */
async function mergedClaimNow(
	db: Db,
	deliveryId: string,
	target: ClaimTarget,
	reviewedOnly: boolean,
): Promise<ClaimTarget | null> {
	const fate = await claimFate(db, target.claimId);
	if (!fate || !("mergedInto" in fate)) return null;
	if (target.type === "claim.merged" || target.mergedFromId !== undefined)
		return { ...target, claimId: fate.mergedInto };
	if (reviewedOnly || (await laterMergeDeliveryOf(db, deliveryId, target.claimId))) return null;
	return { ...target, claimId: fate.mergedInto, mergedFromId: target.claimId };
}

/**
 * What an attempt of a recorded delivery sends (its first, a retry, a replay): its event as
 * it would be fanned out now: the same type, `timestamp` and subject (the claim with the
 * verdict, appearance or merged claim it names; the speaker with the merged one or the slug
 * it was renamed from), read again, so nothing made internal, removed or dropped since leaves
 * with it (an attachment made internal again, an appearance taken off, a speaker's dropped
 * name). Null when its subject is no longer public (a speaker gone with a merged claim too:
 * `storedTarget`), or it no longer holds and its webhook was given the later event that
 * tells what became of it (a speaker renamed or merged: `movedSpeaker`; a claim merged:
 * `mergedClaimNow`; a verdict retracted or superseded, an appearance removed: `claimNow`):
 * not sent. The recorded payload when there is nothing to read again: a test event, a removal
 * (ids only).
 */
export async function currentPayload(
	outbox: WebhookOutbox,
	delivery: Pick<WebhookDelivery, "id" | "eventType" | "payload">,
): Promise<string | null> {
	let stored: StoredPayload;
	try {
		stored = JSON.parse(delivery.payload) as StoredPayload;
	} catch {
		return delivery.payload;
	}
	const target = await storedTarget(outbox.db, delivery.id, delivery.eventType, stored);
	if (target === null || target === "as-stored") return target === null ? null : delivery.payload;
	const now =
		"claimId" in target
			? await claimNow(outbox.db, delivery.id, target, outbox.reviewedOnly)
			: { target, detail: undefined };
	if (now === null) return null;
	const details = new Map(now.detail ? [[now.detail.id, now.detail]] : []);
	const data = await targetData(outbox, now.target, details);
	return data === null ? null : JSON.stringify({ type: stored.type, timestamp: stored.timestamp, data });
}

/** Whether an event is one webhooks tell (so worth a message to the queue). */
function hasWebhookEvents(event: CommandEvent): boolean {
	return webhookEventsOf(event).length > 0;
}

/**
 * After a write commits: the event goes to the webhook queue, whose consumer fans it out
 * (`fanOut`) and retries that on failure. Done here in the request's background, one D1
 * failure lost the event for good, without a delivery row to show or replay. If the queue
 * refuses the event, it is fanned out here after all: its deliveries are then on record,
 * and those whose messages could not be queued either are replayable as stranded (the same
 * event id, so a send the queue took after all writes no second delivery).
 */
export async function queueFanOut(outbox: WebhookOutbox, event: CommandEvent): Promise<void> {
	if (!hasWebhookEvents(event)) return;
	const eventId = newId();
	const occurredAt = new Date().toISOString();
	for (const part of fanOutParts(event)) {
		try {
			await outbox.queue.send({ fanOut: { eventId, event: part, occurredAt } });
		} catch (error) {
			console.error(
				JSON.stringify({ event: "webhook-queue-failed", type: event.type, error: String(error) }),
			);
			await fanOut(outbox, part, eventId, occurredAt);
		}
	}
}

/**
 * The event as `fanOut` reads it (`webhookEventsOf`): the lists the caches and the search
 * index need (an import's addresses and claim ids, a speaker's every claim id) left out. A
 * queue message holds 128 KB: a 500-record import bringing 1,400 addresses, or a rename of a
 * speaker with 7,500 claims, was refused every time and fanned out in the request's
 * background instead, where one D1 failure loses it for good.
 */
function forFanOut(event: CommandEvent): CommandEvent {
	switch (event.type) {
		case "claims.imported":
			return { ...event, claimIds: [], speakerIds: [], createdIds: [], urls: [] };
		case "speaker.updated":
		case "speaker.merged":
			return { ...event, claimIds: [] };
		default:
			return event;
	}
}

/** Claims a topic rename fans out per message: as many as an import's largest batch. */
const CLAIMS_PER_FAN_OUT = 500;

/**
 * A topic renamed on thousands of claims, in messages of 500 claims each, fanned out one by
 * one: one message of them all could pass a queue message's 128 KB, and one run past a
 * Worker's limits. The parts share the event id: each claim's delivery id is its own.
 */
function fanOutParts(full: CommandEvent): CommandEvent[] {
	const event = forFanOut(full);
	if (event.type !== "tag.renamed" || event.claimIds.length <= CLAIMS_PER_FAN_OUT) return [event];
	const parts: CommandEvent[] = [];
	for (let i = 0; i < event.claimIds.length; i += CLAIMS_PER_FAN_OUT)
		parts.push({ ...event, claimIds: event.claimIds.slice(i, i + CLAIMS_PER_FAN_OUT) });
	return parts;
}

/**
 * One delivery per subscriber of each event, recorded and queued: the webhook queue's
 * consumer runs it for a `queueFanOut` message, and again if it fails. An import may
 * re-rate hundreds of claims: subscribers are read once per event type, the claims 45 to a
 * round trip, and the deliveries written 100 at a time (one-by-one reads spent three D1
 * queries per claim, past a Worker's query limit).
 */
export async function fanOut(
	outbox: WebhookOutbox,
	event: CommandEvent,
	eventId: string,
	occurredAt?: string,
): Promise<void> {
	const targets = webhookEventsOf(event);
	if (targets.length === 0) return;
	const subscribers = new Map<WebhookEventType, Webhook[]>();
	for (const type of new Set(targets.map((target) => target.type)))
		subscribers.set(type, await subscribersOf(outbox.db, type, occurredAt));
	const wanted = targets.filter((target) => (subscribers.get(target.type)?.length ?? 0) > 0);
	if (wanted.length === 0) return;
	const claimIds = wanted.flatMap((target) => ("claimId" in target ? [target.claimId] : []));
	const details = new Map((await getClaims(outbox.db, claimIds)).map((detail) => [detail.id, detail]));
	const rows: NewDelivery[] = [];
	for (const target of wanted) {
		const data = await targetData(outbox, target, details);
		if (data === null) continue;
		const key = { eventId, occurredAt, target: targetId(target) };
		for (const webhook of subscribers.get(target.type) ?? [])
			rows.push(await delivery(webhook.id, target.type, data, key));
		// Written and queued 100 at a time: a 500-claim import's payloads never sit in memory
		// together, and one failed write loses a hundred events, not all of them.
		if (rows.length >= DELIVERIES_PER_WRITE) await enqueue(outbox.db, outbox.queue, rows.splice(0));
	}
	await enqueue(outbox.db, outbox.queue, rows);
}
