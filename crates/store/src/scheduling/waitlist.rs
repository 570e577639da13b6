//! The waitlist: patients who asked to hear when an earlier time opens with a clinician.

use haven_domain::{UserId, VisitTypeId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::StoreResult;
use crate::time;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistEntry {
    pub id: Uuid,
    pub patient: UserId,
    pub patient_email: String,
    pub patient_language: String,
    pub clinician: UserId,
    pub visit_type: VisitTypeId,
    /// Tell the patient about openings before this.
    pub before: Timestamp,
}

impl Store {
    /// Adds or updates the patient's wish for this clinician.
    pub async fn join_waitlist(
        &self,
        patient: UserId,
        clinician: UserId,
        visit_type: VisitTypeId,
        before: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO waitlist (id, patient_id, clinician_id, visit_type_id, before_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (patient_id, clinician_id) DO UPDATE SET visit_type_id = $4, before_at = $5, notified_at = NULL",
            )
            .bind(Uuid::now_v7())
            .bind(patient.0)
            .bind(clinician.0)
            .bind(visit_type.0)
            .bind(time::to_db(before))
            .bind(time::to_db(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn leave_waitlist(&self, patient: UserId, clinician: UserId) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM waitlist WHERE patient_id = $1 AND clinician_id = $2")
                .bind(patient.0)
                .bind(clinician.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Un-notified wishes for `clinician` that an opening at `opening` would satisfy.
    pub async fn waiting_for(&self, clinician: UserId, opening: Timestamp) -> StoreResult<Vec<WaitlistEntry>> {
        let rows: Vec<(Uuid, Uuid, String, String, Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT w.id, w.patient_id, u.email, u.language, w.visit_type_id, w.before_at FROM waitlist w JOIN users u ON u.id = w.patient_id
                 WHERE w.clinician_id = $1 AND w.notified_at IS NULL AND w.before_at > $2 AND u.active = TRUE ORDER BY w.created_at",
            )
            .bind(clinician.0)
            .bind(time::to_db(opening))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, patient, email, language, visit_type, before)| WaitlistEntry {
                id,
                patient: UserId(patient),
                patient_email: email,
                patient_language: language,
                clinician,
                visit_type: VisitTypeId(visit_type),
                before: time::from_db(before),
            })
            .collect())
    }

    /// The patient's waitlist wishes: (clinician, before).
    pub async fn waitlist_of(&self, patient: UserId) -> StoreResult<Vec<(UserId, Timestamp)>> {
        let rows: Vec<(Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT clinician_id, before_at FROM waitlist WHERE patient_id = $1").bind(patient.0).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(c, b)| (UserId(c), time::from_db(b))).collect())
    }

    /// Marks these wishes as told and writes the telling (mail jobs) with it, in one
    /// transaction: a patient is told of an opening once.
    pub async fn notify_waitlist(&self, ids: &[Uuid], effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        for id in ids {
            on_conn!(&mut conn, |c| {
                sqlx::query("UPDATE waitlist SET notified_at = $1 WHERE id = $2").bind(time::to_db(now)).bind(id).execute(&mut *c).await?;
            });
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
