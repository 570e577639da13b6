//! Password resets by emailed link: single-use, short-lived, and the new password ends
//! every session of that person.

use haven_domain::UserId;
use haven_domain::audit::AuditEvent;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::Store;
use crate::error::{StoreError, StoreResult};
use crate::mail::NewMail;
use crate::time;

impl Store {
    /// Stores a reset token and queues its mail together.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user: UserId,
        expires_at: Timestamp,
        mail: &NewMail,
        now: Timestamp,
    ) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user.0)
                .bind(time::to_db(now))
                .bind(time::to_db(expires_at))
                .execute(&mut *tx)
                .await?;
            queue_mail!(tx, mail, now).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Whether a reset link is still usable (for showing the form).
    pub async fn password_reset_open(&self, token_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let count: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(token_hash)
                .bind(time::to_db(now))
                .fetch_one(pool)
                .await
        })?;
        Ok(count > 0)
    }

    /// Uses the link once: sets the password, ends every session, records the audit entry.
    pub async fn complete_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        audit: impl Fn(UserId) -> AuditEvent,
        now: Timestamp,
    ) -> StoreResult<UserId> {
        let at = time::to_db(now);
        on_pool!(self, write, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let user: Option<Uuid> = sqlx::query_scalar(
                    "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
                )
                .bind(at)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
                let user = UserId(user.ok_or(StoreError::NotFound)?);
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(password_hash).bind(user.0).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
                append_audit!(tx, &audit(user)).await?;
                tx.commit().await?;
                Ok(user)
            }
            .await
        })
    }
}
