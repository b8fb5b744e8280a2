-- One open draft per claim (drizzle-kit generated the index; the two statements before
-- it are written by hand). A database may hold claims with several open drafts from
-- before: all but the most recently saved one are discarded as the desk discards a
-- draft, audited as "discard-draft" (actor "migration 0007") with their whole content,
-- so nothing is lost, and then the partial unique index can hold.
INSERT INTO `audit_log` (`actor_label`, `action`, `entity`, `entity_id`, `changes`)
SELECT 'migration 0007', 'discard-draft', 'verdict', v.`id`, json_object(
	'claimId', v.`claim_id`, 'rating', v.`rating`, 'headline', v.`headline`, 'summary', v.`summary`,
	'body', v.`body`, 'evidence', json(v.`evidence`), 'language', v.`language`,
	'reviewerId', v.`reviewer_id`, 'version', v.`version`, 'createdAt', v.`created_at`,
	'updatedAt', v.`updated_at`, 'reason', 'another draft of the claim was open')
FROM `verdicts` v
WHERE v.`state` = 'draft' AND EXISTS (
	SELECT 1 FROM `verdicts` w
	WHERE w.`claim_id` = v.`claim_id` AND w.`state` = 'draft'
		AND (w.`updated_at` > v.`updated_at` OR (w.`updated_at` = v.`updated_at` AND w.`id` > v.`id`))
);--> statement-breakpoint
DELETE FROM `verdicts`
WHERE `state` = 'draft' AND EXISTS (
	SELECT 1 FROM `verdicts` w
	WHERE w.`claim_id` = `verdicts`.`claim_id` AND w.`state` = 'draft'
		AND (w.`updated_at` > `verdicts`.`updated_at` OR (w.`updated_at` = `verdicts`.`updated_at` AND w.`id` > `verdicts`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_one_draft_unique` ON `verdicts` (`claim_id`) WHERE "verdicts"."state" = 'draft';
