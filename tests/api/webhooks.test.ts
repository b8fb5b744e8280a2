import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook as Receiver } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import type { CommandEvent } from "../../src/commands/events";
import { fanOut, queueFanOut, replayDelivery, type WebhookOutbox } from "../../src/commands/webhooks";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { newMessageId } from "../../src/domain/standard-webhooks";
import { createDb, type Db } from "../../src/factory";
import { house } from "../../src/lib/publisher";
import { type DeliveryMessage, deliverWebhooks, recordDeadLetters } from "../../src/queues/webhook-delivery";
import { SYSTEM } from "../../src/store/batch";
import { removeClaim } from "../../src/store/claim-removals";
import type { ClaimDetail } from "../../src/store/claims";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { getDelivery, getWebhook, insertDeliveries, resetDeliveryForReplay } from "../../src/store/webhooks";
import { type ClaimEventData, cutText, fitEventData, fitSpeakerData } from "../../src/views/webhook-payload";
import { account, apiCall, apiToken, deskGet, deskPost, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, eventually, fetchWith, json, testDb, uniquePlace } from "../helpers";
import { testOutbox } from "../webhook-helpers";

interface Created {
	id: string;
	url: string;
	events: string[];
	secret: string;
	version: number;
	enabled: boolean;
}

async function adminToken() {
	const admin = await account("admin");
	return (
		await apiToken(admin.user, ["webhooks:manage", "claims:write", "verdicts:write", "verdicts:publish"])
	).token;
}

async function subscribe(
	token: string,
	url = `https://hooks.example/ok/${newId()}`,
	events = ["verdict.published", "verdict.corrected", "verdict.retracted", "claim.created"],
) {
	const response = await apiCall("POST", "/api/v1/webhooks", { token, body: { url, events } });
	expect(response.status, await response.clone().text()).toBe(201);
	return json<Created>(response);
}

async function deliveriesOf(webhookId: string) {
	const { results } = await env.DB.prepare(
		"SELECT id, event_type AS type, payload, state FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at",
	)
		.bind(webhookId)
		.all<{ id: string; type: string; payload: string; state: string }>();
	return results;
}

describe("webhook subscriptions", () => {
	it("admins create, read, change and delete them; the secret is shown once", async () => {
		const token = await adminToken();
		const created = await subscribe(token);
		expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		const read = await json<Record<string, unknown>>(
			await apiCall("GET", `/api/v1/webhooks/${created.id}`, { token }),
		);
		expect(read).not.toHaveProperty("secret");
		expect(JSON.stringify(read)).not.toContain(created.secret);
		const list = await json<{ data: { id: string }[] }>(await apiCall("GET", "/api/v1/webhooks", { token }));
		expect(list.data.map((w) => w.id)).toContain(created.id);
		const patched = await apiCall("PATCH", `/api/v1/webhooks/${created.id}`, {
			token,
			body: { version: created.version, events: ["verdict.retracted"] },
		});
		expect(patched.status, await patched.clone().text()).toBe(200);
		expect((await json<Created>(patched)).events).toEqual(["verdict.retracted"]);
		const stale = await apiCall("PATCH", `/api/v1/webhooks/${created.id}`, {
			token,
			body: { version: created.version, enabled: false },
		});
		expect(stale.status).toBe(409);
		const rotated = await json<Created & { previousSecretUntil: string }>(
			await apiCall("POST", `/api/v1/webhooks/${created.id}/rotate-secret`, { token }),
		);
		expect(rotated.secret).not.toBe(created.secret);
		expect(Date.parse(rotated.previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
		// Rotations at once: each is made or told the webhook changed meanwhile, never a broken rule.
		const racing = await Promise.all(
			[1, 2, 3].map(() => apiCall("POST", `/api/v1/webhooks/${created.id}/rotate-secret`, { token })),
		);
		const statuses = racing.map((r) => r.status);
		expect(statuses).toContain(200);
		expect(
			statuses.every((s) => s === 200 || s === 409),
			statuses.join(),
		).toBe(true);
		expect((await apiCall("DELETE", `/api/v1/webhooks/${created.id}`, { token })).status).toBe(204);
		expect((await apiCall("GET", `/api/v1/webhooks/${created.id}`, { token })).status).toBe(404);
		const audit = await env.DB.prepare(
			"SELECT action FROM audit_log WHERE entity = 'webhook' AND entity_id = ? ORDER BY rowid",
		)
			.bind(created.id)
			.all<{ action: string }>();
		expect(audit.results.map((r) => r.action)).toEqual([
			"create",
			"edit",
			...statuses
				.concat(200)
				.filter((s) => s === 200)
				.map(() => "rotate-secret"),
			"delete",
		]);
	});

	it("only admins, with the webhooks:manage scope", async () => {
		const body = { url: "https://hooks.example/ok", events: ["verdict.published"] };
		expect((await apiCall("POST", "/api/v1/webhooks", { body })).status).toBe(401);
		const { user: editor } = await makeUser("editor");
		const editorToken = (await apiToken(editor, ["claims:write"])).token;
		expect((await apiCall("POST", "/api/v1/webhooks", { token: editorToken, body })).status).toBe(403);
		expect((await apiCall("GET", "/api/v1/webhooks", { token: editorToken })).status).toBe(403);
		const admin = await account("admin");
		const withoutScope = (await apiToken(admin.user, ["claims:write"])).token;
		expect((await apiCall("POST", "/api/v1/webhooks", { token: withoutScope, body })).status).toBe(403);
	});

	it("refuses http, private, loopback, link-local and local-name receivers", async () => {
		const token = await adminToken();
		for (const url of [
			"http://hooks.example/plain-http",
			"https://127.0.0.1/",
			"https://[::1]/",
			"https://localhost/",
			"https://10.0.0.8/",
			"https://172.16.5.4/",
			"https://192.168.0.10/",
			"https://169.254.169.254/latest/meta-data",
			"https://100.64.0.1/",
			"https://[fd12:3456::1]/",
			"https://[fe80::1]/",
			"https://[::ffff:10.0.0.1]/",
			"https://0x7f.1/",
			"https://2130706433/",
			"https://metadata.google.internal/",
			"https://printer.local/",
			"https://intranet/",
			"https://user:pass@hooks.example/",
			"ftp://hooks.example/",
		]) {
			const response = await apiCall("POST", "/api/v1/webhooks", {
				token,
				body: { url, events: ["claim.created"] },
			});
			expect(response.status, url).toBe(422);
			const problem = await json<{ errors: { path: string; message: string }[] }>(response);
			expect(problem.errors[0]?.path, url).toBe("url");
			// Any other scheme is told the webhook's rule, never the article reader's "http and https".
			if (!url.startsWith("https:"))
				expect(problem.errors[0]?.message, url).toBe("Only https addresses can receive webhooks.");
		}
	});
});

describe("a receiver address longer than 2,048 characters written out", () => {
	it("is a 422 naming url, on create and on edit", async () => {
		const token = await adminToken();
		// 722 characters as typed; each "ä" is written out as %C3%A4: 4,222.
		const url = `https://hooks.example/${"ä".repeat(700)}`;
		const created = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url, events: ["claim.created"] },
		});
		expect(created.status, await created.clone().text()).toBe(422);
		const problem = await json<{ errors: { path: string; message: string }[] }>(created);
		expect(problem.errors).toEqual([
			{ path: "url", message: "The address is longer than 2,048 characters." },
		]);
		const hook = await subscribe(token);
		const edited = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, url },
		});
		expect(edited.status, await edited.clone().text()).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(edited)).errors[0]?.path).toBe("url");
	});
});

describe("enabled sent back as it was read", () => {
	it("keeps a failing endpoint's clock and a disabled one's reason; only a disabled one is enabled afresh", async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const failingSince = new Date(Date.now() - 2 * 86_400_000).toISOString();
		await env.DB.prepare("UPDATE webhooks SET failing_since = ? WHERE id = ?")
			.bind(failingSince, hook.id)
			.run();
		const patch = async (enabled: boolean) => {
			const read = await json<Created>(await apiCall("GET", `/api/v1/webhooks/${hook.id}`, { token }));
			const response = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
				token,
				body: { version: read.version, enabled },
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return getWebhook(testDb(), hook.id);
		};
		expect((await patch(true))?.failingSince).toBe(failingSince);
		await env.DB.prepare(
			"UPDATE webhooks SET disabled_at = ?, disabled_reason = 'The receiver answered 410 Gone.' WHERE id = ?",
		)
			.bind(new Date().toISOString(), hook.id)
			.run();
		expect((await patch(false))?.disabledReason).toBe("The receiver answered 410 Gone.");
		const enabled = await patch(true);
		expect(enabled).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null });
	});
});

describe("the delivery log", () => {
	it("pages through every delivery, newest first, and filters by state (API and desk)", async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		// 130 deliveries, three to a second (ties broken by insertion order); every fourth dead.
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 130)
			 INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, timestamp, state, created_at)
			 SELECT printf('%s%03d', substr(?1, 1, 11), i), ?1, 'webhook.test', '{}', 1750000000 + i,
			   CASE WHEN i % 4 = 0 THEN 'dead' ELSE 'delivered' END,
			   strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i / 3) || ' seconds')
			 FROM n`,
		)
			.bind(hook.id)
			.run();
		const idOf = (i: number) => `${hook.id.slice(0, 11)}${String(i).padStart(3, "0")}`;
		const newestFirst = Array.from({ length: 130 }, (_, k) => idOf(130 - k));
		const follow = async (first: string) => {
			const pages: string[][] = [];
			let next: string | null = first;
			while (next && pages.length < 10) {
				const url = new URL(next, "https://claimtrack.test");
				const response = await apiCall("GET", `${url.pathname}${url.search}`, { token });
				expect(response.status, await response.clone().text()).toBe(200);
				expect(response.headers.get("cache-control")).toBe("no-store");
				const page = await json<{ data: { id: string; state: string }[]; next: string | null }>(response);
				pages.push(page.data.map((d) => d.id));
				next = page.next;
			}
			return pages;
		};
		const all = await follow(`/api/v1/webhooks/${hook.id}/deliveries`);
		expect(all.map((p) => p.length)).toEqual([50, 50, 30]);
		expect(all.flat()).toEqual(newestFirst);
		const dead = await follow(`/api/v1/webhooks/${hook.id}/deliveries?state=dead`);
		expect(dead.flat()).toEqual(newestFirst.filter((id) => Number(id.slice(-3)) % 4 === 0));
		expect(dead.flat()).toHaveLength(32);
		const forged = await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries?cursor=not-ours`, { token });
		expect(forged.status).toBe(400);
		expect(forged.headers.get("content-type")).toContain("application/problem+json");
		const badState = await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries?state=lost`, { token });
		expect(badState.status).toBe(422);
		expect(badState.headers.get("content-type")).toContain("application/problem+json");
		expect(JSON.stringify(await badState.json())).toContain("state");

		// The desk shows the same pages, an "Older deliveries" link, and the state filter.
		const admin = await account("admin");
		const rowsOf = (html: string) =>
			[...html.matchAll(/<tr id="delivery-([0-9a-z]{14})">/g)].map((m) => m[1]);
		const seen: (string | undefined)[] = [];
		let path: string | null = `/desk/admin/webhooks/${hook.id}?lang=en`;
		for (let pages = 0; path && pages < 10; pages++) {
			const html = await (await deskGet(admin, path)).text();
			seen.push(...rowsOf(html));
			path =
				/<a href="([^"]+)" rel="next">Older deliveries<\/a>/.exec(html)?.[1]?.replaceAll("&amp;", "&") ??
				null;
		}
		expect(seen).toEqual(newestFirst);
		const deadPage = await (await deskGet(admin, `/desk/admin/webhooks/${hook.id}?state=dead`)).text();
		expect(rowsOf(deadPage)).toEqual(dead.flat());
		expect(deadPage).toMatch(/<a href="[^"]*\?state=dead#deliveries-h" aria-current="page">/);
		// Every dead delivery on its page can be replayed from there.
		expect([...deadPage.matchAll(/name="delivery" value="/g)]).toHaveLength(32);
		// A state that is not one shows all; a cursor that is not ours starts over.
		expect(rowsOf(await (await deskGet(admin, `/desk/admin/webhooks/${hook.id}?state=lost`)).text())).toEqual(
			newestFirst.slice(0, 50),
		);
		const startOver = await (await deskGet(admin, `/desk/admin/webhooks/${hook.id}?cursor=not-ours`)).text();
		expect(rowsOf(startOver)).toEqual(newestFirst.slice(0, 50));
	});
});

describe("the delivery log's reason", () => {
	it("says why a dead delivery ended in the desk log's words (English), documented in the OpenAPI", async () => {
		const token = await adminToken();
		const admin = await account("admin");
		const hook = await subscribe(token);
		// A delivery in each state, and dead for each reason the desk's log tells apart.
		const rows: [string, string, number, Record<string, boolean>][] = [
			["pending", "pending", 0, {}],
			["delivered", "delivered", 1, {}],
			["failed", "failed", 0, {}],
			["givenUp", "dead", 10, {}],
			["noLongerTrue", "dead", 0, { noLongerTrue: true }],
			["noLongerTrueAgain", "dead", 2, { noLongerTrue: true }],
			["unsubscribed", "dead", 0, { unsubscribed: true }],
			["unsubscribedAgain", "dead", 3, { unsubscribed: true }],
		];
		const ids: Record<string, string> = {};
		for (const [name, state, attempts, marks] of rows) {
			const id = newMessageId();
			ids[name] = id;
			const payload = JSON.stringify({
				type: "claim.created",
				timestamp: new Date().toISOString(),
				data: {},
				...marks,
			});
			await env.DB.prepare(
				"INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, timestamp, state, attempts) VALUES (?, ?, 'claim.created', ?, ?, ?, ?)",
			)
				.bind(id, hook.id, payload, Math.floor(Date.now() / 1000), state, attempts)
				.run();
		}
		const response = await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { token });
		expect(response.status, await response.clone().text()).toBe(200);
		const { data } = await json<{ data: { id: string; state: string; reason?: string | null }[] }>(response);
		const reasons = Object.fromEntries(
			Object.entries(ids).map(([name, id]) => [name, data.find((d) => d.id === id)?.reason]),
		);
		expect(reasons).toEqual({
			pending: null,
			delivered: null,
			failed: null,
			givenUp: "given up",
			noLongerTrue: "not sent: no longer true",
			noLongerTrueAgain: "not sent again: no longer true",
			unsubscribed: "not sent: no longer subscribed",
			unsubscribedAgain: "not sent again: no longer subscribed",
		});
		// The desk's English log says the same of each.
		const page = await (await deskGet(admin, `/desk/admin/webhooks/${hook.id}?lang=en`)).text();
		for (const [name, id] of Object.entries(ids)) {
			const row = page.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
			const shown = /class="delivery-state[^"]*">([^<]*)</.exec(row)?.[1];
			expect([name, shown]).toEqual([name, reasons[name] ?? data.find((d) => d.id === id)?.state]);
		}
		// Documented on the route: a required field, one of those words or null.
		interface Item {
			required: string[];
			properties: { reason: { description: string } };
		}
		const doc = await json<{
			paths: Record<
				string,
				{
					get: {
						responses: Record<
							string,
							{ content: Record<string, { schema: { properties: { data: { items: Item } } } }> }
						>;
					};
				}
			>;
		}>(await call("/api/v1/openapi.json"));
		const item =
			doc.paths["/api/v1/webhooks/{id}/deliveries"]?.get.responses["200"]?.content["application/json"]?.schema
				.properties.data.items;
		expect(item?.required).toContain("reason");
		expect(JSON.stringify(item?.properties.reason)).toContain("not sent again: no longer subscribed");
		expect(item?.properties.reason.description).toContain("given up");
	});
});

describe("events", () => {
	it("a subscription made after an event happened is not told of it, however late its fan-out runs", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		const event: CommandEvent = {
			type: "verdict.published",
			claimId: claim.id,
			verdictId: verdict.id,
			correction: false,
			speakerIds: [],
		};
		// The publication committed a minute ago; its fan-out (the queue's, retried after a D1
		// failure) runs only now, after a partner subscribed.
		const committed = new Date(Date.now() - 60_000).toISOString();
		const hook = await subscribe(await adminToken(), undefined, ["verdict.published"]);
		// One made two seconds after the write by D1's clock may be one made just before it by
		// the Worker's (two clocks): it is told.
		const justBefore = await subscribe(await adminToken(), undefined, ["verdict.published"]);
		await env.DB.prepare("UPDATE webhooks SET created_at = ? WHERE id = ?")
			.bind(new Date(Date.parse(committed) + 2_000).toISOString(), justBefore.id)
			.run();
		await fanOut(testOutbox(), event, newId(), committed);
		expect(await deliveriesOf(hook.id)).toEqual([]);
		expect((await deliveriesOf(justBefore.id)).map((row) => row.type)).toEqual(["verdict.published"]);
		// An event of after the subscription is its to receive.
		await fanOut(testOutbox(), event, newId(), new Date().toISOString());
		expect((await deliveriesOf(hook.id)).map((row) => row.type)).toEqual(["verdict.published"]);
	});

	it("a publication is delivered, signed, with the public claim and nothing private; drafts send nothing", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const claim = await makeClaim();
		const draft = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "false",
				headline: "The figure is wrong",
				evidence: [{ url: "https://e.example/a", title: "A" }],
				language: "en",
			},
		});
		const draftId = (await json<{ id: string; version: number }>(draft.clone())).id;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await deliveriesOf(hook.id)).toEqual([]);
		const published = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: (await json<{ version: number }>(draft)).version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length > 0 && r[0]?.state === "delivered",
		);
		expect(rows).toHaveLength(1);
		const payload = JSON.parse(rows[0]?.payload ?? "{}");
		expect(payload).toMatchObject({
			type: "verdict.published",
			data: { claim: { id: claim.id }, verdict: { id: draftId } },
		});
		expect(rows[0]?.payload.length).toBeLessThan(20_000);
		expect(rows[0]?.payload).not.toMatch(/@desk\\.test|"email"|"draft"|passwordHash|secret/i);
		// Delivered by the queue consumer running in the pool, to the fixture receiver (204).
		const attempts = await env.DB.prepare("SELECT status_code FROM webhook_attempts WHERE delivery_id = ?")
			.bind(rows[0]?.id)
			.all<{ status_code: number }>();
		expect(attempts.results).toEqual([{ status_code: 204 }]);
	});

	it("a claim in 400 sources is sent with the appearances that fit in 20 kB, marked truncated", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const claim = await makeClaim();
		const tag = newId();
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
				 INSERT INTO sources (id, url, domain, title) SELECT ?1 || 's' || i, 'https://many.example/' || ?1 || '/' || i, 'many.example', 'Nachdruck ' || i FROM n`,
			).bind(tag),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
				 INSERT INTO appearances (id, claim_id, source_id, quote) SELECT ?1 || 'a' || i, ?2, ?1 || 's' || i, 'Дословно в статье номер ' || i FROM n`,
			).bind(tag, claim.id),
		]);
		await publish(claim.id, "false");
		const published = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "true",
				headline: "Corrected",
				evidence: [{ url: "https://e.example/b", title: "B" }],
				language: "en",
			},
		});
		const draft = await json<{ id: string; version: number }>(published);
		const corrected = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "A figure was wrong." },
		});
		expect(corrected.status, await corrected.clone().text()).toBe(200);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.some((row) => row.type === "verdict.corrected"),
		);
		const row = rows.find((r) => r.type === "verdict.corrected");
		// 400 appearances are about 180 kB of JSON: too much for one message. Bytes, not
		// characters: the quotes are Cyrillic, two bytes a letter.
		expect(new TextEncoder().encode(row?.payload).length).toBeLessThanOrEqual(20_000);
		expect(new TextEncoder().encode(row?.payload).length).toBeGreaterThan(15_000);
		const payload = JSON.parse(row?.payload ?? "{}");
		expect(payload.data.claim).toMatchObject({ id: claim.id, truncated: true, history: [] });
		expect(payload.data.verdict).toMatchObject({ id: draft.id });
		const appearances: { firstAppearance: boolean }[] = payload.data.claim.appearances;
		expect(appearances.length).toBeGreaterThan(5);
		expect(appearances.length).toBeLessThan(401);
		expect(appearances[0]?.firstAppearance).toBe(true);
	});

	it("a claim with every text at its maximum, in three-byte letters, is sent in under 20 kB, its texts cut", {
		timeout: 120_000,
	}, async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const claim = await makeClaim();
		// Words of three-byte letters: a partner's Korean or Chinese claim at every limit the schemas set.
		const han = (chars: number) => "漢字漢字漢 ".repeat(Math.ceil(chars / 6)).slice(0, chars);
		const tag = newId();
		const evidence = JSON.stringify(
			Array.from({ length: 50 }, (_, i) => ({
				url: `https://evidence.example/${tag}/${i}/${"a".repeat(2000)}`,
				title: han(500),
			})),
		);
		const longest = (verdictId: string) =>
			env.DB.prepare(
				"UPDATE verdicts SET headline = ?, summary = ?, body = ?, evidence = ? WHERE id = ?",
			).bind(han(500), han(20_000), han(20_000), evidence, verdictId);
		const first = await publish(claim.id, "false");
		const source = claim.appearances[0]?.source.id ?? "";
		await env.DB.batch([
			env.DB.prepare("UPDATE claims SET text = ?, context = ? WHERE id = ?").bind(
				han(10_000),
				han(20_000),
				claim.id,
			),
			env.DB.prepare("UPDATE speakers SET name = ? WHERE id = ?").bind(han(300), claim.speaker?.id ?? ""),
			env.DB.prepare("UPDATE sources SET title = ?, publisher = ?, author = ? WHERE id = ?").bind(
				han(500),
				han(500),
				han(500),
				source,
			),
			env.DB.prepare("UPDATE appearances SET quote = ? WHERE claim_id = ?").bind(han(20_000), claim.id),
			longest(first.id),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
				 INSERT INTO tags (slug, name_en, name_de) SELECT ?1 || '-' || i, ?2, ?2 FROM n`,
			).bind(tag, han(60)),
			env.DB.prepare(
				`INSERT INTO claim_tags (id, claim_id, claim_seq, tag_slug)
				 SELECT ?1 || slug, ?2, (SELECT seq FROM claims WHERE id = ?2), slug FROM tags WHERE slug LIKE ?1 || '-%'`,
			).bind(tag, claim.id),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
				 INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes, caption, is_public)
				 SELECT substr(?1, 1, 10) || printf('%04d', i), ?2, 'shot.png', 'image/png', ?4, 3, ?3, 1 FROM n`,
			).bind(tag, claim.id, han(300), await sha256Hex(new Uint8Array([1, 2, 3]))),
		]);
		// Their bytes too, with the hash the rows record: the evidence archive's backup, in the same
		// runtime, reads every object a row names and checks it.
		for (let i = 1; i <= 20; i++)
			await env.ARCHIVE.put(
				uploadKey(`${tag.slice(0, 10)}${String(i).padStart(4, "0")}`),
				new Uint8Array([1, 2, 3]),
			);
		const draft = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token,
				body: {
					rating: "true",
					headline: "Corrected",
					evidence: [{ url: "https://e.example/b", title: "B" }],
					language: "en",
				},
			}),
		);
		await longest(draft.id).run();
		const corrected = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: han(20_000) },
		});
		expect(corrected.status, await corrected.clone().text()).toBe(200);
		const retracted = await apiCall("POST", `/api/v1/verdicts/${draft.id}/retract`, {
			token,
			body: { version: (await json<{ version: number }>(corrected)).version, note: han(20_000) },
		});
		expect(retracted.status, await retracted.clone().text()).toBe(200);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.some((row) => row.type === "verdict.retracted"),
		);
		expect(rows.map((r) => r.type)).toEqual(["verdict.corrected", "verdict.retracted"]);
		for (const row of rows) {
			expect(new TextEncoder().encode(row.payload).length, row.type).toBeLessThanOrEqual(20_000);
			const { data } = JSON.parse(row.payload);
			expect(data.claim).toMatchObject({ id: claim.id, url: `${BASE}/claims/${claim.id}`, truncated: true });
			expect(data.verdict).toMatchObject({ id: draft.id, truncated: true });
			// Cut, not dropped: each text begins as it does, and says it goes on.
			expect(data.claim.text).toMatch(/^漢字漢字漢 .*…$/s);
			expect(data.verdict.summary).toMatch(/^漢字漢字漢 .*…$/s);
		}
		expect(JSON.parse(rows[1]?.payload ?? "{}").data.verdict.retractionNote).toMatch(/^漢字漢字漢 .*…$/s);
	});

	it("cuts texts between characters, and past every cut keeps ids and addresses only", () => {
		expect(cutText("ab😀cdef", 9)).toBe("ab😀…");
		expect(cutText("ab😀cdef", 8)).toBe("ab…");
		expect(cutText("short", 5)).toBe("short");
		// An address no cut shortens (a text fragment of one 30,000-letter word, say): the last guard.
		const url = `https://news.example/${"x".repeat(30_000)}`;
		const claim = { id: "c1", url: `${BASE}/claims/c1`, text: "t", firstSource: { url } };
		const data = fitEventData({ claim } as unknown as ClaimEventData, 19_900);
		expect(data).toEqual({ claim: { id: "c1", url: `${BASE}/claims/c1`, truncated: true } });
	});

	it("appearance.added names the appearance added, also when the claim's list is cut before it", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const hook = await subscribe(token, undefined, ["appearance.added"]);
		const claim = await makeClaim();
		const tag = newId();
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
				 INSERT INTO sources (id, url, domain, title) SELECT ?1 || 's' || i, 'https://many.example/' || ?1 || '/' || i, 'many.example', 'Nachdruck ' || i FROM n`,
			).bind(tag),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
				 INSERT INTO appearances (id, claim_id, source_id, quote) SELECT ?1 || 'a' || i, ?2, ?1 || 's' || i, 'Дословно в статье номер ' || i FROM n`,
			).bind(tag, claim.id),
		]);
		const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token,
			body: {
				source: { url: `https://news.example/${newId()}`, title: "Der neueste Artikel" },
				quote: "Wörtlich so.",
			},
		});
		expect(added.status, await added.clone().text()).toBe(201);
		const appearance = await json<{ id: string; sourceId: string }>(added);
		const rows = await eventually(
			async () => (await deliveriesOf(hook.id)).filter((r) => r.payload.includes(claim.id)),
			(r) => r.length > 0,
		);
		expect(rows).toHaveLength(1);
		expect(new TextEncoder().encode(rows[0]?.payload).length).toBeLessThanOrEqual(20_000);
		const { data } = JSON.parse(rows[0]?.payload ?? "{}");
		expect(data.claim).toMatchObject({ id: claim.id, truncated: true });
		// The list, cut to fit, ends before the newest; the appearance added is sent on its own.
		expect(data.claim.appearances.map((a: { id: string }) => a.id)).not.toContain(appearance.id);
		expect(data.appearance).toMatchObject({
			id: appearance.id,
			source: { id: appearance.sourceId, title: "Der neueste Artikel" },
			quote: "Wörtlich so.",
		});
	});

	it("an attachment made public or internal, and a topic's rename, are claim.updated for each claim they change", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const hook = await subscribe(token, undefined, ["claim.updated"]);
		const [a, b, other] = [await makeClaim(), await makeClaim(), await makeClaim()];
		const slug = `thema-${newId()}`;
		const uploadId = newId();
		await env.DB.batch([
			env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, 'Harbour', 'Hafen')").bind(slug),
			...[a, b].map((claim) =>
				env.DB.prepare(
					"INSERT INTO claim_tags (id, claim_id, claim_seq, tag_slug) SELECT ?, id, seq, ? FROM claims WHERE id = ?",
				).bind(newId(), slug, claim.id),
			),
			env.DB.prepare(
				"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes, caption) VALUES (?, ?, 'shot.png', 'image/png', ?, 3, 'Screenshot')",
				// The object's real hash: the suite's files share one database and R2, and a backup test
				// run beside this one checks every object against its row.
			).bind(uploadId, other.id, await sha256Hex(new Uint8Array([1, 2, 3]))),
		]);
		await env.ARCHIVE.put(uploadKey(uploadId), new Uint8Array([1, 2, 3]));
		const shown = await deskPost(admin, `/desk/attachments/${uploadId}/visibility`, {
			_idem: `${newId()}${newId()}`,
			public: "true",
		});
		expect(shown.status).toBe(303);
		const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
			token,
			body: { nameEn: "Port", was: { nameEn: "Harbour" } },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		// Only these claims' events: a late event of another file's may reach the hook too.
		const ours = new Set([a.id, b.id, other.id]);
		const sent = (
			await eventually(
				() => deliveriesOf(hook.id),
				(r) => r.filter((row) => ours.has(JSON.parse(row.payload).data.claim.id)).length >= 3,
			)
		)
			.map((r) => JSON.parse(r.payload).data.claim)
			.filter((c: { id: string }) => ours.has(c.id));
		expect(sent).toHaveLength(3);
		const attached = sent.find((c: { id: string }) => c.id === other.id);
		expect(attached.attachments).toMatchObject([
			{ url: `${BASE}/attachments/${uploadId}`, caption: "Screenshot" },
		]);
		const topics = sent.filter((c: { id: string }) => c.id !== other.id);
		expect(topics.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
		for (const claim of topics)
			expect(claim.tags).toEqual([{ slug, name: "Port", url: `${BASE}/tags/${slug}` }]);
	});

	it("a topic on 1,201 claims is fanned out in messages of 500 claims, under one event id", async () => {
		const sent: { fanOut: { eventId: string; event: CommandEvent } }[] = [];
		const queue = {
			send: async (body: unknown) => void sent.push(body as (typeof sent)[number]),
			sendBatch: async () => undefined,
		};
		const claimIds = Array.from({ length: 1201 }, (_, i) => `claim${String(i).padStart(9, "0")}`);
		await queueFanOut(
			{
				db: testDb(),
				queue,
				origin: BASE,
				house: house(env, BASE),
				publicClaim: (d: ClaimDetail | undefined) => d ?? null,
				reviewedOnly: false,
			},
			{ type: "tag.renamed", slug: "hafen", claimIds },
		);
		expect(sent.map((m) => (m.fanOut.event as { claimIds: readonly string[] }).claimIds.length)).toEqual([
			500, 500, 201,
		]);
		expect(new Set(sent.map((m) => m.fanOut.eventId)).size).toBe(1);
		expect(sent.flatMap((m) => (m.fanOut.event as { claimIds: readonly string[] }).claimIds)).toEqual(
			claimIds,
		);
	});

	it("queues an import or a speaker's event without the lists fanning out does not read (a queue message holds 128 KB)", async () => {
		const outbox = (queue: WebhookOutbox["queue"]): WebhookOutbox => ({
			db: testDb(),
			queue,
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: false,
		});
		const urls = Array.from(
			{ length: 1400 },
			(_, i) => `https://news.example/a-rather-long-article-address-${i}.html`,
		);
		const claimIds = Array.from({ length: 7600 }, (_, i) => `claim${String(i).padStart(9, "0")}`);
		const verdicts = [{ claimId: "claim000000001", verdictId: "verdict0000001", correction: true }];
		const imported: CommandEvent = {
			type: "claims.imported",
			claimIds,
			speakerIds: [],
			createdIds: [],
			urls,
			verdicts,
		};
		const renamed: CommandEvent = { type: "speaker.updated", speakerId: "speaker0000001", claimIds };
		expect(JSON.stringify(imported).length).toBeGreaterThan(128 * 1024);
		const sent: { fanOut: { event: CommandEvent } }[] = [];
		const recording = {
			send: async (body: unknown) => void sent.push(body as (typeof sent)[number]),
			sendBatch: async () => undefined,
		};
		for (const event of [imported, renamed]) await queueFanOut(outbox(recording), event);
		for (const message of sent) expect(JSON.stringify(message).length).toBeLessThan(4096);
		expect(sent[0]?.fanOut.event).toMatchObject({ type: "claims.imported", verdicts });
		expect(sent[1]?.fanOut.event).toMatchObject({ type: "speaker.updated", speakerId: "speaker0000001" });
		// The real queue takes them: no fan-out in the request's background.
		const failed = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			for (const event of [imported, renamed]) await queueFanOut(outbox(env.WEBHOOK_QUEUE), event);
			expect(failed.mock.calls.map((call) => String(call[0]))).not.toContainEqual(
				expect.stringContaining("webhook-queue-failed"),
			);
		} finally {
			failed.mockRestore();
		}
	});

	it("a correction and a retraction are events of their own", { timeout: 60_000 }, async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const claim = await makeClaim();
		await publish(claim.id, "false");
		const second = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token,
				body: {
					rating: "mostly-false",
					headline: "Corrected",
					evidence: [{ url: "https://e.example/b", title: "B" }],
					language: "en",
				},
			}),
		);
		const corrected = await json<{ version: number }>(
			await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
				token,
				body: { version: second.version, correctionNote: "A figure was wrong." },
			}),
		);
		await apiCall("POST", `/api/v1/verdicts/${second.id}/retract`, {
			token,
			body: { version: corrected.version, note: "Withdrawn." },
		});
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 2,
		);
		expect(rows.map((r) => r.type)).toEqual(["verdict.corrected", "verdict.retracted"]);
	});

	it("an import's new rating of a recorded claim is a correction partners hear of; its new claims are not", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "import"])).token;
		const hook = await subscribe(token, undefined, [
			"verdict.published",
			"verdict.corrected",
			"claim.created",
		]);
		const externalId = `ext-${newId()}`;
		const record = (rating: string, headline: string) => ({
			externalId,
			claim: { text: `Die Brücke ${externalId} kostete 300 Millionen.`, language: "de" },
			speaker: { name: `Bürgermeisterin ${externalId}`, kind: "person" },
			sources: [{ url: `https://news.example/${externalId}`, title: "Artikel" }],
			verdict: { rating, originalRating: rating, headline, url: `https://check.example/${externalId}` },
		});
		const send = async (records: unknown[]) => {
			const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ results: { claimId: string; status: string }[] }>(response);
		};
		const created = await send([record("false", "Sie kostete weniger")]);
		const claimId = created.results[0]?.claimId ?? "";
		// The batch's new claim went out as no event: bulk data, as the README says.
		const corrected = await send([record("mostly-false", "Sie kostete etwas weniger")]);
		expect(corrected.results[0]?.status).toBe("updated");
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 1,
		);
		expect(rows.map((r) => r.type)).toEqual(["verdict.corrected"]);
		const payload = JSON.parse(rows[0]?.payload ?? "{}");
		expect(payload.data.claim.id).toBe(claimId);
		expect(payload.data.claim.status).toBe("mostly-false");
		expect(payload.data.verdict.headline).toBe("Sie kostete etwas weniger");
		// Sent again unchanged: nothing new to tell.
		expect((await send([record("mostly-false", "Sie kostete etwas weniger")])).results[0]?.status).toBe(
			"unchanged",
		);
		expect((await deliveriesOf(hook.id)).length).toBe(1);
	});

	it("an import that re-rates 60 claims sends 60 corrections, read and written in batches", {
		timeout: 120_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "import"])).token;
		const hook = await subscribe(token, undefined, ["verdict.corrected"]);
		const tag = newId();
		const records = (rating: string) =>
			Array.from({ length: 60 }, (_, i) => ({
				externalId: `bulk-${tag}-${i}`,
				claim: { text: `Die Brücke ${tag} Nummer ${i * 7919 + 13} kostete viel.`, language: "de" },
				speaker: { name: `Bürgermeisterin ${tag}`, kind: "person" },
				sources: [],
				verdict: {
					rating,
					originalRating: rating,
					headline: `Es ist ${rating}`,
					url: `https://check.example/${tag}/${i}`,
				},
			}));
		const send = async (body: unknown[]) => {
			const response = await apiCall("POST", "/api/v1/import", { token, body: { records: body } });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ results: { claimId: string; status: string }[] }>(response);
		};
		const created = await send(records("false"));
		expect(created.results.every((r) => r.status === "created")).toBe(true);
		const updated = await send(records("true"));
		expect(updated.results.every((r) => r.status === "updated")).toBe(true);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 60,
		);
		expect(rows.map((r) => r.type)).toEqual(Array(60).fill("verdict.corrected"));
		const claims = rows.map((r) => JSON.parse(r.payload).data.claim);
		expect(new Set(claims.map((c: { id: string }) => c.id))).toEqual(
			new Set(created.results.map((r) => r.claimId)),
		);
		expect(claims.every((c: { status: string }) => c.status === "true")).toBe(true);
	});

	it("a speaker's edit and merge are one event each, with the speaker as the public API shows it", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const hook = await subscribe(token, undefined, ["speaker.updated", "speaker.merged", "claim.updated"]);
		const tag = newId();
		const a = await makeClaim({ speaker: { name: `Lawrow ${tag}` } });
		const b = await makeClaim({ speaker: { name: `Sergei Lavrov ${tag}` } });
		await makeClaim({ speaker: { id: b.speaker?.id ?? "" } });
		const into = b.speaker?.slug ?? "";
		const read = await json<{ version: number; name: string }>(
			await apiCall("GET", `/api/v1/speakers/${into}`),
		);
		const edited = await apiCall("PATCH", `/api/v1/speakers/${into}`, {
			token,
			body: { version: read.version, name: `Sergey Lavrov ${tag}`, kind: "person", aliases: [] },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const merged = await apiCall("POST", `/api/v1/speakers/${a.speaker?.slug}/merge`, {
			token,
			body: { into },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 2,
		);
		// One event per speaker change, not one per claim it renames or moves.
		expect(rows.map((r) => r.type)).toEqual(["speaker.updated", "speaker.merged"]);
		const [update, merge] = rows.map((r) => JSON.parse(r.payload));
		expect(update.data.speaker).toMatchObject({ slug: into, name: `Sergey Lavrov ${tag}` });
		expect(update.data.claims).toMatch(new RegExp(`/api/v1/claims\\?speaker=${into}$`));
		expect(merge.data.speaker.slug).toBe(into);
		expect(merge.data.speaker.aliases).toContain(`Lawrow ${tag}`);
		expect(merge.data.mergedFrom).toEqual({ slug: a.speaker?.slug, name: `Lawrow ${tag}` });
	});

	it("a speaker with 200 long aliases is sent in 20 kB: name, slug and version whole, the aliases that fit", {
		timeout: 120_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const hook = await subscribe(token, undefined, ["speaker.updated"]);
		const name = `Ж${newId()}`;
		const claim = await makeClaim({ speaker: { name } });
		const slug = claim.speaker?.slug ?? "";
		const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
		// Cyrillic, two bytes a letter: about 118 kB of JSON whole.
		const aliases = Array.from({ length: 200 }, (_, i) => `${"Ж".repeat(290)}${i}`);
		const description = "Ж".repeat(500);
		const edited = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version, aliases, description },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length > 0,
		);
		expect(rows.map((r) => r.type)).toEqual(["speaker.updated"]);
		const bytes = new TextEncoder().encode(rows[0]?.payload).length;
		expect(bytes).toBeLessThanOrEqual(20_000);
		expect(bytes).toBeGreaterThan(15_000);
		const { data } = JSON.parse(rows[0]?.payload ?? "{}");
		expect(data.speaker).toMatchObject({
			slug,
			name,
			kind: "person",
			url: `${BASE}/speakers/${slug}`,
			version: read.version + 1,
			description,
			truncated: true,
		});
		expect(data.claims).toBe(`${BASE}/api/v1/claims?speaker=${slug}`);
		// The public API has every one; the payload the first, in its order, each whole: a cut
		// name names no one.
		const whole = await json<{ aliases: string[] }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
		expect(new Set(whole.aliases)).toEqual(new Set(aliases));
		expect(data.speaker.aliases.length).toBeGreaterThan(10);
		expect(data.speaker.aliases.length).toBeLessThan(200);
		expect(data.speaker.aliases).toEqual(whole.aliases.slice(0, data.speaker.aliases.length));
	});

	it('a speaker\'s description is cut, ending in "…", when it does not fit whole', () => {
		const speaker = {
			slug: "s",
			name: "Name",
			kind: "person" as const,
			url: `${BASE}/speakers/s`,
			description: "Ж".repeat(500),
			wikidataId: null,
			aliases: ["Other"],
			version: 3,
		};
		const data = fitSpeakerData({ speaker, claims: `${BASE}/api/v1/claims?speaker=s` }, 600);
		expect(new TextEncoder().encode(JSON.stringify(data)).length).toBeLessThanOrEqual(600);
		expect(data.speaker).toMatchObject({ slug: "s", name: "Name", version: 3, truncated: true });
		expect(data.speaker.description).toMatch(/^Ж+…$/);
		// Cut at 200 bytes, which leaves room for the alias.
		expect(new TextEncoder().encode(data.speaker.description ?? "").length).toBeLessThanOrEqual(200);
		expect(data.speaker.aliases).toEqual(["Other"]);
		// Whole when it fits: not marked.
		expect(fitSpeakerData({ speaker, claims: "c" }, 20_000)).toEqual({ speaker, claims: "c" });
	});
});

describe("speaker.merged where unreviewed claims are hidden", () => {
	it("names the merged speaker only when it was public at the merge", { timeout: 60_000 }, async () => {
		const token = await adminToken();
		const hook = await subscribe(token, undefined, ["speaker.merged"]);
		const tag = newId();
		const survivor = await makeClaim({ speaker: { name: `Survivor ${tag}` } });
		await publish(survivor.id);
		// Known only from an unreviewed claim: never public under hide.
		const hidden = await makeClaim({ speaker: { name: `Hidden Namesake ${tag}` } });
		// Named by a reviewed claim: public under hide too.
		const shown = await makeClaim({ speaker: { name: `Shown Namesake ${tag}` } });
		await publish(shown.id);
		const outbox = {
			db: testDb(),
			queue: { send: async () => undefined, sendBatch: async () => undefined },
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: true,
		};
		const into = survivor.speaker?.slug ?? "";
		for (const merged of [hidden, shown]) {
			const from = merged.speaker;
			if (!from) throw new Error("no speaker");
			const result = await mergeSpeakers(testDb(), SYSTEM("test"), from.slug, into);
			await fanOut(
				outbox,
				{
					type: "speaker.merged",
					speakerId: from.id,
					intoId: result.into.id,
					from: { slug: from.slug, name: from.name },
					claimIds: result.movedClaims,
				},
				newMessageId(),
			);
		}
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 2,
		);
		const merges = rows.map((r) => JSON.parse(r.payload).data);
		expect(merges.map((data) => data.speaker.slug)).toEqual([into, into]);
		expect(merges[0].mergedFrom).toBeUndefined();
		expect(merges[1].mergedFrom).toEqual({ slug: shown.speaker?.slug, name: `Shown Namesake ${tag}` });
	});
});

describe("a merged speaker's names where unreviewed claims are hidden", () => {
	it("leave out the names of one only unreviewed claims named, in the payloads and the API alike", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const hook = await subscribe(token, undefined, ["speaker.merged", "speaker.updated"]);
		const tag = newId();
		const survivor = await makeClaim({ speaker: { name: `Survivor ${tag}` } });
		await publish(survivor.id);
		const hidden = await makeClaim({ speaker: { name: `Private Person ${tag}` } });
		const from = hidden.speaker;
		const into = survivor.speaker;
		if (!from || !into) throw new Error("no speaker");
		const outbox = {
			db: testDb(),
			queue: { send: async () => undefined, sendBatch: async () => undefined },
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: true,
		};
		const result = await mergeSpeakers(testDb(), SYSTEM("test"), from.slug, into.slug);
		expect(result.into.aliases).toContain(`Private Person ${tag}`);
		const events: CommandEvent[] = [
			{
				type: "speaker.merged",
				speakerId: from.id,
				intoId: into.id,
				from: { slug: from.slug, name: from.name },
				claimIds: result.movedClaims,
			},
			{ type: "speaker.updated", speakerId: into.id, claimIds: [survivor.id, hidden.id] },
		];
		for (const event of events) await fanOut(outbox, event, newMessageId());
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 2,
		);
		for (const row of rows) {
			expect(row.payload).not.toContain("Private Person");
			expect(JSON.parse(row.payload).data.speaker.slug).toBe(into.slug);
		}
		const ctx = createExecutionContext();
		const answer = await app.fetch(
			new Request(`${BASE}/api/v1/speakers/${into.slug}`),
			{ ...env, PUBLIC_UNREVIEWED: "hide" },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(answer.status).toBe(200);
		expect(((await answer.json()) as { aliases: string[] }).aliases).toEqual([]);
		// Nor on the speaker's public page.
		const pageCtx = createExecutionContext();
		const page = await app.fetch(
			new Request(`${BASE}/speakers/${into.slug}?lang=en`),
			{ ...env, PUBLIC_UNREVIEWED: "hide" },
			pageCtx,
		);
		await waitOnExecutionContext(pageCtx);
		expect(page.status).toBe(200);
		expect(await page.text()).not.toContain("Private Person");
		// Where unreviewed claims are public, the name was public: it stays.
		const listed = await json<{ aliases: string[] }>(await call(`/api/v1/speakers/${into.slug}`));
		expect(listed.aliases).toEqual([`Private Person ${tag}`]);
	});
});

describe("an import giving known speakers a new spelling", () => {
	it("sends speaker.updated for each, with the alias and version the API shows; under hide, for public ones only", {
		timeout: 120_000,
	}, async () => {
		const admin = await account("admin");
		const hook = await subscribe((await apiToken(admin.user, ["webhooks:manage"])).token, undefined, [
			"speaker.updated",
		]);
		// Letters only: digits in a name read as another word to the speaker matcher.
		const tag = uniquePlace();
		const shown = await makeClaim({ speaker: { name: `Sergei Lawrow ${tag}` } });
		await publish(shown.id);
		// Known only from an unreviewed claim: never public where unreviewed claims are hidden.
		const hidden = await makeClaim({ speaker: { name: `Sergei Schoigu ${tag}` } });
		const importer = (await apiToken((await makeUser("editor")).user, ["import"])).token;
		const record = (speaker: string) => ({
			claim: { text: `Die Lage in ${uniquePlace()} ist stabil.`, language: "de" },
			speaker: { name: speaker, kind: "person" },
			sources: [],
			verdict: null,
		});
		const imported = await apiCall("POST", "/api/v1/import", {
			token: importer,
			body: { records: [record(`Sergej Lawrow ${tag}`), record(`Sergej Schoigu ${tag}`)] },
		});
		expect(imported.status, await imported.clone().text()).toBe(200);
		const slug = shown.speaker?.slug ?? "";
		const api = await json<{ version: number; aliases: string[] }>(await call(`/api/v1/speakers/${slug}`));
		expect(api.aliases).toEqual([`Sergej Lawrow ${tag}`]);
		expect(api.version).toBe((shown.speaker?.version ?? 0) + 1);
		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.length >= 2,
		);
		expect(rows.map((r) => r.type)).toEqual(["speaker.updated", "speaker.updated"]);
		const speakers = rows.map((r) => JSON.parse(r.payload).data.speaker);
		expect(speakers.find((s) => s.slug === slug)).toMatchObject({
			aliases: [`Sergej Lawrow ${tag}`],
			version: api.version,
		});
		expect(speakers.find((s) => s.slug === hidden.speaker?.slug)?.aliases).toEqual([`Sergej Schoigu ${tag}`]);
		// Where unreviewed claims are hidden, the speaker only an unreviewed claim names was never public.
		const outbox = {
			db: testDb(),
			queue: { send: async () => undefined, sendBatch: async () => undefined },
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: true,
		};
		const event: CommandEvent = {
			type: "claims.imported",
			claimIds: [],
			speakerIds: [],
			createdIds: [],
			urls: [],
			verdicts: [],
			aliasedSpeakerIds: [shown.speaker?.id ?? "", hidden.speaker?.id ?? ""],
		};
		await fanOut(outbox, event, newMessageId());
		const hideRows = (await deliveriesOf(hook.id)).slice(2);
		expect(hideRows.map((r) => JSON.parse(r.payload).data.speaker.slug)).toEqual([slug]);
	});
});

describe("a speaker delivery whose speaker went with a merged claim", () => {
	it("goes on as it was, a retry sends it whole", { timeout: 60_000 }, async () => {
		const token = await adminToken();
		const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, ["speaker.updated"]);
		const tag = newId();
		const duplicate = await makeClaim({ speaker: { name: `Lone Speaker ${tag}` } });
		const kept = await makeClaim({ speaker: { name: `Kept Speaker ${tag}` } });
		const slug = duplicate.speaker?.slug ?? "";
		const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
		const edited = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version, description: `Described ${tag}` },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		// The pool's consumer tries it once: the receiver fails, and a retry is due (still "pending").
		const attempted = async () =>
			(
				await env.DB.prepare(
					"SELECT id, payload, state, attempts FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at",
				)
					.bind(hook.id)
					.all<{ id: string; payload: string; state: string; attempts: number }>()
			).results;
		const [failed] = await eventually(attempted, (rows) => (rows[0]?.attempts ?? 0) >= 1);
		if (!failed) throw new Error("no delivery");
		expect(failed).toMatchObject({ state: "pending", attempts: 1 });
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: duplicate.version, note: "The same claim." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		// Named by no claim now, the speaker went with the merge.
		expect((await apiCall("GET", `/api/v1/speakers/${slug}`)).status).toBe(404);
		const { sent, fetch } = receiver([new Response(null, { status: 204 })]);
		const { msg } = message(failed.id);
		await deliverWebhooks(
			[msg],
			deps(fetch, () => Date.now()),
		);
		expect(sent).toHaveLength(1);
		expect(JSON.parse(sent[0]?.body ?? "{}").data.speaker).toMatchObject({
			slug,
			description: `Described ${tag}`,
		});
		const row = await getDelivery(testDb(), failed.id);
		expect(row?.state).toBe("delivered");
		expect(row?.payload).toBe(failed.payload);
	});
});

describe("a removed claim with a duplicate merged into it", () => {
	it("forgets the duplicate's deliveries, recorded before the claim kept, and tells partners of both ids", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const hooks = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const editor = (await apiToken((await account("editor")).user, ["claims:write"])).token;
		// Delivered, so never retried: no attempt of the sender's comes to check the claim.
		const hook = await subscribe(hooks, `https://hooks.example/ok/${newId()}`, [
			"claim.created",
			"claim.merged",
			"claim.removed",
		]);
		const record = async (text: string) => {
			const response = await apiCall("POST", "/api/v1/claims", {
				token: editor,
				body: {
					text,
					language: "de",
					claimedAt: "2025-07-12",
					speaker: { name: `Privatperson ${newId()}`, kind: "person" },
					source: { url: `https://news.example/${newId()}`, title: "Artikel", language: "de" },
				},
			});
			expect(response.status, await response.clone().text()).toBe(201);
			return json<{ id: string; version: number }>(response);
		};
		const words = `Privat ${newId()} sagte etwas`;
		const duplicate = await record(`${words} über den Hafen.`);
		// The duplicate's claim.created is on record before the claim kept is.
		await eventually(
			() => deliveriesOf(hook.id),
			(rows) => rows.some((r) => r.payload.includes(words) && r.state === "delivered"),
		);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const kept = await record(`Eine andere Behauptung ${newId()} über den Hafen.`);
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token: editor,
			body: { into: kept.id, version: duplicate.version, note: "Same claim." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		await eventually(
			() => deliveriesOf(hook.id),
			(rows) => rows.some((r) => r.type === "claim.merged"),
		);
		const now = await json<{ version: number }>(await call(`/api/v1/claims/${kept.id}`));
		const removed = await apiCall("DELETE", `/api/v1/claims/${kept.id}`, {
			token: editor,
			body: { version: now.version, reason: "A private person." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		expect((await call(`/api/v1/claims/${duplicate.id}`)).status).toBe(410);

		const rows = await eventually(
			() => deliveriesOf(hook.id),
			(r) => r.filter((row) => row.type === "claim.removed").length >= 2,
		);
		// Nothing recorded keeps the duplicate's words, and nothing about them is sent again.
		for (const row of rows.filter((r) => r.type !== "claim.removed")) {
			expect(row.payload, row.type).not.toContain(words);
			expect(row.state, row.type).toMatch(/^(dead|delivered)$/);
		}
		const removals = rows
			.filter((r) => r.type === "claim.removed")
			.map((r) => JSON.parse(r.payload).data.claim);
		expect(removals.map((c: { id: string }) => c.id).sort()).toEqual([duplicate.id, kept.id].sort());
		expect(removals.find((c: { id: string }) => c.id === duplicate.id)).toEqual({
			id: duplicate.id,
			url: `${BASE}/claims/${duplicate.id}`,
			removedAt: expect.any(String),
		});
	});
});

/* ---------- the consumer, with a fake receiver and a fake clock ---------- */

interface Sent {
	url: string;
	headers: Record<string, string>;
	body: string;
}

/** A queue message of a delivery; a replay's carries the replay's id (commands/webhooks `replayDelivery`). */
function message(deliveryId: string, replayId?: string) {
	const calls: { ack: number; retry: { delaySeconds?: number }[] } = { ack: 0, retry: [] };
	const msg: DeliveryMessage = {
		body: replayId ? { deliveryId, replayId } : { deliveryId },
		ack: () => {
			calls.ack += 1;
		},
		retry: (options) => {
			calls.retry.push(options ?? {});
		},
	};
	return { msg, calls };
}

function receiver(answers: Response[]) {
	const sent: Sent[] = [];
	const fetchDouble = async (url: RequestInfo | URL, init?: RequestInit) => {
		sent.push({
			url: String(url),
			headers: Object.fromEntries(new Headers(init?.headers).entries()),
			body: String(init?.body),
		});
		return answers.shift() ?? new Response(null, { status: 204 });
	};
	return { sent, fetch: fetchDouble as typeof fetch };
}

/**
 * A delivery recorded as the fan-out records it, but not queued: the pool's own consumer
 * must not race these cases, which hand the message to the consumer themselves.
 */
async function queuedDelivery(token: string, url?: string) {
	const hook = await subscribe(token, url);
	const deliveryId = newMessageId();
	const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: {} });
	await insertDeliveries(testDb(), [
		{
			id: deliveryId,
			webhookId: hook.id,
			eventType: "webhook.test",
			payload: body,
			timestamp: Math.floor(Date.now() / 1000),
		},
	]);
	return { hook, deliveryId };
}

function deps(fetchDouble: typeof fetch, now: () => number, dead: string[] = []) {
	return {
		db: testDb(),
		fetch: fetchDouble,
		now,
		allowLoopback: false,
		deadLetters: { send: async (body: { deliveryId: string }) => dead.push(body.deliveryId) },
	};
}

/** A subscriber to publications, and the event of a verdict just published (fan-out tests). */
async function publicationEvent() {
	const hook = await subscribe(await adminToken(), undefined, ["verdict.published"]);
	const claim = await makeClaim();
	const verdict = await publish(claim.id, "false");
	const event: CommandEvent = {
		type: "verdict.published",
		claimId: claim.id,
		verdictId: verdict.id,
		correction: false,
		speakerIds: [],
	};
	return { hook, verdict, event };
}

describe("the fan-out, run by the queue's consumer", () => {
	it("is retried after a D1 failure, and a second run writes no second delivery", async () => {
		const { hook, event } = await publicationEvent();
		const sent: unknown[] = [];
		const queue = {
			send: async (body: unknown) => void sent.push(body),
			sendBatch: async (m: unknown[]) => void sent.push(...m),
		};
		let down = true;
		const occurredAt = new Date(Date.now() - 60_000).toISOString();
		// The write committed a minute ago, to a subscription already there then.
		await env.DB.prepare("UPDATE webhooks SET created_at = ? WHERE id = ?")
			.bind(new Date(Date.now() - 120_000).toISOString(), hook.id)
			.run();
		const db = new Proxy(testDb(), {
			get(target, key) {
				if (down && key === "select") throw new Error("D1 unavailable");
				return Reflect.get(target, key);
			},
		});
		const outbox = {
			db,
			queue,
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: false,
		};
		const run = async () => {
			const { msg, calls } = message("unused");
			await deliverWebhooks([{ ...msg, body: { fanOut: { eventId: `e1-${hook.id}`, event, occurredAt } } }], {
				...deps(receiver([]).fetch, () => Date.now()),
				fanOut: (e, id, at) => fanOut(outbox, e, id, at),
			});
			return calls;
		};
		expect(await run()).toEqual({ ack: 0, retry: [{ delaySeconds: 60 }] });
		expect(await deliveriesOf(hook.id)).toEqual([]);
		down = false;
		expect(await run()).toEqual({ ack: 1, retry: [] });
		const rows = await deliveriesOf(hook.id);
		expect(rows.map((r) => r.type)).toEqual(["verdict.published"]);
		// Fanned out a minute after the write, the payload says when the write happened.
		expect(JSON.parse(rows[0]?.payload ?? "{}").timestamp).toBe(occurredAt);
		// The queue may deliver the message once more: the same delivery id, no second row.
		expect(await run()).toEqual({ ack: 1, retry: [] });
		expect((await deliveriesOf(hook.id)).map((r) => r.id)).toEqual(rows.map((r) => r.id));
	});
});

describe("an event whose fan-out ran out of retries", () => {
	it("is fanned out once more from the dead-letter queue, and logged whole when that fails too", async () => {
		const { hook, event } = await publicationEvent();
		const queue = { send: async () => undefined, sendBatch: async () => undefined };
		const outbox = {
			db: testDb(),
			queue,
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: false,
		};
		const deadLetter = (eventId: string) => {
			const { msg, calls } = message("unused");
			return { msg: { ...msg, body: { fanOut: { eventId, event, occurredAt: undefined } } }, calls };
		};
		// D1 is back by the time the dead letter is read: the event reaches its subscriber.
		const late = deadLetter(`e-dlq-${hook.id}`);
		await recordDeadLetters([late.msg], testDb(), (e, id, at) => fanOut(outbox, e, id, at));
		expect(late.calls).toEqual({ ack: 1, retry: [] });
		expect((await deliveriesOf(hook.id)).map((r) => r.type)).toEqual(["verdict.published"]);
		// Still down: acknowledged (a dead letter has no queue after it), but not without a trace.
		const lost = deadLetter(`e-lost-${hook.id}`);
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await recordDeadLetters([lost.msg], testDb(), () => Promise.reject(new Error("D1 unavailable")));
			const logged = JSON.parse(String(error.mock.calls[0]?.[0]));
			expect(logged).toMatchObject({
				event: "webhook-event-lost",
				eventId: `e-lost-${hook.id}`,
				webhookEvent: { type: event.type },
				error: "Error: D1 unavailable",
			});
		} finally {
			error.mockRestore();
		}
		expect(lost.calls).toEqual({ ack: 1, retry: [] });
		expect(await deliveriesOf(hook.id)).toHaveLength(1);
	});
});

describe("an event the webhook queue refuses", () => {
	it("is fanned out in the write's background instead: its delivery is on record, to be replayed once stranded", async () => {
		const { hook, verdict, event } = await publicationEvent();
		// The queue is down: neither the event nor its deliveries' messages can be sent.
		const down = () => Promise.reject(new Error("queue unavailable"));
		const outbox = {
			db: testDb(),
			queue: { send: down, sendBatch: down },
			origin: BASE,
			house: house(env, BASE),
			publicClaim: (d: ClaimDetail | undefined) => d ?? null,
			reviewedOnly: false,
		};
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await expect(queueFanOut(outbox, event)).rejects.toThrow(/queue unavailable/);
			expect(String(error.mock.calls[0]?.[0])).toContain("webhook-queue-failed");
		} finally {
			error.mockRestore();
		}
		const rows = await deliveriesOf(hook.id);
		expect(rows.map((r) => [r.type, r.state])).toEqual([["verdict.published", "pending"]]);
		expect(JSON.parse(rows[0]?.payload ?? "{}").data.verdict.id).toBe(verdict.id);
	});
});

describe("the delivery consumer", () => {
	it("signs so that the standardwebhooks package verifies it, and retries with the same webhook-id on the spec's schedule", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token, `https://hooks.example/fail/${newId()}`);
		const { sent, fetch } = receiver([
			new Response("no", { status: 500 }),
			new Response("no", { status: 502 }),
			new Response(null, { status: 200 }),
		]);
		let clock = Date.now();
		const delays: (number | undefined)[] = [];
		for (let i = 0; i < 3; i++) {
			const { msg, calls } = message(deliveryId);
			await deliverWebhooks(
				[msg],
				deps(fetch, () => clock),
			);
			delays.push(...calls.retry.map((r) => r.delaySeconds));
			if (calls.ack) break;
			clock += (calls.retry[0]?.delaySeconds ?? 0) * 1000;
		}
		expect(delays).toEqual([5, 300]);
		expect(new Set(sent.map((s) => s.headers["webhook-id"]))).toEqual(new Set([deliveryId]));
		const last = sent.at(-1);
		if (!last) throw new Error("nothing sent");
		// A receiver checks the timestamp against its own clock: verify the first attempt now.
		const first = sent[0];
		if (!first) throw new Error("nothing sent");
		expect(new Receiver(hook.secret).verify(first.body, first.headers)).toMatchObject({
			type: "webhook.test",
		});
		expect(Number(last.headers["webhook-timestamp"])).toBe(Math.floor(clock / 1000));
		expect((await getDelivery(testDb(), deliveryId))?.state).toBe("delivered");
		const log = await json<{ data: { id: string; log: { statusCode: number }[] }[] }>(
			await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { token }),
		);
		expect(log.data.find((d) => d.id === deliveryId)?.log.map((a) => a.statusCode)).toEqual([200, 502, 500]);
	});

	it("after a secret rotation both secrets verify a delivery", async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		const rotated = await json<{ secret: string }>(
			await apiCall("POST", `/api/v1/webhooks/${hook.id}/rotate-secret`, { token }),
		);
		const { sent, fetch } = receiver([new Response(null, { status: 204 })]);
		await deliverWebhooks(
			[message(deliveryId).msg],
			deps(fetch, () => Date.now()),
		);
		const [request] = sent;
		if (!request) throw new Error("nothing sent");
		expect(new Receiver(hook.secret).verify(request.body, request.headers)).toBeTruthy();
		expect(new Receiver(rotated.secret).verify(request.body, request.headers)).toBeTruthy();
	});

	it("a second rotation within the 24 hours keeps the first secret signing to their end, beside the newest", async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		const rotate = async () => {
			const response = await apiCall("POST", `/api/v1/webhooks/${hook.id}/rotate-secret`, { token });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ secret: string; previousSecretUntil: string }>(response);
		};
		const first = await rotate();
		// Its answer lost, or the request sent again: a receiver still holds the original secret.
		const second = await rotate();
		expect(second.previousSecretUntil).toBe(first.previousSecretUntil);
		// Refused, so that it is tried again below.
		const { sent, fetch } = receiver([new Response(null, { status: 500 })]);
		await deliverWebhooks(
			[message(deliveryId).msg],
			deps(fetch, () => Date.now()),
		);
		const [request] = sent;
		if (!request) throw new Error("nothing sent");
		expect(new Receiver(hook.secret).verify(request.body, request.headers)).toBeTruthy();
		expect(new Receiver(second.secret).verify(request.body, request.headers)).toBeTruthy();
		expect(() => new Receiver(first.secret).verify(request.body, request.headers)).toThrow();
		// Once the 24 hours are over, the newest alone signs.
		const { sent: later, fetch: laterFetch } = receiver([new Response(null, { status: 204 })]);
		const dayLater = Date.parse(first.previousSecretUntil) + 1000;
		await deliverWebhooks(
			[message(deliveryId).msg],
			deps(laterFetch, () => dayLater),
		);
		expect(later[0]?.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
	});

	it("honours Retry-After on 429 and disables the endpoint on 410", async () => {
		const token = await adminToken();
		const busy = await queuedDelivery(token);
		const first = message(busy.deliveryId);
		await deliverWebhooks(
			[first.msg],
			deps(receiver([new Response(null, { status: 429, headers: { "Retry-After": "120" } })]).fetch, () =>
				Date.now(),
			),
		);
		expect(first.calls.retry).toEqual([{ delaySeconds: 120 }]);

		const gone = await queuedDelivery(token);
		const second = message(gone.deliveryId);
		await deliverWebhooks(
			[second.msg],
			deps(receiver([new Response(null, { status: 410 })]).fetch, () => Date.now()),
		);
		expect(second.calls).toEqual({ ack: 1, retry: [] });
		const webhook = await getWebhook(testDb(), gone.hook.id);
		expect(webhook?.disabledAt).not.toBeNull();
		expect(webhook?.disabledReason).toContain("410");
		expect((await getDelivery(testDb(), gone.deliveryId))?.state).toBe("failed");
	});

	it("disables an endpoint when a delivery dies on its schedule's last try, failing throughout; not after a success", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		// The schedule's last try is about 66 h after the first (the next would pass 72 h).
		const firstTry = new Date(Date.now() - 66 * 3600 * 1000).toISOString();
		const failing = async (failingSince: string) => {
			const { hook, deliveryId } = await queuedDelivery(token);
			await env.DB.prepare(
				"UPDATE webhook_deliveries SET first_attempt_at = ?, attempts = 10, round_attempts = 10 WHERE id = ?",
			)
				.bind(firstTry, deliveryId)
				.run();
			await env.DB.prepare("UPDATE webhooks SET failing_since = ? WHERE id = ?")
				.bind(failingSince, hook.id)
				.run();
			const { msg } = message(deliveryId);
			await deliverWebhooks(
				[msg],
				deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
			);
			expect((await getDelivery(testDb(), deliveryId))?.state).toBe("dead");
			return getWebhook(testDb(), hook.id);
		};
		expect((await failing(firstTry))?.disabledReason).toContain("three days");
		// A delivery that succeeded since this one's first try: the endpoint works at times.
		const later = new Date(Date.now() - 20 * 3600 * 1000).toISOString();
		expect((await failing(later))?.disabledAt).toBeNull();
	});

	it("gives up after three days: dead letter, endpoint disabled, replayable with the same id", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600 * 1000 + 60_000).toISOString();
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET first_attempt_at = ?, attempts = 11, round_attempts = 11 WHERE id = ?",
		)
			.bind(threeDaysAgo, deliveryId)
			.run();
		await env.DB.prepare("UPDATE webhooks SET failing_since = ? WHERE id = ?")
			.bind(threeDaysAgo, hook.id)
			.run();
		const dead: string[] = [];
		const { msg, calls } = message(deliveryId);
		await deliverWebhooks(
			[msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now() + 120_000, dead),
		);
		expect(calls).toEqual({ ack: 1, retry: [] });
		expect(dead).toEqual([deliveryId]);
		expect((await getDelivery(testDb(), deliveryId))?.state).toBe("dead");
		expect((await getWebhook(testDb(), hook.id))?.disabledReason).toContain("three days");

		// The admin fixes the receiver, enables the endpoint and replays the dead delivery.
		const current = await json<{ version: number }>(
			await apiCall("GET", `/api/v1/webhooks/${hook.id}`, { token }),
		);
		expect(
			(
				await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
					token,
					body: { version: current.version, enabled: true },
				})
			).status,
		).toBe(200);
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${deliveryId}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
		const delivered = await eventually(
			() => getDelivery(testDb(), deliveryId),
			(d) => d?.state === "delivered",
		);
		expect(delivered?.state).toBe("delivered");
		expect(
			(await apiCall("POST", `/api/v1/webhooks/deliveries/${deliveryId}/replay`, { token })).status,
		).toBe(409);
		// The replay is on record: who sent the data out again, and which delivery.
		const audited = await env.DB.prepare(
			"SELECT changes FROM audit_log WHERE entity = 'webhook' AND entity_id = ? AND action = 'replay'",
		)
			.bind(hook.id)
			.all<{ changes: string }>();
		expect(audited.results.map((r) => JSON.parse(r.changes).deliveryId)).toEqual([deliveryId]);
	});

	it("sends no test and replays nothing to a disabled webhook (409 webhook-disabled) until it is enabled", async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead' WHERE id = ?").bind(deliveryId).run();
		const off = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, enabled: false },
		});
		expect(off.status, await off.clone().text()).toBe(200);
		for (const path of [
			`/api/v1/webhooks/${hook.id}/test`,
			`/api/v1/webhooks/deliveries/${deliveryId}/replay`,
		]) {
			const refused = await apiCall("POST", path, { token });
			expect(refused.status, path).toBe(409);
			expect((await json<{ type: string }>(refused)).type).toBe("urn:claimtrack:problem:webhook-disabled");
		}
		expect((await deliveriesOf(hook.id)).map((d) => [d.id, d.state])).toEqual([[deliveryId, "dead"]]);
		const on = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: (await json<{ version: number }>(off)).version, enabled: true },
		});
		expect(on.status, await on.clone().text()).toBe(200);
		expect(
			(await apiCall("POST", `/api/v1/webhooks/deliveries/${deliveryId}/replay`, { token })).status,
		).toBe(202);
		expect((await apiCall("POST", `/api/v1/webhooks/${hook.id}/test`, { token })).status).toBe(202);
	});

	it("a consumer noting failure and recovery leaves an admin's open form valid (no version step)", async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		const read = await json<{ version: number }>(
			await apiCall("GET", `/api/v1/webhooks/${hook.id}`, { token }),
		);
		const failing = message(deliveryId);
		await deliverWebhooks(
			[failing.msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		expect((await getWebhook(testDb(), hook.id))?.failingSince).not.toBeNull();
		const recovered = message(deliveryId);
		await deliverWebhooks(
			[recovered.msg],
			deps(receiver([new Response(null, { status: 204 })]).fetch, () => Date.now()),
		);
		expect((await getWebhook(testDb(), hook.id))?.failingSince).toBeNull();
		const edited = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: read.version, events: ["verdict.retracted"] },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const notes = await env.DB.prepare(
			"SELECT action FROM audit_log WHERE entity = 'webhook' AND entity_id = ? AND action IN ('failing', 'recover') ORDER BY id",
		)
			.bind(hook.id)
			.all<{ action: string }>();
		expect(notes.results.map((r) => r.action)).toEqual(["failing", "recover"]);
	});

	it("replays a delivery stranded as pending (its queue message never sent), not one still due", async () => {
		const token = await adminToken();
		const due = await queuedDelivery(token);
		expect(
			(await apiCall("POST", `/api/v1/webhooks/deliveries/${due.deliveryId}/replay`, { token })).status,
		).toBe(409);
		const stranded = await queuedDelivery(token);
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours') WHERE id = ?",
		)
			.bind(stranded.deliveryId)
			.run();
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${stranded.deliveryId}/replay`, {
			token,
		});
		expect(replay.status, await replay.clone().text()).toBe(202);
		// Queued again now: not stranded, so not replayable a second time.
		const again = await apiCall("POST", `/api/v1/webhooks/deliveries/${stranded.deliveryId}/replay`, {
			token,
		});
		expect(again.status).toBe(409);
		const delivered = await eventually(
			() => getDelivery(testDb(), stranded.deliveryId),
			(d) => d?.state === "delivered",
		);
		expect(delivered?.state).toBe("delivered");
	});

	it("records what reaches the dead-letter queue as dead, except what was delivered", async () => {
		const token = await adminToken();
		const crashed = await queuedDelivery(token);
		const done = await queuedDelivery(token);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'delivered' WHERE id = ?")
			.bind(done.deliveryId)
			.run();
		const a = message(crashed.deliveryId);
		const b = message(done.deliveryId);
		await recordDeadLetters([a.msg, b.msg], testDb());
		expect([a.calls.ack, b.calls.ack]).toEqual([1, 1]);
		expect((await getDelivery(testDb(), crashed.deliveryId))?.state).toBe("dead");
		expect((await getDelivery(testDb(), done.deliveryId))?.state).toBe("delivered");
		// Replayed before its dead letter is read: the replay stands (its message sends it).
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${crashed.deliveryId}/replay`, {
			token,
		});
		expect(replay.status).toBe(202);
		const late = message(crashed.deliveryId);
		await recordDeadLetters([late.msg], testDb());
		expect(late.calls.ack).toBe(1);
		expect((await getDelivery(testDb(), crashed.deliveryId))?.state).not.toBe("dead");
	});

	it("a subscription deleted during its attempt: that message is acknowledged, the batch's next one delivered", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const deleted = await queuedDelivery(token);
		const kept = await queuedDelivery(token);
		const sent: string[] = [];
		const fetchDouble = (async (url: RequestInfo | URL) => {
			sent.push(String(url));
			if (sent.length === 1) {
				const removed = await apiCall("DELETE", `/api/v1/webhooks/${deleted.hook.id}`, { token });
				expect(removed.status).toBe(204);
			}
			return new Response(null, { status: 200 });
		}) as typeof fetch;
		const a = message(deleted.deliveryId);
		const b = message(kept.deliveryId);
		await deliverWebhooks(
			[a.msg, b.msg],
			deps(fetchDouble, () => Date.now()),
		);
		expect(sent).toEqual([deleted.hook.url, kept.hook.url]);
		expect([a.calls, b.calls]).toEqual([
			{ ack: 1, retry: [] },
			{ ack: 1, retry: [] },
		]);
		expect(await getDelivery(testDb(), deleted.deliveryId)).toBeUndefined();
		expect((await getDelivery(testDb(), kept.deliveryId))?.state).toBe("delivered");
	});

	it("a message whose handling throws is retried alone; the batch's others are settled", async () => {
		const token = await adminToken();
		const first = await queuedDelivery(token);
		const second = await queuedDelivery(token);
		const { sent, fetch } = receiver([]);
		let clockBroken = true;
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const a = message(first.deliveryId);
		const b = message(second.deliveryId);
		try {
			await deliverWebhooks(
				[a.msg, b.msg],
				deps(fetch, () => {
					if (!clockBroken) return Date.now();
					clockBroken = false;
					throw new Error("clock failed");
				}),
			);
			expect(errors.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
				{ event: "webhook-delivery-failed", deliveryId: first.deliveryId, error: "Error: clock failed" },
			]);
		} finally {
			errors.mockRestore();
		}
		expect(a.calls).toEqual({ ack: 0, retry: [{ delaySeconds: 60 }] });
		expect(b.calls).toEqual({ ack: 1, retry: [] });
		expect(sent.map((s) => s.url)).toEqual([second.hook.url]);
		expect((await getDelivery(testDb(), first.deliveryId))?.state).toBe("pending");
	});
});

/**
 * A Db on the test database whose first statement matching `before` runs only once `change`
 * has: a write that lands between a consumer's read of a row and its own write (another
 * consumer's attempt, a desk replay), as D1 may interleave them.
 */
function interleaved(before: RegExp, change: () => Promise<unknown>): Db {
	let due = true;
	const real = new WeakMap<object, D1PreparedStatement>();
	const wrap = (statement: D1PreparedStatement, sql: string) => {
		const beforeRun = async () => {
			if (!due || !before.test(sql)) return;
			due = false;
			await change();
		};
		// What drizzle's D1 session calls of a statement (and `batch` of the database).
		const wrapped = {
			beforeRun,
			bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
			run: () => beforeRun().then(() => statement.run()),
			all: () => beforeRun().then(() => statement.all()),
			raw: () => beforeRun().then(() => statement.raw()),
		};
		real.set(wrapped, statement);
		return wrapped;
	};
	const d1 = {
		prepare: (sql: string) => wrap(env.DB.prepare(sql), sql),
		batch: async (statements: ReturnType<typeof wrap>[]) => {
			for (const statement of statements) await statement.beforeRun();
			return env.DB.batch(statements.map((statement) => real.get(statement) as D1PreparedStatement));
		},
	};
	return createDb(d1 as unknown as D1Database);
}

/** What D1 throws while it cannot serve (Cloudflare's "List of D1_ERRORs"). */
const D1_LOST = "D1_ERROR: Network connection lost.";

/**
 * A Db on the test database whose first statement matching `pattern` fails as D1 does when it
 * cannot serve: `before` it runs (nothing written), or `after` (its batch committed, the
 * answer lost). Later statements run as on the test database.
 */
function failingOnce(pattern: RegExp, when: "before" | "after"): Db {
	let due = true;
	const ours = (sql: string) => {
		if (!due || !pattern.test(sql)) return false;
		due = false;
		return true;
	};
	const lost = () => Promise.reject(new Error(D1_LOST));
	const real = new WeakMap<object, D1PreparedStatement>();
	const wrap = (statement: D1PreparedStatement, sql: string) => {
		const run = <T>(go: () => Promise<T>) =>
			!ours(sql) ? go() : when === "before" ? lost() : go().then(lost);
		// What drizzle's D1 session calls of a statement (and `batch` of the database).
		const wrapped = {
			sql,
			bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
			run: () => run(() => statement.run()),
			all: () => run(() => statement.all()),
			raw: () => run(() => statement.raw()),
		};
		real.set(wrapped, statement);
		return wrapped;
	};
	const d1 = {
		prepare: (sql: string) => wrap(env.DB.prepare(sql), sql),
		batch: (statements: ReturnType<typeof wrap>[]) => {
			const go = () =>
				env.DB.batch(statements.map((statement) => real.get(statement) as D1PreparedStatement));
			if (!statements.some((statement) => ours(statement.sql))) return go();
			return when === "before" ? lost() : go().then(lost);
		},
	};
	return createDb(d1 as unknown as D1Database);
}

const settingState = /^update "webhook_deliveries" set "state"/;

describe("a delivery's state set by a consumer", () => {
	it("for a disabled webhook leaves a delivery another consumer delivered meanwhile as delivered", async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		await env.DB.prepare(
			"UPDATE webhooks SET disabled_at = ?, disabled_reason = 'disabled by an admin' WHERE id = ?",
		)
			.bind(new Date().toISOString(), hook.id)
			.run();
		// Queues are at-least-once: a second message of it, read while the webhook was enabled,
		// got it through between this one's read and its write.
		let delivered = false;
		const db = interleaved(settingState, async () => {
			delivered = true;
			await env.DB.prepare("UPDATE webhook_deliveries SET state = 'delivered', attempts = 1 WHERE id = ?")
				.bind(deliveryId)
				.run();
		});
		const { msg, calls } = message(deliveryId);
		await deliverWebhooks([msg], { ...deps(receiver([]).fetch, () => Date.now()), db });
		expect(calls).toEqual({ ack: 1, retry: [] });
		expect({ delivered, state: (await getDelivery(testDb(), deliveryId))?.state }).toEqual({
			delivered: true,
			state: "delivered",
		});
	});

	it("from the dead-letter queue leaves one replayed or delivered meanwhile as it is now", async () => {
		const token = await adminToken();
		// Failed (its webhook disabled), then enabled and replayed by an admin in the desk.
		const replayed = await queuedDelivery(token);
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
		)
			.bind(replayed.deliveryId)
			.run();
		const row = await getDelivery(testDb(), replayed.deliveryId);
		if (!row) throw new Error("no delivery");
		const late = message(replayed.deliveryId);
		const changed: string[] = [];
		await recordDeadLetters(
			[late.msg],
			interleaved(settingState, async () => {
				changed.push("replayed");
				await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
			}),
		);
		expect(late.calls.ack).toBe(1);
		expect((await getDelivery(testDb(), replayed.deliveryId))?.state).toBe("pending");
		// Pending on its schedule, then delivered by its retry's message.
		const retried = await queuedDelivery(token);
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET attempts = 2, round_attempts = 2, next_attempt_at = ? WHERE id = ?",
		)
			.bind(new Date().toISOString(), retried.deliveryId)
			.run();
		await recordDeadLetters(
			[message(retried.deliveryId).msg],
			interleaved(settingState, async () => {
				changed.push("delivered");
				await env.DB.prepare(
					"UPDATE webhook_deliveries SET state = 'delivered', attempts = 3, next_attempt_at = NULL WHERE id = ?",
				)
					.bind(retried.deliveryId)
					.run();
			}),
		);
		expect((await getDelivery(testDb(), retried.deliveryId))?.state).toBe("delivered");
		expect(changed).toEqual(["replayed", "delivered"]);
	});

	it("from the dead-letter queue leaves one replayed since its message was queued on the replay's schedule", async () => {
		const { deliveryId } = await queuedDelivery(await adminToken());
		// Failed (its webhook disabled) while its retry was queued, then replayed: the replay's
		// message attempts it once, and the old retry runs out of tries in the dead-letter queue.
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
		)
			.bind(deliveryId)
			.run();
		const row = await getDelivery(testDb(), deliveryId);
		if (!row) throw new Error("no delivery");
		const replayId = await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
		const replayed = message(deliveryId, replayId);
		await deliverWebhooks(
			[replayed.msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		const onSchedule = await getDelivery(testDb(), deliveryId);
		const old = message(deliveryId);
		await recordDeadLetters([old.msg], testDb());
		expect({ calls: old.calls, delivery: await getDelivery(testDb(), deliveryId) }).toEqual({
			calls: { ack: 1, retry: [] },
			delivery: onSchedule,
		});
		expect(onSchedule?.state).toBe("pending");
	});
});

describe("a receiver's 410 while an admin edits its webhook", () => {
	const disabling = /^update "webhooks" set "disabled_at"/;
	it("still disables it, keeping the admin's edit and an admin's own disable with its reason; not at a new address", async () => {
		const token = await adminToken();
		const edits: [string, Record<string, unknown>][] = [
			["described", { description: "the CMS" }],
			["disabled", { enabled: false }],
			// The 410 was its old address's: the new one is not disabled for it.
			["moved", { url: `https://hooks.example/ok/${newId()}` }],
		];
		const outcomes: Record<string, unknown> = {};
		for (const [how, edit] of edits) {
			const { hook, deliveryId } = await queuedDelivery(token);
			// The admin's edit lands between the consumer's read of the webhook and its disable.
			const db = interleaved(disabling, async () => {
				const read = await json<{ version: number }>(
					await apiCall("GET", `/api/v1/webhooks/${hook.id}`, { token }),
				);
				const edited = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
					token,
					body: { version: read.version, ...edit },
				});
				expect(edited.status, await edited.clone().text()).toBe(200);
			});
			const { msg, calls } = message(deliveryId);
			await deliverWebhooks([msg], {
				...deps(receiver([new Response(null, { status: 410 })]).fetch, () => Date.now()),
				db,
			});
			const webhook = await getWebhook(testDb(), hook.id);
			outcomes[how] = {
				calls,
				disabled: webhook?.disabledAt !== null,
				reason: webhook?.disabledReason,
				description: webhook?.description,
				delivery: (await getDelivery(testDb(), deliveryId))?.state,
			};
		}
		expect(outcomes).toEqual({
			described: {
				calls: { ack: 1, retry: [] },
				disabled: true,
				reason: "The receiver answered 410 Gone.",
				description: "the CMS",
				delivery: "failed",
			},
			disabled: {
				calls: { ack: 1, retry: [] },
				disabled: true,
				reason: "disabled by an admin",
				description: null,
				delivery: "failed",
			},
			moved: {
				calls: { ack: 1, retry: [] },
				disabled: false,
				reason: null,
				description: null,
				delivery: "failed",
			},
		});
	});
});

describe("a consumer's disable that D1 fails", () => {
	const disabling = /^update "webhooks" set "disabled_at"/;
	it("leaves the delivery pending, and the message's retry a minute later gets the 410 again and disables it; the same after three days of failures", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		// The schedule's last try is about 66 h after the first (the next would pass 72 h).
		const firstTry = new Date(Date.now() - 66 * 3600 * 1000).toISOString();
		const cases: [string, number, (hookId: string, deliveryId: string) => Promise<unknown>][] = [
			["gone", 410, async () => undefined],
			[
				"three days",
				500,
				(hookId, deliveryId) =>
					env.DB.batch([
						env.DB.prepare(
							"UPDATE webhook_deliveries SET first_attempt_at = ?, attempts = 10, round_attempts = 10 WHERE id = ?",
						).bind(firstTry, deliveryId),
						env.DB.prepare("UPDATE webhooks SET failing_since = ? WHERE id = ?").bind(firstTry, hookId),
					]),
			],
		];
		const outcomes: Record<string, unknown> = {};
		for (const [how, status, prepare] of cases) {
			const { hook, deliveryId } = await queuedDelivery(token);
			await prepare(hook.id, deliveryId);
			const { msg, calls } = message(deliveryId);
			const start = Date.now();
			const answer = () => receiver([new Response(null, { status })]).fetch;
			await deliverWebhooks([msg], { ...deps(answer(), () => start), db: failingOnce(disabling, "before") });
			const between = (await getDelivery(testDb(), deliveryId))?.state;
			await deliverWebhooks(
				[msg],
				deps(answer(), () => start + 60_000),
			);
			const webhook = await getWebhook(testDb(), hook.id);
			outcomes[how] = {
				calls,
				between,
				disabled: webhook?.disabledAt !== null,
				reason: webhook?.disabledReason,
				delivery: (await getDelivery(testDb(), deliveryId))?.state,
			};
		}
		expect(outcomes).toEqual({
			gone: {
				calls: { ack: 1, retry: [{ delaySeconds: 60 }] },
				between: "pending",
				disabled: true,
				reason: "The receiver answered 410 Gone.",
				delivery: "failed",
			},
			"three days": {
				calls: { ack: 1, retry: [{ delaySeconds: 60 }] },
				between: "pending",
				disabled: true,
				reason: "Every delivery failed for three days.",
				delivery: "dead",
			},
		});
	});
});

describe("a delivery marked not sent", () => {
	const markingNotSent = /^update "webhook_deliveries" set "payload" = json_set/;
	/** A `verdict.published` recorded for a subscription to it and `claim.created`, its receiver down. */
	async function unsubscribedLater(token: string) {
		const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, [
			"verdict.published",
			"claim.created",
		]);
		const id = newMessageId();
		const payload = JSON.stringify({
			type: "verdict.published",
			timestamp: new Date().toISOString(),
			data: {},
		});
		await insertDeliveries(testDb(), [
			{
				id,
				webhookId: hook.id,
				eventType: "verdict.published",
				payload,
				timestamp: Math.floor(Date.now() / 1000),
			},
		]);
		const setEvents = (events: string) =>
			env.DB.prepare("UPDATE webhooks SET events = ? WHERE id = ?").bind(events, hook.id).run();
		// The partner drops verdict.published.
		await setEvents("claim.created");
		return { hook, id, resubscribe: () => setEvents("claim.created verdict.published") };
	}
	const now = async (id: string) => {
		const row = await getDelivery(testDb(), id);
		return { state: row?.state, unsubscribed: JSON.parse(row?.payload ?? "{}").unsubscribed ?? null };
	};

	it("by a consumer leaves a delivery replayed meanwhile (subscribed again) pending, to be sent", async () => {
		const token = await adminToken();
		const { id, resubscribe } = await unsubscribedLater(token);
		// Stranded: its message never sent, so an admin may replay it while an old message is read.
		await env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?")
			.bind(new Date(Date.now() - 2 * 3600_000).toISOString(), id)
			.run();
		let replayed = false;
		const db = interleaved(markingNotSent, async () => {
			replayed = true;
			await resubscribe();
			const row = await getDelivery(testDb(), id);
			if (row) await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
		});
		const { msg, calls } = message(id);
		await deliverWebhooks([msg], { ...deps(receiver([]).fetch, () => Date.now()), db });
		expect(calls).toEqual({ ack: 1, retry: [] });
		expect({ replayed, ...(await now(id)) }).toEqual({
			replayed: true,
			state: "pending",
			unsubscribed: null,
		});
	});

	it("by a replay leaves a delivery another admin replayed meanwhile pending, and says so", async () => {
		const token = await adminToken();
		const { id, resubscribe } = await unsubscribedLater(token);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(id)
			.run();
		const db = interleaved(markingNotSent, async () => {
			await resubscribe();
			const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${id}/replay`, { token });
			expect(replay.status, await replay.clone().text()).toBe(202);
		});
		const refused = await replayDelivery(
			{ db, actor: SYSTEM("test"), effects: { emit: () => undefined } },
			id,
			testOutbox(),
		).then(
			() => null,
			(error: { status?: number; code?: string; message?: string }) => error,
		);
		expect({ status: refused?.status, code: refused?.code }).toEqual({ status: 409, code: "not-replayable" });
		expect(refused?.message).toContain("in the meantime");
		// The other admin's replay stands: queued, unmarked (its attempt, if made already, left it so too).
		expect(await now(id)).toMatchObject({ unsubscribed: null });
		expect((await now(id)).state).not.toBe("dead");
	});
});

describe("a webhook no longer receiving an event type", () => {
	it("is sent no pending delivery of it, by a retry or a replay; the log says why; a new address gets the rest", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const admin = await account("admin");
		const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, [
			"verdict.published",
			"claim.created",
		]);
		const recorded = async (eventType: string) => {
			const id = newMessageId();
			const payload = JSON.stringify({ type: eventType, timestamp: new Date().toISOString(), data: {} });
			await insertDeliveries(testDb(), [
				{ id, webhookId: hook.id, eventType, payload, timestamp: Math.floor(Date.now() / 1000) },
			]);
			return id;
		};
		const [retried, unsent, kept] = [
			await recorded("verdict.published"),
			await recorded("verdict.published"),
			await recorded("claim.created"),
		];
		// The first fails once: it is pending, to be retried.
		await deliverWebhooks(
			[message(retried).msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		expect((await getDelivery(testDb(), retried))?.state).toBe("pending");
		// The partner drops verdict.published and moves its receiver.
		const moved = `https://hooks.example/ok/${newId()}`;
		const edited = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, events: ["claim.created"], url: moved },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const { sent, fetch } = receiver([]);
		const calls = [message(retried), message(unsent), message(kept)];
		await deliverWebhooks(
			calls.map((c) => c.msg),
			deps(fetch, () => Date.now()),
		);
		expect(calls.map((c) => c.calls)).toEqual(Array(3).fill({ ack: 1, retry: [] }));
		// Only the event it still receives leaves, to its new address.
		expect(sent.map((s) => [s.url, JSON.parse(s.body).type])).toEqual([[moved, "claim.created"]]);
		const states = async () =>
			Promise.all([retried, unsent, kept].map(async (id) => (await getDelivery(testDb(), id))?.state));
		expect(await states()).toEqual(["dead", "dead", "delivered"]);
		const rowIn = (html: string, id: string) => html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
		const page = async (lang: string) =>
			(await deskGet(admin, `/desk/admin/webhooks/${hook.id}?lang=${lang}`)).text();
		const [en, de] = [await page("en"), await page("de")];
		expect({
			en: [rowIn(en, retried), rowIn(en, unsent)].map((row) => /not sent[^<]*/.exec(row)?.[0]),
			de: [rowIn(de, retried), rowIn(de, unsent)].map((row) => /nicht [^<]*abonniert/.exec(row)?.[0]),
		}).toEqual({
			en: ["not sent again: no longer subscribed", "not sent: no longer subscribed"],
			de: ["nicht erneut gesendet: nicht mehr abonniert", "nicht gesendet: nicht mehr abonniert"],
		});
		// A replay is refused, saying why, and sends nothing.
		const replay = (id: string) => apiCall("POST", `/api/v1/webhooks/deliveries/${id}/replay`, { token });
		const refused = await replay(unsent);
		expect(refused.status, await refused.clone().text()).toBe(409);
		const problem = await json<{ type: string; detail: string }>(refused);
		expect(problem.type).toBe("urn:claimtrack:problem:unsubscribed");
		expect(problem.detail.endsWith("it is not sent, and its state is now dead.")).toBe(true);
		expect(await states()).toEqual(["dead", "dead", "delivered"]);
		// Subscribed again: a replay sends it (the 409 decided, not the mark), unmarked.
		const again = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: {
				version: (await json<{ version: number }>(edited)).version,
				events: ["claim.created", "verdict.published"],
			},
		});
		expect(again.status, await again.clone().text()).toBe(200);
		expect((await replay(unsent)).status).toBe(202);
		const mark = await env.DB.prepare(
			"SELECT json_extract(payload, '$.unsubscribed') AS mark FROM webhook_deliveries WHERE id = ?",
		)
			.bind(unsent)
			.first<{ mark: number | null }>();
		expect(mark?.mark ?? null).toBeNull();
	});

	it("shows its pending deliveries of a dropped type not sent as the edit is saved (API and desk), before any attempt", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const admin = await account("admin");
		const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, [
			"verdict.published",
			"claim.created",
		]);
		const recorded = async (eventType: string) => {
			const id = newMessageId();
			const payload = JSON.stringify({ type: eventType, timestamp: new Date().toISOString(), data: {} });
			await insertDeliveries(testDb(), [
				{ id, webhookId: hook.id, eventType, payload, timestamp: Math.floor(Date.now() / 1000) },
			]);
			return id;
		};
		const [retried, unsent, delivered, kept, test] = [
			await recorded("verdict.published"),
			await recorded("verdict.published"),
			await recorded("verdict.published"),
			await recorded("claim.created"),
			await recorded("webhook.test"),
		];
		// The first failed once: pending, its retry due.
		await deliverWebhooks(
			[message(retried).msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'delivered' WHERE id = ?")
			.bind(delivered)
			.run();
		const log = async () => {
			const response = await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { token });
			expect(response.status, await response.clone().text()).toBe(200);
			const { data } = await json<{ data: { id: string; state: string; nextAttemptAt: string | null }[] }>(
				response,
			);
			return Object.fromEntries(
				Object.entries({ retried, unsent, delivered, kept, test }).map(([name, id]) => {
					const row = data.find((d) => d.id === id);
					return [name, `${row?.state}${row?.nextAttemptAt ? " (due)" : ""}`];
				}),
			);
		};
		const before = {
			retried: "pending (due)",
			unsent: "pending",
			delivered: "delivered",
			kept: "pending",
			test: "pending",
		};
		expect(await log()).toEqual(before);
		// An edit at a version read before another admin's changes nothing, deliveries included.
		const touched = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, description: "the CMS" },
		});
		expect(touched.status, await touched.clone().text()).toBe(200);
		const stale = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, events: ["claim.created"] },
		});
		expect(stale.status, await stale.clone().text()).toBe(409);
		expect(await log()).toEqual(before);
		// The partner drops verdict.published: its pending deliveries are dead at once, not at
		// their next attempt (hours away); what was delivered, the type kept and a test event stay.
		const edited = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: (await json<{ version: number }>(touched)).version, events: ["claim.created"] },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(await log()).toEqual({ ...before, retried: "dead", unsent: "dead" });
		const rowIn = (html: string, id: string) => html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
		const page = async () => (await deskGet(admin, `/desk/admin/webhooks/${hook.id}?lang=en`)).text();
		const shown = await page();
		expect(
			[rowIn(shown, retried), rowIn(shown, unsent)].map((row) => /not sent[^<]*/.exec(row)?.[0]),
		).toEqual(["not sent again: no longer subscribed", "not sent: no longer subscribed"]);
		// The desk's form dropping claim.created does the same.
		const version = (await json<{ version: number }>(edited)).version;
		const saved = await deskPost(admin, `/desk/admin/webhooks/${hook.id}`, {
			version: String(version),
			url: hook.url,
			"event:speaker.updated": "1",
			description: "",
			_idem: newToken(18),
		});
		expect(saved.status, await saved.clone().text()).toBe(303);
		expect(await log()).toEqual({ ...before, retried: "dead", unsent: "dead", kept: "dead" });
		expect(/not sent[^<]*/.exec(rowIn(await page(), kept))?.[0]).toBe("not sent: no longer subscribed");
		// Their messages, still queued, send nothing.
		const { sent, fetch } = receiver([]);
		await deliverWebhooks(
			[retried, unsent, kept].map((id) => message(id).msg),
			deps(fetch, () => Date.now()),
		);
		expect(sent.map((s) => JSON.parse(s.body).type)).toEqual([]);
	});
});

describe("a disabled webhook's pending deliveries", () => {
	it("are failed as it is disabled, by an admin or by its receiver's 410, not at their next attempt", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const recorded = async (webhookId: string) => {
			const id = newMessageId();
			const payload = JSON.stringify({
				type: "claim.created",
				timestamp: new Date().toISOString(),
				data: {},
			});
			await insertDeliveries(testDb(), [
				{ id, webhookId, eventType: "claim.created", payload, timestamp: Math.floor(Date.now() / 1000) },
			]);
			return id;
		};
		const statesOf = async (webhookId: string) => {
			const response = await apiCall("GET", `/api/v1/webhooks/${webhookId}/deliveries`, { token });
			expect(response.status, await response.clone().text()).toBe(200);
			const { data } = await json<{ data: { id: string; state: string; nextAttemptAt: string | null }[] }>(
				response,
			);
			return Object.fromEntries(data.map((d) => [d.id, `${d.state}${d.nextAttemptAt ? " (due)" : ""}`]));
		};
		// An admin disables a webhook whose receiver is down.
		const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, ["claim.created"]);
		const [retried, unsent, delivered] = [
			await recorded(hook.id),
			await recorded(hook.id),
			await recorded(hook.id),
		];
		await deliverWebhooks(
			[message(retried).msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'delivered' WHERE id = ?")
			.bind(delivered)
			.run();
		expect(await statesOf(hook.id)).toEqual({
			[retried]: "pending (due)",
			[unsent]: "pending",
			[delivered]: "delivered",
		});
		const off = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: hook.version, enabled: false },
		});
		expect(off.status, await off.clone().text()).toBe(200);
		expect(await statesOf(hook.id)).toEqual({
			[retried]: "failed",
			[unsent]: "failed",
			[delivered]: "delivered",
		});
		// Enabled again, they are replayed by hand, as the desk says ("replay failed ones").
		const on = await apiCall("PATCH", `/api/v1/webhooks/${hook.id}`, {
			token,
			body: { version: (await json<{ version: number }>(off)).version, enabled: true },
		});
		expect(on.status, await on.clone().text()).toBe(200);
		// A retry queued before sends nothing: failed is failed.
		const { sent, fetch } = receiver([]);
		await deliverWebhooks(
			[message(retried).msg],
			deps(fetch, () => Date.now()),
		);
		expect(sent).toEqual([]);
		expect((await statesOf(hook.id))[retried]).toBe("failed");
		expect((await apiCall("POST", `/api/v1/webhooks/deliveries/${unsent}/replay`, { token })).status).toBe(
			202,
		);

		// A receiver answers 410 to one delivery: its webhook is disabled, and its other pending one
		// failed with it, before that one's message is read.
		const gone = await subscribe(token, `https://hooks.example/fail/${newId()}`, ["claim.created"]);
		const [first, second] = [await recorded(gone.id), await recorded(gone.id)];
		await deliverWebhooks(
			[message(first).msg],
			deps(receiver([new Response(null, { status: 410 })]).fetch, () => Date.now()),
		);
		expect((await getWebhook(testDb(), gone.id))?.disabledReason).toContain("410");
		expect(await statesOf(gone.id)).toEqual({ [first]: "failed", [second]: "failed" });
	});

	it("a retry queued before it was settled sends nothing once it is replayed, whenever it comes: one schedule, not two", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const patch = async (webhookId: string, body: Record<string, unknown>) => {
			const read = await json<{ version: number }>(
				await apiCall("GET", `/api/v1/webhooks/${webhookId}`, { token }),
			);
			const response = await apiCall("PATCH", `/api/v1/webhooks/${webhookId}`, {
				token,
				body: { version: read.version, ...body },
			});
			expect(response.status, await response.clone().text()).toBe(200);
		};
		// Disabled and enabled again, or its event type dropped and subscribed to again: either
		// edit settles the pending delivery, whose retry is still queued.
		const settlings: [string, (webhookId: string) => Promise<void>][] = [
			[
				"disabled",
				async (id) => {
					await patch(id, { enabled: false });
					await patch(id, { enabled: true });
				},
			],
			[
				"unsubscribed",
				async (id) => {
					await patch(id, { events: ["verdict.published"] });
					await patch(id, { events: ["verdict.published", "claim.created"] });
				},
			],
		];
		for (const [how, settle] of settlings) {
			const hook = await subscribe(token, `https://hooks.example/fail/${newId()}`, [
				"verdict.published",
				"claim.created",
			]);
			const id = newMessageId();
			const payload = JSON.stringify({
				type: "claim.created",
				timestamp: new Date().toISOString(),
				data: {},
			});
			await insertDeliveries(testDb(), [
				{
					id,
					webhookId: hook.id,
					eventType: "claim.created",
					payload,
					timestamp: Math.floor(Date.now() / 1000),
				},
			]);
			const start = Date.now();
			// Its first attempt fails: the message M1 is retried in 5 s.
			const first = message(id);
			await deliverWebhooks(
				[first.msg],
				deps(receiver([new Response(null, { status: 500 })]).fetch, () => start),
			);
			expect(first.calls.retry, how).toEqual([{ delaySeconds: 5 }]);
			await settle(hook.id);
			expect((await getDelivery(testDb(), id))?.state, how).not.toBe("pending");
			// Replayed (as the route does, its own message M2, carrying the replay's id, handed over
			// here). M1 comes whenever it comes, and sends nothing each time: before M2's first
			// attempt (the delivery due now), well before its next due time, and at that time.
			const row = await getDelivery(testDb(), id);
			if (!row) throw new Error("no delivery");
			const replayId = await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
			const old = async (at: number) => {
				const { sent, fetch } = receiver([new Response(null, { status: 500 })]);
				const late = message(id);
				const before = await getDelivery(testDb(), id);
				await deliverWebhooks(
					[late.msg],
					deps(fetch, () => at),
				);
				expect({ sent: sent.length, calls: late.calls }, `${how}, M1 at ${at - start}`).toEqual({
					sent: 0,
					calls: { ack: 1, retry: [] },
				});
				expect(await getDelivery(testDb(), id), how).toEqual(before);
			};
			const replayed = { msg: message(id, replayId), at: start + 60_000 };
			await old(replayed.at);
			// M2 fails twice: its schedule, from its first step.
			for (const at of [replayed.at, replayed.at + 5_000]) {
				await deliverWebhooks(
					[replayed.msg.msg],
					deps(receiver([new Response(null, { status: 500 })]).fetch, () => at),
				);
			}
			expect(replayed.msg.calls.retry, how).toEqual([{ delaySeconds: 5 }, { delaySeconds: 300 }]);
			const due = await getDelivery(testDb(), id);
			await old(Date.parse(due?.nextAttemptAt ?? "") - 4 * 60_000);
			await old(Date.parse(due?.nextAttemptAt ?? ""));
			expect(await getDelivery(testDb(), id), how).toEqual(due);
		}
	});
});

describe("a schedule's own message coming before its due time", () => {
	const attempting = /^insert into "webhook_attempts"/;
	/** Its message's second attempt, 5 s after the first: both answered 500. */
	const twoAttempts = async (second: Db = testDb()) => {
		const { deliveryId } = await queuedDelivery(await adminToken());
		const start = Date.now();
		const { msg, calls } = message(deliveryId);
		for (const [at, db] of [
			[start, testDb()],
			[start + 5_000, second],
		] as const) {
			await deliverWebhooks([msg], {
				...deps(receiver([new Response(null, { status: 500 })]).fetch, () => at),
				db,
			});
		}
		return { deliveryId, msg, calls, start };
	};
	/** The message comes again at `at`: what it sent, and the delivery then. */
	const again = async (msg: DeliveryMessage, deliveryId: string, at: number) => {
		const { sent, fetch } = receiver([new Response(null, { status: 500 })]);
		await deliverWebhooks(
			[msg],
			deps(fetch, () => at),
		);
		const row = await getDelivery(testDb(), deliveryId);
		return { sent: sent.length, state: row?.state, attempts: row?.attempts };
	};

	it("after D1 lost the answer to its attempt's write is retried at the due time, and attempted whenever it comes", async () => {
		// The attempt's log entry and the delivery's next step commit; D1 answers an error.
		const { deliveryId, msg, calls, start } = await twoAttempts(failingOnce(attempting, "after"));
		const written = await getDelivery(testDb(), deliveryId);
		// Early all the same (as the minute's retry came before): the schedule's own message.
		const early = await again(msg, deliveryId, start + 65_000);
		expect({ written: [written?.state, written?.attempts, written?.nextAttemptAt], calls, early }).toEqual({
			written: ["pending", 2, new Date(start + 305_000).toISOString()],
			// At the due time the write set, not a minute later: no POST 4 minutes early.
			calls: { ack: 0, retry: [{ delaySeconds: 5 }, { delaySeconds: 300 }, { delaySeconds: 1800 }] },
			early: { sent: 1, state: "pending", attempts: 3 },
		});
	});

	it("redelivered at once after its attempt (the invocation ended before its retry) is attempted, not acknowledged", async () => {
		const { deliveryId, msg, calls, start } = await twoAttempts();
		const early = await again(msg, deliveryId, start + 5_000);
		expect({ calls, early }).toEqual({
			calls: { ack: 0, retry: [{ delaySeconds: 5 }, { delaySeconds: 300 }, { delaySeconds: 1800 }] },
			early: { sent: 1, state: "pending", attempts: 3 },
		});
	});
});

describe("an attempt under way while its delivery is replayed", () => {
	it("writes nothing when it ends: the replay delivered it, and the old message's retry is not sent", async () => {
		const { deliveryId } = await queuedDelivery(await adminToken());
		const old = message(deliveryId);
		// The old message's POST is slow: meanwhile the delivery fails (its webhook disabled),
		// is replayed, and the replay's message delivers it; then the old POST answers 500.
		const slow = (async () => {
			await env.DB.prepare(
				"UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
			)
				.bind(deliveryId)
				.run();
			const row = await getDelivery(testDb(), deliveryId);
			if (!row) throw new Error("no delivery");
			const replayId = await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
			await deliverWebhooks(
				[message(deliveryId, replayId).msg],
				deps(
					async () => new Response(null, { status: 204 }),
					() => Date.now(),
				),
			);
			return new Response(null, { status: 500 });
		}) as typeof fetch;
		await deliverWebhooks(
			[old.msg],
			deps(slow, () => Date.now()),
		);
		const row = await getDelivery(testDb(), deliveryId);
		expect({ state: row?.state, calls: old.calls }).toEqual({
			state: "delivered",
			calls: { ack: 1, retry: [] },
		});
	});
});

describe("a replay whose queue message is not sent", () => {
	it("leaves the delivery as it was, so the next replay goes at once", async () => {
		const { deliveryId } = await queuedDelivery(await adminToken());
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
		)
			.bind(deliveryId)
			.run();
		const ctx = { db: testDb(), actor: SYSTEM("test"), effects: { emit: () => undefined } };
		const down = {
			...testOutbox(),
			queue: { ...testOutbox().queue, send: () => Promise.reject(new Error("queue unavailable")) },
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const failed = await replayDelivery(ctx, deliveryId, down)
			.then(
				() => null,
				(error: Error) => error.message,
			)
			.finally(() => logged.mockRestore());
		const after = await getDelivery(testDb(), deliveryId);
		const sent: unknown[] = [];
		const up = {
			...testOutbox(),
			queue: { ...testOutbox().queue, send: async (body: unknown) => void sent.push(body) },
		};
		await replayDelivery(ctx, deliveryId, up);
		expect({
			failed,
			state: after?.state,
			due: after?.nextAttemptAt,
			replayId: after?.replayId,
			sent: sent.length,
		}).toEqual({
			failed: "The delivery could not be queued just now: nothing was changed. Try again shortly.",
			state: "failed",
			due: null,
			replayId: null,
			sent: 1,
		});
	});

	it("answers 503 with Retry-After (problem+json), undone, and the next replay goes", async () => {
		const token = await adminToken();
		const { deliveryId } = await queuedDelivery(token);
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
		)
			.bind(deliveryId)
			.run();
		const refusing = {
			send: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
			sendBatch: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let answer: { status: number; retryAfter: string | null; type: string | null; body: unknown };
		try {
			const { response, settled } = await fetchWith(
				env.DB,
				`/api/v1/webhooks/deliveries/${deliveryId}/replay`,
				{ method: "POST", headers: { Authorization: `Bearer ${token}` } },
				false,
				{ WEBHOOK_QUEUE: refusing as unknown as Queue },
			);
			await settled();
			answer = {
				status: response.status,
				retryAfter: response.headers.get("Retry-After"),
				type: response.headers.get("Content-Type"),
				body: await response.json(),
			};
		} finally {
			logged.mockRestore();
		}
		expect(answer).toMatchObject({
			status: 503,
			retryAfter: expect.stringMatching(/^[1-9]\d*$/),
			type: expect.stringContaining("application/problem+json"),
			body: {
				type: "urn:claimtrack:problem:queue-unavailable",
				detail: expect.stringMatching(/nothing was changed.*try again/i),
			},
		});
		const after = await getDelivery(testDb(), deliveryId);
		expect({ state: after?.state, due: after?.nextAttemptAt, replayId: after?.replayId }).toEqual({
			state: "failed",
			due: null,
			replayId: null,
		});
		const again = await apiCall("POST", `/api/v1/webhooks/deliveries/${deliveryId}/replay`, { token });
		expect(again.status, await again.clone().text()).toBe(202);
		// Told in the API's document, with its Retry-After.
		const doc = await json<{
			paths: Record<
				string,
				Record<string, { responses: Record<string, { description: string; headers?: object }> }>
			>;
		}>(await call("/api/v1/openapi.json"));
		const documented = doc.paths["/api/v1/webhooks/deliveries/{deliveryId}/replay"]?.post?.responses["503"];
		expect(documented?.description).toContain("`queue-unavailable`");
		expect(Object.keys(documented?.headers ?? {})).toContain("Retry-After");
	});
});

describe("a replay undone while its claim is removed", () => {
	it("keeps the removal: the claim's text stays out of the delivery, which stays dead", async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const secret = `Geheimtext ${newId()}`;
		const claim = await makeClaim({ text: `${secret} sagte etwas` });
		const deliveryId = newMessageId();
		const payload = JSON.stringify({
			type: "claim.created",
			timestamp: new Date().toISOString(),
			data: { claim: { id: claim.id, text: claim.text } },
		});
		await env.DB.prepare(
			"INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, timestamp, state, attempts) VALUES (?, ?, 'claim.created', ?, ?, 'failed', 1)",
		)
			.bind(deliveryId, hook.id, payload, Math.floor(Date.now() / 1000))
			.run();
		const ctx = { db: testDb(), actor: SYSTEM("test"), effects: { emit: () => undefined } };
		// The removal commits between the replay's reset and its undo; then the queue refuses.
		const down = {
			...testOutbox(),
			queue: {
				...testOutbox().queue,
				send: async () => {
					await removeClaim(testDb(), SYSTEM("test"), claim.id, {
						version: claim.version,
						reason: "Versehen.",
					});
					throw new Error("queue unavailable");
				},
			},
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const failed = await replayDelivery(ctx, deliveryId, down)
			.then(
				() => null,
				(error: Error) => error.message,
			)
			.finally(() => logged.mockRestore());
		const after = await getDelivery(testDb(), deliveryId);
		expect({ failed, state: after?.state, textKept: after?.payload.includes(secret) }).toEqual({
			failed: "The delivery could not be queued just now: nothing was changed. Try again shortly.",
			state: "dead",
			textKept: false,
		});
	});
});

describe("a replayed delivery's log", () => {
	it("keeps counting its attempts across the replay: the log numbers each once, `attempts` counts all", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const { hook, deliveryId } = await queuedDelivery(token);
		// Two failed attempts, then the dead-letter queue gives it up.
		for (const n of [1, 2]) {
			const { msg, calls } = message(deliveryId);
			await deliverWebhooks(
				[msg],
				deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
			);
			expect(calls.retry.length, `attempt ${n}`).toBe(1);
		}
		await recordDeadLetters([message(deliveryId).msg], testDb());
		expect((await getDelivery(testDb(), deliveryId))?.state).toBe("dead");
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${deliveryId}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
		await eventually(
			() => getDelivery(testDb(), deliveryId),
			(d) => d?.state === "delivered",
		);
		const log = await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { token });
		expect(log.status, await log.clone().text()).toBe(200);
		const [delivery] = (
			await json<{
				data: { id: string; attempts: number; log: { attempt: number; statusCode: number }[] }[];
			}>(log)
		).data;
		expect(delivery?.id).toBe(deliveryId);
		expect(delivery?.log.map((a) => [a.attempt, a.statusCode])).toEqual([
			[3, 204],
			[2, 500],
			[1, 500],
		]);
		expect(delivery?.attempts).toBe(3);
		const admin = await account("admin");
		const page = await (await deskGet(admin, `/desk/admin/webhooks/${hook.id}`)).text();
		expect(page).toMatch(/Attempt 3 · [^<]* · 204 ·/);
		expect(page.match(/Attempt 1 ·/g)).toHaveLength(1);
	});

	it("starts the retry schedule again at the replay: its first failure waits 5 s, not the third step's 30 min", {
		timeout: 60_000,
	}, async () => {
		const token = await adminToken();
		const { deliveryId } = await queuedDelivery(token);
		for (const n of [1, 2]) {
			const { msg } = message(deliveryId);
			await deliverWebhooks(
				[msg],
				deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
			);
			expect((await getDelivery(testDb(), deliveryId))?.attempts, `attempt ${n}`).toBe(n);
		}
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead' WHERE id = ?").bind(deliveryId).run();
		const row = await getDelivery(testDb(), deliveryId);
		if (!row) throw new Error("no delivery");
		// As the replay route does, without its queue message (this test hands it over itself).
		const replayId = await resetDeliveryForReplay(testDb(), SYSTEM("test"), row);
		const { msg, calls } = message(deliveryId, replayId);
		await deliverWebhooks(
			[msg],
			deps(receiver([new Response(null, { status: 500 })]).fetch, () => Date.now()),
		);
		expect(calls.retry).toEqual([{ delaySeconds: 5 }]);
		expect((await getDelivery(testDb(), deliveryId))?.attempts).toBe(3);
	});
});

describe("a webhook's events sent as something else than a list", () => {
	it("is one error saying so, not a bound measured on the string; too many are counted as events", async () => {
		const token = await adminToken();
		const url = `https://hooks.example/ok/${newId()}`;
		const single = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url, events: "claim.created" },
		});
		expect(single.status).toBe(422);
		expect((await json<{ errors: unknown[] }>(single)).errors).toEqual([
			{ path: "events", message: "Give a list here." },
		]);
		const many = Array.from({ length: 11 }, (_, i) => (i % 2 ? "claim.created" : "claim.updated"));
		const tooMany = await apiCall("POST", "/api/v1/webhooks", { token, body: { url, events: many } });
		expect(tooMany.status).toBe(422);
		expect((await json<{ errors: unknown[] }>(tooMany)).errors).toEqual([
			{ path: "events", message: "Choose at most 10 events." },
		]);
	});
});

describe("a webhook's own answer sent back changed as a PATCH", () => {
	it("is taken with its secret, which is ignored (rotation has its own route)", async () => {
		const token = await adminToken();
		const created = await subscribe(token);
		const storedSecret = async () =>
			(
				await env.DB.prepare("SELECT secret FROM webhooks WHERE id = ?")
					.bind(created.id)
					.first<{ secret: string }>()
			)?.secret;
		const edited = await apiCall("PATCH", `/api/v1/webhooks/${created.id}`, {
			token,
			body: { ...created, description: "CMS bridge", secret: "whsec_someoneelse" },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(await json(edited)).toMatchObject({ description: "CMS bridge", version: created.version + 1 });
		expect(await storedSecret()).toBe(created.secret);
		const rotated = await apiCall("POST", `/api/v1/webhooks/${created.id}/rotate-secret`, { token });
		expect(rotated.status, await rotated.clone().text()).toBe(200);
		const answer = await json<Created & { description: string }>(rotated);
		const again = await apiCall("PATCH", `/api/v1/webhooks/${created.id}`, {
			token,
			body: { ...answer, description: "CMS bridge, rotated" },
		});
		expect(again.status, await again.clone().text()).toBe(200);
		expect(await storedSecret()).toBe(answer.secret);
		// Still a 422 for a field the answer does not have.
		const misspelt = await apiCall("PATCH", `/api/v1/webhooks/${created.id}`, {
			token,
			body: { version: answer.version + 1, descripton: "typo" },
		});
		expect(misspelt.status).toBe(422);
	});
});

describe("a test delivery whose queue message is not sent", () => {
	it("answers 503 with Retry-After and leaves no delivery behind; the next test goes", async () => {
		const token = await adminToken();
		const hook = await subscribe(token);
		const refusing = {
			send: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
			sendBatch: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let answer: { status: number; retryAfter: string | null; body: unknown };
		try {
			const { response, settled } = await fetchWith(
				env.DB,
				`/api/v1/webhooks/${hook.id}/test`,
				{ method: "POST", headers: { Authorization: `Bearer ${token}` } },
				false,
				{ WEBHOOK_QUEUE: refusing as unknown as Queue },
			);
			await settled();
			answer = {
				status: response.status,
				retryAfter: response.headers.get("Retry-After"),
				body: await response.json(),
			};
		} finally {
			logged.mockRestore();
		}
		expect(answer).toMatchObject({
			status: 503,
			retryAfter: expect.stringMatching(/^[1-9]\d*$/),
			body: {
				type: "urn:claimtrack:problem:queue-unavailable",
				detail: expect.stringMatching(/nothing was sent.*try again/i),
			},
		});
		const log = await json<{ data: unknown[] }>(
			await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { token }),
		);
		expect(log.data).toEqual([]);
		const again = await apiCall("POST", `/api/v1/webhooks/${hook.id}/test`, { token });
		expect(again.status, await again.clone().text()).toBe(202);
		const documented = (
			await json<{
				paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
			}>(await call("/api/v1/openapi.json"))
		).paths["/api/v1/webhooks/{id}/test"]?.post?.responses["503"];
		expect(documented?.description).toContain("`queue-unavailable`");
	});
});
