//! Measures: assignments with their schedule, requests to answer, responses (answers
//! sealed, score in the clear for trends and outcomes) and the risk signals answers raise.
//! A response, its request's closing, its signal and its audit entry commit together.

use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Store, on_pool};
use crate::effects::Effects;
use crate::error::{StoreError, StoreResult};
use crate::time;

/// How a practice runs its measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureSettings {
    /// Check-in links ask for sign-in instead of opening by themselves.
    pub links_sign_in: bool,
    /// Patients see their own trends.
    pub show_patients: bool,
    /// The PHQ-9 reliable-change threshold: 6 or 5.
    pub phq9_reliable: i64,
}

impl Default for MeasureSettings {
    fn default() -> Self {
        Self { links_sign_in: false, show_patients: true, phq9_reliable: 6 }
    }
}

#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub id: Uuid,
    pub practice: PracticeId,
    pub patient: UserId,
    pub instrument: String,
    pub assigned_by: UserId,
    /// The domain `Schedule` as JSON.
    pub schedule: String,
    pub next_due_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AssignmentRecord {
    pub id: Uuid,
    pub practice: PracticeId,
    pub patient: UserId,
    pub instrument: String,
    pub assigned_by: UserId,
    pub schedule: String,
    pub next_due_at: Option<Timestamp>,
    pub issued: i64,
    /// The patient's own zone, else the practice's: schedules run on it.
    pub patient_zone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub id: Uuid,
    pub assignment: Option<Uuid>,
    pub practice: PracticeId,
    pub patient: UserId,
    pub instrument: String,
    pub requested_by: UserId,
    pub due_at: Timestamp,
    pub expires_at: Timestamp,
    /// Sent during this visit (its appointment).
    pub visit: Option<Uuid>,
}

/// The next step of one assignment after a scan: the request it issues and what comes after.
#[derive(Debug, Clone)]
pub struct Issue {
    pub assignment: Uuid,
    pub request: NewRequest,
    pub next_due_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: Uuid,
    pub practice: PracticeId,
    pub patient: UserId,
    pub instrument: String,
    pub requested_by: UserId,
    pub requested_by_name: String,
    pub due_at: Timestamp,
    pub expires_at: Timestamp,
    pub status: String,
    /// Open with the vault, associated data `measure_requests.draft:<id>`.
    pub sealed_draft: Option<Vec<u8>>,
    /// The emailed link's token, sealed (`measure_requests.link:<id>`), once one was made.
    pub sealed_link: Option<Vec<u8>>,
    /// Sent during this visit (its appointment).
    pub visit: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewResponse {
    pub id: Uuid,
    pub request: Option<Uuid>,
    pub practice: PracticeId,
    pub patient: UserId,
    pub instrument: String,
    pub version: i64,
    pub answered_by: UserId,
    pub in_session: bool,
    pub total: Option<i64>,
    pub band: Option<String>,
    pub risk: Option<String>,
    pub sealed_answers: Vec<u8>,
    pub completed_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewSignal {
    pub id: Uuid,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub id: Uuid,
    pub instrument: String,
    pub total: Option<i64>,
    pub band: Option<String>,
    pub risk: Option<String>,
    pub in_session: bool,
    pub completed_at: Timestamp,
    /// Open with the vault, associated data `measure_responses.answers:<id>`.
    pub sealed_answers: Vec<u8>,
}

/// A response for the clinician's "to review" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToReview {
    pub id: Uuid,
    pub patient: UserId,
    pub patient_name: String,
    pub instrument: String,
    pub total: i64,
    pub band: Option<String>,
    pub completed_at: Timestamp,
    /// The patient's first total on this instrument.
    pub baseline: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRecord {
    pub id: Uuid,
    pub patient: UserId,
    pub patient_name: String,
    pub instrument: String,
    pub level: String,
    pub created_at: Timestamp,
}

type RequestRow = (Uuid, Uuid, Uuid, String, Uuid, String, i64, i64, String, Option<Vec<u8>>, Option<Vec<u8>>, Option<Uuid>);

fn request((id, practice, patient, instrument, by, by_name, due, expires, status, draft, link, visit): RequestRow) -> RequestRecord {
    RequestRecord {
        id,
        practice: PracticeId(practice),
        patient: UserId(patient),
        instrument,
        requested_by: UserId(by),
        requested_by_name: by_name,
        due_at: time::from_db(due),
        expires_at: time::from_db(expires),
        status,
        sealed_draft: draft,
        sealed_link: link,
        visit,
    }
}

macro_rules! select_request {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.practice_id, r.patient_id, r.instrument, r.requested_by, u.display_name, r.due_at, r.expires_at, r.status, r.draft, r.link_sealed, r.visit_id
 FROM measure_requests r JOIN users u ON u.id = r.requested_by ",
            $tail
        )
    };
}

async fn insert_request(c: &mut crate::conn::Conn<'_>, r: &NewRequest, now: Timestamp) -> Result<(), sqlx::Error> {
    on_conn!(c, |c| {
        sqlx::query(
            "INSERT INTO measure_requests (id, assignment_id, practice_id, patient_id, instrument, requested_by, due_at, expires_at, created_at, visit_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (assignment_id, due_at) DO NOTHING",
        )
        .bind(r.id)
        .bind(r.assignment)
        .bind(r.practice.0)
        .bind(r.patient.0)
        .bind(&r.instrument)
        .bind(r.requested_by.0)
        .bind(time::to_db(r.due_at))
        .bind(time::to_db(r.expires_at))
        .bind(time::to_db(now))
        .bind(r.visit)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Rows per multi-row statement: 10 parameters each, well under either database's limit.
const ROWS_PER_STATEMENT: usize = 500;

/// The INSERT of the issues' requests, for either database.
fn requests_insert<DB>(issues: &[Issue], now: i64) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    for<'t> Uuid: Encode<'t, DB> + Type<DB>,
    for<'t> Option<Uuid>: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
{
    let mut insert = QueryBuilder::new(
        "INSERT INTO measure_requests (id, assignment_id, practice_id, patient_id, instrument, requested_by, due_at, expires_at, created_at, visit_id) ",
    );
    insert.push_values(issues, |mut row, i| {
        let r = &i.request;
        row.push_bind(r.id)
            .push_bind(r.assignment)
            .push_bind(r.practice.0)
            .push_bind(r.patient.0)
            .push_bind(r.instrument.clone())
            .push_bind(r.requested_by.0)
            .push_bind(time::to_db(r.due_at))
            .push_bind(time::to_db(r.expires_at))
            .push_bind(now)
            .push_bind(r.visit);
    });
    insert.push(" ON CONFLICT (assignment_id, due_at) DO NOTHING");
    insert
}

/// Moves each issued assignment on to its next due time, in one UPDATE (both databases
/// name a VALUES list's columns column1, column2).
fn assignments_moved_on<DB>(issues: &[Issue]) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    for<'t> Uuid: Encode<'t, DB> + Type<DB>,
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
{
    let mut update = QueryBuilder::new("UPDATE measure_assignments SET next_due_at = v.column2, issued = issued + 1 FROM (");
    update.push_values(issues, |mut row, i| {
        row.push_bind(i.assignment).push_bind(i.next_due_at.map(time::to_db));
    });
    update.push(") AS v WHERE measure_assignments.id = v.column1");
    update
}

impl Store {
    /// Stores an assignment, the request it issues now (if any) and its effects, together.
    pub async fn add_assignment(&self, a: &NewAssignment, first: Option<&NewRequest>, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO measure_assignments (id, practice_id, patient_id, instrument, assigned_by, schedule, next_due_at, issued, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(a.id)
            .bind(a.practice.0)
            .bind(a.patient.0)
            .bind(&a.instrument)
            .bind(a.assigned_by.0)
            .bind(&a.schedule)
            .bind(a.next_due_at.map(time::to_db))
            .bind(i64::from(first.is_some()))
            .bind(time::to_db(now))
            .execute(&mut *c)
            .await?;
        });
        if let Some(r) = first {
            insert_request(&mut conn, r, now).await?;
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Active assignments whose next occurrence is due to be issued by `by`, oldest first.
    pub async fn due_assignments(&self, by: Timestamp, limit: i64) -> StoreResult<Vec<AssignmentRecord>> {
        type Row = (Uuid, Uuid, Uuid, String, Uuid, String, Option<i64>, i64, Option<String>);
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT a.id, a.practice_id, a.patient_id, a.instrument, a.assigned_by, a.schedule, a.next_due_at, a.issued,
                        COALESCE(u.time_zone, p.time_zone)
                 FROM measure_assignments a JOIN users u ON u.id = a.patient_id JOIN practices p ON p.id = a.practice_id
                 WHERE a.active = TRUE AND a.next_due_at IS NOT NULL AND a.next_due_at <= $1 AND u.active = TRUE
                 ORDER BY a.next_due_at LIMIT $2",
            )
            .bind(time::to_db(by))
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, practice, patient, instrument, by, schedule, next, issued, zone)| AssignmentRecord {
                id,
                practice: PracticeId(practice),
                patient: UserId(patient),
                instrument,
                assigned_by: UserId(by),
                schedule,
                next_due_at: next.map(time::from_db),
                issued,
                patient_zone: zone,
            })
            .collect())
    }

    /// Issues the scanned occurrences: each request, and its assignment moved on, in one
    /// transaction; a request already issued (a second instance's scan) is left alone.
    pub async fn issue_requests(&self, issues: &[Issue], effects: &Effects, now: Timestamp) -> StoreResult<()> {
        if issues.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        // Multi-row statements: a scan of thousands costs a few round trips, not thousands.
        for chunk in issues.chunks(ROWS_PER_STATEMENT) {
            on_conn!(&mut conn, |c| requests_insert(chunk, time::to_db(now)).build().execute(&mut *c).await.map(|_| ()))?;
            on_conn!(&mut conn, |c| assignments_moved_on(chunk).build().execute(&mut *c).await.map(|_| ()))?;
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A patient's requests still open at `now`, soonest due first.
    pub async fn open_requests_of(&self, patient: UserId, now: Timestamp) -> StoreResult<Vec<RequestRecord>> {
        let sql = select_request!("WHERE r.patient_id = $1 AND r.status = 'open' AND r.due_at <= $2 AND r.expires_at > $2 ORDER BY r.due_at");
        let rows: Vec<RequestRow> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(patient.0).bind(time::to_db(now)).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(request).collect())
    }

    pub async fn measure_request(&self, id: Uuid) -> StoreResult<Option<RequestRecord>> {
        let sql = select_request!("WHERE r.id = $1");
        let row: Option<RequestRow> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(request))
    }

    /// The open request an emailed link's token (its digest) opens.
    pub async fn measure_request_by_link(&self, digest: &str) -> StoreResult<Option<RequestRecord>> {
        let sql = select_request!("WHERE r.link_hash = $1");
        let row: Option<RequestRow> = on_pool!(self, read, |pool| sqlx::query_as(sql).bind(digest).fetch_optional(pool).await)?;
        Ok(row.map(request))
    }

    /// Gives an open request its link, once: `false` if it has one (or is closed).
    pub async fn set_request_link(&self, id: Uuid, digest: &str, sealed: &[u8]) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE measure_requests SET link_hash = $2, link_sealed = $3 WHERE id = $1 AND status = 'open' AND link_hash IS NULL")
                .bind(id)
                .bind(digest)
                .bind(sealed)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// The practice's measure settings.
    pub async fn measure_settings(&self, practice: PracticeId) -> StoreResult<MeasureSettings> {
        let row: Option<(bool, bool, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT checkin_links_sign_in, measures_show_patients, phq9_reliable_change FROM practices WHERE id = $1")
                .bind(practice.0)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map_or_else(MeasureSettings::default, |(links_sign_in, show_patients, phq9_reliable)| MeasureSettings {
            links_sign_in,
            show_patients,
            phq9_reliable,
        }))
    }

    pub async fn set_measure_settings(&self, practice: PracticeId, s: &MeasureSettings) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE practices SET checkin_links_sign_in = $2, measures_show_patients = $3, phq9_reliable_change = $4 WHERE id = $1")
                .bind(practice.0)
                .bind(s.links_sign_in)
                .bind(s.show_patients)
                .bind(s.phq9_reliable)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Keeps partial answers (sealed) on an open request.
    pub async fn save_draft(&self, id: Uuid, sealed: &[u8]) -> StoreResult<bool> {
        let n = on_pool!(self, write, |pool| {
            sqlx::query("UPDATE measure_requests SET draft = $2 WHERE id = $1 AND status = 'open'")
                .bind(id)
                .bind(sealed)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Stores a response with everything it brings: its request closed (only if still
    /// open: `Err(Conflict)` otherwise, and nothing is stored), its risk signal and effects.
    pub async fn save_response(&self, r: &NewResponse, signal: Option<&NewSignal>, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        if let Some(request) = r.request {
            let closed = on_conn!(&mut conn, |c| {
                sqlx::query("UPDATE measure_requests SET status = 'completed', closed_at = $2, draft = NULL WHERE id = $1 AND status = 'open'")
                    .bind(request)
                    .bind(time::to_db(now))
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
            if closed != 1 {
                return Err(StoreError::Conflict("measure_requests.status".into()));
            }
        }
        on_conn!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO measure_responses (id, request_id, practice_id, patient_id, instrument, version, answered_by, in_session,
                     total, band, risk, answers, completed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(r.id)
            .bind(r.request)
            .bind(r.practice.0)
            .bind(r.patient.0)
            .bind(&r.instrument)
            .bind(r.version)
            .bind(r.answered_by.0)
            .bind(r.in_session)
            .bind(r.total)
            .bind(&r.band)
            .bind(&r.risk)
            .bind(&r.sealed_answers)
            .bind(time::to_db(r.completed_at))
            .execute(&mut *c)
            .await?;
        });
        if let Some(s) = signal {
            on_conn!(&mut conn, |c| {
                sqlx::query(
                    "INSERT INTO risk_signals (id, practice_id, patient_id, response_id, level, instrument, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(s.id)
                .bind(r.practice.0)
                .bind(r.patient.0)
                .bind(r.id)
                .bind(&s.level)
                .bind(&r.instrument)
                .bind(time::to_db(now))
                .execute(&mut *c)
                .await?;
            });
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A patient's responses, oldest first (trends read left to right).
    pub async fn responses_of(&self, patient: UserId) -> StoreResult<Vec<ResponseRecord>> {
        type Row = (Uuid, String, Option<i64>, Option<String>, Option<String>, bool, i64, Vec<u8>);
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT id, instrument, total, band, risk, in_session, completed_at, answers FROM measure_responses
                 WHERE patient_id = $1 ORDER BY completed_at, id",
            )
            .bind(patient.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, instrument, total, band, risk, in_session, at, sealed_answers)| ResponseRecord {
                id,
                instrument,
                total,
                band,
                risk,
                in_session,
                completed_at: time::from_db(at),
                sealed_answers,
            })
            .collect())
    }

    /// Signals not yet reviewed for the patients on `clinician`'s care team, gravest and
    /// newest first.
    pub async fn open_signals_for(&self, clinician: UserId) -> StoreResult<Vec<SignalRecord>> {
        type Row = (Uuid, Uuid, String, String, String, i64);
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.patient_id, u.display_name, s.instrument, s.level, s.created_at
                 FROM risk_signals s JOIN care_team c ON c.patient_id = s.patient_id AND c.practice_id = s.practice_id
                 JOIN users u ON u.id = s.patient_id
                 WHERE c.clinician_id = $1 AND s.reviewed_at IS NULL
                 ORDER BY CASE s.level WHEN 'high' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END, s.created_at DESC",
            )
            .bind(clinician.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, patient, patient_name, instrument, level, at)| SignalRecord {
                id,
                patient: UserId(patient),
                patient_name,
                instrument,
                level,
                created_at: time::from_db(at),
            })
            .collect())
    }

    /// Marks a signal reviewed, with its audit entry; `false` when it already was.
    pub async fn review_signal(&self, id: Uuid, by: UserId, effects: &Effects, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| {
            sqlx::query("UPDATE risk_signals SET reviewed_at = $2, reviewed_by = $3 WHERE id = $1 AND reviewed_at IS NULL")
                .bind(id)
                .bind(time::to_db(now))
                .bind(by.0)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if n != 1 {
            return Ok(false);
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every scored response in the practice as (patient, instrument, total), oldest first
    /// per patient and instrument: what the outcomes page tallies.
    pub async fn practice_scores(&self, practice: PracticeId) -> StoreResult<Vec<(UserId, String, i64)>> {
        let rows: Vec<(Uuid, String, i64)> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT patient_id, instrument, total FROM measure_responses
                 WHERE practice_id = $1 AND total IS NOT NULL ORDER BY patient_id, instrument, completed_at, id",
            )
            .bind(practice.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(p, i, t)| (UserId(p), i, t)).collect())
    }

    /// Who looks after whom in the practice: (patient, clinician's name).
    pub async fn practice_care_teams(&self, practice: PracticeId) -> StoreResult<Vec<(UserId, String)>> {
        let rows: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT c.patient_id, u.display_name FROM care_team c JOIN users u ON u.id = c.clinician_id WHERE c.practice_id = $1")
                .bind(practice.0)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|(p, n)| (UserId(p), n)).collect())
    }

    /// How each patient's visits so far were held: (patient, modality) for every booked
    /// visit that has started.
    pub async fn practice_visit_modes(&self, practice: PracticeId, before: Timestamp) -> StoreResult<Vec<(UserId, String)>> {
        let rows: Vec<(Uuid, String)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT patient_id, modality FROM appointments WHERE practice_id = $1 AND status = 'booked' AND starts_at < $2")
                .bind(practice.0)
                .bind(time::to_db(before))
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|(p, m)| (UserId(p), m)).collect())
    }

    /// Scored responses not yet reviewed since `since`, for the patients on `clinician`'s
    /// care team, each with the patient's first total on the same instrument (the baseline).
    pub async fn to_review_for(&self, clinician: UserId, since: Timestamp) -> StoreResult<Vec<ToReview>> {
        type Row = (Uuid, Uuid, String, String, i64, Option<String>, i64, Option<i64>);
        let rows: Vec<Row> = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.patient_id, u.display_name, r.instrument, r.total, r.band, r.completed_at,
                        (SELECT b.total FROM measure_responses b
                          WHERE b.patient_id = r.patient_id AND b.instrument = r.instrument AND b.total IS NOT NULL
                          ORDER BY b.completed_at, b.id LIMIT 1)
                 FROM measure_responses r
                 JOIN care_team c ON c.patient_id = r.patient_id AND c.practice_id = r.practice_id
                 JOIN users u ON u.id = r.patient_id
                 WHERE c.clinician_id = $1 AND r.reviewed_at IS NULL AND r.total IS NOT NULL AND r.completed_at >= $2
                 ORDER BY r.completed_at DESC",
            )
            .bind(clinician.0)
            .bind(time::to_db(since))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, patient, patient_name, instrument, total, band, at, baseline)| ToReview {
                id,
                patient: UserId(patient),
                patient_name,
                instrument,
                total,
                band,
                completed_at: time::from_db(at),
                baseline,
            })
            .collect())
    }

    /// Marks a response reviewed, with every earlier unreviewed one of the same patient and
    /// instrument, and its effects; `None` when there is no such response.
    pub async fn review_response(&self, id: Uuid, by: UserId, effects: &Effects, now: Timestamp) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| {
            sqlx::query(
                "UPDATE measure_responses SET reviewed_at = $2, reviewed_by = $3
                 WHERE reviewed_at IS NULL AND (patient_id, instrument) IN (SELECT patient_id, instrument FROM measure_responses WHERE id = $1)
                   AND completed_at <= (SELECT completed_at FROM measure_responses WHERE id = $1)",
            )
            .bind(id)
            .bind(time::to_db(now))
            .bind(by.0)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The practice and patient of a response.
    pub async fn response_patient(&self, id: Uuid) -> StoreResult<Option<(PracticeId, UserId)>> {
        let row: Option<(Uuid, Uuid)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT practice_id, patient_id FROM measure_responses WHERE id = $1").bind(id).fetch_optional(pool).await
        })?;
        Ok(row.map(|(p, u)| (PracticeId(p), UserId(u))))
    }

    /// The patient a signal is about.
    pub async fn signal_patient(&self, id: Uuid) -> StoreResult<Option<(PracticeId, UserId)>> {
        let row: Option<(Uuid, Uuid)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT practice_id, patient_id FROM risk_signals WHERE id = $1").bind(id).fetch_optional(pool).await
        })?;
        Ok(row.map(|(p, u)| (PracticeId(p), UserId(u))))
    }
}
