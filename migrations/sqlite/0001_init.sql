-- rappel schema, SQLite flavour. Keep in step with migrations/postgres/:
-- same tables, columns and indexes; times are integer milliseconds since the
-- Unix epoch (UTC); cards are keyed by deck id + card id + direction so that
-- editing a deck file never loses progress.

CREATE TABLE users (
    id                TEXT PRIMARY KEY,          -- Discord user id or local name
    time_zone         TEXT NOT NULL,             -- IANA name, e.g. America/Montreal
    desired_retention REAL NOT NULL,
    language          TEXT NOT NULL,             -- 'fr' or 'en'
    created_at        INTEGER NOT NULL
);

-- One row per (user, deck, card, direction) ever reviewed. Rows of cards
-- removed from a deck file stay here; the application just does not ask them.
CREATE TABLE card_states (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    deck_id     TEXT NOT NULL,
    card_id     TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    phase       TEXT NOT NULL CHECK (phase IN ('new', 'learning', 'review', 'relearning')),
    step        INTEGER NOT NULL,
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    due         INTEGER NOT NULL,
    last_review INTEGER,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    PRIMARY KEY (user_id, deck_id, card_id, direction)
);
CREATE INDEX card_states_user_due ON card_states (user_id, due);

-- Append-only: one row per answer, with the state it led to.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    deck_id       TEXT NOT NULL,
    card_id       TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    reviewed_at   INTEGER NOT NULL,
    day           INTEGER NOT NULL,              -- the student's local day (schedule::day_index)
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    verdict       TEXT,                          -- grader verdict; NULL for "je ne sais pas"
    score         REAL,
    answer_ms     INTEGER NOT NULL,
    rules_version INTEGER NOT NULL,
    phase         TEXT NOT NULL,                 -- state after the review
    stability     REAL NOT NULL,
    difficulty    REAL NOT NULL,
    due           INTEGER NOT NULL,
    interval_days INTEGER NOT NULL,
    reps          INTEGER NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('study', 'quiz', 'daily'))
);
CREATE INDEX reviews_user_time ON reviews (user_id, reviewed_at);
CREATE INDEX reviews_user_day ON reviews (user_id, day);
