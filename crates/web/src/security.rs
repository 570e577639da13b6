//! Headers every response carries, and the CSRF defence for state-changing requests.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// No inline script or style and nothing from another origin: a page can't be made to run
/// injected code or to leak what it shows to a third party (no CDN, fonts or analytics).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin` rather than `no-referrer`: with no-referrer, browsers send `Origin: null`
    // on form posts, which would defeat the origin check below. Nothing leaks to other sites.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()"),
    );
    h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin"));
    // Pages may show personal data: nothing is kept in shared or browser caches unless a
    // handler (static assets) says otherwise.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}

/// Refuses state-changing requests that a browser marks as coming from another site.
/// Modern browsers send `Sec-Fetch-Site` (which a page can't forge); older ones `Origin`.
/// Non-browser clients carry no victim's cookies, so a request with neither header is not
/// a CSRF risk.
pub async fn same_origin_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(request.headers(), state.config.public_url.as_deref())
    {
        next.run(request).await
    } else {
        tracing::warn!(path = request.uri().path(), "refused a cross-origin state-changing request");
        AppError::CrossOrigin.into_response()
    }
}

/// For WebSocket upgrades (GET requests, so outside the check above): the browser's
/// `Origin` must be present and be this site.
pub fn origin_allowed(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    headers.contains_key("origin") && is_same_origin(&strip_fetch_site(headers), public_url)
}

/// Judge by `Origin` alone: `Sec-Fetch-Site` on an upgrade says nothing more.
fn strip_fetch_site(headers: &HeaderMap) -> HeaderMap {
    let mut copy = headers.clone();
    copy.remove("sec-fetch-site");
    copy
}

fn is_same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = text("origin") else {
        return true;
    };
    match public_url {
        Some(url) => origin == url.trim_end_matches('/'),
        None => {
            let host = text("host").unwrap_or_default();
            let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
            !host.is_empty() && authority == host
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_rules() {
        assert!(is_same_origin(&headers(&[]), None));
        assert!(is_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")]), None));
        assert!(!is_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")]), None));
        assert!(!is_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]), None));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site")]), None));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")]), None));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin"), ("origin", "null")]), None));
        assert!(is_same_origin(&headers(&[("origin", "https://care.example.org")]), Some("https://care.example.org/")));
        assert!(!is_same_origin(&headers(&[("origin", "http://care.example.org")]), Some("https://care.example.org")));
    }
}
