-- Answers kept for Idempotency-Key repeats completed before 0044 name no claim (`claim_id`
-- NULL) for up to 24 h, and a claim's removal empties only answers naming it: such an
-- answer kept the removed claim's words, and a repeat answered 201 with them. Each takes
-- its claim from the request it answered, as routes/api/created.ts keeps it: the scope
-- `POST /api/v1/claims/<id>/appearances|notes|verdicts <body's hash>` names it (a draft
-- discarded since too, whose verdict row is gone); a claim's create
-- (`POST /api/v1/claims <hash>`) by its address, `…/api/v1/claims/<id>`. Other requests (a
-- webhook's, the desk's forms) name no claim.
UPDATE `idempotency_keys` SET `claim_id` = CASE
  WHEN `scope` LIKE 'POST /api/v1/claims/%/%' THEN
    substr(`scope`, 21, instr(substr(`scope`, 21), '/') - 1)
  WHEN `scope` LIKE 'POST /api/v1/claims %' AND instr(`location`, '/api/v1/claims/') > 0 THEN
    substr(`location`, instr(`location`, '/api/v1/claims/') + 15)
END
WHERE `claim_id` IS NULL AND `scope` LIKE 'POST /api/v1/claims%';--> statement-breakpoint
-- A claim removed before 0044 left its answers whole: emptied now, as the removal empties
-- them since (status 410, no body, no address; the key stays so a repeat records nothing).
UPDATE `idempotency_keys` SET `status` = 410, `body` = NULL, `location` = NULL
WHERE `claim_id` IN (SELECT `id` FROM `retired_claims` WHERE `merged_into` IS NULL)
  AND (`body` IS NOT NULL OR `location` IS NOT NULL);
