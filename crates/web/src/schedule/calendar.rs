//! Day and week calendars: one clinician's or the whole practice's appointments and time
//! off, in the viewer's time zone. Showing a patient's name is a read of their record, so
//! every patient listed is audited.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::UserId;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::{AppointmentStatus, TimeOff};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Span};
use serde::Deserialize;

use super::{may_manage, staff_practice};
use crate::audit::{self, Entry};
use crate::booking::visits::{status_key, viewer_zone};
use crate::booking::{html, modality_key, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalendarQuery {
    pub view: String,
    pub date: String,
    pub clinician: String,
    pub done: String,
}

struct Entry_ {
    time: String,
    link: Option<String>,
    text: String,
    detail: String,
    cancelled: bool,
}

struct DayColumn {
    label: String,
    entries: Vec<Entry_>,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct CalendarPage {
    chrome: Chrome,
    week: bool,
    title: String,
    clinicians: Vec<(String, String)>,
    clinician: String,
    date: String,
    days: Vec<DayColumn>,
    prev: String,
    next: String,
    day_link: String,
    week_link: String,
    zone: String,
    can_block: bool,
    notice: Option<String>,
    error: Option<String>,
}

fn link(view: &str, date: Date, clinician: &str) -> String {
    format!("/schedule?view={view}&date={date}&clinician={clinician}")
}

pub async fn show(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Query(q): Query<CalendarQuery>) -> Result<Response, AppError> {
    render(lang, &state, peer, &current, &q, None, StatusCode::OK).await
}

async fn render(lang: Lang, state: &AppState, peer: SocketAddr, current: &CurrentUser, q: &CalendarQuery, error: Option<&str>, status: StatusCode) -> Result<Response, AppError> {
    let practice = staff_practice(current)?;
    let chrome = Chrome::new(lang.0, "/schedule", &state.config.crisis).for_user(current, &state.config.sessions);
    let (zone, tz) = viewer_zone(state, current, practice, None).await?;
    let profiles = state.store.clinician_profiles(practice).await?;
    let own = profiles.iter().any(|p| p.user == current.user.id);
    let clinician: Option<UserId> = match q.clinician.as_str() {
        "all" => None,
        "" if !own => None,
        "" => Some(current.user.id),
        id => Some(id.parse().map_err(|_| AppError::NotFound)?),
    };
    let clinician_value = clinician.map_or_else(|| "all".to_owned(), |c| c.to_string());
    let week = q.view != "day";
    let today = state.clock.now().to_zoned(tz.clone()).date();
    let picked = q.date.parse::<Date>().unwrap_or(today);
    let first = if week { picked.checked_sub(Span::new().days(i64::from(picked.weekday().to_monday_zero_offset()))).unwrap_or(picked) } else { picked };
    let length = if week { 7 } else { 1 };
    let from = first.to_zoned(tz.clone()).map_err(|e| AppError::Internal(e.to_string()))?.timestamp();
    let last = first.checked_add(Span::new().days(length - 1)).unwrap_or(first);
    let until = last.tomorrow().unwrap_or(last).to_zoned(tz.clone()).map_err(|e| AppError::Internal(e.to_string()))?.timestamp();

    let appointments = state.store.appointments_between(practice, clinician, from, until).await?;
    let mut off: Vec<(String, TimeOff)> = Vec::new();
    for p in profiles.iter().filter(|p| clinician.is_none_or(|c| c == p.user)) {
        off.extend(state.store.time_off_of(p.user, from, until).await?.into_iter().map(|t| (p.name.clone(), t)));
    }
    let mut patients: Vec<UserId> = appointments.iter().map(|a| a.patient).collect();
    patients.sort();
    patients.dedup();
    let entries = patients
        .iter()
        .map(|p| Entry { actor: Some(current.user.id), practice: Some(practice), patient: Some(*p), action: AuditAction::Read, category: DataCategory::Appointments, outcome: Outcome::Success })
        .collect();
    audit::record_all(state, peer, entries).await?;

    let mut days: Vec<DayColumn> = Vec::new();
    let mut date = first;
    while date <= last {
        let mut items: Vec<(jiff::Timestamp, Entry_)> = Vec::new();
        for a in appointments.iter().filter(|a| a.starts_at.to_zoned(tz.clone()).date() == date) {
            let with = if clinician.is_none() { format!(" · {}", a.clinician_name) } else { String::new() };
            items.push((a.starts_at, Entry_ {
                time: format!("{}–{}", when::time_label(a.starts_at, &tz), when::time_label(a.ends_at, &tz)),
                link: Some(format!("/appointments/{}", a.id)),
                text: a.patient_name.clone(),
                detail: format!("{} · {}{with} · {}", a.visit_name, chrome.t(modality_key(a.modality)), chrome.t(status_key(a.status))),
                cancelled: a.status != AppointmentStatus::Booked,
            }));
        }
        for (name, t) in off.iter().filter(|(_, t)| t.starts_at.to_zoned(tz.clone()).date() <= date && t.ends_at.to_zoned(tz.clone()).date() >= date) {
            let label = if t.label.is_empty() { chrome.t("schedule-time-off") } else { t.label.clone() };
            items.push((t.starts_at, Entry_ {
                time: format!("{}–{}", when::time_label(t.starts_at, &tz), when::time_label(t.ends_at, &tz)),
                link: None,
                text: label,
                detail: if clinician.is_none() { name.clone() } else { chrome.t("schedule-blocked") },
                cancelled: false,
            }));
        }
        items.sort_by_key(|(t, _)| *t);
        days.push(DayColumn { label: when::day_label(lang.0, date), entries: items.into_iter().map(|(_, e)| e).collect() });
        date = date.tomorrow().unwrap_or(last.tomorrow().unwrap_or(last));
    }
    let view = if week { "week" } else { "day" };
    let step = Span::new().days(length);
    let page = CalendarPage {
        week,
        title: if week {
            chrome.t2("book-range", ("from", &when::day_label(lang.0, first)), ("to", &when::day_label(lang.0, last)))
        } else {
            when::day_label(lang.0, first)
        },
        clinicians: std::iter::once(("all".to_owned(), chrome.t("schedule-everyone")))
            .chain(profiles.iter().map(|p| (p.user.to_string(), p.name.clone())))
            .collect(),
        date: picked.to_string(),
        prev: link(view, first.checked_sub(step).unwrap_or(first), &clinician_value),
        next: link(view, first.checked_add(step).unwrap_or(first), &clinician_value),
        day_link: link("day", picked, &clinician_value),
        week_link: link("week", picked, &clinician_value),
        can_block: clinician.is_some_and(|c| may_manage(current, practice, c)),
        clinician: clinician_value,
        days,
        zone,
        notice: (q.done == "blocked").then(|| chrome.t("schedule-blocked-done")),
        error: error.map(|k| chrome.t(k)),
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BlockForm {
    clinician: String,
    date: String,
    from: String,
    to: String,
    label: String,
}

/// Blocks time in a clinician's calendar (time off); times are in the viewer's zone.
pub async fn block(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Form(form): Form<BlockForm>) -> Result<Response, AppError> {
    let practice = staff_practice(&current)?;
    let q = CalendarQuery { view: "day".into(), date: form.date.clone(), clinician: form.clinician.clone(), done: String::new() };
    let clinician: UserId = form.clinician.parse().map_err(|_| AppError::NotFound)?;
    if !may_manage(&current, practice, clinician) || state.store.clinician_profile(clinician).await?.is_none_or(|p| p.practice != practice) {
        return Err(AppError::Forbidden);
    }
    let (_, tz) = viewer_zone(&state, &current, practice, None).await?;
    let parsed = (form.date.parse::<Date>(), form.from.parse::<Time>(), form.to.parse::<Time>());
    let (Ok(date), Ok(from), Ok(to)) = parsed else {
        return render(lang, &state, peer, &current, &q, Some("schedule-error-block"), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let at = |t: Time| date.to_datetime(t).to_zoned(tz.clone()).map(|z| z.timestamp());
    let (Ok(start), Ok(end)) = (at(from), at(to)) else {
        return render(lang, &state, peer, &current, &q, Some("schedule-error-block"), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if end <= start || end.duration_since(start) > SignedDuration::from_hours(24) {
        return render(lang, &state, peer, &current, &q, Some("schedule-error-block"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let label: String = form.label.trim().chars().take(80).collect();
    let off = TimeOff { id: uuid::Uuid::now_v7(), clinician, starts_at: start, ends_at: end, label };
    state.store.add_time_off(&off, current.user.id, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/schedule?view=day&date={date}&clinician={clinician}&done=blocked")).into_response())
}
