//! Static files embedded at build time under content-hashed names (see `build.rs`).

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub struct Asset {
    pub name: &'static str,
    pub hashed: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The URL of a static file by its plain name, e.g. `app.css` → `/static/app.3f9c2a81d0.css`.
#[must_use]
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => format!("/static/{}", asset.hashed),
        // A template naming a file that doesn't exist is a bug the page tests catch.
        None => format!("/static/missing-{name}"),
    }
}

pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = ASSETS.iter().find(|a| a.hashed == file).ok_or(AppError::NotFound)?;
    Ok(([(CONTENT_TYPE, asset.content_type), (CACHE_CONTROL, "public, max-age=31536000, immutable")], asset.bytes).into_response())
}

/// `/favicon.ico`, which browsers ask for on every site whatever the page says.
pub async fn favicon() -> Result<Response, AppError> {
    let asset = ASSETS.iter().find(|a| a.name == "favicon.ico").ok_or(AppError::NotFound)?;
    Ok(([(CONTENT_TYPE, asset.content_type), (CACHE_CONTROL, "public, max-age=86400")], asset.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_is_embedded_under_a_hashed_name() {
        let css = url("app.css");
        assert!(css.starts_with("/static/app.") && css.ends_with(".css") && css.len() > "/static/app.css".len());
        assert!(url("nope.css").contains("missing"));
    }
}
