//! Reading the audit trail: patients see who accessed their record; admins search,
//! verify and export their practice's trail.

pub mod admin;
pub mod mine;

use std::collections::HashMap;

use haven_domain::UserId;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::AuditRecord;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::state::AppState;

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

fn action_key(action: AuditAction) -> String {
    format!("audit-action-{}", action.as_str())
}

fn category_key(category: DataCategory) -> String {
    format!("audit-category-{}", category.as_str())
}

fn outcome_key(outcome: Outcome) -> String {
    format!("audit-outcome-{}", outcome.as_str())
}

/// Entries with names and translated words in place of ids and codes.
pub async fn rows(state: &AppState, chrome: &Chrome, records: &[AuditRecord]) -> Result<Vec<Row>, AppError> {
    let ids: Vec<UserId> = records.iter().flat_map(|r| r.event.actor.into_iter().chain(r.event.patient)).collect();
    let names: HashMap<UserId, String> = state.store.display_names(&ids).await?;
    let name = |id: Option<UserId>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| chrome.t("audit-nobody"));
    Ok(records
        .iter()
        .map(|r| Row {
            when: r.event.at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: name(r.event.actor),
            patient: r.event.patient.map(|_| name(r.event.patient)).unwrap_or_default(),
            action: chrome.t(&action_key(r.event.action)),
            category: chrome.t(&category_key(r.event.category)),
            outcome: chrome.t(&outcome_key(r.event.outcome)),
            source: r.event.source.clone().unwrap_or_default(),
        })
        .collect())
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
}
