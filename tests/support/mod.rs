//! Shared test support: a fake Discord for end-to-end tests of the bot.

#![allow(dead_code)]

pub mod bot;
pub mod db;
pub mod fake_discord;

use fake_discord::User;

/// Member `n` of the fake guild (ids `1_600_000_000_000_000_000 + n`).
pub fn member(n: u64, name: &str) -> User {
    User::student(1_600_000_000_000_000_000 + n, name)
}

pub fn alice() -> User {
    member(1, "alice")
}

pub fn bob() -> User {
    member(2, "bob")
}

/// A member with Manage Server (and the ordinary permissions).
pub fn admin() -> User {
    let mut user = member(9, "prof");
    let bits: u64 = user.permissions.parse().expect("permission bits");
    user.permissions = (bits | (1 << 5)).to_string();
    user
}

/// A three-card deck of short terms (id `mini`) for quizzes in tests.
pub const MINI_DECK: &str = r#"
[deck]
id = "mini"
title = "Mini CRM"
language = "fr"

[[cards]]
id = "fidelisation"
question = "Stratégie qui vise à garder ses clients"
answer = "Fidélisation"
kind = "term"

[[cards]]
id = "prospect"
question = "Personne qui pourrait devenir cliente"
answer = "Prospect"
kind = "term"

[[cards]]
id = "ambassadeur"
question = "Client qui recommande activement la marque"
answer = "Ambassadeur"
kind = "term"
"#;
