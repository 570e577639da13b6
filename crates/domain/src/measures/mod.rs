//! Measurement-based care: validated questionnaires (PHQ-9, GAD-7, the C-SSRS screener,
//! PCL-5, WHO-5, and a practice's own sum-scored measures) as data, and the rules that turn
//! answers into a score, a severity band, a risk level and a change over time. All pure:
//! the store keeps answers, the application decides when to ask.
//!
//! The built-in instruments' texts are the published English and Spanish wordings, kept
//! in `crates/domain/instruments/*.json` with their sources in `SOURCES.md`; Haven never
//! words a clinical item itself.

mod catalogue;
mod change;
mod instrument;
pub mod outcomes;
mod schedule;
mod score;

pub use catalogue::{builtin, builtins};
pub use change::{Progress, compare};
pub use instrument::{Band, ChangeRules, Condition, Direction, Instrument, InstrumentError, Item, Loinc, Opt, RiskLevel, RiskRule, SignalRule};
pub use schedule::{Cadence, Schedule, ScheduleError};
pub use score::{Answers, Problem, Scored, score};
