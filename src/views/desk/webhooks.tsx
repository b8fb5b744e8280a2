import type { Child } from "hono/jsx";
import {
	WEBHOOK_DELIVERY_STATES,
	WEBHOOK_EVENTS,
	type Webhook,
	type WebhookDelivery,
	type WebhookEventType,
} from "../../db/schema";
import type { UiLanguage } from "../../domain/ratings";
import { isReplayable } from "../../domain/webhook-retry";
import type { DeliveryWithAttempts } from "../../store/webhooks";
import { deadReasonKey } from "../webhook-json";
import type { Values } from "./claim-form";
import { formatNumber } from "./dashboard-labels";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import {
	Checkbox,
	ConfirmBox,
	ErrorSummary,
	type FieldErrors,
	fieldId,
	Notice,
	type PageErrors,
	TextField,
} from "./fields";
import { fieldMessage, formatDateTime } from "./labels";

const EVENT_KEYS: Record<WebhookEventType, MessageKey> = {
	"claim.created": "deskEventClaimCreated",
	"claim.updated": "deskEventClaimUpdated",
	"verdict.published": "deskEventVerdictPublished",
	"verdict.corrected": "deskEventVerdictCorrected",
	"verdict.retracted": "deskEventVerdictRetracted",
	"appearance.added": "deskEventAppearanceAdded",
	"speaker.updated": "deskEventSpeakerUpdated",
	"speaker.merged": "deskEventSpeakerMerged",
	"claim.merged": "deskEventClaimMerged",
	"claim.removed": "deskEventClaimRemoved",
};

const STATE_KEYS: Record<WebhookDelivery["state"], MessageKey> = {
	pending: "deskDeliveryPending",
	delivered: "deskDeliveryDelivered",
	failed: "deskDeliveryFailed",
	dead: "deskDeliveryDead",
};

/** A delivery's state in the log, or why one dead ended: the API's `reason` (views/webhook-json). */
function stateKey(delivery: DeliveryWithAttempts): MessageKey {
	return deadReasonKey(delivery) ?? STATE_KEYS[delivery.state];
}

const webhookPath = (webhook: Pick<Webhook, "id">) => `/desk/admin/webhooks/${webhook.id}`;

/** The form field of one event's checkbox. */
export const eventField = (event: WebhookEventType) => `event:${event}`;

export function eventLabel(lang: UiLanguage, event: string): string {
	const key = EVENT_KEYS[event as WebhookEventType];
	return key ? `${event}: ${t(lang, key)}` : event;
}

/** The signing secret, shown exactly once (right after creating or rotating). */
function SecretOnce(props: { lang: UiLanguage; label: string; secret: string; children?: Child }) {
	return (
		<div class="notice ok secret" role="status">
			{props.children}
			<label for="new-secret">{props.label}</label>
			<input
				id="new-secret"
				type="text"
				readonly
				value={props.secret}
				class="secret-value"
				autocomplete="off"
				spellcheck={false}
			/>
			<p class="hint">{t(props.lang, "deskWebhookStoreNow")}</p>
		</div>
	);
}

function EnabledLabel(props: { lang: UiLanguage; webhook: Webhook }) {
	const { lang, webhook } = props;
	return (
		<>
			{webhook.disabledAt
				? t(lang, "deskWebhookDisabledSince", { when: formatDateTime(webhook.disabledAt, lang) })
				: t(lang, "deskWebhookEnabled")}
		</>
	);
}

/** The desk notice of endpoints that stopped receiving (a 410, three days of failures, an admin). */
function StoppedNotice(props: { lang: UiLanguage; webhooks: Webhook[] }) {
	const { lang } = props;
	const stopped = props.webhooks.filter((webhook) => webhook.disabledAt);
	if (stopped.length === 0) return null;
	return (
		<Notice kind="error" role="status">
			<p>{t(lang, "deskWebhooksStopped")}</p>
			<ul>
				{stopped.map((webhook) => (
					<li>
						<a href={webhookPath(webhook)}>{webhook.url}</a>:{" "}
						{fieldMessage(lang, webhook.disabledReason ?? "")} ({formatDateTime(webhook.disabledAt, lang)})
					</li>
				))}
			</ul>
			<p class="hint">{t(lang, "deskWebhooksStoppedHint")}</p>
		</Notice>
	);
}

function WebhookTable(props: { lang: UiLanguage; webhooks: Webhook[] }) {
	const { lang } = props;
	if (props.webhooks.length === 0) return <p>{t(lang, "deskWebhookNone")}</p>;
	return (
		<div class="table-scroll">
			<table class="stack">
				<caption class="visually-hidden">{t(lang, "deskWebhooks")}</caption>
				<thead>
					<tr>
						<th scope="col">{t(lang, "deskWebhookUrl")}</th>
						<th scope="col">{t(lang, "deskWebhookEvents")}</th>
						<th scope="col">{t(lang, "status")}</th>
						<th scope="col">{t(lang, "deskCreated")}</th>
					</tr>
				</thead>
				<tbody>
					{props.webhooks.map((webhook) => (
						<tr>
							<td>
								<a href={webhookPath(webhook)}>{webhook.url}</a>
								{webhook.description ? <p class="hint">{webhook.description}</p> : null}
							</td>
							{/* Each event, status and date whole: anywhere split "claim.crea|ted" and "Enable|d". */}
							<td class="whole" data-label={t(lang, "deskWebhookEvents")}>
								{webhook.events.split(" ").map((event, i) => (
									<>
										{i > 0 ? " " : null}
										<code>{event}</code>
									</>
								))}
							</td>
							<td class="word" data-label={t(lang, "status")}>
								{webhook.disabledAt ? t(lang, "deskWebhookDisabled") : t(lang, "deskWebhookEnabled")}
							</td>
							<td class="whole" data-label={t(lang, "deskCreated")}>
								{formatDateTime(webhook.createdAt, lang)}
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/** A subscription's fields in form order, with their labels (the error summaries'). */
const fieldLabels = (lang: UiLanguage) => ({
	url: t(lang, "deskWebhookUrl"),
	events: t(lang, "deskWebhookEvents"),
	description: t(lang, "deskWebhookDescription"),
});

/** A subscription as the edit form shows it first: its address, events and description. */
function webhookValues(webhook: Webhook): Values {
	return {
		url: webhook.url,
		description: webhook.description ?? "",
		...Object.fromEntries(
			webhook.events.split(" ").map((event) => [eventField(event as WebhookEventType), "1"]),
		),
	};
}

/** The fields the create and the edit form share, as the API's body names them: one checkbox per event. */
function WebhookFields(props: { lang: UiLanguage; values: Values; errors: FieldErrors }) {
	const { lang, values, errors } = props;
	const eventsId = fieldId("events");
	return (
		<>
			<TextField
				name="url"
				type="url"
				inputmode="url"
				label={t(lang, "deskWebhookUrl")}
				hint={t(lang, "deskWebhookUrlHint")}
				lang={lang}
				errors={errors}
				value={values.url}
				autocomplete="off"
				maxlength={2048}
				required
			/>
			<fieldset
				class="field"
				id={eventsId}
				aria-describedby={errors.events ? `${eventsId}-error` : undefined}
			>
				<legend>{t(lang, "deskWebhookEvents")}</legend>
				{WEBHOOK_EVENTS.map((event) => (
					<Checkbox
						name={eventField(event)}
						label={eventLabel(lang, event)}
						checked={values[eventField(event)] === "1"}
					/>
				))}
				{errors.events ? (
					<p class="error" id={`${eventsId}-error`}>
						{fieldMessage(lang, errors.events)}
					</p>
				) : null}
			</fieldset>
			<TextField
				name="description"
				label={t(lang, "deskWebhookDescription")}
				hint={t(lang, "deskWebhookDescriptionHint")}
				lang={lang}
				errors={errors}
				value={values.description}
				autocomplete="off"
				maxlength={500}
			/>
		</>
	);
}

function CreateForm(props: {
	lang: UiLanguage;
	csrf: string;
	idem: string;
	values: Values;
	errors: FieldErrors;
}) {
	const { lang, values, errors } = props;
	return (
		<>
			<h2>{t(lang, "deskWebhookAdd")}</h2>
			<p class="hint">{t(lang, "deskWebhookAddHint")}</p>
			<ErrorSummary lang={lang} errors={errors} labels={fieldLabels(lang)} />
			<form method="post" action="/desk/admin/webhooks" novalidate class="narrow">
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<WebhookFields lang={lang} values={values} errors={errors} />
				<button type="submit">{t(lang, "deskWebhookAdd")}</button>
			</form>
		</>
	);
}

/**
 * The address, events and description, changed at the version shown (the API's PATCH): the
 * secret and the delivery log stay. Its errors are summarised atop the page (`PageErrors`).
 */
function EditForm(props: {
	lang: UiLanguage;
	csrf: string;
	idem: string;
	webhook: Webhook;
	values: Values;
	errors: FieldErrors;
}) {
	const { lang, values } = props;
	return (
		<>
			<h2>{t(lang, "deskWebhookEdit")}</h2>
			<form method="post" action={webhookPath(props.webhook)} novalidate class="narrow">
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<input type="hidden" name="version" value={values.version || String(props.webhook.version)} />
				<p class="hint">{t(lang, "deskWebhookEditHint")}</p>
				<WebhookFields lang={lang} values={values} errors={props.errors} />
				<button type="submit">{t(lang, "deskSaveWebhook")}</button>
			</form>
		</>
	);
}

export function WebhooksPage(props: {
	chrome: DeskChrome;
	csrf: string;
	idem: string;
	webhooks: Webhook[];
	values: Values;
	errors: FieldErrors;
	created?: { webhook: Webhook; secret: string } | null;
	flash?: string | null;
}) {
	const { chrome } = props;
	const { lang } = chrome;
	const title = t(lang, "deskWebhooks");
	return (
		<DeskLayout chrome={chrome} title={title} formErrors={props.errors}>
			<h1>{title}</h1>
			<p class="hint">{t(lang, "deskWebhooksIntro")}</p>
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			{props.created ? (
				<SecretOnce lang={lang} label={t(lang, "deskWebhookSecret")} secret={props.created.secret}>
					<p>
						{t(lang, "deskWebhookCreated", { url: props.created.webhook.url })}{" "}
						<a href={webhookPath(props.created.webhook)}>{t(lang, "deskWebhook")}</a>
					</p>
				</SecretOnce>
			) : null}
			<StoppedNotice lang={lang} webhooks={props.webhooks} />
			<WebhookTable lang={lang} webhooks={props.webhooks} />
			<CreateForm
				lang={lang}
				csrf={props.csrf}
				idem={props.idem}
				values={props.values}
				errors={props.errors}
			/>
		</DeskLayout>
	);
}

function WebhookFacts(props: { lang: UiLanguage; webhook: Webhook }) {
	const { lang, webhook } = props;
	const overlap = webhook.previousSecretUntil && Date.parse(webhook.previousSecretUntil) > Date.now();
	return (
		<dl class="facts">
			<dt>{t(lang, "deskWebhookUrl")}</dt>
			<dd>
				<code>{webhook.url}</code>
			</dd>
			{webhook.description ? (
				<>
					<dt>{t(lang, "deskWebhookDescription")}</dt>
					<dd>{webhook.description}</dd>
				</>
			) : null}
			<dt>{t(lang, "deskWebhookEvents")}</dt>
			<dd>
				<ul class="events">
					{webhook.events.split(" ").map((event) => (
						<li>{eventLabel(lang, event)}</li>
					))}
				</ul>
			</dd>
			<dt>{t(lang, "status")}</dt>
			<dd>
				<EnabledLabel lang={lang} webhook={webhook} />
			</dd>
			{webhook.disabledAt && webhook.disabledReason ? (
				<>
					<dt>{t(lang, "deskWebhookReason")}</dt>
					<dd>{fieldMessage(lang, webhook.disabledReason)}</dd>
				</>
			) : null}
			{overlap ? (
				<>
					<dt>{t(lang, "deskWebhookOldSecretUntil")}</dt>
					<dd>{formatDateTime(webhook.previousSecretUntil, lang)}</dd>
				</>
			) : null}
			<dt>{t(lang, "deskCreated")}</dt>
			<dd>{formatDateTime(webhook.createdAt, lang)}</dd>
			<dt>{t(lang, "deskVersion")}</dt>
			<dd>{webhook.version}</dd>
		</dl>
	);
}

/** One action of the webhook page: a heading, a hint and a single button. */
function ActionForm(props: {
	csrf: string;
	idem: string;
	action: string;
	title: string;
	hint: string;
	button: string;
	danger?: boolean;
	version?: number;
}) {
	return (
		<>
			<h2>{props.title}</h2>
			<form method="post" action={props.action}>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				{props.version !== undefined ? (
					<input type="hidden" name="version" value={String(props.version)} />
				) : null}
				<p class="hint">{props.hint}</p>
				<button type="submit" class={props.danger ? "danger" : "secondary"}>
					{props.button}
				</button>
			</form>
		</>
	);
}

/** Deleting needs the box ticked (checked again on the server): the log goes with it. */
function DeleteForm(props: {
	lang: UiLanguage;
	csrf: string;
	idem: string;
	webhook: Webhook;
	error: boolean;
}) {
	const { lang } = props;
	return (
		<details class="delete" open={props.error}>
			<summary>{t(lang, "deskWebhookDelete")}</summary>
			<form method="post" action={`${webhookPath(props.webhook)}/delete`}>
				<FormSecrets csrf={props.csrf} idem={props.idem} />
				<p class="hint">{t(lang, "deskWebhookDeleteHint")}</p>
				<ConfirmBox
					id={fieldId("confirm")}
					label={t(lang, "deskWebhookDeleteConfirm")}
					lang={lang}
					error={props.error ? t(lang, "deskWebhookDeleteUnconfirmed") : undefined}
				/>
				<button type="submit" class="danger">
					{t(lang, "deskWebhookDelete")}
				</button>
			</form>
		</details>
	);
}

function AttemptLog(props: { lang: UiLanguage; delivery: DeliveryWithAttempts }) {
	const { lang } = props;
	if (props.delivery.attemptLog.length === 0) return null;
	return (
		<ul class="attempts">
			{props.delivery.attemptLog.map((attempt) => (
				<li>
					{t(lang, "deskWebhookAttempt", { n: attempt.attempt })} · {formatDateTime(attempt.createdAt, lang)}{" "}
					· {attempt.statusCode ?? t(lang, "deskWebhookNoAnswer")} · {formatNumber(lang, attempt.durationMs)}{" "}
					ms
					{attempt.error ? ` · ${fieldMessage(lang, attempt.error)}` : ""}
				</li>
			))}
		</ul>
	);
}

/** Links to the log of one state, or of all; the current one is marked. */
function DeliveryFilter(props: {
	lang: UiLanguage;
	webhook: Webhook;
	state: WebhookDelivery["state"] | null;
}) {
	const { lang } = props;
	const path = `${webhookPath(props.webhook)}#deliveries-h`;
	const choices: [WebhookDelivery["state"] | null, string][] = [
		[null, t(lang, "deskWebhookAllDeliveries")],
		...WEBHOOK_DELIVERY_STATES.map((state): [WebhookDelivery["state"], string] => [
			state,
			t(lang, STATE_KEYS[state]),
		]),
	];
	return (
		<nav aria-label={t(lang, "deskWebhookFilter")} class="tabs">
			<ul>
				{choices.map(([state, label]) => (
					<li>
						<a
							href={state ? `${webhookPath(props.webhook)}?state=${state}#deliveries-h` : path}
							aria-current={state === props.state ? "page" : undefined}
						>
							{label}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

function DeliveryLog(props: {
	lang: UiLanguage;
	csrf: string;
	keys: () => string;
	webhook: Webhook;
	deliveries: DeliveryWithAttempts[];
	state: WebhookDelivery["state"] | null;
	older: string | null;
	/** The time the page is made (ms): a delivery stranded as pending is replayable. */
	now: number;
}) {
	const { lang } = props;
	const older = new URLSearchParams({
		...(props.state ? { state: props.state } : {}),
		cursor: props.older ?? "",
	});
	return (
		<section aria-labelledby="deliveries-h">
			<h2 id="deliveries-h">{t(lang, "deskWebhookDeliveries")}</h2>
			<p class="hint">{t(lang, "deskWebhookDeliveriesHint")}</p>
			<DeliveryFilter lang={lang} webhook={props.webhook} state={props.state} />
			{props.deliveries.length === 0 ? (
				<p>{t(lang, "deskWebhookNoDeliveries")}</p>
			) : (
				// Five columns do not fit a phone: the table scrolls sideways instead of breaking words.
				<div class="table-scroll">
					<table class="deliveries">
						<caption class="visually-hidden">{t(lang, "deskWebhookDeliveries")}</caption>
						<thead>
							<tr>
								<th scope="col">{t(lang, "deskCreated")}</th>
								<th scope="col">{t(lang, "deskWebhookEvent")}</th>
								<th scope="col">{t(lang, "status")}</th>
								<th scope="col">{t(lang, "deskWebhookAttempts")}</th>
								<th scope="col">{t(lang, "deskWebhookNextAttempt")}</th>
							</tr>
						</thead>
						<tbody>
							{props.deliveries.map((delivery) => (
								<tr id={`delivery-${delivery.id}`}>
									<td>{formatDateTime(delivery.createdAt, lang)}</td>
									<td>
										<code>{delivery.eventType}</code>
									</td>
									<td>
										<span class={`delivery-state delivery-${delivery.state}`}>
											{t(lang, stateKey(delivery))}
										</span>
										{/* One whose event no longer held is offered too: it may hold again (the 409 decides).
										    One about a removed claim never is sent again: no button for a sure refusal. */}
										{isReplayable(delivery, props.now) && !delivery.removed ? (
											<form
												method="post"
												action={`${webhookPath(props.webhook)}/replay`}
												class="inline replay"
											>
												<FormSecrets csrf={props.csrf} idem={props.keys()} />
												<input type="hidden" name="delivery" value={delivery.id} />{" "}
												<button type="submit" class="secondary">
													{t(lang, "deskWebhookReplay")}
												</button>
											</form>
										) : null}
									</td>
									<td>
										{delivery.attempts}
										<AttemptLog lang={lang} delivery={delivery} />
									</td>
									<td>{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt, lang) : "–"}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{props.older ? (
				<p>
					<a href={`${webhookPath(props.webhook)}?${older.toString()}#deliveries-h`} rel="next">
						{t(lang, "deskWebhookOlderDeliveries")}
					</a>
				</p>
			) : null}
		</section>
	);
}

export function WebhookPage(props: {
	chrome: DeskChrome;
	csrf: string;
	keys: () => string;
	webhook: Webhook;
	deliveries: DeliveryWithAttempts[];
	/** The log shows deliveries of this state only; null: all. */
	deliveryState: WebhookDelivery["state"] | null;
	/** The cursor of the next, older page of the log; null on the last. */
	olderDeliveries: string | null;
	/** When the page is made (ms). */
	now: number;
	newSecret?: string | null;
	notice?: string | null;
	flash?: string | null;
	deleteError?: boolean;
	/** The edit form as sent, with its errors (a 422), or at the current version (a 409). */
	edit?: { values: Values; errors: FieldErrors } | null;
}) {
	const { chrome, webhook, csrf, keys } = props;
	const { lang } = chrome;
	const title = `${t(lang, "deskWebhook")}: ${webhook.url}`;
	const path = webhookPath(webhook);
	const edit = props.edit ?? { values: webhookValues(webhook), errors: {} };
	// The edit and delete forms stand below the facts: their errors are summarised atop the page.
	const failed: PageErrors | null = props.deleteError
		? {
				errors: { confirm: t(lang, "deskWebhookDeleteUnconfirmed") },
				fields: [{ name: "confirm", label: t(lang, "deskWebhookDeleteConfirm"), id: fieldId("confirm") }],
			}
		: {
				errors: edit.errors,
				fields: Object.entries(fieldLabels(lang)).map(([name, label]) => ({
					name,
					label,
					id: fieldId(name),
				})),
			};
	return (
		<DeskLayout chrome={chrome} title={title} errors={failed}>
			<h1>{title}</h1>
			{props.notice ? (
				<Notice kind="error" role="alert">
					{props.notice}
				</Notice>
			) : null}
			{props.flash ? (
				<Notice role="alert" focus>
					{props.flash}
				</Notice>
			) : null}
			{props.newSecret ? (
				<SecretOnce lang={lang} label={t(lang, "deskWebhookNewSecret")} secret={props.newSecret}>
					<p>{t(lang, "deskWebhookRotated")}</p>
				</SecretOnce>
			) : null}
			<WebhookFacts lang={lang} webhook={webhook} />
			<EditForm
				lang={lang}
				csrf={csrf}
				idem={edit.values._idem || keys()}
				webhook={webhook}
				values={edit.values}
				errors={edit.errors}
			/>
			<ActionForm
				csrf={csrf}
				idem={keys()}
				action={`${path}/test`}
				title={t(lang, "deskWebhookTest")}
				hint={t(lang, "deskWebhookTestHint")}
				button={t(lang, "deskWebhookTest")}
			/>
			<ActionForm
				csrf={csrf}
				idem={keys()}
				action={`${path}/rotate-secret`}
				title={t(lang, "deskWebhookRotate")}
				hint={t(lang, "deskWebhookRotateHint")}
				button={t(lang, "deskWebhookRotate")}
			/>
			<ActionForm
				csrf={csrf}
				idem={keys()}
				action={`${path}/${webhook.disabledAt ? "enable" : "disable"}`}
				title={webhook.disabledAt ? t(lang, "deskWebhookEnable") : t(lang, "deskWebhookDisable")}
				hint={webhook.disabledAt ? t(lang, "deskWebhookEnableHint") : t(lang, "deskWebhookDisableHint")}
				button={webhook.disabledAt ? t(lang, "deskWebhookEnable") : t(lang, "deskWebhookDisable")}
				danger={!webhook.disabledAt}
				version={webhook.version}
			/>
			<DeleteForm
				lang={lang}
				csrf={csrf}
				idem={keys()}
				webhook={webhook}
				error={props.deleteError ?? false}
			/>
			<DeliveryLog
				lang={lang}
				csrf={csrf}
				keys={keys}
				webhook={webhook}
				deliveries={props.deliveries}
				state={props.deliveryState}
				older={props.olderDeliveries}
				now={props.now}
			/>
		</DeskLayout>
	);
}
