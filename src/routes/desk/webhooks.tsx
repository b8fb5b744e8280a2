import { idempotent } from "../../auth/idempotency";
import { webhookOutboxOf } from "../../commands/request-effects";
import {
	createWebhook,
	editWebhook,
	removeWebhook,
	replayDelivery,
	rotateWebhookSecret,
	testWebhook,
} from "../../commands/webhooks";
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENTS, type Webhook } from "../../db/schema";
import { isId, newId } from "../../domain/ids";
import { AppError, notFound } from "../../lib/errors";
import { cursorToken, pageFromCursorOrFirst } from "../../lib/list-query";
import { publicOrigin } from "../../lib/public-origin";
import { declareRoute } from "../../lib/route-declaration";
import { webhookInput, webhookPatch } from "../../schemas/webhooks";
import { getDelivery, listDeliveries, listWebhooks, requireWebhook } from "../../store/webhooks";
import { type MessageKey, t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { eventField, WebhookPage, WebhooksPage } from "../../views/desk/webhooks";
import { storeFieldErrors, versionOf } from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskCommand,
	deskFactory,
	type FormValues,
	formKey,
	formScope,
	formValues,
	keyReused,
	keyReusedPage,
	page,
	writeOnceAndRedirect,
} from "./context";
import { formErrors } from "./forms";

/**
 * The admins' webhook pages, on the same commands as /api/v1/webhooks. A new or rotated
 * signing secret is shown in the answer to the POST only: a repeat of that form (reload,
 * double click) goes to the webhook's page, which never shows a secret.
 */

const LIST = "/desk/admin/webhooks";
const access = { session: "admin" } as const;
const DELIVERY_ID = /^msg_[0-9a-f]{32}$/;

/** The notices after a POST-redirect-GET (`?done=`). */
const FLASH: Record<string, MessageKey> = {
	"test-sent": "deskFlashWebhookTest",
	enabled: "deskFlashWebhookEnabled",
	disabled: "deskFlashWebhookDisabled",
	deleted: "deskFlashWebhookDeleted",
	replayed: "deskFlashWebhookReplayed",
	edited: "deskFlashWebhookEdited",
};

function flashText(c: DeskContext): string | null {
	const key = FLASH[c.req.query("done") ?? ""];
	return key ? t(c.var.lang, key) : null;
}

const allowLoopback = (c: DeskContext) => c.env.ALLOW_LOOPBACK_OUTBOUND === "true";

/** The create form as the input of `webhookInput` (the API's schema): one checkbox per event. */
function webhookFromForm(form: FormValues) {
	return {
		url: form.url ?? "",
		events: WEBHOOK_EVENTS.filter((event) => form[eventField(event)] === "1"),
		description: form.description ?? null,
	};
}

function webhookIdParam(c: DeskContext): string {
	const id = c.req.param("id") ?? "";
	if (!isId(id)) throw notFound("webhook");
	return id;
}

const webhookParam = (c: DeskContext): Promise<Webhook> => requireWebhook(c.var.db, webhookIdParam(c));
const webhookPath = (id: string) => `${LIST}/${id}`;

async function webhooksPage(
	c: DeskContext,
	options: {
		values?: FormValues;
		errors?: FieldErrors;
		created?: { webhook: Webhook; secret: string };
		flash?: string | null;
		status?: 200 | 201 | 422;
	} = {},
) {
	const session = allowed(c, "webhooks:manage");
	return page(
		c,
		<WebhooksPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={options.values?._idem || formKey()}
			webhooks={await listWebhooks(c.var.db)}
			values={options.values ?? {}}
			errors={options.errors ?? {}}
			created={options.created ?? null}
			flash={options.flash ?? null}
		/>,
		options.status ?? 200,
	);
}

async function webhookPage(
	c: DeskContext,
	webhook: Webhook,
	options: {
		newSecret?: string;
		notice?: string;
		flash?: string | null;
		deleteError?: boolean;
		/** The edit form as sent, with its errors. */
		edit?: { values: FormValues; errors: FieldErrors };
		status?: 200 | 409 | 422 | 503;
		/** Which page of the delivery log, and of which state (the page's own query). */
		log?: { cursor?: string | undefined; state?: string | undefined };
	} = {},
) {
	const session = allowed(c, "webhooks:manage");
	const state = WEBHOOK_DELIVERY_STATES.find((s) => s === options.log?.state);
	const deliveries = await listDeliveries(c.var.db, webhook.id, {
		after: pageFromCursorOrFirst(options.log?.cursor, "deliveries"),
		...(state ? { state } : {}),
	});
	return page(
		c,
		<WebhookPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			keys={formKey}
			webhook={webhook}
			deliveries={deliveries.rows}
			deliveryState={state ?? null}
			olderDeliveries={deliveries.next ? cursorToken(deliveries.next, "deliveries") : null}
			now={Date.now()}
			newSecret={options.newSecret ?? null}
			notice={options.notice ?? null}
			flash={options.flash ?? null}
			deleteError={options.deleteError ?? false}
			edit={options.edit ?? null}
		/>,
		options.status ?? 200,
	);
}

/**
 * A one-button change of a webhook: written once, then back to its page; a 409 re-shows the
 * page, and so does a 503 (a replay's queue message not sent: undone), with its Retry-After,
 * so the admin reads what to do beside the button to press again, not an error page.
 */
async function changeAndRedirect(
	c: DeskContext,
	webhook: Webhook,
	form: FormValues,
	/** The page's notice once done (`?done=`). */
	done: string,
	change: () => Promise<unknown>,
): Promise<Response> {
	try {
		const to = `${webhookPath(webhook.id)}?done=${done}`;
		return await writeOnceAndRedirect(
			c,
			form,
			async () => {
				await change();
			},
			to,
		);
	} catch (error) {
		if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 503)) throw error;
		const current = await requireWebhook(c.var.db, webhook.id);
		for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
		return webhookPage(c, current, { notice: fieldMessage(c.var.lang, error.message), status: error.status });
	}
}

/** Enables or disables a webhook at the version the admin saw (`editWebhook`). */
async function setEnabled(c: DeskContext, enabled: boolean): Promise<Response> {
	allowed(c, "webhooks:manage");
	const webhook = await webhookParam(c);
	const form = await formValues(c);
	const parsed = webhookPatch.safeParse({ version: versionOf(form.version), enabled });
	if (!parsed.success) {
		const message = parsed.error.issues[0]?.message ?? "";
		return webhookPage(c, webhook, { notice: fieldMessage(c.var.lang, message), status: 422 });
	}
	return changeAndRedirect(c, webhook, form, enabled ? "enabled" : "disabled", () =>
		editWebhook(deskCommand(c), webhook.id, parsed.data, allowLoopback(c)),
	);
}

/**
 * The edit form: address, events and description at the version the admin saw, through the
 * API's PATCH (`webhookPatch`, `editWebhook`). A refusal re-shows the form as typed: beside
 * the field (422), or at the current version under the notice (409).
 */
async function editFromForm(c: DeskContext): Promise<Response> {
	allowed(c, "webhooks:manage");
	const webhook = await webhookParam(c);
	const form = await formValues(c);
	const parsed = webhookPatch.safeParse({ version: versionOf(form.version), ...webhookFromForm(form) });
	if (!parsed.success) {
		const errors = formErrors(parsed.error);
		// The hidden version is no field to correct: said as the one-button forms say it.
		if (errors.version)
			return webhookPage(c, webhook, { notice: fieldMessage(c.var.lang, errors.version), status: 422 });
		return webhookPage(c, webhook, { edit: { values: form, errors }, status: 422 });
	}
	const path = webhookPath(webhook.id);
	try {
		const save = async () => {
			await editWebhook(deskCommand(c), webhook.id, parsed.data, allowLoopback(c));
		};
		return await writeOnceAndRedirect(c, form, save, `${path}?done=edited`);
	} catch (error) {
		// The command's own checks (a private or non-https address) land beside the field.
		const errors = storeFieldErrors(error);
		if (errors) return webhookPage(c, webhook, { edit: { values: form, errors }, status: 422 });
		if (!(error instanceof AppError) || error.status !== 409) throw error;
		const current = await requireWebhook(c.var.db, webhook.id);
		return webhookPage(c, current, {
			notice: fieldMessage(c.var.lang, error.message),
			edit: { values: { ...form, version: String(current.version) }, errors: {} },
			status: 409,
		});
	}
}

async function createFromForm(c: DeskContext): Promise<Response> {
	const session = allowed(c, "webhooks:manage");
	const form = await formValues(c);
	const parsed = webhookInput.safeParse(webhookFromForm(form));
	if (!parsed.success)
		return webhooksPage(c, { values: form, errors: formErrors(parsed.error), status: 422 });
	// Its id is made first: where it lives is known before the write. Only that is remembered
	// for a repeat, never its secret.
	const id = newId();
	const location = webhookPath(id);
	try {
		const outcome = await idempotent<{ webhook: Webhook; secret: string }>(
			c.var.db,
			{
				userId: session.user.id,
				key: form._idem,
				scope: await formScope(c, `POST ${LIST}`),
				ahead: { status: 201, location },
			},
			async () => {
				const created = await createWebhook(deskCommand(c), parsed.data, allowLoopback(c), id);
				return { kind: "store", result: { status: 201, location, body: null }, value: created };
			},
		);
		if (outcome.replayed) return c.redirect(outcome.result.location ?? LIST, 303);
		return webhooksPage(c, { created: outcome.value, status: 201 });
	} catch (error) {
		if (keyReused(error)) return keyReusedPage(c);
		// The command's own checks (a private or non-https address) land beside the field.
		const errors = storeFieldErrors(error);
		if (errors) return webhooksPage(c, { values: form, errors, status: 422 });
		throw error;
	}
}

async function rotateFromForm(c: DeskContext): Promise<Response> {
	const session = allowed(c, "webhooks:manage");
	const webhook = await webhookParam(c);
	const form = await formValues(c);
	const path = webhookPath(webhook.id);
	const outcome = await idempotent<{ webhook: Webhook; secret: string }>(
		c.var.db,
		{
			userId: session.user.id,
			key: form._idem,
			scope: `POST ${path}/rotate-secret`,
			ahead: { status: 200, location: path },
		},
		async () => {
			const rotated = await rotateWebhookSecret(deskCommand(c), webhook.id);
			return { kind: "store", result: { status: 200, location: path, body: null }, value: rotated };
		},
	);
	// A repeat rotates nothing and shows nothing: the new secret was shown the first time.
	if (outcome.replayed) return c.redirect(outcome.result.location ?? path, 303);
	return webhookPage(c, outcome.value.webhook, { newSecret: outcome.value.secret });
}

async function deleteFromForm(c: DeskContext): Promise<Response> {
	allowed(c, "webhooks:manage");
	const id = webhookIdParam(c);
	const form = await formValues(c);
	if (form.confirm !== "1") {
		return webhookPage(c, await requireWebhook(c.var.db, id), { deleteError: true, status: 422 });
	}
	// The lookup is in the write: a repeat of the form finds the webhook gone and goes to the list.
	return writeOnceAndRedirect(
		c,
		form,
		async () => {
			await removeWebhook(deskCommand(c), id);
		},
		`${LIST}?done=deleted`,
	);
}

async function replayFromForm(c: DeskContext): Promise<Response> {
	allowed(c, "webhooks:manage");
	const webhook = await webhookParam(c);
	const form = await formValues(c);
	const deliveryId = form.delivery ?? "";
	const delivery = DELIVERY_ID.test(deliveryId) ? await getDelivery(c.var.db, deliveryId) : undefined;
	// Only a delivery of this webhook: another's is a 404, not a hint.
	if (!delivery || delivery.webhookId !== webhook.id) throw notFound("delivery");
	return changeAndRedirect(c, webhook, form, "replayed", () => {
		const ctx = deskCommand(c);
		return replayDelivery(ctx, delivery.id, webhookOutboxOf(c.env, ctx.db, publicOrigin(c)));
	});
}

/** Admin pages: webhook subscriptions, their delivery log, test events and replays. */
export const deskWebhookRoutes = deskFactory
	.createApp()
	.get("/admin/webhooks", declareRoute({ method: "GET", path: LIST, access }), (c) =>
		webhooksPage(c, { flash: flashText(c) }),
	)
	.post("/admin/webhooks", declareRoute({ method: "POST", path: LIST, access }), (c) => createFromForm(c))
	.get("/admin/webhooks/:id", declareRoute({ method: "GET", path: `${LIST}/:id`, access }), async (c) => {
		allowed(c, "webhooks:manage");
		return webhookPage(c, await webhookParam(c), {
			flash: flashText(c),
			log: { cursor: c.req.query("cursor"), state: c.req.query("state") },
		});
	})
	.post("/admin/webhooks/:id", declareRoute({ method: "POST", path: `${LIST}/:id`, access }), (c) =>
		editFromForm(c),
	)
	.post(
		"/admin/webhooks/:id/test",
		declareRoute({ method: "POST", path: `${LIST}/:id/test`, access }),
		async (c) => {
			allowed(c, "webhooks:manage");
			const webhook = await webhookParam(c);
			const form = await formValues(c);
			return changeAndRedirect(c, webhook, form, "test-sent", () =>
				testWebhook(deskCommand(c), webhook.id, c.env.WEBHOOK_QUEUE),
			);
		},
	)
	.post(
		"/admin/webhooks/:id/rotate-secret",
		declareRoute({ method: "POST", path: `${LIST}/:id/rotate-secret`, access }),
		(c) => rotateFromForm(c),
	)
	.post(
		"/admin/webhooks/:id/disable",
		declareRoute({ method: "POST", path: `${LIST}/:id/disable`, access }),
		(c) => setEnabled(c, false),
	)
	.post(
		"/admin/webhooks/:id/enable",
		declareRoute({ method: "POST", path: `${LIST}/:id/enable`, access }),
		(c) => setEnabled(c, true),
	)
	.post(
		"/admin/webhooks/:id/delete",
		declareRoute({ method: "POST", path: `${LIST}/:id/delete`, access }),
		(c) => deleteFromForm(c),
	)
	.post(
		"/admin/webhooks/:id/replay",
		declareRoute({
			method: "POST",
			path: `${LIST}/:id/replay`,
			access,
			reason: "the delivery (a form field) must belong to the webhook in the path",
		}),
		(c) => replayFromForm(c),
	);
