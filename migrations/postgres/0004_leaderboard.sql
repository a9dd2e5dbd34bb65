-- Leaderboard and seasons (PostgreSQL flavour; keep in step with sqlite/).

-- Who has used the bot in which server, with the name to show. Written by
-- every slash command run in a server; the leaderboard and the server's
-- /stats rank and count these members.
CREATE TABLE guild_members (
    guild_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    first_seen   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- A row per season started by /leaderboard season-reset. Season 1 (from the
-- beginning) has no row; season n >= 2 starts at started_at and ends when
-- season n + 1 starts. The primary key makes a reset exactly-once across
-- processes: two resets of season n both try to insert n + 1 and only one
-- row is inserted. Nothing is ever deleted.
CREATE TABLE seasons (
    guild_id   TEXT NOT NULL,
    number     BIGINT NOT NULL CHECK (number >= 2),
    started_at BIGINT NOT NULL,
    started_by TEXT NOT NULL,
    PRIMARY KEY (guild_id, number)
);

CREATE INDEX reviews_origin_time ON reviews (origin, reviewed_at);
