CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_used_at` text,
	`expires_at` text,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "api_tokens_name_check" CHECK(length(trim("api_tokens"."name")) > 0 AND length("api_tokens"."name") <= 200)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `appearances` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`source_id` text NOT NULL,
	`quote` text,
	`anchor` text,
	`is_first` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "appearances_is_first_check" CHECK("appearances"."is_first" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appearances_claim_source_unique` ON `appearances` (`claim_id`,`source_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `appearances_first_unique` ON `appearances` (`claim_id`) WHERE "appearances"."is_first" = 1;--> statement-breakpoint
CREATE INDEX `appearances_source_idx` ON `appearances` (`source_id`,`claim_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`actor_id` text,
	`actor_label` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`changes` text,
	`request_id` text,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "audit_log_changes_check" CHECK("audit_log"."changes" IS NULL OR json_valid("audit_log"."changes"))
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_id`,`id`);--> statement-breakpoint
CREATE TABLE `batch_guards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "batch_guards_ok_check" CHECK("batch_guards"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `claims` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`text` text NOT NULL,
	`language` text NOT NULL,
	`speaker_id` text,
	`claimed_at` text,
	`context` text,
	`status` text DEFAULT 'unverified' NOT NULL,
	`current_verdict_id` text,
	`reviewed_at` text,
	`fingerprint` text NOT NULL,
	`external_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`speaker_id`) REFERENCES `speakers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`current_verdict_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "claims_text_check" CHECK(length(trim("claims"."text")) > 0 AND length("claims"."text") <= 10000),
	CONSTRAINT "claims_language_check" CHECK("claims"."language" GLOB '[a-z][a-z]*' AND length("claims"."language") <= 35),
	CONSTRAINT "claims_status_check" CHECK("claims"."status" IN ('unverified', 'in-review', 'true', 'mostly-true', 'half-true', 'missing-context', 'misleading', 'mostly-false', 'false', 'unsupported')),
	CONSTRAINT "claims_claimed_at_check" CHECK("claims"."claimed_at" IS NULL OR ("claims"."claimed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' AND date(substr("claims"."claimed_at", 1, 10)) = substr("claims"."claimed_at", 1, 10))),
	CONSTRAINT "claims_version_check" CHECK("claims"."version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_id_unique` ON `claims` (`id`);--> statement-breakpoint
CREATE INDEX `claims_claimed_idx` ON `claims` (`claimed_at`);--> statement-breakpoint
CREATE INDEX `claims_reviewed_idx` ON `claims` (`reviewed_at`);--> statement-breakpoint
CREATE INDEX `claims_status_idx` ON `claims` (`status`);--> statement-breakpoint
CREATE INDEX `claims_speaker_idx` ON `claims` (`speaker_id`);--> statement-breakpoint
CREATE INDEX `claims_language_idx` ON `claims` (`language`);--> statement-breakpoint
CREATE INDEX `claims_fingerprint_idx` ON `claims` (`fingerprint`,`speaker_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `claims_external_id_unique` ON `claims` (`external_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`domain` text NOT NULL,
	`title` text,
	`publisher` text,
	`author` text,
	`language` text,
	`published_at` text,
	`archived_url` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sources_url_check" CHECK("sources"."url" GLOB 'http*://*' AND length("sources"."url") <= 2048),
	CONSTRAINT "sources_published_at_check" CHECK("sources"."published_at" IS NULL OR ("sources"."published_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' AND date(substr("sources"."published_at", 1, 10)) = substr("sources"."published_at", 1, 10)))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_url_unique` ON `sources` (`url`);--> statement-breakpoint
CREATE INDEX `sources_domain_idx` ON `sources` (`domain`);--> statement-breakpoint
CREATE TABLE `speaker_aliases` (
	`id` text PRIMARY KEY NOT NULL,
	`speaker_id` text NOT NULL,
	`alias` text NOT NULL,
	`normalized` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`speaker_id`) REFERENCES `speakers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "speaker_aliases_alias_check" CHECK(length(trim("speaker_aliases"."alias")) > 0 AND length("speaker_aliases"."alias") <= 300),
	CONSTRAINT "speaker_aliases_normalized_check" CHECK(length("speaker_aliases"."normalized") > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `speaker_aliases_unique` ON `speaker_aliases` (`speaker_id`,`normalized`);--> statement-breakpoint
CREATE INDEX `speaker_aliases_normalized_idx` ON `speaker_aliases` (`normalized`);--> statement-breakpoint
CREATE TABLE `speakers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`kind` text DEFAULT 'person' NOT NULL,
	`description` text,
	`wikidata_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "speakers_name_check" CHECK(length(trim("speakers"."name")) > 0 AND length("speakers"."name") <= 300),
	CONSTRAINT "speakers_slug_check" CHECK("speakers"."slug" GLOB '[a-z0-9]*' AND "speakers"."slug" NOT GLOB '*[^a-z0-9-]*'),
	CONSTRAINT "speakers_kind_check" CHECK("speakers"."kind" IN ('person', 'organization')),
	CONSTRAINT "speakers_wikidata_check" CHECK("speakers"."wikidata_id" IS NULL OR ("speakers"."wikidata_id" GLOB 'Q[1-9]*' AND "speakers"."wikidata_id" NOT GLOB 'Q*[^0-9]*'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `speakers_slug_unique` ON `speakers` (`slug`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`disabled_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "users_role_check" CHECK("users"."role" IN ('checker', 'editor', 'admin')),
	CONSTRAINT "users_email_check" CHECK("users"."email" = lower("users"."email") AND "users"."email" LIKE '%_@_%')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `verdicts` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`rating` text NOT NULL,
	`headline` text NOT NULL,
	`summary` text,
	`body` text,
	`evidence` text DEFAULT '[]' NOT NULL,
	`language` text DEFAULT 'de' NOT NULL,
	`reviewer_id` text,
	`editor_id` text,
	`state` text DEFAULT 'draft' NOT NULL,
	`correction_note` text,
	`supersedes_id` text,
	`original_rating` text,
	`published_at` text,
	`retracted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supersedes_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "verdicts_rating_check" CHECK("verdicts"."rating" IN ('true', 'mostly-true', 'half-true', 'missing-context', 'misleading', 'mostly-false', 'false', 'unsupported')),
	CONSTRAINT "verdicts_state_check" CHECK("verdicts"."state" IN ('draft', 'published', 'superseded', 'retracted')),
	CONSTRAINT "verdicts_headline_check" CHECK(length(trim("verdicts"."headline")) > 0 AND length("verdicts"."headline") <= 500),
	CONSTRAINT "verdicts_evidence_check" CHECK(json_valid("verdicts"."evidence") AND json_type("verdicts"."evidence") = 'array'),
	CONSTRAINT "verdicts_published_check" CHECK("verdicts"."state" = 'draft' OR "verdicts"."published_at" IS NOT NULL),
	CONSTRAINT "verdicts_correction_check" CHECK("verdicts"."supersedes_id" IS NULL OR length(trim(coalesce("verdicts"."correction_note", ''))) > 0),
	CONSTRAINT "verdicts_retraction_check" CHECK("verdicts"."state" <> 'retracted' OR length(trim(coalesce("verdicts"."correction_note", ''))) > 0)
);
--> statement-breakpoint
CREATE INDEX `verdicts_claim_idx` ON `verdicts` (`claim_id`,`state`,`published_at`);--> statement-breakpoint
CREATE INDEX `verdicts_published_idx` ON `verdicts` (`state`,`published_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_one_published_unique` ON `verdicts` (`claim_id`) WHERE "verdicts"."state" = 'published';