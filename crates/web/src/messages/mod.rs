//! Secure messaging between patients and their care team: threads, exact delivery over
//! the live WebSocket (resume by sequence number, idempotent resends), pages that work
//! without JavaScript, encrypted bodies and files, notification mail without content.

pub mod files;
pub mod live;
pub mod pages;
pub mod service;

use haven_domain::Role;
use haven_store::{StoredMessage, Thread};

use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

/// Whether `current` is a member of `thread`.
pub async fn is_member(state: &AppState, current: &CurrentUser, thread: &Thread) -> Result<bool, AppError> {
    if current.user.id == thread.patient {
        return Ok(current.user.memberships.contains(&(thread.practice, Role::Patient)));
    }
    if current.user.memberships.contains(&(thread.practice, Role::Clinician)) && state.store.on_care_team_in(thread.practice, thread.patient, current.user.id).await? {
        return Ok(true);
    }
    if current.user.memberships.contains(&(thread.practice, Role::Admin)) {
        return Ok(state.store.messaging_settings(thread.practice).await?.1);
    }
    Ok(false)
}

/// A message's text, opened from its sealed form.
pub fn body(state: &AppState, message: &StoredMessage) -> Result<String, AppError> {
    let plain = state
        .vault
        .open(&format!("messages.body:{}", message.id), &message.sealed_body)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(String::from_utf8_lossy(&plain).into_owned())
}
