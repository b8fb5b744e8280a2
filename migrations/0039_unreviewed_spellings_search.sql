-- Hand-written (docs/decisions.md, "A spelling never public is searched on the desk only"):
-- with PUBLIC_UNREVIEWED = "hide", a spelling a speaker merge brought from a speaker only
-- unreviewed claims named (`speaker_aliases.was_public` 0, migration 0038) was never public,
-- and the API and webhooks leave it out; but the index's `speaker` column held every
-- spelling, so a public search by one found the survivor's reviewed claims and told whom the
-- person was merged into. Such spellings now have a fifth column, `speaker_unreviewed`: the
-- desk's search and the public one where unreviewed claims are listed read every column, as
-- before; the public search under "hide" leaves that one out (a column filter, domain/
-- search-query `withoutUnreviewedSpellings`). FTS5 cannot add a column, so the index is made
-- anew as 0012 made it (same tokenizer and prefix indexes; bm25 weighs the new column 4, as
-- `speaker`) and filled from the rows there are; every trigger that writes a claim's row is
-- recreated with the two speaker expressions, the rest as 0034 made them. A merge flags the
-- spellings it moves before it sets the claims' speaker, which re-indexes them.
DROP TRIGGER IF EXISTS claims_fts_claim_insert;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_update;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_speaker_update;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_appearance_insert;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_appearance_delete;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_source_update;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_delete;
--> statement-breakpoint
DROP TABLE IF EXISTS claims_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE claims_fts USING fts5(
	body, speaker, sources, terms, speaker_unreviewed,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO claims_fts(claims_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0, 4.0)');
--> statement-breakpoint
INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
SELECT c.seq, c.text,
	coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
	coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
	coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
	coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_insert AFTER INSERT ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_update AFTER UPDATE OF text, speaker_id, search_terms ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_speaker_update AFTER UPDATE OF name ON speakers BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_insert AFTER INSERT ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = NEW.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = NEW.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_delete AFTER DELETE ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = OLD.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = OLD.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_source_update AFTER UPDATE OF title, publisher ON sources BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id));
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND a.was_public), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce((SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id AND NOT a.was_public), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_delete AFTER DELETE ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid = OLD.seq;
END;
