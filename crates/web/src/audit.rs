//! Writing audit entries from request handlers. An action whose entry can't be written
//! doesn't happen: the error propagates and the person sees a failure, never a silent gap.

use std::net::SocketAddr;

use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_domain::{PracticeId, UserId};

use crate::error::AppError;
use crate::state::AppState;

pub struct Entry {
    pub actor: Option<UserId>,
    pub practice: Option<PracticeId>,
    pub patient: Option<UserId>,
    pub action: AuditAction,
    pub category: DataCategory,
    pub outcome: Outcome,
}

impl Entry {
    /// An account event (sign-in, sign-out) by or about `actor`.
    #[must_use]
    pub fn account(actor: Option<UserId>, action: AuditAction, outcome: Outcome) -> Self {
        Self { actor, practice: None, patient: None, action, category: DataCategory::Account, outcome }
    }
}

/// The full event for `entry`, now, from `source`: for store calls that write the entry in
/// the same transaction as the change it records.
#[must_use]
pub fn event(state: &AppState, source: SocketAddr, entry: Entry) -> AuditEvent {
    AuditEvent {
        at: state.clock.now(),
        actor: entry.actor,
        practice: entry.practice,
        patient: entry.patient,
        action: entry.action,
        category: entry.category,
        source: Some(source.ip().to_string()),
        outcome: entry.outcome,
    }
}

/// Writes one entry in its own transaction.
pub async fn record(state: &AppState, source: SocketAddr, entry: Entry) -> Result<i64, AppError> {
    Ok(state.store.append_audit(&event(state, source, entry)).await?)
}

/// Writes several entries in one transaction (one disk sync, not one per entry).
pub async fn record_all(state: &AppState, source: SocketAddr, entries: Vec<Entry>) -> Result<(), AppError> {
    let events: Vec<AuditEvent> = entries.into_iter().map(|e| event(state, source, e)).collect();
    Ok(state.store.append_audits(&events).await?)
}
