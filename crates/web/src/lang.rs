//! Which language a request is answered in: the person's choice (kept in a cookie that
//! mirrors their account setting, so it is known even while the database is down), else
//! the browser's `Accept-Language`, else English.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use haven_domain::Language;

use crate::cookies;

pub const LANG_COOKIE: &str = "haven_lang";

#[must_use]
pub fn from_headers(headers: &HeaderMap) -> Language {
    cookies::get(headers, LANG_COOKIE)
        .and_then(Language::from_tag)
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate))
        .unwrap_or_default()
}

/// Extractor for the request's language.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Language);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(from_headers(&parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE;

    #[test]
    fn cookie_beats_accept_language() {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("es-MX,es;q=0.9"));
        assert_eq!(from_headers(&headers), Language::Es);
        headers.insert(COOKIE, HeaderValue::from_static("haven_lang=en"));
        assert_eq!(from_headers(&headers), Language::En);
        assert_eq!(from_headers(&HeaderMap::new()), Language::En);
    }
}
