-- Hand-written: full-text index over claim text, speaker names and aliases,
-- and the titles and publishers of the sources a claim appears in.
-- rowid = claims.seq. `remove_diacritics 2` folds Wŏnsan/Wonsan and Größe/Grosse-style
-- accents; prefix indexes keep `kurs*` queries fast.
CREATE VIRTUAL TABLE claims_fts USING fts5(
	body, speaker, sources,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
--> statement-breakpoint
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
-- batch_guards only exists to fail a CHECK inside a batch; rows that pass are removed at once.
CREATE TRIGGER batch_guards_clear AFTER INSERT ON batch_guards BEGIN
	DELETE FROM batch_guards WHERE id = NEW.id;
END;
