//! Scheduling storage: clinicians' profiles and hours, appointments (with the database's own
//! guarantee against double booking), the waitlist, and the job queue for reminders.

#[macro_use]
pub(crate) mod jobs;
pub(crate) mod appointments;
pub(crate) mod hours;
pub(crate) mod profiles;
pub(crate) mod waitlist;

pub use appointments::{Appointment, AppointmentStatus, Effects, NewAppointment};
pub use hours::{ClinicianHours, TimeOff};
pub use jobs::{DueJob, MAIL_JOB, NewJob, decode_mail, encode_mail};
pub use profiles::{ClinicianProfile, Location, PracticeSettings, VisitType};
pub use waitlist::WaitlistEntry;
