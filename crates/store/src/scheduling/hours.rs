//! When a clinician works: weekly hours, date exceptions, and time off.

use haven_domain::UserId;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Store, on_pool};
use crate::error::StoreResult;
use crate::time;

/// Hours as stored: ISO weekday (Monday 1) or local date, minutes from local midnight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicianHours {
    pub weekly: Vec<(i64, i64, i64)>,
    /// (YYYY-MM-DD, start, end); 0–0 marks the day off.
    pub dates: Vec<(String, i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOff {
    pub id: Uuid,
    pub clinician: UserId,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub label: String,
}

impl Store {
    /// Replaces the clinician's weekly hours in one transaction.
    pub async fn set_weekly_hours(&self, clinician: UserId, weekly: &[(i64, i64, i64)]) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM weekly_hours WHERE clinician_id = $1").bind(clinician.0).execute(&mut *tx).await?;
            for (weekday, start, end) in weekly {
                sqlx::query("INSERT INTO weekly_hours (clinician_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)")
                    .bind(clinician.0)
                    .bind(weekday)
                    .bind(start)
                    .bind(end)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Replaces the hours of one local date (an empty list with `off` marks it free).
    pub async fn set_date_hours(&self, clinician: UserId, day: &str, hours: &[(i64, i64)]) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM date_hours WHERE clinician_id = $1 AND day = $2").bind(clinician.0).bind(day).execute(&mut *tx).await?;
            let off = [(0, 0)];
            for (start, end) in if hours.is_empty() { &off[..] } else { hours } {
                sqlx::query("INSERT INTO date_hours (clinician_id, day, start_minute, end_minute) VALUES ($1, $2, $3, $4)")
                    .bind(clinician.0)
                    .bind(day)
                    .bind(start)
                    .bind(end)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    pub async fn clear_date_hours(&self, clinician: UserId, day: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM date_hours WHERE clinician_id = $1 AND day = $2")
                .bind(clinician.0)
                .bind(day)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn clinician_hours(&self, clinician: UserId) -> StoreResult<ClinicianHours> {
        let weekly: Vec<(i64, i64, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT weekday, start_minute, end_minute FROM weekly_hours WHERE clinician_id = $1 ORDER BY weekday, start_minute")
                .bind(clinician.0)
                .fetch_all(pool)
                .await
        })?;
        let dates: Vec<(String, i64, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT day, start_minute, end_minute FROM date_hours WHERE clinician_id = $1 ORDER BY day, start_minute")
                .bind(clinician.0)
                .fetch_all(pool)
                .await
        })?;
        Ok(ClinicianHours { weekly, dates })
    }

    pub async fn add_time_off(&self, off: &TimeOff, created_by: UserId, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO time_off (id, clinician_id, starts_at, ends_at, label, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(off.id)
            .bind(off.clinician.0)
            .bind(time::to_db(off.starts_at))
            .bind(time::to_db(off.ends_at))
            .bind(&off.label)
            .bind(created_by.0)
            .bind(time::to_db(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn remove_time_off(&self, clinician: UserId, id: Uuid) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM time_off WHERE id = $1 AND clinician_id = $2")
                .bind(id)
                .bind(clinician.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Time off touching `[from, until)`.
    pub async fn time_off_of(&self, clinician: UserId, from: Timestamp, until: Timestamp) -> StoreResult<Vec<TimeOff>> {
        let rows: Vec<(Uuid, i64, i64, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, starts_at, ends_at, label FROM time_off WHERE clinician_id = $1 AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at",
            )
            .bind(clinician.0)
            .bind(time::to_db(from))
            .bind(time::to_db(until))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, s, e, label)| TimeOff { id, clinician, starts_at: time::from_db(s), ends_at: time::from_db(e), label })
            .collect())
    }
}
