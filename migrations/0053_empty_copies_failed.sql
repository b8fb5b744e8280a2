-- Custom SQL migration file, put your code below! --
-- Copies of empty answers (a 204, or a 2xx with no body) stored before 3e262f8 are no copy of
-- the page: readers were offered an "archived copy" of nothing, and "Archive again" refused
-- the address because its newest try "did not fail". They become what such a fetch is now: a
-- failed try, no retry due, so the desk offers "Archive again" and no page links them.
UPDATE snapshots SET state = 'failed', error = 'The page answered with no content.', retry_at = NULL
WHERE state = 'ok' AND bytes = 0;
