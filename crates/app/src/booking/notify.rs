//! What patients are told about their appointments: confirmation, change and cancellation
//! mail with an `.ics` file. Mail says when, with whom, and where to go (a link, a phone
//! call, or an address), never why: no visit type, no clinical detail.

use haven_domain::Language;
use haven_domain::PracticeId;
use haven_domain::scheduling::ics::{CalendarEvent, Method, calendar};
use haven_domain::scheduling::{AppointmentStatus, Modality};
use haven_store::{Appointment, NewAppointment, PracticeSettings, User};
use jiff::tz::TimeZone;

use super::Bookable;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::i18n::translate;
use crate::mail::Mail;
use crate::when;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked,
    Moved,
    Cancelled,
}

/// What wording a patient's appointment mail needs, read once: their address and
/// language, their zone (their choice, else the practice's), and the practice's settings.
pub struct Words {
    pub to: String,
    pub lang: Language,
    pub zone_name: String,
    pub tz: TimeZone,
    pub settings: PracticeSettings,
}

impl Words {
    pub async fn load(cx: &Ctx, patient: &User, practice: PracticeId) -> Result<Self> {
        let saved = cx.store.user_time_zone(patient.id).await?;
        let settings = cx.practice_settings(practice).await?;
        let (zone_name, tz) = when::viewer_zone(None, saved.as_deref(), &settings.time_zone);
        Ok(Self { to: patient.email.to_string(), lang: patient.language, zone_name, tz, settings })
    }
}

/// The appointment as it will be once `v` is stored, for wording mail.
#[must_use]
pub fn as_appointment(v: &NewAppointment, b: &Bookable) -> Appointment {
    Appointment {
        id: v.id,
        practice: v.practice,
        clinician: v.clinician,
        clinician_name: b.profile.name.clone(),
        patient: v.patient,
        patient_name: b.patient.display_name.clone(),
        visit_type: v.visit_type,
        visit_name: b.visit.name.clone(),
        modality: v.modality,
        location: v.location,
        jurisdiction: v.jurisdiction.clone(),
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        status: AppointmentStatus::Booked,
        series: v.series,
        sequence: 0,
    }
}

/// The office's address for an in-person visit.
pub async fn address(cx: &Ctx, a: &Appointment) -> Result<Option<String>> {
    let Some(id) = a.location else { return Ok(None) };
    Ok(cx.store.locations_of(a.practice).await?.into_iter().find(|l| l.id == id).map(|l| format!("{}, {}", l.name, l.address)))
}

/// One sentence on how the visit happens.
pub async fn how(cx: &Ctx, lang: Language, a: &Appointment) -> Result<String> {
    Ok(match a.modality {
        Modality::Video => translate(lang, "appt-how-video", &[]),
        Modality::Phone => crate::mail::worded(lang, "appt-how-phone", &[("clinician", &a.clinician_name)]),
        Modality::InPerson => {
            let address = address(cx, a).await?.unwrap_or_default();
            crate::mail::worded(lang, "appt-how-in-person", &[("address", &address)])
        }
    })
}

async fn event(cx: &Ctx, lang: Language, a: &Appointment, cancelled: bool) -> Result<CalendarEvent> {
    let link = cx.links.to(&format!("/appointments/{}", a.id));
    let location = match a.modality {
        Modality::InPerson => address(cx, a).await?,
        Modality::Video => Some(translate(lang, "modality-video", &[])),
        Modality::Phone => Some(translate(lang, "modality-phone", &[])),
    };
    Ok(CalendarEvent {
        uid: format!("{}@haven", a.id),
        sequence: u32::try_from(a.sequence).unwrap_or(0),
        start: a.starts_at,
        end: a.ends_at,
        summary: crate::mail::worded(lang, "appt-calendar-summary", &[("clinician", &a.clinician_name)]),
        // A cancelled visit's event says so, not how to join it.
        description: if cancelled { translate(lang, "appt-calendar-cancelled", &[]) } else { format!("{}\n{link}", how(cx, lang, a).await?) },
        location,
        url: Some(link),
        cancelled,
    })
}

/// The mail for a booking (one visit or a series), a move or a cancellation, with the
/// matching calendar file.
pub async fn change_mail(cx: &Ctx, words: &Words, visits: &[Appointment], change: Change) -> Result<Mail> {
    let first = visits.first().ok_or(Error::bug("no visit to write about"))?;
    let lang = words.lang;
    let when = when::when_label(lang, first.starts_at, &words.tz);
    let how = how(cx, lang, first).await?;
    let link = cx.links.to(&format!("/appointments/{}", first.id));
    let count = visits.len().to_string();
    let args = [
        ("clinician", first.clinician_name.as_str()),
        ("when", when.as_str()),
        ("how", how.as_str()),
        ("link", link.as_str()),
        ("count", count.as_str()),
    ];
    let (subject, body) = match change {
        Change::Booked if visits.len() > 1 => ("mail-appt-booked-subject", "mail-appt-series-body"),
        Change::Booked => ("mail-appt-booked-subject", "mail-appt-booked-body"),
        Change::Moved => ("mail-appt-moved-subject", "mail-appt-moved-body"),
        Change::Cancelled => ("mail-appt-cancelled-subject", "mail-appt-cancelled-body"),
    };
    let mut events = Vec::new();
    for a in visits {
        events.push(event(cx, lang, a, change == Change::Cancelled).await?);
    }
    Ok(Mail {
        to: words.to.clone(),
        subject: crate::mail::worded(lang, subject, &args),
        body: crate::mail::worded(lang, body, &args),
        calendar: Some(calendar(&events, cx.now(), None, if change == Change::Cancelled { Method::Cancel } else { Method::Publish })),
    })
}
