-- Verdicts imported before 0020 kept their review's address only as their first evidence
-- link, and read as ours on every surface. An imported publication is audited with
-- "imported": true; its evidence[0] is the review (store/imports). The publisher's name was
-- not kept, so it is the review URL's host, as an import without a reviewer names it.
CREATE TABLE `_backfill_review` (`id` text PRIMARY KEY NOT NULL, `url` text NOT NULL, `host` text NOT NULL);
--> statement-breakpoint
INSERT INTO `_backfill_review` (`id`, `url`, `host`)
SELECT `id`, json_extract(`evidence`, '$[0].url'), substr(json_extract(`evidence`, '$[0].url'), instr(json_extract(`evidence`, '$[0].url'), '://') + 3)
FROM `verdicts`
WHERE `review_url` IS NULL
	AND json_valid(`evidence`)
	AND json_type(`evidence`, '$[0].url') = 'text'
	AND substr(lower(json_extract(`evidence`, '$[0].url')), 1, 7) IN ('http://', 'https:/')
	AND `id` IN (
		SELECT `entity_id` FROM `audit_log`
		WHERE `entity` = 'verdict' AND `action` IN ('publish', 'publish-correction')
			AND json_valid(`changes`) AND json_extract(`changes`, '$.imported') = 1
	);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, 1, instr(`host` || '/', '/') - 1);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, 1, instr(`host` || '?', '?') - 1);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, 1, instr(`host` || '#', '#') - 1);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, instr(`host`, '@') + 1);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, 1, instr(`host`, ':') - 1) WHERE instr(`host`, ':') > 0;
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = lower(`host`);
--> statement-breakpoint
UPDATE `_backfill_review` SET `host` = substr(`host`, 5) WHERE substr(`host`, 1, 4) = 'www.';
--> statement-breakpoint
UPDATE `verdicts`
SET `review_url` = (SELECT `url` FROM `_backfill_review` `b` WHERE `b`.`id` = `verdicts`.`id`),
	`review_publisher` = (SELECT `host` FROM `_backfill_review` `b` WHERE `b`.`id` = `verdicts`.`id`)
WHERE `id` IN (SELECT `id` FROM `_backfill_review` WHERE `host` <> '');
--> statement-breakpoint
DROP TABLE `_backfill_review`;
