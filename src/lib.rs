//! rappel: a Discord revision tutor for French-speaking study groups.
//!
//! [`core`] holds the pure logic (decks, grading, scheduling, quiz rules);
//! everything else is a thin shell around it: deck files on disk, the
//! database, the terminal and Discord.

pub mod chart;
pub mod cli;
pub mod core;
pub mod deck_files;
pub mod deck_io;
pub mod discord;
pub mod fit_job;
pub mod remarks;
pub mod store;
pub mod terminal;
