//! Appointments. The database refuses overlapping booked visits of one clinician (an
//! exclusion constraint on PostgreSQL, a trigger under SQLite's single writer), so a race
//! between two bookers ends with one visit and one [`StoreError::SlotTaken`], whatever the
//! application checked beforehand. Every change carries its audit entries, mail and jobs,
//! written in the same transaction: nothing half-done.

use haven_domain::scheduling::{AppointmentStatus, Modality};
use haven_domain::{AppointmentId, Bilingual, LocationId, PracticeId, UserId, VisitTypeId};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::{Conn, on_conn};
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::{StoreError, StoreResult};
use crate::time;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: AppointmentId,
    pub practice: PracticeId,
    pub clinician: UserId,
    pub clinician_name: String,
    pub patient: UserId,
    pub patient_name: String,
    pub visit_type: VisitTypeId,
    pub visit_name: Bilingual,
    pub modality: Modality,
    pub location: Option<LocationId>,
    /// Where the patient said they would be, for remote visits ("US-CA").
    pub jurisdiction: Option<String>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub status: AppointmentStatus,
    pub series: Option<Uuid>,
    /// Grows with every change; a change names the sequence it saw, so two people
    /// changing one visit at once can't overwrite each other.
    pub sequence: i64,
}

#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub id: AppointmentId,
    pub practice: PracticeId,
    pub clinician: UserId,
    pub patient: UserId,
    pub visit_type: VisitTypeId,
    pub modality: Modality,
    pub location: Option<LocationId>,
    pub jurisdiction: Option<String>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// `ends_at` plus the clinician's buffer.
    pub blocked_until: Timestamp,
    pub series: Option<Uuid>,
    pub booked_by: UserId,
}

/// One appointment row: seventeen columns, one more than sqlx decodes as a tuple.
struct Row(Uuid, Uuid, Uuid, String, Uuid, String, Uuid, String, String, String, Option<Uuid>, Option<String>, i64, i64, String, Option<Uuid>, i64);

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for Row
where
    usize: sqlx::ColumnIndex<R>,
    Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(r: &'r R) -> Result<Self, sqlx::Error> {
        Ok(Row(
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
            r.try_get(15)?,
            r.try_get(16)?,
        ))
    }
}

macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.practice_id, a.clinician_id, c.display_name, a.patient_id, p.display_name, a.visit_type_id, v.name, v.name_es,
        a.modality, a.location_id, a.jurisdiction, a.starts_at, a.ends_at,
        CASE WHEN a.status = 'booked' AND EXISTS (SELECT 1 FROM visits vi WHERE vi.appointment_id = a.id AND vi.ended_at IS NOT NULL)
             THEN 'completed' ELSE a.status END,
        a.series_id, a.sequence
 FROM appointments a
 JOIN users c ON c.id = a.clinician_id
 JOIN users p ON p.id = a.patient_id
 JOIN visit_types v ON v.id = a.visit_type_id ",
            $tail
        )
    };
}

fn decode(row: Row) -> StoreResult<Appointment> {
    let Row(
        id,
        practice,
        clinician,
        clinician_name,
        patient,
        patient_name,
        visit_type,
        visit_name,
        visit_name_es,
        modality,
        location,
        jurisdiction,
        starts,
        ends,
        status,
        series,
        sequence,
    ) = row;
    Ok(Appointment {
        id: AppointmentId(id),
        practice: PracticeId(practice),
        clinician: UserId(clinician),
        clinician_name,
        patient: UserId(patient),
        patient_name,
        visit_type: VisitTypeId(visit_type),
        visit_name: Bilingual::new(visit_name, visit_name_es),
        modality: Modality::parse(&modality).ok_or_else(|| StoreError::Schema(format!("appointment {id} has modality {modality}")))?,
        location: location.map(LocationId),
        jurisdiction,
        starts_at: time::from_db(starts),
        ends_at: time::from_db(ends),
        status: AppointmentStatus::parse(&status).ok_or_else(|| StoreError::Schema(format!("appointment {id} has status {status}")))?,
        series,
        sequence,
    })
}

/// Queues this transaction behind any other booking for the same clinician (PostgreSQL).
/// The exclusion constraint alone stays correct, but concurrent inserters of overlapping
/// visits wait on each other's uncommitted rows and can deadlock; one lock per clinician
/// turns that into an orderly queue. SQLite's single writer is a queue already.
async fn lock_clinician(conn: &mut Conn<'_>, clinician: UserId) -> Result<(), sqlx::Error> {
    if let Conn::Postgres(c) = conn {
        let bytes = clinician.0.as_bytes();
        let key =
            i64::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]) ^ i64::from_be_bytes(*b"havenbkg");
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key).execute(&mut **c).await?;
    }
    Ok(())
}

impl Store {
    /// Books every visit in `visits` or none: one taken time refuses the whole set with
    /// [`StoreError::SlotTaken`].
    pub async fn book_appointments(&self, visits: &[NewAppointment], effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let at = time::to_db(now);
        let mut clinicians: Vec<UserId> = visits.iter().map(|v| v.clinician).collect();
        clinicians.sort();
        clinicians.dedup();
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        for clinician in &clinicians {
            lock_clinician(&mut conn, *clinician).await?;
        }
        for v in visits {
            on_conn!(&mut conn, |c| {
                sqlx::query(
                    "INSERT INTO appointments (id, practice_id, clinician_id, patient_id, visit_type_id, modality, location_id, jurisdiction,
                         starts_at, ends_at, blocked_until, status, series_id, sequence, booked_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'booked', $12, 0, $13, $14, $14)",
                )
                .bind(v.id.0)
                .bind(v.practice.0)
                .bind(v.clinician.0)
                .bind(v.patient.0)
                .bind(v.visit_type.0)
                .bind(v.modality.as_str())
                .bind(v.location.map(|l| l.0))
                .bind(v.jurisdiction.as_deref())
                .bind(time::to_db(v.starts_at))
                .bind(time::to_db(v.ends_at))
                .bind(time::to_db(v.blocked_until))
                .bind(v.series)
                .bind(v.booked_by.0)
                .bind(at)
                .execute(&mut *c)
                .await?;
            });
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a booked visit if nobody changed it since `seen_sequence`. Its pending jobs
    /// (reminders for the old time) are dropped; `effects` brings the new ones. Returns
    /// false when the visit was changed or cancelled meanwhile.
    pub async fn reschedule_appointment(
        &self,
        id: AppointmentId,
        seen_sequence: i64,
        (starts_at, ends_at, blocked_until): (Timestamp, Timestamp, Timestamp),
        effects: &Effects,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let clinician: Option<Uuid> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT clinician_id FROM appointments WHERE id = $1").bind(id.0).fetch_optional(pool).await
        })?;
        let Some(clinician) = clinician.map(UserId) else { return Ok(false) };
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        lock_clinician(&mut conn, clinician).await?;
        let n = on_conn!(&mut conn, |c| {
            sqlx::query(
                "UPDATE appointments SET starts_at = $1, ends_at = $2, blocked_until = $3, sequence = sequence + 1, updated_at = $4
                 WHERE id = $5 AND status = 'booked' AND sequence = $6",
            )
            .bind(time::to_db(starts_at))
            .bind(time::to_db(ends_at))
            .bind(time::to_db(blocked_until))
            .bind(time::to_db(now))
            .bind(id.0)
            .bind(seen_sequence)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if n != 1 {
            return Ok(false);
        }
        crate::jobs::write::drop_pending_of(&mut conn, id.0).await?;
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends a booked visit as cancelled, late-cancelled or a no-show, if nobody changed it
    /// since `seen_sequence`; drops its pending reminders. Returns whether it changed.
    pub async fn close_appointment(
        &self,
        id: AppointmentId,
        seen_sequence: i64,
        status: AppointmentStatus,
        effects: &Effects,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| {
            sqlx::query(
                "UPDATE appointments SET status = $1, sequence = sequence + 1, updated_at = $2 WHERE id = $3 AND status = 'booked' AND sequence = $4",
            )
            .bind(status.as_str())
            .bind(time::to_db(now))
            .bind(id.0)
            .bind(seen_sequence)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if n != 1 {
            return Ok(false);
        }
        crate::jobs::write::drop_pending_of(&mut conn, id.0).await?;
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn appointment(&self, id: AppointmentId) -> StoreResult<Option<Appointment>> {
        let sql = select!("WHERE a.id = $1");
        let row: Option<Row> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(id.0).fetch_optional(pool).await)?;
        row.map(decode).transpose()
    }

    /// All of a patient's appointments, soonest first.
    pub async fn appointments_of_patient(&self, patient: UserId) -> StoreResult<Vec<Appointment>> {
        let sql = select!("WHERE a.patient_id = $1 ORDER BY a.starts_at");
        let rows: Vec<Row> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(patient.0).fetch_all(pool).await)?;
        rows.into_iter().map(decode).collect()
    }

    /// The patient's appointments starting in `[from, until)`.
    pub async fn appointments_of_patient_between(&self, patient: UserId, from: Timestamp, until: Timestamp) -> StoreResult<Vec<Appointment>> {
        let sql = select!("WHERE a.patient_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 ORDER BY a.starts_at");
        let rows: Vec<Row> =
            on_pool!(self, read, |pool| sqlx::query_as(sql).bind(patient.0).bind(time::to_db(from)).bind(time::to_db(until)).fetch_all(pool).await)?;
        rows.into_iter().map(decode).collect()
    }

    /// A practice's appointments (or one clinician's) starting in `[from, until)`.
    pub async fn appointments_between(
        &self,
        practice: PracticeId,
        clinician: Option<UserId>,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<Appointment>> {
        let sql = select!(
            "WHERE a.practice_id = $1 AND ($2 IS NULL OR a.clinician_id = $2) AND a.starts_at >= $3 AND a.starts_at < $4
             ORDER BY a.starts_at, c.display_name"
        );
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(sql).bind(practice.0).bind(clinician.map(|c| c.0)).bind(time::to_db(from)).bind(time::to_db(until)).fetch_all(pool).await
        })?;
        rows.into_iter().map(decode).collect()
    }

    /// The clinician's booked visits touching `[from, until)`, as (start, end of the
    /// buffer they were booked with), for slot computation: a time offered is then never
    /// one the database would refuse, even after the clinician shortens their buffer.
    /// `except` leaves one out (the visit being moved).
    pub async fn booked_spans(
        &self,
        clinician: UserId,
        from: Timestamp,
        until: Timestamp,
        except: Option<AppointmentId>,
    ) -> StoreResult<Vec<(Timestamp, Timestamp)>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT starts_at, blocked_until FROM appointments
                 WHERE clinician_id = $1 AND status = 'booked' AND blocked_until > $2 AND starts_at < $3 AND ($4 IS NULL OR id <> $4)
                 ORDER BY starts_at",
            )
            .bind(clinician.0)
            .bind(time::to_db(from))
            .bind(time::to_db(until))
            .bind(except.map(|e| e.0))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(s, e)| (time::from_db(s), time::from_db(e))).collect())
    }

    /// Booked visits of one clinician that overlap each other: always zero, unless the
    /// database's guarantee failed. For the benchmark and `haven check`.
    pub async fn double_bookings(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM appointments a JOIN appointments b
                   ON a.clinician_id = b.clinician_id AND a.id < b.id
                 WHERE a.status = 'booked' AND b.status = 'booked' AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until",
            )
            .fetch_one(pool)
            .await
        })?)
    }
}
