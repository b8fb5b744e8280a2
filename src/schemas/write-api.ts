import * as z from "zod";
import { RATED_FIELDS } from "../domain/rated-fields";
import { RATING_KEYS } from "../domain/ratings";
import { REVIEW_STATES } from "../domain/review-state";
import { NO_DOCS } from "../lib/docs";
import { httpUrl, id, optionalLongText, requiredText, topicName, versionRead } from "./common";
import { problemWith } from "./problem";
import { retractionNote, verdictInput } from "./records";

/** Bodies and answers of the write API that the desk forms do not share. */

const version = versionRead;
/**
 * Said by every version a body names under its own description: a `describe` replaces the
 * shared one (versionRead's), and a client that sent `If-Match` read no word of it (s34 r342).
 */
const IN_BODY = NO_DOCS ? "" : "Sent in the body: `If-Match` is not read.";
/**
 * The claim's words a client read, by the newest of the claim's change rows it saw
 * (store/draft-words): what a draft's answer and a 409 `claim-words-changed` say (`claimChange`),
 * sent on a save or a new draft as `wordsRead`. Another name than the answer's on purpose: a
 * client sending a draft's answer back whole (an autosave, a sync) names no words read, since no
 * person was shown them (s35 r351); the answer's `claimChange` is read-only there, ignored.
 */
const wordsRead = z.number().int().min(0, "A change number is 0 or more.");
export const verdictUpdateInput = verdictInput.extend({
	version,
	wordsRead: wordsRead
		.optional()
		.describe(
			"The claim's words you read and checked the verdict against: the `claimChange` of the draft's answer (`GET`) or of a 409 `claim-words-changed`, copied here on purpose. Sent, the draft is saved on them: it rates the claim's words as they are, and is no longer marked as saved on older ones (`claimChangesSinceSaved` empty). Words changed after the ones named (its text, speaker or date of the statement; an edit of its text or date undone is none, any change of its speaker counts) are a 409 `claim-words-changed` listing them (`changes`), with the words now (`claimChange`), and nothing is saved. Left out, the save names no words read (an autosave, a sync, the draft's answer sent back whole, whose `claimChange` is read-only and ignored): the draft keeps the words it was last saved on, so a draft whose claim was reworded since stays marked and is not published until a save names them.",
		),
});
/** A new draft through the API; the desk's form carries its own `claimChange` (routes/desk/verdicts). */
export const verdictCreateInput = verdictInput.extend({
	wordsRead: wordsRead
		.optional()
		.describe(
			"The claim's words you read and checked the verdict against: the `claimChange` of a draft's answer or of a 409 `claim-words-changed` of this claim (0: the claim as it was recorded). Words changed after them (its text, speaker or date of the statement; an edit of its text or date undone is none, any change of its speaker counts) are a 409 `claim-words-changed` listing them (`changes`), with the words now (`claimChange`), and nothing is drafted. Left out, the draft is written on the claim's words as they are when it lands.",
		),
});
export const publishInput = z.object({
	version,
	correctionNote: optionalLongText.describe(
		"Required when the claim already has a published verdict. A note says a verdict is in force: with none in force (retracted meanwhile, or never published) it is a 409 `current-verdict-changed` and nothing is published, with or without `supersedes`; read the claim again and publish without a note.",
	),
	supersedes: id
		.nullable()
		.optional()
		.describe(
			"The claim's published verdict as last read, null when it had none. Another one in force now (one published or retracted meanwhile) is a 409 `current-verdict-changed` and nothing is published. Without it, whatever is in force is corrected; with none in force, a `correctionNote` is refused (409 `current-verdict-changed`) and a publication without one is a new verdict.",
		),
	claimVersion: version
		.optional()
		.describe(
			"The claim's `version` as last read (the claim JSON's, or the draft's claim as shown). A claim changed since (its words, speaker, date, language, context, topics or appearances) is a 409 `claim-changed` with the claim's `claimVersion` now, and nothing is published: read the claim again. Without it, the verdict is published on the claim as it is when the request arrives. " +
				IN_BODY,
		),
});
/** A submission for review, at the draft's version last read. */
export const submitInput = z.object({ version });
/** A discard names the version last read, as every write does: a draft saved since is kept. */
export const discardInput = z.object({ version });
/** "Archive again" on a verdict's evidence: the address, as the verdict cites it. */
export const evidenceArchiveInput = z.object({
	url: httpUrl.describe(
		"An evidence link (`history[].evidence[].url`) of a published, superseded or retracted verdict of the claim.",
	),
});
/** An appearance's removal, at the claim's version last read. */
export const appearanceRemovalInput = z.object({
	version,
	note: optionalLongText.describe(
		"Why the appearance is removed. Required when the claim has a published, superseded or retracted verdict: it is then shown publicly, like a correction.",
	),
});
/** A duplicate merged into the claim kept, at the versions last read. */
export const claimMergeInput = z.object({
	into: id.describe("The claim kept: the duplicate's appearances, topics, notes and attachments move to it."),
	version: version.describe(`The duplicate's version, as last read. ${IN_BODY}`),
	intoVersion: version
		.optional()
		.describe(
			`The kept claim's version, as last read: a change since is a 409. Without it, the version read when merging. ${IN_BODY}`,
		),
	note: requiredText({ max: 5_000, empty: "Say why these are the same claim.", multiline: true }).describe(
		"Why the claims are the same (internal: the audit log and the kept claim's timeline).",
	),
});
/** A claim recorded by mistake, removed at its version last read. */
export const claimRemovalInput = z.object({
	version,
	reason: requiredText({ max: 5_000, empty: "Say why the claim is removed.", multiline: true }).describe(
		"Why the claim is removed (internal: kept in the audit log, never public).",
	),
});
export const retractInput = z.object({
	version,
	note: retractionNote,
});

/** A verdict in any state, drafts included, as the write API shows it for editing. */
/** A change of the claim's words a draft rates (store/draft-words `WordsChange`). */
const wordsChangeJson = z.object({
	field: z.enum(RATED_FIELDS),
	from: z.string().nullable(),
	to: z.string().nullable(),
	at: z.string(),
	changedBy: z.string().nullable().describe("Who changed it (a user id, as `reviewerId`)."),
});

export const editableVerdictJson = z.object({
	id: z.string(),
	claimId: z.string(),
	state: z.enum(["draft", "published", "superseded", "retracted"]),
	rating: z.enum(RATING_KEYS),
	headline: z.string(),
	summary: z.string().nullable(),
	body: z.string().nullable(),
	evidence: z.array(z.object({ url: z.string(), title: z.string() })),
	language: z.string(),
	version: z.number().int(),
	reviewerId: z.string().nullable().describe("Who drafted it (the first writer)."),
	writerId: z
		.string()
		.nullable()
		.describe(
			"Who writes the draft now: whoever holds its claim; on a claim held by nobody, its last writer (the one who held the claim when it went back to nobody, else its drafter). Only they among checkers save, submit and discard it. Null for a verdict that is not a draft.",
		),
	editorId: z.string().nullable(),
	supersedesId: z.string().nullable(),
	correctionNote: z.string().nullable(),
	retractionNote: z.string().nullable(),
	publishedAt: z.string().nullable(),
	retractedAt: z.string().nullable(),
	changesRequestedAt: z
		.string()
		.nullable()
		.describe(
			"When an editor returned the draft with a note; cleared when the draft is submitted for review again (a save keeps it).",
		),
	submittedAt: z
		.string()
		.nullable()
		.describe(
			"When the draft was submitted for review (`POST /api/v1/verdicts/{id}/submit`): the editors' review queue waits from then. Null while it is being written and after an editor returned it; a save keeps it.",
		),
	reviewState: z
		.enum(REVIEW_STATES)
		.nullable()
		.describe(
			"A draft's place in the review loop: `writing` (not submitted), `submitted` (in the editors' review queue) or `changes-requested` (returned, to be submitted again). Null for a verdict that is not a draft.",
		),
	claimChangesSinceSaved: z
		.array(wordsChangeJson)
		.nullable()
		.describe(
			"Changes of the claim's words (its text, speaker or date of the statement: what the verdict rates) made after the draft was last saved (its text or date edited and edited back is none; any change of its speaker counts), oldest first: the draft was written for the words before them. While there are any, the draft is not published (409 `claim-words-changed`): save it again (`PUT` with this answer's `claimChange` as `wordsRead`) once its verdict fits the claim as it reads now; a save without `wordsRead` (this answer sent back whole included) leaves them listed. Empty when it rates the claim's words as they are; null for a verdict that is not a draft. On a claim without a speaker (its `speaker` null), a `speaker` change names whom it is credited to, its first source's publisher (ClaimReview's `author`, the feed's titles), from before to now: a merge, an appearance removed or its first appearance given moved that credit; it is no speaker of its own.",
		),
	claimChange: z
		.number()
		.int()
		.nullable()
		.describe(
			"The claim's words this answer was read on: the newest of the claim's changes then (0: none), which `claimChangesSinceSaved` lists up to. Read-only: once the verdict has been checked against them, send it with a save (`PUT`) as `wordsRead` to save the draft on them; sent back as `claimChange` it is ignored. Null for a verdict that is not a draft.",
		),
	createdAt: z.string(),
	updatedAt: z.string(),
	claim: z.string().describe("The claim in the public API."),
});

/** The 409 of a draft's save, a new draft or a publication over words changed (store/draft-words `claimWordsChanged`). */
export const claimWordsChangedProblem = problemWith({
	type: z.literal("urn:claimtrack:problem:claim-words-changed"),
	status: z.literal(409),
	detail: z.string(),
	changes: z
		.array(wordsChangeJson)
		.describe("The changes of the claim's words, oldest first, as the draft's `claimChangesSinceSaved`."),
	claimChange: z
		.number()
		.int()
		.describe(
			"The claim's words now, with these changes: send it as `wordsRead` once the verdict fits them (a save, a new draft).",
		),
});

export const appearanceJson = z.object({
	id: z.string(),
	claimId: z.string(),
	sourceId: z.string(),
	quote: z.string().nullable(),
	anchor: z.string().nullable(),
	firstAppearance: z.boolean(),
	createdAt: z.string(),
	claim: z.string(),
});

/** The 409 a second draft of a claim gets: the open draft, to edit or discard instead. */
export const draftExistsProblem = problemWith({
	type: z.literal("urn:claimtrack:problem:draft-exists"),
	status: z.literal(409),
	detail: z.string(),
	draftId: z.string().describe("The claim's open draft."),
	claimId: z.string(),
	draft: z.string().describe("The open draft in this API (GET, PUT, DELETE)."),
	desk: z.string().describe("The open draft in the desk."),
});

/** The 403 a checker's draft on a claim another checker holds gets: whose claim it is. */
export const claimOfAnotherCheckerProblem = problemWith({
	type: z.literal("urn:claimtrack:problem:claim-of-another-checker"),
	status: z.literal(403),
	detail: z.string(),
	assignee: z
		.object({ name: z.string(), email: z.string() })
		.nullable()
		.describe("Whom the claim is assigned to: the checker who drafts its verdict."),
});

/**
 * What a write naming a claim that left the tracker answers (store/retired-claims
 * `missingClaim`), as its GET and DELETE tell: `doc.responses` of each such route, its own
 * 409s said first (`also`).
 */
export function claimGoneResponses(also?: { description: string; schema?: z.ZodType }) {
	const merged = NO_DOCS
		? ""
		: "merged into another claim (`claim-merged`): `mergedInto` and `claim` name the claim kept, where this belongs now";
	return {
		409: {
			...also,
			description: also ? `${also.description}; or the claim was ${merged}` : `The claim was ${merged}`,
		},
		410: {
			description: NO_DOCS ? "" : "The claim was removed from the tracker (`claim-removed`), saying when",
			members: { removedAt: NO_DOCS ? "" : "When the claim was removed." },
		},
	};
}

/** The 409 a quote recorded already gets: the claim to add an appearance to instead. */
export const duplicateClaimProblem = problemWith({
	type: z.literal("urn:claimtrack:problem:duplicate-claim"),
	status: z.literal(409),
	claimId: z.string().describe("The claim recorded already."),
	claim: z.string().describe("That claim in this API."),
	addAppearance: z.string().describe("Where to add the new source to it (POST)."),
	sameSource: z.boolean().describe("True when it was recorded from the same source: nothing to add."),
});

/** Assign a claim (editors), or take an unassigned one (checkers, their own email only). */
export const assigneeInput = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254, "Use at most 254 characters.")
		.nullable()
		.describe("A desk member's email, or null to unassign."),
	was: z
		.string()
		.trim()
		.toLowerCase()
		.max(254, "Use at most 254 characters.")
		.nullable()
		.optional()
		.describe(
			"An editor's: the assignee's email as last read (`assignee.email` of this route's answer), null when the claim was assigned to nobody. When the claim is held by someone else now (taken or handed on meanwhile), the answer is a 409 `assignee-changed` naming who holds it now (`assignee`) and whose draft is open on it (`draftWriter`), and nothing changes. Without it, the claim changes hands whoever holds it.",
		),
});

export const returnInput = z.object({
	version,
	note: requiredText({ max: 5000, empty: "Say what should change.", multiline: true }),
});

export const noteInput = z.object({
	text: requiredText({ max: 5000, empty: "The note is empty.", multiline: true }),
});

export const noteJson = z.object({
	id: z.string(),
	text: z.string(),
	author: z.string().nullable(),
	at: z.string(),
	mergedFrom: z
		.string()
		.nullable()
		.describe("The claim the note was written on, when that claim was merged into this one."),
});

export const returnThreadJson = z.array(
	z.object({ note: z.string(), by: z.string().nullable(), at: z.string() }),
);

export const tagRenameInput = z
	.strictObject({
		nameEn: topicName("The English name is empty.").optional(),
		nameDe: topicName("The German name is empty.").optional(),
		was: z
			.strictObject({
				nameEn: z.string().max(200, "Use at most 200 characters.").optional(),
				nameDe: z.string().max(200, "Use at most 200 characters.").optional(),
			})
			.optional()
			.describe(
				"The names as last read (either or both, exactly as answered): when the topic's name in a language given here is no longer this one, and not already the name sent, the answer is a 409 `topic-renamed` with the `current` names and nothing changes. Without it, the names sent replace whatever the topic is called now.",
			),
	})
	.refine((names) => names.nameEn !== undefined || names.nameDe !== undefined, {
		message: "Give nameEn, nameDe or both.",
	})
	// The refinement, in the document's words: `{}` or only `was` is refused.
	.meta({ anyOf: [{ required: ["nameEn"] }, { required: ["nameDe"] }] });

export const tagJson = z.object({
	slug: z.string(),
	nameEn: z.string(),
	nameDe: z.string(),
	url: z.string(),
});
