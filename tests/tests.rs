//! The one integration-test binary: a module per area.

mod daily;
mod deck;
mod quiz;
mod schedule;
mod store;
mod study;
