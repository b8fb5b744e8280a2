import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fanOut } from "../../src/commands/webhooks";
import { newId, sha256Hex } from "../../src/domain/ids";
import { snapshotKeys, uploadKey } from "../../src/domain/snapshots";
import { newMessageId } from "../../src/domain/standard-webhooks";
import { house } from "../../src/lib/publisher";
import { deliverWebhooks } from "../../src/queues/webhook-delivery";
import { SYSTEM } from "../../src/store/batch";
import { removeClaim } from "../../src/store/claim-removals";
import type { ClaimDetail } from "../../src/store/claims";
import { claimIdempotencyKey, completeIdempotencyKey } from "../../src/store/idempotency";
import { insertDeliveries } from "../../src/store/webhooks";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, fetchWith, json, racingD1, testDb } from "../helpers";

/** What a removal or a merge leaves behind, and what of it stays public. */

const TIMEOUT = { timeout: 60_000 };

async function editorToken() {
	return (await apiToken((await account("editor")).user, ["claims:write"])).token;
}

const version = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

const remove = async (token: string, id: string, reason = "Recorded by mistake.") =>
	apiCall("DELETE", `/api/v1/claims/${id}`, { token, body: { version: await version(id), reason } });

/** An archived copy of `url`, stored as the archive stores one. */
async function storedCopy(url: string, text: string): Promise<string> {
	const id = newId();
	const raw = new Uint8Array([1, 2, 3]);
	// Whole, as the archive stores one: other files in this runtime back the archive up.
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, state, http_status, content_type, sha256, bytes, fetched_at) VALUES (?, ?, 'ok', 200, 'text/html', ?, 3, '2025-07-12T00:00:00Z')",
	)
		.bind(id, url, await sha256Hex(raw))
		.run();
	const keys = snapshotKeys(id);
	await env.ARCHIVE.put(keys.text, text);
	await env.ARCHIVE.put(keys.raw, raw);
	await env.ARCHIVE.put(
		keys.meta,
		JSON.stringify({ url, finalUrl: url, status: 200, contentType: "text/html", headers: [] }),
	);
	return id;
}

async function sourceIdOf(claimId: string): Promise<string> {
	const claim = await json<{ appearances: { source: { id: string } }[] }>(
		await call(`/api/v1/claims/${claimId}`),
	);
	return claim.appearances[0]?.source.id ?? "";
}

async function listedSources(domain: string): Promise<string[]> {
	const response = await call(`/api/v1/sources?domain=${domain}&limit=100`);
	expect(response.status, await response.clone().text()).toBe(200);
	return (await json<{ data: { id: string }[] }>(response)).data.map((s) => s.id);
}

describe("a removed claim's 410", () => {
	it("has one title, whichever route answers it", TIMEOUT, async () => {
		const token = await editorToken();
		const claim = await makeClaim();
		const removed = await remove(token, claim.id);
		expect(removed.status, await removed.clone().text()).toBe(200);
		const read = await call(`/api/v1/claims/${claim.id}`);
		const again = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: 1, reason: "Twice." },
		});
		const problems = [await json<{ title: string; type: string }>(read), await json(again)];
		expect([read.status, again.status]).toEqual([410, 410]);
		expect(problems).toEqual([
			expect.objectContaining({
				type: "urn:claimtrack:problem:claim-removed",
				title: "Removed from the tracker",
			}),
			expect.objectContaining({
				type: "urn:claimtrack:problem:claim-removed",
				title: "Removed from the tracker",
			}),
		]);
	});
});

describe("a removed claim's sources", () => {
	it(
		"are no longer public when nothing else cites them (page, API, list, archived copy); the rows and files stay",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const domain = `private-${newId()}.example`;
			const lonelyUrl = `https://${domain}/diary`;
			const sharedUrl = `https://${domain}/shared`;
			const claim = await makeClaim({ sourceUrl: lonelyUrl, sourceTitle: "Someone's diary" });
			const other = await makeClaim({ sourceUrl: sharedUrl });
			const shared = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
				token,
				body: { source: { url: sharedUrl } },
			});
			expect(shared.status, await shared.clone().text()).toBe(201);
			const lonely = await sourceIdOf(claim.id);
			const sharedId = await sourceIdOf(other.id);
			const lonelyCopy = await storedCopy(lonelyUrl, "Private diary text");
			const sharedCopy = await storedCopy(sharedUrl, "Shared article text");
			expect((await call(`/sources/${lonely}`)).status).toBe(200);
			expect((await call(`/api/v1/sources/${lonely}`)).status).toBe(200);
			expect((await call(`/snapshots/${lonelyCopy}`)).status).toBe(200);
			expect(new Set(await listedSources(domain))).toEqual(new Set([lonely, sharedId]));

			const removed = await remove(token, claim.id);
			expect(removed.status, await removed.clone().text()).toBe(200);

			for (const path of [
				`/sources/${lonely}`,
				`/api/v1/sources/${lonely}`,
				`/snapshots/${lonelyCopy}`,
				`/snapshots/${lonelyCopy}/raw`,
			]) {
				const response = await call(path);
				expect(response.status, path).toBe(404);
				expect(await response.text(), path).not.toContain("diary");
			}
			expect(await listedSources(domain)).toEqual([sharedId]);
			// Another claim still cites the shared source: it and its copy stay public.
			expect((await call(`/sources/${sharedId}`)).status).toBe(200);
			expect((await call(`/snapshots/${sharedCopy}`)).status).toBe(200);
			// The evidence archive keeps what was cited.
			const row = await env.DB.prepare("SELECT title FROM sources WHERE id = ?")
				.bind(lonely)
				.first<{ title: string }>();
			expect(row?.title).toBe("Someone's diary");
			expect(await env.ARCHIVE.get(snapshotKeys(lonelyCopy).text)).not.toBeNull();
		},
	);
});

/** A delivery of an event, recorded as the fan-out records it (not queued), in `state`. */
async function recordedDelivery(
	webhookId: string,
	eventType: "claim.updated" | "speaker.updated",
	data: object,
	state: string,
) {
	const id = newMessageId();
	await insertDeliveries(testDb(), [
		{
			id,
			webhookId,
			eventType,
			payload: JSON.stringify({ type: eventType, timestamp: new Date().toISOString(), data }),
			timestamp: Math.floor(Date.now() / 1000),
		},
	]);
	await env.DB.prepare("UPDATE webhook_deliveries SET state = ? WHERE id = ?").bind(state, id).run();
	return id;
}

/** A delivery of a claim event. */
const claimDelivery = (webhookId: string, claimId: string, text: string, state = "pending") =>
	recordedDelivery(webhookId, "claim.updated", { claim: { id: claimId, text } }, state);

const deliveryRow = (id: string) =>
	env.DB.prepare("SELECT state, payload FROM webhook_deliveries WHERE id = ?")
		.bind(id)
		.first<{ state: string; payload: string }>();

/** One delivery attempt by the queue consumer: what it sent, and how it answered the queue. */
async function attempt(deliveryId: string) {
	const sent: string[] = [];
	const calls = { ack: 0, retry: 0 };
	await deliverWebhooks([{ body: { deliveryId }, ack: () => calls.ack++, retry: () => calls.retry++ }], {
		db: testDb(),
		fetch: (async (url: RequestInfo | URL) => {
			sent.push(String(url));
			return new Response(null, { status: 204 });
		}) as typeof fetch,
		now: () => Date.now(),
		allowLoopback: false,
		deadLetters: { send: async () => undefined },
	});
	return { sent, ...calls };
}

describe("a removed claim's webhook deliveries", () => {
	it(
		"lose its text and are never sent again: not by a retry, a replay, nor one written as it was removed",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const admin = (await apiToken((await account("admin")).user, ["webhooks:manage"])).token;
			const hook = await apiCall("POST", "/api/v1/webhooks", {
				token: admin,
				body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.updated"] },
			});
			expect(hook.status, await hook.clone().text()).toBe(201);
			const webhookId = (await json<{ id: string }>(hook)).id;
			const text = `Private Person ${newId()} said something`;
			const claim = await makeClaim({ text });
			const failed = await claimDelivery(webhookId, claim.id, text, "failed");
			const pending = await claimDelivery(webhookId, claim.id, text, "pending");
			const delivered = await claimDelivery(webhookId, claim.id, text, "delivered");
			const other = await makeClaim();
			const unrelated = await claimDelivery(webhookId, other.id, "Another claim", "failed");

			expect((await remove(token, claim.id)).status).toBe(200);
			for (const id of [failed, pending, delivered]) {
				const row = await deliveryRow(id);
				expect(row?.payload).not.toContain("Private Person");
				expect(JSON.parse(row?.payload ?? "{}").data).toEqual({ claim: { id: claim.id }, removed: true });
			}
			expect((await deliveryRow(failed))?.state).toBe("dead");
			expect((await deliveryRow(pending))?.state).toBe("dead");
			expect((await deliveryRow(delivered))?.state).toBe("delivered");
			expect((await deliveryRow(unrelated))?.payload).toContain("Another claim");

			const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${failed}/replay`, { token: admin });
			expect(replay.status, await replay.clone().text()).toBe(409);
			expect((await json<{ type: string }>(replay)).type).toBe("urn:claimtrack:problem:claim-removed");

			// A delivery written while the removal committed (a fan-out that read the claim before).
			const late = await claimDelivery(webhookId, claim.id, text, "pending");
			// Not sent, and acknowledged: never retried.
			expect(await attempt(late)).toEqual({ sent: [], ack: 1, retry: 0 });
			const row = await deliveryRow(late);
			expect(row?.state).toBe("dead");
			expect(row?.payload).not.toContain("Private Person");
		},
	);
});

describe("a merge racing a removal of the claim kept", () => {
	it(
		"says the claim kept was removed (422 naming `into`), not a 500, and changes nothing",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const kept = await makeClaim();
			const duplicate = await makeClaim();
			const before = await json<{ version: number; appearances: unknown[] }>(
				await call(`/api/v1/claims/${duplicate.id}`),
			);
			// Between the merge's reads and its batch, another editor removes the claim to keep.
			const { response } = await fetchWith(
				racingD1(/^insert into "retired_claims"/i, async () =>
					removeClaim(testDb(), SYSTEM("test"), kept.id, {
						version: await version(kept.id),
						reason: "Not a claim.",
					}),
				),
				`/api/v1/claims/${duplicate.id}/merge`,
				{
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ into: kept.id, version: before.version, note: "Same claim." }),
				},
			);
			expect(response.status, await response.clone().text()).toBe(422);
			const problem = await json<{ detail: string; errors: { path: string }[] }>(response);
			expect(problem.errors[0]?.path).toBe("into");
			expect(problem.detail).toContain("removed");
			expect(await json(await call(`/api/v1/claims/${duplicate.id}`))).toMatchObject(before);
		},
	);
});

describe("a removal racing an upload", () => {
	it(
		"deletes the file of an attachment uploaded between its reads and its batch, and records it",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim();
			const late = newId();
			await env.ARCHIVE.put(uploadKey(late), new Uint8Array([4, 5, 6]));
			const { response, settled } = await fetchWith(
				racingD1(/^insert into "retired_claims"/i, () =>
					env.DB.prepare(
						"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes) VALUES (?, ?, 'late.png', 'image/png', ?, 3)",
					)
						.bind(late, claim.id, "d".repeat(64))
						.run(),
				),
				`/api/v1/claims/${claim.id}`,
				{
					method: "DELETE",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ version: await version(claim.id), reason: "Not a claim." }),
				},
			);
			expect(response.status, await response.clone().text()).toBe(200);
			await settled();
			expect(await env.ARCHIVE.get(uploadKey(late))).toBeNull();
			const audit = await env.DB.prepare(
				"SELECT changes FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action = 'remove'",
			)
				.bind(claim.id)
				.first<{ changes: string }>();
			expect(JSON.parse(audit?.changes ?? "{}").attachments).toEqual([
				{ id: late, sha256: "d".repeat(64), bytes: 3 },
			]);
		},
	);
});

/** A delivery of a speaker event. */
const speakerDelivery = (webhookId: string, slug: string, speakerName: string, state: string) =>
	recordedDelivery(
		webhookId,
		"speaker.updated",
		{ speaker: { slug, name: speakerName, aliases: [speakerName] } },
		state,
	);

async function speakerHook(admin: string): Promise<string> {
	const hook = await apiCall("POST", "/api/v1/webhooks", {
		token: admin,
		body: { url: `https://hooks.example/ok/${newId()}`, events: ["speaker.updated"] },
	});
	expect(hook.status, await hook.clone().text()).toBe(201);
	return (await json<{ id: string }>(hook)).id;
}

describe("a removed claim's lone speaker in webhook deliveries", () => {
	it(
		"loses its name there too; a speaker other claims still name keeps its deliveries",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const admin = (await apiToken((await account("admin")).user, ["webhooks:manage"])).token;
			const webhookId = await speakerHook(admin);
			const name = `Private Neighbour ${newId()}`;
			const claim = await makeClaim({ speaker: { name } });
			const busyName = `Public Figure ${newId()}`;
			const busy = await makeClaim({ speaker: { name: busyName } });
			await makeClaim({ speaker: { id: busy.speakerId ?? "" } });
			const slug = claim.speaker?.slug ?? "";
			const pending = await speakerDelivery(webhookId, slug, name, "pending");
			const delivered = await speakerDelivery(webhookId, slug, name, "delivered");
			const kept = await speakerDelivery(webhookId, busy.speaker?.slug ?? "", busyName, "failed");

			expect((await remove(token, claim.id, "Names a private individual.")).status).toBe(200);
			for (const id of [pending, delivered]) {
				const row = await deliveryRow(id);
				expect(row?.payload).not.toContain("Private Neighbour");
				expect(JSON.parse(row?.payload ?? "{}").data).toEqual({ speaker: { slug }, removed: true });
			}
			expect((await deliveryRow(pending))?.state).toBe("dead");
			expect((await deliveryRow(delivered))?.state).toBe("delivered");
			expect((await deliveryRow(kept))?.payload).toContain(busyName);
			expect((await deliveryRow(kept))?.state).toBe("failed");

			const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${pending}/replay`, { token: admin });
			expect(replay.status, await replay.clone().text()).toBe(409);
			expect((await json<{ type: string }>(replay)).type).toBe("urn:claimtrack:problem:claim-removed");
			expect(JSON.parse((await deliveryRow(pending))?.payload ?? "{}").data).toEqual({
				speaker: { slug },
				removed: true,
			});
		},
	);
});

describe("a removed claim's lone speaker, merged from an older one", () => {
	it(
		"leaves no name in the older speaker's deliveries either, nor in one written as the removal committed",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const admin = (await apiToken((await account("admin")).user, ["webhooks:manage"])).token;
			const webhookId = await speakerHook(admin);
			const tag = newId();
			const older = await makeClaim({ speaker: { name: `Private Older ${tag}` } });
			const olderSlug = older.speaker?.slug ?? "";
			const early = await speakerDelivery(webhookId, olderSlug, `Private Older ${tag}`, "failed");
			await new Promise((resolve) => setTimeout(resolve, 5));
			const newer = await makeClaim({ speaker: { name: `Private Newer ${tag}` } });
			const merged = await apiCall("POST", `/api/v1/speakers/${olderSlug}/merge`, {
				token,
				body: { into: newer.speaker?.slug },
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			expect((await remove(token, older.id)).status).toBe(200);
			expect((await remove(token, newer.id)).status).toBe(200);
			const row = await deliveryRow(early);
			expect(row?.payload).not.toContain("Private Older");
			expect(row?.state).toBe("dead");

			// Written while the removal committed (a fan-out that read the speaker before).
			const late = await speakerDelivery(
				webhookId,
				newer.speaker?.slug ?? "",
				`Private Newer ${tag}`,
				"pending",
			);
			// Not sent, and acknowledged: never retried.
			expect(await attempt(late)).toEqual({ sent: [], ack: 1, retry: 0 });
			expect((await deliveryRow(late))?.state).toBe("dead");
		},
	);
});

describe("a removal's audit record", () => {
	it(
		"keeps ids, hashes and the reason, and redacts the claim's and its lone speaker's earlier rows",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const name = `Private Person ${newId()}`;
			const text = `${name} told a neighbour ${newId()}`;
			const claim = await makeClaim({ text, speaker: { name } });
			const noted = await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
				token,
				body: { text: `Phoned ${name} at home` },
			});
			expect(noted.status, await noted.clone().text()).toBe(201);
			const audit = () =>
				env.DB.prepare(
					"SELECT action, changes FROM audit_log WHERE (entity = 'claim' AND entity_id = ?) OR (entity = 'speaker' AND entity_id = ?) ORDER BY id",
				)
					.bind(claim.id, claim.speakerId)
					.all<{ action: string; changes: string | null }>();
			expect(JSON.stringify((await audit()).results)).toContain(name);

			expect((await remove(token, claim.id, "Names a private individual.")).status).toBe(200);
			const rows = (await audit()).results;
			expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["create", "note", "remove"]));
			expect(JSON.stringify(rows)).not.toContain("Private Person");
			const record = JSON.parse(rows.find((r) => r.action === "remove")?.changes ?? "{}");
			expect(record.reason).toBe("Names a private individual.");
			expect(record.claim).toMatchObject({ id: claim.id, speakerId: claim.speakerId });
			expect(record.claim.textSha256).toMatch(/^[0-9a-f]{64}$/);
			expect(record.notes).toHaveLength(1);
		},
	);
});

describe("a merged duplicate's speaker", () => {
	it(
		"leaves the public pages when no claim names them any more; one with other claims stays",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const kept = await makeClaim();
			const lone = await makeClaim({ speaker: { name: `Lone Speaker ${newId()}` } });
			const busy = await makeClaim({ speaker: { name: `Busy Speaker ${newId()}` } });
			await makeClaim({ speaker: { id: busy.speakerId ?? "" } });
			for (const duplicate of [lone, busy]) {
				const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
					token,
					body: { into: kept.id, version: await version(duplicate.id), note: "Same claim." },
				});
				expect(merged.status, await merged.clone().text()).toBe(200);
			}
			expect((await call(`/speakers/${lone.speaker?.slug}`)).status).toBe(404);
			expect((await call(`/api/v1/speakers/${lone.speaker?.slug}`)).status).toBe(404);
			expect((await call(`/speakers/${busy.speaker?.slug}`)).status).toBe(200);
		},
	);
});

describe("a merged claim where unfinished work is hidden", () => {
	it(
		"answers 404 on every surface (it was never public), and claim.merged does not name it",
		TIMEOUT,
		async () => {
			const admin = await account("admin");
			const hooks = (await apiToken(admin.user, ["webhooks:manage"])).token;
			const hook = await apiCall("POST", "/api/v1/webhooks", {
				token: hooks,
				body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.merged"] },
			});
			expect(hook.status, await hook.clone().text()).toBe(201);
			const hookId = (await json<{ id: string }>(hook)).id;
			const token = await editorToken();
			const kept = await makeClaim({ language: "en" });
			await publish(kept.id);
			const keptVersion = await version(kept.id);
			const duplicate = await makeClaim({ language: "en" });
			const hidden = { PUBLIC_UNREVIEWED: "hide" };
			const merged = await fetchWith(
				env.DB,
				`/api/v1/claims/${duplicate.id}/merge`,
				{
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({
						into: kept.id,
						version: duplicate.version,
						intoVersion: keptVersion,
						note: "Twice.",
					}),
				},
				false,
				hidden,
			);
			expect(merged.response.status, await merged.response.clone().text()).toBe(200);
			await merged.settled();
			for (const path of [
				`/claims/${duplicate.id}`,
				`/api/v1/claims/${duplicate.id}`,
				`/badges/${duplicate.id}.svg`,
			]) {
				// Listed work: the old address leads to the kept claim.
				expect((await call(path, { redirect: "manual" })).status, path).toBe(301);
				// Another address than the 301 just cached (and one each surface takes: the API refuses `?hidden`).
				const { response } = await fetchWith(
					env.DB,
					`${path}?lang=de`,
					{ redirect: "manual" },
					false,
					hidden,
				);
				expect(response.status, path).toBe(404);
			}
			// The event as the hidden deployment's queue consumer fans it out: no word of the duplicate.
			const outbox = (reviewedOnly: boolean) => ({
				db: testDb(),
				queue: { send: async () => undefined, sendBatch: async () => undefined },
				origin: BASE,
				house: house(env, BASE),
				publicClaim: (d: ClaimDetail | undefined) => d ?? null,
				reviewedOnly,
			});
			const event = {
				type: "claim.merged",
				claimId: kept.id,
				mergedFromId: duplicate.id,
				isPublic: false,
				speakerIds: [],
			} as const;
			const before = new Set(
				(
					await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE webhook_id = ?")
						.bind(hookId)
						.all<{ id: string }>()
				).results.map((row) => row.id),
			);
			await fanOut(outbox(true), event, `e-hidden-${newId()}`);
			const { results } = await env.DB.prepare(
				"SELECT id, payload FROM webhook_deliveries WHERE webhook_id = ?",
			)
				.bind(hookId)
				.all<{ id: string; payload: string }>();
			const fresh = results.filter((row) => !before.has(row.id)).map((row) => JSON.parse(row.payload));
			expect(fresh).toHaveLength(1);
			expect(fresh[0].data.claim.id).toBe(kept.id);
			expect(fresh[0].data).not.toHaveProperty("mergedFrom");
		},
	);
});

describe("a merge's first appearance", () => {
	it(
		"is the oldest of both claims' appearances: a duplicate recorded earlier brings its article first",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const duplicate = await makeClaim({ language: "en", sourceUrl: `https://earlier.example/${newId()}` });
			const kept = await makeClaim({ language: "en", sourceUrl: `https://later.example/${newId()}` });
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: kept.id, version: duplicate.version, intoVersion: kept.version, note: "Twice." },
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			const claim = await json<{ appearances: { firstAppearance: boolean; source: { url: string } }[] }>(
				await call(`/api/v1/claims/${kept.id}`),
			);
			expect(claim.appearances.filter((a) => a.firstAppearance).map((a) => a.source.url)).toEqual([
				duplicate.appearances[0]?.source.url,
			]);
		},
	);
});

describe("a removal of a claim once drafted", () => {
	it("redacts its discarded drafts' audit rows too (headline, summary, evidence)", TIMEOUT, async () => {
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
		const name = `Private Person ${newId()}`;
		const claim = await makeClaim({ text: `${name} said it ${newId()}` });
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "false",
				headline: `${name} is wrong`,
				summary: `Called ${name}`,
				evidence: [{ url: "https://evidence.example/x", title: `About ${name}` }],
				language: "de",
			},
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		const draftRow = await json<{ id: string; version: number }>(drafted);
		const discarded = await apiCall("DELETE", `/api/v1/verdicts/${draftRow.id}`, {
			token,
			body: { version: draftRow.version },
		});
		expect(discarded.status, await discarded.clone().text()).toBeLessThan(300);
		const draftAudit = async () =>
			(
				await env.DB.prepare(
					"SELECT action, changes FROM audit_log WHERE entity = 'verdict' AND entity_id = ?",
				)
					.bind(draftRow.id)
					.all<{ action: string; changes: string | null }>()
			).results;
		expect(JSON.stringify(await draftAudit())).toContain(name);
		expect((await remove(token, claim.id, "Names a private individual.")).status).toBe(200);
		const rows = await draftAudit();
		expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["create-draft", "discard-draft"]));
		expect(JSON.stringify(rows)).not.toContain("Private Person");
	});
});

describe("a removed claim's source cited only in another claim's draft", () => {
	it("is not public: drafts are not", TIMEOUT, async () => {
		const editor = await account("editor");
		const token = (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
		const url = `https://private.example/${newId()}`;
		const removed = await makeClaim({ sourceUrl: url });
		const sourceId = await sourceIdOf(removed.id);
		const other = await makeClaim();
		const drafted = await apiCall("POST", `/api/v1/claims/${other.id}/verdicts`, {
			token,
			body: { rating: "false", headline: "Not so", evidence: [{ url, title: "Post" }], language: "de" },
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		expect((await remove(token, removed.id)).status).toBe(200);
		expect((await call(`/api/v1/sources/${sourceId}`)).status).toBe(404);
	});
});

describe("a later import of a claim merged or removed", () => {
	it(
		"links the merged claim's record to the claim kept, refuses the removed claim's, and records neither anew",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const token = (await apiToken(editor.user, ["claims:write", "import"])).token;
			const tag = newId();
			const record = (externalId: string, text: string, url: string) => ({
				externalId,
				claim: { text, language: "de", claimedAt: "2025-07-01" },
				speaker: { name: `Ratsherr ${tag}`, kind: "person" },
				sources: [{ url, title: "Artikel" }],
				verdict: null,
			});
			const records = [
				record(`cms-kept-${tag}`, `Die Fähre ${tag} fährt wieder täglich.`, `https://news.example/${tag}/a`),
				record(
					`cms-dup-${tag}`,
					`Die Fähre ${tag} fährt jetzt wieder jeden Tag.`,
					`https://news.example/${tag}/b`,
				),
				record(`cms-private-${tag}`, `Nachbar ${tag} sagte etwas Privates.`, `https://news.example/${tag}/c`),
			];
			const send = async () => {
				const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
				expect(response.status, await response.clone().text()).toBe(200);
				return (await json<{ results: { status: string; claimId?: string; reason?: string }[] }>(response))
					.results;
			};
			const [kept, duplicate, mistaken] = await send();
			expect([kept?.status, duplicate?.status, mistaken?.status]).toEqual(["created", "created", "created"]);
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate?.claimId}/merge`, {
				token,
				body: { into: kept?.claimId, version: await version(duplicate?.claimId ?? ""), note: "Same claim." },
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			expect((await remove(token, mistaken?.claimId ?? "", "Names a private individual.")).status).toBe(200);

			const again = await send();
			expect(again[0]?.status).toBe("unchanged");
			expect(again[1]).toMatchObject({ status: "linked", claimId: kept?.claimId });
			expect(again[2]?.status).toBe("rejected");
			expect(again[2]?.reason).toMatch(/removed from the tracker on \d{4}-\d{2}-\d{2}/);
			const count = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text LIKE ?")
				.bind(`%${tag}%`)
				.first<{ n: number }>();
			expect(count?.n).toBe(1);
		},
	);
});

describe("a removed claim's answers kept for Idempotency-Key repeats", () => {
	it(
		"keep nothing of its words, its notes or its drafts, and a repeat answers its removal, never the claim",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const token = (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
			const name = `Private Person ${newId()}`;
			const key = () => `fix183-${newId()}-${newId()}`;
			const keyed = (method: string, path: string, idem: string, body: unknown) =>
				apiCall(method, path, { token, body, headers: { "Idempotency-Key": idem } });
			const claimBody = (text: string) => ({
				text,
				language: "en",
				claimedAt: "2025-07-12",
				speaker: { name, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title: `Blog of ${name}` },
			});
			// Each create, sent with its key: the claim, a duplicate later merged into it, an
			// appearance, a note and a draft (discarded) on the claim, a note on the duplicate.
			const sent: { path: string; idem: string; body: unknown }[] = [];
			const send = async (path: string, body: unknown) => {
				const idem = key();
				const response = await keyed("POST", path, idem, body);
				expect(response.status, await response.clone().text()).toBe(201);
				sent.push({ path, idem, body });
				return json<{ id: string; version: number }>(response);
			};
			const claim = await send("/api/v1/claims", claimBody(`${name} said the harbour ${newId()} is theirs.`));
			const duplicate = await send(
				"/api/v1/claims",
				claimBody(`${name} repeated that the bridge ${newId()} is theirs.`),
			);
			await send(`/api/v1/claims/${claim.id}/appearances`, {
				source: { url: `https://news.example/${newId()}`, title: `Interview with ${name}` },
				quote: `${name} in person`,
			});
			await send(`/api/v1/claims/${claim.id}/notes`, { text: `Call ${name} back` });
			await send(`/api/v1/claims/${duplicate.id}/notes`, { text: `Ask ${name} again` });
			const drafted = await send(`/api/v1/claims/${claim.id}/verdicts`, {
				rating: "false",
				headline: `${name} is wrong`,
				evidence: [{ url: "https://evidence.example/x", title: `About ${name}` }],
				language: "en",
			});
			const discarded = await apiCall("DELETE", `/api/v1/verdicts/${drafted.id}`, {
				token,
				body: { version: drafted.version },
			});
			expect(discarded.status, await discarded.clone().text()).toBeLessThan(300);
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: claim.id, version: await version(duplicate.id), note: "Twice." },
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			// A merged claim was real: its create's repeat answers as the first did (its address leads on).
			const [, mergedCreate] = sent;
			const mergedRepeat = await keyed(
				"POST",
				"/api/v1/claims",
				mergedCreate?.idem ?? "",
				mergedCreate?.body,
			);
			expect(mergedRepeat.status).toBe(201);
			expect((await json<{ id: string }>(mergedRepeat)).id).toBe(duplicate.id);

			expect((await remove(token, claim.id, "Names a private individual.")).status).toBe(200);

			const stored = await env.DB.prepare(
				"SELECT count(*) AS n FROM idempotency_keys WHERE instr(body, ?) > 0",
			)
				.bind(name)
				.first<{ n: number }>();
			expect(stored?.n).toBe(0);
			for (const request of sent) {
				const repeat = await keyed("POST", request.path, request.idem, request.body);
				const text = await repeat.text();
				expect(repeat.status, `${request.path}: ${text}`).toBe(410);
				expect(repeat.headers.get("content-type"), request.path).toContain("application/problem+json");
				expect(repeat.headers.get("location"), request.path).toBeNull();
				expect(JSON.parse(text), request.path).toMatchObject({
					type: "urn:claimtrack:problem:claim-removed",
					removedAt: expect.any(String),
				});
				expect(text, request.path).not.toContain(name);
			}
			// Nothing came back: the repeats recorded no claim.
			const count = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE instr(text, ?) > 0")
				.bind(name)
				.first<{ n: number }>();
			expect(count?.n).toBe(0);
		},
	);
});

describe("a removed claim's answers kept from before they named their claim (migration 0044)", () => {
	it(
		"are found by their request: nothing of the claim stays, a repeat answers its removal",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const token = (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
			const name = `Private Person ${newId()}`;
			const sent: { path: string; idem: string; body: unknown }[] = [];
			const send = async (path: string, body: unknown) => {
				const idem = `fix188-${newId()}-${newId()}`;
				const response = await apiCall("POST", path, { token, body, headers: { "Idempotency-Key": idem } });
				expect(response.status, await response.clone().text()).toBe(201);
				sent.push({ path, idem, body });
				return json<{ id: string; version: number }>(response);
			};
			const claim = await send("/api/v1/claims", {
				text: `${name} said the lighthouse ${newId()} is theirs.`,
				language: "en",
				claimedAt: "2025-07-12",
				speaker: { name, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title: `Blog of ${name}` },
			});
			await send(`/api/v1/claims/${claim.id}/appearances`, {
				source: { url: `https://news.example/${newId()}`, title: `Interview with ${name}` },
				quote: `${name} in person`,
			});
			await send(`/api/v1/claims/${claim.id}/notes`, { text: `Call ${name} back` });
			const drafted = await send(`/api/v1/claims/${claim.id}/verdicts`, {
				rating: "false",
				headline: `${name} is wrong`,
				evidence: [{ url: "https://evidence.example/x", title: `About ${name}` }],
				language: "en",
			});
			// Discarded: its answer's address (/api/v1/verdicts/<id>) names a row that is gone.
			const discarded = await apiCall("DELETE", `/api/v1/verdicts/${drafted.id}`, {
				token,
				body: { version: drafted.version },
			});
			expect(discarded.status, await discarded.clone().text()).toBeLessThan(300);
			// As answers completed before the deploy of 0044 are (and any 0048 could not read).
			await env.DB.prepare("UPDATE idempotency_keys SET claim_id = NULL WHERE user_id = ?")
				.bind(editor.user.id)
				.run();

			expect((await remove(token, claim.id, "Names a private individual.")).status).toBe(200);

			const stored = await env.DB.prepare(
				"SELECT count(*) AS n FROM idempotency_keys WHERE instr(body, ?) > 0 OR instr(location, ?) > 0",
			)
				.bind(name, claim.id)
				.first<{ n: number }>();
			expect(stored?.n).toBe(0);
			for (const request of sent) {
				const repeat = await apiCall("POST", request.path, {
					token,
					body: request.body,
					headers: { "Idempotency-Key": request.idem },
				});
				const text = await repeat.text();
				expect(repeat.status, `${request.path}: ${text}`).toBe(410);
				expect(JSON.parse(text), request.path).toMatchObject({
					type: "urn:claimtrack:problem:claim-removed",
				});
				expect(text, request.path).not.toContain(name);
			}
		},
	);
});

describe("a removed claim's create repeated with PUBLIC_UNREVIEWED = hide", () => {
	it(
		"answers 410 claim-removed as the write routes do, where the claim's GET is a 404; the API description says so",
		TIMEOUT,
		async () => {
			const editor = await account("editor");
			const token = (await apiToken(editor.user, ["claims:write"])).token;
			const hidden = { PUBLIC_UNREVIEWED: "hide" };
			const idem = `fix188-${newId()}-${newId()}`;
			const body = {
				text: `The tide mill ${newId()} grinds at night.`,
				language: "en",
				claimedAt: "2025-07-12",
				speaker: { name: `Hidden Miller ${newId()}`, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title: "Mill" },
			};
			const post = () =>
				fetchWith(
					env.DB,
					"/api/v1/claims",
					{
						method: "POST",
						headers: {
							Authorization: `Bearer ${token}`,
							"Content-Type": "application/json",
							"Idempotency-Key": idem,
						},
						body: JSON.stringify(body),
					},
					false,
					hidden,
				);
			const first = (await post()).response;
			expect(first.status, await first.clone().text()).toBe(201);
			const claimId = (await json<{ id: string }>(first)).id;
			expect((await remove(token, claimId, "Not a claim.")).status).toBe(200);

			const read = await fetchWith(env.DB, `/api/v1/claims/${claimId}`, {}, false, hidden);
			expect(read.response.status).toBe(404);
			const repeat = (await post()).response;
			expect(repeat.status, await repeat.clone().text()).toBe(410);
			expect(await json(repeat)).toMatchObject({
				type: "urn:claimtrack:problem:claim-removed",
				removedAt: expect.any(String),
			});
			const spec = await json<{ paths: Record<string, { post?: { description?: string } }> }>(
				await call("/api/v1/openapi.json"),
			);
			const description = spec.paths["/api/v1/claims"]?.post?.description ?? "";
			expect(description).not.toContain("as its GET says");
			expect(description).toContain(
				"410 `claim-removed` with `removedAt`, as every write route answers a removed claim",
			);
			expect(description).toContain('PUBLIC_UNREVIEWED = "hide"');
		},
	);
});

describe("an answer kept for repeats completed as its claim's removal committed", () => {
	it("keeps no body: the removal's batch found its key still pending", TIMEOUT, async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const id = `fix183-${newId()}`;
		const db = testDb();
		expect(
			await claimIdempotencyKey(db, { id, userId: editor.user.id, scope: "POST /api/v1/claims x" }),
		).toMatchObject({ claimed: true });
		await removeClaim(db, SYSTEM("test"), claim.id, { version: claim.version, reason: "Mistake." });
		await completeIdempotencyKey(db, id, {
			status: 201,
			location: `${BASE}/api/v1/claims/${claim.id}`,
			body: JSON.stringify({ id: claim.id, text: claim.text }),
			claimId: claim.id,
		});
		const row = await env.DB.prepare("SELECT state, body, claim_id FROM idempotency_keys WHERE id = ?")
			.bind(id)
			.first();
		expect(row).toEqual({ state: "done", body: null, claim_id: claim.id });
	});
});
