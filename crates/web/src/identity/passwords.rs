//! Password work on a blocking thread: Argon2 takes tens of milliseconds of CPU by design,
//! which would stall the async workers that serve everyone else.

use haven_domain::UserId;

use crate::error::AppError;
use crate::state::AppState;

/// Re-authentication: does `password` match this person's current one?
pub async fn matches(state: &AppState, user: UserId, password: String) -> Result<bool, AppError> {
    let hash = state.store.password_hash(user).await?.unwrap_or_default();
    let worker = state.clone();
    tokio::task::spawn_blocking(move || worker.hasher.verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A new password's hash, for storing.
pub async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    let worker = state.clone();
    tokio::task::spawn_blocking(move || worker.hasher.hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}
