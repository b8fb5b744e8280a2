import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { requestFingerprint } from "../../src/auth/idempotency";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { newMessageId } from "../../src/domain/standard-webhooks";
import { getDelivery, insertDeliveries } from "../../src/store/webhooks";
import { makeClaim } from "../factories";
import { fetchWith, freshIp, json, racingD1, testDb } from "../helpers";
import { hook } from "../webhook-helpers";
import { account, apiCall, apiToken, ORIGIN } from "./helpers";

/**
 * A write under an Idempotency-Key whose run stops between the write's batch and the key's
 * completion (its CPU limit, an uncaught error, an eviction): the write's own batch marked
 * the key written, so a repeat, at once or after the minute a pending key counts as stale,
 * answers the first write's result and never writes again. A run that stops before its
 * batch wrote nothing: its key is freed (or taken over once stale) and a repeat writes once.
 */

/** The real D1, whose first batch holding a statement matching `sql` commits and then fails the run. */
const stoppedAfter = (sql: RegExp) =>
	racingD1(
		sql,
		async () => {
			throw new Error("the run stopped after its batch (a test's stand-in for its CPU limit)");
		},
		1,
		"after",
	);

/** The real D1, whose first batch holding a statement matching `sql` fails before it runs. */
const stoppedBefore = (sql: RegExp) =>
	racingD1(sql, async () => {
		throw new Error("the run stopped before its batch (a test's stand-in for its CPU limit)");
	});

/** Every key of the user as if begun (and written) two minutes ago: a pending one is stale then. */
async function makeStale(userId: string) {
	const before = new Date(Date.now() - 2 * 60_000).toISOString();
	await env.DB.prepare(
		"UPDATE idempotency_keys SET created_at = ?1, written_at = CASE WHEN written_at IS NULL THEN NULL ELSE ?1 END WHERE user_id = ?2",
	)
		.bind(before, userId)
		.run();
}

async function count(sql: string, ...values: unknown[]) {
	const row = await env.DB.prepare(sql)
		.bind(...values)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

const claimBody = () => ({
	text: `Die Brücke von Wŏnsan ${newId()} wurde im Bereich Kursk gesprengt.`,
	language: "de",
	claimedAt: "2025-07-12",
	speaker: { name: `Sergej Lawrow ${newId()}`, kind: "person" },
	source: { url: `https://news.example/${newId()}`, title: "Lawrow in Wŏnsan", language: "de" },
});

const apiPost = (db: D1Database, path: string, token: string, key: string, body: unknown) =>
	fetchWith(db, path, {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": key },
		body: JSON.stringify(body),
	});

const deskForm = (
	db: D1Database,
	path: string,
	who: { cookie: string; csrf: string },
	fields: Record<string, string>,
) =>
	fetchWith(db, path, {
		method: "POST",
		headers: {
			"CF-Connecting-IP": freshIp(),
			"Content-Type": "application/x-www-form-urlencoded",
			Cookie: who.cookie,
			Origin: ORIGIN,
		},
		body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
		redirect: "manual",
	});

describe("a run that stops after its write's batch, before its key kept the answer", () => {
	it("POST /api/v1/claims: a repeat at once and one after the stale minute answer the claim written, and one claim exists", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const body = claimBody();
		const key = `claim-${newId()}`;
		const { response: first } = await apiPost(
			stoppedAfter(/^insert into "claims"/i),
			"/api/v1/claims",
			token,
			key,
			body,
		);
		expect(first.status).toBe(500);
		const written = await env.DB.prepare("SELECT id FROM claims WHERE text = ?")
			.bind(body.text)
			.first<{ id: string }>();
		expect(written).not.toBeNull();
		const id = written?.id ?? "";

		const repeat = () =>
			apiCall("POST", "/api/v1/claims", { token, body, headers: { "Idempotency-Key": key } });
		for (const when of ["at once", "after the stale minute"]) {
			if (when !== "at once") await makeStale(user.id);
			const again = await repeat();
			expect(again.status, `${when}: ${await again.clone().text()}`).toBe(201);
			expect(again.headers.get("idempotent-replayed"), when).toBe("true");
			expect(again.headers.get("location"), when).toBe(`${ORIGIN}/api/v1/claims/${id}`);
			const claim = await json<{ id: string; text: string }>(again);
			expect(claim, when).toMatchObject({ id, text: body.text });
		}
		expect(await count("SELECT count(*) AS n FROM claims WHERE text = ?", body.text)).toBe(1);
	});

	it("a desk note: a repeat at once and one after the stale minute go where the first would have, and one note exists", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const text = `Pressestelle angerufen ${newId()}`;
		const fields = { text, _idem: newToken(18) };
		const path = `/desk/claims/${claim.id}/notes`;
		const { response: first } = await deskForm(
			stoppedAfter(/^insert into "claim_notes"/i),
			path,
			checker,
			fields,
		);
		expect(first.status).toBe(500);
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", text)).toBe(1);

		for (const when of ["at once", "after the stale minute"]) {
			if (when !== "at once") await makeStale(checker.user.id);
			const { response: again } = await deskForm(env.DB, path, checker, fields);
			expect(again.status, `${when}: ${await again.clone().text()}`).toBe(303);
			expect(again.headers.get("location"), when).toBe(`/desk/claims/${claim.id}?done=note-added`);
		}
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", text)).toBe(1);
	});

	it("POST /api/v1/webhooks: a repeat answers the subscription written, without its secret, and one subscription exists", async () => {
		const { user } = await account("admin");
		const { token } = await apiToken(user, ["webhooks:manage"]);
		const body = { url: `https://hooks.example/ok/${newId()}`, events: ["verdict.published"] };
		const key = `webhook-${newId()}`;
		const { response: first } = await apiPost(
			stoppedAfter(/^insert into "webhooks"/i),
			"/api/v1/webhooks",
			token,
			key,
			body,
		);
		expect(first.status).toBe(500);
		const written = await env.DB.prepare("SELECT id FROM webhooks WHERE url = ?")
			.bind(body.url)
			.first<{ id: string }>();
		const id = written?.id ?? "";

		for (const when of ["at once", "after the stale minute"]) {
			if (when !== "at once") await makeStale(user.id);
			const again = await apiCall("POST", "/api/v1/webhooks", {
				token,
				body,
				headers: { "Idempotency-Key": key },
			});
			expect(again.status, `${when}: ${await again.clone().text()}`).toBe(201);
			expect(again.headers.get("idempotent-replayed"), when).toBe("true");
			expect(again.headers.get("location"), when).toBe(`${ORIGIN}/api/v1/webhooks/${id}`);
			expect(await json(again), when).toMatchObject({ id, url: body.url, secret: null });
		}
		expect(await count("SELECT count(*) AS n FROM webhooks WHERE url = ?", body.url)).toBe(1);
	});

	it("a first run still under way when its key was taken over (stale) writes nothing: the note is made once", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim();
		const text = `Rückruf der Pressestelle ${newId()}`;
		const key = `note-${newId()}`;
		const path = `/api/v1/claims/${claim.id}/notes`;
		let resume: () => void = () => {};
		const held = new Promise<void>((resolve) => {
			resume = resolve;
		});
		let reached: () => void = () => {};
		const atBatch = new Promise<void>((resolve) => {
			reached = resolve;
		});
		// The first run reaches its batch, then waits there past the stale minute.
		const slow = racingD1(/^insert into "claim_notes"/i, async () => {
			reached();
			await held;
		});
		const first = apiPost(slow, path, token, key, { text });
		await atBatch;
		await makeStale(user.id);
		const taken = await apiCall("POST", path, { token, body: { text }, headers: { "Idempotency-Key": key } });
		expect(taken.status, await taken.clone().text()).toBe(201);
		expect(taken.headers.get("idempotent-replayed")).toBeNull();
		resume();
		const { response: late } = await first;
		expect(late.status, await late.clone().text()).toBe(409);
		expect((await json<{ type: string }>(late)).type).toBe("urn:claimtrack:problem:idempotency-pending");
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", text)).toBe(1);
	});
});

describe("a run that stops before its write's batch", () => {
	it("frees its key: a repeat writes the claim once", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const body = claimBody();
		const key = `claim-${newId()}`;
		const { response: first } = await apiPost(
			stoppedBefore(/^insert into "claims"/i),
			"/api/v1/claims",
			token,
			key,
			body,
		);
		expect(first.status).toBe(500);
		expect(await count("SELECT count(*) AS n FROM claims WHERE text = ?", body.text)).toBe(0);
		const again = await apiCall("POST", "/api/v1/claims", {
			token,
			body,
			headers: { "Idempotency-Key": key },
		});
		expect(again.status, await again.clone().text()).toBe(201);
		expect(again.headers.get("idempotent-replayed")).toBeNull();
		expect(await count("SELECT count(*) AS n FROM claims WHERE text = ?", body.text)).toBe(1);
	});

	it("leaves a pending key that a repeat takes over once stale, writing the note once", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim();
		const text = `Rückruf ${newId()}`;
		const key = `note-${newId()}`;
		// What a run killed before its batch leaves: its key claimed, pending, never written.
		const scope = `POST /api/v1/claims/${claim.id}/notes ${await requestFingerprint({ text })}`;
		await env.DB.prepare("INSERT INTO idempotency_keys (id, user_id, scope) VALUES (?, ?, ?)")
			.bind(await sha256Hex(`${user.id}\u0000${key}`), user.id, scope)
			.run();
		const path = `/api/v1/claims/${claim.id}/notes`;
		const send = () => apiCall("POST", path, { token, body: { text }, headers: { "Idempotency-Key": key } });
		const pending = await send();
		expect(pending.status).toBe(409);
		expect((await json<{ type: string }>(pending)).type).toBe("urn:claimtrack:problem:idempotency-pending");
		await makeStale(user.id);
		const taken = await send();
		expect(taken.status, await taken.clone().text()).toBe(201);
		expect(taken.headers.get("idempotent-replayed")).toBeNull();
		const again = await send();
		expect(again.status).toBe(201);
		expect(again.headers.get("idempotent-replayed")).toBe("true");
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", text)).toBe(1);
	});
});

/** A desk form's post through both Workers with other bindings (a queue that refuses). */
const deskFormWith = (
	path: string,
	who: { cookie: string; csrf: string },
	fields: Record<string, string>,
	more: Partial<Env>,
) =>
	fetchWith(
		env.DB,
		path,
		{
			method: "POST",
			headers: {
				"CF-Connecting-IP": freshIp(),
				"Content-Type": "application/x-www-form-urlencoded",
				Cookie: who.cookie,
				Origin: ORIGIN,
			},
			body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
			redirect: "manual",
		},
		false,
		more,
	);

/** A queue that is down: every message refused. */
const refusingQueue = {
	send: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
	sendBatch: () => Promise.reject(new Error("Queue claimtrack-webhooks is overloaded")),
} as unknown as Queue;

/** What a form sent again answered: its status and, for a redirect, where to. */
async function answerOf(response: Response) {
	return { status: response.status, location: response.headers.get("location") };
}

/** A dead delivery of `eventType` to a subscription of `events` (its endpoint was down). */
async function deadDelivery(events: string[], eventType: string) {
	const webhookId = await hook(events);
	const id = newMessageId();
	await insertDeliveries(testDb(), [
		{
			id,
			webhookId,
			eventType,
			payload: JSON.stringify({ type: eventType, timestamp: new Date().toISOString(), data: {} }),
			timestamp: Math.floor(Date.now() / 1000),
		},
	]);
	await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
		.bind(id)
		.run();
	return { webhookId, id };
}

describe("a desk form refused after its run wrote (bookkeeping, a plan of nothing, a write undone)", () => {
	it("Archive again of a copy not due: the same form sent again is refused again, never 'archive requested'", async () => {
		const checker = await account("checker");
		const url = `https://news.example/retrying-${newId()}.html`;
		const claim = await makeClaim({ sourceUrl: url });
		const at = new Date(Date.now() - 60_000).toISOString();
		// A copy failed a minute ago with a retry due in an hour: nothing to archive again.
		await env.DB.prepare(
			"INSERT INTO snapshots (id, url, state, error, attempts, retry_at, created_at, updated_at) VALUES (?, ?, 'failed', 'The site answered HTTP 503.', 1, ?, ?, ?)",
		)
			.bind(newId(), url, new Date(Date.now() + 3_600_000).toISOString(), at, at)
			.run();
		const path = `/desk/claims/${claim.id}/appearances/${claim.appearances[0]?.id}/archive`;
		const fields = { _idem: newToken(18) };
		const first = await deskForm(env.DB, path, checker, fields);
		expect(first.response.status).toBe(409);
		const { response: again } = await deskForm(env.DB, path, checker, fields);
		expect(await answerOf(again)).toEqual({ status: 409, location: null });
		expect(await count("SELECT count(*) AS n FROM snapshots WHERE url = ?", url)).toBe(1);
	});

	it("Replay of a delivery its webhook no longer receives: a repeat and a double click are refused, never 'replayed'", async () => {
		const admin = await account("admin");
		const { webhookId, id } = await deadDelivery(["claim.created", "verdict.published"], "claim.created");
		await env.DB.prepare("UPDATE webhooks SET events = 'verdict.published' WHERE id = ?")
			.bind(webhookId)
			.run();
		const path = `/desk/admin/webhooks/${webhookId}/replay`;
		const fields = { delivery: id, _idem: newToken(18) };
		const first = await deskForm(env.DB, path, admin, fields);
		expect(first.response.status).toBe(409);
		const { response: again } = await deskForm(env.DB, path, admin, fields);
		expect(await answerOf(again)).toEqual({ status: 409, location: null });
		// A double click: the browser shows the second answer.
		const double = { delivery: id, _idem: newToken(18) };
		const both = await Promise.all([
			deskForm(env.DB, path, admin, double),
			deskForm(env.DB, path, admin, double),
		]);
		expect(both.map(({ response }) => response.status)).toEqual([409, 409]);
		expect(await getDelivery(testDb(), id)).toMatchObject({ state: "dead" });
	});

	it("Send test with the queue down: the same form sent again once it is up sends the test", async () => {
		const admin = await account("admin");
		const webhookId = await hook(["verdict.published"], "ok");
		const path = `/desk/admin/webhooks/${webhookId}/test`;
		const fields = { _idem: newToken(18) };
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			const { response: down, settled } = await deskFormWith(path, admin, fields, {
				WEBHOOK_QUEUE: refusingQueue,
			});
			await settled();
			expect(down.status).toBe(503);
		} finally {
			logged.mockRestore();
		}
		const deliveries = "SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ?";
		expect(await count(deliveries, webhookId)).toBe(0);
		const { response: again, settled } = await deskForm(env.DB, path, admin, fields);
		await settled();
		expect(await answerOf(again)).toEqual({
			status: 303,
			location: `/desk/admin/webhooks/${webhookId}?done=test-sent`,
		});
		expect(await count(deliveries, webhookId)).toBe(1);
	});

	it("Replay with the queue down: the same form sent again once it is up replays the delivery", async () => {
		const admin = await account("admin");
		const { webhookId, id } = await deadDelivery(["verdict.published"], "webhook.test");
		const path = `/desk/admin/webhooks/${webhookId}/replay`;
		const fields = { delivery: id, _idem: newToken(18) };
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			const { response: down, settled } = await deskFormWith(path, admin, fields, {
				WEBHOOK_QUEUE: refusingQueue,
			});
			await settled();
			expect(down.status).toBe(503);
		} finally {
			logged.mockRestore();
		}
		expect(await getDelivery(testDb(), id)).toMatchObject({ state: "dead", replayId: null });
		const { response: again, settled } = await deskForm(env.DB, path, admin, fields);
		await settled();
		expect(await answerOf(again)).toEqual({
			status: 303,
			location: `/desk/admin/webhooks/${webhookId}?done=replayed`,
		});
		expect((await getDelivery(testDb(), id))?.replayId).not.toBeNull();
	});
});

describe("a first run whose key was taken over (stale) and refused", () => {
	it("frees only its own claim: the request that took the key over writes the note", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim();
		const text = `Rückruf der Pressestelle ${newId()}`;
		const key = `note-${newId()}`;
		const path = `/api/v1/claims/${claim.id}/notes`;
		// Each run reaches its batch, and waits there until let go.
		const gate = () => {
			let reached: () => void = () => {};
			let release: () => void = () => {};
			const atBatch = new Promise<void>((resolve) => {
				reached = resolve;
			});
			const held = new Promise<void>((resolve) => {
				release = resolve;
			});
			const db = racingD1(/^insert into "claim_notes"/i, async () => {
				reached();
				await held;
			});
			return { db, atBatch, release };
		};
		const first = gate();
		const firstRun = apiPost(first.db, path, token, key, { text });
		await first.atBatch;
		await makeStale(user.id);
		const taker = gate();
		const takerRun = apiPost(taker.db, path, token, key, { text });
		await taker.atBatch;
		first.release();
		const { response: late } = await firstRun;
		expect(late.status, await late.clone().text()).toBe(409);
		taker.release();
		const { response: taken } = await takerRun;
		expect(taken.status, await taken.clone().text()).toBe(201);
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", text)).toBe(1);
	});
});

describe("a repeat of a create whose run stopped after its write, the record gone since", () => {
	it("answers as the write routes answer it: a claim merged since 409 claim-merged naming the claim kept, never an empty 201", async () => {
		const { user } = await account("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const body = claimBody();
		const key = `claim-${newId()}`;
		const { response: first } = await apiPost(
			stoppedAfter(/^insert into "claims"/i),
			"/api/v1/claims",
			token,
			key,
			body,
		);
		expect(first.status).toBe(500);
		const written = await env.DB.prepare("SELECT id, version FROM claims WHERE text = ?")
			.bind(body.text)
			.first<{ id: string; version: number }>();
		const kept = await makeClaim();
		const keptRow = await env.DB.prepare("SELECT version FROM claims WHERE id = ?")
			.bind(kept.id)
			.first<{ version: number }>();
		const merged = await apiCall("POST", `/api/v1/claims/${written?.id}/merge`, {
			token,
			body: { into: kept.id, version: written?.version, intoVersion: keptRow?.version, note: "Twice." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const again = await apiCall("POST", "/api/v1/claims", {
			token,
			body,
			headers: { "Idempotency-Key": key },
		});
		expect(again.status, await again.clone().text()).toBe(409);
		expect(again.headers.get("content-type")).toMatch(/^application\/problem\+json/);
		expect(await json(again)).toMatchObject({
			type: "urn:claimtrack:problem:claim-merged",
			mergedInto: kept.id,
		});
	});

	it("a draft discarded since, a webhook deleted since: 404 saying so, never an empty 201", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["verdicts:write"]);
		const claim = await makeClaim();
		const draft = {
			rating: "false",
			headline: `Die Brücke ${newId()}`,
			evidence: [{ url: "https://evidence.example/bridge", title: "Report" }],
			language: "de",
		};
		const draftKey = `draft-${newId()}`;
		const draftPath = `/api/v1/claims/${claim.id}/verdicts`;
		const { response: drafted } = await apiPost(
			stoppedAfter(/^insert into "verdicts"/i),
			draftPath,
			token,
			draftKey,
			draft,
		);
		expect(drafted.status).toBe(500);
		const row = await env.DB.prepare("SELECT id, version FROM verdicts WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ id: string; version: number }>();
		const discarded = await apiCall("DELETE", `/api/v1/verdicts/${row?.id}`, {
			token,
			body: { version: row?.version },
		});
		expect(discarded.status, await discarded.clone().text()).toBeLessThan(300);
		const again = await apiCall("POST", draftPath, {
			token,
			body: draft,
			headers: { "Idempotency-Key": draftKey },
		});
		expect(again.status, await again.clone().text()).toBe(404);
		expect(again.headers.get("content-type")).toMatch(/^application\/problem\+json/);
		expect(await json(again)).toMatchObject({ status: 404, detail: expect.stringMatching(/^No such /) });

		const admin = await account("admin");
		const hooks = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const subscription = { url: `https://hooks.example/ok/${newId()}`, events: ["verdict.published"] };
		const hookKey = `webhook-${newId()}`;
		const { response: subscribed } = await apiPost(
			stoppedAfter(/^insert into "webhooks"/i),
			"/api/v1/webhooks",
			hooks,
			hookKey,
			subscription,
		);
		expect(subscribed.status).toBe(500);
		const hookRow = await env.DB.prepare("SELECT id FROM webhooks WHERE url = ?")
			.bind(subscription.url)
			.first<{ id: string }>();
		const deleted = await apiCall("DELETE", `/api/v1/webhooks/${hookRow?.id}`, { token: hooks });
		expect(deleted.status, await deleted.clone().text()).toBeLessThan(300);
		const repeat = await apiCall("POST", "/api/v1/webhooks", {
			token: hooks,
			body: subscription,
			headers: { "Idempotency-Key": hookKey },
		});
		expect(repeat.status, await repeat.clone().text()).toBe(404);
		expect(await json(repeat)).toMatchObject({ status: 404, detail: "No such webhook." });
		// The API description says so, of a create with no id in its path too.
		const described = await json<{
			paths: Record<string, { post: { responses: Record<string, unknown> } }>;
		}>(await apiCall("GET", "/api/v1/openapi.json"));
		expect(Object.keys(described.paths["/api/v1/webhooks"]?.post.responses ?? {})).toContain("404");
	});
});

describe("a key whose first run stopped before writing, sent again with another body", () => {
	/** What a run killed before its batch leaves: its key claimed for `scope`, pending, never written. */
	async function pendingKey(userId: string, key: string, scope: string) {
		await env.DB.prepare("INSERT INTO idempotency_keys (id, user_id, scope) VALUES (?, ?, ?)")
			.bind(await sha256Hex(`${userId}\u0000${key}`), userId, scope)
			.run();
	}

	it("POST notes: the other body takes the stale key over and owns it: the first body is refused 422, the other replayed", async () => {
		const { user } = await account("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim();
		const path = `/api/v1/claims/${claim.id}/notes`;
		const a = { text: `Text A ${newId()}` };
		const b = { text: `Text B ${newId()}` };
		const key = `note-${newId()}`;
		await pendingKey(user.id, key, `POST ${path} ${await requestFingerprint(a)}`);
		await makeStale(user.id);
		const send = (body: { text: string }) =>
			apiCall("POST", path, { token, body, headers: { "Idempotency-Key": key } });
		const taken = await send(b);
		expect(taken.status, await taken.clone().text()).toBe(201);
		expect(taken.headers.get("idempotent-replayed")).toBeNull();
		const first = await send(a);
		expect(first.status, await first.clone().text()).toBe(422);
		expect((await json<{ type: string }>(first)).type).toBe("urn:claimtrack:problem:idempotency-key-reused");
		const again = await send(b);
		expect(again.status, await again.clone().text()).toBe(201);
		expect(again.headers.get("idempotent-replayed")).toBe("true");
		expect(await json<{ text: string }>(again)).toMatchObject({ text: b.text });
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", a.text)).toBe(0);
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", b.text)).toBe(1);
	});

	it("a desk note: the other body, sent once the key is stale, is saved once and owns the key; the first body sent again is refused", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const path = `/desk/claims/${claim.id}/notes`;
		const a = `Pressestelle A ${newId()}`;
		const b = `Pressestelle B ${newId()}`;
		const idem = newToken(18);
		await pendingKey(checker.user.id, idem, `POST ${path} ${await requestFingerprint({ text: a })}`);
		await makeStale(checker.user.id);
		const send = (text: string) => deskForm(env.DB, path, checker, { text, _idem: idem });
		const done = `/desk/claims/${claim.id}?done=note-added`;
		const { response: taken } = await send(b);
		expect(await answerOf(taken)).toEqual({ status: 303, location: done });
		const { response: reload } = await send(b);
		expect(await answerOf(reload)).toEqual({ status: 303, location: done });
		const { response: first } = await send(a);
		expect(first.status).toBe(422);
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", a)).toBe(0);
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", b)).toBe(1);
	});

	it("a desk note sent with other content within the minute: told the form is still being saved, never 'only that first one was saved'", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const path = `/desk/claims/${claim.id}/notes`;
		const a = `Pressestelle A ${newId()}`;
		const b = `Pressestelle B ${newId()}`;
		const idem = newToken(18);
		// The first may still be running, or may have stopped: nothing of it is written.
		await pendingKey(checker.user.id, idem, `POST ${path} ${await requestFingerprint({ text: a })}`);
		const { response: early } = await deskForm(env.DB, path, checker, { text: b, _idem: idem });
		const page = await early.text();
		expect(early.status, page).toBe(409);
		expect(page).toContain("This form is still being saved");
		expect(page).not.toContain("only that first one was saved");
		expect(await count("SELECT count(*) AS n FROM claim_notes WHERE text = ?", b)).toBe(0);
	});
});
