-- Hand-written (docs/decisions.md, "Stemmed search"): claims_fts gets a fourth column,
-- `terms` = claims.search_terms (migration 0011): the Snowball stems (German, English)
-- of the claim's text and context and of its current published verdict's headline and
-- summary, written by the app in the same batch as every change to them. FTS5 cannot
-- add a column, so the index is dropped and made anew (same tokenizer and prefix
-- indexes) and filled from the rows there are; every trigger is recreated to write
-- `terms`, and a change of search_terms alone re-indexes the claim.
-- Claims stored before 0011 have no search_terms (an empty `terms`) until
-- `npm run reindex` computes them; their text, speakers and sources are searchable as before.
-- Ranking: bm25 weighs a match in the claim's text 10, speaker 4, sources 2, stems 1,
-- so a claim that says the word beats one that only has its stem or its verdict does.
DROP TRIGGER IF EXISTS claims_fts_claim_insert;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_claim_update;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_speaker_update;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_alias_insert;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_alias_delete;
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
	body, speaker, sources, terms,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO claims_fts(claims_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0)');
--> statement-breakpoint
INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_insert AFTER INSERT ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_update AFTER UPDATE OF text, speaker_id, search_terms ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_speaker_update AFTER UPDATE OF name ON speakers BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_alias_insert AFTER INSERT ON speaker_aliases BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.speaker_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.speaker_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_alias_delete AFTER DELETE ON speaker_aliases BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = OLD.speaker_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = OLD.speaker_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_insert AFTER INSERT ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = NEW.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = NEW.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_delete AFTER DELETE ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = OLD.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = OLD.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_source_update AFTER UPDATE OF title, publisher ON sources BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id));
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), ''),
		coalesce(c.search_terms, '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_delete AFTER DELETE ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid = OLD.seq;
END;
