//! Form posts, read strictly. axum's own `Form` decodes a body that isn't valid UTF-8 by
//! replacing what it can't read ("�"), so a note with broken bytes would be stored altered;
//! this one refuses it with a translated 400 page instead, as the JSON API does, and stores
//! nothing.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A form post's fields, deserialized from `application/x-www-form-urlencoded`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let urlencoded = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")));
        if !urlencoded {
            return Err(AppError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { AppError::TooLarge } else { AppError::BadRequest })?;
        if !is_valid_utf8(&body) {
            return Err(AppError::BadEncoding);
        }
        serde_urlencoded::from_bytes(&body).map(Form).map_err(|_| AppError::BadRequest)
    }
}

/// Whether every name and value of the body decodes to UTF-8 text.
fn is_valid_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let plus_as_space: Vec<u8> = pair.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
        std::str::from_utf8(&decoded).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_bytes_are_refused_and_text_in_any_script_is_not() {
        assert!(is_valid_utf8(b"body=Hola%2C+%C2%BFqu%C3%A9+tal%3F&n=1"));
        assert!(is_valid_utf8("name=José Ñúñez 李".as_bytes()));
        assert!(!is_valid_utf8(b"body=%c3%28%ff"));
        assert!(!is_valid_utf8(b"b%ff=1"), "names are checked too");
        assert!(!is_valid_utf8(b"body=\xff"), "raw bytes too");
    }
}
