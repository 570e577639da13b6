//! The JSON API, for the pages' own scripts and for integrations. Signed-in sessions
//! authenticate it; its contract is `openapi.json`, served at `/api/openapi.json` and held
//! to the route table by a test.

pub mod scheduling;

use axum::Json;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use haven_domain::Language;

use haven_app::i18n::translate;

/// The specification, written by hand and checked against the router in tests.
pub const OPENAPI: &str = include_str!("openapi.json");

pub async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// An RFC 9457 problem body with a translated title; `extra` adds fields (next open times).
pub fn problem(lang: Language, status: StatusCode, key: &str, extra: Option<(&str, serde_json::Value)>) -> Response {
    let mut body = serde_json::json!({ "status": status.as_u16(), "code": key, "title": translate(lang, key, &[]) });
    if let Some((name, value)) = extra {
        body[name] = value;
    }
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    response
}
