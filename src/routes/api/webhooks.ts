import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { commandContext } from "../../commands/context";
import { webhookOutboxOf } from "../../commands/request-effects";
import {
	createWebhook,
	editWebhook,
	removeWebhook,
	replayDelivery,
	rotateWebhookSecret,
	testWebhook,
} from "../../commands/webhooks";
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENTS } from "../../db/schema";
import { factory } from "../../factory";
import { nextLink, pageFromCursor } from "../../lib/list-query";
import { publicOrigin } from "../../lib/public-origin";
import { declareRoute } from "../../lib/route-declaration";
import { id, noQuery, patchBody } from "../../schemas/common";
import {
	deliveryJson,
	webhookInput,
	webhookJson,
	webhookPatch,
	webhookWithSecretJson,
} from "../../schemas/webhooks";
import { getWebhook, listDeliveries, listWebhooks, requireWebhook } from "../../store/webhooks";
import { deliveryToJson, webhookToJson } from "../../views/webhook-json";
import { created } from "./created";

/**
 * Webhook subscriptions (admins; token scope `webhooks:manage`). Deliveries follow
 * Standard Webhooks 1.0: see README "Webhooks" for how a receiver verifies them.
 */

const tags = ["Webhooks"];
const access = { token: "webhooks:manage" } as const;
const idParam = z.object({ id });
const deliveryParam = z.object({
	deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/, "This is not a delivery id."),
});
const noStore = { "Cache-Control": "no-store" };
// Strict: `?limit=3` was a 200 with the usual page, the limit silently ignored.
const deliveryLogQuery = z.strictObject({
	cursor: z.string().max(200).optional().describe("From the previous page's `next`."),
	state: z.enum(WEBHOOK_DELIVERY_STATES).optional().describe("Only deliveries in this state (e.g. `dead`)."),
});

/** The first answer has the secret; a repeat with the same `Idempotency-Key` does not. */
const createdWebhookJson = webhookWithSecretJson.extend({
	secret: z
		.string()
		.nullable()
		.describe(
			"`whsec_` + base64 of 32 bytes. Shown in this answer only: store it now. Null in a repeat of the request (the same `Idempotency-Key`): if the first answer was lost, issue a new one (`POST /api/v1/webhooks/{id}/rotate-secret`).",
		),
});

export const webhookApi = factory
	.createApp()
	.post(
		"/webhooks",
		declareRoute({
			method: "POST",
			path: "/api/v1/webhooks",
			access,
			idempotent: true,
			body: webhookInput,
			doc: {
				summary: "Subscribe an address to events",
				description: `Answers the signing secret once: a repeat of the request with the same \`Idempotency-Key\` answers the same subscription with \`secret: null\` (if the first answer was lost, rotate the secret). Events: ${WEBHOOK_EVENTS.join(", ")}; never drafts. Claim and verdict events carry \`data: {claim, verdict?}\` (the public claim JSON, in a payload under 20 KB: a longer claim comes without its history, with its texts cut and its lists shortened when need be, marked \`truncated: true\`; its \`url\` has everything); \`appearance.added\` also \`appearance\`, the one added as the claim's \`appearances\` show it, sent whatever else is cut; speaker events \`data: {speaker, claims, mergedFrom?, renamedFrom?}\` (\`renamedFrom: {slug}\`: a rename that moved the slug, the old one, which now answers 301); \`claim.removed\` carries \`data: {claim: {id, url, removedAt}}\` and nothing of the claim's text, one for the claim removed and one for each claim merged into it before. Each attempt (a retry, a replay) reads its event's claim or speaker again, with the same type and \`timestamp\`: nothing made internal or removed since leaves with it, and one no longer public is not sent. Nor is one no longer true: of a claim merged since (its address answers 301), to a webhook sent a delivery naming it in \`mergedFrom\` after it (the merge's \`claim.merged\`; a webhook never sent it gets it about the claim kept now, naming the merged one in \`mergedFrom: {id, url}\`, unless unreviewed claims are hidden: a merged claim never was public; a \`claim.merged\` whose kept claim was merged on goes about the claim kept now, \`mergedFrom\` kept); a \`speaker.updated\` of a speaker renamed or merged since, to a webhook sent that rename's \`speaker.updated\` or that merge's \`speaker.merged\` after it (a webhook never sent it gets it about the speaker the old slug leads to now, naming that slug in \`renamedFrom\`, or in \`mergedFrom\` with the name it was merged under (\`mergedFrom.name\` of any speaker event only while the speaker kept carries that name among its own: dropped since, the slug alone); a rename's own event and a \`speaker.merged\` whose speaker kept was merged or renamed on go about the speaker their slug leads to now, \`renamedFrom\` or \`mergedFrom\` kept); a \`verdict.published\`/\`verdict.corrected\` whose verdict was retracted or corrected since, to a webhook sent the \`verdict.retracted\` or \`verdict.corrected\` of that claim after it (a webhook never sent it, not subscribed or disabled then, gets it with \`verdict\` in its state now and the claim with the verdict in force); an \`appearance.added\` whose appearance was removed, to a webhook sent a later \`claim.updated\` of that claim (else it goes without \`appearance\`). Each attempt goes to the subscription's address as it is then, and none of an event type dropped from its \`events\` since is sent (a replay answers 409 \`unsubscribed\`).`,
				tags,
				responses: {
					201: { description: "The subscription with its secret", schema: createdWebhookJson },
				},
			},
		}),
		(c) =>
			created(
				c,
				{ scope: "POST /api/v1/webhooks", body: c.req.valid("json") },
				{
					at: (id) => ({ location: `${publicOrigin(c)}/api/v1/webhooks/${id}` }),
					write: async (_caller, id) => {
						const ctx = commandContext(c.var, tokenActor(c.var));
						const allowLoopback = c.env.ALLOW_LOOPBACK_OUTBOUND === "true";
						const { webhook, secret } = await createWebhook(ctx, c.req.valid("json"), allowLoopback, id);
						const subscription = webhookToJson(webhook);
						return {
							body: { ...subscription, secret },
							// A secret is shown once: the idempotency table (kept 24 hours, outside backups)
							// would otherwise hold a second copy that outlives a rotation, and answer it to
							// every repeat. A repeat gets the subscription without it; a client whose first
							// answer was lost rotates the secret (docs/decisions.md).
							replay: { ...subscription, secret: null },
						};
					},
					// As `replay`: never the secret.
					readBack: async (id) => {
						const webhook = await getWebhook(c.var.db, id);
						return webhook ? { ...webhookToJson(webhook), secret: null } : null;
					},
					what: "webhook",
				},
			),
	)
	.get(
		"/webhooks",
		declareRoute({
			method: "GET",
			path: "/api/v1/webhooks",
			access,
			query: noQuery,
			doc: {
				summary: "List subscriptions",
				tags,
				responses: {
					200: { description: "Every subscription", schema: z.object({ data: z.array(webhookJson) }) },
				},
			},
		}),
		async (c) => c.json({ data: (await listWebhooks(c.var.db)).map(webhookToJson) }, 200, noStore),
	)
	.get(
		"/webhooks/:id",
		declareRoute({
			method: "GET",
			path: "/api/v1/webhooks/:id",
			access,
			params: idParam,
			query: noQuery,
			doc: {
				summary: "One subscription",
				tags,
				responses: { 200: { description: "The subscription", schema: webhookJson } },
			},
		}),
		async (c) => c.json(webhookToJson(await requireWebhook(c.var.db, c.req.valid("param").id)), 200, noStore),
	)
	.patch(
		"/webhooks/:id",
		declareRoute({
			method: "PATCH",
			path: "/api/v1/webhooks/:id",
			access,
			params: idParam,
			// The answers of a create and a rotation carry `secret`: sent back changed, it is ignored
			// like the other fields that cannot change here (rotation has its own route).
			body: patchBody(webhookPatch, webhookWithSecretJson),
			doc: {
				summary: "Change a subscription at the version you last read",
				description:
					"`enabled: true` starts deliveries again after the endpoint was disabled (410, or three days of failures), from the next event: what was pending when it was disabled is `failed` from then on, and sent again only by a replay. An event type dropped from `events` is sent no more: its pending deliveries are `dead` as the change is saved (the desk's log: \"not sent: no longer subscribed\"), and subscribing again sends them only by a replay. The fields of a subscription's answer that cannot change here are ignored, `secret` too (a new one is `POST /api/v1/webhooks/{id}/rotate-secret`), so an answer read may be sent back changed.",
				tags,
				responses: { 200: { description: "The subscription", schema: webhookJson } },
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			const webhook = await editWebhook(
				ctx,
				c.req.valid("param").id,
				c.req.valid("json"),
				c.env.ALLOW_LOOPBACK_OUTBOUND === "true",
			);
			return c.json(webhookToJson(webhook), 200, noStore);
		},
	)
	.delete(
		"/webhooks/:id",
		declareRoute({
			method: "DELETE",
			path: "/api/v1/webhooks/:id",
			access,
			params: idParam,
			doc: {
				summary: "Delete a subscription and its delivery log",
				tags,
				responses: { 204: { description: "Deleted" } },
			},
		}),
		async (c) => {
			await removeWebhook(commandContext(c.var, tokenActor(c.var)), c.req.valid("param").id);
			return c.body(null, 204, noStore);
		},
	)
	.post(
		"/webhooks/:id/rotate-secret",
		declareRoute({
			method: "POST",
			path: "/api/v1/webhooks/:id/rotate-secret",
			access,
			params: idParam,
			doc: {
				summary: "Issue a new signing secret",
				description:
					"For 24 hours every delivery carries two signatures, one per secret, so a receiver can switch without missing any. A rotation within those 24 hours keeps the secret from before them signing until they end and drops the one it replaces (a secret replaced within its day was most likely never handed out, or leaked).",
				tags,
				responses: {
					200: { description: "The subscription with its new secret", schema: webhookWithSecretJson },
				},
			},
		}),
		async (c) => {
			const { webhook, secret } = await rotateWebhookSecret(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").id,
			);
			return c.json({ ...webhookToJson(webhook), secret }, 200, noStore);
		},
	)
	.post(
		"/webhooks/:id/test",
		declareRoute({
			method: "POST",
			path: "/api/v1/webhooks/:id/test",
			access,
			params: idParam,
			doc: {
				summary: "Send a webhook.test event",
				tags,
				responses: {
					202: { description: "Queued", schema: z.object({ deliveryId: z.string() }) },
					409: { description: "The webhook is disabled (`webhook-disabled`): enable it first" },
					503: {
						description:
							"The database is unavailable for a moment, or the test's queue message could not be sent (`queue-unavailable`): no delivery was recorded; send it again after `Retry-After` seconds",
					},
				},
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			const deliveryId = await testWebhook(ctx, c.req.valid("param").id, c.env.WEBHOOK_QUEUE);
			return c.json({ deliveryId }, 202, noStore);
		},
	)
	.get(
		"/webhooks/:id/deliveries",
		declareRoute({
			method: "GET",
			path: "/api/v1/webhooks/:id/deliveries",
			access,
			params: idParam,
			query: deliveryLogQuery,
			doc: {
				summary: "The delivery log, 50 deliveries a page with every attempt, newest first",
				tags,
				responses: {
					200: {
						description: "Deliveries, newest first, and the next page's URL",
						schema: z.object({
							data: z.array(deliveryJson),
							next: z.string().nullable().describe("The next (older) page; null on the last."),
						}),
					},
				},
			},
		}),
		async (c) => {
			const webhook = await requireWebhook(c.var.db, c.req.valid("param").id);
			const query = c.req.valid("query");
			const page = await listDeliveries(c.var.db, webhook.id, {
				after: pageFromCursor(query.cursor, "deliveries"),
				...(query.state ? { state: query.state } : {}),
			});
			return c.json(
				{
					data: page.rows.map(deliveryToJson),
					next: nextLink(publicOrigin(c), c.req.url, page.next, "deliveries"),
				},
				200,
				noStore,
			);
		},
	)
	.post(
		"/webhooks/deliveries/:deliveryId/replay",
		declareRoute({
			method: "POST",
			path: "/api/v1/webhooks/deliveries/:deliveryId/replay",
			access,
			params: deliveryParam,
			doc: {
				summary: "Send a failed or dead delivery again (same webhook-id)",
				tags,
				responses: {
					202: { description: "Queued", schema: z.object({ deliveryId: z.string() }) },
					409: {
						description:
							"The delivery is pending or delivered, or was replayed or attempted while this replay read it (`not-replayable`: nothing changed), describes a removed claim (`claim-removed`), its event no longer holds (`no-longer-true`: its claim or speaker not public any more; or its claim merged, its speaker renamed or merged, its verdict retracted or corrected, or its appearance removed, and the webhook was sent the event that says so since; it is not sent and its `state` is now `dead`), its webhook no longer receives its event type (`unsubscribed`: its events were changed since; it is not sent and its `state` is now `dead`), or its webhook is disabled (`webhook-disabled`: enable it first)",
					},
					503: {
						description:
							"The database is unavailable for a moment, or the replay's queue message could not be sent (`queue-unavailable`): the replay is undone, the delivery left as it was; send it again after `Retry-After` seconds",
					},
				},
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			const outbox = webhookOutboxOf(c.env, ctx.db, publicOrigin(c));
			const row = await replayDelivery(ctx, c.req.valid("param").deliveryId, outbox);
			return c.json({ deliveryId: row.id }, 202, noStore);
		},
	);
