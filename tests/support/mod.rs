//! Shared test support: a fake Discord for end-to-end tests of the bot.

#![allow(dead_code)]

pub mod bot;
pub mod db;
pub mod fake_discord;
pub mod fake_permissions;
pub mod grading;

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

/// The cards of the mini deck: (id, question, answer), all short terms.
pub const MINI_CARDS: [(&str, &str, &str); 3] = [
    (
        "fidelisation",
        "Stratégie qui vise à garder ses clients",
        "Fidélisation",
    ),
    (
        "prospect",
        "Personne qui pourrait devenir cliente",
        "Prospect",
    ),
    (
        "ambassadeur",
        "Client qui recommande activement la marque",
        "Ambassadeur",
    ),
];

/// A French deck file (TOML) `id` titled `title` holding the mini cards
/// named in `cards`.
pub fn mini_deck(id: &str, title: &str, cards: &[&str]) -> String {
    let mut toml = format!("[deck]\nid = \"{id}\"\ntitle = \"{title}\"\nlanguage = \"fr\"\n");
    for name in cards {
        let (card, question, answer) = MINI_CARDS
            .into_iter()
            .find(|(card, _, _)| card == name)
            .unwrap_or_else(|| panic!("no mini card {name}"));
        toml.push_str(&format!(
            "\n[[cards]]\nid = \"{card}\"\nquestion = \"{question}\"\nanswer = \"{answer}\"\nkind = \"term\"\n"
        ));
    }
    toml
}

/// The three-card mini deck (id `mini`, "Mini CRM") for quizzes in tests.
pub fn mini_deck_all() -> String {
    mini_deck(
        "mini",
        "Mini CRM",
        &["fidelisation", "prospect", "ambassadeur"],
    )
}

/// Answers nobody should see rendered (mentions of `someone`, zalgo,
/// direction overrides, emoji, markdown): the echo is clipped, escaped and
/// inert, and grading them takes bounded time.
pub fn hostile_answers(someone: &str) -> Vec<String> {
    vec![
        format!("@everyone @here <@{someone}> <@&1> {}", "a".repeat(3950)),
        "Z\u{0336}\u{0337}\u{0338}\u{0339}\u{033a}\u{033b}a\u{0300}\u{0301}\u{0302}\u{0303}\u{0304}lgo".repeat(200),
        "\u{202e}tneilc al ed noitseg\u{202c} العلاقة مع العملاء".repeat(60),
        "👩‍👩‍👧‍👦🎉🔥".repeat(500),
        "```\n@everyone\n```\n# titre\n> citation\n**gras** ||spoiler|| [lien](https://example.com)".repeat(40),
    ]
}

/// `user_id`'s answer to the daily question `post` at `at`, right or
/// wrong, recorded as the bot records it (the user created if needed);
/// false when they had answered it already.
pub async fn answer_daily(
    store: &rappel::store::Store,
    post: &rappel::store::DailyPost,
    user_id: &str,
    right: bool,
    at: rappel::core::schedule::Millis,
) -> bool {
    use rappel::core::grade::Verdict;
    use rappel::core::review::Origin;
    let user = store
        .user(user_id, &rappel::store::NewUser::default(), at)
        .await
        .expect("the user");
    let verdict = if right {
        Verdict::Correct
    } else {
        Verdict::Wrong
    };
    let typed = if right { "juste" } else { "faux" };
    let answered = db::graded(post.key.clone(), verdict, Origin::Daily, at, 0, Some(typed));
    store
        .record_daily_answer(post, &user, &answered)
        .await
        .expect("the daily answer")
        .is_some()
}
