//! Background work that runs beside the web server: delivering queued mail, housekeeping.

pub mod mail_sender;
pub mod mailer;
pub mod sweeper;

pub use mail_sender::{send_due, spawn_mail_sender};
pub use mailer::{MailError, Mailer, SmtpSecurity, SmtpSettings};
pub use sweeper::spawn_session_sweeper;
