//! One error type for every handler. It depends on nothing else in the web layer: turning it
//! into a translated page (or a JSON problem body under `/api/`) is `error_pages`' work. The
//! cause of an internal error is logged with its whole source chain; the person sees a safe
//! explanation of what to do next.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

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
    /// A body over the route's limit.
    #[error("request too large")]
    TooLarge,
    /// A body of a type the route doesn't read (JSON sent to a form, say).
    #[error("unsupported content type")]
    UnsupportedMediaType,
    /// A form whose text isn't valid UTF-8: refused rather than stored altered.
    #[error("a form's text is not valid UTF-8")]
    BadEncoding,
    /// Something that should not fail did. `what` names the step, never the data.
    #[error("{what}")]
    Internal {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    /// An internal failure at `what`, keeping `source` for the log.
    pub fn internal(what: &'static str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal { what, source: source.into() }
    }
}

impl From<haven_app::Error> for AppError {
    fn from(error: haven_app::Error) -> Self {
        use haven_app::Error as E;
        match error {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Unavailable(cause) => {
                tracing::debug!(error = %cause, "the database is unavailable");
                AppError::Unavailable
            }
            E::TooManyRequests(seconds) => AppError::TooManyRequests(seconds),
            E::BadRequest => AppError::BadRequest,
            E::Internal { what, source } => AppError::Internal { what, source },
        }
    }
}

impl From<haven_store::StoreError> for AppError {
    fn from(error: haven_store::StoreError) -> Self {
        haven_app::Error::from(error).into()
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::internal("a page could not be rendered", error)
    }
}

/// Marks a response as an error for the error-page layer to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Fluent ids of the page's title and explanation.
    pub title: &'static str,
    pub detail: &'static str,
    /// Seconds for `Retry-After`.
    pub retry_after: Option<u64>,
    /// A stable code for API clients.
    pub code: &'static str,
}

impl ErrorPage {
    pub const NOT_FOUND: Self = Self {
        status: StatusCode::NOT_FOUND,
        title: "error-not-found-title",
        detail: "error-not-found-detail",
        retry_after: None,
        code: "not-found",
    };
    pub const UNAUTHORIZED: Self = Self {
        status: StatusCode::UNAUTHORIZED,
        title: "error-unauthorized-title",
        detail: "error-unauthorized-detail",
        retry_after: None,
        code: "sign-in-required",
    };
    pub const FORBIDDEN: Self = Self {
        status: StatusCode::FORBIDDEN,
        title: "error-forbidden-title",
        detail: "error-forbidden-detail",
        retry_after: None,
        code: "forbidden",
    };
    pub const CROSS_ORIGIN: Self = Self {
        status: StatusCode::FORBIDDEN,
        title: "error-cross-origin-title",
        detail: "error-cross-origin-detail",
        retry_after: None,
        code: "cross-origin",
    };
    pub const UNAVAILABLE: Self = Self {
        status: StatusCode::SERVICE_UNAVAILABLE,
        title: "error-unavailable-title",
        detail: "error-unavailable-detail",
        retry_after: Some(5),
        code: "unavailable",
    };
    pub const TOO_MANY: Self = Self {
        status: StatusCode::TOO_MANY_REQUESTS,
        title: "error-too-many-title",
        detail: "error-too-many-detail",
        retry_after: None,
        code: "too-many-requests",
    };
    pub const BAD_REQUEST: Self = Self {
        status: StatusCode::BAD_REQUEST,
        title: "error-bad-request-title",
        detail: "error-bad-request-detail",
        retry_after: None,
        code: "bad-request",
    };
    pub const BAD_ENCODING: Self = Self {
        status: StatusCode::BAD_REQUEST,
        title: "error-bad-request-title",
        detail: "error-bad-encoding-detail",
        retry_after: None,
        code: "invalid-encoding",
    };
    pub const UNSUPPORTED_MEDIA_TYPE: Self = Self {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        title: "error-bad-request-title",
        detail: "error-bad-request-detail",
        retry_after: None,
        code: "unsupported-media-type",
    };
    pub const TOO_LARGE: Self = Self {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        title: "error-too-large-title",
        detail: "error-too-large-detail",
        retry_after: None,
        code: "too-large",
    };
    pub const INTERNAL: Self = Self {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        title: "error-internal-title",
        detail: "error-internal-detail",
        retry_after: None,
        code: "internal",
    };

    /// An empty response carrying this page, for the error-page layer to fill in.
    #[must_use]
    pub fn response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The cause and every source below it, as one line for the log (names of steps and error
/// kinds, never the data involved).
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
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
            AppError::BadEncoding => ErrorPage::BAD_ENCODING,
            AppError::UnsupportedMediaType => ErrorPage::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooLarge => ErrorPage::TOO_LARGE,
            AppError::TooManyRequests(seconds) => ErrorPage { retry_after: Some(seconds), ..ErrorPage::TOO_MANY },
            ref internal @ AppError::Internal { .. } => {
                tracing::error!(cause = %chain(internal), "request failed");
                ErrorPage::INTERNAL
            }
        };
        page.response()
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_keeps_every_cause() {
        let inner = std::io::Error::other("disk full");
        let error = AppError::internal("a note could not be stored", inner);
        assert_eq!(chain(&error), "a note could not be stored: disk full");
    }
}
