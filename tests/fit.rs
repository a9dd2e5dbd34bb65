//! A memory model fitted to each student (issue 17): the simulated
//! population that shows fitting pays, the storage of fits, claims and
//! forecasts on both backends, the fit done exactly once by two processes
//! sharing PostgreSQL, and what `/stats show` and `/exam show` say.

use std::collections::HashMap;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::fit::{self, LoggedAnswer, Metrics, Outcome, Report};
use rappel::core::forecast::CardForecast;
use rappel::core::review::{CardKey, Direction, Origin, Review};
use rappel::core::schedule::{CardState, Millis, Parameters, Rating, Scheduler, day_index, days};
use rappel::core::simulate::{self, Learner, Population};
use rappel::fit_job;
use rappel::store::{NewForecast, NewUser, Store, User};
use serde_json::json;

use crate::support::bot::{BotConfig, prepare_bot};
use crate::support::db::{TestDb, at, on_both};
use crate::support::{alice, bob};

// ------------------------------------------------------------ simulation

/// The acceptance test of issue 17 on a simulated population: 200
/// students, 90 days, a fixed seed.
#[test]
fn on_a_simulated_population_fitted_parameters_beat_the_defaults_and_forecasts_hold() {
    let mut rng = StdRng::seed_from_u64(17);
    let outcome = simulate::simulate(
        &Population {
            students: 200,
            days: 90,
        },
        &mut rng,
    );
    let fitted: Vec<_> = outcome.fitted().collect();
    assert!(
        fitted.len() >= 100,
        "most simulated students reach {} long-term reviews: {}",
        fit::MIN_REVIEWS,
        fitted.len()
    );
    let better = fitted
        .iter()
        .filter(|s| s.fitted_better() == Some(true))
        .count();
    assert!(
        better * 5 >= fitted.len() * 3,
        "fitted parameters beat the defaults on held-out log loss for at least 3 students in 5: \
         {better} of {}",
        fitted.len()
    );
    // The fitted parameters' predictions come closer to the true recall.
    let closer = fitted
        .iter()
        .filter(|s| s.fitted_gap < s.default_gap)
        .count();
    assert!(
        closer * 4 >= fitted.len() * 3,
        "{closer} of {}",
        fitted.len()
    );

    let c = &outcome.calibration;
    let mut checked = 0;
    for (i, bin) in c.deciles.iter().enumerate() {
        if bin.conclusive() {
            checked += 1;
            assert!(
                bin.gap_points().abs() <= 5.0,
                "decile {i}: predicted {:.3}, observed {:.3} on {} cards",
                bin.predicted,
                bin.observed,
                bin.n
            );
        }
    }
    assert!(checked >= 4, "the check covers several deciles: {c:?}");
    assert!(c.overall.gap_points().abs() <= 5.0, "{c:?}");
}

// ------------------------------------------------------------ fixtures

fn key(card: u32) -> CardKey {
    CardKey::new(
        &DeckId::parse("crm").unwrap(),
        &CardId::parse(&format!("c{card}")).unwrap(),
        Direction::Forward,
    )
}

async fn user(store: &Store, id: &str) -> User {
    store
        .user(id, &NewUser::default(), at(2026, 1, 1, 12, 0))
        .await
        .unwrap()
}

/// A student who studies every day, 6 new cards a day, for `n_days`.
fn log_of(seed: u64, n_days: u32) -> Vec<LoggedAnswer> {
    let mut rng = StdRng::seed_from_u64(seed);
    let learner = Learner {
        new_per_day: 6,
        p_study: 1.0,
        ..simulate::draw_learner(&mut rng)
    };
    simulate::student_log(&learner, n_days, &mut rng)
}

/// Stores `log` as `user`'s reviews (cards `crm/c<n>`), each scheduled by
/// the real scheduler.
async fn store_log(store: &Store, user: &User, log: &[LoggedAnswer]) {
    let scheduler = Scheduler::new(user.scheduler_config());
    let mut states: HashMap<u32, CardState> = HashMap::new();
    for a in log {
        let previous = match states.get(&a.card) {
            Some(state) => Some(*state),
            None => store.card_state(&user.id, &key(a.card)).await.unwrap(),
        };
        let reviewed = scheduler.review(previous.as_ref(), a.rating, a.at);
        states.insert(a.card, reviewed.state);
        let review = Review {
            key: key(a.card),
            at: a.at,
            rating: a.rating,
            verdict: None,
            answer_ms: 3_000,
            origin: Origin::Study,
            state: reviewed.state,
            interval_days: reviewed.interval_days,
        };
        store.record_review(user, &review).await.unwrap();
    }
}

/// A fit report as `core::fit` makes them, with the figures given.
fn report(outcome: Outcome, fitted: Option<Parameters>, n_answers: usize) -> Report {
    let m = |log_loss| {
        Some(Metrics {
            log_loss,
            rmse_bins: 0.05,
        })
    };
    Report {
        n_answers,
        n_reviews: n_answers / 2,
        n_train: n_answers * 2 / 5,
        n_test: n_answers / 10,
        outcome,
        fitted,
        default_metrics: m(0.42),
        fitted_metrics: m(0.35),
        previous_metrics: None,
        error: None,
    }
}

fn slower_forgetting() -> Parameters {
    let mut p = Parameters::default();
    for w in &mut p.0[..4] {
        *w *= 2.0;
    }
    p
}

// ------------------------------------------------------------ storage

/// Gives `id` a row in each table of issue 17 (a fit, its parameters in
/// use, a claim, a forecast), for the `/forget-me` test.
pub async fn seed_memory_rows(store: &Store, id: &str, now: Millis) {
    assert!(
        store
            .claim_fit(id, fit_job::utc_day(now), "p", now)
            .await
            .unwrap()
    );
    let fitted = slower_forgetting();
    store
        .record_fit(id, &report(Outcome::Fitted, Some(fitted), 1000), now)
        .await
        .unwrap();
    let cards = [CardForecast {
        deck: "crm".into(),
        card: "c1".into(),
        direction: "forward".into(),
        recall: 0.8,
        stability: 10.0,
        last_day: 0,
    }];
    let forecast = NewForecast {
        user_id: id,
        guild_id: "guild",
        deck: None,
        exam_at: now + days(10),
        made_at: now,
        made_day: 0,
        predicted: 0.8,
        n_cards: 1,
        n_unseen: 0,
        fitted: true,
        decay: fitted.decay(),
        cards: &cards,
    };
    store.save_forecast(&forecast).await.unwrap();
}

on_both! {
    a_fit_is_kept_and_its_parameters_schedule_the_student(store) {
        let alice = user(store, "alice").await;
        assert!(alice.parameters.is_default());
        let fitted = slower_forgetting();
        let t = at(2026, 3, 1, 3, 0);
        let id = store
            .record_fit("alice", &report(Outcome::Fitted, Some(fitted), 1000), t)
            .await
            .unwrap();
        // A retry after a lost COMMIT finds its own row.
        let again = store
            .record_fit("alice", &report(Outcome::Fitted, Some(fitted), 1000), t)
            .await
            .unwrap();
        assert_eq!(again, id);
        let alice = user(store, "alice").await;
        assert_eq!(alice.parameters, fitted);
        assert_eq!(alice.scheduler_config().parameters, fitted);
        let in_use = store.fit_in_use("alice").await.unwrap().unwrap();
        assert_eq!((in_use.id, in_use.report.n_answers, in_use.report.n_train), (id, 1000, 400));
        assert_eq!(in_use.report.fitted_metrics.unwrap().log_loss, 0.35);
        // The scheduler now uses them: a first Good lasts longer.
        let now = at(2026, 3, 2, 12, 0);
        let with = Scheduler::new(alice.scheduler_config()).review(None, Rating::Easy, now);
        let without = Scheduler::new(User { parameters: Parameters::default(), ..alice.clone() }
            .scheduler_config())
            .review(None, Rating::Easy, now);
        assert!(with.interval_days > without.interval_days, "{with:?} {without:?}");

        // A later fit that finds the defaults better puts them back, and
        // the history keeps both fits.
        let later = at(2026, 4, 1, 3, 0);
        store
            .record_fit("alice", &report(Outcome::Default, Some(fitted), 1500), later)
            .await
            .unwrap();
        assert!(user(store, "alice").await.parameters.is_default());
        assert!(store.fit_in_use("alice").await.unwrap().is_none());
        let last = store.last_fit("alice").await.unwrap().unwrap();
        assert_eq!((last.report.outcome, last.report.n_answers), (Outcome::Default, 1500));
        // Too few reviews changes nothing.
        store
            .record_fit("alice", &report(Outcome::Fitted, Some(fitted), 1700), later + 1)
            .await
            .unwrap();
        store
            .record_fit("alice", &report(Outcome::TooFew, None, 1800), later + 2)
            .await
            .unwrap();
        assert_eq!(user(store, "alice").await.parameters, fitted);
    }

    the_fit_claim_is_won_once_per_student_and_day(store) {
        user(store, "alice").await;
        let now = at(2026, 3, 1, 3, 0);
        let day = fit_job::utc_day(now);
        assert!(store.claim_fit("alice", day, "process-a", now).await.unwrap());
        assert!(!store.claim_fit("alice", day, "process-b", now).await.unwrap());
        assert!(!store.claim_fit("alice", day, "process-a", now + 5).await.unwrap());
        assert!(store.claim_fit("alice", day + 1, "process-b", now + days(1)).await.unwrap());
        assert_eq!(store.fit_claims("alice").await.unwrap(), 2);
    }

    a_student_is_due_a_fit_from_enough_answers_and_again_after_half_as_many(store) {
        let alice = user(store, "alice").await;
        let log = log_of(1, 30);
        assert!(log.len() >= fit::MIN_REVIEWS, "{}", log.len());
        store_log(store, &alice, &log[..fit::MIN_REVIEWS - 1]).await;
        let now = at(2026, 3, 1, 3, 0);
        let day = fit_job::utc_day(now);
        assert!(store.fit_candidates(day).await.unwrap().is_empty());
        store_log(store, &alice, &log[fit::MIN_REVIEWS - 1..fit::MIN_REVIEWS]).await;
        let due = store.fit_candidates(day).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].n_answers, due[0].last_fit_answers), (fit::MIN_REVIEWS, None));

        // Read back as the fit reads it: the answers in order, one card
        // per key, the long-term reviews counted as `core::fit` counts them.
        let read = store.fit_log("alice").await.unwrap();
        assert_eq!(read.answers.len(), fit::MIN_REVIEWS);
        let ratings: Vec<Rating> = read.answers.iter().map(|a| a.rating).collect();
        let expected: Vec<Rating> = log[..fit::MIN_REVIEWS].iter().map(|a| a.rating).collect();
        assert_eq!(ratings, expected);
        assert_eq!(read.keys[read.answers[0].card as usize], key(log[0].card));
        let long_term = fit::Reviews::from_log(&read.answers).len() as u64;
        assert_eq!(store.long_term_reviews("alice").await.unwrap(), long_term);

        // Claimed today: not a candidate again today.
        assert!(store.claim_fit("alice", day, "p", now).await.unwrap());
        assert!(store.fit_candidates(day).await.unwrap().is_empty());
        // Fitted with 400 answers: due again from 600.
        store
            .record_fit("alice", &report(Outcome::TooFew, None, fit::MIN_REVIEWS), now)
            .await
            .unwrap();
        assert!(store.fit_candidates(day + 1).await.unwrap().is_empty());
        store_log(store, &alice, &log[fit::MIN_REVIEWS..600]).await;
        let due = store.fit_candidates(day + 1).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].last_fit_answers, Some(fit::MIN_REVIEWS));
    }

    a_fit_replays_the_memory_of_cards_not_answered_since(store) {
        let alice = user(store, "alice").await;
        let log = log_of(2, 12);
        store_log(store, &alice, &log).await;
        let read = store.fit_log("alice").await.unwrap();
        let fitted = slower_forgetting();
        let mut memories = fit::memory_states(&fitted, &read.answers);
        assert_eq!(memories.len(), read.keys.len());
        // The last card was answered again after the replayed log.
        let stale = memories.len() - 1;
        memories[stale].1 -= 1;
        let changed = store.set_memories("alice", &read.keys, &memories).await.unwrap();
        assert_eq!(changed as usize, memories.len() - 1);
        for (i, &(card, _, memory)) in memories.iter().enumerate() {
            let state = store
                .card_state("alice", &read.keys[card as usize])
                .await
                .unwrap()
                .unwrap();
            if i == stale {
                assert_ne!(state.stability, memory.stability);
            } else {
                assert_eq!(state.stability, memory.stability);
                assert_eq!(state.difficulty, memory.difficulty);
            }
        }
    }

    forecasts_are_kept_per_day_and_the_last_before_the_exam_is_checked(store) {
        let alice = user(store, "alice").await;
        let tz = alice.time_zone;
        let exam_at = at(2026, 6, 1, 12, 0);
        let card = |name: &str| CardForecast {
            deck: "crm".into(),
            card: name.into(),
            direction: "forward".into(),
            recall: 0.8,
            stability: 10.0,
            last_day: day_index(at(2026, 5, 20, 12, 0), tz),
        };
        let cards = vec![card("c1"), card("c2"), card("c3")];
        let save = |made_at: Millis, predicted: f32| {
            let cards = cards.clone();
            async move {
                let forecast = NewForecast {
                    user_id: "alice",
                    guild_id: "guild",
                    deck: None,
                    exam_at,
                    made_at,
                    made_day: day_index(made_at, tz),
                    predicted,
                    n_cards: 5,
                    n_unseen: 2,
                    fitted: false,
                    decay: Parameters::default().decay(),
                    cards: &cards,
                };
                store.save_forecast(&forecast).await.unwrap();
            }
        };
        save(at(2026, 5, 25, 9, 0), 0.7).await;
        save(at(2026, 5, 28, 9, 0), 0.6).await;
        save(at(2026, 5, 28, 15, 0), 0.5).await;
        let last = store
            .forecast_for_exam("alice", "guild", exam_at)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((last.forecast.made_at, last.predicted), (at(2026, 5, 28, 15, 0), 0.5));
        assert_eq!(last.forecast.cards, cards);
        assert!(store.forecasts_to_check(exam_at - 1).await.unwrap().is_empty());

        // c1 reviewed before the exam (left out), c2 forgotten two days
        // after it, c3 recalled eight days after (outside the week).
        let scheduler = Scheduler::new(alice.scheduler_config());
        for (card, when, rating) in [
            (1, at(2026, 5, 30, 10, 0), Rating::Good),
            (2, at(2026, 6, 3, 10, 0), Rating::Again),
            (1, at(2026, 6, 3, 10, 5), Rating::Good),
            (3, at(2026, 6, 9, 13, 0), Rating::Good),
        ] {
            let reviewed = scheduler.review(None, rating, when);
            let review = Review {
                key: key(card),
                at: when,
                rating,
                verdict: None,
                answer_ms: 3_000,
                origin: Origin::Quiz,
                state: reviewed.state,
                interval_days: reviewed.interval_days,
            };
            store.record_review(&alice, &review).await.unwrap();
        }
        let to_check = store.forecasts_to_check(at(2026, 6, 10, 0, 0)).await.unwrap();
        assert_eq!(to_check.len(), 1);
        let observations = store.forecast_observations(&to_check[0]).await.unwrap();
        assert_eq!(observations.len(), 1, "{observations:?}");
        assert!(!observations[0].recalled);
        let elapsed = (day_index(at(2026, 6, 3, 10, 0), tz) - cards[1].last_day) as f32;
        let expected = fsrs::current_retrievability(
            fsrs::MemoryState { stability: 10.0, difficulty: 5.0 },
            elapsed,
            Parameters::default().decay(),
        );
        assert!((observations[0].predicted - expected).abs() < 1e-6);
    }
}

// ------------------------------------------------------------ two processes

/// Two bot processes (two pools on one PostgreSQL database) run their
/// fitting round at the same moment: each student is fitted once.
#[tokio::test]
async fn two_processes_on_postgres_fit_each_student_exactly_once() {
    let db = TestDb::postgres().await;
    let students = ["s1", "s2", "s3"];
    for (i, id) in students.iter().enumerate() {
        let u = user(&db.store, id).await;
        store_log(&db.store, &u, &log_of(10 + i as u64, 30)).await;
    }
    let other = Store::connect(&db.url).await.unwrap();
    let now = at(2026, 3, 1, 3, 0);
    let (a, b) = tokio::join!(
        fit_job::try_fit_due(&db.store, "process-a", now),
        fit_job::try_fit_due(&other, "process-b", now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut fitted: Vec<&str> = a
        .fitted
        .iter()
        .chain(&b.fitted)
        .map(|(id, _)| id.as_str())
        .collect();
    fitted.sort();
    assert_eq!(fitted, students, "a: {:?}, b: {:?}", a.fitted, b.fitted);
    for id in students {
        assert_eq!(db.store.fit_claims(id).await.unwrap(), 1);
        let n: i64 = match &db.store {
            Store::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM memory_fits WHERE user_id = $1")
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .unwrap()
            }
            Store::Sqlite(..) => unreachable!(),
        };
        assert_eq!(n, 1, "{id} fitted once");
    }
    // Later the same day: nothing to do in either process.
    let (a, b) = tokio::join!(
        fit_job::try_fit_due(&db.store, "process-a", now + 3_600_000),
        fit_job::try_fit_due(&other, "process-b", now + 3_600_000),
    );
    assert!(a.unwrap().fitted.is_empty() && b.unwrap().fitted.is_empty());
    other.close().await;
    db.finish().await;
}

// ------------------------------------------------------------ on Discord

/// `/stats show` says which parameters schedule the student, fitted on
/// how many reviews, and the held-out log loss of both.
#[tokio::test]
async fn stats_show_names_the_parameters_in_use_and_their_held_out_figures() {
    let mut test = prepare_bot(BotConfig::default().no_daily_loop()).await;
    let store = test.store().await;
    let id = alice().id.to_string();
    let student = user(&store, &id).await;
    store_log(&store, &student, &log_of(3, 40)).await;
    // Fitted before the bot starts: its own round finds today claimed.
    let now = chrono::Utc::now().timestamp_millis();
    let round = fit_job::try_fit_due(&store, "test", now).await.unwrap();
    assert_eq!(round.fitted.len(), 1);
    let (_, fit) = &round.fitted[0];
    let bob_id = bob().id.to_string();
    user(&store, &bob_id).await;
    test.boot().await;

    let shown = test
        .sub(&alice(), "fr", "stats", "show", json!([]))
        .await
        .text();
    let (d, f) = (fit.default_metrics.unwrap(), fit.fitted_metrics.unwrap());
    let fr = |x: f32| format!("{x:.3}").replace('.', ",");
    match fit.outcome {
        Outcome::Fitted => {
            assert!(shown.contains("Modèle de mémoire (FSRS)"), "{shown}");
            assert!(
                shown.contains("Paramètres ajustés à votre mémoire le ")
                    && shown.contains(&format!("sur {} révisions.", fit.n_train)),
                "{shown}"
            );
            assert!(
                shown.contains(&format!(
                    "{} avec les paramètres par défaut → {} avec les vôtres",
                    fr(d.log_loss),
                    fr(f.log_loss)
                )),
                "{shown}"
            );
        }
        _ => assert!(
            shown.contains(&format!(
                "perte logarithmique {} par défaut, {} ajustés",
                fr(d.log_loss),
                fr(f.log_loss)
            )),
            "{shown}"
        ),
    }
    // A student with no reviews is told what it takes, in English too.
    let other = test
        .sub(&bob(), "en-US", "stats", "show", json!([]))
        .await
        .text();
    assert!(
        other.contains(&format!(
            "FSRS's default parameters. They will be fitted to your memory from {}",
            fit::MIN_REVIEWS
        )),
        "{other}"
    );
    assert!(other.contains("(you have 0)"), "{other}");
    test.stop().await;
}

/// After the exam, `/exam show` compares the student's last forecast with
/// what their answers of the week after showed, and says when that is too
/// little to conclude.
#[tokio::test]
async fn exam_show_checks_the_forecast_after_the_exam() {
    let mut test = prepare_bot(BotConfig::default().no_daily_loop()).await;
    let store = test.store().await;
    let id = alice().id.to_string();
    let student = user(&store, &id).await;
    let tz = student.time_zone;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let exam_date = today - chrono::Days::new(3);
    let exam = rappel::store::Exam {
        guild_id: crate::support::fake_discord::GUILD_ID.to_string(),
        date: exam_date,
        time_zone: tz,
        deck: None,
    };
    store
        .set_exam(&exam, "admin", at(2026, 1, 1, 12, 0))
        .await
        .unwrap();
    let exam_at = rappel::core::exam::exam_instant(exam_date, tz);
    let made_at = exam_at - days(5);
    let last_day = day_index(made_at - days(2), tz);
    let cards: Vec<CardForecast> = (0..4)
        .map(|i| CardForecast {
            deck: "crm".into(),
            card: format!("c{i}"),
            direction: "forward".into(),
            recall: 0.9,
            stability: 30.0,
            last_day,
        })
        .collect();
    store
        .save_forecast(&NewForecast {
            user_id: &id,
            guild_id: &exam.guild_id,
            deck: None,
            exam_at,
            made_at,
            made_day: day_index(made_at, tz),
            predicted: 0.9,
            n_cards: 4,
            n_unseen: 0,
            fitted: false,
            decay: Parameters::default().decay(),
            cards: &cards,
        })
        .await
        .unwrap();
    // Three of the four cards answered after the exam, two recalled.
    let scheduler = Scheduler::new(student.scheduler_config());
    for (card, rating) in [(0, Rating::Good), (1, Rating::Again), (2, Rating::Easy)] {
        let when = exam_at + days(1) + i64::from(card) * 60_000;
        let reviewed = scheduler.review(None, rating, when);
        let review = Review {
            key: key(card),
            at: when,
            rating,
            verdict: None,
            answer_ms: 3_000,
            origin: Origin::Quiz,
            state: reviewed.state,
            interval_days: reviewed.interval_days,
        };
        store.record_review(&student, &review).await.unwrap();
    }
    test.boot().await;
    let shown = test
        .sub(&alice(), "en-US", "exam", "show", json!([]))
        .await
        .text();
    assert!(shown.contains("is over"), "{shown}");
    assert!(
        shown.contains("Checking your forecast of")
            && shown.contains("on the 3 cards answered in the week after the exam"),
        "{shown}"
    );
    assert!(shown.contains("observed 67%"), "{shown}");
    assert!(
        shown.contains("Too few cards to conclude (50 are needed)."),
        "{shown}"
    );
    assert!(shown.contains("The week runs until"), "{shown}");
    // Bob made no forecast before the exam.
    let other = test
        .sub(&bob(), "fr", "exam", "show", json!([]))
        .await
        .text();
    assert!(
        other.contains("Aucune prévision enregistrée avant cet examen"),
        "{other}"
    );
    test.stop().await;
}

// ------------------------------------------------------------ command line

fn rappel(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run rappel");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `rappel srs optimize` prints the held-out figures, stores the fit
/// unless `--dry-run`, and refuses an unknown user clearly.
#[tokio::test]
async fn srs_optimize_prints_the_figures_and_stores_the_fit() {
    let db = TestDb::sqlite().await;
    let student = user(&db.store, "alice").await;
    store_log(&db.store, &student, &log_of(4, 40)).await;
    let (ok, dry, err) = rappel(&[
        "srs",
        "optimize",
        "--user",
        "alice",
        "--db",
        &db.url,
        "--dry-run",
    ]);
    assert!(ok, "{err}");
    assert!(
        dry.contains("long-term reviews") && dry.contains("held out"),
        "{dry}"
    );
    assert!(dry.contains("default parameters:  log loss"), "{dry}");
    assert!(dry.contains("in use: "), "{dry}");
    assert!(dry.contains("(dry run: nothing stored)"), "{dry}");
    assert!(db.store.last_fit("alice").await.unwrap().is_none());

    let (ok, out, err) = rappel(&["srs", "optimize", "--user", "alice", "--db", &db.url]);
    assert!(ok, "{err}");
    let stored = db.store.last_fit("alice").await.unwrap().expect("stored");
    assert!(
        out.contains(&format!(
            "(fit on the first {}, {} held out)",
            stored.report.n_train, stored.report.n_test
        )),
        "{out}"
    );
    let (ok, _, err) = rappel(&["srs", "optimize", "--user", "nobody", "--db", &db.url]);
    assert!(!ok);
    assert!(err.contains("no user \"nobody\""), "{err}");
    db.finish().await;
}

/// `rappel srs simulate` prints default vs fitted vs true log loss and
/// the calibration table; `rappel srs calibration` says when there is
/// nothing to compare yet.
#[tokio::test]
async fn srs_simulate_and_calibration_print_their_tables() {
    let (ok, out, err) = rappel(&[
        "srs",
        "simulate",
        "--students",
        "5",
        "--days",
        "40",
        "--seed",
        "3",
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("5 students, "), "{out}");
    assert!(out.contains("mean held-out log loss: default "), "{out}");
    assert!(out.contains(", true "), "{out}");
    assert!(out.contains("  90-100%"), "{out}");
    let (ok, _, err) = rappel(&["srs", "simulate", "--students", "5", "--days", "10"]);
    assert!(!ok && err.contains("--days must be at least 21"), "{err}");

    let db = TestDb::sqlite().await;
    let (ok, out, err) = rappel(&["srs", "calibration", "--db", &db.url]);
    assert!(ok, "{err}");
    assert!(
        out.contains("0 forecast(s) of past exams") && out.contains("nothing to compare yet"),
        "{out}"
    );

    // A past exam: a forecast of two cards, one answered (forgotten) the
    // day after the exam.
    let alice = user(&db.store, "alice").await;
    let exam_at = at(2026, 6, 1, 12, 0);
    let cards: Vec<CardForecast> = [1, 2]
        .iter()
        .map(|i| CardForecast {
            deck: "crm".into(),
            card: format!("c{i}"),
            direction: "forward".into(),
            recall: 0.8,
            stability: 10.0,
            last_day: day_index(at(2026, 5, 20, 12, 0), alice.time_zone),
        })
        .collect();
    let made_at = at(2026, 5, 28, 9, 0);
    db.store
        .save_forecast(&NewForecast {
            user_id: "alice",
            guild_id: "guild",
            deck: None,
            exam_at,
            made_at,
            made_day: day_index(made_at, alice.time_zone),
            predicted: 0.8,
            n_cards: 2,
            n_unseen: 0,
            fitted: false,
            decay: Parameters::default().decay(),
            cards: &cards,
        })
        .await
        .unwrap();
    let when = at(2026, 6, 2, 10, 0);
    let reviewed = Scheduler::new(alice.scheduler_config()).review(None, Rating::Again, when);
    let review = Review {
        key: key(1),
        at: when,
        rating: Rating::Again,
        verdict: None,
        answer_ms: 3_000,
        origin: Origin::Daily,
        state: reviewed.state,
        interval_days: reviewed.interval_days,
    };
    db.store.record_review(&alice, &review).await.unwrap();
    let (ok, out, err) = rappel(&["srs", "calibration", "--db", &db.url]);
    assert!(ok, "{err}");
    assert!(
        out.contains("1 forecast(s) of past exams (0 whose week after is not over), 1 card(s)"),
        "{out}"
    );
    assert!(
        out.contains("observed   0.0 %  too few cards (< 50) to conclude"),
        "{out}"
    );
    db.finish().await;
}
