import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_MESSAGES_BEFORE, SNAPSHOT_NOT_QUEUED, SNAPSHOT_OUTAGE } from "../../src/domain/snapshots";
import { planSnapshots } from "../../src/store/snapshots";
import { fieldMessage } from "../../src/views/desk/labels";
import { account, apiCall, apiToken, deskGet, deskPost } from "../desk/helpers";
import { makeClaim } from "../factories";
import { json, testDb } from "../helpers";

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
