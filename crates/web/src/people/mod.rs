//! People in a practice: inviting staff and patients, accepting invitations.

pub mod accept;
pub mod invite;
pub mod manage;
pub mod register;
