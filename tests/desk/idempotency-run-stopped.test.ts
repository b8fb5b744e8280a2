import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { requestFingerprint } from "../../src/auth/idempotency";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { fetchWith, freshIp, json, racingD1 } from "../helpers";
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
