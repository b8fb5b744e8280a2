-- Soft hyphens (U+00AD), zero-width spaces (U+200B), word joiners (U+2060) and byte-order
-- marks (U+FEFF) are taken out of stored claim text, context, source titles and publishers
-- and merged claims' words, and the Latin ligatures U+FB00-FB06 spelt out (domain/plain-text
-- cleanPlainText does so on every write of these from now on): FTS5 read them as a break
-- inside a word, so "Lohnerhöhung" missed "Lohn<shy>erhöhung".
-- Not speakers' names and aliases: a speaker is found by the key its name folds to
-- (speaker_aliases.normalized, where a soft hyphen made a word break), which SQL cannot
-- recompute; cleaned names would no longer meet the keys, and a name pasted again with its
-- soft hyphen would create a second speaker. Names are stored as written, as before.
-- A text is left as it is where cleaning would leave it blank, or a quote over its 10,000
-- characters (a ligature spelt out is two or three letters).
-- Each claim whose words or merged claims' words change is re-indexed at once (the claims
-- update fires the index's trigger); its search terms stay until the desk Worker's cron
-- writes every claim's anew for SEARCH_TERMS_VERSION 4 (until then it is found by its words,
-- and by its numbers as written, as any claim whose terms carry an older mark).
-- Fingerprints fold all of these characters already (domain/fingerprint).
CREATE TABLE `_layout_hints_claims` (`id` text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT OR IGNORE INTO `_layout_hints_claims` (`id`)
SELECT c.`id` FROM `claims` c
WHERE c.`text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' OR c.`context` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*'
	OR c.`id` IN (SELECT r.`merged_into` FROM `retired_claims` r WHERE r.`merged_into` IS NOT NULL AND r.`text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*');
--> statement-breakpoint
UPDATE `sources` SET `title` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`title`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `title` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*';
--> statement-breakpoint
UPDATE `sources` SET `publisher` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`publisher`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `publisher` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*';
--> statement-breakpoint
UPDATE `retired_claims` SET `text` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') WHERE `text` GLOB '*[' || char(173,8203,8288,65279,64256,64257,64258,64259,64260,64261,64262) || ']*' AND trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '' AND length(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <= 10000;
--> statement-breakpoint
UPDATE `claims` SET
	`text` = CASE WHEN trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <> '' AND length(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st')) <= 10000 THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`text`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st') ELSE `text` END,
	`context` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`context`, char(173), ''), char(8203), ''), char(8288), ''), char(65279), ''), char(64256), 'ff'), char(64257), 'fi'), char(64258), 'fl'), char(64259), 'ffi'), char(64260), 'ffl'), char(64261), 'st'), char(64262), 'st'),
	`search_terms` = `search_terms`
WHERE `id` IN (SELECT `id` FROM `_layout_hints_claims`);
--> statement-breakpoint
DROP TABLE `_layout_hints_claims`;
