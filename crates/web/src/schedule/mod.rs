//! Staff scheduling: day and week calendars per clinician and for the practice, booking on
//! a patient's behalf (also as a weekly or every-other-week series), blocking time, each
//! clinician's own settings and private calendar feed, and the practice's settings.

pub mod calendar;
pub mod feed;
pub mod photo;
pub mod practice;
pub mod series;
pub mod settings;

use haven_domain::{PracticeId, Role, UserId};

use crate::error::AppError;
use crate::identity::CurrentUser;

/// The practice whose schedule this staff member works on (the first where they are staff).
pub fn staff_practice(current: &CurrentUser) -> Result<PracticeId, AppError> {
    current.user.memberships.iter().find(|(_, r)| r.is_staff()).map(|(p, _)| *p).ok_or(AppError::Forbidden)
}

/// Clinicians manage their own time; admins manage everyone's in their practice.
#[must_use]
pub fn may_manage(current: &CurrentUser, practice: PracticeId, clinician: UserId) -> bool {
    current.user.id == clinician || current.user.memberships.contains(&(practice, Role::Admin))
}

/// Where a clinician's profile photo is served (see `photo.rs`).
#[must_use]
pub fn photo_url(clinician: haven_domain::UserId) -> String {
    format!("/clinicians/{clinician}/photo")
}
