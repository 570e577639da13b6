//! Booking: finding a clinician, choosing a time, and the patient's own appointments.
//! The rules live in `haven_domain::scheduling`; [`service`] applies them for pages and the
//! JSON API alike, so both refuse the same things with the same words.

pub mod find;
pub mod notify;
pub mod pick;
pub mod service;
pub mod visits;
pub mod when;

use haven_domain::Role;
use haven_store::Appointment;

use crate::identity::CurrentUser;

/// The patient themself, or staff of the appointment's practice (scheduling is front-desk
/// work in most practices).
#[must_use]
pub fn can_see(current: &CurrentUser, appointment: &Appointment) -> bool {
    appointment.patient == current.user.id || is_staff_of(current, appointment.practice)
}

#[must_use]
pub fn is_staff_of(current: &CurrentUser, practice: haven_domain::PracticeId) -> bool {
    current.user.memberships.iter().any(|(p, r)| *p == practice && r.is_staff())
}

/// The practices where the person is a patient.
#[must_use]
pub fn patient_practices(current: &CurrentUser) -> Vec<haven_domain::PracticeId> {
    current.user.memberships.iter().filter(|(_, r)| *r == Role::Patient).map(|(p, _)| *p).collect()
}

/// An id from a URL; anything unparseable is simply not found.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, crate::error::AppError> {
    raw.parse().map_err(|_| crate::error::AppError::NotFound)
}

/// Renders a page template.
pub fn html<T: askama::Template>(page: &T) -> Result<axum::response::Html<String>, crate::error::AppError> {
    page.render().map(axum::response::Html).map_err(|e| crate::error::AppError::Internal(e.to_string()))
}

/// The practices whose clinicians this person may browse: where they are a patient, else
/// where they work.
#[must_use]
pub fn browsable_practices(current: &CurrentUser) -> Vec<haven_domain::PracticeId> {
    let mine = patient_practices(current);
    if !mine.is_empty() {
        return mine;
    }
    let mut all: Vec<_> = current.user.memberships.iter().map(|(p, _)| *p).collect();
    all.dedup();
    all
}

/// A translated label for each modality.
#[must_use]
pub fn modality_key(m: haven_domain::scheduling::Modality) -> &'static str {
    match m {
        haven_domain::scheduling::Modality::Video => "modality-video",
        haven_domain::scheduling::Modality::Phone => "modality-phone",
        haven_domain::scheduling::Modality::InPerson => "modality-in-person",
    }
}
