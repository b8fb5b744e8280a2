-- Hand-written: an index on the primary language subtag, the same expression as
-- `primarySubtag` in src/db/schema.ts, so `language=de` (also matching de-AT) uses
-- an index and keeps newest-first order without sorting.
CREATE INDEX `claims_language_primary_idx` ON `claims` (substr("language", 1, instr("language" || '-', '-') - 1));
