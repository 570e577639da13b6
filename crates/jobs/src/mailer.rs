//! Delivering mail: through SMTP when configured, otherwise into an outbox folder (for
//! the demo and development), where the log says where a message went but never what it says.

use std::path::PathBuf;
use std::time::Duration;

use std::future::Future;
use std::pin::Pin;

use haven_app::mail::{Mail, MailFailure, MailTransport};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, required (usually port 587).
    StartTls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the address {0} can't be used")]
    Address(String),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the mail server failed: {0}")]
    Transport(String),
    /// The server refused the message for good (a 5xx answer).
    #[error("the mail server refused the message: {0}")]
    Refused(String),
    #[error("the outbox folder could not be written: {0}")]
    Outbox(String),
}

pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Outbox { dir: PathBuf, from: Mailbox },
}

impl Mailer {
    pub fn smtp(settings: &SmtpSettings, from: &str) -> Result<Self, MailError> {
        let from: Mailbox = from.parse().map_err(|_| MailError::Address(from.to_owned()))?;
        let builder = match settings.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)),
        }
        .map_err(|e| MailError::Transport(e.to_string()))?;
        let mut builder = builder.port(settings.port).timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp { transport: builder.build(), from })
    }

    pub fn outbox(dir: PathBuf, from: &str) -> Result<Self, MailError> {
        let from: Mailbox = from.parse().map_err(|_| MailError::Address(from.to_owned()))?;
        Ok(Self::Outbox { dir, from })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from,
        }
    }

    /// Sends a plain-text message, with `calendar` attached as `appointment.ics` if given.
    pub async fn send(&self, to: &str, subject: &str, body: &str, calendar: Option<&str>) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|_| MailError::Address("(recipient)".into()))?;
        let builder = Message::builder().from(self.from().clone()).to(to).subject(subject);
        let message = match calendar {
            None => builder.header(ContentType::TEXT_PLAIN).body(body.to_owned()),
            Some(ics) => {
                let kind = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH").map_err(|e| MailError::Build(e.to_string()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(body.to_owned()))
                        .singlepart(Attachment::new("appointment.ics".to_owned()).body(ics.to_owned(), kind)),
                )
            }
        }
        .map_err(|e| MailError::Build(e.to_string()))?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .map_err(|e| if e.is_permanent() { MailError::Refused(e.to_string()) } else { MailError::Transport(e.to_string()) })?;
            }
            Mailer::Outbox { dir, .. } => {
                std::fs::create_dir_all(dir).map_err(|e| MailError::Outbox(e.to_string()))?;
                let path = dir.join(format!("{}.eml", uuid::Uuid::now_v7()));
                std::fs::write(&path, message.formatted()).map_err(|e| MailError::Outbox(e.to_string()))?;
                tracing::info!(path = %path.display(), "mail written to the outbox folder");
            }
        }
        Ok(())
    }
}

impl MailTransport for Mailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> Pin<Box<dyn Future<Output = Result<(), MailFailure>> + Send + 'a>> {
        Box::pin(async move {
            // What the server said may name the recipient: it is logged at debug level only,
            // and the job keeps a fixed reason.
            Mailer::send(self, &mail.to, &mail.subject, &mail.body, mail.calendar.as_deref()).await.map_err(|e| {
                tracing::debug!(error = %e, "mail delivery failed");
                match e {
                    MailError::Address(_) => MailFailure::Permanent("the address can't be used"),
                    MailError::Build(_) => MailFailure::Permanent("the message could not be built"),
                    MailError::Refused(_) => MailFailure::Permanent("the mail server refused the message"),
                    MailError::Transport(_) => MailFailure::Transient("the mail server is unavailable"),
                    MailError::Outbox(_) => MailFailure::Transient("the outbox folder could not be written"),
                }
            })
        })
    }
}
