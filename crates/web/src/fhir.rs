//! FHIR R4 over HTTP (`application/fhir+json`): Questionnaire, QuestionnaireResponse and
//! Observation for measures. Refusals are OperationOutcomes; someone outside a patient's
//! care gets "not found", as on the chart.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use haven_app::fhir::{Refusal, resources};
use haven_domain::UserId;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

const FHIR_JSON: &str = "application/fhir+json";

fn fhir(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    response
}

fn refused(status: StatusCode, code: &str, text: &str) -> Response {
    fhir(status, &resources::outcome(code, text))
}

/// Errors as OperationOutcomes, so a FHIR client never sees an HTML page.
fn failed(error: AppError) -> Response {
    match error {
        AppError::NotFound => refused(StatusCode::NOT_FOUND, "not-found", "No such resource, or not one you may see."),
        AppError::Forbidden => refused(StatusCode::FORBIDDEN, "forbidden", "You may not see this."),
        other => other.into_response(),
    }
}

pub async fn questionnaires(lang: Lang, State(state): State<AppState>, Signed(_actor): Signed) -> Response {
    fhir(StatusCode::OK, &state.app.fhir.questionnaires(lang.0))
}

pub async fn questionnaire(lang: Lang, State(state): State<AppState>, Signed(_actor): Signed, Path(id): Path<String>) -> Response {
    match state.app.fhir.questionnaire(&id, lang.0) {
        Some(q) => fhir(StatusCode::OK, &q),
        None => failed(AppError::NotFound),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PatientQuery {
    patient: String,
}

/// The searched patient, or `None` when the search doesn't name one.
fn patient(q: &PatientQuery) -> Option<UserId> {
    q.patient.trim().trim_start_matches("Patient/").parse().ok()
}

fn no_patient() -> Response {
    refused(StatusCode::BAD_REQUEST, "required", "Search by patient: ?patient=<the id in the chart's address>.")
}

pub async fn responses(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(q): Query<PatientQuery>) -> Response {
    let Some(id) = patient(&q) else { return no_patient() };
    match state.app.fhir.responses(&actor, id, lang.0).await {
        Ok(bundle) => fhir(StatusCode::OK, &bundle),
        Err(e) => failed(e.into()),
    }
}

pub async fn observations(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(q): Query<PatientQuery>) -> Response {
    let Some(id) = patient(&q) else { return no_patient() };
    match state.app.fhir.observations(&actor, id, lang.0).await {
        Ok(bundle) => fhir(StatusCode::OK, &bundle),
        Err(e) => failed(e.into()),
    }
}

pub async fn post_response(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, headers: HeaderMap, body: Bytes) -> Response {
    let json_type =
        headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with(FHIR_JSON) || t.starts_with("application/json"));
    if !json_type {
        return refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-supported", "Send application/fhir+json.");
    }
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return refused(StatusCode::BAD_REQUEST, "structure", "The body is not JSON.");
    };
    match state.app.fhir.post_response(&actor, &value, lang.0).await {
        Ok(Ok(stored)) => fhir(StatusCode::CREATED, &stored),
        Ok(Err(Refusal::Malformed)) => refused(
            StatusCode::BAD_REQUEST,
            "structure",
            "Send a QuestionnaireResponse with questionnaire (…/Questionnaire/<id>) and subject (Patient/<your id>).",
        ),
        Ok(Err(Refusal::NotYours)) => refused(StatusCode::FORBIDDEN, "forbidden", "You can only answer your own questionnaires."),
        Ok(Err(Refusal::NothingDue)) => refused(StatusCode::UNPROCESSABLE_ENTITY, "not-found", "That questionnaire is not due for you now."),
        Ok(Err(Refusal::Invalid)) => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "Some answers don't match the questionnaire, or required ones are missing.")
        }
        Err(e) => failed(e.into()),
    }
}
