//! Storage for Haven.
//!
//! Every query's SQL is written once and runs on both backends: the [`on_pool!`] macro
//! expands the same body against the SQLite or the PostgreSQL pool. Only DDL (kept in
//! `migrations/sqlite` and `migrations/postgres`) and the few places where the dialects
//! really differ (advisory locks, for one) have a method per backend.
//!
//! Conventions that keep one SQL text valid on both: `$1` placeholders, ids as UUID (BLOB
//! on SQLite), times as BIGINT unix microseconds, booleans as BOOLEAN/INTEGER, `RETURNING`.

#[macro_use]
mod db;
mod checkpointer;
#[macro_use]
mod audit;
#[macro_use]
mod mail;
#[macro_use]
mod users;
#[macro_use]
mod messages;
mod group;
mod scheduling;
mod care_team;
mod charts;
mod error;
mod events;
mod invitations;
mod keys;
mod mfa;
mod passkeys;
mod migrate;
mod practices;
mod rate_limits;
mod resets;
mod sessions;
mod time;
mod visits;

pub use audit::{AuditFilter, AuditRecord, ChainReport};
pub use care_team::PatientSummary;
pub use charts::{NewGrant, NewNote, NoteRecord};
pub use invitations::{Invitation, NewInvitation};
pub use keys::WrappedKey;
pub use passkeys::StoredPasskey;
pub use mail::{NewMail, QueuedMail};
pub use db::{Backend, Store, StoreOptions};
pub use error::{StoreError, StoreResult};
pub use events::Subscription;
pub use messages::{AttachmentInfo, NewAttachment, NewMessage, Sent, StoredMessage, Thread, ThreadPerson};
pub use migrate::MigrationStatus;
pub use practices::Practice;
pub use scheduling::{
    Appointment, AppointmentStatus, ClinicianHours, ClinicianProfile, DueJob, Effects, Location, MAIL_JOB, NewAppointment, NewJob, PracticeSettings,
    TimeOff, VisitType, WaitlistEntry, decode_mail, encode_mail,
};
pub use sessions::{NewSession, SessionRecord};
pub use users::{NewUser, User};
pub use visits::{CheckIn, NewConsent, Visit};
