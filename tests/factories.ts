import { env } from "cloudflare:test";
import { editClaim, recordClaim } from "../src/commands/claims";
import type { CommandContext } from "../src/commands/context";
import { runEffects } from "../src/commands/side-effects";
import { draftVerdict, publishVerdict, retractVerdict, submitDraft } from "../src/commands/verdicts";
import { newId } from "../src/domain/ids";
import type { RatingKey } from "../src/domain/ratings";
import { publicCacheFor } from "../src/lib/public-cache";
import { type ClaimEditInput, claimInput, type SpeakerInput } from "../src/schemas/records";
import { SYSTEM } from "../src/store/batch";
import { type ClaimDetail, getClaim } from "../src/store/claims";
import { testDb } from "./helpers";

export const actor = SYSTEM("test");

/**
 * The commands' context for fixtures: the same side effects the Worker runs in the
 * background, awaited here (`settle`) so a test sees their result before it reads.
 */
function fixtureCommand(by: typeof actor = actor) {
	const pending: Promise<unknown>[] = [];
	const ctx: CommandContext = {
		db: testDb(),
		actor: by,
		effects: {
			emit: (event) =>
				pending.push(
					...runEffects(event, { cache: publicCacheFor(undefined, env.DB), webhooks: null, snapshots: null }),
				),
		},
	};
	return { ctx, settle: () => Promise.all(pending) };
}

/** A source known only by its address, as a write's `source` input (every other field null). */
export function bareSource(url: string) {
	return {
		url,
		title: null,
		publisher: null,
		author: null,
		language: null,
		publishedAt: null,
		archivedUrl: null,
	};
}

/** A new claim with its own speaker and source; every call makes fresh rows. */
export async function makeClaim(
	options: {
		text?: string;
		language?: string;
		claimedAt?: string | null;
		speaker?: Partial<SpeakerInput> | { id: string } | null;
		sourceUrl?: string;
		/** null: a source known only by its address (pages show the URL in its place). */
		sourceTitle?: string | null;
		/** Topics, by name (found or made, as the API's `tags`). */
		tags?: string[];
	} = {},
): Promise<ClaimDetail> {
	const { ctx, settle } = fixtureCommand();
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
	const result = await recordClaim(ctx, {
		text: options.text ?? `Statement ${newId()} about the harbour`,
		language: options.language ?? "de",
		claimedAt: options.claimedAt === undefined ? "2025-07-12" : options.claimedAt,
		context: null,
		speaker,
		source: {
			url: options.sourceUrl ?? `https://news.example/${newId()}`,
			title: options.sourceTitle === undefined ? "Article" : options.sourceTitle,
			publisher: "News Example",
			author: null,
			language: "de",
			publishedAt: "2025-07-12",
			archivedUrl: null,
		},
		quote: null,
		anchor: null,
		externalId: null,
		...(options.tags ? { tags: claimInput.shape.tags.parse(options.tags) } : {}),
	});
	if (result.kind !== "created") throw new Error("duplicate claim in a test");
	await settle();
	return result.claim;
}

export async function publish(
	claimId: string,
	rating: RatingKey = "false",
	options: {
		headline?: string;
		summary?: string;
		correctionNote?: string;
		language?: string;
		evidence?: { url: string; title: string }[];
	} = {},
) {
	const { ctx, settle } = fixtureCommand();
	const draft = await draftVerdict(ctx, claimId, {
		rating,
		headline: options.headline ?? `Verdict ${newId()}`,
		summary: options.summary ?? "What we found.",
		body: "The long explanation.",
		evidence: options.evidence ?? [{ url: "https://evidence.example/report", title: "Report" }],
		language: options.language ?? "de",
	});
	const published = await publishVerdict(ctx, draft.id, draft.version, options.correctionNote ?? null);
	await settle();
	return published;
}

/** A draft; `authorId` makes a user its author (a checker may edit only their own drafts). */
export async function draft(claimId: string, headline = `Draft ${newId()}`, authorId?: string) {
	const { ctx, settle } = fixtureCommand(authorId ? { userId: authorId, label: null } : actor);
	const verdict = await draftVerdict(ctx, claimId, {
		rating: "true",
		headline,
		summary: "secret draft summary",
		body: null,
		evidence: [],
		language: "de",
	});
	await settle();
	return verdict;
}

/** Submits a draft for review (at its version), as its writer would: it enters the review queue. */
export async function submit(verdict: { id: string; version: number }) {
	const { ctx, settle } = fixtureCommand();
	const submitted = await submitDraft(ctx, verdict.id, verdict.version);
	await settle();
	return submitted;
}

export async function reload(id: string) {
	const claim = await getClaim(testDb(), id);
	if (!claim) throw new Error("gone");
	return claim;
}

/** Retracts a published verdict (at its current version) with a public note. */
export async function retract(
	verdictId: string,
	version: number,
	note = "Withdrawn: the source was forged.",
) {
	const { ctx, settle } = fixtureCommand();
	const verdict = await retractVerdict(ctx, verdictId, version, note);
	await settle();
	return verdict;
}

/** Edits a claim through its command (at the version given in `input`). */
export async function edit(claimId: string, input: ClaimEditInput) {
	const { ctx, settle } = fixtureCommand();
	const result = await editClaim(ctx, claimId, input);
	await settle();
	return result;
}
