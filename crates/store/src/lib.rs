//! Storage for Haven.
//!
//! Every query's SQL is written once and runs on both backends: the `on_pool!` macro runs
//! the same body against the SQLite or the PostgreSQL pool, and `on_conn!` against the
//! connection of an open transaction ([`conn::Tx`]), whose typed pieces (an audit entry, a
//! job, a message) any change can write with itself. Only DDL (kept in
//! `migrations/sqlite` and `migrations/postgres`) and the few places where the dialects
//! really differ (advisory locks, `SKIP LOCKED`, `NOTIFY`) have a branch per backend.
//!
//! Conventions that keep one SQL text valid on both: `$1` placeholders, ids as UUID (BLOB
//! on SQLite), times as BIGINT unix microseconds, booleans as BOOLEAN/INTEGER, `RETURNING`.

mod audit;
mod care_team;
mod charts;
mod checkpointer;
mod conn;
mod db;
mod effects;
mod error;
mod events;
mod group;
mod invitations;
mod jobs;
mod keys;
mod live_events;
mod measures;
mod messages;
mod mfa;
mod migrate;
mod passkeys;
mod practices;
mod rate_limits;
mod read_pool;
mod resets;
mod scheduling;
mod schema;
mod sessions;
mod time;
mod users;
mod visits;

pub use audit::{AuditFilter, AuditRecord, ChainReport};
pub use care_team::PatientSummary;
pub use charts::{NewGrant, NewNote, NoteRecord};
pub use db::{Backend, PoolStats, Store, StoreOptions};
pub use effects::Effects;
pub use error::{StoreError, StoreResult};
pub use events::Subscription;
pub use invitations::{Invitation, NewInvitation, PendingInvitation};
pub use jobs::{ClaimedJob, NewJob, QueueStats};
pub use keys::WrappedKey;
pub use live_events::LiveEvent;
pub use measures::{
    AssignmentRecord, Issue, MeasureSettings, NewAssignment, NewRequest, NewResponse, NewSignal, RequestRecord, ResponseRecord, SignalRecord,
    ToReview,
};
pub use messages::{AttachmentInfo, NewAttachment, NewMessage, Sent, StoredMessage, Thread, ThreadPerson, ThreadSummary};
pub use migrate::MigrationStatus;
pub use passkeys::StoredPasskey;
pub use practices::Practice;
pub use scheduling::{Appointment, ClinicianHours, ClinicianProfile, Location, NewAppointment, PracticeSettings, TimeOff, VisitType, WaitlistEntry};
pub use schema::{Column, ForeignKey, Schema, Table, TypeFamily};
pub use sessions::{NewSession, SessionRecord};
pub use users::{NewUser, User};
pub use visits::{CheckIn, NewConsent, Visit};
