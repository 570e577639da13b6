//! The practice's outcomes page: per instrument, of patients with a baseline and a later
//! score, the share reliably improved, recovered, unchanged and reliably deteriorated;
//! overall, per clinician and by how care was given. Only counts leave here, and groups
//! under ten patients are suppressed; viewing it is audited (with no patient named).

use std::collections::{BTreeMap, HashMap};

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::measures::outcomes::{CareMode, Tally};
use haven_domain::measures::{self, Instrument};
use haven_domain::scheduling::Modality;
use haven_domain::{Role, UserId};

use super::{Measures, reliable_change};
use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::{Error, Result};

/// One row of an instrument's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    Everyone,
    Clinician(String),
    Mode(CareMode),
}

pub struct InstrumentOutcomes {
    pub instrument: &'static Instrument,
    pub rows: Vec<(Group, Tally)>,
}

impl Measures {
    /// The outcomes of the practice `actor` runs or works in (admins and clinicians).
    pub async fn outcomes(&self, actor: &Actor) -> Result<Vec<InstrumentOutcomes>> {
        let practice =
            actor.user.memberships.iter().find(|(_, r)| matches!(r, Role::Admin | Role::Clinician)).map(|(p, _)| *p).ok_or(Error::Forbidden)?;
        let store = &self.cx.store;
        let settings = store.measure_settings(practice).await?;
        let scores = store.practice_scores(practice).await?;
        let mut teams: HashMap<UserId, Vec<String>> = HashMap::new();
        for (patient, clinician) in store.practice_care_teams(practice).await? {
            teams.entry(patient).or_default().push(clinician);
        }
        let mut visits: HashMap<UserId, Vec<Modality>> = HashMap::new();
        for (patient, mode) in store.practice_visit_modes(practice, self.cx.now()).await? {
            if let Some(m) = Modality::parse(&mode) {
                visits.entry(patient).or_default().push(m);
            }
        }
        // Baseline and latest per patient and instrument (scores come oldest first).
        let mut firsts_lasts: BTreeMap<(String, UserId), (i64, i64, usize)> = BTreeMap::new();
        for (patient, instrument, total) in scores {
            firsts_lasts.entry((instrument, patient)).and_modify(|e| (e.1, e.2) = (total, e.2 + 1)).or_insert((total, total, 1));
        }
        let mut out = Vec::new();
        for instrument in measures::builtins() {
            let Some(rules) = &instrument.change else { continue };
            let reliable = reliable_change(instrument, &settings);
            let mut everyone = Tally::default();
            let mut by_clinician: BTreeMap<String, Tally> = BTreeMap::new();
            let mut by_mode: BTreeMap<CareMode, Tally> = BTreeMap::new();
            for ((key, patient), (baseline, latest, count)) in &firsts_lasts {
                if key != &instrument.key || *count < 2 {
                    continue;
                }
                everyone.add(rules, reliable, *baseline, *latest);
                for name in teams.get(patient).into_iter().flatten() {
                    by_clinician.entry(name.clone()).or_default().add(rules, reliable, *baseline, *latest);
                }
                if let Some(mode) = visits.get(patient).and_then(|v| CareMode::of(v)) {
                    by_mode.entry(mode).or_default().add(rules, reliable, *baseline, *latest);
                }
            }
            if everyone.patients == 0 {
                continue;
            }
            let mut rows = vec![(Group::Everyone, everyone)];
            rows.extend(by_clinician.into_iter().map(|(n, t)| (Group::Clinician(n), t)));
            rows.extend(by_mode.into_iter().map(|(m, t)| (Group::Mode(m), t)));
            out.push(InstrumentOutcomes { instrument, rows });
        }
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: None,
            action: AuditAction::Read,
            category: DataCategory::Clinical,
            outcome: Outcome::Success,
        };
        self.cx.record(actor, entry).await?;
        Ok(out)
    }
}
