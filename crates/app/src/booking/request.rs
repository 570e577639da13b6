//! What a booking request is, once loaded and checked, and why one may be refused.

use haven_domain::scheduling::{Booker, BookingProblem, Modality};
use haven_domain::{UserId, VisitTypeId};
use haven_store::{ClinicianProfile, User, VisitType};
use jiff::Timestamp;

/// Why a request was refused, in a form pages and the API both present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A translated message key.
    Problem(&'static str),
    /// Someone else got the time first; here are the next open ones.
    Taken(Vec<Timestamp>),
}

impl Refusal {
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::Problem(key) => key,
            Refusal::Taken(_) => BookingProblem::Taken.message_key(),
        }
    }
}

pub struct BookRequest {
    pub patient: UserId,
    pub clinician: UserId,
    pub visit_type: VisitTypeId,
    pub modality: Modality,
    /// Where the patient will be, for remote visits ("US-CA").
    pub jurisdiction: Option<String>,
    /// One start, or the occurrences of a series.
    pub starts: Vec<Timestamp>,
}

/// Everything a booking needs, loaded and checked for who may do it.
pub struct Bookable {
    pub profile: ClinicianProfile,
    pub visit: VisitType,
    pub patient: User,
    pub booker: Booker,
}
