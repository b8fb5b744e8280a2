import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fanOut } from "../../src/commands/webhooks";
import { newId, newToken } from "../../src/domain/ids";
import { getDelivery, recordAttempt } from "../../src/store/webhooks";
import { makeClaim, publish, retract } from "../factories";
import { eventually, json, testDb } from "../helpers";
import { fanOutNow, hook, outbox } from "../webhook-helpers";
import { account, apiCall, apiToken, deskGet, deskPost } from "./helpers";

/**
 * The rename's own `speaker.updated` (naming the old slug), fanned out by the queue's consumer:
 * once the webhook is given it, an earlier event of the old slug is no longer true.
 */
const renameGiven = (webhookId: string, slug: string) =>
	eventually(
		() =>
			env.DB.prepare(
				"SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND json_extract(payload, '$.data.renamedFrom.slug') = ?",
			)
				.bind(webhookId, slug)
				.first<{ n: number }>(),
		(row) => (row?.n ?? 0) > 0,
	);

describe("desk: a webhook delivery whose event no longer holds", () => {
	it("is dead once a replay finds it so, a stranded one too; the log says why and still offers the replay", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const claim = await makeClaim({ speaker: { name: `Wrong Person ${tag}` } });
		const slug = claim.speaker?.slug ?? "";
		for (let i = 0; i < 2; i++)
			await fanOutNow({ type: "speaker.updated", speakerId: claim.speaker?.id ?? "", claimIds: [] });
		const [dead, stranded] = (
			await env.DB.prepare(
				"SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at, rowid",
			)
				.bind(webhookId)
				.all<{ id: string }>()
		).results;
		// Renamed with its old name dropped: the speaker.updated recorded before no longer holds.
		const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version, name: `Right Person ${tag}`, dropOldName: true },
		});
		expect(renamed.status).toBe(200);
		await renameGiven(webhookId, slug);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(dead?.id)
			.run();
		const longAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ? WHERE id = ?")
			.bind(longAgo, stranded?.id)
			.run();
		const replay = (id: string | undefined) =>
			deskPost(admin, `/desk/admin/webhooks/${webhookId}/replay`, {
				delivery: id ?? "",
				_idem: newToken(18),
			});
		expect((await replay(dead?.id)).status).toBe(409);
		expect((await replay(stranded?.id)).status).toBe(409);
		const html = await (await deskGet(admin, `/desk/admin/webhooks/${webhookId}`)).text();
		const rowOf = (id: string | undefined) => html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
		const shown = (id: string | undefined) => ({
			replay: rowOf(id).includes('name="delivery"'),
			why: rowOf(id).includes("not sent: no longer true"),
			givenUp: rowOf(id).includes("given up"),
		});
		expect({
			dead: shown(dead?.id),
			stranded: shown(stranded?.id),
			strandedState: (await getDelivery(testDb(), stranded?.id ?? ""))?.state,
		}).toEqual({
			dead: { replay: true, why: true, givenUp: false },
			stranded: { replay: true, why: true, givenUp: false },
			strandedState: "dead",
		});
	});

	it("once attempted is labelled 'not sent again', not 'not sent', when a replay finds it no longer true", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const claim = await makeClaim({ speaker: { name: `Wrong Person ${tag}` } });
		const slug = claim.speaker?.slug ?? "";
		await fanOutNow({ type: "speaker.updated", speakerId: claim.speaker?.id ?? "", claimIds: [] });
		const { id } = (await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE webhook_id = ?")
			.bind(webhookId)
			.first<{ id: string }>()) ?? { id: "" };
		const delivery = await getDelivery(testDb(), id);
		if (!delivery) throw new Error("no delivery");
		await recordAttempt(testDb(), {
			delivery,
			attempt: 1,
			roundAttempt: 1,
			firstAttemptAt: new Date().toISOString(),
			statusCode: null,
			durationMs: 15000,
			error: "no answer within 15 s",
			state: "dead",
			nextAttemptAt: null,
		});
		const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version, name: `Right Person ${tag}`, dropOldName: true },
		});
		expect(renamed.status).toBe(200);
		await renameGiven(webhookId, slug);
		const replay = await deskPost(admin, `/desk/admin/webhooks/${webhookId}/replay`, {
			delivery: id,
			_idem: newToken(18),
		});
		expect(replay.status).toBe(409);
		const html = await (await deskGet(admin, `/desk/admin/webhooks/${webhookId}`)).text();
		const row = html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
		expect({
			attempted: row.includes("no answer within 15 s"),
			saysNotSent: row.includes("not sent: no longer true"),
			saysNotSentAgain: row.includes("not sent again: no longer true"),
		}).toEqual({ attempted: true, saysNotSent: false, saysNotSentAgain: true });
	});

	it("is offered for replay, and queued unmarked, once it holds again", { timeout: 60_000 }, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const webhookId = await hook(["verdict.published", "verdict.retracted"]);
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		const at = () => new Date().toISOString();
		await fanOut(
			outbox,
			{
				type: "verdict.published",
				claimId: claim.id,
				verdictId: verdict.id,
				correction: false,
				speakerIds: [],
			},
			newId(),
			at(),
		);
		const { id } = (await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE webhook_id = ?")
			.bind(webhookId)
			.first<{ id: string }>()) ?? { id: "" };
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(id)
			.run();
		await retract(verdict.id, verdict.version);
		await fanOut(
			outbox,
			{ type: "verdict.retracted", claimId: claim.id, verdictId: verdict.id, speakerIds: [] },
			newId(),
			at(),
		);
		const replay = () => apiCall("POST", `/api/v1/webhooks/deliveries/${id}/replay`, { token });
		expect((await replay()).status).toBe(409);
		const shown = async () => {
			const html = await (await deskGet(admin, `/desk/admin/webhooks/${webhookId}`)).text();
			const row = html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
			return {
				offersReplay: row.includes('name="delivery"'),
				says: row.includes("not sent: no longer true"),
			};
		};
		expect(await shown()).toEqual({ offersReplay: true, says: true });
		// The webhook never given the retraction's event (its row gone): the first holds again.
		await env.DB.prepare(
			"DELETE FROM webhook_deliveries WHERE webhook_id = ? AND event_type = 'verdict.retracted'",
		)
			.bind(webhookId)
			.run();
		expect((await replay()).status).toBe(202);
		const marked = await env.DB.prepare(
			"SELECT json_extract(payload, '$.noLongerTrue') AS mark, attempts FROM webhook_deliveries WHERE id = ?",
		)
			.bind(id)
			.first<{ mark: number | null; attempts: number }>();
		expect(marked?.mark ?? null).toBeNull();
	});
});

describe("desk: a webhook delivery not sent for one reason, then for another", () => {
	it("shows the reason its last try found, never both: no longer true, then no longer subscribed, and back", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const webhookId = await hook(["verdict.published", "verdict.retracted"]);
		const subscribe = async (events: string[]) => {
			const read = await json<{ version: number }>(
				await apiCall("GET", `/api/v1/webhooks/${webhookId}`, { token }),
			);
			const patched = await apiCall("PATCH", `/api/v1/webhooks/${webhookId}`, {
				token,
				body: { version: read.version, events },
			});
			expect(patched.status, await patched.clone().text()).toBe(200);
		};
		const published = async () => {
			const claim = await makeClaim();
			const verdict = await publish(claim.id);
			await fanOutNow({
				type: "verdict.published",
				claimId: claim.id,
				verdictId: verdict.id,
				correction: false,
				speakerIds: [],
			});
			const row = await env.DB.prepare(
				"SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND json_extract(payload, '$.data.claim.id') = ?",
			)
				.bind(webhookId, claim.id)
				.first<{ id: string }>();
			const retracted = async () => {
				await retract(verdict.id, verdict.version);
				await fanOutNow({
					type: "verdict.retracted",
					claimId: claim.id,
					verdictId: verdict.id,
					speakerIds: [],
				});
			};
			return { id: row?.id ?? "", retracted };
		};
		// One attempted once and given up, one never attempted (dead: its endpoint was down).
		const attempted = await published();
		const unsent = await published();
		const delivery = await getDelivery(testDb(), attempted.id);
		if (!delivery) throw new Error("no delivery");
		await recordAttempt(testDb(), {
			delivery,
			attempt: 1,
			roundAttempt: 1,
			firstAttemptAt: new Date().toISOString(),
			statusCode: 500,
			durationMs: 40,
			error: null,
			state: "dead",
			nextAttemptAt: null,
		});
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(unsent.id)
			.run();
		const replay = async (id: string) =>
			json<{ type: string }>(await apiCall("POST", `/api/v1/webhooks/deliveries/${id}/replay`, { token }));
		const shown = async (id: string, lang: "en" | "de") => {
			const html = await (await deskGet(admin, `/desk/admin/webhooks/${webhookId}?lang=${lang}`)).text();
			const row = html.split(`id="delivery-${id}"`)[1]?.split("</tr>")[0] ?? "";
			return (lang === "en" ? /not sent[^<]*/ : /nicht (erneut )?gesendet[^<]*/).exec(row)?.[0];
		};
		// Never attempted: no longer true, then the partner drops verdict.published.
		await unsent.retracted();
		expect((await replay(unsent.id)).type).toBe("urn:claimtrack:problem:no-longer-true");
		await subscribe(["verdict.retracted"]);
		expect((await replay(unsent.id)).type).toBe("urn:claimtrack:problem:unsubscribed");
		expect((await replay(attempted.id)).type).toBe("urn:claimtrack:problem:unsubscribed");
		expect(await shown(unsent.id, "en")).toBe("not sent: no longer subscribed");
		// Attempted before: unsubscribed, then subscribed again and no longer true.
		await subscribe(["verdict.published", "verdict.retracted"]);
		await attempted.retracted();
		expect((await replay(attempted.id)).type).toBe("urn:claimtrack:problem:no-longer-true");
		expect({ en: await shown(attempted.id, "en"), de: await shown(attempted.id, "de") }).toEqual({
			en: "not sent again: no longer true",
			de: "nicht erneut gesendet: nicht mehr zutreffend",
		});
	});
});
