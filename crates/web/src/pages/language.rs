//! The language switch: a plain form, so it works without JavaScript.

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use haven_domain::Language;
use serde::Deserialize;

use crate::cookies;
use crate::form::Form;
use crate::identity::session::MaybeSigned;
use crate::lang::LANG_COOKIE;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Choice {
    lang: String,
    return_to: String,
}

/// Only paths on this site: an absolute or scheme-relative address would make the switch
/// an open redirect.
fn safe_return(path: &str) -> &str {
    let local = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    if local { path } else { "/" }
}

pub async fn switch(State(state): State<AppState>, user: Result<MaybeSigned, crate::error::AppError>, Form(choice): Form<Choice>) -> Response {
    let lang = Language::from_tag(&choice.lang).unwrap_or_default();
    // The account setting is remembered when the database is reachable; the cookie alone
    // is enough for this browser, so an outage doesn't stop the switch.
    if let Ok(MaybeSigned(Some(actor))) = user
        && let Err(e) = state.app.identity.set_language(actor.id(), lang).await
    {
        tracing::warn!(error = %e, "could not save the language setting");
    }
    let cookie = cookies::set(LANG_COOKIE, lang.tag(), state.config.secure_cookies, Some(31_536_000));
    (AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to(safe_return(&choice.return_to))).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_return("/home"), "/home");
        assert_eq!(safe_return("//evil.example"), "/");
        assert_eq!(safe_return("https://evil.example"), "/");
        assert_eq!(safe_return("/\\evil.example"), "/");
        assert_eq!(safe_return(""), "/");
    }
}
