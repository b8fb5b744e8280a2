-- Hand-written: how many claims hold each indexed term, read by claim matching
-- (store/claim-matches) to pick the rarest terms of a text before it touches a doclist.
-- fts5vocab reads the FTS5 index itself: nothing to fill or keep in step.
CREATE VIRTUAL TABLE claims_fts_vocab USING fts5vocab(claims_fts, 'row');
