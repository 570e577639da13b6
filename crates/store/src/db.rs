//! Connecting to SQLite or PostgreSQL, and running one query body on either.

use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::conn::Tx;
use crate::error::{StoreError, StoreResult};

/// Runs `$body` with `$pool` bound to the right pool for the backend in use. The body is
/// compiled once per backend, so the same SQL text and the same Rust code serve both.
///
/// `read` uses one of SQLite's read-only connections (`read_pool`); `write` its single
/// writer connection (SQLite allows one writer at a time, and queuing writers in the pool
/// beats spinning on `SQLITE_BUSY`).
macro_rules! on_pool {
    ($store:expr, read, |$pool:ident| $body:expr) => {
        match $store.pools() {
            $crate::db::Pools::Sqlite { read, .. } => match read.acquire().await {
                Ok(mut reader) => {
                    let $pool = &mut *reader;
                    $body
                }
                Err(e) => Err(e),
            },
            $crate::db::Pools::Postgres($pool) => $body,
        }
    };
    ($store:expr, write, |$pool:ident| $body:expr) => {
        match $store.pools() {
            $crate::db::Pools::Sqlite { write: $pool, .. } => $body,
            $crate::db::Pools::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

pub(crate) enum Pools {
    Sqlite { write: SqlitePool, read: crate::read_pool::ReadPool, group: crate::group::GroupWriter, checkpoint: SqlitePool },
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite:///path/haven.db` (or `sqlite://relative.db`) or `postgres://…`.
    pub url: String,
    /// PostgreSQL pool size, and SQLite's number of reader connections.
    pub max_connections: u32,
    /// How long a request waits for a connection before the database counts as unavailable.
    pub acquire_timeout: Duration,
}

impl StoreOptions {
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 8, acquire_timeout: Duration::from_secs(3) }
    }
}

/// The handle every part of Haven stores and loads through. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Pools>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.backend().name())
    }
}

/// Pool sizes for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: usize,
}

impl Store {
    /// Opens the database named by `options.url`. Fails fast (within the acquire timeout)
    /// when the database can't be reached, so start-up can report it in one line.
    pub async fn connect(options: &StoreOptions) -> StoreResult<Self> {
        let url = options.url.as_str();
        let pools = if url.starts_with("sqlite:") {
            connect_sqlite(options).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.application_name("haven"))
                .await?;
            Pools::Postgres(pool)
        } else {
            return Err(StoreError::Unavailable("database_url must start with sqlite: or postgres://".into()));
        };
        Ok(Self { inner: Arc::new(pools) })
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.inner
    }

    /// Opens a write transaction.
    pub(crate) async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self.pools() {
            Pools::Sqlite { write, .. } => Tx::Sqlite(write.begin().await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.pools() {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// One round trip to the database; what `/readyz` asks.
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, read, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    #[must_use]
    pub fn pool_stats(&self) -> PoolStats {
        match self.pools() {
            Pools::Sqlite { write, read, .. } => PoolStats { size: write.size() + read.size(), idle: write.num_idle() + read.num_idle() },
            Pools::Postgres(pool) => PoolStats { size: pool.size(), idle: pool.num_idle() },
        }
    }

    /// Closes every connection (and, on SQLite, checkpoints the WAL).
    pub async fn close(&self) {
        match self.pools() {
            Pools::Sqlite { write, read, checkpoint, .. } => {
                checkpoint.close().await;
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// `PRAGMA integrity_check` on SQLite; PostgreSQL checks its own pages.
    pub async fn integrity_check(&self) -> StoreResult<()> {
        if let Pools::Sqlite { write, .. } = self.pools() {
            let result: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(write).await?;
            if result != "ok" {
                return Err(StoreError::Schema(format!("SQLite integrity check: {result}")));
            }
        }
        Ok(())
    }
}

async fn connect_sqlite(options: &StoreOptions) -> StoreResult<Pools> {
    let base = SqliteConnectOptions::from_str(&options.url)
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
        // FULL: a transaction acknowledged to a clinician survives power loss. NORMAL can
        // roll back the last commits in WAL mode, which is not acceptable for health records.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(parent) = base.get_filename().parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable(format!("can't create {}: {e}", parent.display())))?;
    }
    // No test before each acquire: it is a round trip to the connection's thread (which
    // costs more than most of Haven's queries) to check a local file that can't hang up.
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(options.acquire_timeout)
        // Room for every write statement, including the group writer's batch commands.
        .connect_with(
            base.clone().create_if_missing(true).statement_cache_capacity(400).pragma("wal_autocheckpoint", crate::checkpointer::WRITER_PAGES),
        )
        .await?;
    // Readers are opened at start, not by the first burst of requests (each is a thread
    // and an open file: milliseconds that a person would otherwise wait for).
    let readers = usize::try_from(options.max_connections.max(1)).unwrap_or(1);
    let read = crate::read_pool::ReadPool::open(&base.clone().read_only(true), readers, options.acquire_timeout).await?;
    let group = crate::group::GroupWriter::start(write.clone());
    let checkpoint = SqlitePoolOptions::new().max_connections(1).test_before_acquire(false).connect_with(base.clone()).await?;
    crate::checkpointer::start(checkpoint.clone());
    Ok(Pools::Sqlite { write, read, group, checkpoint })
}
