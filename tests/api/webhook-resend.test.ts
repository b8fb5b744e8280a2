import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, sha256Hex } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { account, apiCall, apiToken, deskPost } from "../desk/helpers";
import { makeClaim } from "../factories";
import { eventually, json } from "../helpers";

/*
 * What a retry or a replay of a recorded delivery sends: its event as it would be fanned
 * out now, never what was public when it was recorded and is no longer.
 */

interface Row {
	id: string;
	payload: string;
	state: string;
	attempts: number;
}

const rowsOf = async (webhookId: string) =>
	(
		await env.DB.prepare(
			"SELECT id, payload, state, attempts FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at, rowid",
		)
			.bind(webhookId)
			.all<Row>()
	).results;

describe("an attachment made internal again", () => {
	it("is sent by no retry and no replay of the claim.updated recorded while it was public", {
		timeout: 90_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		// The receiver answers 500: the first delivery stays pending, retried on its schedule.
		const created = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/down/${newId()}`, events: ["claim.updated"] },
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const hook = await json<{ id: string }>(created);
		const claim = await makeClaim();
		const uploadId = newId();
		const caption = `Screenshot naming a private person ${newId()}`;
		const bytes = new Uint8Array([1, 2, 3]);
		const sha256 = await sha256Hex(bytes);
		await env.DB.prepare(
			"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes, caption) VALUES (?, ?, 'shot.png', 'image/png', ?, 3, ?)",
		)
			.bind(uploadId, claim.id, sha256, caption)
			.run();
		await env.ARCHIVE.put(uploadKey(uploadId), bytes);
		const setPublic = (value: string) =>
			deskPost(admin, `/desk/attachments/${uploadId}/visibility`, {
				_idem: `${newId()}${newId()}`,
				public: value,
			});
		expect((await setPublic("true")).status).toBe(303);
		const [shown] = await eventually(
			() => rowsOf(hook.id),
			(rows) => (rows[0]?.attempts ?? 0) >= 1,
		);
		if (!shown) throw new Error("no delivery");
		expect(shown.payload).toContain(caption);
		expect((await setPublic("false")).status).toBe(303);
		await eventually(
			() => rowsOf(hook.id),
			(rows) => rows.length === 2 && (rows[1]?.attempts ?? 0) >= 1,
		);
		const secret = (payload: string) =>
			[caption, uploadId, sha256].filter((value) => payload.includes(value));
		// Its retry (5 s after the first attempt): the log keeps what each attempt sent.
		const retried = await eventually(
			async () => (await rowsOf(hook.id)).find((row) => row.id === shown.id),
			(row) => (row?.attempts ?? 0) >= 2,
			30_000,
		);
		expect(retried?.state).toBe("pending");
		expect(secret(retried?.payload ?? "")).toEqual([]);
		const sent = JSON.parse(retried?.payload ?? "{}");
		// The same event: its type and time stay, the claim is as it is now.
		expect(sent).toMatchObject({
			type: "claim.updated",
			timestamp: JSON.parse(shown.payload).timestamp,
			data: { claim: { id: claim.id, attachments: [] } },
		});
		// Dead after its schedule, then replayed by an admin: the replay sends the claim as it is too.
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(shown.id)
			.run();
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${shown.id}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
		const replayed = await eventually(
			async () => (await rowsOf(hook.id)).find((row) => row.id === shown.id),
			(row) => (row?.attempts ?? 0) >= 3,
		);
		expect(secret(replayed?.payload ?? "")).toEqual([]);
	});
});
