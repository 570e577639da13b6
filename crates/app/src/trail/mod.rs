//! Reading the audit trail: patients see who accessed their record; admins search, verify
//! and export their practice's trail (exports after re-entering the password).

use std::collections::HashMap;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, PracticeId, Role, UserId};
use haven_store::{AuditFilter, AuditRecord, ChainReport};
use jiff::Timestamp;

use crate::actor::Actor;
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub struct Trail {
    cx: Ctx,
}

/// Who did something, as a patient's own access log names them. Never another patient: an
/// entry another patient caused (a refused attempt on this record) says only "someone else".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accessor {
    You,
    Staff {
        name: String,
        role: Role,
    },
    SomeoneElse,
    /// Haven itself (a job, the system).
    Haven,
}

/// One entry of a patient's access log.
pub struct Accessed {
    pub record: AuditRecord,
    pub who: Accessor,
}

/// The admin's filters as typed.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub person: String,
    pub patient: String,
    pub action: String,
    pub from: String,
    pub until: String,
    /// The page: entries older than this sequence number (empty: the newest).
    pub before: String,
}

/// Entries with the names of the people they mention.
pub struct Named {
    pub records: Vec<AuditRecord>,
    pub names: HashMap<UserId, String>,
}

#[must_use]
pub fn action_key(action: AuditAction) -> String {
    format!("audit-action-{}", action.as_str())
}

#[must_use]
pub fn category_key(category: DataCategory) -> String {
    format!("audit-category-{}", category.as_str())
}

#[must_use]
pub fn outcome_key(outcome: Outcome) -> String {
    format!("audit-outcome-{}", outcome.as_str())
}

/// A `YYYY-MM-DD` date as the start of that UTC day.
fn day(text: &str) -> Result<Option<Timestamp>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = text.trim().parse().map_err(|_| ())?;
    date.to_zoned(jiff::tz::TimeZone::UTC).map(|z| Some(z.timestamp())).map_err(|_| ())
}

fn practice_of(actor: &Actor) -> Result<PracticeId> {
    actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(Error::Forbidden)
}

impl Trail {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }

    async fn named(&self, records: Vec<AuditRecord>) -> Result<Named> {
        let ids: Vec<UserId> = records.iter().flat_map(|r| r.event.actor.into_iter().chain(r.event.patient)).collect();
        let names = self.cx.store.display_names(&ids).await?;
        Ok(Named { records, names })
    }

    /// The patient's own record's accesses, newest first (their reading is audited), each
    /// naming who: the patient, staff by name and role, or "someone else".
    pub async fn mine(&self, actor: &Actor, limit: i64) -> Result<Vec<Accessed>> {
        let filter = AuditFilter { patient: Some(actor.id()), limit, ..AuditFilter::default() };
        let records = self.cx.store.audit_entries(&filter).await?;
        let entry = Entry {
            actor: Some(actor.id()),
            practice: None,
            patient: Some(actor.id()),
            action: AuditAction::Read,
            category: DataCategory::AuditTrail,
            outcome: Outcome::Success,
        };
        self.cx.record(actor, entry).await?;
        let mut people: HashMap<UserId, Accessor> = HashMap::new();
        for id in records.iter().filter_map(|r| r.event.actor) {
            if people.contains_key(&id) {
                continue;
            }
            let who = if id == actor.id() {
                Accessor::You
            } else {
                match self.cx.store.user(id).await? {
                    // A clinician who also runs the practice reads records as a clinician.
                    Some(user) => match [Role::Clinician, Role::Admin].into_iter().find(|r| user.has_role(*r)) {
                        Some(role) => Accessor::Staff { name: user.display_name, role },
                        None => Accessor::SomeoneElse,
                    },
                    None => Accessor::SomeoneElse,
                }
            };
            people.insert(id, who);
        }
        Ok(records
            .into_iter()
            .map(|record| {
                let who = record.event.actor.and_then(|id| people.get(&id).cloned()).unwrap_or(Accessor::Haven);
                Accessed { record, who }
            })
            .collect())
    }

    /// The account an email names, for a filter; an error key when there is none.
    async fn person(&self, text: &str) -> Result<Result<Option<UserId>, &'static str>> {
        if text.trim().is_empty() {
            return Ok(Ok(None));
        }
        let Ok(email) = Email::parse(text) else { return Ok(Err("audit-error-person")) };
        Ok(match self.cx.store.user_by_email(&email).await? {
            Some(user) => Ok(Some(user.id)),
            None => Err("audit-error-person"),
        })
    }

    async fn filter(&self, practice: PracticeId, f: &Filters, limit: i64) -> Result<Result<AuditFilter, &'static str>> {
        let actor = match self.person(&f.person).await? {
            Ok(id) => id,
            Err(key) => return Ok(Err(key)),
        };
        let patient = match self.person(&f.patient).await? {
            Ok(id) => id,
            Err(key) => return Ok(Err(key)),
        };
        let (Ok(from), Ok(until)) = (day(&f.from), day(&f.until)) else { return Ok(Err("audit-error-date")) };
        if let (Some(from), Some(until)) = (from, until)
            && from > until
        {
            return Ok(Err("audit-error-reversed"));
        }
        // "Until" includes that whole day.
        let until = until.and_then(|t| t.checked_add(jiff::SignedDuration::from_hours(24)).ok());
        let action = if f.action.is_empty() { None } else { AuditAction::parse(&f.action) };
        let before = f.before.trim().parse::<i64>().ok().filter(|b| *b > 0);
        Ok(Ok(AuditFilter { practice: Some(practice), actor, patient, action, from, until, before, limit }))
    }

    /// The admin's practice's entries matching `f`, newest first.
    pub async fn search(&self, actor: &Actor, f: &Filters, limit: i64) -> Result<Result<Named, &'static str>> {
        let practice = practice_of(actor)?;
        let filter = match self.filter(practice, f, limit).await? {
            Ok(filter) => filter,
            Err(key) => return Ok(Err(key)),
        };
        Ok(Ok(self.named(self.cx.store.audit_entries(&filter).await?).await?))
    }

    pub async fn verify(&self) -> Result<ChainReport> {
        Ok(self.cx.store.verify_audit_chain().await?)
    }

    /// The entries matching `f` for a CSV export, after checking the password (`None` when
    /// it is wrong); the export itself is audited.
    pub async fn export(
        &self,
        actor: &Actor,
        identity: &crate::identity::Identity,
        password: String,
        f: &Filters,
    ) -> Result<Option<Result<Named, &'static str>>> {
        let practice = practice_of(actor)?;
        if !identity.password_matches(actor.id(), password).await? {
            return Ok(None);
        }
        let filter = match self.filter(practice, f, 100_000).await? {
            Ok(filter) => filter,
            Err(key) => return Ok(Some(Err(key))),
        };
        let named = self.named(self.cx.store.audit_entries(&filter).await?).await?;
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: filter.patient,
            action: AuditAction::Export,
            category: DataCategory::AuditTrail,
            outcome: Outcome::Success,
        };
        self.cx.record(actor, entry).await?;
        Ok(Some(Ok(named)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::all_message_ids;

    #[test]
    fn every_action_category_and_outcome_has_words() {
        let en = &all_message_ids()[0].1;
        let mut keys: Vec<String> = AuditAction::ALL.iter().map(|a| action_key(*a)).collect();
        keys.extend(DataCategory::ALL.iter().map(|c| category_key(*c)));
        keys.extend(Outcome::ALL.iter().map(|o| outcome_key(*o)));
        for key in keys {
            assert!(en.contains(&key), "missing translation: {key}");
        }
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(day("2026-03-08").unwrap().unwrap().to_string(), "2026-03-08T00:00:00Z");
        assert!(day("").unwrap().is_none());
        assert!(day("08/03/2026").is_err());
    }
}
