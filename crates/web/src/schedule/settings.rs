//! A clinician's scheduling settings: profile (what patients see when choosing), weekly
//! hours, date exceptions, visit types, and the private calendar feed. Clinicians edit
//! their own; admins anyone's in their practice (`?clinician=`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::booking::modality_key;
use haven_app::booking::settings::{ProfileInput, Target, VisitTypeInput};
use haven_app::when;
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{Language, VisitTypeId};
use haven_store::{ClinicianProfile, VisitType};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Which {
    clinician: String,
    done: String,
}

struct HoursRow {
    day: i64,
    label: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "schedule_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    clinician: String,
    name: String,
    profile: ClinicianProfile,
    speaks: Vec<(String, String, bool)>,
    licenses: String,
    specialties: String,
    notice_hours: i64,
    zones: Vec<String>,
    hours: Vec<HoursRow>,
    exceptions: Vec<String>,
    visit_types: Vec<(String, String)>,
    modalities: Vec<(String, String)>,
    locations: Vec<(String, String)>,
    feed_url: Option<String>,
    feed_enabled: bool,
    away: String,
    /// The photo's address when there is one.
    photo: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

fn hhmm(minutes: i64) -> String {
    if minutes >= 1440 { "23:59".into() } else { format!("{:02}:{:02}", minutes / 60, minutes % 60) }
}

pub(super) async fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    t: &Target,
    notice: Option<String>,
    error: Option<&str>,
    feed_url: Option<String>,
) -> Result<Response, AppError> {
    let store = &state.app.cx.store;
    let (practice, clinician, name) = (t.practice, t.clinician, t.name.clone());
    let chrome = Chrome::signed(state, lang.0, "/schedule/settings", actor);
    let profile: ClinicianProfile = state.app.booking.profile_or_default(t).await?;
    let stored = store.clinician_hours(clinician).await?;
    let hours = (1..=7)
        .map(|day| {
            let row = stored.weekly.iter().find(|(d, _, _)| *d == day);
            let weekday = jiff::civil::Weekday::from_monday_one_offset(i8::try_from(day).unwrap_or(1)).unwrap_or(jiff::civil::Weekday::Monday);
            HoursRow {
                day,
                label: chrome.t(&format!("weekday-{}", weekday.to_monday_one_offset())),
                from: row.map(|r| hhmm(r.1)).unwrap_or_default(),
                to: row.map(|r| hhmm(r.2)).unwrap_or_default(),
            }
        })
        .collect();
    let exceptions = stored
        .dates
        .iter()
        .map(|(day, s, e)| if s == e { chrome.t1("settings-day-off", "date", day) } else { format!("{day}: {}–{}", hhmm(*s), hhmm(*e)) })
        .collect();
    let visit_types = store
        .visit_types_of(clinician)
        .await?
        .iter()
        .map(|v: &VisitType| {
            let how = v.modalities.iter().map(|m| chrome.t(modality_key(*m))).collect::<Vec<_>>().join(", ");
            (
                v.id.to_string(),
                format!("{} · {how}", chrome.t2("book-visit-type-label", ("name", v.name.get(chrome.lang())), ("minutes", &v.minutes.to_string()))),
            )
        })
        .collect();
    let zone = profile.time_zone.clone();
    let page = SettingsPage {
        clinician: clinician.to_string(),
        name,
        speaks: Language::ALL
            .iter()
            .map(|l| (l.tag().to_owned(), l.native_name().to_owned(), profile.languages.iter().any(|x| x == l.tag())))
            .collect(),
        licenses: Jurisdiction::join(&profile.licenses).replace(',', ", "),
        specialties: profile.specialties.join(", "),
        notice_hours: profile.min_notice_minutes / 60,
        zones: when::COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!when::COMMON_ZONES.contains(&zone.as_str())).then_some(zone)).collect(),
        hours,
        exceptions,
        visit_types,
        modalities: Modality::ALL.iter().map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        locations: store.locations_of(practice).await?.into_iter().map(|l| (l.id.to_string(), l.name)).collect(),
        feed_enabled: store.feed_enabled(clinician).await?,
        away: store.away_reply(clinician).await?,
        photo: store.clinician_photo(clinician).await?.map(|_| super::photo_url(clinician)),
        feed_url,
        notice,
        error: error.map(|k| chrome.t(k)),
        profile,
        chrome,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(which): Query<Which>) -> Result<Response, AppError> {
    let target = state.app.booking.settings_target(&actor, &which.clinician).await?;
    let notice = (!which.done.is_empty()).then(|| haven_app::i18n::translate(lang.0, "settings-saved", &[]));
    render(lang, &state, &actor, &target, notice, None, None).await
}

pub(super) fn saved(t: &Target) -> Response {
    Redirect::to(&format!("/schedule/settings?clinician={}&done=1", t.clinician)).into_response()
}

/// Saved, or the page again with what to fix.
async fn outcome(lang: Lang, state: &AppState, actor: &Actor, t: &Target, result: Result<(), &'static str>) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(saved(t)),
        Err(key) => render(lang, state, actor, t, None, Some(key), None).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    clinician: String,
    credentials: String,
    bio: String,
    bio_es: String,
    lang_en: String,
    lang_es: String,
    specialties: String,
    licenses: String,
    time_zone: String,
    buffer: String,
    notice_hours: String,
    ahead_days: String,
    accepting: String,
}

pub async fn save_profile(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(f): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    let mut languages = Vec::new();
    if !f.lang_en.is_empty() {
        languages.push("en".to_owned());
    }
    if !f.lang_es.is_empty() {
        languages.push("es".to_owned());
    }
    let input = ProfileInput {
        credentials: f.credentials,
        bio: f.bio,
        bio_es: f.bio_es,
        languages,
        specialties: f.specialties,
        licenses: f.licenses,
        time_zone: f.time_zone,
        buffer: f.buffer,
        notice_hours: f.notice_hours,
        ahead_days: f.ahead_days,
        accepting: !f.accepting.is_empty(),
    };
    let result = state.app.booking.save_profile(&t, &input).await?;
    outcome(lang, &state, &actor, &t, result).await
}

/// Weekly hours arrive as `from_1`/`to_1` … `from_7`/`to_7`; both empty means not working.
pub async fn save_hours(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let t = state.app.booking.settings_target(&actor, &get("clinician")).await?;
    let days: Vec<(i64, String, String)> = (1..=7).map(|day| (day, get(&format!("from_{day}")), get(&format!("to_{day}")))).collect();
    let result = state.app.booking.save_hours(&t, &days).await?;
    outcome(lang, &state, &actor, &t, result).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DateForm {
    clinician: String,
    date: String,
    off: String,
    from: String,
    to: String,
    clear: String,
}

pub async fn save_date(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<DateForm>) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    let result = state.app.booking.save_date(&t, &f.date, !f.off.is_empty(), !f.clear.is_empty(), &f.from, &f.to).await?;
    outcome(lang, &state, &actor, &t, result).await
}

/// New visit types arrive with `modality` repeated once per chosen modality.
pub async fn add_visit_type(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let t = state.app.booking.settings_target(&actor, &get("clinician")).await?;
    let input = VisitTypeInput {
        name: get("name"),
        name_es: get("name_es"),
        minutes: get("minutes"),
        modalities: f.iter().filter(|(k, _)| k == "modality").map(|(_, v)| v.clone()).collect(),
        location: get("location"),
    };
    let result = state.app.booking.add_visit_type(&t, &input).await?;
    outcome(lang, &state, &actor, &t, result).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RetireForm {
    clinician: String,
    visit_type: String,
}

pub async fn retire_visit_type(State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<RetireForm>) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    let id: VisitTypeId = f.visit_type.parse().map_err(|_| AppError::NotFound)?;
    state.app.booking.retire_visit_type(&t, id).await?;
    Ok(saved(&t))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedForm {
    clinician: String,
    action: String,
}

/// Creates (or replaces) the private feed URL, shown once; or revokes it.
pub async fn feed(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<FeedForm>) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    let revoke = f.action == "revoke";
    match state.app.booking.set_feed(&t, !revoke).await? {
        Err(key) => render(lang, &state, &actor, &t, None, Some(key), None).await,
        Ok(None) => {
            let notice = haven_app::i18n::translate(lang.0, "settings-feed-revoked", &[]);
            render(lang, &state, &actor, &t, Some(notice), None, None).await
        }
        Ok(Some(url)) => render(lang, &state, &actor, &t, None, None, Some(url)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AwayForm {
    clinician: String,
    text: String,
}

/// The automatic reply to patients' messages outside office hours.
pub async fn save_away(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<AwayForm>) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    let result = state.app.booking.save_away(&t, &f.text).await?;
    outcome(lang, &state, &actor, &t, result).await
}
