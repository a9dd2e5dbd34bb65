//! The one integration-test binary: a module per area.

mod daily;
mod deck;
mod discord;
mod grade;
mod leaderboard;
mod quiz;
mod schedule;
mod store;
mod study;
mod support;
