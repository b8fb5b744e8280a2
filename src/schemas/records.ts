import * as z from "zod";
import { SPEAKER_KINDS } from "../db/schema";
import { RATING_KEYS } from "../domain/ratings";
import { topicSlug } from "../domain/slug";
import {
	httpUrl,
	id,
	languageTag,
	optionalLongText,
	optionalPastDate,
	optionalShortText,
	quoteText,
	requiredText,
	textFragmentAnchor,
	topicName,
	versionRead,
} from "./common";

const sourceInput = z.object({
	url: httpUrl,
	title: optionalShortText,
	publisher: optionalShortText,
	author: optionalShortText.describe(
		'The article\'s author, or several separated by semicolons ("Anna Beispiel; Jonas Muster"): the fact-check\'s ClaimReview names each a Person of their own. Only a semicolon separates people; a comma or "and" is kept in a name ("Müller, Anna", "U.S. Department of Health and Human Services").',
	),
	language: languageTag.nullish().transform((v) => v ?? null),
	publishedAt: optionalPastDate,
	archivedUrl: httpUrl.nullish().transform((v) => v ?? null),
});
export type SourceInput = z.output<typeof sourceInput>;

/*
 * A name is stored as written, layout hints too (a soft hyphen pasted from a news page): a
 * speaker is found by the key its name folds to (speaker_aliases.normalized), where a soft
 * hyphen makes a word break, and the keys stored before cannot be recomputed in SQL. Taken
 * out of new names only, the same name pasted again no longer met its speaker and made a
 * second one (h221).
 */
const speakerName = requiredText({ max: 300, empty: "The name is empty.", keepLayoutHints: true });
const wikidataId = z
	.string()
	.trim()
	.regex(/^Q[1-9]\d{0,11}$/, "A Wikidata id looks like Q12345.");
/** A speaker's other names at most: an edit saves no more, and a merge makes no more (store/speaker-edits). */
export const MAX_SPEAKER_ALIASES = 200;

const speakerAliases = z
	// Merges add up: a speaker named in many scripts and spellings outgrows a few dozen.
	.array(requiredText({ max: 300, empty: "An alias is empty.", keepLayoutHints: true }))
	.max(MAX_SPEAKER_ALIASES, `At most ${MAX_SPEAKER_ALIASES} other names.`);

const speakerInput = z.object({
	name: speakerName,
	kind: z.enum(SPEAKER_KINDS).default("person"),
	description: optionalShortText,
	wikidataId: wikidataId.nullish().transform((v) => v ?? null),
	aliases: speakerAliases.default([]),
});
export type SpeakerInput = z.output<typeof speakerInput>;

/**
 * A topic as the claim's JSON gives it (`{slug, name, url}`): a client sending back what it
 * read names the topic by its slug; the name and url are the answer's, ignored.
 */
const topicAsRead = z
	.object({
		slug: topicName("A topic needs a slug."),
		name: z.string().optional().describe("Ignored: the topic's name as read."),
		url: z.string().optional().describe("Ignored: the topic's address as read."),
	})
	.transform((topic) => topic.slug)
	.describe("A topic as the claim's JSON gives it: its `slug` names it, `name` and `url` are ignored.");

/**
 * Topics as names ("Ukraine war") or slugs ("ukraine-war"), or as read (`topicAsRead`): a
 * slug each, with the name given first.
 */
const tagsInput = z
	.array(z.union([topicName("A topic needs a name."), topicAsRead]))
	.max(20, "At most 20 topics.")
	.transform((names, ctx) => {
		const out: { slug: string; name: string }[] = [];
		for (const name of names) {
			const slug = topicSlug(name);
			if (!slug) {
				ctx.addIssue({ code: "custom", message: `"${name}" has no letters or digits for a topic address.` });
				continue;
			}
			if (!out.some((t) => t.slug === slug)) out.push({ slug, name });
		}
		return out;
	})
	.describe(
		"Topics, by name or slug, or as the claim's JSON gives them (`{slug, name, url}`: the slug counts); a new one is created on first use.",
	);

export const claimInput = z.object({
	text: quoteText,
	language: languageTag,
	claimedAt: optionalPastDate,
	context: optionalLongText,
	/** An existing speaker, a new one, or null when the source itself makes the claim. */
	speaker: z.union([z.object({ id }), speakerInput]).nullable(),
	/** Where the claim appeared first: an existing source or its metadata (matched by canonical URL). */
	source: z.union([z.object({ id }), sourceInput]),
	/** The wording in that source when it differs from `text`. */
	quote: optionalLongText,
	anchor: textFragmentAnchor,
	externalId: z
		.string()
		.trim()
		.min(1, "The external id is empty: leave it out instead.")
		.max(200, "Use at most 200 characters.")
		.nullish()
		.transform((v) => v ?? null),
	tags: tagsInput.optional(),
});
export type ClaimInput = z.output<typeof claimInput>;

const evidenceLink = z.object({
	url: httpUrl,
	title: requiredText({ max: 500, empty: "Give the link a title." }),
});

export const verdictInput = z.object({
	rating: z.enum(RATING_KEYS, { error: "Choose a rating from the scale." }),
	headline: requiredText({ max: 500, empty: "The headline is empty." }),
	summary: optionalLongText,
	body: optionalLongText,
	evidence: z.array(evidenceLink).max(50, "At most 50 evidence links.").default([]),
	// No default of its own: a German default rated English claims "Falsch" in Google's
	// answers. Without it, a new draft takes its claim's language and a saved one keeps its.
	language: languageTag
		.optional()
		.describe(
			"The verdict's language. Without it: the claim's for a new draft, the draft's own when saving one.",
		),
});
export type VerdictInput = z.output<typeof verdictInput>;

/** A further source a claim appears in: an existing source by id, or a new one. */
export const appearanceInput = z.object({
	source: z.union([z.object({ id }), sourceInput]),
	quote: optionalLongText,
	anchor: textFragmentAnchor,
});

/** Why a verdict is retracted: shown publicly beside the withdrawn verdict. */
export const retractionNote = requiredText({
	max: 20_000,
	empty: "Say why the verdict is retracted.",
	multiline: true,
});

/**
 * An edit of a claim at the version last read: only the fields sent change (null clears
 * an optional one). On a reviewed claim the change is public and `note` says why.
 */
export const claimEditInput = z.strictObject({
	version: versionRead,
	text: quoteText.optional(),
	claimedAt: optionalPastDate.optional(),
	language: languageTag.optional(),
	context: optionalLongText.optional(),
	speaker: z
		.union([z.object({ id }), speakerInput])
		.nullable()
		.optional(),
	tags: tagsInput.optional(),
	note: optionalLongText.describe(
		"Required when the claim has a published, superseded or retracted verdict.",
	),
});
export type ClaimEditInput = z.output<typeof claimEditInput>;

/**
 * An edit of a speaker at the version last read (the slug changes only with `dropOldName`): only the fields
 * sent change, null clears the description or the Wikidata id, and `aliases` replaces the
 * other names (a rename adds the old name to them unless `dropOldName`). No defaults: a
 * field left out keeps what is stored (it was reset to "person", no aliases, no description
 * before). The desk's form sends every field.
 */
export const speakerEditInput = z.strictObject({
	version: versionRead,
	name: speakerName.optional(),
	kind: z.enum(SPEAKER_KINDS).optional(),
	description: optionalShortText.optional(),
	wikidataId: wikidataId.nullable().optional().describe("null clears it."),
	aliases: speakerAliases
		.optional()
		.describe(
			"The other names, all of them: the list sent replaces the stored one. A new `name` keeps the old name among them (added to the list sent) unless `dropOldName` is true.",
		),
	dropOldName: z
		.boolean()
		.optional()
		.describe(
			"With a new `name`: true drops the old name instead of keeping it among the other names (the default keeps it, so imports and claims naming it still find the speaker), and gives the speaker the slug of its new name (the old slug answers 301, and the `speaker.updated` webhook names it in `renamedFrom`).",
		),
});
export type SpeakerEdit = Omit<z.output<typeof speakerEditInput>, "version">;

export const speakerMergeInput = z.object({
	into: z
		.string()
		.trim()
		.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Give the slug of the speaker to merge into."),
});
