//! Measures on the web: the patient's questionnaire form (works without JavaScript), the
//! chart's trends and assignment form, and reviewing risk signals.

pub mod answer;
pub mod chart;
pub mod mine;
pub mod outcomes;
pub mod settings;
pub mod trend;
pub mod visit;
