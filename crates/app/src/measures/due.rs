//! The due scan: issues every assignment occurrence that has come due, with its mail, in
//! batches, each batch in one transaction. Runs every minute on every instance; a request
//! is unique per assignment and due time (and a mail job per request), so two instances
//! scanning at once issue it once.

use std::time::Duration;

use haven_domain::measures::Schedule;
use haven_store::{Effects, Issue, NewRequest};
use jiff::Timestamp;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::{OPEN_FOR, notice};
use crate::context::Ctx;
use crate::error::Result;

const BATCH: i64 = 500;
const EVERY: Duration = Duration::from_secs(60);

/// Scans every minute until the server stops.
#[must_use]
pub fn spawn(cx: Ctx) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            match scan(&cx, cx.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(issued = n, "issued due check-ins"),
                Err(crate::Error::Unavailable(_)) => {}
                Err(e) => tracing::warn!(error = %e, "issuing due check-ins failed"),
            }
        }
    })
}

/// Issues what is due by `now`; returns how many requests were issued.
pub async fn scan(cx: &Ctx, now: Timestamp) -> Result<usize> {
    let store = &cx.store;
    let mut issued = 0;
    loop {
        let due = store.due_assignments(now, BATCH).await?;
        if due.is_empty() {
            return Ok(issued);
        }
        let mut issues = Vec::with_capacity(due.len());
        for a in &due {
            let (Some(due_at), Ok(schedule)) = (a.next_due_at, serde_json::from_str::<Schedule>(&a.schedule)) else { continue };
            let tz = a.patient_zone.as_deref().and_then(crate::when::zone).unwrap_or(jiff::tz::TimeZone::UTC);
            issues.push(Issue {
                assignment: a.id,
                request: NewRequest {
                    id: Uuid::now_v7(),
                    assignment: Some(a.id),
                    practice: a.practice,
                    patient: a.patient,
                    instrument: a.instrument.clone(),
                    requested_by: a.assigned_by,
                    due_at,
                    expires_at: due_at.checked_add(OPEN_FOR).unwrap_or(due_at),
                    visit: None,
                },
                // Occurrences missed while Haven was down are not piled up: the next is the
                // first still ahead.
                next_due_at: schedule.next_after(&tz, Some(due_at.max(now))).map(|(_, at)| at),
            });
        }
        let n = issues.len();
        let mut effects = Effects::default();
        for i in &issues {
            effects.jobs.extend(notice::jobs(cx, i.request.id, i.request.due_at, i.request.expires_at)?);
        }
        store.issue_requests(&issues, &effects, now).await?;
        cx.queue.kick();
        issued += n;
        // A short batch was the last; one with an unreadable schedule left in it would come back.
        if n < due.len() || due.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            return Ok(issued);
        }
    }
}
