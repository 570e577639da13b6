//! The audit trail's entries and the hash chain that makes tampering evident.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so changing,
//! removing or reordering any entry breaks every hash after it, and verification names the
//! first entry that no longer fits.

use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use crate::{PracticeId, UserId};

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            #[must_use]
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

text_enum!(
    /// What happened.
    AuditAction {
        SignIn => "sign-in",
        SignInFailed => "sign-in-failed",
        SignOut => "sign-out",
        Read => "read",
        Create => "create",
        Update => "update",
        Export => "export",
        PermissionChange => "permission-change",
        AccessDenied => "access-denied",
        BreakGlass => "break-glass",
    }
);

text_enum!(
    /// What kind of data it touched.
    DataCategory {
        Account => "account",
        Demographics => "demographics",
        Clinical => "clinical",
        Messages => "messages",
        Appointments => "appointments",
        AuditTrail => "audit-trail",
        Visits => "visits",
    }
);

text_enum!(
    Outcome {
        Success => "success",
        Denied => "denied",
        Failure => "failure",
    }
);

/// One event, before it has a place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: Timestamp,
    /// Who acted; `None` for an anonymous attempt.
    pub actor: Option<UserId>,
    pub practice: Option<PracticeId>,
    /// Whose record it concerns, if a patient's.
    pub patient: Option<UserId>,
    pub action: AuditAction,
    pub category: DataCategory,
    /// The client's address (or `cli` for operator commands).
    pub source: Option<String>,
    pub outcome: Outcome,
}

/// The hash of entry `seq` holding `event`, chained from `prev_hash`. Fields are
/// length-prefixed so that no two different entries serialise alike.
#[must_use]
pub fn entry_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let id = |v: Option<uuid::Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
    let fields = [
        seq.to_string(),
        event.at.as_microsecond().to_string(),
        id(event.actor.map(|a| a.0)),
        id(event.practice.map(|p| p.0)),
        id(event.patient.map(|p| p.0)),
        event.action.as_str().to_owned(),
        event.category.as_str().to_owned(),
        event.source.clone().unwrap_or_default(),
        event.outcome.as_str().to_owned(),
        prev_hash.to_owned(),
    ];
    let mut hasher = Sha256::new();
    for field in &fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> AuditEvent {
        AuditEvent {
            at: "2026-04-01T09:00:00Z".parse().unwrap(),
            actor: Some(UserId::new()),
            practice: None,
            patient: None,
            action: AuditAction::SignIn,
            category: DataCategory::Account,
            source: Some("127.0.0.1".into()),
            outcome: Outcome::Success,
        }
    }

    #[test]
    fn every_field_and_the_chain_change_the_hash() {
        let e = event();
        let base = entry_hash(GENESIS, 1, &e);
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry_hash(GENESIS, 1, &e), "deterministic");
        assert_ne!(base, entry_hash(&base, 1, &e), "previous hash");
        assert_ne!(base, entry_hash(GENESIS, 2, &e), "position");
        let mut changed = e.clone();
        changed.outcome = Outcome::Denied;
        assert_ne!(base, entry_hash(GENESIS, 1, &changed));
        let mut changed = e.clone();
        changed.source = Some("127.0.0.2".into());
        assert_ne!(base, entry_hash(GENESIS, 1, &changed));
    }

    #[test]
    fn names_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
        }
        for c in DataCategory::ALL {
            assert_eq!(DataCategory::parse(c.as_str()), Some(*c));
        }
    }
}
