-- Written by hand from what drizzle-kit generated (docs/decisions.md): `verdicts` is
-- rebuilt to change a CHECK. D1 keeps foreign keys on, and dropping a table that rows
-- still reference fails even with deferred checks, so the references to verdicts
-- (claims.current_verdict_id, verdicts.supersedes_id) are set aside, emptied, and put
-- back once the new table has the old name. A retraction's reason moves from
-- correction_note to the new retraction_note; a retracted correction keeps the text in
-- both (its own note was overwritten before; the correction check needs one).
CREATE TABLE `__new_verdicts` (
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
	`retraction_note` text,
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
	CONSTRAINT "verdicts_rating_check" CHECK("__new_verdicts"."rating" IN ('true', 'mostly-true', 'half-true', 'missing-context', 'misleading', 'mostly-false', 'false', 'unsupported')),
	CONSTRAINT "verdicts_state_check" CHECK("__new_verdicts"."state" IN ('draft', 'published', 'superseded', 'retracted')),
	CONSTRAINT "verdicts_headline_check" CHECK(length(trim("__new_verdicts"."headline")) > 0 AND length("__new_verdicts"."headline") <= 500),
	CONSTRAINT "verdicts_evidence_check" CHECK(json_valid("__new_verdicts"."evidence") AND json_type("__new_verdicts"."evidence") = 'array'),
	CONSTRAINT "verdicts_published_check" CHECK("__new_verdicts"."state" = 'draft' OR "__new_verdicts"."published_at" IS NOT NULL),
	CONSTRAINT "verdicts_correction_check" CHECK("__new_verdicts"."supersedes_id" IS NULL OR length(trim(coalesce("__new_verdicts"."correction_note", ''))) > 0),
	CONSTRAINT "verdicts_retraction_check" CHECK("__new_verdicts"."state" <> 'retracted' OR length(trim(coalesce("__new_verdicts"."retraction_note", ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE `__verdict_links` AS SELECT `id` AS `claim_id`, `current_verdict_id` FROM `claims` WHERE `current_verdict_id` IS NOT NULL;--> statement-breakpoint
CREATE TABLE `__supersedes` AS SELECT `id`, `supersedes_id` FROM `verdicts` WHERE `supersedes_id` IS NOT NULL;--> statement-breakpoint
UPDATE `claims` SET `current_verdict_id` = NULL WHERE `current_verdict_id` IS NOT NULL;--> statement-breakpoint
INSERT INTO `__new_verdicts`("id", "claim_id", "rating", "headline", "summary", "body", "evidence", "language", "reviewer_id", "editor_id", "state", "correction_note", "retraction_note", "supersedes_id", "original_rating", "published_at", "retracted_at", "version", "created_at", "updated_at") SELECT "id", "claim_id", "rating", "headline", "summary", "body", "evidence", "language", "reviewer_id", "editor_id", "state", CASE WHEN "state" = 'retracted' AND "supersedes_id" IS NULL THEN NULL ELSE "correction_note" END, CASE WHEN "state" = 'retracted' THEN "correction_note" END, NULL, "original_rating", "published_at", "retracted_at", "version", "created_at", "updated_at" FROM `verdicts`;--> statement-breakpoint
DROP TABLE `verdicts`;--> statement-breakpoint
ALTER TABLE `__new_verdicts` RENAME TO `verdicts`;--> statement-breakpoint
UPDATE `verdicts` SET `supersedes_id` = (SELECT s.`supersedes_id` FROM `__supersedes` s WHERE s.`id` = `verdicts`.`id`) WHERE `id` IN (SELECT `id` FROM `__supersedes`);--> statement-breakpoint
UPDATE `claims` SET `current_verdict_id` = (SELECT l.`current_verdict_id` FROM `__verdict_links` l WHERE l.`claim_id` = `claims`.`id`) WHERE `id` IN (SELECT `claim_id` FROM `__verdict_links`);--> statement-breakpoint
DROP TABLE `__supersedes`;--> statement-breakpoint
DROP TABLE `__verdict_links`;--> statement-breakpoint
CREATE INDEX `verdicts_claim_idx` ON `verdicts` (`claim_id`,`state`,`published_at`);--> statement-breakpoint
CREATE INDEX `verdicts_published_idx` ON `verdicts` (`state`,`published_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_one_published_unique` ON `verdicts` (`claim_id`) WHERE "verdicts"."state" = 'published';--> statement-breakpoint
ALTER TABLE `audit_log` ADD `client_request_id` text;
