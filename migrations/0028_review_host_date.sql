DROP INDEX `verdicts_review_host_idx`;--> statement-breakpoint
CREATE INDEX `verdicts_review_host_idx` ON `verdicts` (`review_host`,`published_at`) WHERE "verdicts"."review_host" IS NOT NULL;