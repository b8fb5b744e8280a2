CREATE TABLE `claim_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`field` text NOT NULL,
	`from_value` text,
	`to_value` text,
	`note` text,
	`is_public` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`actor_id` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "claim_changes_field_check" CHECK("claim_changes"."field" IN ('text', 'claimedAt', 'language', 'context', 'speaker')),
	CONSTRAINT "claim_changes_public_note_check" CHECK("claim_changes"."is_public" = 0 OR length(trim(coalesce("claim_changes"."note", ''))) > 0)
);
--> statement-breakpoint
CREATE INDEX `claim_changes_claim_idx` ON `claim_changes` (`claim_id`,`id`);--> statement-breakpoint
CREATE TABLE `speaker_redirects` (
	`slug` text PRIMARY KEY NOT NULL,
	`speaker_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`speaker_id`) REFERENCES `speakers`(`id`) ON UPDATE no action ON DELETE no action
);
