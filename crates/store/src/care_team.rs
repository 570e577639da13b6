//! Care teams: which clinicians look after which patient. A clinician sees a patient's
//! record only through this table (or break-glass).

use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
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
