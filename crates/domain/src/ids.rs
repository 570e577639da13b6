//! Newtype ids: a `PatientId` can't be passed where a `UserId` is expected by accident.
//!
//! Ids are UUIDv7 (time-ordered, so indexes stay compact) and never sequential, so a URL
//! doesn't reveal how many records exist or invite guessing the next one.

use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            #[must_use]
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A practice: a solo therapist or a clinic, the unit of tenancy.
    PracticeId
);
id_type!(
    /// A person who signs in: staff or patient.
    UserId
);
id_type!(
    /// A booked (or once-booked) visit.
    AppointmentId
);
id_type!(
    /// A kind of visit a clinician offers: intake, therapy, medication management.
    VisitTypeId
);
id_type!(
    /// One of a practice's offices, for in-person visits.
    LocationId
);
id_type!(
    /// A conversation between a patient and their care team.
    ThreadId
);
id_type!(
    /// One secure message.
    MessageId
);
id_type!(
    /// A file sent with a message.
    AttachmentId
);
id_type!(
    /// A server-side sign-in session (never the cookie's secret token itself).
    SessionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = UserId::new();
        let parsed: UserId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = PracticeId::new();
        let b = PracticeId::new();
        assert!(a < b);
    }
}
id_type!(
    /// An invitation to join a practice, until it is accepted.
    InvitationId
);
