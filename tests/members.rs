//! A server's members (issue 13): one table, `guild_members`, written by
//! every command run in a server and by daily answers, read by the
//! leaderboard, the server's `/stats`, the daily question's choice of card
//! and `/study`'s exam date; erased by `/forget-me`. Migration 0009 folded
//! the old `guild_users` into it; its SQL is checked on both backends.

use chrono::NaiveDate;
use chrono_tz::America::Montreal;
use rappel::core::daily::PostTime;
use rappel::core::deck::{CardId, DeckId};
use rappel::core::review::{CardKey, Direction};
use rappel::store::{DailyChannel, DailyPost, Exam, Store};

use crate::support;
use crate::support::db::{at, on_both};

const GUILD: &str = "g1";

/// The daily question of `day` (March 2026) in channel "c1" of [`GUILD`].
async fn daily_post(store: &Store, day: u32) -> DailyPost {
    let channel = DailyChannel {
        channel_id: "c1".into(),
        guild_id: GUILD.into(),
        time: PostTime::parse("08:00").unwrap(),
        time_zone: Montreal,
        deck: None,
    };
    let now = at(2026, 3, day, 8, 0);
    store.set_daily(&channel, now).await.unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    let key = CardKey::new(
        &DeckId::parse("crm").unwrap(),
        &CardId::parse(&format!("card-{day}")).unwrap(),
        Direction::Forward,
    );
    assert!(
        store
            .claim_daily_slot(&channel, date, &key, now)
            .await
            .unwrap()
    );
    store.daily_post("c1", date).await.unwrap().unwrap()
}

/// (user, shown name, points) of the server's leaderboard, by user.
async fn board(store: &Store) -> Vec<(String, Option<String>, u64)> {
    let now = at(2026, 3, 10, 12, 0);
    let mut entries: Vec<_> = store
        .leaderboard_entries(GUILD, 0, None, None, now)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.user_id, e.name, e.points))
        .collect();
    entries.sort();
    entries
}

fn owned(rows: &[(&str, Option<&str>, u64)]) -> Vec<(String, Option<String>, u64)> {
    rows.iter()
        .map(|&(u, n, p)| (u.to_string(), n.map(str::to_string), p))
        .collect()
}

/// Runs several statements (a migration file, a schema change).
async fn exec(store: &Store, sql: &'static str) {
    match store {
        Store::Sqlite(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
}

type MemberRow = (String, String, String, i64, i64);

async fn member_rows(store: &Store) -> Vec<MemberRow> {
    let sql = "SELECT guild_id, user_id, display_name, first_seen, last_seen \
               FROM guild_members ORDER BY guild_id, user_id";
    match store {
        Store::Sqlite(pool, _) => sqlx::query_as(sql).fetch_all(pool).await,
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .unwrap()
}

on_both! {
    // `guild_users` (daily answers, /study, /exam) and `guild_members`
    // (commands, the leaderboard) were two tables of one thing: a student
    // who only answered the daily question was no member for the
    // leaderboard, and one who only ran /leaderboard had no exam date.
    a_member_recorded_by_one_path_is_seen_by_every_reader(store) {
        let now = at(2026, 3, 2, 9, 0);
        let exam = Exam {
            guild_id: GUILD.into(),
            date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            time_zone: Montreal,
            deck: None,
        };
        store.set_exam(&exam, "admin", now).await.unwrap();
        // Dora only answers the daily question; Eve only runs a command.
        let post = daily_post(store, 2).await;
        assert!(support::answer_daily(store, &post, "dora", true, now).await);
        store.touch_member(GUILD, "eve", "Eve", now).await.unwrap();

        // The daily question's members, the server's /stats, the exam date
        // and the leaderboard all see both.
        assert_eq!(store.guild_members(GUILD).await.unwrap(), ["dora", "eve"]);
        assert_eq!(store.guild_member_count(GUILD).await.unwrap(), 2);
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        for id in ["dora", "eve"] {
            let exam = store.upcoming_exam(id, today).await.unwrap();
            assert_eq!(exam.map(|e| e.guild_id).as_deref(), Some(GUILD), "{id}");
        }
        assert_eq!(board(store).await, owned(&[("dora", None, 1), ("eve", Some("Eve"), 0)]));
        assert!(store.guild_members("other").await.unwrap().is_empty());

        // A command names Dora; her next daily answer keeps the name.
        store.touch_member(GUILD, "dora", "Dora", at(2026, 3, 2, 10, 0)).await.unwrap();
        let post = daily_post(store, 3).await;
        assert!(support::answer_daily(store, &post, "dora", true, at(2026, 3, 3, 9, 0)).await);
        assert_eq!(board(store).await, owned(&[("dora", Some("Dora"), 2), ("eve", Some("Eve"), 0)]));

        // /forget-me erases the membership, whichever path wrote it.
        store.forget_user("dora").await.unwrap();
        assert_eq!(store.guild_members(GUILD).await.unwrap(), ["eve"]);
        assert_eq!(store.guild_member_count(GUILD).await.unwrap(), 1);
        assert_eq!(store.upcoming_exam("dora", today).await.unwrap(), None);
        assert_eq!(board(store).await, owned(&[("eve", Some("Eve"), 0)]));
    }

    migration_0009_folds_guild_users_into_guild_members(store) {
        // Back to the schema before 0009: `guild_users` beside `guild_members`.
        exec(store, "DROP INDEX guild_members_user; \
            CREATE TABLE guild_users (guild_id TEXT NOT NULL, user_id TEXT NOT NULL, \
            seen_at BIGINT NOT NULL, PRIMARY KEY (guild_id, user_id)); \
            INSERT INTO guild_members VALUES ('g1', 'both', 'Both', 100, 200); \
            INSERT INTO guild_members VALUES ('g1', 'early', 'Early', 500, 600); \
            INSERT INTO guild_members VALUES ('g1', 'named', 'Named', 50, 60); \
            INSERT INTO guild_users VALUES ('g1', 'both', 300); \
            INSERT INTO guild_users VALUES ('g1', 'early', 400); \
            INSERT INTO guild_users VALUES ('g1', 'only', 150); \
            INSERT INTO guild_users VALUES ('g2', 'both', 10);").await;
        let migration = match store {
            Store::Sqlite(..) => include_str!("../migrations/sqlite/0009_one_member_table.sql"),
            Store::Postgres(_) => include_str!("../migrations/postgres/0009_one_member_table.sql"),
        };
        exec(store, migration).await;

        let row = |g: &str, u: &str, name: &str, first: i64, last: i64| {
            (g.to_string(), u.to_string(), name.to_string(), first, last)
        };
        assert_eq!(member_rows(store).await, [
            // In both: the earliest first sighting, the latest last one.
            row("g1", "both", "Both", 100, 300),
            row("g1", "early", "Early", 400, 600),
            row("g1", "named", "Named", 50, 60),
            // Only in guild_users: no name yet, seen once.
            row("g1", "only", "", 150, 150),
            row("g2", "both", "", 10, 10),
        ]);
        let gone = match store {
            Store::Sqlite(pool, _) => sqlx::query("SELECT 1 FROM guild_users").execute(pool).await.is_err(),
            Store::Postgres(pool) => sqlx::query("SELECT 1 FROM guild_users").execute(pool).await.is_err(),
        };
        assert!(gone, "guild_users is dropped");
    }
}
