import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { deliverWebhooks } from "../../src/queues/webhook-delivery";
import { getDelivery, getWebhook, insertDeliveries, recordAttempt } from "../../src/store/webhooks";
import { makeClaim } from "../factories";
import { BASE, call, eventually, fetchWith, json, testDb } from "../helpers";
import { fanOutNow, hook, rowsOf } from "../webhook-helpers";
import { type Account, account, apiCall, apiToken, deskGet, deskPost, hidden } from "./helpers";

const LIST = "/desk/admin/webhooks";
const receiver = () => `https://hooks.example/ok/${newId()}`;

function secretIn(html: string): string | undefined {
	return /id="new-secret" type="text" readonly="" value="([^"]+)"/.exec(html)?.[1];
}

interface Row {
	id: string;
	url: string;
	secret: string;
	version: number;
}

async function rowOf(url: string): Promise<Row | null> {
	return env.DB.prepare("SELECT id, url, secret, version FROM webhooks WHERE url = ?").bind(url).first<Row>();
}

/** Creates a webhook through the desk form; answers its row and the page shown. */
async function create(admin: Account, fields: Record<string, string> = {}) {
	const url = fields.url ?? receiver();
	const response = await deskPost(admin, LIST, {
		url,
		"event:verdict.published": "1",
		"event:claim.created": "1",
		description: "",
		_idem: newToken(18),
		...fields,
	});
	const html = await response.text();
	const row = await rowOf(url);
	return { response, html, row, url };
}

async function created(admin: Account, fields: Record<string, string> = {}) {
	const { response, html, row } = await create(admin, fields);
	expect(response.status, html).toBe(201);
	if (!row) throw new Error("no webhook row");
	return row;
}

/** A test event, delivered by the pool's consumer (the fixture receiver answers 204). */
/** A delivery put in a state, as the consumer or the dead-letter queue leaves it. */
async function forceState(deliveryId: string, state: "failed" | "dead"): Promise<void> {
	await env.DB.prepare("UPDATE webhook_deliveries SET state = ?, next_attempt_at = NULL WHERE id = ?")
		.bind(state, deliveryId)
		.run();
}

async function deliveredTest(admin: Account, webhookId: string): Promise<string> {
	const sent = await deskPost(admin, `${LIST}/${webhookId}/test`, { _idem: newToken(18) });
	expect(sent.status).toBe(303);
	const row = await env.DB.prepare(
		"SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY rowid DESC",
	)
		.bind(webhookId)
		.first<{ id: string }>();
	if (!row) throw new Error("no delivery");
	const delivery = await eventually(
		() => getDelivery(testDb(), row.id),
		(d) => d?.state === "delivered",
	);
	expect(delivery?.state).toBe("delivered");
	return row.id;
}

describe("desk: webhooks (admins)", () => {
	it("lists, creates with the secret shown once, and a reload does not create a second one", async () => {
		const admin = await account("admin");
		const url = receiver();
		const idem = newToken(18);
		const form = { url, "event:verdict.published": "1", description: "Partner newsroom", _idem: idem };
		const first = await deskPost(admin, LIST, form);
		expect(first.status).toBe(201);
		const html = await first.text();
		const secret = secretIn(html);
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		expect(html).toContain("Store it now");
		const row = await rowOf(url);
		expect(row?.secret).toBe(secret);
		// The new webhook is in the table, linked.
		expect(html).toContain(`href="${LIST}/${row?.id}"`);
		// The reload goes to the webhook's page, which never shows the secret.
		const again = await deskPost(admin, LIST, form);
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`${LIST}/${row?.id}`);
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM webhooks WHERE url = ?").bind(url).first("n"),
		).toBe(1);
		const detail = await deskGet(admin, `${LIST}/${row?.id}`);
		expect(detail.status).toBe(200);
		const detailHtml = await detail.text();
		expect(detailHtml).toContain(url);
		expect(detailHtml).toContain("Partner newsroom");
		expect(detailHtml).not.toContain(secret);
		expect(detailHtml).not.toContain("whsec_");
		const list = await deskGet(admin, LIST);
		expect(list.status).toBe(200);
		const listHtml = await list.text();
		expect(listHtml).toContain(url);
		expect(listHtml).not.toContain("whsec_");
		// In German, too.
		const german = await (await deskGet(admin, `${LIST}?lang=de`)).text();
		expect(german).toContain("Webhook anlegen");
		expect(german).toContain("Ereignisse");
	});

	it("re-shows the form with the error beside the field: a private address, no event", async () => {
		const admin = await account("admin");
		const privateUrl = "http://10.0.0.1/";
		const bad = await create(admin, { url: privateUrl, description: "kept" });
		expect(bad.response.status).toBe(422);
		expect(bad.html).toContain('id="f-url-error"');
		expect(bad.html).toContain('aria-invalid="true"');
		expect(bad.html).toContain('value="http://10.0.0.1/"');
		expect(bad.html).toContain('value="kept"');
		expect(bad.html).not.toContain("whsec_");
		expect(bad.row).toBeNull();
		const noEvents = await deskPost(admin, LIST, { url: receiver(), _idem: newToken(18) });
		expect(noEvents.status).toBe(422);
		expect(await noEvents.text()).toContain('id="f-events-error"');
		const blank = await deskPost(admin, LIST, { url: "", "event:claim.created": "1", _idem: newToken(18) });
		expect(blank.status).toBe(422);
		expect(await blank.text()).toContain('id="f-url-error"');
	});

	it("names the address when, written out, it is longer than 2,048 characters, keeping the form", async () => {
		const admin = await account("admin");
		const url = `https://hooks.example/${"ä".repeat(700)}`;
		const bad = await create(admin, { url, description: "long" });
		expect(bad.response.status).toBe(422);
		expect(bad.html).toContain('id="f-url-error"');
		expect(bad.html).toContain("2,048");
		expect(bad.html).toContain('value="long"');
		expect(bad.row).toBeNull();
	});

	it("sends a test event, shown in the delivery log with its attempt", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const idem = newToken(18);
		const sent = await deskPost(admin, `${LIST}/${row.id}/test`, { _idem: idem });
		expect(sent.status).toBe(303);
		expect(sent.headers.get("location")).toBe(`${LIST}/${row.id}?done=test-sent`);
		// A double click sends one event.
		expect((await deskPost(admin, `${LIST}/${row.id}/test`, { _idem: idem })).status).toBe(303);
		// Test events only: claims other files record meanwhile reach this subscriber too.
		const count = () =>
			env.DB.prepare(
				"SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND event_type = 'webhook.test'",
			)
				.bind(row.id)
				.first("n");
		expect(await count()).toBe(1);
		// Sending data to an outside address is an admin act on record, with who did it.
		const audited = await env.DB.prepare(
			"SELECT actor_id AS actor, changes FROM audit_log WHERE entity = 'webhook' AND entity_id = ? AND action = 'test'",
		)
			.bind(row.id)
			.all<{ actor: string; changes: string }>();
		expect(audited.results.map((r) => r.actor)).toEqual([admin.user.id]);
		await eventually(
			() =>
				env.DB.prepare("SELECT state FROM webhook_deliveries WHERE webhook_id = ?")
					.bind(row.id)
					.first("state"),
			(state) => state === "delivered",
		);
		const html = await (await deskGet(admin, `${LIST}/${row.id}?done=test-sent`)).text();
		expect(html).toContain("A test event is queued");
		expect(html).toContain("<code>webhook.test</code>");
		expect(html).toContain("delivered");
		expect(html).toMatch(/Attempt 1 · [^<]* · 204 · \d+ ms/);
		// Delivered: nothing to replay.
		expect(html).not.toContain(`action="${LIST}/${row.id}/replay"`);
	});

	it("rotates the secret: the new one shown once, the old one signing for 24 hours", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const idem = newToken(18);
		const rotated = await deskPost(admin, `${LIST}/${row.id}/rotate-secret`, { _idem: idem });
		expect(rotated.status).toBe(200);
		const html = await rotated.text();
		const secret = secretIn(html);
		expect(secret).toMatch(/^whsec_/);
		expect(secret).not.toBe(row.secret);
		expect(html).toContain("For 24 hours the secret it replaced keeps signing too");
		const after = await getWebhook(testDb(), row.id);
		expect(after?.secret).toBe(secret);
		expect(after?.previousSecret).toBe(row.secret);
		// A reload rotates nothing and shows nothing.
		const again = await deskPost(admin, `${LIST}/${row.id}/rotate-secret`, { _idem: idem });
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`${LIST}/${row.id}`);
		expect((await getWebhook(testDb(), row.id))?.secret).toBe(secret);
		const page = await (await deskGet(admin, `${LIST}/${row.id}`)).text();
		expect(page).not.toContain("whsec_");
		expect(page).toContain("The previous secret signs until");
	});

	it("disables and enables at the version the admin saw; the list names stopped endpoints", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const page = await (await deskGet(admin, `${LIST}/${row.id}`)).text();
		expect(hidden(page, "version")).toBe(String(row.version));
		const off = await deskPost(admin, `${LIST}/${row.id}/disable`, {
			version: hidden(page, "version") ?? "",
			_idem: newToken(18),
		});
		expect(off.status).toBe(303);
		expect(off.headers.get("location")).toBe(`${LIST}/${row.id}?done=disabled`);
		const disabled = await getWebhook(testDb(), row.id);
		expect(disabled?.disabledAt).toBeTruthy();
		const list = await (await deskGet(admin, LIST)).text();
		expect(list).toContain("Deliveries to these webhooks have stopped");
		expect(list).toContain("disabled by an admin");
		const detail = await (await deskGet(admin, `${LIST}/${row.id}?done=disabled`)).text();
		expect(detail).toContain("The webhook is disabled.");
		expect(detail).toContain(`action="${LIST}/${row.id}/enable"`);
		// An outdated version changes nothing.
		const stale = await deskPost(admin, `${LIST}/${row.id}/enable`, {
			version: String(row.version),
			_idem: newToken(18),
		});
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain("Someone else changed this webhook in the meantime.");
		expect((await getWebhook(testDb(), row.id))?.disabledAt).toBeTruthy();
		const on = await deskPost(admin, `${LIST}/${row.id}/enable`, {
			version: String(disabled?.version),
			_idem: newToken(18),
		});
		expect(on.status).toBe(303);
		expect(on.headers.get("location")).toBe(`${LIST}/${row.id}?done=enabled`);
		expect((await getWebhook(testDb(), row.id))?.disabledAt).toBeNull();
	});

	it("shows why the delivery stopped for an endpoint disabled after a 410", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		await env.DB.prepare("UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ?")
			.bind(new Date().toISOString(), "the receiver answered 410 Gone", row.id)
			.run();
		const list = await (await deskGet(admin, LIST)).text();
		expect(list).toMatch(/Deliveries to these webhooks have stopped[\s\S]*the receiver answered 410 Gone/);
		const detail = await (await deskGet(admin, `${LIST}/${row.id}`)).text();
		expect(detail).toContain("the receiver answered 410 Gone");
	});

	it("deletes only when confirmed, then goes to the list", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const unconfirmed = await deskPost(admin, `${LIST}/${row.id}/delete`, { _idem: newToken(18) });
		expect(unconfirmed.status).toBe(422);
		expect(await unconfirmed.text()).toContain("Nothing was deleted");
		expect(await getWebhook(testDb(), row.id)).toBeDefined();
		const idem = newToken(18);
		const deleted = await deskPost(admin, `${LIST}/${row.id}/delete`, { confirm: "1", _idem: idem });
		expect(deleted.status).toBe(303);
		expect(deleted.headers.get("location")).toBe(`${LIST}?done=deleted`);
		expect(await getWebhook(testDb(), row.id)).toBeUndefined();
		// A double click lands on the list too, not on an error.
		const again = await deskPost(admin, `${LIST}/${row.id}/delete`, { confirm: "1", _idem: idem });
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`${LIST}?done=deleted`);
		expect((await deskGet(admin, `${LIST}/${row.id}`)).status).toBe(404);
		expect(await (await deskGet(admin, `${LIST}?done=deleted`)).text()).toContain(
			"The webhook and its delivery log are deleted.",
		);
	});

	it("escapes what admins typed", async () => {
		const admin = await account("admin");
		const row = await created(admin, { description: "<script>x</script>" });
		for (const path of [LIST, `${LIST}/${row.id}`]) {
			const html = await (await deskGet(admin, path)).text();
			expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
			expect(html).not.toContain("<script>x</script>");
		}
	});

	it("failed and dead deliveries can be replayed; the answer is a redirect to the page", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const deadId = await deliveredTest(admin, row.id);
		const failedId = await deliveredTest(admin, row.id);
		const dead = await getDelivery(testDb(), deadId);
		if (!dead) throw new Error("no delivery");
		// As the consumer records giving up: one more attempt, and the delivery dead.
		await recordAttempt(testDb(), {
			delivery: dead,
			attempt: 2,
			roundAttempt: 2,
			firstAttemptAt: dead.firstAttemptAt ?? new Date().toISOString(),
			statusCode: 500,
			durationMs: 1234,
			error: "receiver error",
			state: "dead",
			nextAttemptAt: null,
		});
		await forceState(failedId, "failed");
		const html = await (await deskGet(admin, `${LIST}/${row.id}`)).text();
		expect(html).toContain("given up");
		expect(html).toContain("failed");
		expect(html).toMatch(/Attempt 2 · [^<]* · 500 · 1,234 ms · receiver error/);
		// Durations as the desk's language writes numbers.
		expect(await (await deskGet(admin, `${LIST}/${row.id}?lang=de`)).text()).toContain("· 500 · 1.234 ms ·");
		for (const id of [deadId, failedId]) {
			expect(html).toContain(`<input type="hidden" name="delivery" value="${id}"`);
		}
		const replay = await deskPost(admin, `${LIST}/${row.id}/replay`, {
			delivery: deadId,
			_idem: newToken(18),
		});
		expect(replay.status).toBe(303);
		expect(replay.headers.get("location")).toBe(`${LIST}/${row.id}?done=replayed`);
		expect((await getDelivery(testDb(), deadId))?.state).not.toBe("dead");
		const shown = await (await deskGet(admin, `${LIST}/${row.id}?done=replayed`)).text();
		expect(shown).toContain("The delivery is queued again");
		// Only deliveries of this webhook, only failed or dead ones.
		const other = await created(admin);
		const foreign = await deskPost(admin, `${LIST}/${other.id}/replay`, {
			delivery: failedId,
			_idem: newToken(18),
		});
		expect(foreign.status).toBe(404);
		const delivered = await deliveredTest(admin, row.id);
		const notReplayable = await deskPost(admin, `${LIST}/${row.id}/replay`, {
			delivery: delivered,
			_idem: newToken(18),
		});
		expect(notReplayable.status).toBe(409);
		expect(await notReplayable.text()).toContain("only failed, dead or stranded ones are replayed");
		// A delivery left pending an hour past its time (its queue message never sent) has the
		// button too, and replaying it queues it now.
		const stranded = await deliveredTest(admin, row.id);
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours') WHERE id = ?",
		)
			.bind(stranded)
			.run();
		const listed = await (await deskGet(admin, `${LIST}/${row.id}`)).text();
		expect(listed).toContain(`<input type="hidden" name="delivery" value="${stranded}"`);
		const replayed = await deskPost(admin, `${LIST}/${row.id}/replay`, {
			delivery: stranded,
			_idem: newToken(18),
		});
		expect(replayed.status).toBe(303);
		const sent = await eventually(
			() => getDelivery(testDb(), stranded),
			(d) => d?.state === "delivered",
		);
		expect(sent?.state).toBe("delivered");
	});
});

describe("desk: changing a webhook", () => {
	it("changes its address, events and description at the version seen, as the API's PATCH; the secret and log stay", async () => {
		const admin = await account("admin");
		const row = await created(admin, { description: "Partner newsroom" });
		const deliveryId = await deliveredTest(admin, row.id);
		const page = await (await deskGet(admin, `${LIST}/${row.id}?lang=en`)).text();
		// The form holds the subscription as it is.
		expect(page).toContain(`action="${LIST}/${row.id}"`);
		expect(page).toContain('name="event:verdict.corrected"');
		expect(page).toMatch(/name="event:verdict\.published"[^>]* checked/);
		expect(page).toContain('value="Partner newsroom"');
		const url = receiver();
		const fields = {
			version: hidden(page, "version") ?? "",
			url,
			"event:verdict.published": "1",
			"event:verdict.corrected": "1",
			description: "Partner newsroom, corrections too",
			_idem: newToken(18),
		};
		const edited = await deskPost(admin, `${LIST}/${row.id}`, fields);
		expect(edited.status, await edited.clone().text()).toBe(303);
		expect(edited.headers.get("location")).toBe(`${LIST}/${row.id}?done=edited`);
		const saved = await getWebhook(testDb(), row.id);
		expect(saved).toMatchObject({
			url,
			events: "verdict.published verdict.corrected",
			description: "Partner newsroom, corrections too",
			version: row.version + 1,
			secret: row.secret,
		});
		expect(await getDelivery(testDb(), deliveryId)).toBeTruthy();
		// The same form sent again (a reload) changes nothing more.
		const again = await deskPost(admin, `${LIST}/${row.id}`, fields);
		expect(again.status).toBe(303);
		expect((await getWebhook(testDb(), row.id))?.version).toBe(row.version + 1);
		const done = await (await deskGet(admin, `${LIST}/${row.id}?done=edited`)).text();
		expect(done).toContain("The webhook is saved.");
		expect(done).toContain(`value="${url}"`);
		const german = await (await deskGet(admin, `${LIST}/${row.id}?lang=de`)).text();
		expect(german).toContain("Webhook ändern");
		expect(german).toContain("Webhook speichern");
	});

	it("re-shows what was typed with the error beside the field, and a stale version under the notice", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const edit = (fields: Record<string, string>) =>
			deskPost(admin, `${LIST}/${row.id}`, {
				version: String(row.version),
				url: receiver(),
				description: "typed",
				_idem: newToken(18),
				...fields,
			});
		const noEvents = await edit({});
		expect(noEvents.status).toBe(422);
		const noEventsHtml = await noEvents.text();
		expect(noEventsHtml).toContain('id="f-events-error"');
		expect(noEventsHtml).toContain('id="error-summary"');
		expect(noEventsHtml).toContain('value="typed"');
		const privateUrl = await edit({ url: "http://10.0.0.1/", "event:claim.created": "1" });
		expect(privateUrl.status).toBe(422);
		const privateHtml = await privateUrl.text();
		expect(privateHtml).toContain('id="f-url-error"');
		expect(privateHtml).toContain('value="http://10.0.0.1/"');
		expect(privateHtml).toMatch(/name="event:claim\.created"[^>]* checked/);
		expect(await getWebhook(testDb(), row.id)).toMatchObject({ url: row.url, version: row.version });
		// Disabled meanwhile: the form sent at the version before is a 409, what was typed kept.
		const off = await deskPost(admin, `${LIST}/${row.id}/disable`, {
			version: String(row.version),
			_idem: newToken(18),
		});
		expect(off.status).toBe(303);
		const stale = await edit({ "event:claim.removed": "1", description: "typed late" });
		expect(stale.status).toBe(409);
		const staleHtml = await stale.text();
		expect(staleHtml).toContain("Someone else changed this webhook in the meantime.");
		expect(staleHtml).toContain('value="typed late"');
		expect(hidden(staleHtml, "version")).toBe(String(row.version + 1));
		expect(await getWebhook(testDb(), row.id)).toMatchObject({ url: row.url, version: row.version + 1 });
	});
});

describe("desk: a disabled webhook", () => {
	it("is sent no test and no replay: a notice says to enable it first, in English and German", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const deadId = await deliveredTest(admin, row.id);
		await forceState(deadId, "dead");
		const off = await deskPost(admin, `${LIST}/${row.id}/disable`, {
			version: String(row.version),
			_idem: newToken(18),
		});
		expect(off.status).toBe(303);
		const count = async () =>
			(
				await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ?")
					.bind(row.id)
					.first<{ n: number }>()
			)?.n;
		const before = await count();
		const test = await deskPost(admin, `${LIST}/${row.id}/test`, { _idem: newToken(18) });
		expect(test.status).toBe(409);
		expect(await test.text()).toContain("This webhook is disabled, so nothing is sent to it");
		const replay = await deskPost(admin, `${LIST}/${row.id}/replay?lang=de`, {
			delivery: deadId,
			_idem: newToken(18),
		});
		expect(replay.status).toBe(409);
		expect(await replay.text()).toContain("Dieser Webhook ist deaktiviert, daher wird ihm nichts gesendet");
		expect(await count()).toBe(before);
		expect((await getDelivery(testDb(), deadId))?.state).toBe("dead");
	});

	it("is said, before it is disabled, to fail its pending deliveries, which enabling it again does not send (en, de)", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const hint = async (lang: string) => {
			const page = await (await deskGet(admin, `${LIST}/${row.id}?lang=${lang}`)).text();
			const form = page.split(`action="${LIST}/${row.id}/disable"`)[1] ?? "";
			return /<p class="hint">([^<]*)<\/p>/.exec(form)?.[1];
		};
		expect({ en: await hint("en"), de: await hint("de") }).toEqual({
			en: "No deliveries are sent while it is disabled: its pending deliveries become failed at once and are not sent when it is enabled again; replay them from the delivery log.",
			de: "Solange er deaktiviert ist, wird nichts zugestellt: Ausstehende Zustellungen gelten sofort als fehlgeschlagen und werden auch nach dem erneuten Aktivieren nicht gesendet; im Zustellprotokoll lassen sie sich erneut senden.",
		});
	});
});

describe("desk: a replay whose queue message is not sent", () => {
	it("re-shows the webhook's page, 503 with Retry-After, saying to try again shortly (en, de); nothing changed", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const deadId = await deliveredTest(admin, row.id);
		await forceState(deadId, "dead");
		const refusing = {
			send: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
			sendBatch: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
		};
		const replayDown = async (lang: string) => {
			const { response, settled } = await fetchWith(
				env.DB,
				`${LIST}/${row.id}/replay?lang=${lang}`,
				{
					method: "POST",
					headers: {
						"Content-Type": "application/x-www-form-urlencoded",
						Origin: BASE,
						Cookie: admin.cookie,
						Accept: "text/html",
					},
					body: new URLSearchParams({ _csrf: admin.csrf, delivery: deadId, _idem: newToken(18) }).toString(),
					redirect: "manual",
				},
				false,
				{ WEBHOOK_QUEUE: refusing as unknown as Queue },
			);
			await settled();
			const html = await response.text();
			return {
				status: response.status,
				retryAfter: response.headers.get("Retry-After"),
				notice: /<[^>]+role="alert"[^>]*>([^<]*)</.exec(html)?.[1]?.trim(),
				// The webhook's own page, its delivery log and Replay button there.
				replayOffered: html.includes(`<input type="hidden" name="delivery" value="${deadId}"`),
			};
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let answers: Record<string, Awaited<ReturnType<typeof replayDown>>>;
		try {
			answers = { en: await replayDown("en"), de: await replayDown("de") };
		} finally {
			logged.mockRestore();
		}
		expect(answers).toEqual({
			en: {
				status: 503,
				retryAfter: expect.stringMatching(/^[1-9]\d*$/),
				notice: "The delivery could not be queued just now: nothing was changed. Try again shortly.",
				replayOffered: true,
			},
			de: {
				status: 503,
				retryAfter: expect.stringMatching(/^[1-9]\d*$/),
				notice:
					"Die Zustellung konnte gerade nicht in die Warteschlange gestellt werden: Nichts wurde geändert. Bitte gleich noch einmal versuchen.",
				replayOffered: true,
			},
		});
		expect(await getDelivery(testDb(), deadId)).toMatchObject({ state: "dead", replayId: null });
		const replayed = await deskPost(admin, `${LIST}/${row.id}/replay`, {
			delivery: deadId,
			_idem: newToken(18),
		});
		expect(replayed.status).toBe(303);
	});
});

describe("desk: a test whose queue message is not sent", () => {
	it("re-shows the webhook's page, 503 with Retry-After, saying nothing was sent (en, de); no delivery left", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const refusing = {
			send: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
			sendBatch: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
		};
		const testDown = async (lang: string) => {
			const { response, settled } = await fetchWith(
				env.DB,
				`${LIST}/${row.id}/test?lang=${lang}`,
				{
					method: "POST",
					headers: {
						"Content-Type": "application/x-www-form-urlencoded",
						Origin: BASE,
						Cookie: admin.cookie,
						Accept: "text/html",
					},
					body: new URLSearchParams({ _csrf: admin.csrf, _idem: newToken(18) }).toString(),
					redirect: "manual",
				},
				false,
				{ WEBHOOK_QUEUE: refusing as unknown as Queue },
			);
			await settled();
			const html = await response.text();
			return {
				status: response.status,
				retryAfter: response.headers.get("Retry-After"),
				notice: /<[^>]+role="alert"[^>]*>([^<]*)</.exec(html)?.[1]?.trim(),
			};
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let answers: Record<string, Awaited<ReturnType<typeof testDown>>>;
		try {
			answers = { en: await testDown("en"), de: await testDown("de") };
		} finally {
			logged.mockRestore();
		}
		expect(answers).toEqual({
			en: {
				status: 503,
				retryAfter: expect.stringMatching(/^[1-9]\d*$/),
				notice: "The test delivery could not be queued just now: nothing was sent. Try again shortly.",
			},
			de: {
				status: 503,
				retryAfter: expect.stringMatching(/^[1-9]\d*$/),
				notice:
					"Die Testzustellung konnte gerade nicht in die Warteschlange gestellt werden: Nichts wurde gesendet. Bitte gleich noch einmal versuchen.",
			},
		});
		const { results } = await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE webhook_id = ?")
			.bind(row.id)
			.all();
		expect(results).toEqual([]);
	});
});

describe("desk: a delivery withheld because its claim was removed", () => {
	it("says so in the log (en, de) and the API's `reason`, not 'given up'", { timeout: 60_000 }, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const editor = (await apiToken((await account("editor")).user, ["claims:write"])).token;
		const webhookId = await hook(["claim.created", "speaker.updated"]);
		// A private person's claim, recorded by mistake; its speaker goes with it.
		const claim = await makeClaim({ speaker: { name: `Privatperson ${newId()}` } });
		for (let i = 0; i < 2; i++)
			await fanOutNow({ type: "claim.created", claimId: claim.id, speakerIds: [claim.speaker?.id ?? ""] });
		await fanOutNow({ type: "speaker.updated", speakerId: claim.speaker?.id ?? "", claimIds: [] });
		const [untried, tried, speaker] = await rowsOf(webhookId);
		if (!untried || !tried || !speaker) throw new Error("no deliveries");
		// One attempted before the removal: its receiver answered 500, a retry was due.
		const read = await getDelivery(testDb(), tried.id);
		if (!read) throw new Error("no delivery");
		await recordAttempt(testDb(), {
			delivery: read,
			attempt: 1,
			roundAttempt: 1,
			firstAttemptAt: new Date().toISOString(),
			statusCode: 500,
			durationMs: 12,
			error: null,
			state: "pending",
			nextAttemptAt: new Date(Date.now() + 300_000).toISOString(),
		});
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
			token: editor,
			body: { version: claim.version, reason: "A private person." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		const states = (await rowsOf(webhookId)).map((row) => row.state);
		expect(states).toEqual(["dead", "dead", "dead"]);

		const shown = async (lang: string) => {
			const html = await (await deskGet(admin, `${LIST}/${webhookId}?lang=${lang}`)).text();
			const rowOf = (id: string) => html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
			const state = (id: string) =>
				/<span class="delivery-state [^"]*">([^<]*)</.exec(rowOf(id))?.[1]?.trim();
			return { untried: state(untried.id), tried: state(tried.id), speaker: state(speaker.id) };
		};
		const log = await json<{ data: { id: string; reason: string | null }[] }>(
			await apiCall("GET", `/api/v1/webhooks/${webhookId}/deliveries`, { token }),
		);
		const reason = (id: string) => log.data.find((d) => d.id === id)?.reason;
		expect({
			en: await shown("en"),
			de: await shown("de"),
			api: { untried: reason(untried.id), tried: reason(tried.id), speaker: reason(speaker.id) },
		}).toEqual({
			en: {
				untried: "not sent: claim removed",
				tried: "not sent again: claim removed",
				speaker: "not sent: claim removed",
			},
			de: {
				untried: "nicht gesendet: Behauptung entfernt",
				tried: "nicht erneut gesendet: Behauptung entfernt",
				speaker: "nicht gesendet: Behauptung entfernt",
			},
			api: {
				untried: "not sent: claim removed",
				tried: "not sent again: claim removed",
				speaker: "not sent: claim removed",
			},
		});
		// The API's document lists it among the reasons, and says what it means.
		const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
			await call("/api/v1/openapi.json"),
		);
		const answer = doc.paths["/api/v1/webhooks/{id}/deliveries"]?.get as {
			responses: Record<string, { content: Record<string, { schema: DeliveriesSchema }> }>;
		};
		const documented =
			answer.responses["200"]?.content["application/json"]?.schema.properties.data.items.properties.reason;
		expect(documented?.anyOf?.[0]?.enum).toEqual(
			expect.arrayContaining(["not sent: claim removed", "not sent again: claim removed"]),
		);
		expect(documented?.description).toContain('"not sent: claim removed" (it describes a claim removed');
		// A replay of one could only be refused (409 claim-removed): none is offered.
		const page = await (await deskGet(admin, `${LIST}/${webhookId}?lang=en`)).text();
		for (const id of [untried.id, tried.id, speaker.id])
			expect(page).not.toContain(`<input type="hidden" name="delivery" value="${id}"`);
	});
});

interface DeliveriesSchema {
	properties: {
		data: { items: { properties: { reason: { anyOf?: { enum?: string[] }[]; description?: string } } } };
	};
}

describe("desk: webhooks in German", () => {
	it("shows why an endpoint stopped and what an attempt failed on in German; the API keeps English", async () => {
		const admin = await account("admin");
		// Stored as the delivery consumer stores them (English), before and after this fix.
		const reasons: [string, string][] = [
			["The receiver answered 410 Gone.", "Der Empfänger antwortete mit 410 Gone."],
			["Every delivery failed for three days.", "Drei Tage lang ist jede Zustellung fehlgeschlagen."],
		];
		const stopped: string[] = [];
		for (const [reason] of reasons) {
			const row = await created(admin);
			await env.DB.prepare("UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ?")
				.bind(new Date().toISOString(), reason, row.id)
				.run();
			stopped.push(row.id);
		}
		// Disabled by an admin through the desk.
		const byAdmin = await created(admin);
		const off = await deskPost(admin, `${LIST}/${byAdmin.id}/disable`, {
			version: String(byAdmin.version),
			_idem: newToken(18),
		});
		expect(off.status).toBe(303);
		const deliveryId = newId();
		await insertDeliveries(testDb(), [
			{ id: deliveryId, webhookId: byAdmin.id, eventType: "webhook.test", payload: "{}", timestamp: 0 },
		]);
		const delivery = await getDelivery(testDb(), deliveryId);
		if (!delivery) throw new Error("no delivery");
		const firstAttemptAt = new Date().toISOString();
		const tries = { delivery, firstAttemptAt, durationMs: 5, state: "failed", nextAttemptAt: null } as const;
		await recordAttempt(testDb(), {
			...tries,
			attempt: 1,
			roundAttempt: 1,
			statusCode: 301,
			error: "redirects are not followed",
		});
		await recordAttempt(testDb(), {
			...tries,
			attempt: 2,
			roundAttempt: 2,
			statusCode: null,
			error: "no answer within 15 s",
		});

		const list = await (await deskGet(admin, `${LIST}?lang=de`)).text();
		for (const [english, german] of reasons) {
			expect(list).toContain(german);
			expect(list).not.toContain(english);
		}
		expect(list).toContain("von einer Administratorin oder einem Administrator deaktiviert");
		expect(list).not.toContain("disabled by an admin");
		for (const [index, id] of stopped.entries()) {
			const detail = await (await deskGet(admin, `${LIST}/${id}?lang=de`)).text();
			expect(detail).toContain(reasons[index]?.[1]);
		}
		const detail = await (await deskGet(admin, `${LIST}/${byAdmin.id}?lang=de`)).text();
		expect(detail).toContain("von einer Administratorin oder einem Administrator deaktiviert");
		expect(detail).toContain("Weiterleitungen werden nicht verfolgt");
		expect(detail).toContain("keine Antwort innerhalb von 15 s");
		expect(detail).not.toMatch(/redirects are not followed|no answer within/);
		// The English desk and the stored rows (which the API answers) stay English.
		const english = await (await deskGet(admin, `${LIST}/${byAdmin.id}?lang=en`)).text();
		expect(english).toContain("redirects are not followed");
		expect((await getWebhook(testDb(), stopped[0] ?? ""))?.disabledReason).toBe(reasons[0]?.[0]);
	});
});

describe("desk: the webhook list keeps words whole", () => {
	it("gives each event its own code, whole, and stacks the table on a phone with each column named", async () => {
		const admin = await account("admin");
		const row = await created(admin, { "event:appearance.added": "1" });
		const css = await (await call("/assets/app.css")).text();
		// Whole: anywhere squeezed the columns a letter wide ("claim.crea|ted", "Enable|d").
		expect(css).toContain("td.whole,td.whole code{overflow-wrap:normal;word-break:normal}");
		expect(css).toContain("td.word{overflow-wrap:normal;white-space:nowrap}");
		expect(css).toMatch(/@media \(max-width:30rem\)\{table\.stack thead\{display:none\}/);
		for (const [lang, events, status, createdLabel] of [
			["en", "Events", "Status", "Created"],
			["de", "Ereignisse", "Status", "Angelegt"],
		] as const) {
			const list = await (await deskGet(admin, `${LIST}?lang=${lang}`)).text();
			expect(list, lang).toContain('<table class="stack">');
			const start = list.indexOf(row.url);
			const tr = list.slice(start, list.indexOf("</tr>", start));
			expect(tr, lang).toContain(
				`<td class="whole" data-label="${events}"><code>claim.created</code> <code>verdict.published</code> <code>appearance.added</code></td>`,
			);
			expect(tr, lang).toMatch(new RegExp(`<td class="word" data-label="${status}">(Enabled|Aktiv)</td>`));
			expect(tr, lang).toContain(`<td class="whole" data-label="${createdLabel}">`);
		}
	});
});

describe("desk: a webhook attempt the receiver could not be reached for", () => {
	it("names it in German with the runtime's words after it; the API keeps English", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const deliveryId = newId();
		await insertDeliveries(testDb(), [
			{ id: deliveryId, webhookId: row.id, eventType: "webhook.test", payload: "{}", timestamp: 0 },
		]);
		const retried: unknown[] = [];
		const message = {
			body: { deliveryId },
			ack: () => undefined,
			retry: (o?: unknown) => void retried.push(o),
		};
		await deliverWebhooks([message], {
			db: testDb(),
			fetch: async () => {
				throw new TypeError("Network connection lost.");
			},
			now: () => Date.now(),
			allowLoopback: false,
			deadLetters: { send: async () => undefined },
		});
		// Tried again later, as any attempt without an answer.
		expect(retried).toHaveLength(1);
		const german = await (await deskGet(admin, `${LIST}/${row.id}?lang=de`)).text();
		expect(german).toContain("Empfänger nicht erreichbar: Network connection lost.");
		expect(german).not.toContain("could not be reached");
		const english = await (await deskGet(admin, `${LIST}/${row.id}?lang=en`)).text();
		expect(english).toContain("the receiver could not be reached: Network connection lost.");
		const { token } = await apiToken(admin.user, ["webhooks:manage"]);
		const log = (await (await apiCall("GET", `/api/v1/webhooks/${row.id}/deliveries`, { token })).json()) as {
			data: { id: string; log: { error: string | null }[] }[];
		};
		expect(log.data.find((d) => d.id === deliveryId)?.log.map((a) => a.error)).toEqual([
			"the receiver could not be reached: Network connection lost.",
		]);
	});
});

describe("desk: webhooks are for admins only", () => {
	it("checkers and editors get 403 on every route, and nothing changes", async () => {
		const admin = await account("admin");
		const row = await created(admin);
		const deliveryId = await deliveredTest(admin, row.id);
		await forceState(deliveryId, "dead");
		const before = await getWebhook(testDb(), row.id);
		const posts: [string, Record<string, string>][] = [
			[LIST, { url: receiver(), "event:claim.created": "1" }],
			[`${LIST}/${row.id}`, { version: String(row.version), url: receiver(), "event:claim.updated": "1" }],
			[`${LIST}/${row.id}/test`, {}],
			[`${LIST}/${row.id}/rotate-secret`, {}],
			[`${LIST}/${row.id}/disable`, { version: String(row.version) }],
			[`${LIST}/${row.id}/enable`, { version: String(row.version) }],
			[`${LIST}/${row.id}/delete`, { confirm: "1" }],
			[`${LIST}/${row.id}/replay`, { delivery: deliveryId }],
		];
		for (const role of ["checker", "editor"] as const) {
			const who = await account(role);
			for (const path of [LIST, `${LIST}/${row.id}`]) {
				const response = await deskGet(who, path);
				expect(response.status, `${role} GET ${path}`).toBe(403);
				expect(response.headers.get("content-type")).toContain("text/html");
				expect(await response.text()).not.toContain(row.secret);
			}
			for (const [path, fields] of posts) {
				const response = await deskPost(who, path, { ...fields, _idem: newToken(18) });
				expect(response.status, `${role} POST ${path}`).toBe(403);
				await response.body?.cancel();
			}
			// No link to the admin pages either.
			expect(await (await deskGet(who, "/desk")).text()).not.toContain(LIST);
		}
		expect(await getWebhook(testDb(), row.id)).toEqual(before);
		expect((await getDelivery(testDb(), deliveryId))?.state).toBe("dead");
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ?")
				.bind(row.id)
				.first("n"),
		).toBe(1);
	});

	it("admins find the webhooks from the accounts page", async () => {
		const admin = await account("admin");
		const html = await (await deskGet(admin, "/desk/admin/users")).text();
		expect(html).toContain(`<a href="${LIST}">Webhooks</a>`);
		const own = await (await deskGet(admin, LIST)).text();
		expect(own).toContain(`<a href="${LIST}" aria-current="page">Webhooks</a>`);
	});
});
