//! Change between a baseline and a later score: reliable improvement or deterioration
//! (larger than the instrument's measurement noise), response (half the baseline gone),
//! remission and recovery. The same rules serve the chart's markers and the outcomes page.

use super::instrument::{ChangeRules, Direction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Better by at least the reliable-change threshold.
    pub reliably_improved: bool,
    /// Worse by at least the reliable-change threshold.
    pub reliably_deteriorated: bool,
    /// At least half the baseline's severity gone (lower-is-better scales only).
    pub response: bool,
    /// Below the remission threshold now.
    pub remission: bool,
    /// A case at baseline and not a case now, with reliable improvement (NHS "reliable recovery").
    pub recovered: bool,
}

/// How `later` compares with `baseline` under `rules`. `reliable` may be a practice's own
/// threshold (5 for PHQ-9) in place of the instrument's.
#[must_use]
pub fn compare(rules: &ChangeRules, reliable: i64, baseline: i64, later: i64) -> Progress {
    let better_by = match rules.direction {
        Direction::LowerBetter => baseline - later,
        Direction::HigherBetter => later - baseline,
    };
    let reliable = reliable.max(1);
    let reliably_improved = better_by >= reliable;
    let response = rules.direction == Direction::LowerBetter && baseline > 0 && 2 * (baseline - later) >= baseline;
    let remission = rules.remission_below.is_some_and(|r| later < r);
    let recovered = rules.caseness_at_least.is_some_and(|c| baseline >= c && later < c) && reliably_improved;
    Progress { reliably_improved, reliably_deteriorated: -better_by >= reliable, response, remission, recovered }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::measures::builtin;

    fn phq9() -> ChangeRules {
        builtin("phq9").unwrap().change.clone().unwrap()
    }

    #[test]
    fn phq9_thresholds() {
        let r = phq9();
        let p = compare(&r, 6, 18, 12);
        assert!(p.reliably_improved && !p.reliably_deteriorated && !p.response && !p.remission && !p.recovered);
        let p = compare(&r, 6, 18, 13);
        assert!(!p.reliably_improved, "5 points is within noise at the default threshold");
        assert!(compare(&r, 5, 18, 13).reliably_improved, "a practice may set 5");
        let p = compare(&r, 6, 18, 4);
        assert!(p.reliably_improved && p.response && p.remission && p.recovered);
        let p = compare(&r, 6, 8, 14);
        assert!(p.reliably_deteriorated && !p.reliably_improved);
        // Below caseness at baseline: getting better is not "recovery".
        assert!(!compare(&r, 6, 9, 2).recovered);
    }

    #[test]
    fn who5_is_better_upwards() {
        let r = builtin("who5").unwrap().change.clone().unwrap();
        assert!(compare(&r, 10, 40, 52).reliably_improved);
        assert!(compare(&r, 10, 52, 40).reliably_deteriorated);
    }

    proptest! {
        /// Going from a to b is reliable improvement exactly when b to a is reliable deterioration.
        #[test]
        fn change_rules_are_symmetric(a in 0i64..=27, b in 0i64..=27, reliable in 1i64..=10) {
            let r = phq9();
            let there = compare(&r, reliable, a, b);
            let back = compare(&r, reliable, b, a);
            prop_assert_eq!(there.reliably_improved, back.reliably_deteriorated);
            prop_assert_eq!(there.reliably_deteriorated, back.reliably_improved);
            prop_assert!(!(there.reliably_improved && there.reliably_deteriorated));
        }
    }
}
