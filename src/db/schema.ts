import { type SQL, sql } from "drizzle-orm";
import {
	type AnySQLiteColumn,
	check,
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { CLAIM_STATUSES, RATING_KEYS, sqlList } from "../domain/ratings";
import { reviewHostSql } from "./review-host";

export const ROLES = ["checker", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const VERDICT_STATES = ["draft", "published", "superseded", "retracted"] as const;
export type VerdictState = (typeof VERDICT_STATES)[number];
export const SPEAKER_KINDS = ["person", "organization"] as const;
export type SpeakerKind = (typeof SPEAKER_KINDS)[number];

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const createdAt = () => text("created_at").notNull().default(now);
const updatedAt = () => text("updated_at").notNull().default(now);
const oneOf = (column: SQL | AnySQLiteColumn, values: readonly string[]) =>
	sql`${column} IN (${sql.raw(sqlList(values))})`;
const isoDate = (column: AnySQLiteColumn) =>
	sql`${column} IS NULL OR (${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' AND date(substr(${column}, 1, 10)) = substr(${column}, 1, 10))`;
const nonBlank = (column: AnySQLiteColumn, max: number) =>
	sql`length(trim(${column})) > 0 AND length(${column}) <= ${sql.raw(String(max))}`;

/**
 * SQL for a BCP 47 tag's primary subtag (de for de-AT). `claims_language_primary_idx`
 * indexes exactly this expression (hand-written migration 0003: drizzle-kit cannot
 * emit expression indexes with commas), so `language=de` walks an index in seq order.
 */
export const primarySubtag = (column: AnySQLiteColumn) =>
	sql`substr(${column}, 1, instr(${column} || '-', '-') - 1)`;

export const users = sqliteTable(
	"users",
	{
		id: text("id").primaryKey(),
		email: text("email").notNull(),
		name: text("name").notNull(),
		role: text("role", { enum: ROLES }).notNull(),
		passwordHash: text("password_hash"),
		disabledAt: text("disabled_at"),
		version: integer("version").notNull().default(1),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		uniqueIndex("users_email_unique").on(t.email),
		check("users_role_check", oneOf(t.role, ROLES)),
		check("users_email_check", sql`${t.email} = lower(${t.email}) AND ${t.email} LIKE '%_@_%'`),
	],
);

export const sessions = sqliteTable(
	"sessions",
	{
		id: text("id").primaryKey(),
		tokenHash: text("token_hash").notNull(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		csrfToken: text("csrf_token").notNull(),
		createdAt: createdAt(),
		lastSeenAt: text("last_seen_at").notNull().default(now),
		expiresAt: text("expires_at").notNull(),
		revokedAt: text("revoked_at"),
	},
	(t) => [uniqueIndex("sessions_token_hash_unique").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = sqliteTable(
	"api_tokens",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		name: text("name").notNull(),
		tokenHash: text("token_hash").notNull(),
		/** Space-separated scopes, e.g. "claims:write verdicts:write import". */
		scopes: text("scopes").notNull(),
		createdAt: createdAt(),
		lastUsedAt: text("last_used_at"),
		expiresAt: text("expires_at"),
		revokedAt: text("revoked_at"),
		/**
		 * Who minted it: its owner, or an admin for them (null: the operator's CLI, or before
		 * migration 0032 found no record of it). Whoever minted a token can act with it as well
		 * as its owner, so four eyes counts both (auth/permissions `mayPublishDraft`).
		 */
		createdBy: text("created_by").references(() => users.id),
	},
	(t) => [
		uniqueIndex("api_tokens_token_hash_unique").on(t.tokenHash),
		index("api_tokens_user_idx").on(t.userId),
		check("api_tokens_name_check", nonBlank(t.name, 200)),
	],
);

export const sources = sqliteTable(
	"sources",
	{
		id: text("id").primaryKey(),
		/** Canonical URL (see domain/canonical-url): tracking parameters and fragment stripped. */
		url: text("url").notNull(),
		domain: text("domain").notNull(),
		title: text("title"),
		publisher: text("publisher"),
		author: text("author"),
		language: text("language"),
		publishedAt: text("published_at"),
		archivedUrl: text("archived_url"),
		version: integer("version").notNull().default(1),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		createdBy: text("created_by").references(() => users.id),
	},
	(t) => [
		uniqueIndex("sources_url_unique").on(t.url),
		index("sources_domain_idx").on(t.domain),
		check("sources_url_check", sql`${t.url} GLOB 'http*://*' AND length(${t.url}) <= 2048`),
		check("sources_published_at_check", isoDate(t.publishedAt)),
	],
);

export const speakers = sqliteTable(
	"speakers",
	{
		id: text("id").primaryKey(),
		name: text("name").notNull(),
		slug: text("slug").notNull(),
		kind: text("kind", { enum: SPEAKER_KINDS }).notNull().default("person"),
		description: text("description"),
		wikidataId: text("wikidata_id"),
		version: integer("version").notNull().default(1),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		createdBy: text("created_by").references(() => users.id),
	},
	(t) => [
		uniqueIndex("speakers_slug_unique").on(t.slug),
		check("speakers_name_check", nonBlank(t.name, 300)),
		check("speakers_slug_check", sql`${t.slug} GLOB '[a-z0-9]*' AND ${t.slug} NOT GLOB '*[^a-z0-9-]*'`),
		check("speakers_kind_check", oneOf(t.kind, SPEAKER_KINDS)),
		check(
			"speakers_wikidata_check",
			sql`${t.wikidataId} IS NULL OR (${t.wikidataId} GLOB 'Q[1-9]*' AND ${t.wikidataId} NOT GLOB 'Q*[^0-9]*')`,
		),
	],
);

export const speakerAliases = sqliteTable(
	"speaker_aliases",
	{
		id: text("id").primaryKey(),
		speakerId: text("speaker_id")
			.notNull()
			.references(() => speakers.id, { onDelete: "cascade" }),
		alias: text("alias").notNull(),
		/** Folded form (domain/speaker-matching `foldName`) the matcher looks up. */
		normalized: text("normalized").notNull(),
		/**
		 * 0: the spelling came with a merged speaker no reviewed claim named (its redirect's
		 * `was_public` 0), or is the old name a rename kept while none named the speaker: under `PUBLIC_UNREVIEWED = "hide"` it was never public, and the API and
		 * webhooks leave it out. The desk and the matcher use it all the same. Before migration 0038: 1.
		 */
		wasPublic: integer("was_public", { mode: "boolean" }).notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("speaker_aliases_unique").on(t.speakerId, t.normalized),
		index("speaker_aliases_normalized_idx").on(t.normalized),
		check("speaker_aliases_alias_check", nonBlank(t.alias, 300)),
		check("speaker_aliases_normalized_check", sql`length(${t.normalized}) > 0`),
	],
);

export const claims = sqliteTable(
	"claims",
	{
		/** Integer key: the FTS index's rowid, stable across VACUUM (a text key's rowid is not). */
		seq: integer("seq").primaryKey({ autoIncrement: true }),
		id: text("id").notNull(),
		/** Verbatim, in the original language. */
		text: text("text").notNull(),
		language: text("language").notNull(),
		/** Null when the claim is made by the source itself (its publisher is the claimant). */
		speakerId: text("speaker_id").references(() => speakers.id),
		claimedAt: text("claimed_at"),
		context: text("context"),
		status: text("status", { enum: CLAIM_STATUSES }).notNull().default("unverified"),
		currentVerdictId: text("current_verdict_id").references((): AnySQLiteColumn => verdicts.id),
		/** Date of the current published verdict, denormalised for the review-date filter and sort. */
		reviewedAt: text("reviewed_at"),
		/** Folded text hash: finds the same quote of the same speaker (duplicates, imports). */
		fingerprint: text("fingerprint").notNull(),
		/** Id in the system a claim was imported from, for idempotent re-imports. */
		externalId: text("external_id"),
		version: integer("version").notNull().default(1),
		createdAt: createdAt(),
		/** Its last public change (domain/public-change): reviews, edits and what it names. */
		updatedAt: updatedAt(),
		/**
		 * Its last public change while it had a review that was not a review itself (an edit,
		 * an appearance, a topic, a merge, its speaker's or topic's rename): what brings the
		 * review's feed entry back up. Null when none; a publication or retraction leaves it.
		 */
		changedAt: text("changed_at"),
		/**
		 * The last of those changes that its feed entries no longer standing show too: its
		 * words or language, its speaker's name, or the publisher it is credited to without a
		 * speaker (store/public-changes `quoteChange`); not its context, date said or a later
		 * appearance removed, which only the standing entry tells. Null when none; never after
		 * `changed_at` (set with it; migration 0055 began it as `changed_at`).
		 */
		quotedAt: text("quoted_at"),
		createdBy: text("created_by").references(() => users.id),
		/** Who on the desk works on the claim; never in a public answer. */
		assigneeId: text("assignee_id").references(() => users.id),
		/**
		 * Stems of text, context and the current published verdict's headline and summary
		 * (domain/search-terms), written with every change to them; indexed as claims_fts.terms.
		 * Null until computed (claims from before migration 0011 until `npm run reindex`).
		 */
		searchTerms: text("search_terms"),
	},
	(t) => [
		uniqueIndex("claims_id_unique").on(t.id),
		index("claims_assignee_idx").on(t.assigneeId),
		check("claims_text_check", nonBlank(t.text, 10000)),
		check("claims_language_check", sql`${t.language} GLOB '[a-z][a-z]*' AND length(${t.language}) <= 35`),
		check("claims_status_check", oneOf(t.status, CLAIM_STATUSES)),
		check("claims_claimed_at_check", isoDate(t.claimedAt)),
		check("claims_version_check", sql`${t.version} >= 1`),
		// Every index ends in the implicit rowid (= seq), so "newest first" keyset pages
		// (`WHERE status = ? AND seq < ? ORDER BY seq DESC`) walk an index without sorting.
		index("claims_claimed_idx").on(t.claimedAt),
		index("claims_reviewed_idx").on(t.reviewedAt),
		index("claims_status_idx").on(t.status),
		index("claims_speaker_idx").on(t.speakerId),
		index("claims_language_idx").on(t.language),
		index("claims_fingerprint_idx").on(t.fingerprint, t.speakerId),
		// The reviewed claims changed publicly last, newest first: the feed's entries of
		// claims edited, renamed or given a source since their review. Partial: only claims
		// so changed are in it, so the feed's read walks neither unreviewed claims nor
		// reviews (an import of 10,000 old reviews, a day's publications).
		index("claims_changed_idx").on(t.changedAt).where(sql`${t.changedAt} IS NOT NULL`),
		uniqueIndex("claims_external_id_unique").on(t.externalId),
	],
);

export const appearances = sqliteTable(
	"appearances",
	{
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id),
		sourceId: text("source_id")
			.notNull()
			.references(() => sources.id),
		/** The wording in this source, when it differs from the claim text. */
		quote: text("quote"),
		/** Text fragment (`#:~:text=`) that lands a reader on the sentence in the source. */
		anchor: text("anchor"),
		isFirst: integer("is_first", { mode: "boolean" }).notNull().default(false),
		createdAt: createdAt(),
		createdBy: text("created_by").references(() => users.id),
	},
	(t) => [
		uniqueIndex("appearances_claim_source_unique").on(t.claimId, t.sourceId),
		uniqueIndex("appearances_first_unique").on(t.claimId).where(sql`${t.isFirst} = 1`),
		index("appearances_source_idx").on(t.sourceId, t.claimId),
		check("appearances_is_first_check", sql`${t.isFirst} IN (0, 1)`),
	],
);

export const verdicts = sqliteTable(
	"verdicts",
	{
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id),
		rating: text("rating", { enum: RATING_KEYS }).notNull(),
		headline: text("headline").notNull(),
		summary: text("summary"),
		body: text("body"),
		/** JSON array of {url, title}. */
		evidence: text("evidence").notNull().default("[]"),
		/** Language the verdict is written in (ClaimReview inLanguage). */
		language: text("language").notNull().default("de"),
		/** Who drafted it: the public byline's "checked by" once published (never moved). */
		reviewerId: text("reviewer_id").references(() => users.id),
		/**
		 * Who writes the open draft while its claim is held by nobody: whoever held the claim
		 * when it went back to "Unassigned" with the draft open (store/draft-writer). Null: its
		 * drafter. While the claim is assigned, its assignee writes the draft, whoever this is.
		 */
		writerId: text("writer_id").references(() => users.id),
		/**
		 * Set when an editor returns the draft (verdict_returns), cleared when it is submitted
		 * for review again: a save alone does not answer a return.
		 */
		changesRequestedAt: text("changes_requested_at"),
		/**
		 * When its writer submitted the draft for review (the editors' review queue waits from
		 * here); null while it is being written or after an editor returned it. A save keeps it.
		 */
		submittedAt: text("submitted_at"),
		/**
		 * The claim's words a draft was last saved on: the newest of its claim's `claim_changes`
		 * ids when it was created or last saved (0: none then), set by the save's batch. A change
		 * of the words it rates (store/draft-words `RATED_FIELDS`) with a higher id came after:
		 * the desk says so, and nothing publishes the draft until it is saved again. Null: last
		 * saved before migration 0058, or restored from a backup made before it (read by time).
		 */
		claimChangeSeen: integer("claim_change_seen"),
		editorId: text("editor_id").references(() => users.id),
		state: text("state", { enum: VERDICT_STATES }).notNull().default("draft"),
		/** Why this verdict corrects the one it supersedes (public). */
		correctionNote: text("correction_note"),
		/** Why this verdict was withdrawn (public); never written over the correction note. */
		retractionNote: text("retraction_note"),
		supersedesId: text("supersedes_id").references((): AnySQLiteColumn => verdicts.id),
		/** Rating as the original publisher wrote it (imports), kept beside the mapped key. */
		originalRating: text("original_rating"),
		/**
		 * The review (fact-check article) an imported verdict is, as `new URL(…).href`; null for
		 * the desk's own. Its host decides whose check it is (domain/review-attribution): one on
		 * neither ORG_URL's nor PUBLIC_URL's host is another publisher's, credited to them.
		 */
		reviewUrl: text("review_url"),
		/**
		 * The review URL's host without `www.` (Google's `publisher.site`), worked out by SQLite
		 * from `review_url` and indexed: how `reviewPublisherSiteFilter` finds another
		 * publisher's reviews without reading every reviewed claim (store/public-claims).
		 * Virtual: never written, never in a backup.
		 */
		reviewHost: text("review_host").generatedAlwaysAs(reviewHostSql(sql.raw('"review_url"')), {
			mode: "virtual",
		}),
		/** Who published that review: the record's reviewer (ClaimReview `author`), else the review URL's host. */
		reviewPublisher: text("review_publisher"),
		publishedAt: text("published_at"),
		retractedAt: text("retracted_at"),
		version: integer("version").notNull().default(1),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		check("verdicts_rating_check", oneOf(t.rating, RATING_KEYS)),
		check("verdicts_state_check", oneOf(t.state, ["draft", "published", "superseded", "retracted"])),
		check("verdicts_headline_check", nonBlank(t.headline, 500)),
		check("verdicts_evidence_check", sql`json_valid(${t.evidence}) AND json_type(${t.evidence}) = 'array'`),
		check("verdicts_published_check", sql`${t.state} = 'draft' OR ${t.publishedAt} IS NOT NULL`),
		check(
			"verdicts_correction_check",
			sql`${t.supersedesId} IS NULL OR length(trim(coalesce(${t.correctionNote}, ''))) > 0`,
		),
		check(
			"verdicts_retraction_check",
			sql`${t.state} <> 'retracted' OR length(trim(coalesce(${t.retractionNote}, ''))) > 0`,
		),
		index("verdicts_claim_idx").on(t.claimId, t.state, t.publishedAt),
		// Partial: the desk's own verdicts have no review URL, and with them in it ANALYZE
		// counted every row under one (null) host, so that the planner scanned the table.
		// With the date: a site's reviews newest first, a page at a time (store/public-claims).
		index("verdicts_review_host_idx").on(t.reviewHost, t.publishedAt).where(sql`${t.reviewHost} IS NOT NULL`),
		index("verdicts_published_idx").on(t.state, t.publishedAt, t.id),
		// The feed's newest versions and newest retractions, read in index order (with the
		// state index every public version was sorted for the 50 newest). Conditioned on the
		// dates, not on states: a partial index on `state <> 'draft'` offered itself as a scan
		// to every query saying so.
		index("verdicts_feed_idx").on(sql`${t.publishedAt} DESC`, t.id).where(sql`${t.publishedAt} IS NOT NULL`),
		index("verdicts_retracted_idx")
			.on(sql`${t.retractedAt} DESC`, t.id)
			.where(sql`${t.retractedAt} IS NOT NULL`),
		uniqueIndex("verdicts_one_published_unique").on(t.claimId).where(sql`${t.state} = 'published'`),
		// One open draft per claim: a second drafter gets the first one's draft (409 draft-exists).
		uniqueIndex("verdicts_one_draft_unique").on(t.claimId).where(sql`${t.state} = 'draft'`),
	],
);

/**
 * Each evidence address of each verdict, derived from `verdicts.evidence` by triggers
 * (migration 0016) and never written by the app: the claims citing an address (whose
 * answers show its archived copy) are an index lookup, not a parse of every verdict's
 * evidence for each copy the archive stores.
 */
export const verdictEvidence = sqliteTable(
	"verdict_evidence",
	{
		url: text("url").notNull(),
		verdictId: text("verdict_id").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.url, t.verdictId] }),
		index("verdict_evidence_verdict_idx").on(t.verdictId),
	],
);

export const auditLog = sqliteTable(
	"audit_log",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		at: text("at").notNull().default(now),
		actorId: text("actor_id").references(() => users.id),
		/** Who acted when it was no user: "seed", "cli", "import", or the token name. */
		actorLabel: text("actor_label"),
		action: text("action").notNull(),
		entity: text("entity").notNull(),
		entityId: text("entity_id").notNull(),
		/** JSON of what changed. */
		changes: text("changes"),
		/** The id this app made for the request (never the client's). */
		requestId: text("request_id"),
		/** A client's own X-Request-Id, kept apart and length-limited, for correlating its logs. */
		clientRequestId: text("client_request_id"),
		/**
		 * When the actor acted with an API token another account minted for them (an admin, in
		 * the desk): that account, which holds the token as well (auth/api-tokens `tokenActor`).
		 */
		tokenMintedBy: text("token_minted_by").references(() => users.id),
	},
	(t) => [
		index("audit_log_entity_idx").on(t.entity, t.entityId, t.id),
		index("audit_log_actor_idx").on(t.actorId, t.id),
		// A discarded draft's row is gone: its claim is found from the discard's entry
		// (store/claims `claimHistory`), so the claim's timeline keeps the draft's entries.
		index("audit_log_discarded_draft_idx")
			.on(sql`(${t.changes} ->> '$.claimId')`)
			.where(sql`${t.entity} = 'verdict' AND ${t.action} = 'discard-draft'`),
		check("audit_log_changes_check", sql`${t.changes} IS NULL OR json_valid(${t.changes})`),
	],
);

export type User = typeof users.$inferSelect;
export type Source = typeof sources.$inferSelect;
export type Speaker = typeof speakers.$inferSelect;
export type SpeakerAlias = typeof speakerAliases.$inferSelect;
export type Claim = typeof claims.$inferSelect;
export type Appearance = typeof appearances.$inferSelect;
export type Verdict = typeof verdicts.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

/**
 * D1 has no interactive transactions. A batch asserts a precondition by inserting
 * `changes() = 1` (did the guarded statement before it touch exactly one row?) here:
 * the CHECK fails on 0 and the whole batch rolls back. A trigger empties the table.
 */
/**
 * Fields of a claim that can be edited after it was recorded; `appearance` is a removed
 * appearance (from: the source's title and address, to: null; store/appearances).
 */
export const CLAIM_EDIT_FIELDS = [
	"text",
	"claimedAt",
	"language",
	"context",
	"speaker",
	"appearance",
] as const;
export type ClaimEditField = (typeof CLAIM_EDIT_FIELDS)[number];

/**
 * Edits of a claim, one row per changed field, and removals of its appearances. An edit
 * of a claim that has a published verdict is public (claim JSON `changes[]`, the page),
 * with the editor's note.
 */
export const claimChanges = sqliteTable(
	"claim_changes",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id),
		field: text("field", { enum: CLAIM_EDIT_FIELDS }).notNull(),
		fromValue: text("from_value"),
		/**
		 * A text change's earlier text as `claims.fingerprint` holds a text (domain/fingerprint):
		 * an import finds the claim by the words it was imported with (store/imports). Changes
		 * recorded before migration 0047, or restored from an older backup, are filled by the
		 * next import (store/earlier-texts); null for other fields.
		 */
		fromFingerprint: text("from_fingerprint"),
		/**
		 * The claim merged away whose text change this was (store/claim-merges): the merge moves
		 * a duplicate's text changes onto the claim kept, so an import of the duplicate's earlier
		 * words still finds that claim (store/merged-words `mergedClaimsOf`). Never public, never
		 * the claim kept's own earlier text; null for the claim's own changes.
		 */
		mergedFrom: text("merged_from"),
		toValue: text("to_value"),
		note: text("note"),
		/** Shown publicly: the claim had a published verdict when it was edited. */
		isPublic: integer("is_public", { mode: "boolean" }).notNull(),
		at: createdAt(),
		actorId: text("actor_id").references(() => users.id),
	},
	(t) => [
		check("claim_changes_field_check", oneOf(t.field, CLAIM_EDIT_FIELDS)),
		check(
			"claim_changes_public_note_check",
			sql`${t.isPublic} = 0 OR length(trim(coalesce(${t.note}, ''))) > 0`,
		),
		index("claim_changes_claim_idx").on(t.claimId, t.id),
		index("claim_changes_from_fingerprint_idx")
			.on(t.fromFingerprint)
			.where(sql`${t.fromFingerprint} IS NOT NULL`),
		// Text changes still to be fingerprinted: none once the next import has filled them.
		index("claim_changes_unfingerprinted_idx")
			.on(t.id)
			.where(sql`${t.field} = 'text' AND ${t.fromFingerprint} IS NULL`),
	],
);

export type ClaimChange = typeof claimChanges.$inferSelect;

/** Slugs of speakers merged into another: `/speakers/:slug` answers 301 to the survivor. */
export const speakerRedirects = sqliteTable("speaker_redirects", {
	slug: text("slug").primaryKey(),
	speakerId: text("speaker_id")
		.notNull()
		.references(() => speakers.id),
	/**
	 * A reviewed claim named the merged speaker at the merge: it was public where unreviewed
	 * claims are hidden too. If not, under `PUBLIC_UNREVIEWED = "hide"` its slug answers 404 and
	 * `speaker.merged` leaves it out: it was never public. Merges before migration 0037: 1.
	 */
	wasPublic: integer("was_public", { mode: "boolean" }).notNull().default(true),
	createdAt: createdAt(),
});

/**
 * Claims that no longer exist, by their old id (the rows are deleted; see docs/decisions.md):
 * one merged into another (`merged_into`: its address answers 301 to that claim; a merge of
 * the survivor moves these rows on) or one removed as recorded by mistake (`removed_at`: its
 * address answers 410 Gone). The audit log keeps what the claim was.
 */
export const retiredClaims = sqliteTable(
	"retired_claims",
	{
		id: text("id").primaryKey(),
		mergedInto: text("merged_into").references(() => claims.id),
		removedAt: text("removed_at"),
		/**
		 * The claim's import id (`claims.external_id`), kept when its row goes: a later import
		 * of the same record links it to the claim it was merged into, or refuses it when it
		 * was removed, instead of recording it anew (store/imports).
		 */
		externalId: text("external_id"),
		/**
		 * A merged claim's words, language, fingerprint and speaker (its id, which may have gone
		 * with it: no reference), kept while it is merged and cleared when the claim kept is
		 * removed: the claim kept is found by them in search (its FTS row, migration 0034), in
		 * matching (store/claim-matches) and by an import of them (store/merged-words).
		 */
		text: text("text"),
		language: text("language"),
		fingerprint: text("fingerprint"),
		speakerId: text("speaker_id"),
		/**
		 * The spellings (name and aliases, as written; JSON array) of the merged claim's speaker
		 * at the merge: an import by them finds the claim kept after the speaker has gone (a
		 * speaker named by no claim leaves with the merge). Cleared with the words.
		 */
		speakerNames: text("speaker_names"),
		/** The stems of `text` (domain/search-terms), derived: the claim kept's FTS `terms` holds them too. */
		searchTerms: text("search_terms"),
		createdAt: createdAt(),
	},
	(t) => [
		index("retired_claims_merged_into_idx").on(t.mergedInto),
		uniqueIndex("retired_claims_external_id_unique").on(t.externalId).where(sql`${t.externalId} IS NOT NULL`),
		index("retired_claims_fingerprint_idx").on(t.fingerprint).where(sql`${t.fingerprint} IS NOT NULL`),
		// A speaker merge points the merged claims' speaker on (store/speaker-edits).
		index("retired_claims_speaker_idx").on(t.speakerId).where(sql`${t.speakerId} IS NOT NULL`),
		check("retired_claims_one_fate_check", sql`(${t.mergedInto} IS NULL) <> (${t.removedAt} IS NULL)`),
	],
);

export type RetiredClaim = typeof retiredClaims.$inferSelect;

export const batchGuards = sqliteTable(
	"batch_guards",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		ok: integer("ok").notNull(),
	},
	(t) => [check("batch_guards_ok_check", sql`${t.ok} = 1`)],
);

export const IDEMPOTENCY_STATES = ["pending", "done"] as const;

/**
 * Double submission (double click, reload, a client retrying a POST) must write once.
 * A key is claimed (`pending`) before the write, marked written in the write's own batch
 * (`writtenAt`, with the answer known before the write), and completed with the answer,
 * so a repeat answers with that result instead of writing again, also when the first
 * request's run stopped between its write and the completion (auth/idempotency).
 */
export const idempotencyKeys = sqliteTable(
	"idempotency_keys",
	{
		/** SHA-256 of user id and the client's key: keys of different users never meet. */
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		/** The request the key was first used for ("POST /desk/claims"); another request with it is refused. */
		scope: text("scope").notNull(),
		state: text("state", { enum: IDEMPOTENCY_STATES }).notNull().default("pending"),
		status: integer("status"),
		location: text("location"),
		body: text("body"),
		/**
		 * The claim the stored answer is about (an API create's claim, or the claim it wrote
		 * on): a removal of the claim empties the answer, and a repeat answers its 410.
		 */
		claimId: text("claim_id"),
		createdAt: createdAt(),
		/**
		 * When the write's batch committed: set in that batch (store/idempotency `markingDb`),
		 * with `status`, `location` and `claimId` as known before the write. A written key is
		 * never taken over or released: a repeat answers from it, however old it is.
		 */
		writtenAt: text("written_at"),
		/** The id of the record the write made (made before its batch): a repeat reads its answer back by it. */
		writtenId: text("written_id"),
		completedAt: text("completed_at"),
	},
	(t) => [
		index("idempotency_keys_created_idx").on(t.createdAt),
		index("idempotency_keys_claim_idx").on(t.claimId).where(sql`${t.claimId} IS NOT NULL`),
		check("idempotency_keys_state_check", oneOf(t.state, IDEMPOTENCY_STATES)),
	],
);

/** Fixed-window counters (login attempts per account and per IP) that hold without the rate-limit binding. */
export const rateLimits = sqliteTable(
	"rate_limits",
	{
		key: text("key").primaryKey(),
		/** Start of the current window, in seconds since the epoch. */
		windowStart: integer("window_start").notNull(),
		count: integer("count").notNull(),
	},
	(t) => [index("rate_limits_window_idx").on(t.windowStart)],
);

export const WEBHOOK_EVENTS = [
	"claim.created",
	"claim.updated",
	"verdict.published",
	"verdict.corrected",
	"verdict.retracted",
	"appearance.added",
	"speaker.updated",
	"speaker.merged",
	"claim.merged",
	"claim.removed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** A subscriber of signed webhooks (Standard Webhooks 1.0; src/queues/webhook-delivery.ts). */
export const webhooks = sqliteTable(
	"webhooks",
	{
		id: text("id").primaryKey(),
		url: text("url").notNull(),
		/** Space-separated event types. */
		events: text("events").notNull(),
		description: text("description"),
		secret: text("secret").notNull(),
		/** The secret before the last rotation, which still signs until `previousSecretUntil`. */
		previousSecret: text("previous_secret"),
		previousSecretUntil: text("previous_secret_until"),
		/** Set when deliveries stopped: a 410 from the receiver, or three days of failures. */
		disabledAt: text("disabled_at"),
		disabledReason: text("disabled_reason"),
		/** First failure since the last success: three days of it disable the endpoint. */
		failingSince: text("failing_since"),
		createdBy: text("created_by").references(() => users.id),
		createdAt: createdAt(),
		updatedAt: text("updated_at").notNull().default(now),
		version: integer("version").notNull().default(1),
	},
	(t) => [
		check("webhooks_url_check", sql`length(${t.url}) BETWEEN 1 AND 2048`),
		check("webhooks_events_check", nonBlank(t.events, 400)),
	],
);

export const WEBHOOK_DELIVERY_STATES = ["pending", "delivered", "failed", "dead"] as const;

/** One event for one subscriber: its id is the `webhook-id` every attempt carries. */
export const webhookDeliveries = sqliteTable(
	"webhook_deliveries",
	{
		id: text("id").primaryKey(),
		webhookId: text("webhook_id")
			.notNull()
			.references(() => webhooks.id, { onDelete: "cascade" }),
		eventType: text("event_type").notNull(),
		/** The exact JSON body every attempt sends. */
		payload: text("payload").notNull(),
		/** Seconds since the epoch: `webhook-timestamp` of the first attempt. */
		timestamp: integer("timestamp").notNull(),
		state: text("state", { enum: WEBHOOK_DELIVERY_STATES }).notNull().default("pending"),
		/** Every attempt made, replays' included: the log numbers them on. */
		attempts: integer("attempts").notNull().default(0),
		/**
		 * Attempts since its schedule began (the first send, or the last replay): the retry
		 * schedule's step. `firstAttemptAt` is that schedule's first attempt.
		 */
		roundAttempts: integer("round_attempts").notNull().default(0),
		firstAttemptAt: text("first_attempt_at"),
		nextAttemptAt: text("next_attempt_at"),
		/**
		 * The last replay's id, carried by the queue message it sent (null before a first
		 * replay, and in the messages of the first send): a message carrying another is an
		 * earlier schedule's, a retry queued before the replay, and sends nothing. A retried
		 * message keeps its body, so its schedule is told by this and not by the due time.
		 */
		replayId: text("replay_id"),
		createdAt: createdAt(),
	},
	(t) => [
		index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
		check("webhook_deliveries_state_check", oneOf(t.state, WEBHOOK_DELIVERY_STATES)),
	],
);

/** Every delivery attempt, as the receiver answered it (the delivery log). */
export const webhookAttempts = sqliteTable(
	"webhook_attempts",
	{
		id: text("id").primaryKey(),
		deliveryId: text("delivery_id")
			.notNull()
			.references(() => webhookDeliveries.id, { onDelete: "cascade" }),
		attempt: integer("attempt").notNull(),
		statusCode: integer("status_code"),
		durationMs: integer("duration_ms").notNull(),
		error: text("error"),
		nextAttemptAt: text("next_attempt_at"),
		createdAt: createdAt(),
	},
	(t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

/** An editor sent a draft back to its checker with a note (the review thread of the draft). */
export const verdictReturns = sqliteTable(
	"verdict_returns",
	{
		id: text("id").primaryKey(),
		verdictId: text("verdict_id")
			.notNull()
			.references(() => verdicts.id, { onDelete: "cascade" }),
		note: text("note").notNull(),
		actorId: text("actor_id").references(() => users.id),
		createdAt: createdAt(),
	},
	(t) => [
		index("verdict_returns_verdict_idx").on(t.verdictId, t.createdAt),
		check("verdict_returns_note_check", nonBlank(t.note, 5000)),
	],
);

/** The desk's private thread on a claim: never in a public answer or the public backup. */
export const claimNotes = sqliteTable(
	"claim_notes",
	{
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		authorId: text("author_id").references(() => users.id),
		text: text("text").notNull(),
		createdAt: createdAt(),
		/** The claim the note was written on, when that claim was merged into this one. */
		mergedFrom: text("merged_from"),
	},
	(t) => [
		index("claim_notes_claim_idx").on(t.claimId, t.createdAt),
		check("claim_notes_text_check", nonBlank(t.text, 5000)),
	],
);

/** Topics: lowercase slugs with a display name per language, created on first use. */
export const tags = sqliteTable(
	"tags",
	{
		slug: text("slug").primaryKey(),
		nameEn: text("name_en").notNull(),
		nameDe: text("name_de").notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		check(
			"tags_slug_check",
			sql`${t.slug} GLOB '[a-z0-9]*' AND ${t.slug} NOT GLOB '*[^a-z0-9-]*' AND length(${t.slug}) BETWEEN 1 AND 60`,
		),
	],
);

/** A claim's topics; `claimSeq` lets a topic's list walk newest first from an index, as the other lists do. */
export const claimTags = sqliteTable(
	"claim_tags",
	{
		/** A single key for keyset export (backup); the pair below is what is unique. */
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		claimSeq: integer("claim_seq").notNull(),
		tagSlug: text("tag_slug")
			.notNull()
			.references(() => tags.slug),
	},
	(t) => [
		uniqueIndex("claim_tags_claim_tag_unique").on(t.claimId, t.tagSlug),
		index("claim_tags_tag_seq_idx").on(t.tagSlug, t.claimSeq),
	],
);

export const SNAPSHOT_STATES = ["pending", "ok", "failed"] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

/**
 * Archived copies of source and evidence pages. The bytes, headers and main text live in
 * R2 (binding ARCHIVE, keys in domain/snapshots); D1 keeps what the public JSON and the
 * retry schedule need. A URL may have several rows over time: the newest `ok` row is
 * the copy shown, a `failed` row is retried on the queue's schedule.
 */
export const snapshots = sqliteTable(
	"snapshots",
	{
		id: text("id").primaryKey(),
		/** The address as recorded (canonical for sources, as written for evidence links). */
		url: text("url").notNull(),
		/** Where the fetch ended after redirects. */
		finalUrl: text("final_url"),
		state: text("state", { enum: SNAPSHOT_STATES }).notNull().default("pending"),
		httpStatus: integer("http_status"),
		contentType: text("content_type"),
		/** Hex SHA-256 of the raw bytes as fetched. */
		sha256: text("sha256"),
		bytes: integer("bytes"),
		fetchedAt: text("fetched_at"),
		/** Why the last attempt failed, for the desk. */
		error: text("error"),
		attempts: integer("attempts").notNull().default(0),
		/**
		 * A failed copy's next try, while the consumer has one scheduled (queues/snapshot-archive);
		 * null once no try is due (given up, refused for good, never queued): the desk then says
		 * "Not archived" and offers "Archive again", and the row no longer holds its address.
		 */
		retryAt: text("retry_at"),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
	},
	(t) => [
		index("snapshots_url_idx").on(t.url, t.createdAt),
		check("snapshots_state_check", oneOf(t.state, SNAPSHOT_STATES)),
		check("snapshots_url_check", sql`${t.url} GLOB 'http*://*' AND length(${t.url}) <= 2048`),
		check("snapshots_sha256_check", sql`${t.sha256} IS NULL OR length(${t.sha256}) = 64`),
	],
);

export const UPLOAD_TYPES = ["image/png", "image/jpeg", "image/webp", "application/pdf"] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];

/** Files a checker attached to a claim (screenshots, reports); public only when an editor says so. */
export const uploads = sqliteTable(
	"uploads",
	{
		id: text("id").primaryKey(),
		claimId: text("claim_id")
			.notNull()
			.references(() => claims.id, { onDelete: "cascade" }),
		/**
		 * The name it was uploaded with, shown in the desk only (public answers use
		 * `publicFilename`, domain/uploads): the type comes from the content.
		 */
		filename: text("filename").notNull(),
		contentType: text("content_type", { enum: UPLOAD_TYPES }).notNull(),
		sha256: text("sha256").notNull(),
		bytes: integer("bytes").notNull(),
		caption: text("caption"),
		isPublic: integer("is_public", { mode: "boolean" }).notNull().default(false),
		createdAt: createdAt(),
		createdBy: text("created_by").references(() => users.id),
		updatedAt: updatedAt(),
	},
	(t) => [
		index("uploads_claim_idx").on(t.claimId, t.createdAt),
		check("uploads_content_type_check", oneOf(t.contentType, UPLOAD_TYPES)),
		check("uploads_filename_check", nonBlank(t.filename, 200)),
		check("uploads_sha256_check", sql`length(${t.sha256}) = 64`),
	],
);

export type Snapshot = typeof snapshots.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type VerdictReturn = typeof verdictReturns.$inferSelect;
export type ClaimNote = typeof claimNotes.$inferSelect;
export type Tag = typeof tags.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
