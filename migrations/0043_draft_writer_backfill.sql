-- Before 0042 a claim given back to nobody (by its checker, by an editor, or released when its
-- assignee's account was disabled) returned its open draft to the checker who drafted it, not
-- to the one who held the claim and wrote it last. Such a draft goes to that holder now: the
-- `from` of the claim's last unassignment since the draft was opened (both audited). Only a
-- user the database holds (writer_id refers to users; an audit row may name one it lacks, as
-- after a restore that merged a user): else NULL, the drafter's as before. A restore of a backup
-- made before 0042 runs the same (src/store/draft-writer.ts `writersFromUnassignments`): keep
-- the two in step.
UPDATE `verdicts` SET `writer_id` = (
  SELECT `u`.`id` FROM `users` AS `u` WHERE `u`.`id` = (
    SELECT json_extract(`a`.`changes`, '$.from') FROM `audit_log` AS `a`
    WHERE `a`.`entity` = 'claim' AND `a`.`entity_id` = `verdicts`.`claim_id` AND `a`.`action` = 'unassign'
      AND `a`.`id` > (
        SELECT min(`d`.`id`) FROM `audit_log` AS `d`
        WHERE `d`.`entity` = 'verdict' AND `d`.`entity_id` = `verdicts`.`id` AND `d`.`action` = 'create-draft'
      )
    ORDER BY `a`.`id` DESC LIMIT 1
  )
)
WHERE `state` = 'draft'
  AND (SELECT `assignee_id` FROM `claims` WHERE `claims`.`id` = `verdicts`.`claim_id`) IS NULL;
