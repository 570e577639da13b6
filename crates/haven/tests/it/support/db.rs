//! A fresh database per test: a SQLite file in a temporary directory, or a PostgreSQL
//! database with a random name on the local server, dropped afterwards.
//!
//! PostgreSQL tests fail (never skip) when the server can't be reached.

use haven_store::{Store, StoreOptions};

use super::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    _dir: Option<TempDir>,
    pg_name: Option<String>,
}

/// The server's maintenance database; `HAVEN_TEST_DATABASE_URL` overrides it.
pub fn pg_admin_url() -> String {
    std::env::var("HAVEN_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

async fn admin_exec(sql: String) {
    use sqlx::Executor as _;
    let url = pg_admin_url();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {url} is needed for this test and can't be reached: {e}"));
    pool.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    pool.close().await;
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new("db");
                let url = format!("sqlite://{}", dir.path().join("haven.db").display());
                Self { url, _dir: Some(dir), pg_name: None }
            }
            Backend::Postgres => {
                let name = format!("haven_test_{}", uuid::Uuid::new_v4().simple());
                admin_exec(format!("CREATE DATABASE {name}")).await;
                Self { url: with_database(&pg_admin_url(), &name), _dir: None, pg_name: Some(name) }
            }
        }
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::connect(&StoreOptions::new(&self.url)).await.unwrap();
        store.migrate().await.unwrap();
        store
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop may run inside or outside a runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(admin_exec(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")));
            })
            .join();
        }
    }
}

#[test]
fn database_names_are_swapped_into_urls() {
    assert_eq!(with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"), "postgres://postgres@127.0.0.1:5432/t1");
    assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "t2"), "postgres://u@h/t2?sslmode=disable");
}
