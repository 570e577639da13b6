//! A patient's chart: progress notes (sealed clinical text) and break-glass access.

use haven_domain::audit::AuditEvent;
use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone)]
pub struct NoteRecord {
    pub id: Uuid,
    pub author_name: String,
    pub created_at: Timestamp,
    /// Open with the vault, associated data `notes.body:<id>`.
    pub sealed_body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewNote {
    pub id: Uuid,
    pub practice: PracticeId,
    pub patient: UserId,
    pub author: UserId,
    pub sealed_body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewGrant {
    pub id: Uuid,
    pub practice: PracticeId,
    pub user: UserId,
    pub patient: UserId,
    pub sealed_reason: Vec<u8>,
    pub expires_at: Timestamp,
}

impl Store {
    pub async fn notes_of(&self, patient: UserId) -> StoreResult<Vec<NoteRecord>> {
        let rows: Vec<(Uuid, String, i64, Vec<u8>)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT n.id, u.display_name, n.created_at, n.body FROM notes n JOIN users u ON u.id = n.author_id
                 WHERE n.patient_id = $1 ORDER BY n.created_at DESC",
            )
            .bind(patient.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, author_name, created_at, sealed_body)| NoteRecord { id, author_name, created_at: time::from_db(created_at), sealed_body })
            .collect())
    }

    /// Stores the note and its audit entry together.
    pub async fn add_note(&self, note: &NewNote, audit: &AuditEvent, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query("INSERT INTO notes (id, practice_id, patient_id, author_id, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(note.id)
                .bind(note.practice.0)
                .bind(note.patient.0)
                .bind(note.author.0)
                .bind(time::to_db(now))
                .bind(&note.sealed_body)
                .execute(&mut *c)
                .await?;
        });
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The names of a patient's care team.
    pub async fn care_team_of(&self, patient: UserId) -> StoreResult<Vec<String>> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar(
                "SELECT u.display_name FROM care_team c JOIN users u ON u.id = c.clinician_id
                 WHERE c.patient_id = $1 ORDER BY u.display_name",
            )
            .bind(patient.0)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Who is on a patient's care team (to tell them something live).
    pub async fn care_team_ids(&self, patient: UserId) -> StoreResult<Vec<UserId>> {
        let ids: Vec<Uuid> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT clinician_id FROM care_team WHERE patient_id = $1").bind(patient.0).fetch_all(pool).await
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    pub async fn is_break_glass_designee(&self, practice: PracticeId, user: UserId) -> StoreResult<bool> {
        let count: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM break_glass_designees WHERE practice_id = $1 AND user_id = $2")
                .bind(practice.0)
                .bind(user.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(count > 0)
    }

    /// Allows `user` to use emergency access in `practice`, with its audit entry.
    pub async fn designate_break_glass(&self, practice: PracticeId, user: UserId, audit: &AuditEvent, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO break_glass_designees (practice_id, user_id, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (practice_id, user_id) DO NOTHING",
            )
            .bind(practice.0)
            .bind(user.0)
            .bind(time::to_db(now))
            .execute(&mut *c)
            .await?;
        });
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Grants emergency access with its effects (its audit entry, the admins' alerts), all
    /// at once: there is no emergency access that nobody hears about.
    pub async fn grant_break_glass(&self, grant: &NewGrant, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO break_glass_grants (id, practice_id, user_id, patient_id, reason, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(grant.id)
            .bind(grant.practice.0)
            .bind(grant.user.0)
            .bind(grant.patient.0)
            .bind(&grant.sealed_reason)
            .bind(time::to_db(now))
            .bind(time::to_db(grant.expires_at))
            .execute(&mut *c)
            .await?;
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// When this person's live emergency access to this patient ends, if they have one.
    pub async fn live_break_glass(&self, user: UserId, patient: UserId, now: Timestamp) -> StoreResult<Option<Timestamp>> {
        let until: Option<i64> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT MAX(expires_at) FROM break_glass_grants WHERE user_id = $1 AND patient_id = $2 AND expires_at > $3")
                .bind(user.0)
                .bind(patient.0)
                .bind(time::to_db(now))
                .fetch_one(pool)
                .await
        })?;
        Ok(until.map(time::from_db))
    }

    /// The practice's admins' addresses and languages, for alerts.
    pub async fn practice_admins(&self, practice: PracticeId) -> StoreResult<Vec<(String, String)>> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT u.email, u.language FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.practice_id = $1 AND m.role = 'admin' AND u.active = TRUE ORDER BY u.email",
            )
            .bind(practice.0)
            .fetch_all(pool)
            .await
        })?)
    }
}
