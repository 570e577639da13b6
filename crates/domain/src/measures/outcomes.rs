//! Outcomes of care: for patients with a baseline and a later score, how many reliably
//! improved, recovered, stayed the same or reliably deteriorated, tallied by any grouping
//! (instrument, clinician, how care was given). Groups under ten patients are suppressed so
//! no one can be picked out.

use super::change::compare;
use super::instrument::ChangeRules;

/// Fewer patients than this in a group and its figures are not shown.
pub const MIN_GROUP: usize = 10;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub patients: usize,
    /// Reliably improved (recovered ones included).
    pub improved: usize,
    /// Reliable recovery: a case at baseline, not one now, reliably improved.
    pub recovered: usize,
    pub unchanged: usize,
    pub deteriorated: usize,
}

impl Tally {
    /// Counts one patient's baseline and latest score.
    pub fn add(&mut self, rules: &ChangeRules, reliable: i64, baseline: i64, latest: i64) {
        let p = compare(rules, reliable, baseline, latest);
        self.patients += 1;
        if p.reliably_improved {
            self.improved += 1;
        } else if p.reliably_deteriorated {
            self.deteriorated += 1;
        } else {
            self.unchanged += 1;
        }
        if p.recovered {
            self.recovered += 1;
        }
    }

    /// Whether the group is large enough to show.
    #[must_use]
    pub fn shown(&self) -> bool {
        self.patients >= MIN_GROUP
    }

    /// `part` as a whole percentage of the group.
    #[must_use]
    pub fn percent(&self, part: usize) -> usize {
        (part * 100 + self.patients / 2).checked_div(self.patients).unwrap_or(0)
    }
}

/// How care was given to a patient, from their visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareMode {
    Video,
    Phone,
    InPerson,
    /// More than one of the above.
    Mixed,
}

impl CareMode {
    /// The mode of a patient whose visits were by `modes` (any order, repeats allowed);
    /// `None` without visits.
    #[must_use]
    pub fn of(modes: &[crate::scheduling::Modality]) -> Option<Self> {
        use crate::scheduling::Modality;
        let mut seen: Vec<Modality> = modes.to_vec();
        seen.sort_by_key(|m| m.as_str());
        seen.dedup();
        match seen.as_slice() {
            [] => None,
            [Modality::Video] => Some(CareMode::Video),
            [Modality::Phone] => Some(CareMode::Phone),
            [Modality::InPerson] => Some(CareMode::InPerson),
            _ => Some(CareMode::Mixed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::builtin;
    use crate::scheduling::Modality;

    #[test]
    fn tallies_classify_each_patient_once_and_small_groups_hide() {
        let rules = builtin("phq9").unwrap().change.clone().unwrap();
        let mut t = Tally::default();
        for (b, l) in [(18, 4), (18, 11), (12, 10), (8, 15), (9, 2)] {
            t.add(&rules, 6, b, l);
        }
        assert_eq!(t, Tally { patients: 5, improved: 3, recovered: 1, unchanged: 1, deteriorated: 1 }, "9 to 2 is better, but 9 was never a case");
        assert_eq!(t.improved + t.unchanged + t.deteriorated, t.patients);
        assert!(!t.shown());
        for _ in 0..5 {
            t.add(&rules, 6, 10, 10);
        }
        assert!(t.shown());
        assert_eq!(t.percent(t.improved), 30);
    }

    #[test]
    fn care_modes_from_visits() {
        assert_eq!(CareMode::of(&[]), None);
        assert_eq!(CareMode::of(&[Modality::Video, Modality::Video]), Some(CareMode::Video));
        assert_eq!(CareMode::of(&[Modality::Phone]), Some(CareMode::Phone));
        assert_eq!(CareMode::of(&[Modality::Video, Modality::InPerson]), Some(CareMode::Mixed));
    }
}
