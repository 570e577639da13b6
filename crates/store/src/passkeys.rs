//! Passkeys: stored credentials (public keys) and the WebAuthn ceremonies in progress.

use haven_domain::UserId;
use haven_domain::audit::AuditEvent;
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: Uuid,
    pub user: UserId,
    pub credential_id: String,
    /// JSON, as the WebAuthn library serialises a credential.
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

type Row = (Uuid, Uuid, String, String, i64, Option<i64>);

fn decode((id, user, credential_id, credential, created_at, last_used_at): Row) -> StoredPasskey {
    StoredPasskey {
        id,
        user: UserId(user),
        credential_id,
        credential,
        created_at: time::from_db(created_at),
        last_used_at: last_used_at.map(time::from_db),
    }
}

impl Store {
    pub async fn passkeys_of(&self, user: UserId) -> StoreResult<Vec<StoredPasskey>> {
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, user_id, credential_id, credential, created_at, last_used_at FROM passkeys WHERE user_id = $1 ORDER BY created_at",
            )
            .bind(user.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(decode).collect())
    }

    /// Adds a passkey and its audit entry together.
    pub async fn add_passkey(&self, user: UserId, credential_id: &str, credential: &str, audit: &AuditEvent, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query("INSERT INTO passkeys (id, user_id, credential_id, credential, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(Uuid::now_v7())
                .bind(user.0)
                .bind(credential_id)
                .bind(credential)
                .bind(time::to_db(now))
                .execute(&mut *c)
                .await?;
        });
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a use (and the authenticator's new signature counter).
    pub async fn passkey_used(&self, id: Uuid, credential: &str, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
                .bind(credential)
                .bind(time::to_db(now))
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Removes one of this person's passkeys, with its audit entry. False when it isn't theirs.
    pub async fn remove_passkey(&self, user: UserId, id: Uuid, audit: &AuditEvent) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let removed = on_conn!(&mut conn, |c| {
            sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2").bind(id).bind(user.0).execute(&mut *c).await?.rows_affected()
        });
        if removed != 1 {
            return Ok(false);
        }
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn save_ceremony(&self, token_hash: &str, user: Option<UserId>, kind: &str, state: &str, expires_at: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("INSERT INTO webauthn_ceremonies (token_hash, user_id, kind, state, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user.map(|u| u.0))
                .bind(kind)
                .bind(state)
                .bind(time::to_db(expires_at))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Takes a ceremony out (it can be finished once): its person and state, if still open.
    pub async fn take_ceremony(&self, token_hash: &str, kind: &str, now: Timestamp) -> StoreResult<Option<(Option<UserId>, String)>> {
        let row: Option<(Option<Uuid>, String)> = on_pool!(self, write, |pool| {
            sqlx::query_as("DELETE FROM webauthn_ceremonies WHERE token_hash = $1 AND kind = $2 AND expires_at > $3 RETURNING user_id, state")
                .bind(token_hash)
                .bind(kind)
                .bind(time::to_db(now))
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(user, state)| (user.map(UserId), state)))
    }
}
