import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_MESSAGES_BEFORE, SNAPSHOT_NOT_QUEUED, SNAPSHOT_OUTAGE } from "../../src/domain/snapshots";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { planSnapshots } from "../../src/store/snapshots";
import { fieldMessage } from "../../src/views/desk/labels";
import { account, apiCall, apiToken, deskGet, deskPost, ORIGIN } from "../desk/helpers";
import { makeClaim } from "../factories";
import { archiveDeps, BASE, call, freshIp, json, purgeClaim, testDb } from "../helpers";

/*
 * A copy that failed with no try due says to archive it again: a new citation of its address
 * fetches it (it no longer holds the address's 24 hours), and on the claim itself, where the
 * same address cannot be cited twice, "Archive again" beside the source (the desk's button,
 * the write API's route) asks for a new copy.
 */

type Editor = Awaited<ReturnType<typeof account>>;

async function deskText(who: Editor, path: string): Promise<string> {
	const html = await (await deskGet(who, path)).text();
	return html
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, "&");
}

/** A copy of `url` failed a minute ago, as the consumer leaves it: `retryAt` null when no try is due. */
async function failedCopy(url: string, error: string, retryAt: string | null, attempts = 1): Promise<string> {
	const id = newId();
	const at = new Date(Date.now() - 60_000).toISOString();
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, state, error, attempts, retry_at, created_at, updated_at) VALUES (?, ?, 'failed', ?, ?, ?, ?, ?)",
	)
		.bind(id, url, error, attempts, retryAt, at, at)
		.run();
	return id;
}

async function rowsOf(url: string) {
	const rows = await env.DB.prepare(
		"SELECT id, state, retry_at AS retryAt FROM snapshots WHERE url = ? ORDER BY created_at, id",
	)
		.bind(url)
		.all<{ id: string; state: string; retryAt: string | null }>();
	return rows.results;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe("a copy failed with no try due", () => {
	it("does not hold its address: the next citation plans a copy (a storage outage's, tried once, too)", async () => {
		const outage = `https://news.example/outage-${newId()}.html`;
		await failedCopy(outage, SNAPSHOT_OUTAGE, null);
		expect(await planSnapshots(testDb(), [outage], Date.now())).toHaveLength(1);
		// One with a retry due still does: its retry fetches it.
		const retrying = `https://news.example/retrying-${newId()}.html`;
		await failedCopy(retrying, "The site answered HTTP 503.", inAnHour());
		expect(await planSnapshots(testDb(), [retrying], Date.now())).toHaveLength(0);
	});

	it("is archived again from the desk's claim page, audited; not while a copy is being fetched", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const url = `https://files.example/gone-${newId()}`;
		const claim = await makeClaim({ sourceUrl: url });
		const appearanceId = claim.appearances[0]?.id ?? "";
		await failedCopy(url, SNAPSHOT_NOT_QUEUED, null, 0);
		const path = `/desk/claims/${claim.id}`;
		const action = `${path}/appearances/${appearanceId}/archive`;
		const english = await deskText(checker, `${path}?lang=en`);
		expect(english).toContain(`action="${action}"`);
		expect(english).toContain("Archive again");
		expect(await deskText(checker, `${path}?lang=de`)).toContain("Erneut archivieren");

		const asked = await deskPost(checker, action, { _idem: `idem-${newId()}-${newId()}` });
		expect(asked.status, await asked.clone().text()).toBe(303);
		expect(asked.headers.get("location")).toContain(`${path}?done=archive-requested`);
		const rows = await rowsOf(url);
		expect(rows).toHaveLength(2);
		const audit = await env.DB.prepare(
			"SELECT actor_id AS actorId, changes FROM audit_log WHERE action = 'archive-again' AND entity = 'claim' AND entity_id = ?",
		)
			.bind(claim.id)
			.first<{ actorId: string; changes: string }>();
		expect(audit?.actorId).toBe(checker.user.id);
		expect(JSON.parse(audit?.changes ?? "{}")).toMatchObject({ appearanceId, url, snapshotId: rows[1]?.id });

		// Asked for: no second copy while this one is fetched or retried, and no button.
		const again = await deskPost(checker, action, { _idem: `idem-${newId()}-${newId()}` });
		expect(again.status).toBe(409);
		expect(await again.text()).toContain(
			"Not archived again: this address has a copy from the last 24 hours",
		);
		expect(await rowsOf(url)).toHaveLength(2);
		expect(await deskText(checker, path)).not.toContain(`action="${action}"`);
	});

	it("is not offered while a retry is due, nor for a copy under a day old", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const retrying = `https://news.example/retrying-${newId()}.html`;
		const claim = await makeClaim({ sourceUrl: retrying });
		await failedCopy(retrying, "The site answered HTTP 503.", inAnHour());
		const page = await deskText(checker, `/desk/claims/${claim.id}`);
		expect(page).toContain("retried later");
		expect(page).not.toContain("Archive again");
		const refused = await deskPost(
			checker,
			`/desk/claims/${claim.id}/appearances/${claim.appearances[0]?.id}/archive`,
			{ _idem: `idem-${newId()}-${newId()}` },
		);
		expect(refused.status).toBe(409);
	});

	it("is archived again through the write API", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const token = (await apiToken(checker.user, ["claims:write"])).token;
		const url = `https://files.example/gone-${newId()}`;
		const claim = await makeClaim({ sourceUrl: url });
		await failedCopy(url, SNAPSHOT_OUTAGE, null);
		const route = `/api/v1/claims/${claim.id}/appearances/${claim.appearances[0]?.id}/archive`;
		const asked = await apiCall("POST", route, { token });
		expect(asked.status, await asked.clone().text()).toBe(202);
		const body = await json<{ snapshotId: string; url: string; state: string }>(asked);
		expect(body).toMatchObject({ url, state: "pending" });
		expect((await rowsOf(url)).map((row) => row.id)).toContain(body.snapshotId);
		const again = await apiCall("POST", route, { token });
		expect(again.status).toBe(409);
		expect(await json<{ type: string }>(again)).toMatchObject({
			type: "urn:claimtrack:problem:archive-not-due",
		});
		const missing = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances/${newId()}/archive`, {
			token,
		});
		expect(missing.status).toBe(404);
	});

	it("says so in its message, and so do the messages stored before", () => {
		for (const message of [SNAPSHOT_NOT_QUEUED, SNAPSHOT_OUTAGE]) {
			expect(message).toContain('"Archive again"');
			expect(fieldMessage("de", message)).toContain("„Erneut archivieren“");
		}
		expect(fieldMessage("en", SNAPSHOT_MESSAGES_BEFORE.notQueued)).toBe(SNAPSHOT_NOT_QUEUED);
		expect(fieldMessage("de", SNAPSHOT_MESSAGES_BEFORE.outage)).toBe(fieldMessage("de", SNAPSHOT_OUTAGE));
	});
});

/** A request to the app (under these settings) whose snapshot queue keeps what it is sent. */
async function withQueue(
	request: Request,
	settings: Partial<Env> = {},
): Promise<{ response: Response; sent: unknown[] }> {
	const sent: unknown[] = [];
	const queue = {
		sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)),
		send: async () => undefined,
	};
	request.headers.set("CF-Connecting-IP", freshIp());
	const ctx = createExecutionContext();
	const bindings = { ...env, ...settings, SNAPSHOT_QUEUE: queue as unknown as Queue };
	const response = await app.fetch(request, bindings, ctx);
	await waitOnExecutionContext(ctx);
	return { response, sent };
}

/** The desk's "Archive again" beside an appearance, sent with this idempotency key. */
function deskArchive(
	who: Editor,
	claimId: string,
	appearanceId: string,
	idem: string,
	settings?: Partial<Env>,
) {
	return withQueue(
		new Request(`${BASE}/desk/claims/${claimId}/appearances/${appearanceId}/archive`, {
			method: "POST",
			headers: { Cookie: who.cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({ _csrf: who.csrf, _idem: idem }),
			redirect: "manual",
		}),
		settings,
	);
}

/** What a reader sees of the claim's archive: its page's copy links and its JSON's snapshot. */
async function publicArchive(claimId: string) {
	await purgeClaim(claimId);
	const page = await (await call(`/claims/${claimId}?lang=en`)).text();
	const body = await json<{ appearances: { source: { snapshot: unknown } }[] }>(
		await call(`/api/v1/claims/${claimId}`),
	);
	return {
		copyLinks: page.match(/\/snapshots\/[^"?]+/g) ?? [],
		archiveWords: /archived|Archiv/i.test(page.replace(/<script[\s\S]*?<\/script>/g, "")),
		snapshot: body.appearances.map((appearance) => appearance.source.snapshot),
	};
}

const newIdem = () => `idem-${newId()}-${newId()}`;

describe("a source whose archive planning failed (no snapshot row at all)", () => {
	it("says it is not archived and is offered 'Archive again', which plans and queues one copy; readers see nothing new", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const url = `https://files.example/never-tried-${newId()}`;
		// The factory plans no copies: as a planning that failed after the write (a D1 blip), a
		// source recorded before the archive existed, or restored from a backup made then.
		const claim = await makeClaim({ sourceUrl: url });
		const appearanceId = claim.appearances[0]?.id ?? "";
		expect(await rowsOf(url)).toEqual([]);
		const readers = await publicArchive(claim.id);
		expect(readers.copyLinks).toEqual([]);
		expect(readers.snapshot).toEqual([null]);

		const path = `/desk/claims/${claim.id}`;
		const action = `${path}/appearances/${appearanceId}/archive`;
		const english = await deskText(checker, `${path}?lang=en`);
		expect(english).toContain("Not archived (no copy was ever asked for)");
		expect(english).toContain(`action="${action}"`);
		expect(english).toContain("Archive again");
		const german = await deskText(checker, `${path}?lang=de`);
		expect(german).toContain("Nicht archiviert (nie eine Kopie angefordert)");
		expect(german).toContain("Erneut archivieren");

		const idem = newIdem();
		const asked = await deskArchive(checker, claim.id, appearanceId, idem);
		expect(asked.response.status, await asked.response.clone().text()).toBe(303);
		expect(asked.response.headers.get("location")).toContain(`${path}?done=archive-requested`);
		const rows = await rowsOf(url);
		expect(rows.map((row) => row.state)).toEqual(["pending"]);
		expect(asked.sent).toEqual([{ snapshotId: rows[0]?.id }]);
		const audit = await env.DB.prepare(
			"SELECT actor_id AS actorId, changes FROM audit_log WHERE action = 'archive-again' AND entity = 'claim' AND entity_id = ?",
		)
			.bind(claim.id)
			.all<{ actorId: string; changes: string }>();
		expect(audit.results.map((row) => row.actorId)).toEqual([checker.user.id]);
		expect(JSON.parse(audit.results[0]?.changes ?? "{}")).toMatchObject({
			appearanceId,
			url,
			snapshotId: rows[0]?.id,
		});

		// The form sent twice (a double click): where the first landed, nothing planned again.
		const twice = await deskArchive(checker, claim.id, appearanceId, idem);
		expect(twice.response.status).toBe(303);
		expect(twice.response.headers.get("location")).toBe(asked.response.headers.get("location"));
		expect(twice.sent).toEqual([]);
		// Asked again from a fresh page: being fetched now, so no second copy.
		const again = await deskArchive(checker, claim.id, appearanceId, newIdem());
		expect(again.response.status).toBe(409);
		expect(again.sent).toEqual([]);
		expect(await rowsOf(url)).toHaveLength(1);
		const after = await deskText(checker, `${path}?lang=en`);
		expect(after).toContain("Archiving…");
		expect(after).not.toContain("no copy was ever asked for");
		expect(after).not.toContain(`action="${action}"`);

		// Readers: nothing until a copy is stored.
		expect(await publicArchive(claim.id)).toEqual(readers);
	});

	it("is archived again through the write API", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const token = (await apiToken(checker.user, ["claims:write"])).token;
		const url = `https://files.example/never-tried-${newId()}`;
		const claim = await makeClaim({ sourceUrl: url });
		const route = `${BASE}/api/v1/claims/${claim.id}/appearances/${claim.appearances[0]?.id}/archive`;
		const ask = () =>
			withQueue(new Request(route, { method: "POST", headers: { Authorization: `Bearer ${token}` } }));
		const asked = await ask();
		expect(asked.response.status, await asked.response.clone().text()).toBe(202);
		const body = await json<{ snapshotId: string; url: string; state: string }>(asked.response);
		expect(body).toMatchObject({ url, state: "pending" });
		expect(asked.sent).toEqual([{ snapshotId: body.snapshotId }]);
		expect((await rowsOf(url)).map((row) => row.id)).toEqual([body.snapshotId]);
		const again = await ask();
		expect(again.response.status).toBe(409);
		expect(again.sent).toEqual([]);
	});

	it("of an unreviewed claim where those are hidden: our copy is made, Save Page Now is not asked", {
		timeout: 60_000,
	}, async () => {
		const hide: Partial<Env> = { PUBLIC_UNREVIEWED: "hide", ARCHIVE_ORG_SAVE: "true" };
		const checker = await account("checker");
		const url = `https://news.example/chip-exports.en.html?case=${newId()}`;
		const claim = await makeClaim({ sourceUrl: url, language: "en" });
		const asked = await deskArchive(checker, claim.id, claim.appearances[0]?.id ?? "", newIdem(), hide);
		expect(asked.response.status, await asked.response.clone().text()).toBe(303);
		const [row] = await rowsOf(url);
		// Only our own copy: no request for the Internet Archive (README: at first publication).
		expect(asked.sent).toEqual([{ snapshotId: row?.id }]);
		const fetched: string[] = [];
		const consumer = {
			...archiveDeps((input, init) => {
				fetched.push(String(input instanceof Request ? input.url : input));
				return fetch(input, init);
			}, true),
			reviewedOnly: true,
		};
		await archiveSnapshots([{ body: asked.sent[0], ack: () => undefined, retry: () => undefined }], consumer);
		expect((await rowsOf(url)).map((copy) => copy.state)).toEqual(["ok"]);
		expect(fetched.filter((address) => address.includes("web.archive.org"))).toEqual([]);
		const source = await env.DB.prepare("SELECT archived_url AS archived FROM sources WHERE url = ?")
			.bind(url)
			.first<{ archived: string | null }>();
		expect(source?.archived).toBeNull();
	});
});
