//! One error type for every handler, and the middleware that turns it into a translated
//! page (or a JSON problem body under `/api/`). The cause is logged; the person sees a
//! safe explanation of what to do next.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_store::StoreError;

use crate::chrome::Chrome;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Not signed in (or the session ended): pages send the person to sign in.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but this person's role doesn't allow it.
    #[error("forbidden")]
    Forbidden,
    /// A cross-site or otherwise untrustworthy state-changing request.
    #[error("cross-origin request refused")]
    CrossOrigin,
    #[error("the database is unavailable")]
    Unavailable,
    /// A rate limit was reached; the value is the seconds until it lifts.
    #[error("too many requests")]
    TooManyRequests(u64),
    /// A request Haven can't read (a broken upload, say).
    #[error("bad request")]
    BadRequest,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        if error.is_unavailable() {
            AppError::Unavailable
        } else if matches!(error, StoreError::NotFound) {
            AppError::NotFound
        } else {
            AppError::Internal(error.to_string())
        }
    }
}

/// Marks a response as an error for [`render_error_pages`] to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Fluent ids of the page's title and explanation.
    pub title: &'static str,
    pub detail: &'static str,
    /// Seconds for `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ErrorPage {
    const NOT_FOUND: Self = Self { status: StatusCode::NOT_FOUND, title: "error-not-found-title", detail: "error-not-found-detail", retry_after: None };
    const FORBIDDEN: Self = Self { status: StatusCode::FORBIDDEN, title: "error-forbidden-title", detail: "error-forbidden-detail", retry_after: None };
    const CROSS_ORIGIN: Self = Self { status: StatusCode::FORBIDDEN, title: "error-cross-origin-title", detail: "error-cross-origin-detail", retry_after: None };
    const UNAVAILABLE: Self = Self { status: StatusCode::SERVICE_UNAVAILABLE, title: "error-unavailable-title", detail: "error-unavailable-detail", retry_after: Some(5) };
    const TOO_MANY: Self = Self { status: StatusCode::TOO_MANY_REQUESTS, title: "error-too-many-title", detail: "error-too-many-detail", retry_after: None };
    const BAD_REQUEST: Self = Self { status: StatusCode::BAD_REQUEST, title: "error-bad-request-title", detail: "error-bad-request-detail", retry_after: None };
    const TOO_LARGE: Self = Self { status: StatusCode::PAYLOAD_TOO_LARGE, title: "error-too-large-title", detail: "error-too-large-detail", retry_after: None };
    const INTERNAL: Self = Self { status: StatusCode::INTERNAL_SERVER_ERROR, title: "error-internal-title", detail: "error-internal-detail", retry_after: None };
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match self {
            AppError::Unauthorized => return Redirect::to("/sign-in").into_response(),
            AppError::NotFound => ErrorPage::NOT_FOUND,
            AppError::Forbidden => ErrorPage::FORBIDDEN,
            AppError::CrossOrigin => ErrorPage::CROSS_ORIGIN,
            AppError::Unavailable => ErrorPage::UNAVAILABLE,
            AppError::BadRequest => ErrorPage::BAD_REQUEST,
            AppError::TooManyRequests(seconds) => ErrorPage { retry_after: Some(seconds), ..ErrorPage::TOO_MANY },
            AppError::Internal(cause) => {
                // The cause names what failed, never the data involved.
                tracing::error!(%cause, "request failed");
                ErrorPage::INTERNAL
            }
        };
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

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
    let plain = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Some(ErrorPage::TOO_LARGE),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE if plain => {
            Some(ErrorPage { status: response.status(), ..ErrorPage::BAD_REQUEST })
        }
        _ => None,
    }
}

/// Fills error responses with a page in the request's language.
pub async fn render_error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = crate::lang::from_headers(request.headers());
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().copied().or_else(|| rejection_page(&response)) else {
        return response;
    };
    if page.status == StatusCode::SERVICE_UNAVAILABLE {
        state.health.set_db_up(false);
    }
    let chrome = Chrome::new(lang, &path, &state.config.crisis);
    let title = chrome.t(page.title);
    let detail = chrome.t(page.detail);
    let mut response = if path.starts_with("/api/") {
        let body = serde_json::json!({ "status": page.status.as_u16(), "title": title, "detail": detail });
        let mut r = (page.status, Json(body)).into_response();
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        r
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
