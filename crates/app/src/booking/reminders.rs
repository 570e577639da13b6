//! Appointment reminders: a job per reminder time the practice set (24 h and 1 h before, by
//! default), scheduled with the booking in its transaction. The reminder is worded when it
//! runs, in the patient's language and zone at that moment, and only if the visit is still
//! booked at the time it was scheduled for: a moved visit's old reminders are dropped with
//! the move, and its new ones carry the new sequence in their key.

use haven_domain::AppointmentId;
use haven_domain::scheduling::AppointmentStatus;
use haven_store::{Appointment, Effects, NewJob, PracticeSettings};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use super::notify::{self, Words};
use crate::context::Ctx;
use crate::error::Result;
use crate::jobs::{Done, Job, JobError, Run};
use crate::mail::Mail;
use crate::when;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reminder {
    pub appointment: AppointmentId,
    /// The appointment's sequence when this was scheduled.
    pub sequence: i64,
    /// How long before the visit.
    pub minutes: i64,
}

impl Job for Reminder {
    const KIND: &'static str = "booking.reminder";
    // Ids only: the mail is worded when the job runs.
    const SEALED: bool = false;

    fn unique_key(&self) -> Option<String> {
        Some(format!("reminder:{}:{}:{}", self.appointment, self.sequence, self.minutes))
    }

    fn subject(&self) -> Option<uuid::Uuid> {
        Some(self.appointment.0)
    }
}

impl Run for Reminder {
    async fn run(&self, cx: &Ctx) -> Result<Done, JobError> {
        let now = cx.now();
        let Some(a) = cx.store.appointment(self.appointment).await.map_err(crate::Error::from)? else { return Ok(Done::nothing()) };
        if a.status != AppointmentStatus::Booked || a.sequence != self.sequence || a.starts_at <= now {
            return Ok(Done::nothing());
        }
        let Some(patient) = cx.store.user(a.patient).await.map_err(crate::Error::from)?.filter(|p| p.active) else { return Ok(Done::nothing()) };
        let words = Words::load(cx, &patient, a.practice).await?;
        let mail = reminder_mail(cx, &words, &a).await?;
        Ok(Done::with(Effects::default().with_job(cx.queue.mail(mail, now)?)))
    }
}

async fn reminder_mail(cx: &Ctx, words: &Words, a: &Appointment) -> Result<Mail> {
    let lang = words.lang;
    let when = when::when_label(lang, a.starts_at, &words.tz);
    let how = notify::how(cx, lang, a).await?;
    let link = cx.links.to(&format!("/appointments/{}", a.id));
    let args = [("clinician", a.clinician_name.as_str()), ("when", when.as_str()), ("how", how.as_str()), ("link", link.as_str())];
    Ok(Mail {
        to: words.to.clone(),
        subject: crate::mail::worded(lang, "mail-appt-reminder-subject", &args),
        body: crate::mail::worded(lang, "mail-appt-reminder-body", &args),
        calendar: None,
    })
}

/// The reminder jobs for `a` at the practice's offsets still in the future.
pub fn schedule(cx: &Ctx, a: &Appointment, settings: &PracticeSettings) -> Result<Vec<NewJob>> {
    let now = cx.now();
    let mut jobs = Vec::new();
    for minutes in &settings.reminder_minutes {
        let Ok(run_at) = a.starts_at.checked_sub(SignedDuration::from_mins(*minutes)) else { continue };
        if run_at <= now {
            continue;
        }
        jobs.push(cx.queue.job(&Reminder { appointment: a.id, sequence: a.sequence, minutes: *minutes }, run_at)?);
    }
    Ok(jobs)
}
