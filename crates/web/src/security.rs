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

/// Refuses state-changing requests that don't show they come from this site:
///
/// - `Sec-Fetch-Site` (which a page can't forge), when sent, must say `same-origin`;
/// - `Origin`, when sent, must be this site's origin exactly: scheme, host and port;
/// - with neither, the `Referer` must be a page of this site.
///
/// A request with no such signal at all is refused too: every browser sends `Origin` on a
/// form post, so only a script could send none, and a script can say where it comes from.
/// Both headers are checked when both are sent; one saying "same origin" doesn't excuse the
/// other saying "elsewhere".
pub async fn same_origin_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(request.headers(), state.config.public_url.as_deref(), state.config.secure_cookies)
    {
        next.run(request).await
    } else {
        tracing::warn!(path = request.uri().path(), "refused a state-changing request that doesn't show it comes from this site");
        AppError::CrossOrigin.into_response()
    }
}

/// For WebSocket upgrades (GET requests, so outside the check above): the browser's
/// `Origin` must be present and be this site.
pub fn origin_allowed(headers: &HeaderMap, public_url: Option<&str>, secure: bool) -> bool {
    let origin = headers.get("origin").and_then(|v| v.to_str().ok());
    origin.is_some_and(|o| Some(normalized(o)) == expected_origin(headers, public_url, secure))
}

/// This site's origin: the public address's, else the address the request was sent to.
fn expected_origin(headers: &HeaderMap, public_url: Option<&str>, secure: bool) -> Option<String> {
    match public_url {
        Some(url) => Some(normalized(url)),
        None => {
            let host = headers.get("host").and_then(|v| v.to_str().ok()).filter(|h| !h.is_empty())?;
            Some(normalized(&format!("{}://{host}", if secure { "https" } else { "http" })))
        }
    }
}

/// `scheme://host[:port]` in lower case, without a path and without the scheme's default
/// port; what browsers send as `Origin`. Anything unreadable stays as it is (and so
/// matches nothing real).
fn normalized(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    let authority = match (scheme.as_str(), authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host.to_owned(),
        _ => authority,
    };
    format!("{scheme}://{authority}")
}

fn is_same_origin(headers: &HeaderMap, public_url: Option<&str>, secure: bool) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let expected = expected_origin(headers, public_url, secure);
    let site = text("sec-fetch-site");
    if site.is_some_and(|s| s != "same-origin") {
        return false;
    }
    if let Some(origin) = text("origin") {
        return Some(normalized(origin)) == expected;
    }
    if site.is_some() {
        return true;
    }
    match text("referer") {
        Some(referer) => Some(normalized(referer)) == expected,
        None => false,
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
        let local = [("host", "127.0.0.1:8080")];
        let with = |extra: &[(&'static str, &'static str)]| headers(&[local.as_slice(), extra].concat());
        assert!(is_same_origin(&with(&[("origin", "http://127.0.0.1:8080")]), None, false));
        assert!(!is_same_origin(&with(&[("origin", "http://evil.example")]), None, false));
        assert!(!is_same_origin(&with(&[("origin", "null")]), None, false));
        assert!(!is_same_origin(&with(&[("origin", "https://127.0.0.1:8080")]), None, false), "the scheme counts");
        assert!(!is_same_origin(&with(&[("sec-fetch-site", "cross-site")]), None, false));
        assert!(!is_same_origin(&with(&[("sec-fetch-site", "same-site")]), None, false));
        assert!(is_same_origin(&with(&[("sec-fetch-site", "same-origin")]), None, false));
        assert!(
            !is_same_origin(&with(&[("sec-fetch-site", "same-origin"), ("origin", "http://evil.example")]), None, false),
            "one header saying same-origin doesn't excuse the other"
        );
        assert!(!is_same_origin(&with(&[("referer", "http://evil.example/x")]), None, false));
        assert!(is_same_origin(&with(&[("referer", "http://127.0.0.1:8080/patients/1")]), None, false));
        assert!(!is_same_origin(&with(&[]), None, false), "no signal at all is refused");
        let public = Some("https://care.example.org/");
        assert!(is_same_origin(&headers(&[("origin", "https://care.example.org")]), public, true));
        assert!(is_same_origin(&headers(&[("origin", "https://Care.Example.org:443")]), public, true));
        assert!(!is_same_origin(&headers(&[("origin", "http://care.example.org")]), public, true));
        assert!(!is_same_origin(&headers(&[("origin", "https://care.example.org:8443")]), public, true));
    }

    #[test]
    fn upgrades_need_this_sites_origin() {
        let h = headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]);
        assert!(origin_allowed(&h, None, false));
        assert!(!origin_allowed(&headers(&[("host", "127.0.0.1:8080")]), None, false));
        assert!(!origin_allowed(&headers(&[("host", "127.0.0.1:8080"), ("origin", "https://127.0.0.1:8080")]), None, false));
    }
}
