//! A clinician's private calendar feed: an `.ics` URL with a secret token their calendar
//! app subscribes to. The token's digest is stored; replacing or revoking it cuts off old
//! copies. Calendar apps often sync to a third party's cloud, so events name no patient.

use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use haven_crypto::SecretToken;
use haven_domain::scheduling::ics::{CalendarEvent, calendar};
use haven_store::AppointmentStatus;
use jiff::SignedDuration;

use crate::booking::modality_key;
use crate::error::AppError;
use crate::i18n::translate;
use crate::state::AppState;

pub async fn serve(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>, Path(token): Path<String>) -> Result<Response, AppError> {
    let raw = token.strip_suffix(".ics").unwrap_or(&token);
    let token = SecretToken::from_client(raw).ok_or(AppError::NotFound)?;
    let clinician = state.store.clinician_by_feed_token(&token.digest()).await?.ok_or(AppError::NotFound)?;
    let profile = state.store.clinician_profile(clinician).await?.ok_or(AppError::NotFound)?;
    let user = state.store.user(clinician).await?.ok_or(AppError::NotFound)?;
    // A deactivated clinician's (or former clinician's) feed stops with their account.
    if !user.active || !user.memberships.contains(&(profile.practice, haven_domain::Role::Clinician)) {
        return Err(AppError::NotFound);
    }
    let lang = user.language;
    let now = state.clock.now();
    let from = now.checked_sub(SignedDuration::from_hours(24 * 30)).unwrap_or(now);
    let until = now.checked_add(SignedDuration::from_hours(24 * 366)).unwrap_or(now);
    let visits = state.store.appointments_between(profile.practice, Some(clinician), from, until).await?;
    let events: Vec<CalendarEvent> = visits
        .iter()
        .filter(|a| matches!(a.status, AppointmentStatus::Booked | AppointmentStatus::Cancelled | AppointmentStatus::LateCancelled))
        .map(|a| CalendarEvent {
            uid: format!("{}@haven", a.id),
            sequence: u32::try_from(a.sequence).unwrap_or(0),
            start: a.starts_at,
            end: a.ends_at,
            summary: translate(lang, "feed-event-summary", &[("how", &translate(lang, modality_key(a.modality), &[]))]),
            description: state.link(&format!("/appointments/{}", a.id)),
            location: None,
            url: Some(state.link(&format!("/appointments/{}", a.id))),
            cancelled: a.status != AppointmentStatus::Booked,
        })
        .collect();
    let body = calendar(&events, now, Some(&translate(lang, "feed-name", &[])));
    // The feed shows times only, no patient; its reading is still recorded, as the clinician's.
    let entry = crate::audit::Entry {
        actor: Some(clinician),
        practice: Some(profile.practice),
        patient: None,
        action: haven_domain::audit::AuditAction::Read,
        category: haven_domain::audit::DataCategory::Appointments,
        outcome: haven_domain::audit::Outcome::Success,
    };
    crate::audit::record(&state, peer, entry).await?;
    Ok(([(CONTENT_TYPE, "text/calendar; charset=utf-8"), (CACHE_CONTROL, "no-store")], body).into_response())
}
