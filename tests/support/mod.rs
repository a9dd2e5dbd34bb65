//! Shared test support: a fake Discord for end-to-end tests of the bot.

#![allow(dead_code)]

pub mod fake_discord;
