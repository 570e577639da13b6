//! Care teams: which clinicians look after which patient. A clinician sees a patient's
//! record only through this table (or break-glass).

use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::StoreResult;
use crate::time;

/// A patient as listed for their clinicians.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientSummary {
    pub id: UserId,
    pub display_name: String,
}

impl Store {
    pub async fn assign_care_team(&self, practice: PracticeId, patient: UserId, clinician: UserId, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO care_team (practice_id, patient_id, clinician_id, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (practice_id, patient_id, clinician_id) DO NOTHING",
            )
            .bind(practice.0)
            .bind(patient.0)
            .bind(clinician.0)
            .bind(time::to_db(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn is_on_care_team(&self, patient: UserId, clinician: UserId) -> StoreResult<bool> {
        let count: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM care_team WHERE patient_id = $1 AND clinician_id = $2")
                .bind(patient.0)
                .bind(clinician.0)
                .fetch_one(pool)
                .await
        })?;
        Ok(count > 0)
    }

    /// The active patients a clinician looks after, by name.
    pub async fn care_team_patients(&self, clinician: UserId) -> StoreResult<Vec<PatientSummary>> {
        let rows: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT u.id, u.display_name FROM care_team c JOIN users u ON u.id = c.patient_id
                 WHERE c.clinician_id = $1 AND u.active = TRUE ORDER BY u.display_name",
            )
            .bind(clinician.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id, display_name)| PatientSummary { id: UserId(id), display_name }).collect())
    }
}

impl Store {
    /// Puts `clinician` on `patient`'s care team in `practice` (`on`) or takes them off, with
    /// its effects (the audit entry) in the same transaction.
    pub async fn change_care_team(
        &self,
        practice: PracticeId,
        patient: UserId,
        clinician: UserId,
        on: bool,
        effects: &Effects,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            if on {
                sqlx::query(
                    "INSERT INTO care_team (practice_id, patient_id, clinician_id, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (practice_id, patient_id, clinician_id) DO NOTHING",
                )
                .bind(practice.0)
                .bind(patient.0)
                .bind(clinician.0)
                .bind(time::to_db(now))
                .execute(&mut *c)
                .await?;
            } else {
                sqlx::query("DELETE FROM care_team WHERE practice_id = $1 AND patient_id = $2 AND clinician_id = $3")
                    .bind(practice.0)
                    .bind(patient.0)
                    .bind(clinician.0)
                    .execute(&mut *c)
                    .await?;
            }
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every pairing of the practice's care teams, as (patient, clinician): one read for the
    /// admin's people page, whatever the practice's size.
    pub async fn care_teams_in(&self, practice: PracticeId) -> StoreResult<Vec<(UserId, UserId)>> {
        let rows: Vec<(Uuid, Uuid)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT patient_id, clinician_id FROM care_team WHERE practice_id = $1").bind(practice.0).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(p, c)| (UserId(p), UserId(c))).collect())
    }

    /// Whether an active clinician looks after the patient in the practice. Without one, the
    /// practice's admins read the patient's messages (see `member_of_thread!`).
    pub async fn has_active_clinician(&self, practice: PracticeId, patient: UserId) -> StoreResult<bool> {
        let count: i64 = on_pool!(self, read, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM care_team c JOIN users cu ON cu.id = c.clinician_id
                 WHERE c.practice_id = $1 AND c.patient_id = $2 AND cu.active",
            )
            .bind(practice.0)
            .bind(patient.0)
            .fetch_one(pool)
            .await
        })?;
        Ok(count > 0)
    }
}
