ALTER TABLE `api_tokens` ADD `created_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `token_minted_by` text REFERENCES users(id);--> statement-breakpoint
-- Who minted each token made before the column: the actor of its create-token audit row, whose
-- changes carry the token's id (an admin's for someone else, or the owner's). Tokens the CLI
-- minted (no user acted) stay null, as the CLI's do from now on.
UPDATE `api_tokens` SET `created_by` = (
	SELECT `audit_log`.`actor_id` FROM `audit_log`
	WHERE `audit_log`.`entity` = 'user'
		AND `audit_log`.`entity_id` = `api_tokens`.`user_id`
		AND `audit_log`.`action` = 'create-token'
		AND json_extract(`audit_log`.`changes`, '$.id') = `api_tokens`.`id`
	ORDER BY `audit_log`.`id`
	LIMIT 1
);
