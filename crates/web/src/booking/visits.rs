//! A person's appointments: the list, one visit's page, moving and cancelling it; staff
//! also mark no-shows and late cancellations. Every view and change is audited.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::booking::{Refusal, availability, modality_key, notify, status_key};
use haven_app::when;
use haven_domain::scheduling::{AppointmentStatus, Modality};
use haven_store::Appointment;
use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Deserialize;

use super::pick::{DayView, days};
use super::viewer_zone;
use crate::access::Scoped;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

pub struct VisitRow {
    pub id: String,
    pub when: String,
    pub with: String,
    pub how: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "appointments.html")]
struct ListPage {
    chrome: Chrome,
    upcoming: Vec<VisitRow>,
    past: Vec<VisitRow>,
    zone: String,
}

pub async fn list(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let Some(practice) = actor.patient_practices().first().copied() else {
        return Ok(Redirect::to("/schedule").into_response());
    };
    let chrome = Chrome::signed(&state, lang.0, "/appointments", &actor);
    let all = state.app.booking.mine(&actor).await?;
    let (zone, tz) = viewer_zone(&state, &actor, practice, None).await?;
    let now = state.app.cx.now();
    let row = |a: &Appointment| VisitRow {
        id: a.id.to_string(),
        when: when::when_label(lang.0, a.starts_at, &tz),
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
    /// "Cancel your visit with … on …?"
    cancel_question: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailQuery {
    done: String,
}

async fn render_detail(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    a: &Appointment,
    done: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let chrome = Chrome::signed(state, lang.0, &format!("/appointments/{}", a.id), actor);
    let (_, tz) = viewer_zone(state, actor, a.practice, None).await?;
    let now = state.app.cx.now();
    let settings = state.app.cx.practice_settings(a.practice).await?;
    let window = SignedDuration::from_hours(settings.late_cancel_hours);
    // The late-cancellation policy is the patient's to know; staff cancel without a fee.
    let staff = actor.is_staff_of(a.practice);
    let late_warning = (!staff && haven_domain::scheduling::is_late_cancellation(now, a.starts_at, window)).then(|| {
        if settings.late_cancel_policy.trim().is_empty() {
            chrome.t1("appt-late-warning", "hours", &settings.late_cancel_hours.to_string())
        } else {
            settings.late_cancel_policy.clone()
        }
    });
    let page = DetailPage {
        id: a.id.to_string(),
        when: when::when_label(lang.0, a.starts_at, &tz),
        ends: when::time_label(lang.0, a.ends_at, &tz),
        clinician: a.clinician_name.clone(),
        patient: a.patient_name.clone(),
        visit: a.visit_name.get(lang.0).to_owned(),
        how: chrome.t(modality_key(a.modality)),
        address: notify::address(&state.app.cx, a).await?,
        phone: a.modality == Modality::Phone,
        video: a.modality == Modality::Video,
        status: chrome.t(status_key(a.status)),
        booked: a.status == AppointmentStatus::Booked,
        changeable: a.status == AppointmentStatus::Booked && a.starts_at > now,
        staff: actor.is_staff_of(a.practice),
        past: a.starts_at <= now,
        late_warning,
        cancel_question: chrome.t2("appt-cancel-confirm", ("name", &a.clinician_name), ("when", &when::when_label(lang.0, a.starts_at, &tz))),
        joinable: haven_app::visits::room_open(a, now) && haven_app::visits::party_of(actor.id(), a).is_some(),
        sequence: a.sequence,
        done: done.and_then(|d| match d {
            // Staff booking for a patient: the mail went to the patient.
            "booked" if staff => Some(chrome.t1("appt-done-booked-staff", "name", &a.patient_name)),
            "moved" if staff => Some(chrome.t1("appt-done-moved-staff", "name", &a.patient_name)),
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

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    state.app.booking.record_read(&actor, &a).await?;
    render_detail(lang, &state, &actor, &a, Some(&q.done), None, StatusCode::OK).await
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

async fn render_reschedule(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    a: &Appointment,
    from: &str,
    refusal: Option<&Refusal>,
) -> Result<Response, AppError> {
    let chrome = Chrome::signed(state, lang.0, &format!("/appointments/{}/reschedule", a.id), actor);
    let (zone, tz) = viewer_zone(state, actor, a.practice, None).await?;
    let store = &state.app.cx.store;
    let profile = store.clinician_profile(a.clinician).await?.ok_or(AppError::NotFound)?;
    let visit = store.visit_type(a.visit_type).await?.ok_or(AppError::NotFound)?;
    let today = state.app.cx.now().to_zoned(tz.clone()).date();
    let first = from.parse::<Date>().ok().filter(|d| *d >= today).unwrap_or(today);
    let (times, alternatives) = if let Some(Refusal::Taken(next)) = refusal {
        (next.clone(), true)
    } else {
        let start = first.to_zoned(tz.clone()).map_err(|e| AppError::internal("a day could not be placed in its zone", e))?.timestamp();
        let until = start.checked_add(SignedDuration::from_hours(24 * 7)).unwrap_or(start);
        (availability::open_times(&state.app.cx, &profile, &visit, start, until, Some(a.id)).await?, false)
    };
    let next_week = first.checked_add(jiff::Span::new().days(7)).unwrap_or(first);
    let status = match refusal {
        Some(Refusal::Taken(_)) => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = ReschedulePage {
        id: a.id.to_string(),
        intro: chrome.t2("resched-now", ("clinician", &a.clinician_name), ("when", &when::when_label(lang.0, a.starts_at, &tz))),
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

pub async fn reschedule_form(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Query(q): Query<RescheduleQuery>,
) -> Result<Response, AppError> {
    state.app.booking.record_read(&actor, &a).await?;
    if a.status != AppointmentStatus::Booked || a.starts_at <= state.app.cx.now() {
        return render_detail(lang, &state, &actor, &a, None, Some("booking-error-not-changeable"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    render_reschedule(lang, &state, &actor, &a, &q.from, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    start: String,
    sequence: i64,
    status: String,
}

pub async fn reschedule(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let Some(start) = when::parse_instant(&form.start) else {
        state.app.booking.record_read(&actor, &a).await?;
        return render_reschedule(lang, &state, &actor, &a, "", Some(&Refusal::Problem("booking-error-no-time"))).await;
    };
    match state.app.booking.reschedule(&actor, &a, form.sequence, start).await? {
        Ok(()) => Ok(Redirect::to(&format!("/appointments/{}?done=moved", a.id)).into_response()),
        Err(refusal) => {
            state.app.booking.record_read(&actor, &a).await?;
            render_reschedule(lang, &state, &actor, &a, "", Some(&refusal)).await
        }
    }
}

pub async fn cancel(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    change_status(lang, &state, &actor, &a, form.sequence, AppointmentStatus::Cancelled, "cancelled").await
}

/// Staff: mark a no-show or a late cancellation.
pub async fn set_status(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    if !actor.is_staff_of(a.practice) {
        return Err(state.app.booking.refuse(&actor, &a).await.into());
    }
    let status = match form.status.as_str() {
        "no_show" => AppointmentStatus::NoShow,
        "late_cancelled" => AppointmentStatus::LateCancelled,
        _ => {
            state.app.booking.record_read(&actor, &a).await?;
            return render_detail(lang, &state, &actor, &a, None, Some("booking-error-status"), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    change_status(lang, &state, &actor, &a, form.sequence, status, "updated").await
}

async fn change_status(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    a: &Appointment,
    sequence: i64,
    status: AppointmentStatus,
    done: &str,
) -> Result<Response, AppError> {
    match state.app.booking.close(actor, a, sequence, status).await? {
        Ok(_) => Ok(Redirect::to(&format!("/appointments/{}?done={done}", a.id)).into_response()),
        Err(refusal) => {
            state.app.booking.record_read(actor, a).await?;
            let fresh = state.app.booking.fresh(a).await?;
            render_detail(lang, state, actor, &fresh, None, Some(refusal.key()), StatusCode::CONFLICT).await
        }
    }
}
