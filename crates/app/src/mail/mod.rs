//! Mail: what a message is, the job that sends it (the outbox is the job queue: mail is
//! queued in the transaction of whatever caused it and sent with retries), and where it is
//! delivered ([`MailTransport`]: SMTP, or a folder in the demo; the binary chooses). Mail
//! never carries clinical detail: it says that something is waiting, when and where to go.

pub mod wording;

use std::sync::Arc;

use haven_store::NewJob;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::Result;
use crate::future::BoxFuture;
use crate::jobs::{Done, Handler, Job, JobError, Queue};

/// The message `key` in `lang` for a mail, each argument flattened to one line: a name or
/// an address stored before it was checked can't add lines (a forged header or attendee)
/// to what is sent.
#[must_use]
pub fn worded(lang: haven_domain::Language, key: &str, args: &[(&'static str, &str)]) -> String {
    let flat: Vec<(&'static str, String)> = args.iter().map(|(k, v)| (*k, haven_domain::text::flattened(v))).collect();
    let borrowed: Vec<(&'static str, &str)> = flat.iter().map(|(k, v)| (*k, v.as_str())).collect();
    crate::i18n::translate(lang, key, &borrowed)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// An iCalendar file to attach (appointment mail).
    #[serde(default)]
    pub calendar: Option<String>,
}

/// Why a message wasn't delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MailFailure {
    /// Worth trying again (the server was away or said "try later").
    #[error("{0}")]
    Transient(&'static str),
    /// Will never go (an address that can't be written).
    #[error("{0}")]
    Permanent(&'static str),
}

/// Where mail goes. Implementations say why a message failed in words that name no one.
pub trait MailTransport: Send + Sync + 'static {
    fn send<'a>(&'a self, mail: &'a Mail) -> BoxFuture<'a, Result<(), MailFailure>>;
}

/// Delivers one message. Safe to repeat: at worst a message arrives twice, never not at all.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendMail {
    pub mail: Mail,
}

impl Job for SendMail {
    const KIND: &'static str = "mail.send";
}

/// Runs [`SendMail`] jobs through the transport the binary chose.
pub struct Sender(pub Arc<dyn MailTransport>);

impl Sender {
    async fn deliver(&self, mail: &Mail) -> Result<Done, JobError> {
        match self.0.send(mail).await {
            Ok(()) => Ok(Done::nothing()),
            Err(MailFailure::Transient(reason)) => Err(JobError::Retry(reason)),
            Err(MailFailure::Permanent(reason)) => Err(JobError::Permanent(reason)),
        }
    }
}

impl Handler for Sender {
    fn run<'a>(&'a self, _: &'a Ctx, payload: &'a [u8]) -> BoxFuture<'a, Result<Done, JobError>> {
        Box::pin(async move {
            let job: SendMail = serde_json::from_slice(payload).map_err(|_| JobError::Permanent("the job's payload could not be read"))?;
            self.deliver(&job.mail).await
        })
    }
}

impl Queue {
    /// `mail` as a job to send now.
    pub fn mail(&self, mail: Mail, now: Timestamp) -> Result<NewJob> {
        self.job(&SendMail { mail }, now)
    }
}

/// Reminders stored before jobs were typed: kind `mail`, a sealed message whose parts are
/// separated by NUL. Kept so an upgraded server still sends them.
pub(crate) struct LegacyMail(pub Sender);

impl Handler for LegacyMail {
    fn run<'a>(&'a self, _: &'a Ctx, payload: &'a [u8]) -> BoxFuture<'a, Result<Done, JobError>> {
        Box::pin(async move {
            let text = std::str::from_utf8(payload).map_err(|_| JobError::Permanent("the job's payload could not be read"))?;
            let mut parts = text.splitn(3, '\0');
            let (Some(to), Some(subject), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(JobError::Permanent("the job's payload could not be read"));
            };
            self.0.deliver(&Mail { to: to.to_owned(), subject: subject.to_owned(), body: body.to_owned(), calendar: None }).await
        })
    }
}
