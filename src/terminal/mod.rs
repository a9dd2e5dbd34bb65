//! The study session in a terminal (`rappel study`): the embedded default
//! a new student runs first, with no Discord needed.
//!
//! [`session`] is the pure driver that picks the next card; [`study`] is
//! the thin loop over any `BufRead`/`Write` that grades, schedules and
//! saves through [`crate::store`].

pub mod session;
pub mod study;
