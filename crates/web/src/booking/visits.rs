//! A person's appointments: the list, one visit's page, moving and cancelling it; staff
//! also mark no-shows and late cancellations. Every view and change is audited.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::AppointmentId;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::Modality;
use haven_store::{Appointment, AppointmentStatus};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::SignedDuration;
use serde::Deserialize;

use super::pick::{DayView, days};
use super::service::{self, Refusal};
use super::{html, is_staff_of, modality_key, notify, parse_id, when};
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

pub struct VisitRow {
    pub id: String,
    pub when: String,
    pub with: String,
    pub how: String,
    pub status: String,
}

#[must_use]
pub fn status_key(s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Booked => "appt-status-booked",
        AppointmentStatus::Cancelled => "appt-status-cancelled",
        AppointmentStatus::LateCancelled => "appt-status-late-cancelled",
        AppointmentStatus::NoShow => "appt-status-no-show",
    }
}

/// The viewer's zone for a practice's appointments.
pub async fn viewer_zone(state: &AppState, current: &CurrentUser, practice: haven_domain::PracticeId, choice: Option<&str>) -> Result<(String, TimeZone), AppError> {
    let saved = state.store.user_time_zone(current.user.id).await?;
    let practice = state.store.practice_settings(practice).await?;
    Ok(when::viewer_zone(choice, saved.as_deref(), &practice.time_zone))
}

#[derive(Template)]
#[template(path = "appointments.html")]
struct ListPage {
    chrome: Chrome,
    upcoming: Vec<VisitRow>,
    past: Vec<VisitRow>,
    zone: String,
}

pub async fn list(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser) -> Result<Response, AppError> {
    if super::patient_practices(&current).is_empty() {
        return Ok(Redirect::to("/schedule").into_response());
    }
    let chrome = Chrome::new(lang.0, "/appointments", &state.config.crisis).for_user(&current, &state.config.sessions);
    let all = state.store.appointments_of_patient(current.user.id).await?;
    audit::record(&state, peer, Entry { actor: Some(current.user.id), practice: None, patient: Some(current.user.id), action: AuditAction::Read, category: DataCategory::Appointments, outcome: Outcome::Success }).await?;
    let practice = super::patient_practices(&current)[0];
    let (zone, tz) = viewer_zone(&state, &current, practice, None).await?;
    let now = state.clock.now();
    let row = |a: &Appointment| VisitRow {
        id: a.id.to_string(),
        when: when::when_label(lang.0, a.starts_at, &tz, &zone),
        with: a.clinician_name.clone(),
        how: chrome.t(modality_key(a.modality)),
        status: chrome.t(status_key(a.status)),
    };
    let upcoming = all.iter().filter(|a| a.ends_at > now && a.status == AppointmentStatus::Booked).map(row).collect();
    let mut past: Vec<VisitRow> = all.iter().filter(|a| a.ends_at <= now || a.status != AppointmentStatus::Booked).map(row).collect();
    past.reverse();
    html(&ListPage { chrome, upcoming, past, zone }).map(IntoResponse::into_response)
}

#[derive(Template)]
#[template(path = "appointment.html")]
struct DetailPage {
    chrome: Chrome,
    id: String,
    when: String,
    ends: String,
    clinician: String,
    patient: String,
    visit: String,
    how: String,
    address: Option<String>,
    phone: bool,
    video: bool,
    status: String,
    booked: bool,
    changeable: bool,
    staff: bool,
    past: bool,
    late_warning: Option<String>,
    /// The visit's room is open and this person is one of its two parties.
    joinable: bool,
    sequence: i64,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailQuery {
    done: String,
}

async fn render_detail(lang: Lang, state: &AppState, current: &CurrentUser, a: &Appointment, done: Option<&str>, error: Option<&str>, status: StatusCode) -> Result<Response, AppError> {
    let chrome = Chrome::new(lang.0, &format!("/appointments/{}", a.id), &state.config.crisis).for_user(current, &state.config.sessions);
    let (zone, tz) = viewer_zone(state, current, a.practice, None).await?;
    let now = state.clock.now();
    let settings = state.store.practice_settings(a.practice).await?;
    let window = SignedDuration::from_hours(settings.late_cancel_hours);
    let late_warning = haven_domain::scheduling::is_late_cancellation(now, a.starts_at, window).then(|| {
        if settings.late_cancel_policy.trim().is_empty() {
            chrome.t1("appt-late-warning", "hours", &settings.late_cancel_hours.to_string())
        } else {
            settings.late_cancel_policy.clone()
        }
    });
    let page = DetailPage {
        id: a.id.to_string(),
        when: when::when_label(lang.0, a.starts_at, &tz, &zone),
        ends: when::time_label(a.ends_at, &tz),
        clinician: a.clinician_name.clone(),
        patient: a.patient_name.clone(),
        visit: a.visit_name.clone(),
        how: chrome.t(modality_key(a.modality)),
        address: notify::address(state, a).await?,
        phone: a.modality == Modality::Phone,
        video: a.modality == Modality::Video,
        status: chrome.t(status_key(a.status)),
        booked: a.status == AppointmentStatus::Booked,
        changeable: a.status == AppointmentStatus::Booked && a.starts_at > now,
        staff: is_staff_of(current, a.practice),
        past: a.starts_at <= now,
        late_warning,
        joinable: crate::visits::room_open(a, now) && crate::visits::party_of(current, a).is_some(),
        sequence: a.sequence,
        done: done.and_then(|d| match d {
            "booked" => Some(chrome.t("appt-done-booked")),
            "moved" => Some(chrome.t("appt-done-moved")),
            "cancelled" => Some(chrome.t("appt-done-cancelled")),
            "updated" => Some(chrome.t("appt-done-updated")),
            _ => None,
        }),
        error: error.map(|k| chrome.t(k)),
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

fn read_entry(current: &CurrentUser, a: &Appointment) -> Entry {
    Entry { actor: Some(current.user.id), practice: Some(a.practice), patient: Some(a.patient), action: AuditAction::Read, category: DataCategory::Appointments, outcome: Outcome::Success }
}

pub async fn show(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Query(q): Query<DetailQuery>) -> Result<Response, AppError> {
    let a = service::load(&state, peer, &current, parse_id::<AppointmentId>(&id)?).await?;
    audit::record(&state, peer, read_entry(&current, &a)).await?;
    render_detail(lang, &state, &current, &a, Some(&q.done), None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "reschedule.html")]
struct ReschedulePage {
    chrome: Chrome,
    id: String,
    intro: String,
    sequence: i64,
    days: Vec<DayView>,
    zone: String,
    error: Option<String>,
    alternatives: bool,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RescheduleQuery {
    from: String,
}

async fn render_reschedule(lang: Lang, state: &AppState, current: &CurrentUser, a: &Appointment, from: &str, refusal: Option<&Refusal>) -> Result<Response, AppError> {
    let chrome = Chrome::new(lang.0, &format!("/appointments/{}/reschedule", a.id), &state.config.crisis).for_user(current, &state.config.sessions);
    let (zone, tz) = viewer_zone(state, current, a.practice, None).await?;
    let profile = state.store.clinician_profile(a.clinician).await?.ok_or(AppError::NotFound)?;
    let visit = state.store.visit_type(a.visit_type).await?.ok_or(AppError::NotFound)?;
    let today = state.clock.now().to_zoned(tz.clone()).date();
    let first = from.parse::<Date>().ok().filter(|d| *d >= today).unwrap_or(today);
    let (times, alternatives) = if let Some(Refusal::Taken(next)) = refusal {
        (next.clone(), true)
    } else {
        let start = first.to_zoned(tz.clone()).map_err(|e| AppError::Internal(e.to_string()))?.timestamp();
        let until = start.checked_add(SignedDuration::from_hours(24 * 7)).unwrap_or(start);
        (service::open_times(state, &profile, &visit, start, until, Some(a.id)).await?, false)
    };
    let next_week = first.checked_add(jiff::Span::new().days(7)).unwrap_or(first);
    let status = match refusal {
        Some(Refusal::Taken(_)) => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = ReschedulePage {
        id: a.id.to_string(),
        intro: chrome.t2("resched-now", ("clinician", &a.clinician_name), ("when", &when::when_label(lang.0, a.starts_at, &tz, &zone))),
        sequence: a.sequence,
        days: days(lang.0, &times, &tz),
        next: format!("/appointments/{}/reschedule?from={next_week}", a.id),
        zone,
        error: refusal.map(|r| chrome.t(r.key())),
        alternatives,
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn reschedule_form(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Query(q): Query<RescheduleQuery>) -> Result<Response, AppError> {
    let a = service::load(&state, peer, &current, parse_id::<AppointmentId>(&id)?).await?;
    audit::record(&state, peer, read_entry(&current, &a)).await?;
    if a.status != AppointmentStatus::Booked || a.starts_at <= state.clock.now() {
        return render_detail(lang, &state, &current, &a, None, Some("booking-error-not-changeable"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    render_reschedule(lang, &state, &current, &a, &q.from, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    start: String,
    sequence: i64,
    status: String,
}

pub async fn reschedule(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Form(form): Form<ChangeForm>) -> Result<Response, AppError> {
    let a = service::load(&state, peer, &current, parse_id::<AppointmentId>(&id)?).await?;
    let Some(start) = when::parse_instant(&form.start) else {
        audit::record(&state, peer, read_entry(&current, &a)).await?;
        return render_reschedule(lang, &state, &current, &a, "", Some(&Refusal::Problem("booking-error-no-time"))).await;
    };
    match service::reschedule(&state, peer, &current, &a, form.sequence, start).await? {
        Ok(()) => Ok(Redirect::to(&format!("/appointments/{}?done=moved", a.id)).into_response()),
        Err(refusal) => {
            audit::record(&state, peer, read_entry(&current, &a)).await?;
            render_reschedule(lang, &state, &current, &a, "", Some(&refusal)).await
        }
    }
}

pub async fn cancel(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Form(form): Form<ChangeForm>) -> Result<Response, AppError> {
    let a = service::load(&state, peer, &current, parse_id::<AppointmentId>(&id)?).await?;
    change_status(lang, &state, peer, &current, &a, form.sequence, AppointmentStatus::Cancelled, "cancelled").await
}

/// Staff: mark a no-show or a late cancellation.
pub async fn set_status(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Form(form): Form<ChangeForm>) -> Result<Response, AppError> {
    let a = service::load(&state, peer, &current, parse_id::<AppointmentId>(&id)?).await?;
    let status = match form.status.as_str() {
        "no_show" => AppointmentStatus::NoShow,
        "late_cancelled" => AppointmentStatus::LateCancelled,
        _ => {
            audit::record(&state, peer, read_entry(&current, &a)).await?;
            return render_detail(lang, &state, &current, &a, None, Some("booking-error-status"), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    change_status(lang, &state, peer, &current, &a, form.sequence, status, "updated").await
}

#[allow(clippy::too_many_arguments)]
async fn change_status(lang: Lang, state: &AppState, peer: SocketAddr, current: &CurrentUser, a: &Appointment, sequence: i64, status: AppointmentStatus, done: &str) -> Result<Response, AppError> {
    match service::close(state, peer, current, a, sequence, status).await? {
        Ok(_) => Ok(Redirect::to(&format!("/appointments/{}?done={done}", a.id)).into_response()),
        Err(refusal) => {
            audit::record(state, peer, read_entry(current, a)).await?;
            let fresh = state.store.appointment(a.id).await?.unwrap_or_else(|| a.clone());
            render_detail(lang, state, current, &fresh, None, Some(refusal.key()), StatusCode::CONFLICT).await
        }
    }
}
