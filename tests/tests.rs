//! The one integration-test binary: a module per area.

mod deck;
mod discord;
mod schedule;
mod support;
