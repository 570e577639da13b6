//! An instrument: its items, answer options, scoring, bands, change thresholds and risk
//! rules, exactly as its JSON file (or a practice's own measure) states them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::language::Bilingual;

/// How grave a risk an answer shows. Ordered: `High` is the gravest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Moderate,
    High,
}

impl RiskLevel {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Moderate => "moderate",
            RiskLevel::High => "high",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "low" => Some(RiskLevel::Low),
            "moderate" => Some(RiskLevel::Moderate),
            "high" => Some(RiskLevel::High),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loinc {
    pub panel: Option<String>,
    pub total: Option<String>,
    /// The code of a risk-level result (the C-SSRS screener's 93374-7).
    #[serde(default)]
    pub risk: Option<String>,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opt {
    pub value: i64,
    /// LOINC answer code (LA…), when there is one.
    #[serde(default)]
    pub code: Option<String>,
    pub label: Bilingual,
}

/// "Item `item`'s answer equals / is at least this".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub item: String,
    #[serde(default)]
    pub equals: Option<i64>,
    #[serde(default)]
    pub at_least: Option<i64>,
}

impl Condition {
    #[must_use]
    pub fn holds(&self, answers: &BTreeMap<String, i64>) -> bool {
        let Some(v) = answers.get(&self.item) else { return false };
        self.equals.is_none_or(|e| *v == e) && self.at_least.is_none_or(|a| *v >= a)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    #[serde(default)]
    pub loinc: Option<String>,
    pub text: Bilingual,
    /// The name of an option set in `option_sets`.
    pub options: String,
    pub scored: bool,
    pub required: bool,
    /// Asked only when this holds (the C-SSRS skip logic).
    #[serde(default)]
    pub ask_if: Option<Condition>,
    /// Asked only when the scored items add up to more than this (the PHQ-9 difficulty question).
    #[serde(default)]
    pub show_if_score_above: Option<i64>,
}

/// A severity band on the reported scale, inclusive at both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub key: String,
    pub min: i64,
    pub max: i64,
    pub label: Bilingual,
}

/// Which way is better on an instrument's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LowerBetter,
    HigherBetter,
}

/// Which way is better, and by how much a change is more than noise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRules {
    pub direction: Direction,
    /// The reliable-change threshold in reported points (PHQ-9 6, GAD-7 4, PCL-5 10).
    pub reliable: i64,
    /// Remission: a total below this (PHQ-9 and GAD-7: 5).
    #[serde(default)]
    pub remission_below: Option<i64>,
    /// Caseness: at or above this counts as a case; recovery is moving from a case to below it.
    #[serde(default)]
    pub caseness_at_least: Option<i64>,
}

/// When answers call for someone to look today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalRule {
    pub when_any: Vec<Condition>,
    /// `"low"`, `"moderate"`, `"high"`, or `"from_risk"` (the instrument's risk level).
    pub level: String,
}

/// A risk level and when it applies; the first rule that holds wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRule {
    pub level: RiskLevel,
    pub when_any: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    pub key: String,
    pub version: i64,
    pub short: String,
    pub title: Bilingual,
    pub minutes: i64,
    pub instructions: Bilingual,
    pub loinc: Loinc,
    pub source: Bilingual,
    pub option_sets: BTreeMap<String, Vec<Opt>>,
    pub items: Vec<Item>,
    /// Reported score = raw sum × this (WHO-5: 4, so 0–100).
    pub multiplier: i64,
    /// Empty when the instrument has no total (the C-SSRS screener).
    pub bands: Vec<Band>,
    pub change: Option<ChangeRules>,
    #[serde(default)]
    pub signals: Vec<SignalRule>,
    #[serde(default)]
    pub risk_levels: Vec<RiskRule>,
    /// The published form lists the highest answer first (WHO-5).
    #[serde(default)]
    pub descending_display: bool,
    /// Set on a file whose Spanish is not yet a published translation.
    #[serde(default)]
    pub es_missing: bool,
}

/// Why an instrument's data can't be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error("item {0} names an option set that doesn't exist")]
    UnknownOptions(String),
    #[error("two items share the id {0}")]
    DuplicateItem(String),
    #[error("a condition names item {0}, which doesn't exist")]
    UnknownItem(String),
    #[error("the bands must cover every score from 0 to {max} exactly once; {score} is covered {times} times")]
    Bands { max: i64, score: i64, times: usize },
    #[error("an instrument needs at least one item")]
    NoItems,
    #[error("signal level {0} is not low, moderate, high or from_risk")]
    SignalLevel(String),
}

impl Instrument {
    /// The options of `item`.
    #[must_use]
    pub fn options_of(&self, item: &Item) -> &[Opt] {
        self.option_sets.get(&item.options).map_or(&[], Vec::as_slice)
    }

    /// The highest reported total, or `None` when nothing is scored.
    #[must_use]
    pub fn max_total(&self) -> Option<i64> {
        let scored: Vec<&Item> = self.items.iter().filter(|i| i.scored).collect();
        if scored.is_empty() {
            return None;
        }
        Some(scored.iter().map(|i| self.options_of(i).iter().map(|o| o.value).max().unwrap_or(0)).sum::<i64>() * self.multiplier)
    }

    /// The band a reported total falls in.
    #[must_use]
    pub fn band_of(&self, total: i64) -> Option<&Band> {
        self.bands.iter().find(|b| (b.min..=b.max).contains(&total))
    }

    #[must_use]
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Whether `item` is asked, given the answers so far.
    #[must_use]
    pub fn is_asked(&self, item: &Item, answers: &BTreeMap<String, i64>) -> bool {
        if let Some(condition) = &item.ask_if
            && !condition.holds(answers)
        {
            return false;
        }
        if let Some(above) = item.show_if_score_above {
            let raw: i64 = self.items.iter().filter(|i| i.scored).filter_map(|i| answers.get(&i.id)).sum();
            return raw > above;
        }
        true
    }

    /// Checks the data is whole: option sets exist, ids are unique, conditions name real
    /// items, and the bands cover every reachable total exactly once.
    pub fn check(&self) -> Result<(), InstrumentError> {
        if self.items.is_empty() {
            return Err(InstrumentError::NoItems);
        }
        let mut seen = std::collections::BTreeSet::new();
        for item in &self.items {
            if !self.option_sets.contains_key(&item.options) {
                return Err(InstrumentError::UnknownOptions(item.id.clone()));
            }
            if !seen.insert(item.id.as_str()) {
                return Err(InstrumentError::DuplicateItem(item.id.clone()));
            }
        }
        let conditions = self
            .items
            .iter()
            .filter_map(|i| i.ask_if.as_ref())
            .chain(self.signals.iter().flat_map(|s| &s.when_any))
            .chain(self.risk_levels.iter().flat_map(|r| &r.when_any));
        for c in conditions {
            if !seen.contains(c.item.as_str()) {
                return Err(InstrumentError::UnknownItem(c.item.clone()));
            }
        }
        for s in &self.signals {
            if s.level != "from_risk" && RiskLevel::parse(&s.level).is_none() {
                return Err(InstrumentError::SignalLevel(s.level.clone()));
            }
        }
        if let (Some(max), false) = (self.max_total(), self.bands.is_empty()) {
            for score in 0..=max {
                let times = self.bands.iter().filter(|b| (b.min..=b.max).contains(&score)).count();
                if times != 1 {
                    return Err(InstrumentError::Bands { max, score, times });
                }
            }
        }
        Ok(())
    }
}
