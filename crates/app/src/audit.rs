//! Building audit entries. An action whose entry can't be written doesn't happen: callers
//! write entries with the change they record (in its transaction) or before answering.

use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_domain::{PracticeId, UserId};
use jiff::Timestamp;

use crate::actor::Actor;

/// An entry before its time and source are known.
#[derive(Debug, Clone)]
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

    /// `actor` did `action` to `patient`'s data of `category` in `practice`.
    #[must_use]
    pub fn about(actor: &Actor, practice: Option<PracticeId>, patient: UserId, category: DataCategory, action: AuditAction) -> Self {
        let outcome = if action == AuditAction::AccessDenied { Outcome::Denied } else { Outcome::Success };
        Self { actor: Some(actor.id()), practice, patient: Some(patient), action, category, outcome }
    }

    /// About `patient`, by nobody signed in (an emailed link, a job).
    #[must_use]
    pub fn about_patient(practice: PracticeId, patient: UserId, category: DataCategory, action: AuditAction) -> Self {
        Self { actor: None, practice: Some(practice), patient: Some(patient), action, category, outcome: Outcome::Success }
    }

    /// The full event, at `at`, from `source` (an address, or a name such as "job").
    #[must_use]
    pub fn at(self, at: Timestamp, source: Option<String>) -> AuditEvent {
        AuditEvent {
            at,
            actor: self.actor,
            practice: self.practice,
            patient: self.patient,
            action: self.action,
            category: self.category,
            source,
            outcome: self.outcome,
        }
    }
}
