//! The check-in mail: a link that opens only that questionnaire (no sign-in, no name, no
//! other data), sent when it is due, and one reminder two days later if it is still open.
//! The link's token is made when the first mail runs and kept sealed, so the reminder
//! carries the same link; it stops working when the answers are sent or the check-in
//! closes. A practice may have links ask for sign-in instead.

use haven_crypto::token::SecretToken;
use haven_store::{Effects, NewJob};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::context::Ctx;
use crate::error::Result;
use crate::jobs::{Done, Job, JobError, Run};
use crate::mail::{Mail, worded};
use crate::when;

/// A reminder this long after the check-in is due, if it is still open then.
pub const REMIND_AFTER: SignedDuration = SignedDuration::from_hours(2 * 24);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckInMail {
    pub request: Uuid,
    pub reminder: bool,
}

impl Job for CheckInMail {
    const KIND: &'static str = "measures.check-in-mail";
    // Ids only: the mail is worded, and the link made, when it runs.
    const SEALED: bool = false;

    fn unique_key(&self) -> Option<String> {
        Some(format!("check-in-mail:{}:{}", self.request, if self.reminder { "reminder" } else { "first" }))
    }

    fn subject(&self) -> Option<Uuid> {
        Some(self.request)
    }
}

/// The mail and the reminder for a request due at `due` that closes at `expires`.
pub fn jobs(cx: &Ctx, request: Uuid, due: Timestamp, expires: Timestamp) -> Result<Vec<NewJob>> {
    let mut out = vec![cx.queue.job(&CheckInMail { request, reminder: false }, due)?];
    if let Ok(remind) = due.checked_add(REMIND_AFTER)
        && remind < expires
    {
        out.push(cx.queue.job(&CheckInMail { request, reminder: true }, remind)?);
    }
    Ok(out)
}

fn link_aad(id: Uuid) -> String {
    format!("measure_requests.link:{id}")
}

/// The request's link token: the one made before, or a new one stored now.
async fn token(cx: &Ctx, id: Uuid, sealed: Option<&[u8]>) -> Result<Option<String>> {
    if let Some(sealed) = sealed {
        return Ok(Some(cx.open_text(&link_aad(id), sealed)?));
    }
    let token = SecretToken::generate();
    if cx.store.set_request_link(id, &token.digest(), &cx.seal(&link_aad(id), token.reveal().as_bytes())).await? {
        return Ok(Some(token.reveal()));
    }
    // Made meanwhile (a retried run), or closed: read it back.
    let again = cx.store.measure_request(id).await?;
    match again.and_then(|r| r.sealed_link) {
        Some(sealed) => Ok(Some(cx.open_text(&link_aad(id), &sealed)?)),
        None => Ok(None),
    }
}

impl Run for CheckInMail {
    async fn run(&self, cx: &Ctx) -> Result<Done, JobError> {
        let now = cx.now();
        let Some(r) = cx.store.measure_request(self.request).await.map_err(crate::Error::from)? else { return Ok(Done::nothing()) };
        if r.status != "open" || r.expires_at <= now {
            return Ok(Done::nothing());
        }
        let Some(patient) = cx.store.user(r.patient).await.map_err(crate::Error::from)?.filter(|p| p.active) else { return Ok(Done::nothing()) };
        let Some(token) = token(cx, r.id, r.sealed_link.as_deref()).await? else { return Ok(Done::nothing()) };
        let link = if cx.store.measure_settings(r.practice).await.map_err(crate::Error::from)?.links_sign_in {
            cx.links.to(&format!("/check-ins/{}", r.id))
        } else {
            cx.links.to(&format!("/c/{token}"))
        };
        let lang = patient.language;
        let saved = cx.store.user_time_zone(patient.id).await.map_err(crate::Error::from)?;
        let settings = cx.practice_settings(r.practice).await?;
        let (_, tz) = when::viewer_zone(None, saved.as_deref(), &settings.time_zone);
        let until = when::when_label(lang, r.expires_at, &tz);
        let minutes = haven_domain::measures::builtin(&r.instrument).map_or(5, |i| i.minutes).to_string();
        let args = [("clinician", r.requested_by_name.as_str()), ("minutes", minutes.as_str()), ("link", link.as_str()), ("until", until.as_str())];
        let (subject, body) = if self.reminder {
            ("mail-checkin-reminder-subject", "mail-checkin-reminder-body")
        } else {
            ("mail-checkin-subject", "mail-checkin-body")
        };
        // No instrument named, no scores: only that there is a short check-in.
        let mail = Mail { to: patient.email.to_string(), subject: worded(lang, subject, &[]), body: worded(lang, body, &args), calendar: None };
        Ok(Done::with(Effects::default().with_job(cx.queue.mail(mail, now)?)))
    }
}
