//! Background work that runs beside the web server: delivering queued mail, running due jobs
//! (reminders), housekeeping.

pub mod job_runner;
pub mod mail_sender;
pub mod mailer;
pub mod sweeper;

pub use job_runner::{run_due_jobs, spawn_job_runner};
pub use mail_sender::{send_due, spawn_mail_sender};
pub use mailer::{MailError, Mailer, SmtpSecurity, SmtpSettings};
pub use sweeper::spawn_session_sweeper;
