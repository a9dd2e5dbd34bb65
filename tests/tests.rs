//! The one integration-test binary: a module per area.

mod answers;
mod crash;
mod daily;
mod daily_e2e;
mod deck;
mod discord;
mod evaluation;
mod fit;
mod grade;
mod grade_calibration;
mod import;
mod layering;
mod leaderboard;
mod members;
mod permissions;
mod privacy;
mod quiz;
mod quiz_e2e;
mod schedule;
mod server_decks;
mod settings;
mod shards;
mod store;
mod study;
mod support;
