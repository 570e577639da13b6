//! Day and week calendars: one clinician's or the whole practice's appointments and time
//! off, in the viewer's time zone. Showing a patient's name is a read of their record, so
//! every patient listed is audited.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::booking::{Booking, modality_key, status_key};
use haven_app::when;
use haven_domain::UserId;
use haven_domain::scheduling::AppointmentStatus;
use jiff::Span;
use jiff::civil::{Date, Time};
use serde::Deserialize;

use crate::booking::viewer_zone;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
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

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(q): Query<CalendarQuery>) -> Result<Response, AppError> {
    render(lang, &state, &actor, &q, None, StatusCode::OK).await
}

async fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    q: &CalendarQuery,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let practice = Booking::staff_practice(actor)?;
    let chrome = Chrome::signed(state, lang.0, "/schedule", actor);
    let (zone, tz) = viewer_zone(state, actor, practice, None).await?;
    let own = state.app.cx.store.clinician_profile(actor.id()).await?.is_some_and(|p| p.practice == practice);
    let clinician: Option<UserId> = match q.clinician.as_str() {
        "all" => None,
        "" if !own => None,
        "" => Some(actor.id()),
        id => Some(id.parse().map_err(|_| AppError::NotFound)?),
    };
    let clinician_value = clinician.map_or_else(|| "all".to_owned(), |c| c.to_string());
    let week = q.view != "day";
    let today = state.app.cx.now().to_zoned(tz.clone()).date();
    let picked = q.date.parse::<Date>().unwrap_or(today);
    let first =
        if week { picked.checked_sub(Span::new().days(i64::from(picked.weekday().to_monday_zero_offset()))).unwrap_or(picked) } else { picked };
    let length = if week { 7 } else { 1 };
    let placed = |d: Date| d.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|e| AppError::internal("a day could not be placed in its zone", e));
    let from = placed(first)?;
    let last = first.checked_add(Span::new().days(length - 1)).unwrap_or(first);
    let until = placed(last.tomorrow().unwrap_or(last))?;
    let calendar = state.app.booking.calendar(actor, practice, clinician, from, until).await?;
    let (profiles, off) = (calendar.profiles, calendar.time_off);

    let mut days: Vec<DayColumn> = Vec::new();
    let mut date = first;
    while date <= last {
        let mut items: Vec<(jiff::Timestamp, Entry_)> = Vec::new();
        for slot in calendar.slots.iter().filter(|s| s.appointment.starts_at.to_zoned(tz.clone()).date() == date) {
            let a = &slot.appointment;
            let with = if clinician.is_none() { format!(" · {}", a.clinician_name) } else { String::new() };
            let time = format!("{}–{}", when::time_label(lang.0, a.starts_at, &tz), when::time_label(lang.0, a.ends_at, &tz));
            // A colleague's visit with someone outside the viewer's care team: busy, no more.
            let entry = if slot.visible {
                Entry_ {
                    time,
                    link: Some(format!("/appointments/{}", a.id)),
                    text: a.patient_name.clone(),
                    detail: format!(
                        "{} · {}{with} · {}",
                        a.visit_name.get(chrome.lang()),
                        chrome.t(modality_key(a.modality)),
                        chrome.t(status_key(a.status))
                    ),
                    cancelled: !matches!(a.status, AppointmentStatus::Booked | AppointmentStatus::Completed),
                }
            } else {
                Entry_ {
                    time,
                    link: None,
                    text: chrome.t("schedule-busy"),
                    detail: a.clinician_name.clone(),
                    cancelled: !matches!(a.status, AppointmentStatus::Booked | AppointmentStatus::Completed),
                }
            };
            items.push((a.starts_at, entry));
        }
        for (name, t) in off.iter().filter(|(_, t)| t.starts_at.to_zoned(tz.clone()).date() <= date && t.ends_at.to_zoned(tz.clone()).date() >= date)
        {
            let label = if t.label.is_empty() { chrome.t("schedule-time-off") } else { t.label.clone() };
            items.push((
                t.starts_at,
                Entry_ {
                    time: format!("{}–{}", when::time_label(lang.0, t.starts_at, &tz), when::time_label(lang.0, t.ends_at, &tz)),
                    link: None,
                    text: label,
                    detail: if clinician.is_none() { name.clone() } else { chrome.t("schedule-blocked") },
                    cancelled: false,
                },
            ));
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
        can_block: clinician.is_some_and(|c| Booking::may_manage(actor, practice, c)),
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
pub async fn block(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<BlockForm>) -> Result<Response, AppError> {
    let practice = Booking::staff_practice(&actor)?;
    let q = CalendarQuery { view: "day".into(), date: form.date.clone(), clinician: form.clinician.clone(), done: String::new() };
    let clinician: UserId = form.clinician.parse().map_err(|_| AppError::NotFound)?;
    let (_, tz) = viewer_zone(&state, &actor, practice, None).await?;
    let refuse = |key| render(lang, &state, &actor, &q, Some(key), StatusCode::UNPROCESSABLE_ENTITY);
    let (Ok(date), Ok(from), Ok(to)) = (form.date.parse::<Date>(), form.from.parse::<Time>(), form.to.parse::<Time>()) else {
        return refuse("schedule-error-block").await;
    };
    let at = |t: Time| date.to_datetime(t).to_zoned(tz.clone()).map(|z| z.timestamp());
    let (Ok(start), Ok(end)) = (at(from), at(to)) else {
        return refuse("schedule-error-block").await;
    };
    match state.app.booking.block_time(&actor, clinician, start, end, &form.label).await? {
        Ok(()) => Ok(Redirect::to(&format!("/schedule?view=day&date={date}&clinician={clinician}&done=blocked")).into_response()),
        Err(key) => refuse(key).await,
    }
}
