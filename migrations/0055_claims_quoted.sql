ALTER TABLE `claims` ADD `quoted_at` text;--> statement-breakpoint
-- What a feed entry no longer standing shows changed last: begun as `changed_at`, which dated
-- those entries until now, so that no entry's `updated` goes back (RFC 4287).
UPDATE `claims` SET `quoted_at` = `changed_at` WHERE `changed_at` IS NOT NULL;
