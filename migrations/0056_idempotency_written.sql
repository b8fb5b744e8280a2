ALTER TABLE `idempotency_keys` ADD `written_at` text;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `written_id` text;