-- The daily question and the exam date (issue 7). Same tables in
-- migrations/postgres/0003_daily_exam.sql. Local dates are 'YYYY-MM-DD'
-- text in the channel's (or the exam's) time zone.

-- Channels that get a daily question.
CREATE TABLE daily_channels (
    channel_id  TEXT PRIMARY KEY,
    guild_id    TEXT NOT NULL,
    post_time   TEXT NOT NULL,                 -- 'HH:MM', local
    time_zone   TEXT NOT NULL,                 -- IANA name
    deck_id     TEXT,                          -- NULL = every deck
    updated_at  INTEGER NOT NULL
);

-- One row per posted (channel, local date): the primary key is the claim
-- that makes the post exactly-once across processes and restarts.
CREATE TABLE daily_posts (
    channel_id  TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    guild_id    TEXT NOT NULL,
    deck_id     TEXT NOT NULL,
    card_id     TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    claimed_at  INTEGER NOT NULL,
    message_id  TEXT,                          -- set once Discord accepted the post
    PRIMARY KEY (channel_id, local_date)
);

-- The first answer of each member to each daily question.
CREATE TABLE daily_answers (
    channel_id  TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    guild_id    TEXT NOT NULL,
    correct     INTEGER NOT NULL,              -- 1 when rated better than Again
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, local_date, user_id)
);
CREATE INDEX daily_answers_guild_user ON daily_answers (guild_id, user_id, local_date);

-- Which servers a student uses the bot in (for the exam date and the
-- daily question's "members").
CREATE TABLE guild_users (
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX guild_users_user ON guild_users (user_id);

-- One exam date per server.
CREATE TABLE exams (
    guild_id    TEXT PRIMARY KEY,
    exam_date   TEXT NOT NULL,                 -- 'YYYY-MM-DD'
    time_zone   TEXT NOT NULL,                 -- the zone the date is in
    deck_id     TEXT,                          -- NULL = every deck
    set_by      TEXT NOT NULL,
    set_at      INTEGER NOT NULL
);
