//! The waitlist: patients who asked to hear when an earlier time opens with a clinician.
//! A freed time schedules an [`Opening`] job in the same transaction as the cancellation or
//! move that freed it; the job tells the patients waiting, each in their own language, and
//! marks them told in the transaction that queues their mail, so nobody is told twice.

use haven_domain::{Language, UserId};
use haven_store::{Appointment, Effects, NewJob};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::jobs::{Done, Job, JobError, Run};
use crate::mail::Mail;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opening {
    pub clinician: UserId,
    pub clinician_name: String,
    pub opening: Timestamp,
}

impl Job for Opening {
    const KIND: &'static str = "booking.waitlist-opening";
}

impl Run for Opening {
    async fn run(&self, cx: &Ctx) -> Result<Done, JobError> {
        let now = cx.now();
        if self.opening <= now {
            return Ok(Done::nothing());
        }
        let waiting = cx.store.waiting_for(self.clinician, self.opening).await.map_err(Error::from)?;
        if waiting.is_empty() {
            return Ok(Done::nothing());
        }
        let link = cx.links.to(&format!("/book/{}", self.clinician));
        let mut effects = Effects::default();
        for w in &waiting {
            let lang = Language::from_tag(&w.patient_language).unwrap_or_default();
            let args = [("clinician", self.clinician_name.as_str()), ("link", link.as_str())];
            let mail = Mail {
                to: w.patient_email.clone(),
                subject: crate::mail::worded(lang, "mail-waitlist-subject", &args),
                body: crate::mail::worded(lang, "mail-waitlist-body", &args),
                calendar: None,
            };
            effects.jobs.push(cx.queue.mail(mail, now)?);
        }
        let ids: Vec<uuid::Uuid> = waiting.iter().map(|w| w.id).collect();
        cx.store.notify_waitlist(&ids, &effects, now).await.map_err(Error::from)?;
        cx.queue.kick();
        Ok(Done::nothing())
    }
}

/// The job that tells the waitlist of `freed`'s time, if that time is still ahead.
pub fn opening(cx: &Ctx, freed: &Appointment) -> Result<Option<NewJob>> {
    if freed.starts_at <= cx.now() {
        return Ok(None);
    }
    let job = Opening { clinician: freed.clinician, clinician_name: freed.clinician_name.clone(), opening: freed.starts_at };
    cx.queue.job(&job, cx.now()).map(Some)
}
