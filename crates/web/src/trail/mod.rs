//! Reading the audit trail: patients see who accessed their record; admins search, verify
//! and export their practice's trail.

pub mod admin;
pub mod mine;

use haven_app::trail::{Named, action_key, category_key, outcome_key};

use crate::chrome::Chrome;

/// One entry as people read it.
pub struct Row {
    pub when: String,
    pub actor: String,
    pub patient: String,
    pub action: String,
    pub category: String,
    pub outcome: String,
    pub source: String,
}

/// Entries with names and translated words in place of ids and codes.
#[must_use]
pub fn rows(chrome: &Chrome, named: &Named, tz: &jiff::tz::TimeZone) -> Vec<Row> {
    let name = |id: Option<haven_domain::UserId>| id.and_then(|i| named.names.get(&i).cloned()).unwrap_or_else(|| chrome.t("audit-nobody"));
    named
        .records
        .iter()
        .map(|r| Row {
            when: haven_app::when::stamp_label(chrome.lang(), r.event.at, tz),
            actor: name(r.event.actor),
            patient: r.event.patient.map(|_| name(r.event.patient)).unwrap_or_default(),
            action: chrome.t(&action_key(r.event.action)),
            category: chrome.t(&category_key(r.event.category)),
            outcome: chrome.t(&outcome_key(r.event.outcome)),
            source: r.event.source.clone().unwrap_or_default(),
        })
        .collect()
}
