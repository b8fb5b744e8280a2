import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_OUTAGE } from "../../src/domain/snapshots";
import { fieldMessage } from "../../src/views/desk/labels";
import { makeClaim, publish } from "../factories";
import { BASE, call, freshIp, json } from "../helpers";
import { type Account, account, apiToken, deskGet, ORIGIN } from "./helpers";

/*
 * The desk claim page shows where the archive stands for a published verdict's evidence
 * links, as it does for the sources: the copy the public page links, a failure's reason in
 * the desk's language, "retried later" while a try is due; and "Archive again" (desk and
 * write API) for evidence whose copy failed with no try due, which plans and queues a copy.
 */

async function deskText(who: Account, path: string): Promise<string> {
	const html = await (await deskGet(who, path)).text();
	return html
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, "&");
}

/** The verdict's card on the desk page (evidence is listed there only). */
function verdictCard(page: string, verdictId: string): string {
	const start = page.indexOf(`id="verdict-${verdictId}"`);
	expect(start, "the verdict's card").toBeGreaterThan(-1);
	return page.slice(start, page.indexOf("</section>", start));
}

/** A snapshot row of `url` written a minute ago, as the consumer leaves it. */
async function snapshotRow(
	url: string,
	fields: { state: "ok" | "failed"; error?: string; retryAt?: string | null },
): Promise<string> {
	const id = newId();
	const at = new Date(Date.now() - 60_000).toISOString();
	const ok = fields.state === "ok";
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, final_url, state, http_status, content_type, sha256, bytes, fetched_at, error, attempts, retry_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
	)
		.bind(
			id,
			url,
			ok ? url : null,
			fields.state,
			ok ? 200 : null,
			ok ? "text/html" : null,
			ok ? "a".repeat(64) : null,
			ok ? 10 : null,
			ok ? at : null,
			fields.error ?? null,
			fields.retryAt ?? null,
			at,
			at,
		)
		.run();
	return id;
}

/** A claim with a published verdict citing two fresh evidence addresses. */
async function claimWithEvidence() {
	const claim = await makeClaim();
	const stored = `https://evidence.example/stored-${newId()}.pdf`;
	const failed = `https://evidence.example/gone-${newId()}.pdf`;
	// The factory's publication plans no copies: each test writes the rows it needs.
	const verdict = await publish(claim.id, "false", {
		evidence: [
			{ url: stored, title: "Stored report" },
			{ url: failed, title: "Gone report" },
		],
	});
	return { claim, verdict, stored, failed };
}

/** A request to the app whose snapshot queue keeps what it is sent. */
async function withQueue(request: Request): Promise<{ response: Response; sent: unknown[] }> {
	const sent: unknown[] = [];
	const queue = {
		sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)),
		send: async () => undefined,
	};
	request.headers.set("CF-Connecting-IP", freshIp());
	const ctx = createExecutionContext();
	const response = await app.fetch(request, { ...env, SNAPSHOT_QUEUE: queue as unknown as Queue }, ctx);
	await waitOnExecutionContext(ctx);
	return { response, sent };
}

function deskArchive(who: Account, claimId: string, fields: Record<string, string>) {
	return withQueue(
		new Request(`${BASE}/desk/claims/${claimId}/evidence/archive`, {
			method: "POST",
			headers: {
				Cookie: who.cookie,
				Origin: ORIGIN,
				"Content-Type": "application/x-www-form-urlencoded",
			},
			body: new URLSearchParams({ _csrf: who.csrf, _idem: `idem-${newId()}-${newId()}`, ...fields }),
			redirect: "manual",
		}),
	);
}

async function rowsOf(url: string) {
	const rows = await env.DB.prepare("SELECT id, state FROM snapshots WHERE url = ? ORDER BY created_at, id")
		.bind(url)
		.all<{ id: string; state: string }>();
	return rows.results;
}

describe("the desk's evidence links of a published verdict", () => {
	it("link the copy the public page links, and say a failure's reason in the desk's language", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const { claim, verdict, stored, failed } = await claimWithEvidence();
		const copy = await snapshotRow(stored, { state: "ok" });
		await snapshotRow(failed, { state: "failed", error: SNAPSHOT_OUTAGE });
		const publicPage = await (await call(`/claims/${claim.id}`)).text();
		expect(publicPage).toContain(`/snapshots/${copy}?claim=${claim.id}`);

		const path = `/desk/claims/${claim.id}`;
		const english = verdictCard(await deskText(checker, `${path}?lang=en`), verdict.id);
		expect(english).toContain(`href="/desk/snapshots/${copy}?claim=${claim.id}"`);
		expect(english).toContain(`Not archived: ${SNAPSHOT_OUTAGE}`);
		expect(english).toContain(`action="/desk/claims/${claim.id}/evidence/archive"`);
		expect(english).toContain(`name="url" value="${failed}"`);
		// Only the failed link is offered "Archive again".
		expect(english).not.toContain(`name="url" value="${stored}"`);
		const german = verdictCard(await deskText(checker, `${path}?lang=de`), verdict.id);
		expect(german).toContain(`Nicht archiviert: ${fieldMessage("de", SNAPSHOT_OUTAGE)}`);
		expect(german).toContain("Erneut archivieren");
		expect(german).not.toContain(SNAPSHOT_OUTAGE);
	});

	it("say 'retried later' while a try is due, with no 'Archive again'", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const { claim, verdict, stored, failed } = await claimWithEvidence();
		// A link without any try would be offered it (never asked for): this one has its copy.
		await snapshotRow(stored, { state: "ok" });
		const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
		await snapshotRow(failed, { state: "failed", error: "The site answered HTTP 503.", retryAt: inAnHour });
		const card = verdictCard(await deskText(checker, `/desk/claims/${claim.id}?lang=en`), verdict.id);
		expect(card).toContain("Not archived yet (retried later)");
		expect(card).not.toContain("Archive again");
	});
});

describe("'Archive again' on an evidence link", () => {
	it("plans and queues a new copy from the desk, audited; refused while it is fetched, for a stored copy and for an address the claim does not cite", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const { claim, verdict, stored, failed } = await claimWithEvidence();
		await snapshotRow(stored, { state: "ok" });
		await snapshotRow(failed, { state: "failed", error: SNAPSHOT_OUTAGE });

		const asked = await deskArchive(checker, claim.id, { url: failed, verdictId: verdict.id });
		expect(asked.response.status, await asked.response.clone().text()).toBe(303);
		expect(asked.response.headers.get("location")).toBe(
			`/desk/claims/${claim.id}?done=evidence-archive-requested#verdict-${verdict.id}`,
		);
		const rows = await rowsOf(failed);
		expect(rows).toHaveLength(2);
		expect(rows[1]?.state).toBe("pending");
		expect(asked.sent).toEqual([{ snapshotId: rows[1]?.id }]);
		const audit = await env.DB.prepare(
			"SELECT actor_id AS actorId, changes FROM audit_log WHERE action = 'archive-evidence-again' AND entity = 'claim' AND entity_id = ?",
		)
			.bind(claim.id)
			.first<{ actorId: string; changes: string }>();
		expect(audit?.actorId).toBe(checker.user.id);
		expect(JSON.parse(audit?.changes ?? "{}")).toMatchObject({ url: failed, snapshotId: rows[1]?.id });
		const flashed = await deskText(
			checker,
			`/desk/claims/${claim.id}?done=evidence-archive-requested&lang=de`,
		);
		expect(flashed).toContain("Eine neue Kopie des Belegs wird archiviert.");
		expect(flashed).toContain("einen Beleg erneut archivieren lassen");

		// Being fetched now: no second copy, said beside the link; nor for the stored copy.
		for (const url of [failed, stored]) {
			const refused = await deskArchive(checker, claim.id, { url, verdictId: verdict.id });
			expect(refused.response.status).toBe(409);
			const card = verdictCard(await refused.response.text(), verdict.id).replace(/&#39;/g, "'");
			expect(card).toContain("Not archived again: this address has a copy from the last 24 hours");
			expect(refused.sent).toEqual([]);
		}
		expect(await rowsOf(failed)).toHaveLength(2);
		expect(await rowsOf(stored)).toHaveLength(1);

		// An address no published verdict of this claim cites.
		const other = `https://evidence.example/elsewhere-${newId()}.pdf`;
		await snapshotRow(other, { state: "failed", error: SNAPSHOT_OUTAGE });
		const foreign = await deskArchive(checker, claim.id, { url: other, verdictId: verdict.id });
		expect(foreign.response.status).toBe(404);
		expect(await rowsOf(other)).toHaveLength(1);
		expect(foreign.sent).toEqual([]);
	});

	it("plans and queues a new copy through the write API", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const token = (await apiToken(checker.user, ["claims:write"])).token;
		const { claim, stored, failed } = await claimWithEvidence();
		await snapshotRow(stored, { state: "ok" });
		await snapshotRow(failed, { state: "failed", error: SNAPSHOT_OUTAGE });
		const post = (claimId: string, url: string) =>
			withQueue(
				new Request(`${BASE}/api/v1/claims/${claimId}/evidence/archive`, {
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ url }),
				}),
			);

		const asked = await post(claim.id, failed);
		expect(asked.response.status, await asked.response.clone().text()).toBe(202);
		const body = await json<{ snapshotId: string; url: string; state: string }>(asked.response);
		expect(body).toMatchObject({ url: failed, state: "pending" });
		expect(asked.sent).toEqual([{ snapshotId: body.snapshotId }]);
		expect((await rowsOf(failed)).map((row) => row.id)).toContain(body.snapshotId);

		for (const url of [failed, stored]) {
			const refused = await post(claim.id, url);
			expect(refused.response.status).toBe(409);
			expect(await json<{ type: string }>(refused.response)).toMatchObject({
				type: "urn:claimtrack:problem:archive-not-due",
			});
		}
		// A claim that does not cite the address: its source is no evidence of a verdict.
		const unpublished = await makeClaim();
		expect((await post(unpublished.id, failed)).response.status).toBe(404);
		expect((await post(claim.id, `https://evidence.example/never-${newId()}`)).response.status).toBe(404);
	});
});

describe("evidence whose archive planning failed (no snapshot row at all)", () => {
	it("says it is not archived and is offered 'Archive again', which plans and queues a copy (desk and API)", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		// The factory's publication plans no copies: as a planning that failed after the write.
		const { claim, verdict, stored, failed } = await claimWithEvidence();
		expect(await rowsOf(failed)).toEqual([]);
		const path = `/desk/claims/${claim.id}`;
		const english = verdictCard(await deskText(checker, `${path}?lang=en`), verdict.id);
		expect(english).toContain("Not archived (no copy was ever asked for)");
		expect(english).toContain(`name="url" value="${failed}"`);
		expect(english).toContain(`name="url" value="${stored}"`);
		const german = verdictCard(await deskText(checker, `${path}?lang=de`), verdict.id);
		expect(german).toContain("Nicht archiviert (nie eine Kopie angefordert)");
		expect(german).toContain("Erneut archivieren");

		const asked = await deskArchive(checker, claim.id, { url: failed, verdictId: verdict.id });
		expect(asked.response.status, await asked.response.clone().text()).toBe(303);
		const rows = await rowsOf(failed);
		expect(rows.map((row) => row.state)).toEqual(["pending"]);
		expect(asked.sent).toEqual([{ snapshotId: rows[0]?.id }]);
		// Being fetched now: no second copy.
		expect(
			(await deskArchive(checker, claim.id, { url: failed, verdictId: verdict.id })).response.status,
		).toBe(409);

		const token = (await apiToken(checker.user, ["claims:write"])).token;
		const api = await withQueue(
			new Request(`${BASE}/api/v1/claims/${claim.id}/evidence/archive`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ url: stored }),
			}),
		);
		expect(api.response.status, await api.response.clone().text()).toBe(202);
		const body = await json<{ snapshotId: string }>(api.response);
		expect(api.sent).toEqual([{ snapshotId: body.snapshotId }]);
		expect((await rowsOf(stored)).map((row) => row.id)).toEqual([body.snapshotId]);
	});

	it("says nothing of an address the archive cannot take (an old row kept as written)", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const verdict = await publish(claim.id, "false", {
			evidence: [{ url: `https://evidence.example/old-${newId()}`, title: "Old report" }],
		});
		// Stored before schemas/common's writtenAsUrl: such rows are kept byte for byte.
		const old = `HTTPS://evidence.example/old-${newId()}`;
		await env.DB.prepare("UPDATE verdicts SET evidence = ? WHERE id = ?")
			.bind(JSON.stringify([{ url: old, title: "Old report" }]), verdict.id)
			.run();
		const card = verdictCard(await deskText(checker, `/desk/claims/${claim.id}?lang=en`), verdict.id);
		expect(card).toContain("Old report");
		expect(card).not.toContain("no copy was ever asked for");
		expect(card).not.toContain("Archive again");
	});
});
