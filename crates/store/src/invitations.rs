//! Invitations: single-use, expiring links that let a person create their account in a
//! practice with a role chosen by staff.

use haven_domain::audit::AuditEvent;
use haven_domain::{Email, InvitationId, Language, PracticeId, Role, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::{StoreError, StoreResult};
use crate::time;
use crate::users::NewUser;

#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub token_hash: String,
    pub practice: PracticeId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub language: Language,
    pub invited_by: Option<UserId>,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub practice: PracticeId,
    pub practice_name: String,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub language: Language,
    pub invited_by: Option<UserId>,
    pub expires_at: Timestamp,
}

type Row = (Uuid, String, String, String, String, String, Option<Uuid>, i64);

fn decode(row: Row) -> StoreResult<Invitation> {
    let (practice, practice_name, email, display_name, role, language, invited_by, expires_at) = row;
    Ok(Invitation {
        practice: PracticeId(practice),
        practice_name,
        email: Email::parse(&email).map_err(|_| StoreError::Schema("an invitation's email is malformed".into()))?,
        display_name,
        role: Role::parse(&role).ok_or_else(|| StoreError::Schema("an invitation's role is unknown".into()))?,
        language: Language::from_tag(&language).unwrap_or_default(),
        invited_by: invited_by.map(UserId),
        expires_at: time::from_db(expires_at),
    })
}

impl Store {
    /// Stores the invitation with its effects (its mail, its audit entry), together.
    pub async fn create_invitation(&self, new: &NewInvitation, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO invitations (id, token_hash, practice_id, email, display_name, role, language, invited_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(Uuid::now_v7())
            .bind(&new.token_hash)
            .bind(new.practice.0)
            .bind(new.email.as_str())
            .bind(&new.display_name)
            .bind(new.role.as_str())
            .bind(new.language.tag())
            .bind(new.invited_by.map(|u| u.0))
            .bind(time::to_db(now))
            .bind(time::to_db(new.expires_at))
            .execute(&mut *c)
            .await?;
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The open invitation for a token: not yet accepted and not expired.
    pub async fn invitation_by_token(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<Invitation>> {
        let row: Option<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(const_invitation_select!("WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2"))
                .bind(token_hash)
                .bind(time::to_db(now))
                .fetch_optional(pool)
                .await
        })?;
        row.map(decode).transpose()
    }

    /// Uses the invitation once: creates the account with the invited role, puts a patient
    /// invited by a clinician on that clinician's care team, and records the audit entry,
    /// all in one transaction. `NotFound` when the link was used, expired or never existed;
    /// `Conflict` when the address already has an account.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        audit: impl Fn(UserId) -> AuditEvent,
        now: Timestamp,
    ) -> StoreResult<UserId> {
        let at = time::to_db(now);
        let id = UserId::new();
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let claimed: Option<(Uuid, String, String, String, String, Option<Uuid>)> = on_conn!(&mut conn, |c| {
            sqlx::query_as(
                "UPDATE invitations SET accepted_at = $1
                 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1
                 RETURNING practice_id, email, display_name, role, language, invited_by",
            )
            .bind(at)
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?
        });
        let Some((practice, email, display_name, role, language, invited_by)) = claimed else {
            return Err(StoreError::NotFound);
        };
        let role = Role::parse(&role).ok_or_else(|| StoreError::Schema("unknown role".into()))?;
        let new = NewUser {
            email: Email::parse(&email).map_err(|_| StoreError::Schema("malformed email".into()))?,
            display_name,
            password_hash: Some(password_hash.to_owned()),
            language: Language::from_tag(&language).unwrap_or_default(),
            practice: PracticeId(practice),
            roles: vec![role],
        };
        crate::users::insert(&mut conn, id, &new, now).await?;
        if role == Role::Patient
            && let Some(inviter) = invited_by
        {
            on_conn!(&mut conn, |c| {
                let inviter_is_clinician: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE practice_id = $1 AND user_id = $2 AND role = 'clinician'")
                        .bind(practice)
                        .bind(inviter)
                        .fetch_one(&mut *c)
                        .await?;
                if inviter_is_clinician > 0 {
                    sqlx::query("INSERT INTO care_team (practice_id, patient_id, clinician_id, created_at) VALUES ($1, $2, $3, $4)")
                        .bind(practice)
                        .bind(id.0)
                        .bind(inviter)
                        .bind(at)
                        .execute(&mut *c)
                        .await?;
                }
            });
        }
        crate::audit::append::append_one(&mut conn, &audit(id)).await?;
        tx.commit().await?;
        Ok(id)
    }
}

macro_rules! const_invitation_select {
    ($tail:literal) => {
        concat!(
            "SELECT i.practice_id, p.name, i.email, i.display_name, i.role, i.language, i.invited_by, i.expires_at
     FROM invitations i JOIN practices p ON p.id = i.practice_id ",
            $tail
        )
    };
}
use const_invitation_select;

/// An invitation not yet accepted, as the practice's admins list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub language: Language,
    pub expires_at: Timestamp,
}

impl Store {
    /// The practice's invitations nobody has accepted yet (expired ones too: they can be
    /// sent again), newest first.
    pub async fn pending_invitations(&self, practice: PracticeId) -> StoreResult<Vec<PendingInvitation>> {
        let rows: Vec<(Uuid, String, String, String, String, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, email, display_name, role, language, expires_at FROM invitations
                 WHERE practice_id = $1 AND accepted_at IS NULL ORDER BY created_at DESC LIMIT 500",
            )
            .bind(practice.0)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(id, email, display_name, role, language, expires_at)| {
                Ok(PendingInvitation {
                    id: InvitationId(id),
                    email: Email::parse(&email).map_err(|_| StoreError::Schema("an invitation's email is malformed".into()))?,
                    display_name,
                    role: Role::parse(&role).ok_or_else(|| StoreError::Schema("an invitation's role is unknown".into()))?,
                    language: Language::from_tag(&language).unwrap_or_default(),
                    expires_at: time::from_db(expires_at),
                })
            })
            .collect()
    }

    /// Gives an unaccepted invitation a new link and end (the old link stops working), with
    /// its effects (the new mail, the audit entry). `false` when there is no such invitation.
    pub async fn renew_invitation(
        &self,
        practice: PracticeId,
        id: InvitationId,
        token_hash: &str,
        expires_at: Timestamp,
        effects: &Effects,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let changed = on_conn!(&mut conn, |c| {
            sqlx::query("UPDATE invitations SET token_hash = $1, expires_at = $2 WHERE id = $3 AND practice_id = $4 AND accepted_at IS NULL")
                .bind(token_hash)
                .bind(time::to_db(expires_at))
                .bind(id.0)
                .bind(practice.0)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Ok(false);
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Withdraws an unaccepted invitation (its link stops working), with its audit entry.
    pub async fn revoke_invitation(&self, practice: PracticeId, id: InvitationId, effects: &Effects, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let changed = on_conn!(&mut conn, |c| {
            sqlx::query("DELETE FROM invitations WHERE id = $1 AND practice_id = $2 AND accepted_at IS NULL")
                .bind(id.0)
                .bind(practice.0)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Ok(false);
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
