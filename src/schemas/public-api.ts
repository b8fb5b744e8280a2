import * as z from "zod";
import { CLAIM_EDIT_FIELDS } from "../db/schema";
import { domainOfHost } from "../domain/canonical-url";
import { CLAIM_STATUSES, RATING_KEYS } from "../domain/ratings";
import { SEARCH_RULES } from "../domain/search-query";
import { streamSafe } from "../domain/stream-safe";
import { NO_DOCS } from "../lib/docs";
import { id, languageTag, queryNumber } from "./common";

/* ---------- query parameters ---------- */

const dateParam = z
	.string()
	// abort: a text that is no date is one problem, never also "does not exist".
	.regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Use a date like 2025-07-12.", abort: true })
	// Date.parse rolls an impossible day over (2025-02-30 is March 2): the date must read back as sent.
	.refine((v) => {
		const time = Date.parse(`${v}T00:00:00Z`);
		return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === v;
	}, "This date does not exist.");

/* A slug in a URL: up to SLUG_MAX_LENGTH (80) and a namesake's suffix ("-2" … "-10000"). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,89}$/;

/**
 * `domain`, a source's host, on every list that filters by it: read as a person writes a
 * host (any case, an IDN in Unicode or punycode, with or without `www.`, a trailing dot) and
 * made the `domain` sources store (canonical-url `domainOfHost`, the rules sources are
 * stored by), so every `domain` the API shows is found by itself. Anything else is a 422
 * naming the parameter, not a list that is empty because the text can match nothing.
 */
export const domainParam = z
	.string()
	.max(253, "Use at most 253 characters.")
	.transform((text, context) => {
		const domain = domainOfHost(text);
		if (domain) return domain;
		context.addIssue({ code: "custom", message: "Use a host name such as example.org." });
		return z.NEVER;
	})
	.optional()
	.describe(
		NO_DOCS
			? ""
			: "A source's host, as written: with or without www., in any case, an internationalised name in Unicode or punycode (bücher.example or xn--bcher-kva.example); every `domain` a source shows is found by itself.",
	);

/**
 * What `?lang=` changes on a read: one rule for the answer and its problems (lib/error-handler
 * `problemIn`), said once for every route that takes it.
 */
const LANG_DOC =
	"Language of the answer's rating labels (default en), and of a problem's `title`, `detail` and field messages where the site has the words (a 404, a removed claim's 410, a 422 of the search or of a parameter); `type`, `status`, field paths and `removedAt` stay the same in every language.";

export const claimListQuery = z
	.object({
		status: z
			.enum(CLAIM_STATUSES)
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "Current status: a rating key, unverified, in-review or retracted (a withdrawn verdict).",
			),
		rating: z
			.enum(RATING_KEYS)
			.optional()
			.describe(NO_DOCS ? "" : "Rating of the current published verdict."),
		speaker: z.string().regex(SLUG_PATTERN, "Use a speaker slug such as sergei-lawrow.").optional(),
		source: id.optional().describe(NO_DOCS ? "" : "Id of a source the claim appears in."),
		tag: z
			.string()
			.regex(SLUG_PATTERN, "Use a topic slug such as ukraine-war.")
			.optional()
			.describe(NO_DOCS ? "" : "A topic's slug."),
		assignee: z
			.string()
			.max(254, "Use at most 254 characters.")
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "`me` or a desk member's email: claims assigned to them. Needs an API token with `claims:write` or `verdicts:write` (401 without a token, 403 with only other scopes); never cached.",
			),
		// Claims one of whose sources is on the host.
		domain: domainParam,
		language: languageTag
			.optional()
			.describe(NO_DOCS ? "" : "Language of the claim (BCP 47); de also matches de-AT."),
		since: dateParam.optional().describe(NO_DOCS ? "" : "Claims made on or after this date."),
		until: dateParam.optional().describe(NO_DOCS ? "" : "Claims made on or before this date."),
		reviewedSince: dateParam
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "Claims last reviewed (a verdict published, corrected or retracted) on or after this date, a UTC day, as `reviewedAt` is a UTC timestamp (not the newsroom's day the claim page shows: a verdict published at 00:50 in Berlin on 20 November is reviewed on 19 November here).",
			),
		reviewedUntil: dateParam
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "Claims last reviewed (a verdict published, corrected or retracted) on or before this date, a UTC day, as `reviewedAt` is a UTC timestamp (not the newsroom's day the claim page shows).",
			),
		q: z.string().max(200, "Search for at most 200 characters.").optional().describe(SEARCH_RULES),
		sort: z
			.enum(["recent", "claimed", "reviewed", "relevance"])
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "recent (default), claimed (claim date; claims without one are left out), reviewed (date of the last publication or retraction; claims never reviewed are left out), relevance (with q; default then). Relevance ranks the newest 200 matches of q (reviewed ones only where unreviewed claims are hidden) by bm25 (text 10, speaker 4, sources 2, stems of text and verdict 1); for older matches use sort=recent or narrow q. Walking the pages: recent, claimed and reviewed are keyset pages (`next` holds the last claim's sort key). recent is the order claims were recorded in, which never changes, so a walk meets every claim that existed when it began exactly once (claims recorded meanwhile come before its first page): syncs walk sort=recent. Under claimed and reviewed a claim moves when its claim date is edited or it is reviewed again (a correction, a retraction): changed while a client walks, it can be missed (or, under claimed, met twice); to catch such changes query again with reviewedSince set to the UTC day of the last sync (skipping the ids already known). Relevance pages (with q) go by offset: a match recorded between two pages shifts the ones after it, so a claim can repeat on the next page (or one be passed over).",
			),
		limit: queryNumber(z.number().int().min(1).max(100, "At most 100 per page.").default(20)),
		cursor: z
			.string()
			.max(200, "Use at most 200 characters.")
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "The `next` cursor of the previous page, with the same `sort`. A cursor names its list and order: another's (or one cut short) is a 400; start again from the first page.",
			),
		lang: z
			.enum(["en", "de"])
			.optional()
			.describe(NO_DOCS ? "" : LANG_DOC),
	})
	.strict();

/**
 * `?lang=` of a single answer whose labels (ratings, statuses) come in English or German.
 * Strict as the lists are: `?foo=1` on a claim was a 200 (and, as every other spelling of
 * the address, one more copy in front of the Worker). Embeds (badges, cards, oEmbed) keep
 * their own lenient queries: a page that embeds one may add what it likes.
 */
export const langQuery = z
	.object({
		lang: z
			.enum(["en", "de"])
			.optional()
			.describe(NO_DOCS ? "" : LANG_DOC),
	})
	.strict();

export const pageQuery = z
	.object({
		limit: queryNumber(z.number().int().min(1).max(100, "At most 100 per page.").default(20)),
		cursor: z
			.string()
			.max(200, "Use at most 200 characters.")
			.optional()
			.describe(
				NO_DOCS
					? ""
					: "The `next` cursor of the previous page of this list: another list's (or one cut short) is a 400; start again from the first page.",
			),
		lang: z
			.enum(["en", "de"])
			.optional()
			.describe(NO_DOCS ? "" : LANG_DOC),
	})
	.strict();

/* ---------- answers ---------- */

export const ratingJson = z.object({
	key: z.enum(RATING_KEYS),
	label: z.string(),
	labels: z.object({ en: z.string(), de: z.string() }),
	colour: z.string(),
	value: z
		.number()
		.int()
		.nullable()
		.describe(NO_DOCS ? "" : "ClaimReview ratingValue (1 worst .. 5 best), null when none."),
});

const speakerRef = z.object({
	slug: z.string(),
	name: z.string(),
	kind: z.enum(["person", "organization"]),
	url: z.string(),
});

/** A source's author text, as stored: several people separated by semicolons. */
const sourceAuthor = z
	.string()
	.nullable()
	.describe(
		NO_DOCS
			? ""
			: 'The article\'s author, or several separated by semicolons ("Anna Beispiel; Jonas Muster"), each a Person of their own in the ClaimReview markup; a comma or "and" is part of a name.',
	);

const sourceRef = z.object({
	id: z.string(),
	url: z.string(),
	domain: z.string(),
	title: z.string().nullable(),
	publisher: z.string().nullable(),
});

export const snapshotJson = z
	.object({
		url: z
			.string()
			.describe(NO_DOCS ? "" : "Our archived copy: the page's main text, with links to the raw bytes."),
		sha256: z.string().describe(NO_DOCS ? "" : "SHA-256 (hex) of the bytes exactly as fetched."),
		fetchedAt: z.string(),
		status: z
			.number()
			.int()
			.describe(NO_DOCS ? "" : "The HTTP status the page answered with."),
	})
	.nullable()
	.describe(
		NO_DOCS
			? ""
			: "The archived copy of this address from when it was cited (this appearance's recording, this version's publication; else the nearest copy), or null while none exists.",
	);

const evidenceJson = z.object({ url: z.string(), title: z.string(), snapshot: snapshotJson });

/**
 * Who checked a verdict. The review URL decides, as Google's Fact Check Tools do: a
 * fact-check imported from another publisher (its review on another host) is theirs.
 */
const publisherFields = {
	publisher: z
		.object({
			name: z.string(),
			url: z
				.string()
				.describe(
					NO_DOCS ? "" : "The publisher's site: our organisation's, or the original review's origin.",
				),
		})
		.describe(
			NO_DOCS
				? ""
				: "Who checked it: our organisation for the desk's verdicts; for a fact-check imported from another publisher (its review URL on another host), that publisher, named as its markup named it (else by its host).",
		),
	reviewUrl: z
		.string()
		.nullable()
		.describe(
			NO_DOCS ? "" : "The original review of a fact-check imported from another publisher; null for our own.",
		),
};

export const verdictJson = z.object({
	id: z.string(),
	version: z
		.number()
		.int()
		.describe(NO_DOCS ? "" : "1 for the first published verdict, counting up in publication order."),
	url: z.string().describe(NO_DOCS ? "" : "The public page of this version, with its full text."),
	state: z.enum(["published", "superseded", "retracted"]),
	rating: ratingJson,
	headline: z.string(),
	summary: z.string().nullable(),
	body: z.string().nullable(),
	evidence: z.array(evidenceJson),
	language: z.string(),
	publishedAt: z.string(),
	correctionNote: z
		.string()
		.nullable()
		.describe(
			NO_DOCS
				? ""
				: "Why this verdict corrects the one it supersedes. An import's note (what it changed) is in the answer's language, with the ratings' labels.",
		),
	retractionNote: z
		.string()
		.nullable()
		.describe(NO_DOCS ? "" : "Why this verdict was retracted."),
	supersedes: z.string().nullable(),
	retractedAt: z.string().nullable(),
	checkedBy: z
		.string()
		.nullable()
		.describe(
			NO_DOCS ? "" : "The fact-checker who drafted it; for another publisher's fact-check, that publisher.",
		),
	publishedBy: z
		.string()
		.nullable()
		.describe(NO_DOCS ? "" : "The editor who published it; null for another publisher's fact-check."),
	...publisherFields,
});

export const claimSummaryJson = z.object({
	id: z.string(),
	url: z.string().describe(NO_DOCS ? "" : "Public claim page."),
	text: z.string(),
	language: z.string(),
	claimedAt: z.string().nullable(),
	status: z.enum(CLAIM_STATUSES),
	statusLabel: z.string(),
	speaker: speakerRef.nullable(),
	firstSource: sourceRef.nullable(),
	verdict: z
		.object({
			id: z.string(),
			rating: ratingJson,
			headline: z.string(),
			summary: z.string().nullable(),
			publishedAt: z.string().nullable(),
			...publisherFields,
		})
		.nullable(),
	reviewedAt: z.string().nullable(),
	badge: z.string(),
});

export const appearanceJson = z.object({
	id: z
		.string()
		.describe(
			NO_DOCS
				? ""
				: "The appearance's id: `DELETE /api/v1/claims/{id}/appearances/{appearanceId}` removes it.",
		),
	source: sourceRef.extend({
		author: sourceAuthor,
		language: z.string().nullable(),
		publishedAt: z.string().nullable(),
		archivedUrl: z.string().nullable(),
		snapshot: snapshotJson,
	}),
	quote: z.string().nullable(),
	link: z
		.string()
		.describe(NO_DOCS ? "" : "The source URL with a text fragment that lands on the quote when known."),
	firstAppearance: z.boolean(),
});

export const claimDetailJson = claimSummaryJson.extend({
	context: z.string().nullable(),
	appearances: z.array(appearanceJson),
	version: z
		.number()
		.int()
		.describe(NO_DOCS ? "" : "The claim's own version: it counts up with every edit of the claim."),
	byline: z
		.object({
			checkedBy: z.string().nullable(),
			publishedBy: z.string().nullable(),
			publishedAt: z.string().nullable(),
		})
		.nullable()
		.describe(
			NO_DOCS
				? ""
				: "Who checked and who published the current verdict, and when; null without one. For another publisher's fact-check `checkedBy` is that publisher and `publishedBy` null (see `verdict.publisher`).",
		),
	changes: z
		.array(
			z.object({
				field: z
					.enum(CLAIM_EDIT_FIELDS)
					.describe(
						NO_DOCS
							? ""
							: "What changed; `appearance`: an appearance was removed (`from` names its source, `to` is null).",
					),
				from: z
					.string()
					.nullable()
					.describe(
						NO_DOCS
							? ""
							: "The value before; for `appearance` the source's title and address, `Title (https://…)`.",
					),
				to: z.string().nullable(),
				summary: z
					.string()
					.describe(
						'The change in words, in the answer\'s language: "Wording: old → new", "Appearance removed: Title (host)".',
					),
				note: z.string().nullable(),
				at: z.string(),
			}),
		)
		.describe(
			NO_DOCS
				? ""
				: "Edits of the claim after it was reviewed and removals of its appearances, oldest first, each with the editor's note.",
		),
	history: z
		.array(verdictJson)
		.describe(
			NO_DOCS
				? ""
				: "Every public verdict in publication order (version 1 first), corrections and retractions included.",
		),
	tags: z
		.array(z.object({ slug: z.string(), name: z.string(), url: z.string() }))
		.describe(NO_DOCS ? "" : "Topics of the claim; `url` lists the topic's claims."),
	attachments: z
		.array(
			z.object({
				url: z.string(),
				filename: z
					.string()
					.describe(
						NO_DOCS
							? ""
							: "`attachment-<id>.<ext>`, made from the checked type: not the name it was uploaded with.",
					),
				contentType: z.enum(["image/png", "image/jpeg", "image/webp", "application/pdf"]),
				sha256: z.string(),
				bytes: z.number().int(),
				caption: z.string().nullable(),
			}),
		)
		.describe(
			NO_DOCS
				? ""
				: "Files the desk attached and an editor made public (screenshots, reports); type checked by content.",
		),
	embed: z.object({ badge: z.string(), card: z.string(), oembed: z.string() }),
});

export const listJson = <T extends z.ZodType>(item: T) =>
	z.object({
		data: z.array(item),
		next: z
			.string()
			.nullable()
			.describe(NO_DOCS ? "" : "URL of the next page, null on the last."),
	});

export const claimListJson = listJson(claimSummaryJson).extend({
	matches: z
		.object({
			count: z.number().int(),
			accuracy: z
				.enum(["exact", "estimate", "lower-bound"])
				.describe(
					NO_DOCS
						? ""
						: "exact: every match counted (at most 200 match). estimate: the share of the claims the newest 200 matches span that match and pass the other filters, taken over all claims, rounded to two significant digits. lower-bound: fewer than 20 of the newest 200 matches pass the other filters, too few to extrapolate; older ones may too.",
				),
		})
		.optional()
		.describe(
			NO_DOCS ? "" : "With q: how many claims match the search and the other filters, on every page.",
		),
});

export const scorecardJson = z.object({
	published: z
		.number()
		.int()
		.describe(NO_DOCS ? "" : "Denominator: claims of this speaker with a published verdict."),
	claims: z
		.number()
		.int()
		.describe(
			NO_DOCS
				? ""
				: "All recorded claims of this speaker (the reviewed ones only where unreviewed claims are hidden).",
		),
	counts: z.array(z.object({ rating: ratingJson, count: z.number().int(), share: z.number() })),
});

export const speakerJson = speakerRef.extend({
	description: z.string().nullable(),
	wikidataId: z.string().nullable(),
	aliases: z.array(z.string()),
	version: z
		.number()
		.int()
		.describe(NO_DOCS ? "" : "Send it back to edit the speaker (PATCH)."),
});

export const speakerDetailJson = speakerJson.extend({
	scorecard: scorecardJson,
	claims: z.string().describe(NO_DOCS ? "" : "URL of this speaker's claims in the claim list."),
});

export const sourceJson = sourceRef.extend({
	author: sourceAuthor,
	language: z.string().nullable(),
	publishedAt: z.string().nullable(),
	archivedUrl: z.string().nullable(),
	page: z.string(),
});

export const sourceDetailJson = sourceJson.extend({
	claims: z
		.array(claimSummaryJson)
		.describe(NO_DOCS ? "" : "The newest 100 claims recorded from this source."),
	allClaims: z
		.string()
		.describe(NO_DOCS ? "" : "URL of all of this source's claims in the claim list, page by page."),
});

export const claimMatchQuery = z
	.object({
		text: z
			.string()
			.trim()
			.min(3, "Give the claim's text (at least 3 characters).")
			.max(2000, "At most 2,000 characters.")
			// Matching normalises it (NFC), quadratic in a long run of combining marks (domain/stream-safe).
			.transform(streamSafe)
			.describe(NO_DOCS ? "" : "The claim to look for, as said or reported (any wording)."),
		language: languageTag.describe(
			NO_DOCS ? "" : "Language of `text` (BCP 47), for stemming and number words.",
		),
		speaker: z
			.string()
			.regex(SLUG_PATTERN, "Use a speaker slug such as sergei-lawrow.")
			.optional()
			.describe(NO_DOCS ? "" : "Only claims of this speaker."),
		limit: queryNumber(z.number().int().min(1).max(20).default(5)),
		lang: langQuery.shape.lang,
	})
	// As every API query: an unknown parameter is a 422 naming it, not a 200 that ignored it.
	.strict();

export const claimMatchesJson = z.object({
	data: z.array(
		z.object({
			claim: claimSummaryJson,
			score: z
				.number()
				.describe(NO_DOCS ? "" : "Similarity 0..1: lexical, combined with the embedding's where it ran."),
			relation: z
				.enum(["same", "similar"])
				.describe(
					NO_DOCS
						? ""
						: "same: states the same claim (record it as an appearance of this one). similar: a suggestion for a person to judge; differing numbers, years, negation, direction or places never make same.",
				),
		}),
	),
	matchers: z
		.array(z.enum(["lexical", "semantic"]))
		.describe(
			NO_DOCS
				? ""
				: "lexical always; semantic (Workers AI embeddings in Vectorize, cross-language) where configured.",
		),
	unavailable: z
		.array(z.enum(["semantic"]))
		.describe(NO_DOCS ? "" : "A configured matcher that failed for this answer."),
});
