-- Group quizzes (issue 6), PostgreSQL flavour. Keep in step with
-- migrations/sqlite/0002_quiz.sql. A quiz row is written when the quiz
-- starts and closed when it ends; every award is its own row, written when
-- it is earned, so a crash never loses points and a restart can post the
-- standings of a quiz that was running.

CREATE TABLE quizzes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id    TEXT,
    channel_id  TEXT NOT NULL,
    starter_id  TEXT NOT NULL,
    deck_id     TEXT NOT NULL,
    n_questions BIGINT NOT NULL,
    language    TEXT NOT NULL,                  -- 'fr' or 'en': the channel messages
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT,                        -- NULL while running
    stopped     BIGINT NOT NULL DEFAULT 0      -- 1: /quiz stop or interrupted
);
CREATE INDEX quizzes_running ON quizzes (ended_at);

CREATE TABLE quiz_awards (
    quiz_id    BIGINT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    question   BIGINT NOT NULL,                -- 0-based question index
    user_id    TEXT NOT NULL,
    points     BIGINT NOT NULL,
    is_first   BIGINT NOT NULL,                -- 1: the first right answer
    is_right   BIGINT NOT NULL,                -- 1: correct/close, 0: partial
    awarded_at BIGINT NOT NULL,
    PRIMARY KEY (quiz_id, question, user_id)
);
