-- A reviewed claim whose last public change came after its last review (publication,
-- correction or retraction) was changed since: its feed entry comes back up by that time.
UPDATE `claims` SET `changed_at` = `updated_at`
WHERE (`current_verdict_id` IS NOT NULL OR `status` = 'retracted')
  AND `updated_at` > (SELECT max(`v`.`updated_at`) FROM `verdicts` AS `v` WHERE `v`.`claim_id` = `claims`.`id` AND `v`.`state` <> 'draft');
