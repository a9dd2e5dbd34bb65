-- What each student chose in /settings (issue 15), sqlite flavour; same
-- change in migrations/postgres/0007_settings.sql.
--
-- One row per student who chose anything; a NULL column keeps the default:
-- time_zone (IANA name; default: the users row's zone, America/Montreal for
-- Discord students), desired_retention (0.80-0.97; default 0.90),
-- new_cards_per_day (0-200; default 20), language ('fr' or 'en'; NULL is
-- "auto": replies follow the Discord client's locale). /forget-me deletes
-- the row with the user.
CREATE TABLE user_settings (
    user_id           TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    time_zone         TEXT,
    desired_retention REAL,
    new_cards_per_day INTEGER,
    language          TEXT CHECK (language IN ('fr', 'en')),
    updated_at        INTEGER NOT NULL
);

-- The slash commands last registered (issue 15, item 8): a fingerprint of
-- the definitions sent to Discord per scope ('global'), so a restart or
-- another shard process registers them again only when they changed, and
-- never spends Discord's daily registration limit for nothing.
CREATE TABLE command_registrations (
    scope         TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    registered_at INTEGER NOT NULL
);
