-- Written by hand from what drizzle-kit generated (docs/decisions.md): `claims` is
-- rebuilt to allow the status "retracted". D1 keeps foreign keys on, and a table that
-- rows still reference cannot be dropped, so appearances and verdicts (which reference
-- claims) and claims.current_verdict_id are set aside and put back once the new table
-- has the old name. Dropping `claims` also drops its FTS triggers, and triggers on other
-- tables that name `claims` would make the rename fail: all FTS triggers of 0001 and the
-- expression index of 0003 are dropped first and recreated as they were. Claims whose
-- last verdict was retracted (and none published since) get the new status.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_claims` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`text` text NOT NULL,
	`language` text NOT NULL,
	`speaker_id` text,
	`claimed_at` text,
	`context` text,
	`status` text DEFAULT 'unverified' NOT NULL,
	`current_verdict_id` text,
	`reviewed_at` text,
	`fingerprint` text NOT NULL,
	`external_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`speaker_id`) REFERENCES `speakers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`current_verdict_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "claims_text_check" CHECK(length(trim("__new_claims"."text")) > 0 AND length("__new_claims"."text") <= 10000),
	CONSTRAINT "claims_language_check" CHECK("__new_claims"."language" GLOB '[a-z][a-z]*' AND length("__new_claims"."language") <= 35),
	CONSTRAINT "claims_status_check" CHECK("__new_claims"."status" IN ('unverified', 'in-review', 'retracted', 'true', 'mostly-true', 'half-true', 'missing-context', 'misleading', 'mostly-false', 'false', 'unsupported')),
	CONSTRAINT "claims_claimed_at_check" CHECK("__new_claims"."claimed_at" IS NULL OR ("__new_claims"."claimed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' AND date(substr("__new_claims"."claimed_at", 1, 10)) = substr("__new_claims"."claimed_at", 1, 10))),
	CONSTRAINT "claims_version_check" CHECK("__new_claims"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE `__appearances` AS SELECT "id", "claim_id", "source_id", "quote", "anchor", "is_first", "created_at", "created_by" FROM `appearances`;--> statement-breakpoint
CREATE TABLE `__verdicts` AS SELECT "id", "claim_id", "rating", "headline", "summary", "body", "evidence", "language", "reviewer_id", "editor_id", "state", "correction_note", "retraction_note", "supersedes_id", "original_rating", "published_at", "retracted_at", "version", "created_at", "updated_at" FROM `verdicts`;--> statement-breakpoint
CREATE TABLE `__verdict_links` AS SELECT `id` AS `claim_id`, `current_verdict_id` FROM `claims` WHERE `current_verdict_id` IS NOT NULL;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_insert;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_update;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_speaker_update;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_alias_insert;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_alias_delete;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_appearance_insert;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_appearance_delete;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_source_update;--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_delete;--> statement-breakpoint
INSERT INTO `__new_claims`("seq", "id", "text", "language", "speaker_id", "claimed_at", "context", "status", "current_verdict_id", "reviewed_at", "fingerprint", "external_id", "version", "created_at", "updated_at", "created_by") SELECT "seq", "id", "text", "language", "speaker_id", "claimed_at", "context", CASE WHEN "status" IN ('unverified', 'in-review') AND EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claims.id AND v.state = 'retracted') THEN 'retracted' ELSE "status" END, NULL, "reviewed_at", "fingerprint", "external_id", "version", "created_at", "updated_at", "created_by" FROM `claims`;--> statement-breakpoint
UPDATE `claims` SET `current_verdict_id` = NULL WHERE `current_verdict_id` IS NOT NULL;--> statement-breakpoint
DELETE FROM `appearances`;--> statement-breakpoint
DELETE FROM `verdicts`;--> statement-breakpoint
DROP TABLE `claims`;--> statement-breakpoint
ALTER TABLE `__new_claims` RENAME TO `claims`;--> statement-breakpoint
-- The unique index on claims.id first: appearances and verdicts reference it.
CREATE UNIQUE INDEX `claims_id_unique` ON `claims` (`id`);--> statement-breakpoint
CREATE INDEX `claims_claimed_idx` ON `claims` (`claimed_at`);--> statement-breakpoint
CREATE INDEX `claims_reviewed_idx` ON `claims` (`reviewed_at`);--> statement-breakpoint
CREATE INDEX `claims_status_idx` ON `claims` (`status`);--> statement-breakpoint
CREATE INDEX `claims_speaker_idx` ON `claims` (`speaker_id`);--> statement-breakpoint
CREATE INDEX `claims_language_idx` ON `claims` (`language`);--> statement-breakpoint
CREATE INDEX `claims_fingerprint_idx` ON `claims` (`fingerprint`,`speaker_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `claims_external_id_unique` ON `claims` (`external_id`);--> statement-breakpoint
INSERT INTO `verdicts`("id", "claim_id", "rating", "headline", "summary", "body", "evidence", "language", "reviewer_id", "editor_id", "state", "correction_note", "retraction_note", "supersedes_id", "original_rating", "published_at", "retracted_at", "version", "created_at", "updated_at") SELECT "id", "claim_id", "rating", "headline", "summary", "body", "evidence", "language", "reviewer_id", "editor_id", "state", "correction_note", "retraction_note", "supersedes_id", "original_rating", "published_at", "retracted_at", "version", "created_at", "updated_at" FROM `__verdicts`;--> statement-breakpoint
INSERT INTO `appearances`("id", "claim_id", "source_id", "quote", "anchor", "is_first", "created_at", "created_by") SELECT "id", "claim_id", "source_id", "quote", "anchor", "is_first", "created_at", "created_by" FROM `__appearances`;--> statement-breakpoint
UPDATE `claims` SET `current_verdict_id` = (SELECT l.`current_verdict_id` FROM `__verdict_links` l WHERE l.`claim_id` = `claims`.`id`) WHERE `id` IN (SELECT `claim_id` FROM `__verdict_links`);--> statement-breakpoint
DROP TABLE `__appearances`;--> statement-breakpoint
DROP TABLE `__verdicts`;--> statement-breakpoint
DROP TABLE `__verdict_links`;--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_insert AFTER INSERT ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_update AFTER UPDATE OF text, speaker_id ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_speaker_update AFTER UPDATE OF name ON speakers BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.id);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_alias_insert AFTER INSERT ON speaker_aliases BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.speaker_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.speaker_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_alias_delete AFTER DELETE ON speaker_aliases BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = OLD.speaker_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = OLD.speaker_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_insert AFTER INSERT ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = NEW.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = NEW.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_delete AFTER DELETE ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = OLD.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = OLD.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_source_update AFTER UPDATE OF title, publisher ON sources BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id));
	INSERT INTO claims_fts(rowid, body, speaker, sources)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_delete AFTER DELETE ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid = OLD.seq;
END;
--> statement-breakpoint
CREATE INDEX `claims_language_primary_idx` ON `claims` (substr("language", 1, instr("language" || '-', '-') - 1));
