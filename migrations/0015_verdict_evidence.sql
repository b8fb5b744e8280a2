CREATE TABLE `verdict_evidence` (
	`url` text NOT NULL,
	`verdict_id` text NOT NULL,
	PRIMARY KEY(`url`, `verdict_id`)
);
--> statement-breakpoint
CREATE INDEX `verdict_evidence_verdict_idx` ON `verdict_evidence` (`verdict_id`);