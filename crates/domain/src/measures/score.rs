//! Answers to a score: which items must be answered, the total on the reported scale, its
//! band, the risk level, and whether the answers call for someone to look today.

use std::collections::BTreeMap;

use super::instrument::{Instrument, RiskLevel};

/// Item id → the chosen option's value.
pub type Answers = BTreeMap<String, i64>;

/// What is wrong with one item's answer; the form names each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required item that is asked was left blank.
    Missing(String),
    /// A value that is not one of the item's options, or an answer to an item not asked.
    Invalid(String),
}

impl Problem {
    #[must_use]
    pub fn item(&self) -> &str {
        match self {
            Problem::Missing(i) | Problem::Invalid(i) => i,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The reported total (raw sum × multiplier); `None` when nothing is scored.
    pub total: Option<i64>,
    /// The band's key.
    pub band: Option<String>,
    /// The instrument's risk level (the C-SSRS screener's low / moderate / high).
    pub risk: Option<RiskLevel>,
    /// Set when the answers need a clinician today (PHQ-9 item 9 above 0, any C-SSRS yes).
    pub signal: Option<RiskLevel>,
    /// The answers kept: only items that were asked.
    pub answers: Answers,
}

/// Scores `answers`. Answers to items that are not asked (a C-SSRS follow-up after "no")
/// are dropped rather than refused: a form without JavaScript shows every question, and a
/// patient who answers one they could skip has done nothing wrong.
pub fn score(instrument: &Instrument, answers: &Answers) -> Result<Scored, Vec<Problem>> {
    let mut problems = Vec::new();
    for (id, value) in answers {
        match instrument.item(id) {
            Some(item) if instrument.options_of(item).iter().any(|o| o.value == *value) => {}
            _ => problems.push(Problem::Invalid(id.clone())),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let kept: Answers =
        answers.iter().filter(|(id, _)| instrument.item(id).is_some_and(|i| instrument.is_asked(i, answers))).map(|(k, v)| (k.clone(), *v)).collect();
    for item in &instrument.items {
        if item.required && instrument.is_asked(item, &kept) && !kept.contains_key(&item.id) {
            problems.push(Problem::Missing(item.id.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let scored: Vec<i64> = instrument.items.iter().filter(|i| i.scored).filter_map(|i| kept.get(&i.id).copied()).collect();
    let total = instrument.max_total().map(|_| scored.iter().sum::<i64>() * instrument.multiplier);
    let band = total.and_then(|t| instrument.band_of(t)).map(|b| b.key.clone());
    let risk = instrument.risk_levels.iter().find(|r| r.when_any.iter().any(|c| c.holds(&kept))).map(|r| r.level);
    let signal = instrument
        .signals
        .iter()
        .filter(|s| s.when_any.iter().any(|c| c.holds(&kept)))
        .filter_map(|s| if s.level == "from_risk" { risk.or(Some(RiskLevel::Low)) } else { RiskLevel::parse(&s.level) })
        .max();
    Ok(Scored { total, band, risk, signal, answers: kept })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::measures::builtin;

    /// Item answers as written in a table row.
    type Given<'a> = &'a [(&'a str, i64)];

    fn answers(pairs: Given<'_>) -> Answers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    fn all(n: usize, value: i64) -> Answers {
        (1..=n).map(|i| (i.to_string(), value)).collect()
    }

    /// Published examples: the PHQ-9 and GAD-7 scoring cards' band edges.
    #[test]
    fn phq9_and_gad7_totals_fall_in_the_published_bands() {
        let phq9 = builtin("phq9").unwrap();
        let cases: &[(Given<'_>, i64, &str)] = &[
            (&[("1", 0), ("2", 0), ("3", 0), ("4", 0), ("5", 0), ("6", 0), ("7", 0), ("8", 0), ("9", 0)], 0, "minimal"),
            (&[("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 0), ("6", 0), ("7", 0), ("8", 0), ("9", 0)], 4, "minimal"),
            (&[("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 1), ("6", 0), ("7", 0), ("8", 0), ("9", 0)], 5, "mild"),
            (&[("1", 2), ("2", 2), ("3", 2), ("4", 2), ("5", 1), ("6", 1), ("7", 0), ("8", 0), ("9", 0)], 10, "moderate"),
            (&[("1", 3), ("2", 3), ("3", 2), ("4", 2), ("5", 2), ("6", 2), ("7", 1), ("8", 0), ("9", 0)], 15, "moderately_severe"),
            (&[("1", 3), ("2", 3), ("3", 3), ("4", 3), ("5", 2), ("6", 2), ("7", 2), ("8", 2), ("9", 0)], 20, "severe"),
            (&[("1", 3), ("2", 3), ("3", 3), ("4", 3), ("5", 3), ("6", 3), ("7", 3), ("8", 3), ("9", 3)], 27, "severe"),
        ];
        for (given, total, band) in cases {
            let s = score(phq9, &answers(given)).unwrap();
            assert_eq!((s.total, s.band.as_deref()), (Some(*total), Some(*band)), "{given:?}");
        }
        let gad7 = builtin("gad7").unwrap();
        for (value_sum, band) in
            [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe"), (21, "severe")]
        {
            let mut a = all(7, 0);
            let mut left = value_sum;
            for i in 1..=7 {
                let v = left.min(3);
                a.insert(i.to_string(), v);
                left -= v;
            }
            let s = score(gad7, &a).unwrap();
            assert_eq!((s.total, s.band.as_deref()), (Some(value_sum), Some(band)));
        }
    }

    #[test]
    fn item_9_above_0_signals_whatever_the_total() {
        let phq9 = builtin("phq9").unwrap();
        let mut a = all(9, 0);
        a.insert("9".into(), 1);
        let s = score(phq9, &a).unwrap();
        assert_eq!((s.total, s.band.as_deref(), s.signal), (Some(1), Some("minimal"), Some(RiskLevel::High)));
        assert_eq!(score(phq9, &all(9, 2).into_iter().map(|(k, v)| (k.clone(), if k == "9" { 0 } else { v })).collect()).unwrap().signal, None);
    }

    #[test]
    fn missing_and_invalid_answers_are_named() {
        let phq9 = builtin("phq9").unwrap();
        let mut a = all(9, 1);
        a.remove("4");
        a.remove("7");
        assert_eq!(score(phq9, &a).unwrap_err(), vec![Problem::Missing("4".into()), Problem::Missing("7".into())]);
        let mut b = all(9, 1);
        b.insert("3".into(), 4);
        b.insert("99".into(), 0);
        assert_eq!(score(phq9, &b).unwrap_err(), vec![Problem::Invalid("3".into()), Problem::Invalid("99".into())]);
        // The difficulty question is optional, and only asked once something is checked.
        assert!(score(phq9, &all(9, 1)).is_ok());
        let s =
            score(phq9, &answers(&[("1", 0), ("2", 0), ("3", 0), ("4", 0), ("5", 0), ("6", 0), ("7", 0), ("8", 0), ("9", 0), ("10", 2)])).unwrap();
        assert!(!s.answers.contains_key("10"), "not asked when nothing was checked, so not kept");
    }

    /// The Columbia screener's triage, with its skip logic: Q3–Q5 only after a yes to Q2,
    /// the "past 3 months" question only after a yes to Q6.
    #[test]
    fn cssrs_screener_triage_and_skip_logic() {
        let c = builtin("cssrs").unwrap();
        let cases: &[(Given<'_>, Option<RiskLevel>)] = &[
            (&[("1", 0), ("2", 0), ("6", 0)], None),
            (&[("1", 1), ("2", 0), ("6", 0)], Some(RiskLevel::Low)),
            (&[("1", 1), ("2", 1), ("3", 0), ("4", 0), ("5", 0), ("6", 0)], Some(RiskLevel::Low)),
            (&[("1", 1), ("2", 1), ("3", 1), ("4", 0), ("5", 0), ("6", 0)], Some(RiskLevel::Moderate)),
            (&[("1", 0), ("2", 0), ("6", 1), ("6b", 0)], Some(RiskLevel::Moderate)),
            (&[("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 0), ("6", 0)], Some(RiskLevel::High)),
            (&[("1", 1), ("2", 1), ("3", 0), ("4", 0), ("5", 1), ("6", 0)], Some(RiskLevel::High)),
            (&[("1", 0), ("2", 0), ("6", 1), ("6b", 1)], Some(RiskLevel::High)),
        ];
        for (given, level) in cases {
            let s = score(c, &answers(given)).unwrap();
            assert_eq!((s.total, s.risk, s.signal), (None, *level, *level), "{given:?}");
        }
        // Q3–Q5 are required once Q2 is yes, and 6b once Q6 is yes.
        assert_eq!(
            score(c, &answers(&[("1", 1), ("2", 1), ("6", 1)])).unwrap_err(),
            vec![Problem::Missing("3".into()), Problem::Missing("4".into()), Problem::Missing("5".into()), Problem::Missing("6b".into())]
        );
        // Answers to skipped questions are dropped, not counted.
        let s = score(c, &answers(&[("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1), ("6", 0)])).unwrap();
        assert_eq!((s.risk, s.answers.len()), (None, 3));
    }

    #[test]
    fn who5_reports_on_a_0_to_100_scale() {
        let w = builtin("who5").unwrap();
        let s = score(w, &all(5, 5)).unwrap();
        assert_eq!(s.total, Some(100));
        let s = score(w, &all(5, 1)).unwrap();
        assert_eq!((s.total, s.band.as_deref()), (Some(20), Some("likely_depression")));
        let s = score(w, &answers(&[("1", 3), ("2", 2), ("3", 2), ("4", 2), ("5", 2)])).unwrap();
        assert_eq!((s.total, s.band.as_deref()), (Some(44), Some("poor_wellbeing")));
    }

    #[test]
    fn pcl5_probable_ptsd_from_33() {
        let p = builtin("pcl5").unwrap();
        let mut a = all(20, 1);
        for i in 1..=13 {
            a.insert(i.to_string(), 2);
        }
        assert_eq!(score(p, &a).unwrap().total, Some(33));
        assert_eq!(score(p, &a).unwrap().band.as_deref(), Some("probable_ptsd"));
        a.insert("1".into(), 1);
        assert_eq!(score(p, &a).unwrap().band.as_deref(), Some("below_threshold"));
    }

    fn full_answers(key: &'static str) -> impl Strategy<Value = (String, Answers)> {
        let instrument = builtin(key).unwrap();
        let scored: Vec<(String, i64)> = instrument
            .items
            .iter()
            .filter(|i| i.scored)
            .map(|i| (i.id.clone(), instrument.options_of(i).iter().map(|o| o.value).max().unwrap()))
            .collect();
        scored
            .into_iter()
            .map(|(id, max)| (0..=max).prop_map(move |v| (id.clone(), v)))
            .collect::<Vec<_>>()
            .prop_map(move |pairs| (key.to_owned(), pairs.into_iter().collect()))
    }

    proptest! {
        #[test]
        fn total_is_the_sum_of_item_values_and_falls_in_exactly_one_band(
            (key, a) in prop_oneof![full_answers("phq9"), full_answers("gad7"), full_answers("pcl5"), full_answers("who5")]
        ) {
            let instrument = builtin(&key).unwrap();
            let s = score(instrument, &a).unwrap();
            let sum: i64 = a.values().sum::<i64>() * instrument.multiplier;
            prop_assert_eq!(s.total, Some(sum));
            let bands = instrument.bands.iter().filter(|b| (b.min..=b.max).contains(&sum)).count();
            prop_assert_eq!(bands, 1);
        }
    }
}
