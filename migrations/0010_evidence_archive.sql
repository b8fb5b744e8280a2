CREATE TABLE `snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`final_url` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`http_status` integer,
	`content_type` text,
	`sha256` text,
	`bytes` integer,
	`fetched_at` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "snapshots_state_check" CHECK("snapshots"."state" IN ('pending', 'ok', 'failed')),
	CONSTRAINT "snapshots_url_check" CHECK("snapshots"."url" GLOB 'http*://*' AND length("snapshots"."url") <= 2048),
	CONSTRAINT "snapshots_sha256_check" CHECK("snapshots"."sha256" IS NULL OR length("snapshots"."sha256") = 64)
);
--> statement-breakpoint
CREATE INDEX `snapshots_url_idx` ON `snapshots` (`url`,`created_at`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`caption` text,
	`is_public` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "uploads_content_type_check" CHECK("uploads"."content_type" IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')),
	CONSTRAINT "uploads_filename_check" CHECK(length(trim("uploads"."filename")) > 0 AND length("uploads"."filename") <= 200),
	CONSTRAINT "uploads_sha256_check" CHECK(length("uploads"."sha256") = 64)
);
--> statement-breakpoint
CREATE INDEX `uploads_claim_idx` ON `uploads` (`claim_id`,`created_at`);