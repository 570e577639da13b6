//! Scheduling rules: when a clinician can be booked, how visits are held, recurring series
//! and calendar files. Pure functions over time, tested with properties across time zones
//! and daylight-saving changes.

pub mod booking;
pub mod ics;
pub mod modality;
pub mod recurrence;
pub mod slots;
pub mod status;

pub use booking::{Booker, BookingProblem, check_time, is_late_cancellation};
pub use modality::{Jurisdiction, Modality};
pub use slots::{Availability, DateHours, WeeklyHours, open_slots};
pub use status::AppointmentStatus;
