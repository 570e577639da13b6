//! Second factors: TOTP secrets (stored sealed), replay protection, recovery codes, and
//! the short-lived challenge between a correct password and the second factor.

use haven_domain::UserId;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

impl Store {
    /// The sealed TOTP secret and the last accepted time step, if TOTP is on.
    pub async fn totp(&self, user: UserId) -> StoreResult<Option<(Vec<u8>, Option<i64>)>> {
        let row: Option<(Option<Vec<u8>>, Option<i64>)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE id = $1").bind(user.0).fetch_optional(pool).await
        })?;
        Ok(row.and_then(|(secret, step)| secret.map(|s| (s, step))))
    }

    /// Turns TOTP on with `sealed_secret` (the step just used counts as used), replaces the
    /// recovery codes, and ends every session of that person: all in one transaction.
    pub async fn enable_totp(
        &self,
        user: UserId,
        sealed_secret: &[u8],
        used_step: i64,
        recovery_hashes: &[String],
        now: Timestamp,
    ) -> StoreResult<()> {
        let at = time::to_db(now);
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
                .bind(sealed_secret)
                .bind(used_step)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
            for hash in recovery_hashes {
                sqlx::query("INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
                    .bind(user.0)
                    .bind(hash)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Records that `step`'s code was used. False when that step (or a later one) already
    /// was: the same code presented twice, even to two instances at once, works once.
    pub async fn consume_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool> {
        let changed = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
                .bind(step)
                .bind(user.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(changed == 1)
    }

    /// Uses a recovery code once. False when it doesn't exist or was used.
    pub async fn use_recovery_code(&self, user: UserId, code_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let changed = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE mfa_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
                .bind(time::to_db(now))
                .bind(user.0)
                .bind(code_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(changed == 1)
    }

    pub async fn unused_recovery_codes(&self, user: UserId) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL").bind(user.0).fetch_one(pool).await
        })?)
    }

    pub async fn create_mfa_challenge(
        &self,
        token_hash: &str,
        user: UserId,
        pending_secret: Option<&[u8]>,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("INSERT INTO mfa_challenges (token_hash, user_id, pending_secret, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user.0)
                .bind(pending_secret)
                .bind(time::to_db(now))
                .bind(time::to_db(expires_at))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The person and any secret being set up, while the challenge is open.
    pub async fn mfa_challenge(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<(UserId, Option<Vec<u8>>)>> {
        let row: Option<(Uuid, Option<Vec<u8>>)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT user_id, pending_secret FROM mfa_challenges WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(time::to_db(now))
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(user, secret)| (UserId(user), secret)))
    }

    /// Ends a challenge, and clears away any that expired before `now`.
    pub async fn delete_mfa_challenge(&self, token_hash: &str, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM mfa_challenges WHERE token_hash = $1 OR expires_at < $2")
                .bind(token_hash)
                .bind(time::to_db(now))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
