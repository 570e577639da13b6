//! Choosing a time with one clinician, booking it, and joining the waitlist. A time taken
//! by someone else a moment earlier is answered with the next open times, never an error page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::booking::{BookRequest, Refusal, availability, modality_key};
use haven_app::when;
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{UserId, VisitTypeId};
use haven_store::{ClinicianProfile, VisitType};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::access::Scoped;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::{html, parse_id};
use crate::state::AppState;

/// Days shown at once.
const WEEK: i64 = 7;

pub struct SlotView {
    pub value: String,
    pub label: String,
}

pub struct DayView {
    pub label: String,
    pub slots: Vec<SlotView>,
}

/// Groups `times` by the viewer's local date.
#[must_use]
pub fn days(lang: haven_domain::Language, times: &[Timestamp], tz: &TimeZone) -> Vec<DayView> {
    let mut days: Vec<(Date, DayView)> = Vec::new();
    for t in times {
        let date = t.to_zoned(tz.clone()).date();
        let slot = SlotView { value: t.to_string(), label: when::time_label(lang, *t, tz) };
        match days.last_mut() {
            Some((d, day)) if *d == date => day.slots.push(slot),
            _ => days.push((date, DayView { label: when::day_label(lang, date), slots: vec![slot] })),
        }
    }
    days.into_iter().map(|(_, d)| d).collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PickQuery {
    pub visit_type: String,
    pub modality: String,
    #[serde(rename = "where")]
    pub place: String,
    pub tz: String,
    /// First local date shown, YYYY-MM-DD.
    pub from: String,
}

#[derive(Template)]
#[template(path = "book_pick.html")]
struct PickPage {
    chrome: Chrome,
    clinician_id: String,
    name: String,
    credentials: String,
    visit_types: Vec<(String, String)>,
    visit_type: String,
    modalities: Vec<(String, String)>,
    modality: String,
    places: Vec<(String, String)>,
    place: String,
    zones: Vec<String>,
    zone: String,
    days: Vec<DayView>,
    range: String,
    prev: Option<String>,
    next: String,
    error: Option<String>,
    /// The "just taken" answer: these are the next open times instead of a week.
    alternatives: bool,
    waitlisted: bool,
}

struct Chosen {
    profile: ClinicianProfile,
    visits: Vec<VisitType>,
    visit: Option<VisitType>,
    modality: Option<Modality>,
}

async fn choose(state: &AppState, profile: ClinicianProfile, q: &PickQuery) -> Result<Chosen, AppError> {
    let visits = state.app.cx.store.visit_types_of(profile.user).await?;
    let visit = visits.iter().find(|v| v.id.to_string() == q.visit_type).or_else(|| visits.first()).cloned();
    let modality = Modality::parse(&q.modality)
        .filter(|m| visit.as_ref().is_some_and(|v| v.modalities.contains(m)))
        .or_else(|| visit.as_ref().and_then(|v| v.modalities.first().copied()));
    Ok(Chosen { profile, visits, visit, modality })
}

async fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    profile: ClinicianProfile,
    q: &PickQuery,
    refusal: Option<&Refusal>,
    waitlisted: bool,
) -> Result<Response, AppError> {
    let clinician = profile.user;
    let path = format!("/book/{clinician}");
    let chrome = Chrome::signed(state, lang.0, &path, actor);
    let c = choose(state, profile, q).await?;
    let practice = state.app.cx.practice_settings(c.profile.practice).await?;
    let saved = actor.user.time_zone.clone();
    let (zone, tz) = when::viewer_zone(Some(&q.tz), saved.as_deref(), &practice.time_zone);
    let mut error = refusal.map(|r| chrome.t(r.key()));
    if error.is_none() && !q.tz.is_empty() && when::zone(&q.tz).is_none() {
        error = Some(chrome.t("booking-error-time-zone"));
    }
    let today = state.app.cx.now().to_zoned(tz.clone()).date();
    let first = q.from.parse::<Date>().ok().filter(|d| *d >= today).unwrap_or(today);
    let last = first.checked_add(jiff::Span::new().days(WEEK - 1)).unwrap_or(first);
    let (times, alternatives) = match (refusal, &c.visit) {
        (Some(Refusal::Taken(next)), _) => (next.clone(), true),
        (_, Some(visit)) => {
            let from = first.to_zoned(tz.clone()).map_err(|e| AppError::internal("a day could not be placed in its zone", e))?.timestamp();
            let until = from.checked_add(SignedDuration::from_hours(24 * WEEK)).unwrap_or(from);
            (availability::open_times(&state.app.cx, &c.profile, visit, from, until, None).await?, false)
        }
        _ => (Vec::new(), false),
    };
    let link = |date: Date| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("visit_type", &c.visit.as_ref().map(|v| v.id.to_string()).unwrap_or_default())
            .append_pair("modality", c.modality.map(Modality::as_str).unwrap_or_default())
            .append_pair("where", &q.place)
            .append_pair("tz", &zone)
            .append_pair("from", &date.to_string());
        format!("{path}?{}", s.finish())
    };
    let prev = (first > today).then(|| link(first.checked_sub(jiff::Span::new().days(WEEK)).unwrap_or(today).max(today)));
    let next = link(last.tomorrow().unwrap_or(last));
    let status = match refusal {
        Some(Refusal::Taken(_)) => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = PickPage {
        clinician_id: clinician.to_string(),
        name: c.profile.name.clone(),
        credentials: c.profile.credentials.clone(),
        visit_types: c
            .visits
            .iter()
            .map(|v| (v.id.to_string(), chrome.t2("book-visit-type-label", ("name", v.name.get(chrome.lang())), ("minutes", &v.minutes.to_string()))))
            .collect(),
        visit_type: c.visit.as_ref().map(|v| v.id.to_string()).unwrap_or_default(),
        modalities: c.visit.iter().flat_map(|v| v.modalities.iter()).map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        modality: c.modality.map(Modality::as_str).unwrap_or_default().to_owned(),
        places: Jurisdiction::known().map(|j| (j.as_str().to_owned(), j.name().to_owned())).collect(),
        place: q.place.clone(),
        zones: when::COMMON_ZONES
            .iter()
            .map(|z| (*z).to_owned())
            .chain((!when::COMMON_ZONES.contains(&zone.as_str())).then(|| zone.clone()))
            .collect(),
        days: days(lang.0, &times, &tz),
        range: chrome.t2("book-range", ("from", &when::day_label(lang.0, first)), ("to", &when::day_label(lang.0, last))),
        zone,
        prev,
        next,
        error,
        alternatives,
        waitlisted,
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(profile): Scoped<ClinicianProfile>,
    Query(q): Query<PickQuery>,
) -> Result<Response, AppError> {
    render(lang, &state, &actor, profile, &q, None, false).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BookForm {
    pub clinician: String,
    pub visit_type: String,
    pub modality: String,
    #[serde(rename = "where")]
    pub place: String,
    pub tz: String,
    pub start: String,
}

pub async fn book(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<BookForm>) -> Result<Response, AppError> {
    let clinician: UserId = parse_id(&form.clinician)?;
    let profile = haven_app::access::practice_clinician(&state.app, &actor, clinician).await?;
    let q = PickQuery {
        visit_type: form.visit_type.clone(),
        modality: form.modality.clone(),
        place: form.place.clone(),
        tz: form.tz.clone(),
        from: String::new(),
    };
    let parsed = match (form.visit_type.parse::<VisitTypeId>(), Modality::parse(&form.modality), when::parse_instant(&form.start)) {
        (Err(_), _, _) => Err(Refusal::Problem("booking-error-unknown-visit-type")),
        (_, None, _) => Err(Refusal::Problem("booking-error-modality")),
        (_, _, None) => Err(Refusal::Problem("booking-error-no-time")),
        (Ok(visit_type), Some(modality), Some(start)) => {
            Ok(BookRequest { patient: actor.id(), clinician, visit_type, modality, jurisdiction: Some(form.place.clone()), starts: vec![start] })
        }
    };
    let outcome = match parsed {
        Ok(request) => state.app.booking.book(&actor, request).await?,
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(ids) => Ok(Redirect::to(&format!("/appointments/{}?done=booked", ids[0])).into_response()),
        Err(refusal) => render(lang, &state, &actor, profile, &q, Some(&refusal), false).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WaitForm {
    pub visit_type: String,
    pub before: String,
    pub tz: String,
}

/// "Tell me if an earlier time opens": any opening before the soonest one shown now.
pub async fn wait(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(profile): Scoped<ClinicianProfile>,
    Form(form): Form<WaitForm>,
) -> Result<Response, AppError> {
    let q = PickQuery { visit_type: form.visit_type.clone(), tz: form.tz.clone(), ..PickQuery::default() };
    let c = choose(&state, profile.clone(), &q).await?;
    let Some(visit) = c.visit else {
        return render(lang, &state, &actor, profile, &q, Some(&Refusal::Problem("booking-error-unknown-visit-type")), false).await;
    };
    state.app.booking.join_waitlist(&actor, profile.user, visit.id, when::parse_instant(&form.before)).await?;
    render(lang, &state, &actor, profile, &q, None, true).await
}
