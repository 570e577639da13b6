//! Background work that reaches outside Haven: delivering mail (the application's
//! `SendMail` jobs hand each message to a [`Mailer`]), and housekeeping of sessions,
//! counters, finished jobs and live events. The job runner itself, and every job kind, are
//! `haven_app::jobs`'.

pub mod mailer;
pub mod sweeper;

pub use mailer::{MailError, Mailer, SmtpSecurity, SmtpSettings};
pub use sweeper::spawn_sweeper;
