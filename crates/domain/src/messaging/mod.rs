//! Secure messaging rules: what a message may be, what a file may be, and who is told.

pub mod body;
pub mod files;

pub use body::{BodyProblem, MAX_BODY_CHARS, check_body, check_client_id};
pub use files::{FileKind, download_name, sniff};
