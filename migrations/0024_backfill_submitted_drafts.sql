-- Before 0023 every open draft was in the editors' review queue from its first save. Those
-- waiting for an editor stay there: submitted at their last save. A draft an editor returned
-- and its checker has not saved since is the checker's to resubmit, as a return is now.
UPDATE `verdicts` SET `submitted_at` = `updated_at`
WHERE `state` = 'draft' AND `submitted_at` IS NULL AND `changes_requested_at` IS NULL;
