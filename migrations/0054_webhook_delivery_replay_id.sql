-- The last replay's id (docs/decisions.md, "A delivery has one schedule, the one its replay
-- started"): the replay's queue message carries it, so a retry queued before the replay is
-- told from the replay's own message however early either comes. Null for every row and
-- message so far: a delivery replayed before this migration goes on with its message as it is.
ALTER TABLE `webhook_deliveries` ADD `replay_id` text;
