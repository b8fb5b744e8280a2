import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addAppearance, mergeClaim } from "../../src/commands/claims";
import type { CommandContext } from "../../src/commands/context";
import type { CommandEvent } from "../../src/commands/events";
import { mergeSpeaker } from "../../src/commands/speakers";
import { setAttachmentVisibility } from "../../src/commands/uploads";
import { currentPayload, fanOut } from "../../src/commands/webhooks";
import { newId, sha256Hex } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { deliverWebhooks } from "../../src/queues/webhook-delivery";
import { SYSTEM } from "../../src/store/batch";
import { updateSpeaker } from "../../src/store/speaker-edits";
import { getDelivery } from "../../src/store/webhooks";
import { account, apiCall, apiToken, deskPost } from "../desk/helpers";
import { makeClaim, publish, reload, retract } from "../factories";
import { BASE, eventually, json, testDb } from "../helpers";
import { fanOutNow, hook, outbox, rowsOf, testOutbox } from "../webhook-helpers";

/*
 * What a retry or a replay of a recorded delivery sends: its event as it would be fanned
 * out now, never what was public when it was recorded and is no longer.
 */

describe("an attachment made internal again", () => {
	it("is sent by no retry and no replay of the claim.updated recorded while it was public", {
		timeout: 90_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		// The receiver answers 500: the first delivery stays pending, retried on its schedule.
		const webhookId = await hook(["claim.updated"]);
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
			() => rowsOf(webhookId),
			(rows) => (rows[0]?.attempts ?? 0) >= 1,
		);
		if (!shown) throw new Error("no delivery");
		expect(shown.payload).toContain(caption);
		expect((await setPublic("false")).status).toBe(303);
		await eventually(
			() => rowsOf(webhookId),
			(rows) => rows.length === 2 && (rows[1]?.attempts ?? 0) >= 1,
		);
		const secret = (payload: string) =>
			[caption, uploadId, sha256].filter((value) => payload.includes(value));
		// Its retry (5 s after the first attempt): the log keeps what each attempt sent.
		const retried = await eventually(
			async () => (await rowsOf(webhookId)).find((row) => row.id === shown.id),
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
			async () => (await rowsOf(webhookId)).find((row) => row.id === shown.id),
			(row) => (row?.attempts ?? 0) >= 3,
		);
		expect(secret(replayed?.payload ?? "")).toEqual([]);
	});
});

/* What a delivery read again sends, without the queue: its fan-out and `currentPayload`. */

function ctxFanningOut(): CommandContext & { settle: () => Promise<void> } {
	const events: CommandEvent[] = [];
	return {
		db: testDb(),
		actor: SYSTEM("test"),
		effects: { emit: (event) => void events.push(event) },
		settle: async () => {
			for (const event of events.splice(0)) await fanOutNow(event);
		},
	};
}

const idsOf = async (webhookId: string, type: string) =>
	(
		await env.DB.prepare(
			"SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND event_type = ? ORDER BY created_at, rowid",
		)
			.bind(webhookId, type)
			.all<{ id: string }>()
	).results;

async function resend(id: string | undefined) {
	const row = await getDelivery(testDb(), id ?? "");
	if (!row) throw new Error("no delivery");
	const sent = await currentPayload(outbox, row);
	return sent === null ? null : (JSON.parse(sent) as { type: string; data: Record<string, any> });
}

describe("a delivery read again", () => {
	it("once its claim was merged, is about the claim kept: an attachment made internal since never leaves with it", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["claim.updated"]);
		const duplicate = await makeClaim();
		const kept = await makeClaim();
		const uploadId = newId();
		const caption = `Screenshot naming a private person ${newId()}`;
		await env.DB.prepare(
			"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes, caption) VALUES (?, ?, 'shot.png', 'image/png', ?, 3, ?)",
		)
			.bind(uploadId, duplicate.id, await sha256Hex(new Uint8Array([1, 2, 3])), caption)
			.run();
		// Its object too: files backing up the whole shared database find every upload's bytes.
		await env.ARCHIVE.put(uploadKey(uploadId), new Uint8Array([1, 2, 3]));
		const ctx = ctxFanningOut();
		await setAttachmentVisibility(ctx, uploadId, true);
		await ctx.settle();
		const [shown] = await idsOf(webhookId, "claim.updated");
		expect(JSON.stringify(await resend(shown?.id))).toContain(caption);
		const dup = await reload(duplicate.id);
		await mergeClaim(ctx, duplicate.id, { into: kept.id, version: dup.version, note: "Same claim." });
		await setAttachmentVisibility(ctx, uploadId, false);
		await ctx.settle();
		// Not given the claim.merged (not subscribed to it): told about the claim kept, naming the duplicate.
		const sent = await resend(shown?.id);
		expect({ claim: sent?.data.claim?.id, mergedFrom: sent?.data.mergedFrom?.id }).toEqual({
			claim: kept.id,
			mergedFrom: duplicate.id,
		});
		expect(JSON.stringify(sent)).not.toContain(caption);
	});

	it("of claim.merged whose kept claim was merged on since is about the claim kept now, still naming the first", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["claim.merged"]);
		const held = await makeClaim();
		const kept = await makeClaim();
		const last = await makeClaim();
		const ctx = ctxFanningOut();
		await mergeClaim(ctx, held.id, {
			into: kept.id,
			version: (await reload(held.id)).version,
			note: "Same.",
		});
		await ctx.settle();
		await mergeClaim(ctx, kept.id, {
			into: last.id,
			version: (await reload(kept.id)).version,
			note: "Same.",
		});
		await ctx.settle();
		const [first, second] = await idsOf(webhookId, "claim.merged");
		// A partner holding the first duplicate (and never the claim kept then) learns where it went.
		const sent = await resend(first?.id);
		expect({ claim: sent?.data.claim?.id, mergedFrom: sent?.data.mergedFrom?.id }).toEqual({
			claim: last.id,
			mergedFrom: held.id,
		});
		expect((await resend(second?.id))?.data.mergedFrom?.id).toBe(kept.id);
	});

	it("is no verdict.published of a verdict retracted since: the verdict.retracted says so", {
		timeout: 60_000,
	}, async () => {
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
		const [published] = await idsOf(webhookId, "verdict.published");
		expect((await resend(published?.id))?.data.verdict?.state).toBe("published");
		await retract(verdict.id, verdict.version);
		await fanOut(
			outbox,
			{ type: "verdict.retracted", claimId: claim.id, verdictId: verdict.id, speakerIds: [] },
			newId(),
			at(),
		);
		expect(await resend(published?.id)).toBeNull();
		const [retracted] = await idsOf(webhookId, "verdict.retracted");
		expect((await resend(retracted?.id))?.data.verdict?.state).toBe("retracted");
	});

	it("is a verdict.published of a verdict corrected since, told as it is now, to a webhook not receiving verdict.corrected", {
		timeout: 60_000,
	}, async () => {
		// README's example subscription: it never receives the correction's verdict.corrected.
		const webhookId = await hook(["verdict.published", "verdict.retracted"]);
		const told = await hook(["verdict.published", "verdict.corrected"]);
		const claim = await makeClaim();
		const first = await publish(claim.id, "false");
		const at = () => new Date().toISOString();
		const published = (verdictId: string, correction: boolean): CommandEvent => ({
			type: "verdict.published",
			claimId: claim.id,
			verdictId,
			correction,
			speakerIds: [],
		});
		await fanOut(outbox, published(first.id, false), newId(), at());
		const second = await publish(claim.id, "true", { correctionNote: "We had it wrong." });
		await fanOut(outbox, published(second.id, true), newId(), at());
		const [row] = await idsOf(webhookId, "verdict.published");
		const sent = await resend(row?.id);
		expect({
			type: sent?.type,
			verdict: [sent?.data.verdict?.id, sent?.data.verdict?.state],
			inForce: JSON.stringify(sent?.data.claim).includes(second.id),
		}).toEqual({ type: "verdict.published", verdict: [first.id, "superseded"], inForce: true });
		// The other webhook has the correction's own event: the first is not sent again.
		const [toldRow] = await idsOf(told, "verdict.published");
		expect(await resend(toldRow?.id)).toBeNull();
		expect((await idsOf(told, "verdict.corrected")).length).toBe(1);
	});

	it("is a verdict.published of a verdict corrected while its webhook was disabled, told as it is now once replayed", {
		timeout: 90_000,
	}, async () => {
		// It receives verdict.corrected now, but was never given the correction's: killing
		// the first would leave it holding a superseded verdict for ever.
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const webhookId = await hook(["verdict.published", "verdict.corrected"]);
		const setEnabled = async (enabled: boolean) => {
			const read = await json<{ version: number }>(
				await apiCall("GET", `/api/v1/webhooks/${webhookId}`, { token }),
			);
			const patched = await apiCall("PATCH", `/api/v1/webhooks/${webhookId}`, {
				token,
				body: { version: read.version, enabled },
			});
			expect(patched.status, await patched.clone().text()).toBe(200);
		};
		const claim = await makeClaim();
		const published = (verdictId: string, correction: boolean): CommandEvent => ({
			type: "verdict.published",
			claimId: claim.id,
			verdictId,
			correction,
			speakerIds: [],
		});
		const first = await publish(claim.id, "false");
		await fanOutNow(published(first.id, false));
		const [row] = await idsOf(webhookId, "verdict.published");
		await env.DB.prepare(
			"UPDATE webhook_deliveries SET state = 'dead', attempts = 12, next_attempt_at = NULL WHERE id = ?",
		)
			.bind(row?.id)
			.run();
		await setEnabled(false);
		const second = await publish(claim.id, "true", { correctionNote: "We had it wrong." });
		await fanOutNow(published(second.id, true));
		await setEnabled(true);
		expect((await idsOf(webhookId, "verdict.corrected")).length).toBe(0);
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${row?.id}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
		const sent = await resend(row?.id);
		expect({
			verdict: [sent?.data.verdict?.id, sent?.data.verdict?.state],
			inForce: JSON.stringify(sent?.data.claim).includes(second.id),
		}).toEqual({ verdict: [first.id, "superseded"], inForce: true });
	});

	it("is an appearance.added without its appearance once removed, to a webhook not receiving claim.updated", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["appearance.added"]);
		const claim = await makeClaim();
		const ctx = ctxFanningOut();
		const added = await addAppearance(ctx, claim.id, {
			source: {
				url: `https://news.example/${newId()}`,
				title: "Second",
				publisher: null,
				author: null,
				language: null,
				publishedAt: null,
				archivedUrl: null,
			},
			quote: null,
			anchor: null,
		});
		await ctx.settle();
		const [row] = await idsOf(webhookId, "appearance.added");
		await env.DB.prepare("DELETE FROM appearances WHERE id = ?").bind(added.id).run();
		const sent = await resend(row?.id);
		expect({ type: sent?.type, claim: sent?.data.claim?.id, appearance: sent?.data.appearance }).toEqual({
			type: "appearance.added",
			claim: claim.id,
			appearance: undefined,
		});
	});

	it("is no appearance.added without its appearance: removed since, it is not sent to a webhook given the removal's claim.updated", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["appearance.added", "claim.updated"]);
		const claim = await makeClaim();
		const ctx = ctxFanningOut();
		const added = await addAppearance(ctx, claim.id, {
			source: {
				url: `https://news.example/${newId()}`,
				title: "Second",
				publisher: null,
				author: null,
				language: null,
				publishedAt: null,
				archivedUrl: null,
			},
			quote: null,
			anchor: null,
		});
		await ctx.settle();
		const [row] = await idsOf(webhookId, "appearance.added");
		expect((await resend(row?.id))?.data.appearance?.id).toBe(added.id);
		await env.DB.prepare("DELETE FROM appearances WHERE id = ?").bind(added.id).run();
		// Not yet given the removal's claim.updated: sent without the appearance.
		expect((await resend(row?.id))?.data.appearance).toBeUndefined();
		await fanOutNow({
			type: "claim.updated",
			claimId: claim.id,
			fields: ["appearances"],
			isPublic: true,
			speakerIds: [],
		});
		expect(await resend(row?.id)).toBeNull();
	});

	it("of speaker.merged whose survivor was merged on since is about the speaker kept now, still naming the first", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["speaker.merged"]);
		const [a, b, c] = [await makeClaim(), await makeClaim(), await makeClaim()];
		const aSlug = a.speaker?.slug ?? "";
		const ctx = ctxFanningOut();
		await mergeSpeaker(ctx, aSlug, b.speaker?.slug ?? "");
		await ctx.settle();
		await mergeSpeaker(ctx, b.speaker?.slug ?? "", c.speaker?.slug ?? "");
		await ctx.settle();
		const [first, second] = await idsOf(webhookId, "speaker.merged");
		const sent = await resend(first?.id);
		expect({ speaker: sent?.data.speaker?.slug, mergedFrom: sent?.data.mergedFrom?.slug }).toEqual({
			speaker: c.speaker?.slug,
			mergedFrom: aSlug,
		});
		expect((await resend(second?.id))?.data.mergedFrom?.slug).toBe(b.speaker?.slug);
	});

	it("of a speaker gone with a merged claim is not sent, nor as another speaker who took its slug since", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const gone = await makeClaim({
			speaker: { name: `Jane Doe ${tag}`, description: "Minister of the harbour" },
		});
		await fanOutNow({ type: "speaker.updated", speakerId: gone.speaker?.id ?? "", claimIds: [] });
		const [row] = await idsOf(webhookId, "speaker.updated");
		expect((await resend(row?.id))?.data.speaker?.description).toBe("Minister of the harbour");
		const kept = await makeClaim();
		const ctx = ctxFanningOut();
		const dup = await reload(gone.id);
		await mergeClaim(ctx, gone.id, { into: kept.id, version: dup.version, note: "Same claim." });
		expect(await resend(row?.id)).toBeNull();
		const other = await makeClaim({ speaker: { name: `Jane Doe ${tag}`, description: "A private citizen" } });
		expect(other.speaker?.slug).toBe(gone.speaker?.slug);
		expect(await resend(row?.id)).toBeNull();
	});
});

describe("a speaker delivery read again, its slug taken since by a rename", () => {
	it("of speaker.merged whose survivor was renamed and renamed back onto its own slug is still sent", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["claims:write"])).token;
		const webhookId = await hook(["speaker.merged"]);
		const tag = newId();
		const a = await makeClaim({ speaker: { name: `Ann Merged ${tag}` } });
		const x = await makeClaim({ speaker: { name: `Jane Roe ${tag}` } });
		const aSlug = a.speaker?.slug ?? "";
		const xSlug = x.speaker?.slug ?? "";
		const ctx = ctxFanningOut();
		await mergeSpeaker(ctx, aSlug, xSlug);
		await ctx.settle();
		const rename = async (from: string, name: string) => {
			const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${from}`));
			const renamed = await apiCall("PATCH", `/api/v1/speakers/${from}`, {
				token,
				body: { version: read.version, name, dropOldName: true },
			});
			expect(renamed.status, await renamed.clone().text()).toBe(200);
			return (await json<{ slug: string }>(renamed)).slug;
		};
		const wrong = await rename(xSlug, `Jane Wrong ${tag}`);
		expect(wrong).not.toBe(xSlug);
		expect(await rename(wrong, `Jane Roe ${tag}`)).toBe(xSlug);
		const [row] = await idsOf(webhookId, "speaker.merged");
		const sent = await resend(row?.id);
		expect({ speaker: sent?.data.speaker?.slug, mergedFrom: sent?.data.mergedFrom?.slug }).toEqual({
			speaker: xSlug,
			mergedFrom: aSlug,
		});
	});

	it("of a speaker gone with a merged claim is not sent as an older speaker renamed onto its slug", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["claims:write"])).token;
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const other = await makeClaim({
			speaker: { name: `Private Citizen ${tag}`, description: "Not a minister" },
		});
		const gone = await makeClaim({
			speaker: { name: `Jane Doe ${tag}`, description: "Minister of the harbour" },
		});
		await fanOutNow({ type: "speaker.updated", speakerId: gone.speaker?.id ?? "", claimIds: [] });
		const [row] = await idsOf(webhookId, "speaker.updated");
		const kept = await makeClaim();
		await mergeClaim(ctxFanningOut(), gone.id, {
			into: kept.id,
			version: (await reload(gone.id)).version,
			note: "Same.",
		});
		const otherSlug = other.speaker?.slug ?? "";
		const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${otherSlug}`));
		const beforeRename = new Date().toISOString();
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${otherSlug}`, {
			token,
			body: { version: read.version, name: `Jane Doe ${tag}`, dropOldName: true },
		});
		expect(renamed.status).toBe(200);
		expect((await json<{ slug: string }>(renamed)).slug).toBe(gone.speaker?.slug);
		expect(await resend(row?.id)).toBeNull();
		// The rename's own event is still sent, its renamedFrom kept, even dated before the
		// rename's audit row (the Worker's clock behind D1's).
		await fanOut(
			outbox,
			{
				type: "speaker.updated",
				speakerId: other.speaker?.id ?? "",
				claimIds: [],
				renamedFrom: { slug: otherSlug },
			},
			newId(),
			beforeRename,
		);
		const own = (await idsOf(webhookId, "speaker.updated")).at(-1);
		expect((await resend(own?.id))?.data.renamedFrom?.slug).toBe(otherSlug);
	});
});

describe("a speaker.updated whose speaker's slug moved since", () => {
	// By the slug it was recorded about: other files' speaker events reach these webhooks too.
	const recordedAbout = async (webhookId: string, slug: string) =>
		(
			await env.DB.prepare(
				"SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND event_type = 'speaker.updated' AND json_extract(payload, '$.data.speaker.slug') = ? ORDER BY rowid",
			)
				.bind(webhookId, slug)
				.all<{ id: string }>()
		).results;

	it("merged into another, is about the survivor, naming the merged one, to a webhook not given the speaker.merged", {
		timeout: 60_000,
	}, async () => {
		const unsubscribed = await hook(["speaker.updated"]);
		const told = await hook(["speaker.updated", "speaker.merged"]);
		const tag = newId();
		const merged = await makeClaim({ speaker: { name: `Ann Merged ${tag}` } });
		const survivor = await makeClaim({ speaker: { name: `Ann Survivor ${tag}` } });
		const slug = merged.speaker?.slug ?? "";
		await fanOutNow({ type: "speaker.updated", speakerId: merged.speaker?.id ?? "", claimIds: [] });
		const ctx = ctxFanningOut();
		await mergeSpeaker(ctx, slug, survivor.speaker?.slug ?? "");
		await ctx.settle();
		expect((await idsOf(unsubscribed, "speaker.merged")).length).toBe(0);
		const [row] = await recordedAbout(unsubscribed, slug);
		const sent = await resend(row?.id);
		expect({
			type: sent?.type,
			speaker: sent?.data.speaker?.slug,
			mergedFrom: sent?.data.mergedFrom,
		}).toEqual({
			type: "speaker.updated",
			speaker: survivor.speaker?.slug,
			mergedFrom: { slug, name: `Ann Merged ${tag}` },
		});
		// The other webhook was given the merge's speaker.merged, which says so: not sent again.
		const [toldRow] = await recordedAbout(told, slug);
		expect(await resend(toldRow?.id)).toBeNull();
		// The survivor merged on since: about the speaker kept now, still naming the first.
		const last = await makeClaim();
		await mergeSpeaker(ctx, survivor.speaker?.slug ?? "", last.speaker?.slug ?? "");
		await ctx.settle();
		const now = await resend(row?.id);
		expect({ speaker: now?.data.speaker?.slug, mergedFrom: now?.data.mergedFrom }).toEqual({
			speaker: last.speaker?.slug,
			mergedFrom: { slug, name: `Ann Merged ${tag}` },
		});
	});

	it("renamed while its webhook was disabled, is about the speaker renamed, naming the old slug", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["speaker.updated"]);
		const tag = newId();
		const claim = await makeClaim({ speaker: { name: `Wrong Person ${tag}` } });
		const speaker = claim.speaker;
		if (!speaker) throw new Error("no speaker");
		await fanOutNow({ type: "speaker.updated", speakerId: speaker.id, claimIds: [] });
		const setDisabled = (at: string | null) =>
			env.DB.prepare("UPDATE webhooks SET disabled_at = ? WHERE id = ?").bind(at, webhookId).run();
		await setDisabled(new Date().toISOString());
		const { speaker: renamed } = await updateSpeaker(
			testDb(),
			SYSTEM("test"),
			speaker.slug,
			speaker.version,
			{
				name: `Right Person ${tag}`,
				dropOldName: true,
			},
		);
		await fanOutNow({
			type: "speaker.updated",
			speakerId: speaker.id,
			claimIds: [],
			renamedFrom: { slug: speaker.slug },
		});
		await setDisabled(null);
		const [row, ...others] = await recordedAbout(webhookId, speaker.slug);
		expect(others).toEqual([]);
		expect(await recordedAbout(webhookId, renamed.slug)).toEqual([]);
		const sent = await resend(row?.id);
		expect({ speaker: sent?.data.speaker?.slug, renamedFrom: sent?.data.renamedFrom }).toEqual({
			speaker: renamed.slug,
			renamedFrom: { slug: speaker.slug },
		});
		expect(JSON.stringify(sent)).not.toContain(`Wrong Person ${tag}`);
	});
});

describe("a merged speaker's name dropped since from the survivor's names", () => {
	it("leaves with no speaker.updated and no speaker.merged retry: mergedFrom names the slug alone", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["claims:write"])).token;
		const updates = await hook(["speaker.updated"]);
		const merges = await hook(["speaker.merged"]);
		const tag = newId();
		const wrongName = `Jane Wrong ${tag}`;
		const wrong = await makeClaim({ speaker: { name: wrongName } });
		const kept = await makeClaim({ speaker: { name: `Jane Right ${tag}` } });
		const slug = wrong.speaker?.slug ?? "";
		const keptSlug = kept.speaker?.slug ?? "";
		await fanOutNow({ type: "speaker.updated", speakerId: wrong.speaker?.id ?? "", claimIds: [] });
		const ctx = ctxFanningOut();
		await mergeSpeaker(ctx, slug, keptSlug);
		await ctx.settle();
		const about = async (webhookId: string, type: string, subject: string) =>
			(await rowsOf(webhookId)).find((row) => {
				const payload = JSON.parse(row.payload);
				return payload.type === type && payload.data?.speaker?.slug === subject;
			});
		const updated = await about(updates, "speaker.updated", slug);
		const merged = await about(merges, "speaker.merged", keptSlug);
		// While the survivor carries the name, both name the merged speaker by it.
		for (const row of [updated, merged])
			expect((await resend(row?.id))?.data.mergedFrom).toEqual({ slug, name: wrongName });
		// An admin drops the wrong name from the survivor's other names: it is no longer public.
		const read = await json<{ version: number; aliases: string[] }>(
			await apiCall("GET", `/api/v1/speakers/${keptSlug}`),
		);
		expect(read.aliases).toContain(wrongName);
		const edited = await apiCall("PATCH", `/api/v1/speakers/${keptSlug}`, {
			token,
			body: { version: read.version, aliases: read.aliases.filter((alias) => alias !== wrongName) },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		for (const row of [updated, merged]) {
			const sent = await resend(row?.id);
			expect({ speaker: sent?.data.speaker?.slug, mergedFrom: sent?.data.mergedFrom }).toEqual({
				speaker: keptSlug,
				mergedFrom: { slug },
			});
			expect(JSON.stringify(sent)).not.toContain(wrongName);
		}
		// Its attempt records what it sent: a retry after it still names the slug.
		await deliverWebhooks(
			[{ body: { deliveryId: updated?.id }, ack: () => undefined, retry: () => undefined }],
			{
				db: testDb(),
				fetch: (async () => new Response(null, { status: 500 })) as typeof fetch,
				now: () => Date.now(),
				allowLoopback: false,
				deadLetters: { send: async () => undefined },
				currentPayload: (delivery) => currentPayload(outbox, delivery),
			},
		);
		const attempted = (await rowsOf(updates)).find((row) => row.id === updated?.id);
		expect(attempted?.attempts).toBe(1);
		expect(JSON.parse(attempted?.payload ?? "{}").data.mergedFrom).toEqual({ slug });
		expect((await resend(updated?.id))?.data.mergedFrom).toEqual({ slug });
	});
});

describe("a claim event whose claim was merged since", () => {
	// By the claim it was recorded about: other files' claim events reach these webhooks too.
	const recordedAbout = async (webhookId: string, type: string, claimId: string) =>
		(
			await env.DB.prepare(
				"SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND event_type = ? AND json_extract(payload, '$.data.claim.id') = ? ORDER BY rowid",
			)
				.bind(webhookId, type, claimId)
				.all<{ id: string }>()
		).results;
	const secondSource = () => ({
		source: {
			url: `https://news.example/${newId()}`,
			title: "Second",
			publisher: null,
			author: null,
			language: null,
			publishedAt: null,
			archivedUrl: null,
		},
		quote: null,
		anchor: null,
	});

	it("is about the claim kept, naming the merged one, to a webhook not given the claim.merged, by a retry and a replay", {
		timeout: 90_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		// Its receiver down: what it was given before the merge is still pending then.
		const partner = await hook(["verdict.published", "claim.updated", "appearance.added"]);
		const told = await hook(["claim.updated", "claim.merged"]);
		const duplicate = await makeClaim();
		const kept = await makeClaim();
		const ctx = ctxFanningOut();
		const added = await addAppearance(ctx, duplicate.id, secondSource());
		await fanOutNow({
			type: "claim.updated",
			claimId: duplicate.id,
			fields: ["context"],
			isPublic: true,
			speakerIds: [],
		});
		await ctx.settle();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		await ctx.settle();
		expect(await recordedAbout(partner, "claim.merged", kept.id)).toEqual([]);
		const [updated] = await recordedAbout(partner, "claim.updated", duplicate.id);
		const [appeared] = await recordedAbout(partner, "appearance.added", duplicate.id);
		const mergedFrom = { id: duplicate.id, url: `${BASE}/claims/${duplicate.id}` };
		const shape = (sent: Awaited<ReturnType<typeof resend>>) => ({
			type: sent?.type,
			claim: sent?.data.claim?.id,
			mergedFrom: sent?.data.mergedFrom,
			appearance: sent?.data.appearance?.id,
		});
		expect(shape(await resend(updated?.id))).toEqual({
			type: "claim.updated",
			claim: kept.id,
			mergedFrom,
			appearance: undefined,
		});
		// Its appearance moved to the claim kept (the same id): still sent with it.
		expect(shape(await resend(appeared?.id))).toEqual({
			type: "appearance.added",
			claim: kept.id,
			mergedFrom,
			appearance: added.id,
		});
		// The other webhook was given the merge's claim.merged, which says so: not sent again.
		const [toldRow] = await recordedAbout(told, "claim.updated", duplicate.id);
		expect(await resend(toldRow?.id)).toBeNull();
		// Dead after its schedule and replayed: accepted, and the attempt sends it so.
		const replay = (id: string | undefined) =>
			apiCall("POST", `/api/v1/webhooks/deliveries/${id}/replay`, { token });
		for (const id of [updated?.id, toldRow?.id])
			await env.DB.prepare(
				"UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?",
			)
				.bind(id)
				.run();
		const refused = await replay(toldRow?.id);
		expect(refused.status).toBe(409);
		expect((await json<{ type: string }>(refused)).type).toBe("urn:claimtrack:problem:no-longer-true");
		const accepted = await replay(updated?.id);
		expect(accepted.status, await accepted.clone().text()).toBe(202);
		const attempted = await eventually(
			async () => (await rowsOf(partner)).find((row) => row.id === updated?.id),
			(row) => (row?.attempts ?? 0) >= 1,
		);
		expect(JSON.parse(attempted?.payload ?? "{}").data).toMatchObject({ claim: { id: kept.id }, mergedFrom });
		// The claim kept merged on since: about the claim kept now, still naming the first.
		const last = await makeClaim();
		await mergeClaim(ctx, kept.id, {
			into: last.id,
			version: (await reload(kept.id)).version,
			note: "Same.",
		});
		await ctx.settle();
		for (const id of [updated?.id, appeared?.id])
			expect(shape(await resend(id))).toMatchObject({ claim: last.id, mergedFrom });
	});

	it("is not sent where unreviewed claims are hidden: the claim merged, never reviewed, was never public", {
		timeout: 60_000,
	}, async () => {
		const partner = await hook(["claim.updated"]);
		const duplicate = await makeClaim();
		const kept = await makeClaim();
		await publish(kept.id);
		await fanOutNow({
			type: "claim.updated",
			claimId: duplicate.id,
			fields: ["context"],
			isPublic: true,
			speakerIds: [],
		});
		const ctx = ctxFanningOut();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		const [row] = await recordedAbout(partner, "claim.updated", duplicate.id);
		const delivery = await getDelivery(testDb(), row?.id ?? "");
		if (!delivery) throw new Error("no delivery");
		expect(await currentPayload(testOutbox(true), delivery)).toBeNull();
		expect(JSON.parse((await currentPayload(outbox, delivery)) ?? "{}").data.claim.id).toBe(kept.id);
	});
});

describe("a later delivery never sent", () => {
	/** One attempt of a delivery by the queue's consumer, as the desk Worker's (nothing is sent here). */
	const attempt = async (id: string | undefined) => {
		await deliverWebhooks([{ body: { deliveryId: id }, ack: () => undefined, retry: () => undefined }], {
			db: testDb(),
			fetch: (async () => {
				throw new Error("nothing is sent in this test");
			}) as typeof fetch,
			now: () => Date.now(),
			allowLoopback: false,
			deadLetters: { send: async () => undefined },
			currentPayload: (delivery) => currentPayload(outbox, delivery),
		});
	};
	/** The partner changes its events, through the API at the version read. */
	const subscribeTo = async (webhookId: string, events: string[]) => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const read = await json<{ version: number }>(
			await apiCall("GET", `/api/v1/webhooks/${webhookId}`, { token }),
		);
		const patched = await apiCall("PATCH", `/api/v1/webhooks/${webhookId}`, {
			token,
			body: { version: read.version, events },
		});
		expect(patched.status, await patched.clone().text()).toBe(200);
		return token;
	};
	const stateOf = async (id: string | undefined) => {
		const row = await getDelivery(testDb(), id ?? "");
		return { state: row?.state, unsubscribed: JSON.parse(row?.payload ?? "{}").unsubscribed };
	};

	it("is not the speaker.merged that says where the speaker went: the speaker.updated goes about the survivor, naming it", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["speaker.updated", "speaker.merged"]);
		const tag = newId();
		const merged = await makeClaim({ speaker: { name: `Ann Merged ${tag}` } });
		const survivor = await makeClaim({ speaker: { name: `Ann Survivor ${tag}` } });
		const slug = merged.speaker?.slug ?? "";
		await fanOutNow({ type: "speaker.updated", speakerId: merged.speaker?.id ?? "", claimIds: [] });
		const ctx = ctxFanningOut();
		await mergeSpeaker(ctx, slug, survivor.speaker?.slug ?? "");
		await ctx.settle();
		const told = (await idsOf(webhookId, "speaker.merged")).at(-1);
		// The partner drops speaker.merged while its receiver is down: the merge's event dies unsent.
		const token = await subscribeTo(webhookId, ["speaker.updated"]);
		await attempt(told?.id);
		expect(await stateOf(told?.id)).toEqual({ state: "dead", unsubscribed: true });
		const row = (await rowsOf(webhookId)).find(
			(r) => r.id !== told?.id && JSON.parse(r.payload).data?.speaker?.slug === slug,
		);
		expect(row?.id).toBeDefined();
		const expected = {
			type: "speaker.updated",
			speaker: survivor.speaker?.slug,
			mergedFrom: { slug, name: `Ann Merged ${tag}` },
		};
		const shape = (sent: Awaited<ReturnType<typeof resend>>) => ({
			type: sent?.type,
			speaker: sent?.data.speaker?.slug,
			mergedFrom: sent?.data.mergedFrom,
		});
		expect(shape(await resend(row?.id))).toEqual(expected);
		// Subscribed again: the merge's event is still one it was never sent.
		await subscribeTo(webhookId, ["speaker.updated", "speaker.merged"]);
		expect(shape(await resend(row?.id))).toEqual(expected);
		// Dead after its schedule, a replay is accepted, not refused as told already.
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(row?.id)
			.run();
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${row?.id}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
	});

	it("is not the verdict.retracted: the verdict.published goes with the verdict retracted", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["verdict.published", "verdict.retracted"]);
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		await fanOutNow({
			type: "verdict.published",
			claimId: claim.id,
			verdictId: verdict.id,
			correction: false,
			speakerIds: [],
		});
		await retract(verdict.id, verdict.version);
		await fanOutNow({ type: "verdict.retracted", claimId: claim.id, verdictId: verdict.id, speakerIds: [] });
		const [published] = await idsOf(webhookId, "verdict.published");
		const [retracted] = await idsOf(webhookId, "verdict.retracted");
		await subscribeTo(webhookId, ["verdict.published"]);
		await attempt(retracted?.id);
		expect(await stateOf(retracted?.id)).toEqual({ state: "dead", unsubscribed: true });
		const sent = await resend(published?.id);
		expect([sent?.type, sent?.data.verdict?.id, sent?.data.verdict?.state]).toEqual([
			"verdict.published",
			verdict.id,
			"retracted",
		]);
	});

	it("is not the claim.merged: the claim.updated goes about the claim kept, naming the merged one", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["claim.updated", "claim.merged"]);
		const duplicate = await makeClaim();
		const kept = await makeClaim();
		await fanOutNow({
			type: "claim.updated",
			claimId: duplicate.id,
			fields: ["context"],
			isPublic: true,
			speakerIds: [],
		});
		const ctx = ctxFanningOut();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		await ctx.settle();
		const updated = (await rowsOf(webhookId)).find(
			(r) => JSON.parse(r.payload).data?.claim?.id === duplicate.id,
		);
		const merged = (await rowsOf(webhookId)).find(
			(r) => JSON.parse(r.payload).data?.mergedFrom?.id === duplicate.id,
		);
		await subscribeTo(webhookId, ["claim.updated"]);
		await attempt(merged?.id);
		expect(await stateOf(merged?.id)).toEqual({ state: "dead", unsubscribed: true });
		const sent = await resend(updated?.id);
		expect({ type: sent?.type, claim: sent?.data.claim?.id, mergedFrom: sent?.data.mergedFrom?.id }).toEqual({
			type: "claim.updated",
			claim: kept.id,
			mergedFrom: duplicate.id,
		});
	});

	it("is not a claim.merged left failed as its webhook was disabled: a replay of the claim.updated goes about the claim kept", {
		timeout: 60_000,
	}, async () => {
		const webhookId = await hook(["claim.updated", "claim.merged"]);
		const duplicate = await makeClaim();
		const kept = await makeClaim();
		await fanOutNow({
			type: "claim.updated",
			claimId: duplicate.id,
			fields: ["context"],
			isPublic: true,
			speakerIds: [],
		});
		const ctx = ctxFanningOut();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		await ctx.settle();
		const updated = (await rowsOf(webhookId)).find(
			(r) => JSON.parse(r.payload).data?.claim?.id === duplicate.id,
		);
		const merged = (await rowsOf(webhookId)).find(
			(r) => JSON.parse(r.payload).data?.mergedFrom?.id === duplicate.id,
		);
		// Disabled while both wait for its receiver (failed, never received), then enabled again.
		const token = await subscribeTo(webhookId, ["claim.updated", "claim.merged"]);
		const toggle = async (enabled: boolean) => {
			const read = await json<{ version: number }>(
				await apiCall("GET", `/api/v1/webhooks/${webhookId}`, { token }),
			);
			const patched = await apiCall("PATCH", `/api/v1/webhooks/${webhookId}`, {
				token,
				body: { version: read.version, enabled },
			});
			expect(patched.status, await patched.clone().text()).toBe(200);
		};
		await toggle(false);
		await toggle(true);
		expect([(await stateOf(updated?.id)).state, (await stateOf(merged?.id)).state]).toEqual([
			"failed",
			"failed",
		]);
		const sent = await resend(updated?.id);
		expect({ type: sent?.type, claim: sent?.data.claim?.id, mergedFrom: sent?.data.mergedFrom?.id }).toEqual({
			type: "claim.updated",
			claim: kept.id,
			mergedFrom: duplicate.id,
		});
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${updated?.id}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(202);
	});
});

describe("the OpenAPI description of webhook payloads", () => {
	it("names renamedFrom among the speaker events' data, and says each attempt reads the event again", async () => {
		const doc = await json<{ paths: Record<string, { post?: { description?: string } }> }>(
			await apiCall("GET", "/api/v1/openapi.json"),
		);
		const description = doc.paths["/api/v1/webhooks"]?.post?.description ?? "";
		expect(description).toContain("speaker events `data: {speaker, claims, mergedFrom?, renamedFrom?}`");
		expect(description).toContain(
			"Each attempt (a retry, a replay) reads its event's claim or speaker again",
		);
	});
});

describe("a replay of a delivery whose event no longer holds", () => {
	it("is refused (409 no-longer-true), not accepted to die unseen", { timeout: 60_000 }, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage"])).token;
		const webhookId = await hook(["verdict.published", "verdict.retracted"]);
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		await fanOutNow({
			type: "verdict.published",
			claimId: claim.id,
			verdictId: verdict.id,
			correction: false,
			speakerIds: [],
		});
		const [published] = await idsOf(webhookId, "verdict.published");
		await retract(verdict.id, verdict.version);
		await fanOutNow({ type: "verdict.retracted", claimId: claim.id, verdictId: verdict.id, speakerIds: [] });
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'dead', next_attempt_at = NULL WHERE id = ?")
			.bind(published?.id)
			.run();
		const replay = await apiCall("POST", `/api/v1/webhooks/deliveries/${published?.id}/replay`, { token });
		expect(replay.status, await replay.clone().text()).toBe(409);
		const problem = await json<{ type: string; detail: string }>(replay);
		expect(problem.type).toBe("urn:claimtrack:problem:no-longer-true");
		expect((await getDelivery(testDb(), published?.id ?? ""))?.state).toBe("dead");
		// What the 409 says is what the API's delivery log shows: its state dead.
		const log = await json<{ data: { id: string; state: string }[] }>(
			await apiCall("GET", `/api/v1/webhooks/${webhookId}/deliveries`, { token }),
		);
		expect({
			detail: problem.detail.endsWith("it is not sent, and its state is now dead."),
			state: log.data.find((d) => d.id === published?.id)?.state,
		}).toEqual({ detail: true, state: "dead" });
	});
});
