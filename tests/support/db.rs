//! Test databases: a fresh SQLite file or a fresh PostgreSQL schema per
//! test, migrations applied by `Store::connect`, and `on_both!` to run one
//! body on each backend.

use chrono::TimeZone;
use chrono_tz::America::Montreal;
use rappel::core::grade::Verdict;
use rappel::core::review::{Answered, CardKey, Origin};
use rappel::core::schedule::{Answer, Millis};
use rappel::store::{NewUser, Store, User};

/// A database for one test; `finish` closes it and drops the PG schema.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<String>,
}

/// The PostgreSQL server of the tests (`RAPPEL_TEST_POSTGRES_URL`).
pub fn postgres_url() -> String {
    std::env::var("RAPPEL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// The URL of the SQLite file `rappel.db` in `dir`.
pub fn sqlite_url_in(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("rappel.db").display())
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url_in(dir.path());
        let store = Store::connect(&url).await.unwrap();
        Self {
            store,
            url,
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    pub async fn postgres() -> Self {
        let base = postgres_url();
        let schema = format!("rappel_test_{:016x}", rand::random::<u64>());
        let admin = connect_admin(&base).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options[search_path]={schema}");
        let store = Store::connect(&url).await.unwrap();
        Self {
            store,
            url,
            _dir: None,
            pg_schema: Some(schema),
        }
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Some(schema) = self.pg_schema {
            let admin = connect_admin(&postgres_url()).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
        }
    }
}

/// Connecting to the test server, failing loudly when it is down.
async fn connect_admin(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL tests need a server at {url} (set RAPPEL_TEST_POSTGRES_URL, or start it: \
             pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start): {e}"
        )
    })
}

/// Defines `mod $name { sqlite, postgres }`, running `$body` with `$store`
/// (a `&Store`) on each backend.
macro_rules! on_both {
    ($($name:ident($store:ident) $body:block)*) => {$(
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::support::db::TestDb::sqlite().await;
                { let $store = &db.store; $body }
                db.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                let db = $crate::support::db::TestDb::postgres().await;
                { let $store = &db.store; $body }
                db.finish().await;
            }
        }
    )*};
}
pub(crate) use on_both;

/// A local time in Montreal, in milliseconds.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Millis {
    Montreal
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .timestamp_millis()
}

/// The student `id`, created with the default settings on 2026-01-01.
pub async fn user(store: &Store, id: &str) -> User {
    store
        .user(id, &NewUser::default(), at(2026, 1, 1, 12, 0))
        .await
        .unwrap()
}

/// A graded answer to `key`: score 1 when `verdict` is accepted, else 0.
pub fn graded(
    key: CardKey,
    verdict: Verdict,
    origin: Origin,
    at: Millis,
    answer_ms: u32,
    typed: Option<&str>,
) -> Answered {
    let score = if verdict.is_accepted() { 1.0 } else { 0.0 };
    Answered {
        key,
        at,
        answer: Answer::Graded {
            verdict,
            score,
            answer_ms,
            typical_ms: None,
        },
        verdict: Some((verdict, score)),
        answer_ms,
        origin,
        typed: typed.map(str::to_string),
    }
}

/// A right answer to `key`, typed in 4 s: what most store tests record.
pub fn right_answer(key: CardKey, origin: Origin, at: Millis) -> Answered {
    graded(key, Verdict::Correct, origin, at, 4_000, None)
}

/// `(reps, answer_key)` of each review of `user`, in log order.
pub async fn review_log(store: &Store, user: &str) -> Vec<(i64, String)> {
    let sql = "SELECT reps, answer_key FROM reviews WHERE user_id = $1 ORDER BY id";
    match store {
        Store::Sqlite(pool, _) => sqlx::query_as(sql).bind(user).fetch_all(pool).await,
        Store::Postgres(pool) => sqlx::query_as(sql).bind(user).fetch_all(pool).await,
    }
    .unwrap()
}
