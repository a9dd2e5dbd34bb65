//! The one integration-test binary: a module per area.

mod deck;
mod schedule;
mod store;
mod study;
