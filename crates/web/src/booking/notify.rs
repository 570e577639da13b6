//! What patients are told about their appointments: confirmation, change and cancellation
//! emails with an `.ics` file, reminders scheduled as durable jobs, and waitlist notices.
//! Emails say when, with whom, and where to go (a link, a phone call, or an address),
//! never why: no visit type, no clinical detail.

use haven_domain::Language;
use haven_domain::scheduling::Modality;
use haven_domain::scheduling::ics::{CalendarEvent, calendar};
use haven_store::{Appointment, AppointmentStatus, MAIL_JOB, NewAppointment, NewJob, NewMail, User, encode_mail};
use jiff::SignedDuration;
use jiff::tz::TimeZone;

use super::service::Bookable;
use super::when;
use crate::error::AppError;
use crate::i18n::translate;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked,
    Moved,
    Cancelled,
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

/// The patient's zone (their choice, else the practice's) and its name.
pub async fn patient_zone(state: &AppState, patient: &User, a: &Appointment) -> Result<(String, TimeZone), AppError> {
    let saved = state.store.user_time_zone(patient.id).await?;
    let practice = state.store.practice_settings(a.practice).await?;
    Ok(when::viewer_zone(None, saved.as_deref(), &practice.time_zone))
}

/// The office's address for an in-person visit.
pub async fn address(state: &AppState, a: &Appointment) -> Result<Option<String>, AppError> {
    let Some(id) = a.location else { return Ok(None) };
    Ok(state.store.locations_of(a.practice).await?.into_iter().find(|l| l.id == id).map(|l| format!("{}, {}", l.name, l.address)))
}

/// One sentence on how the visit happens.
async fn how(state: &AppState, lang: Language, a: &Appointment) -> Result<String, AppError> {
    Ok(match a.modality {
        Modality::Video => translate(lang, "appt-how-video", &[]),
        Modality::Phone => translate(lang, "appt-how-phone", &[("clinician", &a.clinician_name)]),
        Modality::InPerson => {
            let address = address(state, a).await?.unwrap_or_default();
            translate(lang, "appt-how-in-person", &[("address", &address)])
        }
    })
}

async fn event(state: &AppState, lang: Language, a: &Appointment, cancelled: bool) -> Result<CalendarEvent, AppError> {
    let link = state.link(&format!("/appointments/{}", a.id));
    let location = match a.modality {
        Modality::InPerson => address(state, a).await?,
        Modality::Video => Some(translate(lang, "modality-video", &[])),
        Modality::Phone => Some(translate(lang, "modality-phone", &[])),
    };
    Ok(CalendarEvent {
        uid: format!("{}@haven", a.id),
        sequence: u32::try_from(a.sequence).unwrap_or(0),
        start: a.starts_at,
        end: a.ends_at,
        summary: translate(lang, "appt-calendar-summary", &[("clinician", &a.clinician_name)]),
        description: format!("{}\n{link}", how(state, lang, a).await?),
        location,
        url: Some(link),
        cancelled,
    })
}

/// The email for a booking (one visit or a series), a move or a cancellation, with the
/// matching calendar file.
pub async fn change_mail(state: &AppState, visits: &[Appointment], patient: &User, change: Change) -> Result<NewMail, AppError> {
    let first = visits.first().ok_or_else(|| AppError::Internal("no visit to write about".into()))?;
    let lang = patient.language;
    let (zone_name, tz) = patient_zone(state, patient, first).await?;
    let when = when::when_label(lang, first.starts_at, &tz, &zone_name);
    let how = how(state, lang, first).await?;
    let link = state.link(&format!("/appointments/{}", first.id));
    let count = visits.len().to_string();
    let args = [("clinician", first.clinician_name.as_str()), ("when", when.as_str()), ("how", how.as_str()), ("link", link.as_str()), ("count", count.as_str())];
    let (subject, body) = match change {
        Change::Booked if visits.len() > 1 => ("mail-appt-booked-subject", "mail-appt-series-body"),
        Change::Booked => ("mail-appt-booked-subject", "mail-appt-booked-body"),
        Change::Moved => ("mail-appt-moved-subject", "mail-appt-moved-body"),
        Change::Cancelled => ("mail-appt-cancelled-subject", "mail-appt-cancelled-body"),
    };
    let mut events = Vec::new();
    for a in visits {
        events.push(event(state, lang, a, change == Change::Cancelled).await?);
    }
    Ok(NewMail {
        to: patient.email.to_string(),
        subject: translate(lang, subject, &args),
        body: translate(lang, body, &args),
        calendar: Some(calendar(&events, state.clock.now(), None)),
    })
}

/// Reminder jobs for `a` at the practice's offsets still in the future. Keys carry the
/// visit's sequence, so a moved visit's reminders are new jobs and the old ones (dropped
/// by the move) never run.
pub async fn reminders(state: &AppState, a: &Appointment, patient: &User) -> Result<Vec<NewJob>, AppError> {
    let settings = state.store.practice_settings(a.practice).await?;
    let now = state.clock.now();
    let lang = patient.language;
    let (zone_name, tz) = patient_zone(state, patient, a).await?;
    let when = when::when_label(lang, a.starts_at, &tz, &zone_name);
    let how = how(state, lang, a).await?;
    let link = state.link(&format!("/appointments/{}", a.id));
    let args = [("clinician", a.clinician_name.as_str()), ("when", when.as_str()), ("how", how.as_str()), ("link", link.as_str())];
    let mail = NewMail {
        to: patient.email.to_string(),
        subject: translate(lang, "mail-appt-reminder-subject", &args),
        body: translate(lang, "mail-appt-reminder-body", &args),
        calendar: None,
    };
    let payload = encode_mail(&mail);
    let mut jobs = Vec::new();
    for minutes in settings.reminder_minutes {
        let Ok(run_at) = a.starts_at.checked_sub(SignedDuration::from_mins(minutes)) else { continue };
        if run_at <= now {
            continue;
        }
        let id = uuid::Uuid::now_v7();
        jobs.push(NewJob {
            id,
            kind: MAIL_JOB.to_owned(),
            unique_key: format!("reminder:{}:{}:{minutes}", a.id, a.sequence),
            subject: Some(a.id.0),
            payload: state.vault.seal(&format!("jobs.payload:{id}"), &payload),
            run_at,
        });
    }
    Ok(jobs)
}

/// A visit's time came free: tell the patients waiting for something earlier.
pub async fn tell_waitlist(state: &AppState, freed: &Appointment) -> Result<(), AppError> {
    if freed.starts_at <= state.clock.now() {
        return Ok(());
    }
    let waiting = state.store.waiting_for(freed.clinician, freed.starts_at).await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let link = state.link(&format!("/book/{}", freed.clinician));
    for w in &waiting {
        let lang = Language::from_tag(&w.patient_language).unwrap_or_default();
        let args = [("clinician", freed.clinician_name.as_str()), ("link", link.as_str())];
        let mail = NewMail {
            to: w.patient_email.clone(),
            subject: translate(lang, "mail-waitlist-subject", &args),
            body: translate(lang, "mail-waitlist-body", &args),
            calendar: None,
        };
        state.store.queue_mail(&mail, state.clock.now()).await?;
    }
    state.store.mark_waitlist_notified(&waiting.iter().map(|w| w.id).collect::<Vec<_>>(), state.clock.now()).await?;
    state.mail_wake.notify_one();
    Ok(())
}
