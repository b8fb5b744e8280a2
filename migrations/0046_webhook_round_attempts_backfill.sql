-- Before 0045 a replay set `attempts` back to 0, so a delivery's `attempts` counted only the
-- attempts since its last replay: the retry schedule's step, now `round_attempts`. `attempts`
-- counts every attempt made from now on, so it is set to the attempts in the delivery's log
-- (a delivery replayed before this keeps its log entries as numbered then).
UPDATE `webhook_deliveries` SET `round_attempts` = `attempts`;--> statement-breakpoint
UPDATE `webhook_deliveries` SET `attempts` = max(`attempts`, (
  SELECT count(*) FROM `webhook_attempts` AS `a` WHERE `a`.`delivery_id` = `webhook_deliveries`.`id`
));
