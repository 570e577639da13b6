//! Video and phone visits: the device check, the patient's safety check-in and consent,
//! the waiting room, the call's signaling, and the visit's record.
//!
//! Media flows peer to peer (DTLS-SRTP between the two browsers); Haven only relays the
//! signaling between the appointment's two parties over their signed-in sockets, hands out
//! short-lived TURN credentials, and records times, modes and a quality summary — never
//! audio, video or chat content. The room itself (who is in it, relaying) lives in this
//! instance's memory: both parties of a visit must reach the same Haven instance.

pub mod ice;
pub mod live;
pub mod pages;
pub mod safety;

use std::net::SocketAddr;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::Modality;
use haven_domain::AppointmentId;
use haven_store::{Appointment, AppointmentStatus};
use jiff::{SignedDuration, Timestamp};

use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

/// Which side of the visit the person is on. Nobody else may join its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Patient,
    Clinician,
}

impl Party {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Patient => "patient",
            Party::Clinician => "clinician",
        }
    }
}

/// How early a patient may come into the waiting room, and how long after the booked end
/// the room stays open (visits run over).
const OPENS_BEFORE: SignedDuration = SignedDuration::from_mins(60);
const CLOSES_AFTER: SignedDuration = SignedDuration::from_mins(120);

#[must_use]
pub fn party_of(current: &CurrentUser, appointment: &Appointment) -> Option<Party> {
    if appointment.patient == current.user.id {
        Some(Party::Patient)
    } else if appointment.clinician == current.user.id {
        Some(Party::Clinician)
    } else {
        None
    }
}

/// Whether the visit's room is open now: a remote visit, booked, within its window.
#[must_use]
pub fn room_open(appointment: &Appointment, now: Timestamp) -> bool {
    appointment.modality.is_remote()
        && appointment.status == AppointmentStatus::Booked
        && appointment.starts_at.checked_sub(OPENS_BEFORE).is_ok_and(|opens| now >= opens)
        && appointment.ends_at.checked_add(CLOSES_AFTER).is_ok_and(|closes| now <= closes)
}


pub fn entry(actor: &CurrentUser, appointment: &Appointment, action: AuditAction, outcome: Outcome) -> Entry {
    Entry { actor: Some(actor.user.id), practice: Some(appointment.practice), patient: Some(appointment.patient), action, category: DataCategory::Visits, outcome }
}

/// Loads a visit for one of its two parties; anyone else gets "not found" and the attempt is
/// audited.
pub async fn load(state: &AppState, peer: SocketAddr, current: &CurrentUser, id: AppointmentId) -> Result<(Appointment, Party), AppError> {
    let appointment = state.store.appointment(id).await?.ok_or(AppError::NotFound)?;
    match party_of(current, &appointment) {
        Some(party) => Ok((appointment, party)),
        None => {
            audit::record(state, peer, entry(current, &appointment, AuditAction::AccessDenied, Outcome::Denied)).await?;
            Err(AppError::NotFound)
        }
    }
}

#[must_use]
pub fn is_phone(appointment: &Appointment) -> bool {
    appointment.modality == Modality::Phone
}
