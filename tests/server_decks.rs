//! Per-server decks and progress export (issue 9): the real bot against the
//! fake Discord, which serves uploaded files on its loopback address and
//! keeps the files the bot sends; the store functions on SQLite and
//! PostgreSQL; the CLI's `stats export`.

use rappel::core::deck::{CardId, DeckId};
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{Rating, Scheduler};
use rappel::store::{self, NewServerDeck, NewUser, Store, Uploaded};
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, WAIT, button, spawn_bot};
use crate::support::db::TestDb;
use crate::support::fake_discord::{ATTACHED, CHANNEL_ID, Call, GUILD_ID, Sent, User};
use crate::support::{admin, member, mini_deck};

/// A spreadsheet export: three term cards asked one way.
const VOCAB_CSV: &str = "question,answer,kind,reverse\r\n\
Capitale de la France,Paris,term,false\r\n\
Capitale de l'Italie,Rome,term,false\r\n\
Capitale de l'Espagne,Madrid,term,false\r\n";

/// (question, answer) of each card of [`VOCAB_CSV`].
const VOCAB: [(&str, &str); 3] = [
    ("Capitale de la France", "Paris"),
    ("Capitale de l'Italie", "Rome"),
    ("Capitale de l'Espagne", "Madrid"),
];

const OTHER_GUILD: u64 = 1_200_000_000_000_000_777;
/// The bundled mini deck and 3-second quiz questions.
fn config() -> BotConfig {
    // The one bundled deck of these tests.
    BotConfig::with_deck(mini_deck("mini", "Mini CRM", &["prospect"])).quiz_timing(3_000, 300, 50)
}

impl TestBot {
    /// `/decks upload` of `file` holding `bytes` in `guild`, and the answer.
    async fn upload_in(
        &self,
        guild: u64,
        user: &User,
        file: &str,
        bytes: &[u8],
        id: &str,
        title: &str,
    ) -> String {
        let options = json!([{"name": "upload", "options": [
            {"name": "file", "value": ATTACHED},
            {"name": "id", "value": id},
            {"name": "title", "value": title},
        ]}]);
        let sent = self
            .fake
            .slash_with_file(guild, user, "fr", "decks", options, file, bytes);
        let reply = self.answer_to(&sent).await;
        assert_eq!(reply.message().unwrap()["flags"], json!(64), "ephemeral");
        reply.text()
    }

    /// [`VOCAB_CSV`] uploaded as `capitales.csv`, id `capitales`.
    async fn upload_vocab(&self, user: &User) -> String {
        let csv = VOCAB_CSV.as_bytes();
        self.upload(user, "capitales.csv", csv, "capitales", "Capitales")
            .await
    }

    /// `/study capitales`, then "I don't know" on the card shown.
    async fn dont_know_one_card(&self, user: &User) {
        let card = self.study_in(GUILD_ID, user, "capitales").await;
        let sent = self.fake.click(user, "fr", &button(&card, "dontknow"));
        self.answer_to(&sent).await;
    }

    async fn upload(&self, user: &User, file: &str, bytes: &[u8], id: &str, title: &str) -> String {
        self.upload_in(GUILD_ID, user, file, bytes, id, title).await
    }

    /// `/<name> <sub> options` in `guild`, and the answer.
    async fn sub_in(&self, guild: u64, user: &User, name: &str, sub: &str, options: Value) -> Call {
        let options = json!([{"name": sub, "options": options}]);
        let sent = self.fake.slash_in_guild(guild, user, "fr", name, options);
        self.answer_to(&sent).await
    }

    /// `/<name> <sub> options` in the test server, and the answer.
    async fn command(&self, user: &User, name: &str, sub: &str, options: Value) -> Call {
        self.sub_in(GUILD_ID, user, name, sub, options).await
    }

    async fn decks_list(&self, guild: u64, user: &User) -> String {
        self.sub_in(guild, user, "decks", "list", json!([]))
            .await
            .text()
    }

    async fn study_in(&self, guild: u64, user: &User, deck: &str) -> Call {
        let options = json!([{"name": "deck", "value": deck}]);
        let sent = self
            .fake
            .slash_in_guild(guild, user, "fr", "study", options);
        self.answer_to(&sent).await
    }

    /// The file the bot attached to its answer to `sent`.
    async fn file_sent_for(&self, sent: &Sent) -> (String, String) {
        self.answer_to(sent).await;
        let file = self
            .fake
            .sent_files()
            .into_iter()
            .find(|f| f.path.contains(&sent.token))
            .expect("a file in the answer");
        let text = String::from_utf8(file.bytes).expect("UTF-8");
        (file.filename, text)
    }
}

fn internal(guild: u64, id: &str) -> String {
    format!("srv-{guild}-{id}")
}

/// (deck, card, verdict) of every review of `user`, oldest first.
async fn reviews_of(store: &Store, user: &User) -> Vec<(String, String, Option<String>)> {
    let Store::Sqlite(pool, _) = store else {
        panic!("SQLite")
    };
    sqlx::query_as("SELECT deck_id, card_id, verdict FROM reviews WHERE user_id = $1 ORDER BY id")
        .bind(user.id.to_string())
        .fetch_all(pool)
        .await
        .expect("reviews")
}

#[tokio::test]
async fn uploaded_csv_deck_is_quizzed_through_discord() {
    let test = spawn_bot(config()).await;
    let alice = member(1, "alice");
    let done = test.upload_vocab(&admin()).await;
    assert!(
        done.contains("Paquet **Capitales** (`capitales`) ajouté au serveur : 3 cartes"),
        "{done}"
    );
    let list = test.decks_list(GUILD_ID, &alice).await;
    assert!(
        list.contains("**Capitales** (`capitales`) : 3 cartes"),
        "{list}"
    );
    assert!(list.contains("paquet du serveur"), "{list}");
    assert!(
        list.contains("**Mini CRM** (`mini`)"),
        "bundled decks stay: {list}"
    );

    let start = test
        .command(
            &alice,
            "quiz",
            "start",
            json!([{"name": "deck", "value": "capitales"}, {"name": "questions", "value": 3}]),
        )
        .await;
    assert!(start.text().contains("3 question(s)"), "{}", start.text());
    let path = format!("/channels/{CHANNEL_ID}/messages");
    for n in 1..=3 {
        let title = format!("Question {n}/3 — Capitales");
        let asked = test
            .fake
            .wait_for_call(
                |c| c.method == "POST" && c.path == path && c.text().contains(&title),
                WAIT,
            )
            .await;
        let text = asked.text();
        let (_, right) = VOCAB
            .into_iter()
            .find(|(q, _)| text.contains(q))
            .unwrap_or_else(|| panic!("unknown question: {text}"));
        test.fake.message(&alice, right);
        let revealed = format!("Réponse : **{right}**");
        test.fake
            .wait_for_call(|c| c.path == path && c.text().contains(&revealed), WAIT)
            .await;
    }
    test.fake
        .wait_for_call(|c| c.path == path && c.text().contains("Fin du quiz"), WAIT)
        .await;

    let store = test.store().await;
    let log = reviews_of(&store, &alice).await;
    assert_eq!(log.len(), 3, "{log:?}");
    for (deck, _, verdict) in &log {
        assert_eq!(deck, &internal(GUILD_ID, "capitales"));
        assert_eq!(verdict.as_deref(), Some("correct"));
    }
    let quiz = store.quiz(1).await.expect("quiz").expect("stored");
    assert_eq!(quiz.deck_id, internal(GUILD_ID, "capitales"));
    test.stop().await;
}

#[tokio::test]
async fn upload_is_refused_without_manage_server() {
    let test = spawn_bot(config()).await;
    let alice = member(1, "alice");
    let refused = test.upload_vocab(&alice).await;
    assert!(refused.contains("Gérer le serveur"), "{refused}");
    let store = test.store().await;
    assert!(
        store
            .server_decks(&GUILD_ID.to_string())
            .await
            .unwrap()
            .is_empty()
    );
    let removed = test
        .command(
            &alice,
            "decks",
            "remove",
            json!([{"name": "id", "value": "capitales"}]),
        )
        .await;
    assert!(
        removed.text().contains("Gérer le serveur"),
        "{}",
        removed.text()
    );
    test.stop().await;
}

#[tokio::test]
async fn headerless_two_column_upload_imports_and_says_so() {
    let test = spawn_bot(config()).await;
    let prof = admin();
    let tsv = "Capitale de la France\tParis\nCapitale de l'Italie\tRome\n";
    let text = test
        .upload(
            &prof,
            "quizlet.tsv",
            tsv.as_bytes(),
            "capitales",
            "Capitales",
        )
        .await;
    assert!(text.contains("ajouté au serveur : 2 cartes"), "{text}");
    assert!(
        text.contains("Pas de ligne d’en-tête : 1re colonne lue comme question, 2e comme réponse."),
        "{text}"
    );
    let named = test.upload_vocab(&prof).await;
    assert!(
        named.contains("Colonnes lues d’après la ligne d’en-tête."),
        "{named}"
    );
    test.stop().await;
}

#[tokio::test]
async fn malformed_files_get_file_and_line_problems_privately() {
    let test = spawn_bot(config()).await;
    let prof = admin();
    let unknown = test
        .upload(
            &prof,
            "notes.txt",
            b"juste du texte\nsans separateur\n",
            "notes",
            "Notes",
        )
        .await;
    assert!(
        unknown.contains("Fichier refusé, rien n'a été importé"),
        "{unknown}"
    );
    assert!(
        unknown.contains("notes.txt:1: cannot tell the format"),
        "{unknown}"
    );

    let latin1 = b"question,answer\nCapitale de la France,Paris\nCaf\xe9,Boisson\n";
    let text = test
        .upload(&prof, "cartes.csv", latin1, "cartes", "Cartes")
        .await;
    assert!(
        text.contains("cartes.csv:3: not UTF-8 text"),
        "the line of the bad row: {text}"
    );

    let bad_id = test
        .upload(
            &prof,
            "capitales.csv",
            VOCAB_CSV.as_bytes(),
            "Capitales Europe",
            "Capitales",
        )
        .await;
    assert!(bad_id.contains("Identifiant refusé"), "{bad_id}");
    let bundled = test
        .upload(
            &prof,
            "capitales.csv",
            VOCAB_CSV.as_bytes(),
            "mini",
            "Capitales",
        )
        .await;
    assert!(
        bundled.contains("déjà un paquet fourni avec rappel"),
        "{bundled}"
    );
    let store = test.store().await;
    assert!(
        store
            .server_decks(&GUILD_ID.to_string())
            .await
            .unwrap()
            .is_empty()
    );

    // Skipped or guessed rows do not stop an upload; they are listed.
    let odd_kind =
        "question,answer,kind\nCapitale de la France,Paris,term\nCapitale de l'Italie,Rome,essai\n";
    let text = test
        .upload(&prof, "cartes.csv", odd_kind.as_bytes(), "cartes", "Cartes")
        .await;
    assert!(text.contains("ajouté au serveur : 2 cartes"), "{text}");
    assert!(
        text.contains("cartes.csv:3: unknown kind \"essai\""),
        "{text}"
    );
    test.stop().await;
}

/// A CSV of `n` cards where the rows in `long` (1-based card numbers, line
/// = card + 1) have a 611-character question.
fn csv_with_long_questions(n: usize, long: &[usize]) -> String {
    let mut csv = String::from("question,answer\n");
    for card in 1..=n {
        if long.contains(&card) {
            csv.push_str(&format!("{}??,Oui\n", "Très longue question ".repeat(29)));
        } else {
            csv.push_str(&format!("Question {card},Réponse {card}\n"));
        }
    }
    csv
}

#[tokio::test]
async fn upload_imports_the_valid_rows_and_lists_the_skipped_ones_privately() {
    let test = spawn_bot(config()).await;
    let prof = admin();
    let csv = csv_with_long_questions(50, &[31]);
    let text = test
        .upload(&prof, "gros.csv", csv.as_bytes(), "gros", "Gros")
        .await;
    assert!(text.contains("ajouté au serveur : 49 cartes"), "{text}");
    assert!(
        text.contains("1 ligne(s) non importée(s), les autres le sont :"),
        "{text}"
    );
    assert!(
        text.contains("• gros.csv:32: question is too long: 611 characters, at most 400 allowed"),
        "{text}"
    );
    assert!(!text.contains("liste complète"), "{text}");
    let store = test.store().await;
    let decks = store.server_decks(&GUILD_ID.to_string()).await.unwrap();
    assert_eq!(decks.len(), 1);
    assert_eq!(decks[0].n_cards, 49);

    // In English for an English-speaking admin.
    let options = json!([{"name": "upload", "options": [
        {"name": "file", "value": ATTACHED},
        {"name": "id", "value": "gros"},
        {"name": "title", "value": "Gros"},
    ]}]);
    let sent = test.fake.slash_with_file(
        GUILD_ID,
        &prof,
        "en-US",
        "decks",
        options,
        "gros.csv",
        csv.as_bytes(),
    );
    let reply = test.answer_to(&sent).await;
    assert_eq!(reply.message().unwrap()["flags"], json!(64), "ephemeral");
    let text = reply.text();
    assert!(text.contains("replaced: 49 cards"), "{text}");
    assert!(
        text.contains("1 row(s) not imported, the others are:"),
        "{text}"
    );
    assert!(text.contains("gros.csv:32: question is too long"), "{text}");
    test.stop().await;
}

#[tokio::test]
async fn upload_with_many_skipped_rows_attaches_the_full_list() {
    let test = spawn_bot(config()).await;
    let prof = admin();
    let long: Vec<usize> = (1..=15).map(|n| n * 2).collect();
    let csv = csv_with_long_questions(40, &long);
    let options = json!([{"name": "upload", "options": [
        {"name": "file", "value": ATTACHED},
        {"name": "id", "value": "gros"},
        {"name": "title", "value": "Gros"},
    ]}]);
    let sent = test.fake.slash_with_file(
        GUILD_ID,
        &prof,
        "fr",
        "decks",
        options,
        "gros.csv",
        csv.as_bytes(),
    );
    let reply = test.answer_to(&sent).await;
    assert_eq!(reply.message().unwrap()["flags"], json!(64), "ephemeral");
    let text = reply.text();
    assert!(text.chars().count() <= 2000, "{}", text.len());
    assert!(text.contains("ajouté au serveur : 25 cartes"), "{text}");
    assert!(text.contains("15 ligne(s) non importée(s)"), "{text}");
    assert!(text.contains("gros.csv:3: question is too long"), "{text}");
    assert!(text.contains("… et 5 autre(s)."), "{text}");
    assert!(
        text.contains("La liste complète est dans `gros-import.txt`."),
        "{text}"
    );
    let file = test
        .fake
        .sent_files()
        .into_iter()
        .find(|f| f.path.contains(&sent.token))
        .expect("the full list attached");
    assert_eq!(file.filename, "gros-import.txt");
    let listed = String::from_utf8(file.bytes).unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 15, "{listed}");
    for (line, card) in lines.iter().zip(&long) {
        let expected = format!(
            "skipped: gros.csv:{}: question is too long: 611 characters",
            card + 1
        );
        assert!(line.starts_with(&expected), "{line}");
    }
    test.stop().await;
}

#[tokio::test]
async fn over_limit_uploads_are_refused_clearly() {
    let test = spawn_bot(config()).await;
    let prof = admin();
    // 2 MB and one byte: refused from its announced size, before download.
    let mut big = VOCAB_CSV.as_bytes().to_vec();
    big.resize(2 * 1024 * 1024 + 1, b'\n');
    let text = test.upload(&prof, "gros.csv", &big, "gros", "Gros").await;
    assert!(text.contains("la limite est de 2 Mo"), "{text}");

    let mut many = String::from("question,answer\n");
    for n in 0..5_001 {
        many.push_str(&format!("Question {n},Réponse {n}\n"));
    }
    let text = test
        .upload(&prof, "longue.csv", many.as_bytes(), "longue", "Longue")
        .await;
    assert!(text.contains("5000 cartes"), "the limits are named: {text}");
    assert!(text.contains("longue.csv:5002: too many cards"), "{text}");

    let long_question = format!("question,answer\n{},Oui\n", "a".repeat(401));
    let text = test
        .upload(
            &prof,
            "bavard.csv",
            long_question.as_bytes(),
            "bavard",
            "Bavard",
        )
        .await;
    assert!(
        text.contains("bavard.csv:2: question is too long: 401 characters"),
        "{text}"
    );
    let store = test.store().await;
    assert!(
        store
            .server_decks(&GUILD_ID.to_string())
            .await
            .unwrap()
            .is_empty()
    );
    test.stop().await;
}

#[tokio::test]
async fn other_servers_do_not_see_a_deck_and_may_reuse_its_id() {
    let test = spawn_bot(config()).await;
    let alice = member(1, "alice");
    test.upload_vocab(&admin()).await;
    let elsewhere = test.decks_list(OTHER_GUILD, &alice).await;
    assert!(!elsewhere.contains("capitales"), "{elsewhere}");
    let unknown = test.study_in(OTHER_GUILD, &alice, "capitales").await.text();
    assert!(
        unknown.contains("Je ne connais pas le paquet « capitales »"),
        "{unknown}"
    );

    // The other server uploads its own `capitales`, with other cards.
    let theirs = "question,answer,kind,reverse\nCapitale du Japon,Tokyo,term,false\n";
    let done = test
        .upload_in(
            OTHER_GUILD,
            &admin(),
            "japon.csv",
            theirs.as_bytes(),
            "capitales",
            "Asie",
        )
        .await;
    assert!(done.contains("ajouté au serveur : 1 cartes"), "{done}");
    let here = test.study_in(GUILD_ID, &alice, "capitales").await;
    let there = test.study_in(OTHER_GUILD, &alice, "capitales").await;
    assert!(!here.text().contains("Japon"), "{}", here.text());
    assert!(
        there.text().contains("Capitale du Japon"),
        "{}",
        there.text()
    );

    // Progress is kept apart: a review here is not a review there.
    let sent = test.fake.click(&alice, "fr", &button(&here, "dontknow"));
    test.answer_to(&sent).await;
    let store = test.store().await;
    let log = reviews_of(&store, &alice).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].0, internal(GUILD_ID, "capitales"));
    let here_list = test.decks_list(GUILD_ID, &alice).await;
    assert!(
        here_list.contains("(`capitales`) : 3 cartes, 1/3 questions vues"),
        "{here_list}"
    );
    let there_list = test.decks_list(OTHER_GUILD, &alice).await;
    assert!(
        there_list.contains("**Asie** (`capitales`) : 1 cartes, 0/1 questions vues"),
        "{there_list}"
    );
    test.stop().await;
}

#[tokio::test]
async fn remove_keeps_progress_and_a_reupload_brings_it_back() {
    let test = spawn_bot(config()).await;
    let (alice, prof) = (member(1, "alice"), admin());
    test.upload_vocab(&prof).await;
    test.dont_know_one_card(&alice).await;
    let before = test.decks_list(GUILD_ID, &alice).await;
    assert!(
        before.contains("(`capitales`) : 3 cartes, 1/3 questions vues"),
        "{before}"
    );

    let bundled = test
        .command(
            &prof,
            "decks",
            "remove",
            json!([{"name": "id", "value": "mini"}]),
        )
        .await;
    assert!(
        bundled.text().contains("fourni avec rappel"),
        "{}",
        bundled.text()
    );
    let removed = test
        .command(
            &prof,
            "decks",
            "remove",
            json!([{"name": "id", "value": "capitales"}]),
        )
        .await;
    assert!(
        removed.text().contains("Paquet `capitales` retiré"),
        "{}",
        removed.text()
    );
    let after = test.decks_list(GUILD_ID, &alice).await;
    assert!(!after.contains("capitales"), "{after}");
    let gone = test.study_in(GUILD_ID, &alice, "capitales").await.text();
    assert!(gone.contains("Je ne connais pas le paquet"), "{gone}");
    let again = test
        .command(
            &prof,
            "decks",
            "remove",
            json!([{"name": "id", "value": "capitales"}]),
        )
        .await;
    assert!(
        again.text().contains("n'a pas de paquet « capitales »"),
        "{}",
        again.text()
    );
    let store = test.store().await;
    let key = DeckId::parse(&internal(GUILD_ID, "capitales")).unwrap();
    let kept = store
        .card_states(&alice.id.to_string(), Some(&key))
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "the state stays in the database");

    let back = test.upload_vocab(&prof).await;
    assert!(back.contains("de retour"), "{back}");
    let restored = test.decks_list(GUILD_ID, &alice).await;
    assert!(
        restored.contains("(`capitales`) : 3 cartes, 1/3 questions vues"),
        "{restored}"
    );
    test.stop().await;
}

#[tokio::test]
async fn replacing_a_deck_keeps_progress_of_unchanged_cards() {
    let test = spawn_bot(config()).await;
    let (alice, prof) = (member(1, "alice"), admin());
    test.upload_vocab(&prof).await;
    test.dont_know_one_card(&alice).await;
    let bigger = format!("{VOCAB_CSV}Capitale du Portugal,Lisbonne,term,false\r\n");
    let replaced = test
        .upload(
            &prof,
            "capitales.csv",
            bigger.as_bytes(),
            "capitales",
            "Capitales d'Europe",
        )
        .await;
    assert!(replaced.contains("remplacé : 4 cartes"), "{replaced}");
    let list = test.decks_list(GUILD_ID, &alice).await;
    assert!(
        list.contains("**Capitales d'Europe** (`capitales`) : 4 cartes, 1/4 questions vues"),
        "{list}"
    );
    test.stop().await;
}

#[tokio::test]
async fn deck_export_is_a_csv_that_imports_back_to_the_same_cards() {
    let test = spawn_bot(config()).await;
    let alice = member(1, "alice");
    test.upload_vocab(&admin()).await;
    let options = json!([{"name": "export", "options": [{"name": "id", "value": "capitales"}]}]);
    let sent = test
        .fake
        .slash_in_guild(GUILD_ID, &alice, "fr", "decks", options);
    let (name, csv) = test.file_sent_for(&sent).await;
    assert_eq!(name, "capitales.csv");
    let stored = test
        .store()
        .await
        .server_decks(&GUILD_ID.to_string())
        .await
        .unwrap();
    let deck = rappel::core::deck::parse("stored", &stored[0].toml).expect("stored deck parses");
    let options = rappel::core::import::ImportOptions::default();
    let back = rappel::core::import::import(&name, csv.as_bytes(), &options).expect("imports");
    assert_eq!(back.cards, deck.cards);
    test.stop().await;
}

#[tokio::test]
async fn stats_export_gives_the_callers_own_review_log() {
    let test = spawn_bot(config()).await;
    let (alice, bob) = (member(1, "alice"), member(2, "bob"));
    test.upload_vocab(&admin()).await;
    test.dont_know_one_card(&alice).await;

    let sent = test.fake.slash_in_guild(
        GUILD_ID,
        &alice,
        "fr",
        "stats",
        json!([{"name": "export", "options": []}]),
    );
    let reply = test.answer_to(&sent).await;
    assert_eq!(reply.message().unwrap()["flags"], json!(64), "ephemeral");
    assert!(reply.text().contains("1 révision(s)"), "{}", reply.text());
    let (name, csv) = test.file_sent_for(&sent).await;
    assert_eq!(name, "rappel-reviews.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "deck,card,direction,time,verdict,rating,interval_days,origin,typed"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    let fields: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(fields[0], "capitales", "the id users see: {csv}");
    assert_eq!(
        (fields[2], fields[4], fields[5], fields[7]),
        ("forward", "", "1", "study")
    );
    assert!(
        fields[3].ends_with('Z') && fields[3].contains('T'),
        "RFC 3339: {csv}"
    );

    let sent = test.fake.slash_in_guild(
        GUILD_ID,
        &bob,
        "en",
        "stats",
        json!([{"name": "export", "options": []}]),
    );
    let (_, csv) = test.file_sent_for(&sent).await;
    assert_eq!(csv.lines().count(), 1, "only the header for bob: {csv}");
    test.stop().await;
}

#[tokio::test]
async fn deck_autocomplete_offers_server_decks_only_where_they_work() {
    let test = spawn_bot(config()).await;
    let alice = member(1, "alice");
    test.upload_vocab(&admin()).await;
    let sent = test.fake.autocomplete(
        &alice,
        "fr",
        "study",
        json!([{"name": "deck", "value": "cap"}]),
        "deck",
    );
    let choices = test.fake.reply_to(&sent).await.body.unwrap()["data"]["choices"].clone();
    assert_eq!(choices.as_array().map(Vec::len), Some(1), "{choices}");
    assert_eq!(choices[0]["name"], "Capitales (capitales)");
    assert_eq!(choices[0]["value"], "capitales");
    let options = json!([{"name": "set", "options": [
        {"name": "time", "value": "08:00"}, {"name": "deck", "value": "cap"}]}]);
    let sent = test
        .fake
        .autocomplete(&alice, "fr", "daily", options, "deck");
    let choices = test.fake.reply_to(&sent).await.body.unwrap()["data"]["choices"].clone();
    assert_eq!(
        choices[0]["value"], "capitales",
        "the daily question can ask a server deck: {choices}"
    );
    // Only in the server that uploaded it.
    let options = json!([{"name": "set", "options": [
        {"name": "time", "value": "08:00"}, {"name": "deck", "value": "cap"}]}]);
    let sent = test
        .fake
        .autocomplete(&alice, "fr", "exam", options, "deck");
    let choices = test.fake.reply_to(&sent).await.body.unwrap()["data"]["choices"].clone();
    assert_eq!(choices[0]["value"], "capitales", "{choices}");
    test.stop().await;
}

// ------------------------------------------------------------ store

async fn server_decks_are_stored_per_guild(store: &Store) {
    let vocab = DeckId::parse("vocab").unwrap();
    let deck = |guild, title, n_cards, at| NewServerDeck {
        guild_id: guild,
        deck_id: &vocab,
        title,
        toml: "[deck]\n",
        n_cards,
        uploaded_by: "9",
        at,
    };
    let empty = store.server_decks_stamp("g1").await.unwrap();
    assert_eq!(
        store
            .put_server_deck(&deck("g1", "Un", 3, 10))
            .await
            .unwrap(),
        Uploaded::New
    );
    let first = store.server_decks_stamp("g1").await.unwrap();
    assert_ne!(first, empty);
    assert_eq!(
        store
            .put_server_deck(&deck("g2", "Deux", 1, 11))
            .await
            .unwrap(),
        Uploaded::New
    );
    assert_eq!(
        store.server_decks_stamp("g1").await.unwrap(),
        first,
        "g2 does not touch g1"
    );
    assert_eq!(
        store
            .put_server_deck(&deck("g1", "Un bis", 4, 12))
            .await
            .unwrap(),
        Uploaded::Replaced
    );
    let replaced = store.server_decks_stamp("g1").await.unwrap();
    assert_ne!(replaced, first);
    let listed = store.server_decks("g1").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].title.as_str(),
            listed[0].n_cards,
            listed[0].uploaded_at
        ),
        ("Un bis", 4, 12)
    );

    assert!(store.remove_server_deck("g1", "vocab", 13).await.unwrap());
    assert!(
        !store.remove_server_deck("g1", "vocab", 14).await.unwrap(),
        "already removed"
    );
    assert!(!store.remove_server_deck("g1", "other", 14).await.unwrap());
    assert!(store.server_decks("g1").await.unwrap().is_empty());
    assert_eq!(store.server_decks("g2").await.unwrap().len(), 1);
    let removed = store.server_decks_stamp("g1").await.unwrap();
    assert_ne!(removed, replaced);
    assert_eq!(
        store
            .put_server_deck(&deck("g1", "Un", 3, 15))
            .await
            .unwrap(),
        Uploaded::Restored
    );
    assert_ne!(store.server_decks_stamp("g1").await.unwrap(), removed);
    assert_eq!(store.server_decks("g1").await.unwrap().len(), 1);
}

async fn review_log_is_the_users_own_oldest_first(store: &Store) {
    let alice = store.user("alice", &NewUser::default(), 0).await.unwrap();
    let bob = store.user("bob", &NewUser::default(), 0).await.unwrap();
    let deck = store::server_deck_key("42", &DeckId::parse("vocab").unwrap()).unwrap();
    let scheduler = Scheduler::new(alice.scheduler_config());
    let start = 1_767_610_800_000; // 2026-01-05T11:00:00Z
    for (user, at, rating) in [
        (&alice, start + 60_000, Rating::Good),
        (&bob, start, Rating::Again),
        (&alice, start, Rating::Again),
    ] {
        let key = CardKey::new(&deck, &CardId::parse("paris").unwrap(), Direction::Forward);
        let previous = store.card_state(&user.id, &key).await.unwrap();
        let reviewed = scheduler.review(previous.as_ref(), rating, at);
        let review = Review {
            key,
            at,
            rating,
            verdict: None,
            answer_ms: 1000,
            origin: Origin::Quiz,
            state: reviewed.state,
            interval_days: reviewed.interval_days,
        };
        store.record_review(user, &review).await.unwrap();
    }
    let log = store.review_log("alice").await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].reviewed_at, log[0].rating), (start, 1));
    assert_eq!((log[1].reviewed_at, log[1].rating), (start + 60_000, 3));
    let csv = store::reviews_csv(&log);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[1],
        "vocab,paris,forward,2026-01-05T11:00:00.000Z,,1,0,quiz,"
    );
}

#[tokio::test]
async fn server_decks_are_stored_per_guild_on_sqlite() {
    let db = TestDb::sqlite().await;
    server_decks_are_stored_per_guild(&db.store).await;
    review_log_is_the_users_own_oldest_first(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn server_decks_are_stored_per_guild_on_postgres() {
    let db = TestDb::postgres().await;
    server_decks_are_stored_per_guild(&db.store).await;
    review_log_is_the_users_own_oldest_first(&db.store).await;
    db.finish().await;
}

#[test]
fn server_deck_ids_are_namespaced_and_shown_without_the_namespace() {
    let vocab = DeckId::parse("vocab").unwrap();
    let key = store::server_deck_key("1200000000000000001", &vocab).unwrap();
    assert_eq!(key.as_str(), "srv-1200000000000000001-vocab");
    assert_eq!(store::shown_deck_id(key.as_str()), "vocab");
    assert_eq!(store::shown_deck_id("ciblage"), "ciblage");
    assert_eq!(
        store::shown_deck_id("srv-abc-x"),
        "srv-abc-x",
        "not a guild id"
    );
    let max = store::max_server_deck_id_len("1200000000000000001");
    let longest = DeckId::parse(&"a".repeat(max)).unwrap();
    assert!(store::server_deck_key("1200000000000000001", &longest).is_some());
    let too_long = DeckId::parse(&"a".repeat(max + 1)).unwrap();
    assert!(store::server_deck_key("1200000000000000001", &too_long).is_none());
}

// ------------------------------------------------------------ CLI

#[tokio::test]
async fn cli_stats_export_prints_the_same_csv() {
    let db = TestDb::sqlite().await;
    review_log_is_the_users_own_oldest_first(&db.store).await;
    let expected = store::reviews_csv(&db.store.review_log("alice").await.unwrap());
    let url = db.url.clone();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["stats", "export", "--user", "alice", "--database", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["stats", "export", "--user", "nobody", "--database", &url])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user \"nobody\""));
    db.finish().await;
}

/// Issue 15, item 6: an uploaded deck is a deck like the others for the
/// daily question, the exam and the leaderboard; an archived one leaves
/// `/stats`.
#[tokio::test]
async fn an_uploaded_deck_serves_the_daily_question_the_exam_and_the_leaderboard() {
    let test = spawn_bot(config().no_daily_loop()).await;
    let (alice, prof) = (member(1, "alice"), admin());
    test.upload_vocab(&prof).await;
    let capitales = json!({"name": "deck", "value": "capitales"});

    let set = test
        .command(
            &prof,
            "daily",
            "set",
            json!([{"name": "time", "value": "08:00"}, capitales]),
        )
        .await;
    assert!(set.text().contains("paquet : capitales"), "{}", set.text());
    let shown = test.command(&alice, "daily", "show", json!([])).await;
    assert!(
        shown.text().contains("paquet : capitales"),
        "{}",
        shown.text()
    );
    // The daily step asks one of its cards.
    let decks_dir = test.config().decks_dir;
    let library = rappel::deck_files::load_dir(&decks_dir).expect("decks");
    let http = crate::support::bot::http(&test.fake);
    let store = test.store().await;
    let outcome =
        crate::support::bot::post_next_daily(&http, &store, &library, rappel::discord::now_ms())
            .await;
    assert_eq!(outcome.posted.len(), 1, "{outcome:?}");
    let path = format!("/channels/{CHANNEL_ID}/messages");
    let post = test
        .fake
        .wait_for_call(|c| c.method == "POST" && c.path == path, WAIT)
        .await;
    assert!(post.text().contains("Capitale de"), "{}", post.text());
    // Answered and graded against the uploaded deck.
    let (_, right) = VOCAB
        .into_iter()
        .find(|(q, _)| post.text().contains(q))
        .expect("a question of the deck");
    let answer_id = post.custom_ids().pop().expect("the answer button");
    let modal = test.click(&alice, "fr", &answer_id).await;
    let submit = modal
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("daily:submit:"))
        .expect("the modal");
    let sent = test
        .fake
        .submit_modal(&alice, "fr", &submit, &[("answer", right)]);
    let graded = test.fake.reply_to(&sent).await;
    assert!(
        graded.text().contains("Série : 1 jour"),
        "{}",
        graded.text()
    );
    let log = reviews_of(&store, &alice).await;
    assert_eq!(
        log,
        vec![(
            internal(GUILD_ID, "capitales"),
            log[0].1.clone(),
            Some("correct".to_string())
        )]
    );

    let date = (chrono::Utc::now() + chrono::Days::new(30))
        .format("%Y-%m-%d")
        .to_string();
    let exam = test
        .command(
            &prof,
            "exam",
            "set",
            json!([{"name": "date", "value": date}, capitales]),
        )
        .await;
    assert!(exam.text().contains("capitales"), "{}", exam.text());
    let forecast = test.command(&alice, "exam", "show", json!([])).await;
    assert!(forecast.text().contains("capitales"), "{}", forecast.text());

    let board = test
        .command(&alice, "leaderboard", "show", json!([capitales]))
        .await;
    assert!(board.text().contains("capitales"), "{}", board.text());

    // Studied, then archived: /stats no longer counts it.
    test.dont_know_one_card(&alice).await;
    let learned = |call: &Call| {
        call.message().expect("a message")["embeds"][0]["fields"][0]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let stats = test.command(&alice, "stats", "show", json!([])).await;
    assert_ne!(learned(&stats), "0", "{}", stats.text());
    test.command(
        &prof,
        "decks",
        "remove",
        json!([{"name": "id", "value": "capitales"}]),
    )
    .await;
    let stats = test.command(&alice, "stats", "show", json!([])).await;
    assert_eq!(learned(&stats), "0", "{}", stats.text());
    test.stop().await;
}
