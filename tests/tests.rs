//! The one integration-test binary: a module per area.

mod deck;
mod import;
mod quiz;
mod schedule;
