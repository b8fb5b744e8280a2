-- Soft hyphens (U+00AD), zero-width spaces (U+200B), word joiners (U+2060) and byte-order
-- marks (U+FEFF) are taken out of stored text, and the Latin ligatures U+FB00-FB06 spelt out
-- (domain/plain-text cleanPlainText does so on every write from now on): FTS5 read them as a
-- break inside a word, so "Lohnerhöhung" missed "Lohn<shy>erhöhung". The claims whose words
-- change here, or whose speaker's name or aliases or merged claims' words do, have their
-- search terms cleared: the claims update below re-indexes their FTS row with every cleaned
-- field, and the desk Worker's daily cron writes their terms anew. Fingerprints fold all of
-- these characters already (domain/fingerprint), so they stay as they are; so does
-- speaker_aliases.normalized (the unique key a speaker's spellings are kept apart by).
CREATE TABLE `_layout_hints_claims` (`id` text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT OR IGNORE INTO `_layout_hints_claims` (`id`)
SELECT c.`id` FROM `claims` c
WHERE c.`text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' OR c.`context` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*'
	OR c.`speaker_id` IN (SELECT s.`id` FROM `speakers` s WHERE s.`name` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*')
	OR c.`speaker_id` IN (SELECT a.`speaker_id` FROM `speaker_aliases` a WHERE a.`alias` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*')
	OR c.`id` IN (SELECT r.`merged_into` FROM `retired_claims` r WHERE r.`merged_into` IS NOT NULL AND r.`text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*');
--> statement-breakpoint
UPDATE `speaker_aliases` SET `alias` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`alias`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `alias` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' AND trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`alias`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '';
--> statement-breakpoint
UPDATE `speakers` SET `name` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`name`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `name` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' AND trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`name`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '';
--> statement-breakpoint
UPDATE `sources` SET `title` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`title`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `title` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*';
--> statement-breakpoint
UPDATE `sources` SET `publisher` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`publisher`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `publisher` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*';
--> statement-breakpoint
UPDATE `retired_claims` SET `text` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st'), `search_terms` = NULL WHERE `text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' AND trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '';
--> statement-breakpoint
UPDATE `claims` SET
	`text` = CASE WHEN trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') ELSE `text` END,
	`context` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`context`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st'),
	`search_terms` = NULL
WHERE `id` IN (SELECT `id` FROM `_layout_hints_claims`);
--> statement-breakpoint
DROP TABLE `_layout_hints_claims`;
