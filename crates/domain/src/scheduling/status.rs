//! Where an appointment stands.

/// An appointment's status as booked and changed by people. (Whether its visit took place
/// is the visit record's business: see `crate::visits`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
    /// Cancelled within the practice's late-cancellation window.
    LateCancelled,
    NoShow,
    /// The visit took place and was ended. Read from the visit record (a booked appointment
    /// whose visit has ended), never stored or requested as a change.
    Completed,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 5] = [Self::Booked, Self::Cancelled, Self::LateCancelled, Self::NoShow, Self::Completed];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::LateCancelled => "late_cancelled",
            AppointmentStatus::NoShow => "no_show",
            AppointmentStatus::Completed => "completed",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips() {
        for status in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(AppointmentStatus::parse("done"), None);
    }
}
