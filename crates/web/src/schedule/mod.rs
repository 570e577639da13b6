//! Staff scheduling pages: day and week calendars per clinician and for the practice,
//! booking on a patient's behalf (also as a series), blocking time, each clinician's own
//! settings, photo and private calendar feed, and the practice's scheduling settings.

pub mod calendar;
pub mod feed;
pub mod photo;
pub mod practice;
pub mod series;
pub mod settings;

/// Where a clinician's profile photo is served (see `photo::serve`).
#[must_use]
pub fn photo_url(clinician: haven_domain::UserId) -> String {
    format!("/clinicians/{clinician}/photo")
}
