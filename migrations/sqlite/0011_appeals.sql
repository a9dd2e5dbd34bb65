-- « J'avais raison » (issue 16), sqlite flavour; same tables and columns in
-- migrations/postgres/0011_appeals.sql.

-- What the student typed, kept with every review; NULL for « je ne sais
-- pas », timeouts, self-ratings and the rows written before this.
ALTER TABLE reviews ADD COLUMN typed TEXT;

-- How long a quiz's questions stay open (ms), for crediting an appeal of a
-- quiz answer as the rules would have; NULL for quizzes before this.
ALTER TABLE quizzes ADD COLUMN answer_ms INTEGER;

-- A student's appeal of one grade: one per review (review_id is unique),
-- in the server where it was given. status: 'pending', 'accepted',
-- 'refused'. told_at: when the student heard of the decision (NULL: to be
-- told at their next command).
CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    guild_id    TEXT NOT NULL,
    review_id   INTEGER NOT NULL UNIQUE,
    user_id     TEXT NOT NULL,
    deck_id     TEXT NOT NULL,
    card_id     TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    typed       TEXT NOT NULL,
    folded      TEXT NOT NULL,                 -- core::appeal::fold(typed): "typed the same"
    reason      TEXT,
    created_at  INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
    decided_by  TEXT,
    decided_at  INTEGER,
    note        TEXT,
    told_at     INTEGER
);
CREATE INDEX appeals_guild_status ON appeals (guild_id, status, id);
CREATE INDEX appeals_user ON appeals (user_id, told_at);

-- The answers moderators accepted for a server: grading there accepts them
-- as it accepts a card's own `accept` list, in every process.
CREATE TABLE accepted_answers (
    guild_id    TEXT NOT NULL,
    deck_id     TEXT NOT NULL,
    card_id     TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    folded      TEXT NOT NULL,
    answer      TEXT NOT NULL,                 -- core::appeal::alternative(typed)
    accepted_by TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, deck_id, card_id, direction, folded)
);

-- The role (besides Manage Server) that may review a server's appeals.
CREATE TABLE appeal_roles (
    guild_id    TEXT PRIMARY KEY,
    role_id     TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      INTEGER NOT NULL
);

-- The last day (UTC day number) each moderator heard of pending appeals.
CREATE TABLE appeal_notices (
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    day         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
