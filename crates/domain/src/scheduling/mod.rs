//! Scheduling rules: when a clinician can be booked. Pure functions over time, tested with
//! properties across time zones and daylight-saving changes.

pub mod slots;

pub use slots::{Availability, DateHours, WeeklyHours, open_slots};
