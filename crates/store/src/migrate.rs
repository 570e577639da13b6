//! Schema migrations, embedded in the binary and applied in order, each in its own
//! transaction. A checksum per migration catches an edited file that was already applied.

use crate::db::{Pools, Store, on_pool};
use crate::error::{StoreError, StoreResult};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $file, ".sql")),
        }
    };
}

/// Every migration, oldest first. Add new ones at the end; never edit an applied one.
const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_audit"),
    migration!(3, "0003_rate_limits"),
    migration!(4, "0004_invitations_mail"),
    migration!(5, "0005_keys_mfa"),
    migration!(6, "0006_charts"),
    migration!(7, "0007_passkeys"),
    migration!(8, "0008_scheduling"),
    migration!(9, "0009_messaging"),
    migration!(10, "0010_visits"),
    migration!(11, "0011_clinician_photo"),
    migration!(12, "0012_queue_live_threads"),
    migration!(13, "0013_bilingual_practice_words"),
    migration!(14, "0014_measures"),
];

/// An arbitrary, fixed key for PostgreSQL's advisory lock, so that several Haven
/// instances starting together migrate one at a time.
const PG_MIGRATION_LOCK: i64 = 0x4841_5645_4e00_0001;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub applied: Vec<i64>,
    pub pending: Vec<i64>,
}

impl Migration {
    fn sql(&self, store: &Store) -> &'static str {
        match store.pools() {
            Pools::Sqlite { .. } => self.sqlite,
            Pools::Postgres(_) => self.postgres,
        }
    }

    fn checksum(&self, store: &Store) -> String {
        sha256_hex(self.sql(store))
    }
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS haven_migrations (
    version BIGINT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)";

impl Store {
    /// Applies every pending migration. Safe to call from several processes at once.
    pub async fn migrate(&self) -> StoreResult<MigrationStatus> {
        match self.pools() {
            Pools::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                sqlx::query(CREATE_LEDGER).execute(&mut *conn).await?;
                drop(conn);
                self.apply_pending().await
            }
            Pools::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1)").bind(PG_MIGRATION_LOCK).execute(&mut *conn).await?;
                let result = async {
                    sqlx::query(CREATE_LEDGER).execute(&mut *conn).await?;
                    self.apply_pending().await
                }
                .await;
                sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_MIGRATION_LOCK).execute(&mut *conn).await?;
                result
            }
        }
    }

    async fn apply_pending(&self) -> StoreResult<MigrationStatus> {
        let status = self.migration_status().await?;
        for migration in MIGRATIONS.iter().filter(|m| status.pending.contains(&m.version)) {
            let sql = migration.sql(self);
            let checksum = migration.checksum(self);
            let now = jiff::Timestamp::now().as_microsecond();
            on_pool!(self, write, |pool| {
                let mut tx = pool.begin().await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO haven_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                    .bind(migration.version)
                    .bind(migration.name)
                    .bind(&checksum)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            })?;
            tracing::info!(version = migration.version, name = migration.name, "applied migration");
        }
        self.migration_status().await
    }

    /// What is applied and what is pending; an error when the database holds migrations
    /// this binary doesn't know (a newer Haven wrote it) or an applied one was edited.
    pub async fn migration_status(&self) -> StoreResult<MigrationStatus> {
        let ledger_exists = self.ledger_exists().await?;
        let applied: Vec<(i64, String)> = if ledger_exists {
            on_pool!(self, read, |pool| sqlx::query_as("SELECT version, checksum FROM haven_migrations ORDER BY version").fetch_all(pool).await)?
        } else {
            Vec::new()
        };
        for (version, checksum) in &applied {
            let Some(known) = MIGRATIONS.iter().find(|m| m.version == *version) else {
                return Err(StoreError::Schema(format!(
                    "the database has migration {version}, which this version of Haven doesn't know; run a newer Haven"
                )));
            };
            if known.checksum(self) != *checksum {
                return Err(StoreError::Schema(format!("migration {} was changed after it was applied", known.name)));
            }
        }
        let pending = MIGRATIONS.iter().map(|m| m.version).filter(|v| !applied.iter().any(|(a, _)| a == v)).collect();
        Ok(MigrationStatus { applied: applied.into_iter().map(|(v, _)| v).collect(), pending })
    }

    async fn ledger_exists(&self) -> StoreResult<bool> {
        let count: i64 = match self.pools() {
            Pools::Sqlite { write, .. } => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'haven_migrations'").fetch_one(write).await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'haven_migrations'",
                )
                .fetch_one(pool)
                .await?
            }
        };
        Ok(count > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing_and_both_dialects_exist() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version);
        }
        for m in MIGRATIONS {
            assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty(), "{}", m.name);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)), "{}", m.name);
        }
    }
}
