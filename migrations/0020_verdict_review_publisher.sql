ALTER TABLE `verdicts` ADD `review_url` text;--> statement-breakpoint
ALTER TABLE `verdicts` ADD `review_publisher` text;