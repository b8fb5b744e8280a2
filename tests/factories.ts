import { newId } from "../src/domain/ids";
import type { RatingKey } from "../src/domain/ratings";
import { purgeClaimCaches } from "../src/lib/edge-cache";
import type { SpeakerInput } from "../src/schemas/records";
import { SYSTEM } from "../src/store/batch";
import { type ClaimDetail, getClaim, recordClaim } from "../src/store/claims";
import { createDraftVerdict, publishVerdict } from "../src/store/verdicts";
import { testDb } from "./helpers";

export const actor = SYSTEM("test");

/** A new claim with its own speaker and source; every call makes fresh rows. */
export async function makeClaim(
	options: {
		text?: string;
		language?: string;
		claimedAt?: string | null;
		speaker?: Partial<SpeakerInput> | { id: string } | null;
		sourceUrl?: string;
		sourceTitle?: string;
	} = {},
): Promise<ClaimDetail> {
	const db = testDb();
	const speaker =
		options.speaker === null
			? null
			: options.speaker && "id" in options.speaker
				? { id: options.speaker.id }
				: {
						name: `Speaker ${newId()}`,
						kind: "person" as const,
						description: null,
						wikidataId: null,
						aliases: [],
						...options.speaker,
					};
	const result = await recordClaim(db, actor, {
		text: options.text ?? `Statement ${newId()} about the harbour`,
		language: options.language ?? "de",
		claimedAt: options.claimedAt === undefined ? "2025-07-12" : options.claimedAt,
		context: null,
		speaker,
		source: {
			url: options.sourceUrl ?? `https://news.example/${newId()}`,
			title: options.sourceTitle ?? "Article",
			publisher: "News Example",
			author: null,
			language: "de",
			publishedAt: "2025-07-12",
			archivedUrl: null,
		},
		quote: null,
		anchor: null,
		externalId: null,
	});
	if (result.kind !== "created") throw new Error("duplicate claim in a test");
	return result.claim;
}

export async function publish(
	claimId: string,
	rating: RatingKey = "false",
	options: { headline?: string; summary?: string; correctionNote?: string; language?: string } = {},
) {
	const db = testDb();
	const draft = await createDraftVerdict(db, actor, claimId, {
		rating,
		headline: options.headline ?? `Verdict ${newId()}`,
		summary: options.summary ?? "What we found.",
		body: "The long explanation.",
		evidence: [{ url: "https://evidence.example/report", title: "Report" }],
		language: options.language ?? "de",
	});
	const published = await publishVerdict(db, actor, draft.id, draft.version, options.correctionNote ?? null);
	// What the write routes do after every verdict change.
	await purgeClaimCaches(claimId);
	return published;
}

export async function draft(claimId: string, headline = `Draft ${newId()}`) {
	await purgeClaimCaches(claimId);
	return createDraftVerdict(testDb(), actor, claimId, {
		rating: "true",
		headline,
		summary: "secret draft summary",
		body: null,
		evidence: [],
		language: "de",
	});
}

export async function reload(id: string) {
	const claim = await getClaim(testDb(), id);
	if (!claim) throw new Error("gone");
	return claim;
}
