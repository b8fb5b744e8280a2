PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_claim_changes` (
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
	CONSTRAINT "claim_changes_field_check" CHECK("__new_claim_changes"."field" IN ('text', 'claimedAt', 'language', 'context', 'speaker', 'appearance')),
	CONSTRAINT "claim_changes_public_note_check" CHECK("__new_claim_changes"."is_public" = 0 OR length(trim(coalesce("__new_claim_changes"."note", ''))) > 0)
);
--> statement-breakpoint
INSERT INTO `__new_claim_changes`("id", "claim_id", "field", "from_value", "to_value", "note", "is_public", "created_at", "actor_id") SELECT "id", "claim_id", "field", "from_value", "to_value", "note", "is_public", "created_at", "actor_id" FROM `claim_changes`;--> statement-breakpoint
DROP TABLE `claim_changes`;--> statement-breakpoint
ALTER TABLE `__new_claim_changes` RENAME TO `claim_changes`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `claim_changes_claim_idx` ON `claim_changes` (`claim_id`,`id`);