//! The decks a server sees: the bundled decks plus the decks that server
//! uploaded (`/decks upload`), with the grader's context of each.
//!
//! A server's decks are loaded from the store the first time the server
//! needs them and kept in memory. Before each use a cheap stamp query
//! ([`Store::server_decks_stamp`]) tells whether an upload or removal (from
//! this process or another one sharing the database) made the copy stale.
//! A server deck sits in the merged [`Library`] under its internal id
//! `srv-<guild>-<id>` (so `/study` and the quiz record progress under it
//! without knowing about servers); users see and type `<id>`.
//!
//! The answers a server's moderators accepted on appeal travel the same
//! way (their count is part of the stamp): grading there goes through
//! [`GuildDecks::graded_card`], which adds them to the card's accepted
//! answers for the direction asked (`core::appeal::card_for`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;

use crate::core::deck::{self, Card, Deck, DeckId, Library};
use crate::core::grade::DeckContext;
use crate::core::review::CardKey;
use crate::store::{self, DecksStamp, Store, StoreError};

/// The decks one server sees (or, outside servers, the bundled decks).
#[derive(Debug, Default)]
pub struct GuildDecks {
    /// Bundled and server decks; server decks under their internal id.
    pub library: Library,
    bundled_contexts: Arc<HashMap<DeckId, DeckContext>>,
    /// The grader's context of each server deck.
    contexts: HashMap<DeckId, DeckContext>,
    /// Internal id → the id the server sees, for server decks only.
    shown: HashMap<DeckId, DeckId>,
    /// The answers this server accepted on appeal, by card direction.
    alternatives: HashMap<CardKey, Vec<String>>,
}

impl GuildDecks {
    /// A deck given as a command option: a bundled deck id, the id of one
    /// of this server's decks, or an internal id.
    pub fn find(&self, given: &str) -> Option<&Deck> {
        let given = given.trim();
        let by_shown = self
            .shown
            .iter()
            .find(|(_, shown)| shown.as_str() == given)
            .and_then(|(internal, _)| self.library.deck(internal.as_str()));
        by_shown.or_else(|| self.library.deck(given))
    }

    /// The grader's context of a deck (empty for an unknown deck).
    pub fn context(&self, deck: &DeckId) -> Option<&DeckContext> {
        self.contexts
            .get(deck)
            .or_else(|| self.bundled_contexts.get(deck))
    }

    /// Whether `deck` (an internal id) is one of this server's uploads.
    pub fn is_server_deck(&self, deck: &DeckId) -> bool {
        self.shown.contains_key(deck)
    }

    /// The id users see for a deck of this library.
    pub fn shown_id<'a>(&'a self, deck: &'a DeckId) -> &'a str {
        self.shown.get(deck).unwrap_or(deck).as_str()
    }

    /// The answers this server accepted on appeal for `key`.
    pub fn alternatives(&self, key: &CardKey) -> &[String] {
        self.alternatives.get(key).map_or(&[], Vec::as_slice)
    }

    /// `card` as graded when asked as `key` in this server: with the
    /// answers accepted on appeal (`core::appeal::card_for`).
    pub fn graded_card<'a>(&self, key: &CardKey, card: &'a Card) -> Cow<'a, Card> {
        crate::core::appeal::card_for(card, key.direction, self.alternatives(key))
    }
}

/// Every server's decks, loaded lazily and refreshed when they change.
pub struct ServerDecks {
    bundled: Arc<GuildDecks>,
    cache: Mutex<HashMap<serenity::GuildId, (DecksStamp, Arc<GuildDecks>)>>,
}

impl ServerDecks {
    pub fn new(library: &Library, contexts: &HashMap<DeckId, DeckContext>) -> Self {
        let bundled = GuildDecks {
            library: library.clone(),
            bundled_contexts: Arc::new(contexts.clone()),
            contexts: HashMap::new(),
            shown: HashMap::new(),
            alternatives: HashMap::new(),
        };
        Self {
            bundled: Arc::new(bundled),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The bundled decks alone.
    pub fn bundled(&self) -> Arc<GuildDecks> {
        self.bundled.clone()
    }

    /// The decks `guild` sees (the bundled decks outside servers).
    pub async fn for_guild(
        &self,
        store: &Store,
        guild: Option<serenity::GuildId>,
    ) -> Result<Arc<GuildDecks>, StoreError> {
        let Some(guild) = guild else {
            return Ok(self.bundled());
        };
        let guild_key = guild.to_string();
        let stamp = store.server_decks_stamp(&guild_key).await?;
        if stamp.n_rows == 0 && stamp.n_accepted == 0 {
            return Ok(self.bundled());
        }
        if let Some((cached, decks)) = self.lock().get(&guild)
            && *cached == stamp
        {
            return Ok(decks.clone());
        }
        let stored = store.server_decks(&guild_key).await?;
        let mut decks = self.merge(&guild_key, &stored);
        for accepted in store.accepted_answers(&guild_key, None).await? {
            decks
                .alternatives
                .entry(accepted.key)
                .or_default()
                .push(accepted.answer);
        }
        let decks = Arc::new(decks);
        self.lock().insert(guild, (stamp, decks.clone()));
        Ok(decks)
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<serenity::GuildId, (DecksStamp, Arc<GuildDecks>)>> {
        // The map stays consistent even if a holder panicked.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bundled decks plus a server's stored decks. A stored deck that
    /// no longer parses (written by a newer rappel?) is left out and logged.
    fn merge(&self, guild: &str, stored: &[store::ServerDeck]) -> GuildDecks {
        let mut decks: Vec<(String, Deck)> = self
            .bundled
            .library
            .decks()
            .iter()
            .map(|d| (format!("{}.toml", d.id), d.clone()))
            .collect();
        let mut contexts = HashMap::new();
        let mut shown = HashMap::new();
        for row in stored {
            let file = format!("server {guild} deck {}", row.deck_id);
            let mut parsed = match deck::parse(&file, &row.toml) {
                Ok(parsed) => parsed,
                Err(problems) => {
                    tracing::error!(guild, deck = %row.deck_id, n_problems = problems.len(), "a stored server deck does not parse");
                    continue;
                }
            };
            let Some(internal) = store::server_deck_key(guild, &parsed.id) else {
                tracing::error!(guild, deck = %row.deck_id, "server deck id too long");
                continue;
            };
            if self.bundled.library.deck(internal.as_str()).is_some() {
                tracing::error!(guild, deck = %row.deck_id, "server deck clashes with a bundled deck");
                continue;
            }
            shown.insert(internal.clone(), parsed.id.clone());
            contexts.insert(internal.clone(), DeckContext::new(&parsed.cards));
            parsed.id = internal;
            decks.push((file, parsed));
        }
        // Ids are unique by construction (bundled ids checked above, server
        // ids unique per server), so this cannot fail; fall back anyway.
        let library = Library::new(decks).unwrap_or_else(|problems| {
            tracing::error!(guild, n_problems = problems.len(), "server decks left out");
            self.bundled.library.clone()
        });
        GuildDecks {
            library,
            bundled_contexts: self.bundled.bundled_contexts.clone(),
            contexts,
            shown,
            alternatives: HashMap::new(),
        }
    }
}
