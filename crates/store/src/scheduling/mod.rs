//! Scheduling storage: clinicians' profiles and hours, appointments (with the database's own
//! guarantee against double booking) and the waitlist.

pub(crate) mod appointments;
pub(crate) mod hours;
pub(crate) mod profiles;
pub(crate) mod waitlist;

pub use appointments::{Appointment, NewAppointment};
pub use hours::{ClinicianHours, TimeOff};
pub use profiles::{ClinicianProfile, Location, PracticeSettings, VisitType};
pub use waitlist::WaitlistEntry;
