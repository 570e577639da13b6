//! Password resets by emailed link: single-use, short-lived, and the new password ends
//! every session of that person.

use haven_domain::UserId;
use haven_domain::audit::AuditEvent;
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::{StoreError, StoreResult};
use crate::time;

impl Store {
    /// Stores a reset token and its effects (the mail with the link) together.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user: UserId,
        expires_at: Timestamp,
        effects: &Effects,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user.0)
                .bind(time::to_db(now))
                .bind(time::to_db(expires_at))
                .execute(&mut *c)
                .await?;
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
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
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let user: Option<Uuid> = on_conn!(&mut conn, |c| {
            sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            )
            .bind(at)
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?
        });
        let user = UserId(user.ok_or(StoreError::NotFound)?);
        on_conn!(&mut conn, |c| {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(password_hash).bind(user.0).execute(&mut *c).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *c).await?;
        });
        crate::audit::append::append_one(&mut conn, &audit(user)).await?;
        tx.commit().await?;
        Ok(user)
    }
}
