import { describe, expect, it } from "vitest";
import { currentPayload, fanOut } from "../../src/commands/webhooks";
import { newId } from "../../src/domain/ids";
import { newMessageId } from "../../src/domain/standard-webhooks";
import { SYSTEM } from "../../src/store/batch";
import { updateSpeaker } from "../../src/store/speaker-edits";
import { getDelivery } from "../../src/store/webhooks";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { eventually, json, testDb } from "../helpers";
import { hook, outbox, rowsOf, testOutbox } from "../webhook-helpers";

/*
 * A speaker renamed with `dropOldName` moves to a new slug: `speaker.updated` names the old
 * one (`renamedFrom`), so a partner holding the speaker by it finds it.
 */

describe("a speaker renamed with dropOldName", () => {
	it("is a speaker.updated naming the old slug, not the dropped name; earlier events of the old slug are not sent", {
		timeout: 90_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["claims:write"])).token;
		// The receiver answers 500: deliveries stay pending, retried on their schedule.
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const oldName = `Wrong Person ${tag}`;
		const claim = await makeClaim({ speaker: { name: oldName } });
		const oldSlug = claim.speaker?.slug ?? "";
		const edit = async (body: Record<string, unknown>, slug = oldSlug) => {
			const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
			const response = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
				token,
				body: { version: read.version, ...body },
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ slug: string }>(response);
		};
		await edit({ description: `Described ${tag}` });
		const [earlier] = await eventually(
			() => rowsOf(webhookId),
			(rows) => (rows[0]?.attempts ?? 0) >= 1,
		);
		if (!earlier) throw new Error("no delivery");
		const renamed = await edit({ name: `Right Person ${tag}`, dropOldName: true });
		expect(renamed.slug).not.toBe(oldSlug);
		const rows = await eventually(
			() => rowsOf(webhookId),
			(r) => r.length === 2,
		);
		const rename = JSON.parse(rows[1]?.payload ?? "{}");
		expect(rename.data.speaker).toMatchObject({ slug: renamed.slug, name: `Right Person ${tag}` });
		expect(rename.data.renamedFrom).toEqual({ slug: oldSlug });
		// The dropped name is no longer public: not in the payload, only the old address's slug.
		expect(rows[1]?.payload).not.toContain(oldName);
		// The earlier event, under the old slug, is not sent again: the rename's tells where it went.
		const dropped = await eventually(
			() => getDelivery(testDb(), earlier.id),
			(row) => row?.state === "dead",
			30_000,
		);
		expect(dropped?.attempts).toBe(1);
		// Renamed again before the first rename's event got through: that event, sent now, names
		// the slug partners hold and the speaker as it is.
		const again = await edit({ name: `Right Person Senior ${tag}`, dropOldName: true }, renamed.slug);
		const first = await getDelivery(testDb(), rows[1]?.id ?? "");
		if (!first) throw new Error("no delivery");
		const resent = JSON.parse((await currentPayload(outbox, first)) ?? "{}");
		expect(resent.data.speaker).toMatchObject({ slug: again.slug, name: `Right Person Senior ${tag}` });
		expect(resent.data.renamedFrom).toEqual({ slug: oldSlug });
	});
});

describe("renamedFrom where unreviewed claims are hidden", () => {
	it("names the old slug only when a reviewed claim named the speaker at the rename", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["speaker.updated"], "ok");
		const tag = newId();
		// Known only from an unreviewed claim at the rename: its old address was never public.
		const hidden = await makeClaim({ speaker: { name: `Hidden Mistake ${tag}` } });
		const shown = await makeClaim({ speaker: { name: `Shown Mistake ${tag}` } });
		await publish(shown.id);
		for (const claim of [hidden, shown]) {
			const speaker = claim.speaker;
			if (!speaker) throw new Error("no speaker");
			const { speaker: saved } = await updateSpeaker(
				testDb(),
				SYSTEM("test"),
				speaker.slug,
				speaker.version,
				{
					name: `Corrected ${speaker.name}`,
					dropOldName: true,
				},
			);
			expect(saved.slug).not.toBe(speaker.slug);
			// Public at the fan-out (a verdict published since), so its event is sent.
			if (claim === hidden) await publish(hidden.id);
			await fanOut(
				testOutbox(true),
				{ type: "speaker.updated", speakerId: speaker.id, claimIds: [], renamedFrom: { slug: speaker.slug } },
				newMessageId(),
			);
		}
		const rows = await eventually(
			() => rowsOf(webhookId),
			(r) => r.length >= 2,
		);
		const [first, second] = rows.map((r) => JSON.parse(r.payload).data);
		expect(first.speaker.name).toBe(`Corrected Hidden Mistake ${tag}`);
		expect(first.renamedFrom).toBeUndefined();
		expect(second.renamedFrom).toEqual({ slug: shown.speaker?.slug });
	});
});
