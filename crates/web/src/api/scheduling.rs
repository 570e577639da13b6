//! Scheduling over JSON: find clinicians, list open times, book, list, move and cancel.
//! The same service as the pages, so the same rules and the same translated refusals.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_app::booking::{BookRequest, Refusal, availability};
use haven_app::when;
use haven_domain::scheduling::{AppointmentStatus, Modality};
use haven_domain::{AppointmentId, UserId, VisitTypeId};
use haven_store::{Appointment, ClinicianProfile};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::problem;
use crate::access::Scoped;
use crate::booking::find::Filters;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Serialize)]
struct VisitTypeOut {
    id: VisitTypeId,
    name: String,
    minutes: i64,
    modalities: Vec<Modality>,
}

#[derive(Serialize)]
struct ClinicianOut {
    id: UserId,
    name: String,
    credentials: String,
    bio: String,
    languages: Vec<String>,
    specialties: Vec<String>,
    licenses: Vec<String>,
    time_zone: String,
    modalities: Vec<Modality>,
    soonest_opening: Option<Timestamp>,
    visit_types: Vec<VisitTypeOut>,
}

/// The API's filters. Unlike the page's form, which sends an empty value for "any", a value
/// given here must be one the contract allows: `language=` or `language=xx` is a mistake to
/// report, not a filter that silently matches everyone or no one.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClinicianQuery {
    #[serde(rename = "where")]
    place: Option<String>,
    language: Option<String>,
    specialty: Option<String>,
    modality: Option<String>,
}

impl ClinicianQuery {
    fn filters(self) -> Result<Filters, &'static str> {
        if self.language.as_deref().is_some_and(|l| !haven_domain::Language::ALL.iter().any(|x| x.tag() == l)) {
            return Err("api-error-language");
        }
        if self.modality.as_deref().is_some_and(|m| Modality::parse(m).is_none()) {
            return Err("api-error-modality");
        }
        if self.place.as_deref().is_some_and(|p| p.trim().is_empty()) {
            return Err("booking-error-where");
        }
        Ok(Filters {
            place: self.place.unwrap_or_default(),
            language: self.language.unwrap_or_default(),
            specialty: self.specialty.unwrap_or_default(),
            modality: self.modality.unwrap_or_default(),
            tz: String::new(),
        })
    }
}

pub async fn clinicians(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Query(query): Query<ClinicianQuery>,
) -> Result<Response, AppError> {
    let filters = match query.filters() {
        Ok(f) => f,
        Err(key) => return Ok(problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, key, None)),
    };
    let matches = match state.app.booking.search(&actor, &filters.search()).await? {
        Ok(m) => m,
        Err(key) => return Ok(problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, key, None)),
    };
    let mut out = Vec::new();
    for m in matches {
        let visit_types = state
            .app
            .cx
            .store
            .visit_types_of(m.profile.user)
            .await?
            .into_iter()
            .map(|v| VisitTypeOut { id: v.id, name: v.name.get(lang.0).to_owned(), minutes: v.minutes, modalities: v.modalities })
            .collect();
        out.push(ClinicianOut {
            id: m.profile.user,
            name: m.profile.name,
            credentials: m.profile.credentials,
            bio: m.profile.bio.get(lang.0).to_owned(),
            languages: m.profile.languages,
            specialties: m.profile.specialties,
            licenses: m.profile.licenses.iter().map(|l| l.as_str().to_owned()).collect(),
            time_zone: m.profile.time_zone,
            modalities: m.modalities,
            soonest_opening: m.soonest,
            visit_types,
        });
    }
    Ok(Json(out).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SlotsQuery {
    visit_type: String,
    from: String,
    days: Option<i64>,
}

pub async fn slots(
    lang: Lang,
    State(state): State<AppState>,
    Scoped(profile): Scoped<ClinicianProfile>,
    Query(q): Query<SlotsQuery>,
) -> Result<Response, AppError> {
    let clinician = profile.user;
    let visit = match q.visit_type.parse::<VisitTypeId>() {
        Ok(id) => state.app.cx.store.visit_type(id).await?.filter(|v| v.clinician == clinician && v.active),
        Err(_) => None,
    };
    let Some(visit) = visit else {
        return Ok(problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, "booking-error-unknown-visit-type", None));
    };
    let now = state.app.cx.now();
    let from = if q.from.is_empty() { Some(now) } else { when::instant(&q.from) };
    let (Some(from), Some(days)) = (from, q.days.or(Some(7)).filter(|d| (1..=31).contains(d))) else {
        return Ok(problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, "api-error-range", None));
    };
    let until = from.checked_add(SignedDuration::from_hours(24 * days)).unwrap_or(from);
    let slots = availability::open_times(&state.app.cx, &profile, &visit, from, until, None).await?;
    Ok(Json(serde_json::json!({ "clinician": clinician, "visit_type": visit.id, "minutes": visit.minutes, "clinician_time_zone": profile.time_zone, "slots": slots })).into_response())
}

#[derive(Serialize)]
struct AppointmentOut {
    id: AppointmentId,
    clinician: UserId,
    clinician_name: String,
    patient: UserId,
    visit_type: VisitTypeId,
    modality: Modality,
    jurisdiction: Option<String>,
    starts_at: Timestamp,
    ends_at: Timestamp,
    status: &'static str,
    sequence: i64,
}

fn out(a: &Appointment) -> AppointmentOut {
    AppointmentOut {
        id: a.id,
        clinician: a.clinician,
        clinician_name: a.clinician_name.clone(),
        patient: a.patient,
        visit_type: a.visit_type,
        modality: a.modality,
        jurisdiction: a.jurisdiction.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        status: a.status.as_str(),
        sequence: a.sequence,
    }
}

fn refused(lang: Lang, refusal: &Refusal) -> Response {
    match refusal {
        Refusal::Taken(next) => problem(lang.0, StatusCode::CONFLICT, refusal.key(), Some(("next_open", serde_json::json!(next)))),
        Refusal::Problem(key) => problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, key, None),
    }
}

/// The signed-in patient's appointments.
pub async fn list(State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let all = state.app.booking.mine(&actor).await?;
    Ok(Json(all.iter().map(out).collect::<Vec<_>>()).into_response())
}

pub async fn get_one(State(state): State<AppState>, Signed(actor): Signed, Scoped(a): Scoped<Appointment>) -> Result<Response, AppError> {
    state.app.booking.record_read(&actor, &a).await?;
    Ok(Json(out(&a)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct BookIn {
    clinician: UserId,
    visit_type: VisitTypeId,
    modality: Modality,
    /// Where the patient will be during a remote visit ("US-CA").
    #[serde(rename = "where", default)]
    place: Option<String>,
    /// RFC 3339, read by `when::instant` (no leap seconds).
    starts_at: String,
    /// Staff booking on a patient's behalf; patients leave it out.
    #[serde(default)]
    patient: Option<UserId>,
}

/// The problem answer for a time the API can't take.
fn bad_time(lang: Lang) -> Response {
    problem(lang.0, StatusCode::UNPROCESSABLE_ENTITY, "api-error-time", None)
}

pub async fn book(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Json(input): Json<BookIn>) -> Result<Response, AppError> {
    let Some(starts_at) = when::instant(&input.starts_at) else { return Ok(bad_time(lang)) };
    let request = BookRequest {
        patient: input.patient.unwrap_or(actor.id()),
        clinician: input.clinician,
        visit_type: input.visit_type,
        modality: input.modality,
        jurisdiction: input.place,
        starts: vec![starts_at],
    };
    match state.app.booking.book(&actor, request).await? {
        Ok(ids) => {
            let a = state.app.cx.store.appointment(ids[0]).await?.ok_or(AppError::NotFound)?;
            Ok((StatusCode::CREATED, Json(out(&a))).into_response())
        }
        Err(refusal) => Ok(refused(lang, &refusal)),
    }
}

#[derive(Debug, Deserialize)]
pub struct RescheduleIn {
    starts_at: String,
    sequence: i64,
}

pub async fn reschedule(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Json(input): Json<RescheduleIn>,
) -> Result<Response, AppError> {
    let Some(starts_at) = when::instant(&input.starts_at) else { return Ok(bad_time(lang)) };
    match state.app.booking.reschedule(&actor, &a, input.sequence, starts_at).await? {
        Ok(()) => {
            let a = state.app.booking.fresh(&a).await?;
            Ok(Json(out(&a)).into_response())
        }
        Err(refusal) => Ok(refused(lang, &refusal)),
    }
}

#[derive(Debug, Deserialize)]
pub struct CancelIn {
    sequence: i64,
}

pub async fn cancel(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(a): Scoped<Appointment>,
    Json(input): Json<CancelIn>,
) -> Result<Response, AppError> {
    match state.app.booking.close(&actor, &a, input.sequence, AppointmentStatus::Cancelled).await? {
        Ok(_) => {
            let a = state.app.booking.fresh(&a).await?;
            Ok(Json(out(&a)).into_response())
        }
        Err(refusal) => Ok(refused(lang, &refusal)),
    }
}
