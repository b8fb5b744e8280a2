import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addAppearance, recordClaim } from "../../src/commands/claims";
import type { CommandContext } from "../../src/commands/context";
import type { CommandEvent } from "../../src/commands/events";
import { cacheTagsToPurge, publicClaimsChanged } from "../../src/commands/events";
import { requestSettlingPurge, SETTLING_PURGE_SECONDS } from "../../src/commands/snapshots";
import { draftVerdict, publishVerdict, retractVerdict, saveDraft } from "../../src/commands/verdicts";
import { newId } from "../../src/domain/ids";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { SYSTEM } from "../../src/store/batch";
import { testDb } from "../helpers";

/** A context whose effects hook records what each command emitted, after its batch. */
function recording() {
	const events: CommandEvent[] = [];
	const ctx: CommandContext = {
		db: testDb(),
		actor: SYSTEM("test"),
		effects: { emit: (e) => events.push(e) },
	};
	return { ctx, events };
}

const source = () => ({
	url: `https://news.example/${newId()}`,
	title: "Article",
	publisher: "News Example",
	author: null,
	language: "de",
	publishedAt: "2025-07-12",
	archivedUrl: null,
});

describe("commands emit one event per committed write", () => {
	it("record, appear, draft, save, publish, correct, retract", async () => {
		const { ctx, events } = recording();
		const recorded = await recordClaim(ctx, {
			text: `Commands ${newId()} claim`,
			language: "de",
			claimedAt: "2025-07-12",
			context: null,
			speaker: null,
			source: source(),
			quote: null,
			anchor: null,
			externalId: null,
		});
		if (recorded.kind !== "created") throw new Error("expected a new claim");
		const claimId = recorded.claim.id;
		const appearance = await addAppearance(ctx, claimId, { source: source(), quote: null, anchor: null });
		const verdict = {
			rating: "false" as const,
			headline: "Not so",
			summary: null,
			body: null,
			evidence: [{ url: "https://evidence.example/a", title: "A" }],
			language: "de",
		};
		const first = await draftVerdict(ctx, claimId, verdict);
		const saved = await saveDraft(ctx, first.id, first.version, { ...verdict, headline: "Not so at all" });
		const published = await publishVerdict(ctx, first.id, saved.version, null);
		const second = await draftVerdict(ctx, claimId, { ...verdict, rating: "mostly-false" });
		const corrected = await publishVerdict(ctx, second.id, second.version, "A figure was wrong.");
		await retractVerdict(ctx, corrected.id, corrected.version, "Withdrawn.");
		expect(events).toEqual([
			{ type: "claim.created", claimId, speakerIds: [] },
			{ type: "appearance.added", claimId, appearanceId: appearance.id, isPublic: false },
			{ type: "verdict.drafted", claimId, verdictId: first.id, speakerIds: [] },
			{ type: "verdict.saved", claimId, verdictId: first.id },
			{ type: "verdict.published", claimId, verdictId: published.id, correction: false, speakerIds: [] },
			{ type: "verdict.drafted", claimId, verdictId: second.id, speakerIds: [] },
			{ type: "verdict.published", claimId, verdictId: second.id, correction: true, speakerIds: [] },
			{ type: "verdict.retracted", claimId, verdictId: second.id, speakerIds: [] },
		]);
	});

	it("emits nothing when the write is refused", async () => {
		const { ctx, events } = recording();
		await expect(retractVerdict(ctx, "aaaaaaaaaaaaaa", 1, "  ")).rejects.toMatchObject({ status: 422 });
		await expect(publishVerdict(ctx, "aaaaaaaaaaaaaa", 1, null)).rejects.toMatchObject({ status: 404 });
		expect(events).toEqual([]);
	});

	it("a draft save changes nothing public; everything else names its claims", () => {
		expect(publicClaimsChanged({ type: "verdict.saved", claimId: "c", verdictId: "v" })).toEqual([]);
		expect(
			publicClaimsChanged({ type: "verdict.drafted", claimId: "c", verdictId: "v", speakerIds: ["s"] }),
		).toEqual(["c"]);
		expect(
			publicClaimsChanged({
				type: "claims.imported",
				claimIds: ["a", "b"],
				speakerIds: [],
				createdIds: [],
				urls: [],
				verdicts: [],
			}),
		).toEqual(["a", "b"]);
	});
});

describe("a rating's change is purged twice", () => {
	function queueDouble() {
		const sent: { body: unknown; delaySeconds: number }[] = [];
		return {
			sent,
			outbox: {
				db: testDb(),
				now: () => Date.now(),
				queue: {
					sendBatch: async () => undefined,
					send: async (body: { purgeAgain: string[] }, options: { delaySeconds: number }) =>
						void sent.push({ body, ...options }),
				},
			},
		};
	}

	it("queues the publication's, correction's or retraction's tags again, 30 s later; nothing else", async () => {
		const { sent, outbox } = queueDouble();
		const published: CommandEvent = {
			type: "verdict.published",
			claimId: "c",
			verdictId: "v",
			correction: true,
			speakerIds: ["s"],
		};
		await requestSettlingPurge(outbox, published);
		await requestSettlingPurge(outbox, {
			type: "verdict.retracted",
			claimId: "c",
			verdictId: "v",
			speakerIds: [],
		});
		await requestSettlingPurge(outbox, { type: "claim.created", claimId: "c", speakerIds: ["s"] });
		await requestSettlingPurge(outbox, { type: "verdict.saved", claimId: "c", verdictId: "v" });
		// An unpublished claim's edit: no partner holds its answers.
		await requestSettlingPurge(outbox, {
			type: "claim.updated",
			claimId: "c",
			fields: ["text"],
			isPublic: false,
			speakerIds: ["s"],
		});
		expect(sent).toEqual([
			{ body: { purgeAgain: cacheTagsToPurge(published) }, delaySeconds: SETTLING_PURGE_SECONDS },
			{
				body: {
					purgeAgain: cacheTagsToPurge({
						type: "verdict.retracted",
						claimId: "c",
						verdictId: "v",
						speakerIds: [],
					}),
				},
				delaySeconds: SETTLING_PURGE_SECONDS,
			},
		]);
		expect(SETTLING_PURGE_SECONDS).toBe(30);
		expect(JSON.stringify(sent[0]?.body)).toContain("claim-c");
	});

	it("so are a removal, a merge, a public claim's edit and a speaker moved: what they took away must not come back", async () => {
		const { sent, outbox } = queueDouble();
		const events: CommandEvent[] = [
			{ type: "claim.removed", claimId: "r", removedAt: "2026-12-06T00:00:00.000Z", speakerIds: ["s"] },
			{ type: "claim.merged", claimId: "k", mergedFromId: "m", isPublic: false, speakerIds: ["s"] },
			{ type: "claim.updated", claimId: "p", fields: ["appearance"], isPublic: true, speakerIds: ["s"] },
			// An unreviewed claim given the right speaker: the wrong one's page goes (a 404 now).
			{ type: "claim.updated", claimId: "u", fields: ["speaker"], isPublic: false, speakerIds: ["w", "r"] },
		];
		for (const event of events) await requestSettlingPurge(outbox, event);
		expect(sent).toEqual(
			events.map((event) => ({
				body: { purgeAgain: cacheTagsToPurge(event) },
				delaySeconds: SETTLING_PURGE_SECONDS,
			})),
		);
		expect(sent.map(({ body }) => JSON.stringify(body))).toEqual([
			expect.stringContaining("claim-r"),
			expect.stringMatching(/claim-k.*claim-m|claim-m.*claim-k/),
			expect.stringContaining("claim-p"),
			expect.stringMatching(/speaker-w/),
		]);
	});

	it("the archive's consumer purges those tags in its batch's one purge, then acknowledges", async () => {
		const purges: string[][] = [];
		let acked = false;
		await archiveSnapshots(
			[
				{
					body: { purgeAgain: ["claim-x", "feed"] },
					ack: () => {
						acked = true;
					},
					retry: () => undefined,
				},
			],
			{
				db: testDb(),
				bucket: env.ARCHIVE,
				cache: { purge: async (tags) => void purges.push([...tags]) },
				now: () => Date.now(),
				allowLoopback: false,
				archiveOrg: false,
			},
		);
		expect(purges).toEqual([["claim-x", "feed"]]);
		expect(acked).toBe(true);
	});
});
