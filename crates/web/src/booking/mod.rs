//! Booking pages for patients: finding a clinician, choosing a time, and their own
//! appointments (which staff open too). The rules and the writes are `haven_app::booking`'s.

pub mod find;
pub mod pick;
pub mod visits;

use haven_app::Actor;
use haven_domain::PracticeId;
use jiff::tz::TimeZone;

use crate::error::AppError;
use crate::state::AppState;

/// The viewer's zone for a practice's times: their choice, else their saved one, else the
/// practice's.
/// The zone a person reads times in anywhere (their own choice, else their first practice's).
pub async fn reader_zone(state: &AppState, actor: &Actor) -> Result<TimeZone, AppError> {
    let practice_zone = match actor.user.memberships.first() {
        Some((practice, _)) => state.app.cx.practice_settings(*practice).await?.time_zone,
        None => String::new(),
    };
    Ok(haven_app::when::viewer_zone(None, actor.user.time_zone.as_deref(), &practice_zone).1)
}

pub async fn viewer_zone(state: &AppState, actor: &Actor, practice: PracticeId, choice: Option<&str>) -> Result<(String, TimeZone), AppError> {
    let practice = state.app.cx.practice_settings(practice).await?;
    Ok(haven_app::when::viewer_zone(choice, actor.user.time_zone.as_deref(), &practice.time_zone))
}
