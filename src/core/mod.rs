//! The pure core: decks, grading, scheduling and the quiz rules.
//!
//! Nothing here does I/O, reads the clock, or knows about Discord or SQL:
//! time comes in as a value and decisions come out as values.

pub mod answer;
pub mod appeal;
pub mod daily;
pub mod deck;
pub mod evaluation;
pub mod exam;
pub mod fit;
pub mod forecast;
pub mod grade;
pub mod import;
pub mod lang;
pub mod leaderboard;
pub mod question;
pub mod quiz;
pub mod readiness;
pub mod regrade;
pub mod review;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod simulate;
pub mod workload;
