ALTER TABLE `retired_claims` ADD `text` text;--> statement-breakpoint
ALTER TABLE `retired_claims` ADD `language` text;--> statement-breakpoint
ALTER TABLE `retired_claims` ADD `fingerprint` text;--> statement-breakpoint
ALTER TABLE `retired_claims` ADD `speaker_id` text;--> statement-breakpoint
ALTER TABLE `retired_claims` ADD `search_terms` text;--> statement-breakpoint
CREATE INDEX `retired_claims_fingerprint_idx` ON `retired_claims` (`fingerprint`) WHERE "retired_claims"."fingerprint" IS NOT NULL;