//! Telehealth visits: the rules that need no I/O. Before a remote visit the patient says
//! where they are and how to reach help ([`safety`]); consent is signed on the first visit
//! and yearly ([`consent`]); a visit moves from waiting to admitted to ended, and its record
//! says what modality was really used and how the connection held up ([`record`]).

pub mod consent;
pub mod record;
pub mod safety;

pub use record::{MediaMode, ModalityUsed, QualitySummary, VisitState};
pub use safety::{SafetyDetails, SafetyProblem};
