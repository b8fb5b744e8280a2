CREATE TABLE `retired_claims` (
	`id` text PRIMARY KEY NOT NULL,
	`merged_into` text,
	`removed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`merged_into`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "retired_claims_one_fate_check" CHECK(("retired_claims"."merged_into" IS NULL) <> ("retired_claims"."removed_at" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `retired_claims_merged_into_idx` ON `retired_claims` (`merged_into`);--> statement-breakpoint
ALTER TABLE `claim_notes` ADD `merged_from` text;