-- Hand-written (docs/decisions.md, "A merged duplicate's words find the claim kept"): a
-- merge kept the duplicate's words only as the moved appearance's quote, which no index
-- reads, so search, matching and imports lost them. `retired_claims` now keeps a merged
-- claim's text, language, fingerprint and speaker (0033; `search_terms`: its stems, written
-- by the app), and the claim kept's FTS row reads them: the words as written in `sources`
-- (bm25 weight 2, as a source's title), their stems in `terms`. Each trigger that writes a
-- claim's row is recreated with those two expressions; the rest is as 0012 made it. The
-- words follow the rows that hold them (a merge of the claim kept moves them on, a removal
-- clears them), and the writers of those rows re-index the claim kept in the same batch.
-- Re-indexing one claim reads its merged rows by `retired_claims_merged_into_idx`: work
-- bounded by the claims merged into it, never by the archive.
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
CREATE TRIGGER claims_fts_claim_insert AFTER INSERT ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_claim_update AFTER UPDATE OF text, speaker_id, search_terms ON claims BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.seq = NEW.seq);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.seq = NEW.seq;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_speaker_update AFTER UPDATE OF name ON speakers BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.speaker_id = NEW.id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.speaker_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_insert AFTER INSERT ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = NEW.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = NEW.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_appearance_delete AFTER DELETE ON appearances BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id = OLD.claim_id);
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id = OLD.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER claims_fts_source_update AFTER UPDATE OF title, publisher ON sources BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT c.seq FROM claims c WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id));
	INSERT INTO claims_fts(rowid, body, speaker, sources, terms)
	SELECT c.seq, c.text,
		coalesce(s.name, '') || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM speaker_aliases a WHERE a.speaker_id = c.speaker_id), ''),
		coalesce((SELECT group_concat(coalesce(so.title, '') || ' ' || coalesce(so.publisher, ''), ' ') FROM appearances ap JOIN sources so ON so.id = ap.source_id WHERE ap.claim_id = c.id), '') || coalesce(' ' || (SELECT group_concat(r.text, ' ') FROM retired_claims r WHERE r.merged_into = c.id), ''),
		coalesce(c.search_terms, '') || coalesce(' ' || (SELECT group_concat(r.search_terms, ' ') FROM retired_claims r WHERE r.merged_into = c.id), '')
	FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
	WHERE c.id IN (SELECT claim_id FROM appearances WHERE source_id = NEW.id);
END;
--> statement-breakpoint
-- The words of claims merged before, from their merges' audit rows (the duplicate's
-- `merged-into` row names the claim it went into, whose `merge` row holds what the duplicate
-- was): two index searches a merged claim. A removal redacted those rows and retired its
-- merged ids (merged_into NULL), so nothing of a removed claim comes back.
UPDATE retired_claims SET
	text = m.merged ->> '$.text',
	language = m.merged ->> '$.language',
	speaker_id = m.merged ->> '$.speaker.id'
FROM (
	SELECT r.id AS id, a.changes -> '$.merged' AS merged
	FROM retired_claims r
	JOIN audit_log d ON d.entity = 'claim' AND d.entity_id = r.id AND d.action = 'merged-into'
	JOIN audit_log a ON a.entity = 'claim' AND a.entity_id = d.changes ->> '$.into' AND a.action = 'merge'
		AND a.changes ->> '$.mergedFrom' = r.id
	WHERE r.merged_into IS NOT NULL AND r.text IS NULL
) AS m
WHERE retired_claims.id = m.id AND m.merged ->> '$.text' IS NOT NULL;
--> statement-breakpoint
-- Their claims kept re-indexed with the words as written; the stems and fingerprints are
-- computed by the desk Worker's daily cron (store/merged-words) or `npm run reindex`.
UPDATE claims SET search_terms = search_terms
WHERE id IN (SELECT merged_into FROM retired_claims WHERE merged_into IS NOT NULL AND text IS NOT NULL);
