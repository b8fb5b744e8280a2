-- Hand-written (docs/decisions.md, "A speaker's claims re-indexed once a write"): every
-- alias row inserted or deleted re-indexed every claim of its speaker, so a write of k
-- spellings rewrote k × claims search entries (20 spellings of a speaker with 5,000 claims:
-- 100,000, in one statement). The writers of spellings (speaker edit and merge, imports)
-- now end their batch with one write of the speaker's name, which re-indexes its claims
-- once (claims_fts_speaker_update); a new speaker's spellings are written before its claims,
-- whose own insert trigger reads them.
DROP TRIGGER IF EXISTS claims_fts_alias_insert;
--> statement-breakpoint
DROP TRIGGER IF EXISTS claims_fts_alias_delete;
