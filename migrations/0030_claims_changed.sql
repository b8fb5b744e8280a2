DROP INDEX `claims_updated_idx`;--> statement-breakpoint
ALTER TABLE `claims` ADD `changed_at` text;--> statement-breakpoint
CREATE INDEX `claims_changed_idx` ON `claims` (`changed_at`) WHERE "claims"."changed_at" IS NOT NULL;