//! The layer that fills error responses with a page in the request's language, or under
//! `/api/` a JSON problem body (RFC 9457) with a stable `code`.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::chrome::Chrome;
use crate::error::ErrorPage;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    chrome: Chrome,
    title: String,
    detail: String,
    unavailable: bool,
}

/// axum answers input it can't parse (a malformed form, a wrong content type, a body over
/// the limit) with plain English text; those answers get a translated page too.
fn rejection_page(response: &Response) -> Option<ErrorPage> {
    let plain = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/plain"));
    match response.status() {
        // A handler's own page for a too-large upload (the thread, with the text kept) stays.
        StatusCode::PAYLOAD_TOO_LARGE if !html(response) => Some(ErrorPage::TOO_LARGE),
        StatusCode::UNSUPPORTED_MEDIA_TYPE if plain => Some(ErrorPage::UNSUPPORTED_MEDIA_TYPE),
        // JSON that parses but doesn't have the fields the operation needs.
        StatusCode::UNPROCESSABLE_ENTITY if plain => Some(ErrorPage { status: response.status(), code: "invalid-body", ..ErrorPage::BAD_REQUEST }),
        StatusCode::BAD_REQUEST if plain => Some(ErrorPage::BAD_REQUEST),
        _ => None,
    }
}

fn html(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// A problem body for the JSON API: `status`, `title`, `detail` and a stable `code`.
#[must_use]
pub fn problem_response(status: StatusCode, code: &str, title: &str, detail: &str) -> Response {
    let body = serde_json::json!({ "status": status.as_u16(), "code": code, "title": title, "detail": detail });
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

pub async fn render(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = crate::lang::from_headers(request.headers());
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().copied().or_else(|| rejection_page(&response)) else {
        return response;
    };
    if page.status == StatusCode::SERVICE_UNAVAILABLE {
        state.health.set_db_up(false);
    }
    let chrome = Chrome::new(lang, &path, &state.app.config.crisis);
    let title = chrome.t(page.title);
    let detail = chrome.t(page.detail);
    let mut response = if path.starts_with("/api/") {
        problem_response(page.status, page.code, &title, &detail)
    } else {
        let unavailable = page.status == StatusCode::SERVICE_UNAVAILABLE;
        let html = ErrorTemplate { chrome, title, detail, unavailable }
            .render()
            .unwrap_or_else(|_| "Haven: error. If you are in crisis, call or text 988.".to_owned());
        (page.status, Html(html)).into_response()
    };
    if let Some(seconds) = page.retry_after {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
