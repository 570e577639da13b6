//! Small helpers every page handler uses: rendering a template, reading an id from a URL.

use askama::Template;
use axum::response::Html;

use crate::error::AppError;

/// Renders a page template.
pub fn html<T: Template>(page: &T) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}

/// An id from a URL; anything unparseable is simply not found.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}
