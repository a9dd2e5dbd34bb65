-- One table of a server's members, sqlite flavour; same change in
-- migrations/postgres/0009_one_member_table.sql.
--
-- `guild_users` (0003: who uses the bot in a server, for the daily
-- question's choice of card and /study's exam date) and `guild_members`
-- (0004: who ran a command there, for the leaderboard and the server's
-- /stats) said the same thing twice. `guild_members` stays, the richer of
-- the two: a member known only from `guild_users` gets an empty display
-- name (shown as a mention) and that table's last sighting as both seen
-- times; a member in both keeps the earliest first sighting and the latest
-- last one.

INSERT INTO guild_members (guild_id, user_id, display_name, first_seen, last_seen)
SELECT guild_id, user_id, '', seen_at, seen_at FROM guild_users WHERE true
ON CONFLICT (guild_id, user_id) DO UPDATE SET
    first_seen = min(guild_members.first_seen, excluded.first_seen),
    last_seen = max(guild_members.last_seen, excluded.last_seen);

DROP TABLE guild_users;

-- The servers of one student (/study's upcoming exam, /forget-me).
CREATE INDEX guild_members_user ON guild_members (user_id);
