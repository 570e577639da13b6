//! Wrapped data keys for encryption at rest. The key-encryption key never reaches the
//! database; only a fingerprint of it does, to name a mismatched key file.

use jiff::Timestamp;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone)]
pub struct WrappedKey {
    pub generation: i64,
    pub id: Vec<u8>,
    pub wrapped: Vec<u8>,
    pub kek_fingerprint: String,
}

impl Store {
    /// Stores the first data key unless one exists. Instances starting together race
    /// harmlessly: one insert wins, and everyone then reads the winner.
    pub async fn ensure_first_data_key(&self, key: &WrappedKey, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO data_keys (generation, id, wrapped, kek_fingerprint, created_at) VALUES (1, $1, $2, $3, $4)
                 ON CONFLICT (generation) DO NOTHING",
            )
            .bind(&key.id)
            .bind(&key.wrapped)
            .bind(&key.kek_fingerprint)
            .bind(time::to_db(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Every data key, newest generation first (the one new values are sealed with).
    pub async fn data_keys(&self) -> StoreResult<Vec<WrappedKey>> {
        let rows: Vec<(i64, Vec<u8>, Vec<u8>, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT generation, id, wrapped, kek_fingerprint FROM data_keys ORDER BY generation DESC").fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(generation, id, wrapped, kek_fingerprint)| WrappedKey { generation, id, wrapped, kek_fingerprint }).collect())
    }

    /// Replaces every wrapping at once (key rotation): all keys move to the new key file's
    /// key, or none do.
    pub async fn rewrap_data_keys(&self, keys: &[WrappedKey]) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("UPDATE data_keys SET wrapped = $1, kek_fingerprint = $2 WHERE generation = $3")
                    .bind(&key.wrapped)
                    .bind(&key.kek_fingerprint)
                    .bind(key.generation)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }
}
