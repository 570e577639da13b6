//! The patient's safety details, sealed at rest: sealing, opening, and the last ones given
//! (to prefill the next check-in).

use haven_domain::visits::SafetyDetails;
use haven_domain::{AppointmentId, UserId};

use crate::error::AppError;
use crate::state::AppState;

fn associated(appointment: AppointmentId) -> String {
    format!("visits.safety:{appointment}")
}

pub fn seal(state: &AppState, appointment: AppointmentId, details: &SafetyDetails) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_vec(details).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(state.vault.seal(&associated(appointment), &json))
}

pub fn open(state: &AppState, appointment: AppointmentId, sealed: &[u8]) -> Result<SafetyDetails, AppError> {
    let plain = state.vault.open(&associated(appointment), sealed).map_err(|e| AppError::Internal(e.to_string()))?;
    serde_json::from_slice(&plain).map_err(|e| AppError::Internal(e.to_string()))
}

/// What the patient gave last time, if anything.
pub async fn last(state: &AppState, patient: UserId) -> Result<Option<SafetyDetails>, AppError> {
    match state.store.last_safety(patient).await? {
        Some((appointment, sealed)) => Ok(Some(open(state, appointment, &sealed)?)),
        None => Ok(None),
    }
}
