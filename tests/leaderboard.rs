//! `/leaderboard` and `/stats`: ranking rules and time windows (pure), the
//! store's figures per scope and seasons on SQLite and PostgreSQL
//! (including a season reset raced by two processes), the PNG chart, and
//! the commands end to end through the fake Discord.

use chrono_tz::America::Montreal;
use rappel::chart::{self, ChartData, ChartLabels, DayReviews};
use rappel::core::deck::{CardId, DeckId};
use rappel::core::grade::Verdict;
use rappel::core::leaderboard::{self, Entry, Period, Season};
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{CardState, Millis, Phase, Rating, Scheduler, days};
use rappel::store::{NewUser, SeasonReset, Store, User, Who};
use serde_json::{Value, json};

use crate::support::bot::{BotConfig, TestBot, spawn_bot};
use crate::support::db::{TestDb, at, on_both};
use crate::support::fake_discord;
use crate::support::{self, admin};

// ------------------------------------------------------------ ranking (pure)

fn entry(user: &str, points: u64, mastered: u64) -> Entry {
    Entry {
        user_id: user.to_string(),
        name: None,
        points,
        daily_streak: 0,
        mastered,
    }
}

/// Ranks `(user, points, mastered)` with `top_n` for `caller`; returns the
/// shown `rank:user` lines and the caller's extra line.
fn check_rank(
    entries: &[(&str, u64, u64)],
    caller: &str,
    top_n: usize,
    top: &[&str],
    own: Option<&str>,
) {
    let entries = entries.iter().map(|&(u, p, m)| entry(u, p, m)).collect();
    let board = leaderboard::rank(entries, caller, top_n);
    let shown: Vec<String> = board
        .top
        .iter()
        .map(|r| format!("{}:{}", r.rank, r.entry.user_id))
        .collect();
    assert_eq!(shown, top, "top lines");
    let own_line = board
        .caller
        .map(|r| format!("{}:{}", r.rank, r.entry.user_id));
    assert_eq!(own_line.as_deref(), own, "caller line");
}

#[test]
fn ranking_by_points_with_shared_ranks_and_the_callers_line() {
    check_rank(
        &[("a", 5, 0), ("b", 9, 0), ("c", 1, 0)],
        "a",
        10,
        &["1:b", "2:a", "3:c"],
        None,
    );
    // Ties share a rank; the next rank skips (1, 1, 3).
    check_rank(
        &[("a", 5, 0), ("b", 5, 0), ("c", 1, 0)],
        "c",
        10,
        &["1:a", "1:b", "3:c"],
        None,
    );
    // Equal points: more mastered cards shows first, same rank.
    check_rank(&[("a", 5, 1), ("b", 5, 7)], "a", 10, &["1:b", "1:a"], None);
    // Beyond the top: the caller gets their own line with their true rank.
    check_rank(
        &[("a", 9, 0), ("b", 8, 0), ("c", 7, 0), ("d", 1, 0)],
        "d",
        2,
        &["1:a", "2:b"],
        Some("4:d"),
    );
    // A caller in the top gets no extra line; nobody with nothing is ranked.
    check_rank(&[("a", 9, 0), ("z", 0, 0)], "a", 2, &["1:a"], None);
    check_rank(&[("a", 9, 0), ("z", 0, 0)], "z", 2, &["1:a"], None);
    check_rank(&[], "z", 10, &[], None);
}

#[test]
fn top_ten_of_fifteen() {
    let entries: Vec<Entry> = (0..15)
        .map(|i| entry(&format!("u{i:02}"), 100 - i, 0))
        .collect();
    let board = leaderboard::rank(entries, "u14", leaderboard::TOP_N);
    assert_eq!(board.top.len(), 10);
    assert_eq!(board.n_ranked, 15);
    assert_eq!(board.caller.map(|r| r.rank), Some(15));
}

fn check_window(period: Period, now: Millis, start: Millis, end: Option<Millis>) {
    assert_eq!(
        leaderboard::window(period, now, Montreal),
        (start, end),
        "{period:?}"
    );
}

#[test]
fn windows_start_at_local_monday_and_first_of_month() {
    // Wednesday 2026-11-04, 01:30 Montreal (UTC 06:30): the week started on
    // Monday 2026-11-02 at local midnight, the month on the 1st, 00:00 EDT
    // (the clocks went back on the 1st at 2 am: midnight was still UTC-4).
    let now = at(2026, 11, 4, 1, 30);
    check_window(Period::Week, now, at(2026, 11, 2, 0, 0), None);
    check_window(Period::Month, now, at(2026, 11, 1, 0, 0), None);
    assert_eq!(
        at(2026, 11, 1, 0, 0),
        1_793_505_600_000,
        "00:00 EDT is 04:00 UTC"
    );
    check_window(Period::AllTime, now, 0, None);
    // Sunday late evening still belongs to the week that began on Monday.
    check_window(
        Period::Week,
        at(2026, 11, 8, 23, 59),
        at(2026, 11, 2, 0, 0),
        None,
    );
    let s = Season {
        number: 2,
        start: 10,
        end: Some(20),
    };
    check_window(Period::Season(s), now, 10, Some(20));
}

// ------------------------------------------------------------ store

const GUILD: &str = "g1";

async fn member(store: &Store, id: &str) -> User {
    store
        .touch_member(GUILD, id, &format!("name-{id}"), at(2026, 1, 1, 12, 0))
        .await
        .unwrap();
    store
        .user(id, &NewUser::default(), at(2026, 1, 1, 12, 0))
        .await
        .unwrap()
}

/// Records one answer to `deck/card` with `rating` from `origin` at `now`
/// (a daily answer in [`GUILD`]).
async fn answer(
    store: &Store,
    user: &User,
    deck: &str,
    card: &str,
    rating: Rating,
    origin: Origin,
    now: Millis,
) {
    answer_in(store, GUILD, user, deck, card, rating, origin, now).await;
}

/// [`answer`], a daily answer given in `guild`.
#[allow(clippy::too_many_arguments)]
async fn answer_in(
    store: &Store,
    guild: &str,
    user: &User,
    deck: &str,
    card: &str,
    rating: Rating,
    origin: Origin,
    now: Millis,
) {
    let key = CardKey::new(
        &DeckId::parse(deck).unwrap(),
        &CardId::parse(card).unwrap(),
        Direction::Forward,
    );
    let previous = store.card_state(&user.id, &key).await.unwrap();
    let reviewed = Scheduler::new(user.scheduler_config()).review(previous.as_ref(), rating, now);
    let verdict = if rating == Rating::Again {
        Verdict::Wrong
    } else {
        Verdict::Correct
    };
    let review = Review {
        key,
        at: now,
        rating,
        verdict: Some((verdict, 1.0)),
        answer_ms: 3_000,
        origin,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    };
    store.record_review(user, &review).await.unwrap();
    if origin == Origin::Daily {
        daily_answer(
            store,
            guild,
            &user.id,
            deck,
            card,
            rating != Rating::Again,
            now,
        )
        .await;
    }
}

/// What the bot stores for a daily answer in `guild`: the post (one
/// channel per card, so several answers a day are possible) and the answer.
async fn daily_answer(
    store: &Store,
    guild: &str,
    user: &str,
    deck: &str,
    card: &str,
    correct: bool,
    now: Millis,
) {
    let channel = format!("{guild}-{card}");
    let date = "2026-01-01";
    let post = "INSERT INTO daily_posts (channel_id, local_date, guild_id, deck_id, card_id, \
                direction, claimed_at) VALUES ($1, $2, $3, $4, $5, 'forward', $6) \
                ON CONFLICT (channel_id, local_date) DO NOTHING";
    let answer = "INSERT INTO daily_answers (channel_id, local_date, user_id, guild_id, correct, \
                  answered_at) VALUES ($1, $2, $3, $4, $5, $6)";
    let correct = i64::from(correct);
    match store {
        Store::Sqlite(pool, _) => {
            sqlx::query(post)
                .bind(&channel)
                .bind(date)
                .bind(guild)
                .bind(deck)
                .bind(card)
                .bind(now)
                .execute(pool)
                .await
                .unwrap();
            sqlx::query(answer)
                .bind(&channel)
                .bind(date)
                .bind(user)
                .bind(guild)
                .bind(correct)
                .bind(now)
                .execute(pool)
                .await
                .unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::query(post)
                .bind(&channel)
                .bind(date)
                .bind(guild)
                .bind(deck)
                .bind(card)
                .bind(now)
                .execute(pool)
                .await
                .unwrap();
            sqlx::query(answer)
                .bind(&channel)
                .bind(date)
                .bind(user)
                .bind(guild)
                .bind(correct)
                .bind(now)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

/// Stores a card state with `stability` days (mastered from 21).
async fn with_stability(store: &Store, user: &User, card: &str, stability: f32, now: Millis) {
    let state = CardState {
        phase: Phase::Review,
        step: 0,
        stability,
        difficulty: 5.0,
        due: now + days(stability as i64),
        last_review: Some(now),
        reps: 5,
        lapses: 0,
    };
    let key = CardKey::new(
        &DeckId::parse("grc").unwrap(),
        &CardId::parse(card).unwrap(),
        Direction::Forward,
    );
    let review = Review {
        key,
        at: now,
        rating: Rating::Good,
        verdict: Some((Verdict::Correct, 1.0)),
        answer_ms: 3_000,
        origin: Origin::Study,
        state,
        interval_days: stability as u32,
    };
    store.record_review(user, &review).await.unwrap();
}

/// `user:points:streak:mastered` of every member, sorted by user.
async fn figures(
    store: &Store,
    start: Millis,
    end: Option<Millis>,
    deck: Option<&str>,
    now: Millis,
) -> Vec<String> {
    let deck = deck.map(|d| DeckId::parse(d).unwrap());
    let mut entries = store
        .leaderboard_entries(GUILD, start, end, deck.as_ref(), now)
        .await
        .unwrap();
    entries.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    entries
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}:{}",
                e.user_id, e.points, e.daily_streak, e.mastered
            )
        })
        .collect()
}

on_both! {
    leaderboard_per_scope(store) {
        let alice = member(store, "alice").await;
        let bob = member(store, "bob").await;
        // Not a member of the server: never listed.
        let stranger = store.user("stranger", &NewUser::default(), 0).await.unwrap();
        let now = at(2026, 11, 18, 12, 0); // Wednesday
        // Last month: alice 2 quiz points on grc.
        answer(store, &alice, "grc", "a", Rating::Good, Origin::Daily, at(2026, 10, 20, 10, 0)).await;
        answer(store, &alice, "grc", "b", Rating::Good, Origin::Daily, at(2026, 10, 20, 10, 1)).await;
        // This month, last week: bob 1 daily point on ciblage, one wrong (no point).
        answer(store, &bob, "ciblage", "x", Rating::Good, Origin::Daily, at(2026, 11, 10, 9, 0)).await;
        answer(store, &bob, "ciblage", "y", Rating::Again, Origin::Quiz, at(2026, 11, 10, 9, 1)).await;
        // This week: bob daily Mon, Tue, Wed (a 3-day streak, 3 points);
        // alice studies alone (no points).
        for d in 16..=18 {
            answer(store, &bob, "grc", &format!("d{d}"), Rating::Hard, Origin::Daily, at(2026, 11, d, 8, 0)).await;
        }
        answer(store, &alice, "grc", "c", Rating::Easy, Origin::Study, at(2026, 11, 17, 8, 0)).await;
        answer(store, &stranger, "grc", "a", Rating::Good, Origin::Daily, at(2026, 11, 17, 8, 0)).await;
        // Alice masters one card (stability 30), has one at 20 (not mastered).
        with_stability(store, &alice, "m1", 30.0, at(2026, 11, 1, 8, 0)).await;
        with_stability(store, &alice, "m2", 20.0, at(2026, 11, 1, 8, 0)).await;

        let (week, _) = leaderboard::window(Period::Week, now, Montreal);
        let (month, _) = leaderboard::window(Period::Month, now, Montreal);
        assert_eq!(figures(store, 0, None, None, now).await, ["alice:2:0:1", "bob:4:3:0"]);
        assert_eq!(figures(store, month, None, None, now).await, ["alice:0:0:1", "bob:4:3:0"]);
        assert_eq!(figures(store, week, None, None, now).await, ["alice:0:0:1", "bob:3:3:0"]);
        assert_eq!(figures(store, 0, None, Some("grc"), now).await, ["alice:2:0:1", "bob:3:3:0"]);
        assert_eq!(figures(store, 0, None, Some("ciblage"), now).await, ["alice:0:0:0", "bob:1:3:0"]);
        // A window with an end leaves later answers out.
        assert_eq!(figures(store, 0, Some(at(2026, 11, 16, 0, 0)), None, now).await, ["alice:2:0:1", "bob:1:3:0"]);
        // Two days without a daily answer break the streak.
        assert_eq!(figures(store, week, None, None, at(2026, 11, 20, 12, 0)).await, ["alice:0:0:1", "bob:3:0:0"]);
        let names: Vec<Option<String>> = store.leaderboard_entries(GUILD, 0, None, None, now).await.unwrap()
            .into_iter().map(|e| e.name).collect();
        assert!(names.contains(&Some("name-alice".to_string())), "{names:?}");
        assert_eq!(store.guild_member_count(GUILD).await.unwrap(), 2);
        assert_eq!(store.guild_member_count("other").await.unwrap(), 0);
    }

    // Issue 14: a student in two servers got each server's daily points
    // in both leaderboards.
    daily_points_count_in_the_server_they_were_given_in(store) {
        let alice = member(store, "alice").await;
        store.touch_member("other", "alice", "alice", at(2026, 1, 1, 12, 0)).await.unwrap();
        // Two right daily answers here, one in the other server.
        answer(store, &alice, "grc", "a", Rating::Good, Origin::Daily, at(2026, 11, 17, 8, 0)).await;
        answer(store, &alice, "grc", "b", Rating::Good, Origin::Daily, at(2026, 11, 17, 8, 1)).await;
        daily_answer(store, "other", "alice", "grc", "c", true, at(2026, 11, 17, 9, 0)).await;
        let here = store.points_by_member(GUILD, 0, None, None).await.unwrap();
        let other = store.points_by_member("other", 0, None, None).await.unwrap();
        assert_eq!(here.get("alice"), Some(&2), "{here:?}");
        assert_eq!(other.get("alice"), Some(&1), "{other:?}");
    }

    seasons_archive_and_reset_once(store) {
        let alice = member(store, "alice").await;
        assert_eq!(store.current_season(GUILD).await.unwrap(), Season { number: 1, start: 0, end: None });
        assert_eq!(store.season(GUILD, 2).await.unwrap(), None);
        answer(store, &alice, "grc", "a", Rating::Good, Origin::Daily, at(2026, 9, 1, 10, 0)).await;
        let reset_at = at(2026, 9, 15, 0, 0);
        let done = store.reset_season(GUILD, "admin", reset_at).await.unwrap();
        assert_eq!(done, SeasonReset::Done { closed: Season { number: 1, start: 0, end: Some(reset_at) } });
        answer(store, &alice, "grc", "b", Rating::Good, Origin::Daily, at(2026, 9, 20, 10, 0)).await;
        answer(store, &alice, "grc", "c", Rating::Good, Origin::Daily, at(2026, 9, 21, 10, 0)).await;

        let current = store.current_season(GUILD).await.unwrap();
        assert_eq!(current, Season { number: 2, start: reset_at, end: None });
        let one = store.season(GUILD, 1).await.unwrap().unwrap();
        assert_eq!(one, Season { number: 1, start: 0, end: Some(reset_at) });
        let now = at(2026, 9, 22, 12, 0);
        let (s, e) = leaderboard::window(Period::Season(one), now, Montreal);
        assert_eq!(figures(store, s, e, None, now).await, ["alice:1:2:0"], "season 1 archived (the streak is today's: 20th and 21st)");
        let (s, e) = leaderboard::window(Period::Season(current), now, Montreal);
        assert_eq!(figures(store, s, e, None, now).await, ["alice:2:2:0"], "season 2 from zero");
        // Nothing deleted: all time still counts everything.
        assert_eq!(figures(store, 0, None, None, now).await, ["alice:3:2:0"]);
        // Another server has its own seasons.
        assert_eq!(store.current_season("other").await.unwrap().number, 1);
    }

    quiz_awards_count_per_server_window_and_deck(store) {
        member(store, "alice").await;
        let quiz = |guild: &str, deck: &str| rappel::store::NewQuiz {
            guild_id: Some(guild.to_string()),
            channel_id: "c".to_string(),
            starter_id: "alice".to_string(),
            deck: DeckId::parse(deck).unwrap(),
            n_questions: 3,
            language: "fr".to_string(),
            started_at: at(2026, 11, 10, 9, 0),
            answer_ms: 20_000,
        };
        let award = |quiz_id: i64, question: u32, user: &str, points: u32, at: Millis| rappel::store::QuizAward {
            quiz_id, question, user_id: user.to_string(), points, first: true, right: true, at,
        };
        let here = store.begin_quiz(&quiz(GUILD, "grc")).await.unwrap();
        let elsewhere = store.begin_quiz(&quiz("other", "grc")).await.unwrap();
        let ciblage = store.begin_quiz(&quiz(GUILD, "ciblage")).await.unwrap();
        // Stored, as the quiz writer does for a player met first in a quiz
        // (writes of players with no user row are a forgotten user's, dropped).
        store.user("quizonly", &NewUser::default(), 0).await.unwrap();
        store.record_quiz_writes(&[], &[
            award(here, 0, "alice", 3, at(2026, 11, 10, 9, 1)),
            award(here, 1, "alice", 2, at(2026, 11, 17, 9, 2)),
            // A player who never ran a command here still ranks.
            award(here, 0, "quizonly", 1, at(2026, 11, 17, 9, 1)),
            award(elsewhere, 0, "alice", 100, at(2026, 11, 17, 9, 1)),
            award(ciblage, 0, "alice", 4, at(2026, 11, 17, 9, 1)),
        ], &[]).await.unwrap();
        let now = at(2026, 11, 18, 12, 0);
        let (week, _) = leaderboard::window(Period::Week, now, Montreal);
        assert_eq!(figures(store, 0, None, None, now).await, ["alice:9:0:0", "quizonly:1:0:0"]);
        assert_eq!(figures(store, week, None, None, now).await, ["alice:6:0:0", "quizonly:1:0:0"]);
        assert_eq!(figures(store, 0, None, Some("grc"), now).await, ["alice:5:0:0", "quizonly:1:0:0"]);
    }

    activity_for_a_student_and_a_server(store) {
        let alice = member(store, "alice").await;
        let bob = member(store, "bob").await;
        let stranger = store.user("stranger", &NewUser::default(), 0).await.unwrap();
        let now = at(2026, 11, 18, 12, 0);
        answer(store, &alice, "grc", "a", Rating::Good, Origin::Study, at(2026, 11, 18, 9, 0)).await;
        answer(store, &alice, "grc", "b", Rating::Again, Origin::Study, at(2026, 11, 18, 9, 1)).await;
        answer(store, &alice, "grc", "c", Rating::Good, Origin::Study, at(2026, 11, 16, 9, 0)).await;
        answer(store, &bob, "grc", "a", Rating::Good, Origin::Daily, at(2026, 11, 17, 9, 0)).await;
        answer(store, &stranger, "grc", "a", Rating::Good, Origin::Daily, at(2026, 11, 17, 9, 0)).await;
        // 40 days ago: outside the 30-day window.
        answer(store, &bob, "grc", "old", Rating::Good, Origin::Study, now - days(40)).await;
        with_stability(store, &alice, "later", 5.0, now).await;

        let mine = store.activity(Who::User("alice"), now, Montreal, 30, 14).await.unwrap();
        assert_eq!(mine.chart.reviews.len(), 30);
        // Today: a (right), b (wrong) and the stability-5 card (right).
        assert_eq!(mine.chart.reviews[29], DayReviews { right: 2, wrong: 1 }, "today");
        assert_eq!(mine.chart.reviews[27], DayReviews { right: 1, wrong: 0 }, "two days ago");
        assert_eq!(mine.chart.reviews.iter().map(|d| d.right + d.wrong).sum::<u64>(), 4);
        assert_eq!(mine.active_students, 1);
        assert_eq!(mine.chart.due.len(), 14);
        // Every state of alice is due within the 14 days (the stability-5
        // card in 5 days); the total matches her number of states.
        assert_eq!(mine.chart.due.iter().sum::<u64>(), 4);
        assert_eq!(mine.chart.due[5], 1, "the stability-5 card, due in 5 days");

        let server = store.activity(Who::Guild(GUILD), now, Montreal, 30, 14).await.unwrap();
        assert_eq!(server.chart.reviews.iter().map(|d| d.right + d.wrong).sum::<u64>(), 5, "alice 4 + bob 1: the stranger and old reviews are not counted");
        assert_eq!(server.active_students, 2);
    }
}

/// Two bot processes (two stores, separate connections to one database)
/// reset the same season at the same time: exactly one closes it.
async fn reset_race(url: &str) {
    let a = Store::connect(url).await.unwrap();
    let b = Store::connect(url).await.unwrap();
    let now = at(2026, 9, 15, 0, 0);
    let (ra, rb) = tokio::join!(
        a.reset_season(GUILD, "x", now),
        b.reset_season(GUILD, "y", now + 1)
    );
    let outcomes = [ra.unwrap(), rb.unwrap()];
    let n_done = outcomes
        .iter()
        .filter(|o| matches!(o, SeasonReset::Done { .. }))
        .count();
    assert_eq!(n_done, 1, "{outcomes:?}");
    for o in outcomes {
        match o {
            SeasonReset::Done { closed } => assert_eq!(closed.number, 1),
            SeasonReset::AlreadyReset { current } => assert_eq!(current, 2),
        }
    }
    assert_eq!(a.current_season(GUILD).await.unwrap().number, 2);
    // An hour later, a new reset is a new season.
    let later = b
        .reset_season(GUILD, "y", now + leaderboard::MIN_SEASON_MS + 1)
        .await
        .unwrap();
    assert!(
        matches!(later, SeasonReset::Done { closed } if closed.number == 2),
        "{later:?}"
    );
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn season_reset_is_exactly_once_across_processes_sqlite() {
    let db = TestDb::sqlite().await;
    reset_race(&db.url).await;
    db.finish().await;
}

#[tokio::test]
async fn season_reset_is_exactly_once_across_processes_postgres() {
    let db = TestDb::postgres().await;
    reset_race(&db.url).await;
    db.finish().await;
}

// ------------------------------------------------------------ chart

fn labels() -> ChartLabels {
    rappel::discord::messages::chart_labels(rappel::discord::messages::Lang::Fr)
}

/// Decodes a PNG: (width, height, RGB pixels).
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = buf[..info.buffer_size()]
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, pixels)
}

fn count_colour(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels.iter().filter(|p| **p == colour).count()
}

const GREEN: [u8; 3] = [67, 160, 71];
const RED: [u8; 3] = [229, 57, 53];
const BLUE: [u8; 3] = [88, 101, 242];

#[test]
fn chart_decodes_with_the_expected_size_and_bars() {
    let data = example_data();
    let png = chart::render(&data, &labels()).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h, pixels) = decode(&png);
    assert_eq!((w, h), (chart::WIDTH, chart::HEIGHT));
    // Bars (and legend swatches) in each colour.
    assert!(count_colour(&pixels, GREEN) > 500);
    assert!(count_colour(&pixels, RED) > 100);
    assert!(count_colour(&pixels, BLUE) > 500);
}

#[test]
fn chart_has_text_from_the_embedded_font() {
    // Same data, titles drawn or blank: the text must change dark pixels,
    // which only happens if the embedded font rendered glyphs.
    let data = ChartData {
        reviews: vec![DayReviews::default(); 30],
        due: vec![0; 14],
    };
    let blank = ChartLabels {
        reviews_title: String::new(),
        due_title: String::new(),
        right: String::new(),
        wrong: String::new(),
        due: String::new(),
        days_ago: String::new(),
        days_ahead: String::new(),
    };
    let dark = |png: &[u8]| {
        decode(png)
            .2
            .iter()
            .filter(|p| p.iter().all(|&c| c < 100))
            .count()
    };
    let with_text = dark(&chart::render(&data, &labels()).unwrap());
    let without = dark(&chart::render(&data, &blank).unwrap());
    assert!(with_text > without + 500, "{with_text} vs {without}");
}

#[test]
fn empty_chart_still_renders() {
    let data = ChartData {
        reviews: vec![],
        due: vec![],
    };
    let (w, h, _) = decode(&chart::render(&data, &labels()).unwrap());
    assert_eq!((w, h), (chart::WIDTH, chart::HEIGHT));
}

/// Thirty days of a plausible student, used by the tests and by
/// `cargo run --example stats_chart` for `docs/stats-example.png`.
fn example_data() -> ChartData {
    rappel::chart::example_data()
}

// ------------------------------------------------------------ end to end

impl TestBot {
    async fn board(&self, user: &fake_discord::User, options: Value) -> String {
        self.slash(
            user,
            "fr",
            "leaderboard",
            json!([{"name": "show", "options": options}]),
        )
        .await
        .text()
    }
}

/// Discord sends poise choices as their index.
const PERIOD_WEEK: u64 = 1;
const PERIOD_SEASON: u64 = 3;
const SCOPE_SERVER: u64 = 1;

/// Gives `user` `n` right daily answers today (and makes them a member).
async fn points(test: &TestBot, user: &fake_discord::User, n: usize) {
    // Any command makes the caller a member of the server.
    test.slash(
        user,
        "fr",
        "stats",
        json!([{"name": "show", "options": []}]),
    )
    .await;
    let store = test.store().await;
    let now = rappel::discord::now_ms();
    let u = store
        .user(&user.id.to_string(), &NewUser::default(), now)
        .await
        .unwrap();
    for i in 0..n {
        answer_in(
            &store,
            &fake_discord::GUILD_ID.to_string(),
            &u,
            "grc",
            &format!("c{i}"),
            Rating::Good,
            Origin::Daily,
            now - 1000 + i as i64,
        )
        .await;
    }
    store.close().await;
}

#[tokio::test]
async fn leaderboard_and_seasons_end_to_end() {
    let test = spawn_bot(BotConfig::default()).await;
    let (alice, bob, carol) = (
        support::member(1, "alice"),
        support::member(2, "bob"),
        support::member(3, "carol"),
    );
    // Registered with French names for the subcommands.
    let commands = test
        .fake
        .calls()
        .into_iter()
        .find(|c| c.method == "PUT")
        .unwrap();
    let body = commands.body.unwrap();
    let lb = body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "leaderboard")
        .expect("registered");
    assert_eq!(lb["name_localizations"]["fr"], "classement");
    let subs: Vec<&Value> = lb["options"].as_array().unwrap().iter().collect();
    assert!(
        subs.iter()
            .any(|s| s["name"] == "season-reset"
                && s["name_localizations"]["fr"] == "nouvelle-saison")
    );

    let empty = test.board(&alice, json!([])).await;
    assert!(empty.contains("Personne n'est encore classé"), "{empty}");

    points(&test, &alice, 3).await;
    points(&test, &bob, 5).await;
    points(&test, &carol, 0).await;
    let text = test.board(&carol, json!([])).await;
    let bob_at = text
        .find(&format!("<@{}>", bob.id))
        .expect("bob listed by mention");
    let alice_at = text
        .find(&format!("<@{}>", alice.id))
        .expect("alice listed");
    assert!(bob_at < alice_at, "bob (5) above alice (3): {text}");
    assert!(
        text.contains("**1.**") && text.contains("**5 pts**"),
        "{text}"
    );
    assert!(
        text.contains("pas encore classé"),
        "carol has no points: {text}"
    );
    let week = test
        .board(&alice, json!([{"name": "period", "value": PERIOD_WEEK}]))
        .await;
    assert!(
        week.contains("Classement de la semaine") && week.contains("**3 pts**"),
        "{week}"
    );
    let deck = test
        .board(&alice, json!([{"name": "deck", "value": "ciblage"}]))
        .await;
    assert!(
        deck.contains("ciblage") && deck.contains("Personne"),
        "no points on ciblage: {deck}"
    );

    // Season reset: refused to students, done once for the admin.
    let refused = test
        .slash(
            &alice,
            "fr",
            "leaderboard",
            json!([{"name": "season-reset", "options": []}]),
        )
        .await;
    assert!(
        refused.text().contains("Gérer le serveur"),
        "{}",
        refused.text()
    );
    let done = test
        .slash(
            &admin(),
            "fr",
            "leaderboard",
            json!([{"name": "season-reset", "options": []}]),
        )
        .await;
    assert!(
        done.text().contains("La saison 1 est terminée"),
        "{}",
        done.text()
    );
    let season = test
        .board(&alice, json!([{"name": "period", "value": PERIOD_SEASON}]))
        .await;
    assert!(
        season.contains("saison 2 (en cours)") && season.contains("Personne"),
        "{season}"
    );
    let archived = test
        .board(&alice, json!([{"name": "season", "value": 1}]))
        .await;
    assert!(
        archived.contains("saison 1 (archivée)") && archived.contains("**5 pts**"),
        "{archived}"
    );
    let missing = test
        .board(&alice, json!([{"name": "season", "value": 7}]))
        .await;
    assert!(missing.contains("pas de saison 7"), "{missing}");
    test.stop().await;
}

#[tokio::test]
async fn stats_attach_a_chart_and_server_scope_needs_manage_server() {
    let test = spawn_bot(BotConfig::default()).await;
    let alice = support::member(1, "alice");
    points(&test, &alice, 2).await;
    let reply = test
        .slash(
            &alice,
            "fr",
            "stats",
            json!([{"name": "show", "options": []}]),
        )
        .await;
    let message = reply.message().expect("a message").clone();
    assert_eq!(message["flags"], json!(64), "private");
    assert_eq!(
        message["attachments"][0]["filename"], "stats.png",
        "{message}"
    );
    assert_eq!(
        message["embeds"][0]["image"]["url"],
        "attachment://stats.png"
    );
    let text = reply.text();
    assert!(text.contains("Révisions (30 jours)\n2"), "{text}");

    let refused = test
        .slash(
            &alice,
            "fr",
            "stats",
            json!([{"name": "show", "options": [{"name": "scope", "value": SCOPE_SERVER}]}]),
        )
        .await;
    assert!(
        refused.text().contains("Gérer le serveur"),
        "{}",
        refused.text()
    );
    let server = test
        .slash(
            &admin(),
            "en",
            "stats",
            json!([{"name": "show", "options": [{"name": "scope", "value": SCOPE_SERVER}]}]),
        )
        .await;
    let text = server.text();
    assert!(text.contains("Server activity"), "{text}");
    assert!(
        text.contains("Active members (30 days)\n1 / 2"),
        "alice active, prof not: {text}"
    );
    assert_eq!(
        server.message().unwrap()["attachments"][0]["filename"],
        "stats.png"
    );
    test.stop().await;
}
