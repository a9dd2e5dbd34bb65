-- Decks a server uploaded with /decks upload (issue 9), PostgreSQL flavour;
-- keep in step with migrations/sqlite/0005_server_decks.sql.
--
-- The deck is kept as the TOML text the importer writes, so it is read
-- back with the same deck parser as the bundled decks. Its cards' progress
-- is keyed under the internal deck id `srv-<guild_id>-<deck_id>` (see
-- store::server_deck_key), so two servers can use the same id. /decks remove
-- only sets removed_at: the row and the members' progress stay, and an
-- upload of the same id clears it again. `version` grows on every change,
-- so a process can tell that its cached copy of a server's decks is stale.
CREATE TABLE server_decks (
    guild_id    TEXT NOT NULL,
    deck_id     TEXT NOT NULL,                 -- the id the server sees
    title       TEXT NOT NULL,
    toml        TEXT NOT NULL,
    n_cards     BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    removed_at  BIGINT,                        -- NULL while the deck is listed
    version     BIGINT NOT NULL,
    PRIMARY KEY (guild_id, deck_id)
);
