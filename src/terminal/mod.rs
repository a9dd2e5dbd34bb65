//! The study session in a terminal (`rappel study`): the embedded default
//! a new student runs first, with no Discord needed.
//!
//! [`study`] is the thin loop over any `BufRead`/`Write` that asks the
//! cards [`crate::core::session`] picks, grades them, makes each review
//! with [`crate::core::review`] and saves it through [`crate::store`].

pub mod study;
