//! A clinician's private calendar feed: an `.ics` URL with a secret token their calendar
//! app subscribes to. The token's digest is stored; replacing or revoking it cuts off old
//! copies. Calendar apps often sync to a third party's cloud, so events name no patient.

use std::net::IpAddr;

use haven_crypto::SecretToken;
use haven_domain::Role;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::AppointmentStatus;
use haven_domain::scheduling::ics::{CalendarEvent, Method, calendar};
use jiff::SignedDuration;

use super::{Booking, modality_key};
use crate::audit::Entry;
use crate::error::{Error, Result};
use crate::i18n::translate;

impl Booking {
    /// The feed a token names, as iCalendar text; "not found" for a revoked token or a
    /// clinician who no longer is one.
    pub async fn feed(&self, source: IpAddr, token: &SecretToken) -> Result<String> {
        let cx = &self.cx;
        let clinician = cx.store.clinician_by_feed_token(&token.digest()).await?.ok_or(Error::NotFound)?;
        let profile = cx.store.clinician_profile(clinician).await?.ok_or(Error::NotFound)?;
        let user = cx.store.user(clinician).await?.ok_or(Error::NotFound)?;
        // A deactivated clinician's (or former clinician's) feed stops with their account.
        if !user.active || !user.memberships.contains(&(profile.practice, Role::Clinician)) {
            return Err(Error::NotFound);
        }
        let lang = user.language;
        let now = cx.now();
        let from = now.checked_sub(SignedDuration::from_hours(24 * 30)).unwrap_or(now);
        let until = now.checked_add(SignedDuration::from_hours(24 * 366)).unwrap_or(now);
        let visits = cx.store.appointments_between(profile.practice, Some(clinician), from, until).await?;
        let events: Vec<CalendarEvent> = visits
            .iter()
            .filter(|a| {
                matches!(
                    a.status,
                    AppointmentStatus::Booked | AppointmentStatus::Completed | AppointmentStatus::Cancelled | AppointmentStatus::LateCancelled
                )
            })
            .map(|a| CalendarEvent {
                uid: format!("{}@haven", a.id),
                sequence: u32::try_from(a.sequence).unwrap_or(0),
                start: a.starts_at,
                end: a.ends_at,
                summary: translate(lang, "feed-event-summary", &[("how", &translate(lang, modality_key(a.modality), &[]))]),
                description: cx.links.to(&format!("/appointments/{}", a.id)),
                location: None,
                url: Some(cx.links.to(&format!("/appointments/{}", a.id))),
                cancelled: matches!(a.status, AppointmentStatus::Cancelled | AppointmentStatus::LateCancelled),
            })
            .collect();
        // The feed shows times only, no patient; its reading is still recorded, as the clinician's.
        let entry = Entry {
            actor: Some(clinician),
            practice: Some(profile.practice),
            patient: None,
            action: AuditAction::Read,
            category: DataCategory::Appointments,
            outcome: Outcome::Success,
        };
        cx.record_from(source, entry).await?;
        Ok(calendar(&events, now, Some(&translate(lang, "feed-name", &[])), Method::Publish))
    }
}
