//! Telehealth visits and consents. Every change that matters clinically (check-in, admit,
//! end) is written with its audit entry in one transaction; the frequent small updates of
//! a running call (modes, quality samples) are single statements.

use haven_domain::audit::AuditEvent;
use haven_domain::visits::{QualitySummary, VisitState};
use haven_domain::{AppointmentId, PracticeId, UserId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time::{from_db, to_db};

#[derive(Debug, Clone)]
pub struct CheckIn {
    pub appointment: AppointmentId,
    pub practice: PracticeId,
    pub patient: UserId,
    pub clinician: UserId,
    /// Sealed with associated data `visits.safety:<appointment id>`.
    pub sealed_safety: Vec<u8>,
    pub outside_licence: bool,
}

#[derive(Debug, Clone)]
pub struct NewConsent {
    pub id: Uuid,
    pub practice: PracticeId,
    pub patient: UserId,
    pub version: String,
    /// Sealed with associated data `telehealth_consents.signature:<id>`.
    pub sealed_signature: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Visit {
    pub appointment: AppointmentId,
    pub practice: PracticeId,
    pub patient: UserId,
    pub clinician: UserId,
    pub sealed_safety: Vec<u8>,
    pub outside_licence: bool,
    pub checked_in_at: Timestamp,
    pub arrived_at: Option<Timestamp>,
    pub admitted_at: Option<Timestamp>,
    pub connected_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub patient_joined: bool,
    pub clinician_joined: bool,
    pub waiting_note: Option<String>,
    pub modes: i64,
    pub quality: QualitySummary,
    pub rating: Option<i64>,
}

impl Visit {
    #[must_use]
    pub fn state(&self) -> VisitState {
        VisitState::from_times(self.arrived_at.is_some(), self.admitted_at.is_some(), self.ended_at.is_some())
    }
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    Vec<u8>,
    bool,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    bool,
    bool,
    Option<String>,
    i64,
    (i64, f64, f64, f64, f64),
    Option<i64>,
);

macro_rules! visit_columns {
    () => {
        "appointment_id, practice_id, patient_id, clinician_id, safety, outside_licence, checked_in_at, arrived_at, admitted_at, connected_at, ended_at, patient_joined, clinician_joined, waiting_note, modes, stats_samples, rtt_total, loss_total, kbps_total, worst_loss, rating"
    };
}

fn visit(row: Row) -> Visit {
    let (appointment, practice, patient, clinician, safety, outside, checked, arrived, admitted, connected, ended, pj, cj, note, modes, q, rating) =
        row;
    Visit {
        appointment: AppointmentId(appointment),
        practice: PracticeId(practice),
        patient: UserId(patient),
        clinician: UserId(clinician),
        sealed_safety: safety,
        outside_licence: outside,
        checked_in_at: from_db(checked),
        arrived_at: arrived.map(from_db),
        admitted_at: admitted.map(from_db),
        connected_at: connected.map(from_db),
        ended_at: ended.map(from_db),
        patient_joined: pj,
        clinician_joined: cj,
        waiting_note: note,
        modes,
        quality: QualitySummary { samples: q.0, rtt_total: q.1, loss_total: q.2, kbps_total: q.3, worst_loss: q.4 },
        rating,
    }
}

/// sqlx decodes tuples of at most 16; the quality columns come as a nested group.
struct VisitRow(Row);

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for VisitRow
where
    usize: sqlx::ColumnIndex<R>,
    Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    f64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(r: &'r R) -> Result<Self, sqlx::Error> {
        Ok(VisitRow((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            r.try_get(8)?,
            r.try_get(9)?,
            r.try_get(10)?,
            r.try_get(11)?,
            r.try_get(12)?,
            r.try_get(13)?,
            r.try_get(14)?,
            (r.try_get(15)?, r.try_get(16)?, r.try_get(17)?, r.try_get(18)?, r.try_get(19)?),
            r.try_get(20)?,
        )))
    }
}

impl Store {
    /// The newest consent this patient signed with this practice: when, and which version.
    pub async fn latest_consent(&self, practice: PracticeId, patient: UserId) -> StoreResult<Option<(Timestamp, String)>> {
        let row: Option<(i64, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT signed_at, version FROM telehealth_consents WHERE practice_id = $1 AND patient_id = $2 ORDER BY signed_at DESC LIMIT 1",
            )
            .bind(practice.0)
            .bind(patient.0)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(at, v)| (from_db(at), v)))
    }

    /// Stores the check-in (and a newly signed consent) with its audit entry. Checking in
    /// again before the visit ends replaces the details and keeps the visit's progress.
    pub async fn check_in(&self, check_in: &CheckIn, consent: Option<&NewConsent>, audit: &AuditEvent, now: Timestamp) -> StoreResult<()> {
        let at = to_db(now);
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO visits (appointment_id, practice_id, patient_id, clinician_id, safety, outside_licence, checked_in_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (appointment_id) DO UPDATE SET safety = $5, outside_licence = $6, checked_in_at = $7",
            )
            .bind(check_in.appointment.0)
            .bind(check_in.practice.0)
            .bind(check_in.patient.0)
            .bind(check_in.clinician.0)
            .bind(&check_in.sealed_safety)
            .bind(check_in.outside_licence)
            .bind(at)
            .execute(&mut *c)
            .await?;
            if let Some(consent) = consent {
                sqlx::query(
                    "INSERT INTO telehealth_consents (id, practice_id, patient_id, version, signature, signed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(consent.id)
                .bind(consent.practice.0)
                .bind(consent.patient.0)
                .bind(&consent.version)
                .bind(&consent.sealed_signature)
                .bind(at)
                .execute(&mut *c)
                .await?;
            }
        });
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn visit(&self, appointment: AppointmentId) -> StoreResult<Option<Visit>> {
        let row: Option<VisitRow> = on_pool!(self, read, |pool| {
            sqlx::query_as(concat!("SELECT ", visit_columns!(), " FROM visits WHERE appointment_id = $1"))
                .bind(appointment.0)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|r| visit(r.0)))
    }

    /// The patient's most recent check-in (to prefill the next one): its appointment (the
    /// sealed details' associated data names it) and the sealed details.
    pub async fn last_safety(&self, patient: UserId) -> StoreResult<Option<(AppointmentId, Vec<u8>)>> {
        let row: Option<(Uuid, Vec<u8>)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT appointment_id, safety FROM visits WHERE patient_id = $1 ORDER BY checked_in_at DESC LIMIT 1")
                .bind(patient.0)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(id, sealed)| (AppointmentId(id), sealed)))
    }

    /// Visits of this clinician whose patient is in the waiting room: (appointment, patient, since).
    pub async fn waiting_room_of(&self, clinician: UserId) -> StoreResult<Vec<(AppointmentId, UserId, Timestamp)>> {
        let rows: Vec<(Uuid, Uuid, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT appointment_id, patient_id, arrived_at FROM visits
                 WHERE clinician_id = $1 AND arrived_at IS NOT NULL AND admitted_at IS NULL AND ended_at IS NULL
                 ORDER BY arrived_at",
            )
            .bind(clinician.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(a, p, at)| (AppointmentId(a), UserId(p), from_db(at))).collect())
    }

    /// The patient entered the waiting room (the first arrival counts for "waiting since").
    pub async fn arrive(&self, appointment: AppointmentId, now: Timestamp) -> StoreResult<()> {
        self.visit_update("UPDATE visits SET arrived_at = COALESCE(arrived_at, $2) WHERE appointment_id = $1", appointment, to_db(now)).await
    }

    /// Admits the waiting patient, with its audit entry, noting who has joined (the
    /// clinician, and the patient if they are in the room); `false` if there was no one to
    /// admit (not arrived, already admitted, or ended). One write: admitting is on the way
    /// to the first picture.
    pub async fn admit(&self, appointment: AppointmentId, patient_present: bool, audit: &AuditEvent, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| {
            sqlx::query(
                "UPDATE visits SET admitted_at = $2, clinician_joined = TRUE, patient_joined = (patient_joined OR $3)
                 WHERE appointment_id = $1 AND arrived_at IS NOT NULL AND admitted_at IS NULL AND ended_at IS NULL",
            )
            .bind(appointment.0)
            .bind(to_db(now))
            .bind(patient_present)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if n != 1 {
            return Ok(false);
        }
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends the visit for both sides, with its audit entry; `false` if it had already ended.
    pub async fn end_visit(&self, appointment: AppointmentId, audit: &AuditEvent, now: Timestamp) -> StoreResult<bool> {
        self.visit_change("UPDATE visits SET ended_at = $2 WHERE appointment_id = $1 AND ended_at IS NULL", appointment, audit, now).await
    }

    async fn visit_change(&self, sql: &'static str, appointment: AppointmentId, audit: &AuditEvent, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| sqlx::query(sql).bind(appointment.0).bind(to_db(now)).execute(&mut *c).await?.rows_affected());
        if n != 1 {
            return Ok(false);
        }
        crate::audit::append::append_one(&mut conn, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn visit_update(&self, sql: &'static str, appointment: AppointmentId, value: i64) -> StoreResult<()> {
        on_pool!(self, write, |pool| sqlx::query(sql).bind(appointment.0).bind(value).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn set_waiting_note(&self, appointment: AppointmentId, note: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE visits SET waiting_note = $2 WHERE appointment_id = $1")
                .bind(appointment.0)
                .bind(note)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Someone entered the call: the patient (after admission) or the clinician.
    pub async fn mark_joined(&self, appointment: AppointmentId, clinician: bool) -> StoreResult<()> {
        let sql = if clinician {
            "UPDATE visits SET clinician_joined = TRUE WHERE appointment_id = $1 AND clinician_joined = FALSE"
        } else {
            "UPDATE visits SET patient_joined = TRUE WHERE appointment_id = $1 AND patient_joined = FALSE"
        };
        on_pool!(self, write, |pool| sqlx::query(sql).bind(appointment.0).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Media flowed (first time counts as the start of the call).
    pub async fn visit_connected(&self, appointment: AppointmentId, now: Timestamp) -> StoreResult<()> {
        self.visit_update("UPDATE visits SET connected_at = COALESCE(connected_at, $2) WHERE appointment_id = $1", appointment, to_db(now)).await
    }

    /// Adds a media mode (bit) to the set the visit has used.
    pub async fn add_visit_mode(&self, appointment: AppointmentId, bit: i64) -> StoreResult<()> {
        self.visit_update("UPDATE visits SET modes = modes | $2 WHERE appointment_id = $1 AND ended_at IS NULL", appointment, bit).await
    }

    /// Adds one quality sample to the running totals.
    pub async fn add_visit_sample(&self, appointment: AppointmentId, rtt_ms: f64, loss_pct: f64, kbps: f64) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE visits SET stats_samples = stats_samples + 1, rtt_total = rtt_total + $2, loss_total = loss_total + $3,
                 kbps_total = kbps_total + $4, worst_loss = CASE WHEN worst_loss < $3 THEN $3 ELSE worst_loss END
                 WHERE appointment_id = $1 AND ended_at IS NULL",
            )
            .bind(appointment.0)
            .bind(rtt_ms)
            .bind(loss_pct)
            .bind(kbps)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The patient's rating of the visit's quality (1–5); once, after the visit.
    pub async fn rate_visit(&self, appointment: AppointmentId, patient: UserId, rating: i64) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE visits SET rating = $3 WHERE appointment_id = $1 AND patient_id = $2 AND rating IS NULL")
                .bind(appointment.0)
                .bind(patient.0)
                .bind(rating)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }
}
