//! Who may open a patient's chart: the rule itself, free of I/O, so it is tested alone.

/// Why a chart may be opened, or that it may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartAccess {
    /// A clinician on the patient's care team.
    CareTeam,
    /// Emergency access: a designated person gave a reason; it expires and is audited.
    BreakGlass,
    Denied,
}

/// What is known about the viewer and the patient for one request.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChartFacts {
    /// The viewer is a clinician in the patient's practice.
    pub clinician_in_practice: bool,
    pub on_care_team: bool,
    /// An unexpired break-glass grant for this viewer and patient exists.
    pub break_glass_grant: bool,
}

/// Care team first; otherwise only a live break-glass grant. Admins, other clinicians and
/// other patients are denied: admins manage accounts but read no clinical content.
#[must_use]
pub fn chart_access(facts: ChartFacts) -> ChartAccess {
    if facts.clinician_in_practice && facts.on_care_team {
        ChartAccess::CareTeam
    } else if facts.break_glass_grant {
        ChartAccess::BreakGlass
    } else {
        ChartAccess::Denied
    }
}

/// A break-glass reason must say something: at least this many characters.
pub const MIN_REASON_CHARS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_care_team_or_a_live_grant_opens_a_chart() {
        let team = ChartFacts { clinician_in_practice: true, on_care_team: true, break_glass_grant: false };
        assert_eq!(chart_access(team), ChartAccess::CareTeam);
        let other = ChartFacts { clinician_in_practice: true, ..ChartFacts::default() };
        assert_eq!(chart_access(other), ChartAccess::Denied);
        let stale_team = ChartFacts { clinician_in_practice: false, on_care_team: true, break_glass_grant: false };
        assert_eq!(chart_access(stale_team), ChartAccess::Denied, "a care-team row without the clinician role");
        let glass = ChartFacts { break_glass_grant: true, ..ChartFacts::default() };
        assert_eq!(chart_access(glass), ChartAccess::BreakGlass);
        assert_eq!(chart_access(ChartFacts::default()), ChartAccess::Denied);
    }
}
