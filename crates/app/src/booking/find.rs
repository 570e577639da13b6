//! Finding a clinician: by where the patient will be (remote visits only with clinicians
//! licensed there), language, specialty and modality, soonest opening first.

use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_store::ClinicianProfile;
use jiff::Timestamp;

use super::{Booking, availability};
use crate::actor::Actor;
use crate::error::Result;

#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub place: String,
    pub language: String,
    pub specialty: String,
    pub modality: String,
}

pub struct Match {
    pub profile: ClinicianProfile,
    pub modalities: Vec<Modality>,
    pub soonest: Option<Timestamp>,
}

impl Booking {
    /// The clinicians of the person's practices that fit `filters`, soonest opening first.
    /// `Err(key)` names a filter that makes no sense.
    pub async fn search(&self, actor: &Actor, filters: &Filters) -> Result<Result<Vec<Match>, &'static str>> {
        let place = match filters.place.trim() {
            "" => None,
            p => match Jurisdiction::parse(p) {
                Some(j) => Some(j),
                None => return Ok(Err("booking-error-where")),
            },
        };
        let modality = match filters.modality.trim() {
            "" => None,
            m => match Modality::parse(m) {
                Some(m) => Some(m),
                None => return Ok(Err("booking-error-modality")),
            },
        };
        let mut found = Vec::new();
        for practice in actor.browsable_practices() {
            for profile in self.cx.store.clinician_profiles(practice).await? {
                if !profile.accepting {
                    continue;
                }
                if !filters.language.is_empty() && !profile.languages.contains(&filters.language) {
                    continue;
                }
                if !filters.specialty.is_empty() && !profile.specialties.iter().any(|s| s.eq_ignore_ascii_case(&filters.specialty)) {
                    continue;
                }
                let licensed = place.as_ref().is_none_or(|p| profile.licenses.contains(p));
                let visits = self.cx.store.visit_types_of(profile.user).await?;
                // Remote visits need a licence where the patient will be; in-person ones don't.
                let usable = |m: Modality| modality.is_none_or(|wanted| wanted == m) && (!m.is_remote() || licensed);
                let mut modalities: Vec<Modality> = visits.iter().flat_map(|v| v.modalities.iter().copied()).filter(|m| usable(*m)).collect();
                modalities.sort_by_key(|m| m.as_str());
                modalities.dedup();
                if modalities.is_empty() {
                    continue;
                }
                let wanted: Vec<_> = visits.iter().filter(|v| v.modalities.iter().any(|m| usable(*m))).collect();
                let soonest = availability::next_open_each(&self.cx, &profile, &wanted, 1).await?.into_iter().flatten().min();
                found.push(Match { profile, modalities, soonest });
            }
        }
        found.sort_by_key(|m| (m.soonest.is_none(), m.soonest));
        Ok(Ok(found))
    }
}
