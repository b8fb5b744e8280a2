import { describe, expect, it } from "vitest";
import { addAppearance, recordClaim } from "../../src/commands/claims";
import type { CommandContext } from "../../src/commands/context";
import type { CommandEvent } from "../../src/commands/events";
import { publicClaimsChanged } from "../../src/commands/events";
import { draftVerdict, publishVerdict, retractVerdict, saveDraft } from "../../src/commands/verdicts";
import { newId } from "../../src/domain/ids";
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
			{ type: "appearance.added", claimId, appearanceId: appearance.id },
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
