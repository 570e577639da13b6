//! Booking on a patient's behalf, once or as a weekly / every-other-week series. The first
//! submit shows every occurrence with its conflict, if any; confirming books the free ones
//! together (all or none, so a race can't leave half a series).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::audit::Entry;
use haven_app::booking::{BookRequest, Booking, Refusal, modality_key};
use haven_app::when;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::recurrence::{MAX_OCCURRENCES, occurrences};
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{UserId, VisitTypeId};
use jiff::Timestamp;
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

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct SeriesForm {
    pub patient: String,
    pub visit_type: String,
    pub modality: String,
    #[serde(rename = "where")]
    pub place: String,
    pub date: String,
    pub time: String,
    /// "0" once, "1" weekly, "2" every other week.
    pub repeat: String,
    pub count: String,
    pub confirm: String,
}

struct Occurrence {
    when: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "schedule_book.html")]
struct SeriesPage {
    chrome: Chrome,
    form: SeriesForm,
    patients: Vec<(String, String)>,
    visit_types: Vec<(String, String)>,
    modalities: Vec<(String, String)>,
    places: Vec<(String, String)>,
    occurrences: Vec<Occurrence>,
    free: usize,
    free_text: String,
    zone: String,
    error: Option<String>,
}

async fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    form: SeriesForm,
    occurrences: Vec<Occurrence>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let practice = Booking::staff_practice(actor)?;
    let chrome = Chrome::signed(state, lang.0, "/schedule/book", actor);
    let (zone, _) = viewer_zone(state, actor, practice, None).await?;
    let listed = state.app.booking.bookable_patients(actor, practice).await?;
    let entries = listed
        .iter()
        .map(|(id, _)| Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: Some(*id),
            action: AuditAction::Read,
            category: DataCategory::Demographics,
            outcome: Outcome::Success,
        })
        .collect();
    state.app.cx.record_all(actor, entries).await?;
    let store = &state.app.cx.store;
    let mut visit_types = Vec::new();
    for p in store.clinician_profiles(practice).await? {
        for v in store.visit_types_of(p.user).await? {
            visit_types.push((
                v.id.to_string(),
                format!(
                    "{} — {}",
                    p.name,
                    chrome.t2("book-visit-type-label", ("name", v.name.get(chrome.lang())), ("minutes", &v.minutes.to_string()))
                ),
            ));
        }
    }
    let free = occurrences.iter().filter(|o| o.problem.is_none()).count();
    let page = SeriesPage {
        patients: listed.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        visit_types,
        modalities: Modality::ALL.iter().map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        places: Jurisdiction::known().map(|j| (j.as_str().to_owned(), j.name().to_owned())).collect(),
        form,
        occurrences,
        free,
        free_text: free.to_string(),
        zone,
        error: error.map(|k| chrome.t(k)),
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn form(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let form = SeriesForm { repeat: "1".into(), count: "6".into(), ..SeriesForm::default() };
    render(lang, &state, &actor, form, Vec::new(), None, StatusCode::OK).await
}

pub async fn submit(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<SeriesForm>) -> Result<Response, AppError> {
    let practice = Booking::staff_practice(&actor)?;
    let invalid = |key: &'static str, form: SeriesForm| {
        let state = state.clone();
        let actor = actor.clone();
        async move { render(lang, &state, &actor, form, Vec::new(), Some(key), StatusCode::UNPROCESSABLE_ENTITY).await }
    };
    let Ok(patient) = form.patient.parse::<UserId>() else { return invalid("booking-error-unknown-patient", form).await };
    let Ok(visit_type) = form.visit_type.parse::<VisitTypeId>() else { return invalid("booking-error-unknown-visit-type", form).await };
    let Some(modality) = Modality::parse(&form.modality) else { return invalid("booking-error-modality", form).await };
    let (Ok(date), Ok(time)) = (form.date.parse::<Date>(), form.time.parse::<Time>()) else { return invalid("booking-error-no-time", form).await };
    let every: u8 = match form.repeat.as_str() {
        "0" | "" => 0,
        "1" => 1,
        "2" => 2,
        _ => return invalid("series-error-repeat", form).await,
    };
    let count: u8 = if every == 0 {
        1
    } else {
        match form.count.trim().parse::<u8>() {
            Ok(n) if (1..=MAX_OCCURRENCES).contains(&n) => n,
            _ => return invalid("series-error-count", form).await,
        }
    };
    let Some(visit) = state.app.cx.store.visit_type(visit_type).await? else { return invalid("booking-error-unknown-visit-type", form).await };
    let b = match state.app.booking.bookable(&actor, patient, visit.clinician, visit_type).await? {
        Ok(b) => b,
        Err(r) => return invalid(r.key(), form).await,
    };
    if b.profile.practice != practice {
        return Err(AppError::Forbidden);
    }
    let (_, tz) = viewer_zone(&state, &actor, practice, None).await?;
    let Ok(first) = date.to_datetime(time).to_zoned(tz.clone()) else { return invalid("booking-error-no-time", form).await };
    let starts = occurrences(first.timestamp(), &tz, every.max(1), count);
    let mut listed = Vec::new();
    let mut free: Vec<Timestamp> = Vec::new();
    for start in &starts {
        let problem = match state.app.booking.check_start(&b, *start, None).await? {
            Ok(()) => {
                free.push(*start);
                None
            }
            // "Just taken" is the wrong words when planning ahead.
            Err(haven_domain::scheduling::BookingProblem::Taken) => Some("series-conflict-booked"),
            Err(p) => Some(p.message_key()),
        };
        listed.push((*start, problem));
    }
    let chrome_lang = lang.0;
    let describe = |list: &[(Timestamp, Option<&'static str>)]| {
        list.iter()
            .map(|(t, p)| Occurrence {
                when: when::when_label(chrome_lang, *t, &tz),
                problem: p.map(|k| haven_app::i18n::translate(chrome_lang, k, &[])),
            })
            .collect::<Vec<_>>()
    };
    if form.confirm != "1" || free.is_empty() {
        let status = if free.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        let error = free.is_empty().then_some("series-error-none-free");
        return render(lang, &state, &actor, form, describe(&listed), error, status).await;
    }
    let request = BookRequest { patient, clinician: visit.clinician, visit_type, modality, jurisdiction: Some(form.place.clone()), starts: free };
    match state.app.booking.book(&actor, request).await? {
        Ok(ids) => Ok(Redirect::to(&format!("/appointments/{}?done=booked", ids[0])).into_response()),
        Err(Refusal::Taken(_)) => {
            let form = SeriesForm { confirm: String::new(), ..form };
            render(lang, &state, &actor, form, describe(&listed), Some("series-error-changed"), StatusCode::CONFLICT).await
        }
        Err(r) => invalid(r.key(), form).await,
    }
}
