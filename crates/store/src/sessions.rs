//! Server-side sign-in sessions, shared by every Haven instance on the same database.

use haven_domain::{SessionId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's secret token.
    pub token_hash: String,
    pub user: UserId,
    pub now: Timestamp,
    /// The absolute limit: the session ends then however active it is.
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

type SessionRow = (Uuid, Uuid, i64, i64, i64);

impl Store {
    pub async fn create_session(&self, new: &NewSession) -> StoreResult<SessionId> {
        let id = SessionId::new();
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at)
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
            .bind(id.0)
            .bind(&new.token_hash)
            .bind(new.user.0)
            .bind(time::to_db(new.now))
            .bind(time::to_db(new.expires_at))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(id)
    }

    /// The live session for a token, if its owner is still active and it hasn't expired.
    pub async fn session_by_token(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        let row: Option<SessionRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE",
            )
            .bind(token_hash)
            .bind(time::to_db(now))
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(id, user, created_at, last_seen_at, expires_at)| SessionRecord {
            id: SessionId(id),
            user: UserId(user),
            created_at: time::from_db(created_at),
            last_seen_at: time::from_db(last_seen_at),
            expires_at: time::from_db(expires_at),
        }))
    }

    /// Every live session of one person, newest first.
    pub async fn sessions_of(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<SessionRecord>> {
        let rows: Vec<SessionRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions
                 WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC",
            )
            .bind(user.0)
            .bind(time::to_db(now))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, user, created_at, last_seen_at, expires_at)| SessionRecord {
                id: SessionId(id),
                user: UserId(user),
                created_at: time::from_db(created_at),
                last_seen_at: time::from_db(last_seen_at),
                expires_at: time::from_db(expires_at),
            })
            .collect())
    }

    /// Whether a session is still live: not ended, not expired, its owner still active.
    pub async fn session_alive(&self, id: SessionId, now: Timestamp) -> StoreResult<bool> {
        let count: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.id = $1 AND s.expires_at > $2 AND u.active = TRUE",
            )
            .bind(id.0)
            .bind(time::to_db(now))
            .fetch_one(pool)
            .await
        })?;
        Ok(count > 0)
    }

    pub async fn touch_session(&self, id: SessionId, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(time::to_db(now))
                .bind(id.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn delete_session(&self, id: SessionId) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id.0).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of one person ("sign out everywhere", password change, deactivation).
    pub async fn delete_sessions_of(&self, user: UserId) -> StoreResult<u64> {
        let done = on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Removes sessions past their absolute limit or idle since before `idle_before`.
    pub async fn purge_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
        let done = on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
                .bind(time::to_db(now))
                .bind(time::to_db(idle_before))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }
}
