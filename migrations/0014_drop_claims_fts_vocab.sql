-- Hand-written: the vocabulary table of 0013 is not used after all. Counting a term's
-- documents there reads the term's whole doclist (0.8 ms for a word in 25,000 claims);
-- claim matching counts matches itself, stopping after 2,001 (store/claim-matches).
DROP TABLE IF EXISTS claims_fts_vocab;
