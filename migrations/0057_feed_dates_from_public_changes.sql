-- Hand-written (docs/decisions.md, "An upgrade from before 0030 keeps its feed entries'
-- times"). 0031 took a reviewed claim's `updated_at` for its last public change, and 0055
-- copied it into `quoted_at`; a release before 0030 also moved `updated_at` for a topic set
-- on the claim or another speaker merged into its speaker, which its feed never showed (its
-- entries were dated by their public change rows alone). Upgraded in one go, such claims'
-- entries, "Correction:" and "Superseded:" ones too, jumped to the top of the feed at that
-- time and were announced again. Their times are read again here from what that feed read:
-- `changed_at` the newest public change row since the claim's last review, `quoted_at` the
-- newest of those its older entries' titles show (words, language, speaker), else null. The
-- same rule as a restore of a backup made before 0030 (store/public-changes
-- `datePublicChangesSinceReview`): keep the two in step.
--
-- Only what 0031 dated in this same upgrade, which no reader has seen yet: 0031 recorded less
-- than an hour ago, and the claim's three times still as 0031 and 0055 left them, from before
-- 0031 ran (5 s for two clocks). A database upgraded across 0031 before keeps its entries where
-- its readers have them (moved back, they would be announced once more), and one made on a
-- release with 0031 holds only times the application wrote, after it ran (a speaker's rename
-- writes no change row: this would undate it). Where migrations are applied without wrangler's
-- table (the bench's and CLI tests' one batch on a new database) it is made empty, and nothing
-- matches.
CREATE TABLE IF NOT EXISTS `d1_migrations` (
	`id` INTEGER PRIMARY KEY AUTOINCREMENT,
	`name` TEXT UNIQUE,
	`applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
--> statement-breakpoint
UPDATE `claims` SET
	`changed_at` = (
		SELECT max(`c`.`created_at`) FROM `claim_changes` AS `c`
		WHERE `c`.`claim_id` = `claims`.`id` AND `c`.`is_public` = 1
			AND `c`.`created_at` > (SELECT max(`v`.`updated_at`) FROM `verdicts` AS `v` WHERE `v`.`claim_id` = `claims`.`id` AND `v`.`state` <> 'draft')
	),
	`quoted_at` = (
		SELECT max(`c`.`created_at`) FROM `claim_changes` AS `c`
		WHERE `c`.`claim_id` = `claims`.`id` AND `c`.`is_public` = 1 AND `c`.`field` IN ('text', 'language', 'speaker')
			AND `c`.`created_at` > (SELECT max(`v`.`updated_at`) FROM `verdicts` AS `v` WHERE `v`.`claim_id` = `claims`.`id` AND `v`.`state` <> 'draft')
	)
WHERE `changed_at` IS NOT NULL
	AND `changed_at` = `updated_at`
	AND `quoted_at` IS `changed_at`
	AND `changed_at` < (
		SELECT strftime('%Y-%m-%dT%H:%M:%fZ', `applied_at`, '-5 seconds') FROM `d1_migrations`
		WHERE substr(`name`, 1, 5) = '0031_' AND `applied_at` > datetime('now', '-1 hour')
	);
