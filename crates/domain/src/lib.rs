//! Haven's domain: the types and rules every other crate speaks in.
//!
//! Nothing here performs I/O, so every rule can be unit- and property-tested in isolation.

pub mod access;
pub mod audit;
pub mod clock;
pub mod crisis;
pub mod email;
pub mod ids;
pub mod language;
pub mod measures;
pub mod messaging;
pub mod password;
pub mod rate_limit;
pub mod role;
pub mod scheduling;
pub mod text;
pub mod visits;

pub use clock::{Clock, ManualClock, SystemClock};
pub use crisis::{CrisisLine, CrisisLines};
pub use email::Email;
pub use ids::{AppointmentId, AttachmentId, InvitationId, LocationId, MessageId, PracticeId, SessionId, ThreadId, UserId, VisitTypeId};
pub use language::{Bilingual, Language};
pub use role::Role;
