//! Shared test support: a fake Discord for end-to-end tests of the bot.

#![allow(dead_code)]

pub mod fake_discord;

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
