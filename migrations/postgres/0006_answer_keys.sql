-- Each review names the answer it records (issue 14), postgres flavour; same
-- change in migrations/sqlite/0006_answer_keys.sql.
--
-- answer_key: what the review answers, unique per user, so a write retried
-- after a lost COMMIT, a second press of a button or two processes handling
-- one interaction store it once: 'study:<deck>:<card>:<dir>:<asked_at>' (the
-- card shown in /study), 'daily:<channel>:<date>', 'quiz:<quiz>:<question>',
-- 'terminal:<random>' and, for a /study self-rating, the answer's key with
-- ':rated'. Rows written before this migration get 'legacy:<id>'.
--
-- amends: the review a correcting row replaces (a /study self-rating given
-- after the grader's proposed rating was stored); NULL for an answer. The
-- log stays append-only: the amended row stays, the card state is
-- recomputed from the log.
ALTER TABLE reviews ADD COLUMN answer_key TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN amends BIGINT;
UPDATE reviews SET answer_key = 'legacy:' || id;
CREATE UNIQUE INDEX reviews_user_answer ON reviews (user_id, answer_key);
