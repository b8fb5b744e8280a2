CREATE TABLE `claim_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`author_id` text,
	`text` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "claim_notes_text_check" CHECK(length(trim("claim_notes"."text")) > 0 AND length("claim_notes"."text") <= 5000)
);
--> statement-breakpoint
CREATE INDEX `claim_notes_claim_idx` ON `claim_notes` (`claim_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `claim_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`claim_seq` integer NOT NULL,
	`tag_slug` text NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_slug`) REFERENCES `tags`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_tags_claim_tag_unique` ON `claim_tags` (`claim_id`,`tag_slug`);--> statement-breakpoint
CREATE INDEX `claim_tags_tag_seq_idx` ON `claim_tags` (`tag_slug`,`claim_seq`);--> statement-breakpoint
CREATE TABLE `tags` (
	`slug` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_de` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "tags_slug_check" CHECK("tags"."slug" GLOB '[a-z0-9]*' AND "tags"."slug" NOT GLOB '*[^a-z0-9-]*' AND length("tags"."slug") BETWEEN 1 AND 60)
);
--> statement-breakpoint
CREATE TABLE `verdict_returns` (
	`id` text PRIMARY KEY NOT NULL,
	`verdict_id` text NOT NULL,
	`note` text NOT NULL,
	`actor_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`verdict_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "verdict_returns_note_check" CHECK(length(trim("verdict_returns"."note")) > 0 AND length("verdict_returns"."note") <= 5000)
);
--> statement-breakpoint
CREATE INDEX `verdict_returns_verdict_idx` ON `verdict_returns` (`verdict_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `claims` ADD `assignee_id` text REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `claims_assignee_idx` ON `claims` (`assignee_id`);--> statement-breakpoint
ALTER TABLE `verdicts` ADD `changes_requested_at` text;