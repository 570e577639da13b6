//! A clinician's scheduling settings: profile (what patients see when choosing), weekly
//! hours, date exceptions, visit types, and the private calendar feed. Clinicians edit
//! their own; admins anyone's in their practice (`?clinician=`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_crypto::SecretToken;
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{Language, LocationId, PracticeId, UserId, VisitTypeId};
use haven_store::{ClinicianProfile, VisitType};
use jiff::civil::{Date, Time};
use serde::Deserialize;

use super::{may_manage, staff_practice};
use crate::booking::{html, modality_key, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
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

/// Whose settings, checked: `Err(Forbidden)` for anyone else's outside admin rights.
pub(super) async fn target(state: &AppState, current: &CurrentUser, raw: &str) -> Result<(PracticeId, UserId, String), AppError> {
    let practice = staff_practice(current)?;
    let clinician = if raw.is_empty() { current.user.id } else { raw.parse().map_err(|_| AppError::NotFound)? };
    if !may_manage(current, practice, clinician) {
        return Err(AppError::Forbidden);
    }
    let user = state.store.user(clinician).await?.ok_or(AppError::NotFound)?;
    if !user.memberships.contains(&(practice, haven_domain::Role::Clinician)) {
        return Err(AppError::NotFound);
    }
    Ok((practice, clinician, user.display_name))
}

fn hhmm(minutes: i64) -> String {
    if minutes >= 1440 { "23:59".into() } else { format!("{:02}:{:02}", minutes / 60, minutes % 60) }
}

fn minutes(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

pub(super) async fn render(lang: Lang, state: &AppState, current: &CurrentUser, raw: &str, notice: Option<String>, error: Option<&str>, feed_url: Option<String>) -> Result<Response, AppError> {
    let (practice, clinician, name) = target(state, current, raw).await?;
    let chrome = Chrome::new(lang.0, "/schedule/settings", &state.config.crisis).for_user(current, &state.config.sessions);
    let practice_zone = state.store.practice_settings(practice).await?.time_zone;
    let profile = state.store.clinician_profile(clinician).await?.unwrap_or(ClinicianProfile {
        user: clinician,
        practice,
        name: name.clone(),
        credentials: String::new(),
        bio: String::new(),
        languages: vec!["en".into()],
        specialties: Vec::new(),
        licenses: Vec::new(),
        time_zone: practice_zone,
        buffer_minutes: 0,
        min_notice_minutes: 720,
        max_ahead_days: 60,
        accepting: true,
    });
    let stored = state.store.clinician_hours(clinician).await?;
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
    let visit_types = state
        .store
        .visit_types_of(clinician)
        .await?
        .iter()
        .map(|v: &VisitType| {
            let how = v.modalities.iter().map(|m| chrome.t(modality_key(*m))).collect::<Vec<_>>().join(", ");
            (v.id.to_string(), format!("{} · {how}", chrome.t2("book-visit-type-label", ("name", &v.name), ("minutes", &v.minutes.to_string()))))
        })
        .collect();
    let zone = profile.time_zone.clone();
    let page = SettingsPage {
        clinician: clinician.to_string(),
        name,
        speaks: Language::ALL.iter().map(|l| (l.tag().to_owned(), l.native_name().to_owned(), profile.languages.iter().any(|x| x == l.tag()))).collect(),
        licenses: Jurisdiction::join(&profile.licenses).replace(',', ", "),
        specialties: profile.specialties.join(", "),
        notice_hours: profile.min_notice_minutes / 60,
        zones: when::COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!when::COMMON_ZONES.contains(&zone.as_str())).then_some(zone)).collect(),
        hours,
        exceptions,
        visit_types,
        modalities: Modality::ALL.iter().map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        locations: state.store.locations_of(practice).await?.into_iter().map(|l| (l.id.to_string(), l.name)).collect(),
        feed_enabled: state.store.feed_enabled(clinician).await?,
        away: state.store.away_reply(clinician).await?,
        photo: state.store.clinician_photo(clinician).await?.map(|_| super::photo_url(clinician)),
        feed_url,
        notice,
        error: error.map(|k| chrome.t(k)),
        profile,
        chrome,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(which): Query<Which>) -> Result<Response, AppError> {
    let notice = match which.done.as_str() {
        "" => None,
        _ => Some(crate::i18n::translate(lang.0, "settings-saved", &[])),
    };
    render(lang, &state, &current, &which.clinician, notice, None, None).await
}

pub(super) fn saved(clinician: &str) -> Response {
    Redirect::to(&format!("/schedule/settings?clinician={clinician}&done=1")).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    clinician: String,
    credentials: String,
    bio: String,
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

pub async fn save_profile(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<ProfileForm>) -> Result<Response, AppError> {
    let (practice, clinician, name) = target(&state, &current, &f.clinician).await?;
    let bad = |key| render(lang, &state, &current, &f.clinician, None, Some(key), None);
    let licenses: Vec<&str> = f.licenses.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let parsed: Vec<Jurisdiction> = licenses.iter().filter_map(|l| Jurisdiction::parse(l)).collect();
    if parsed.len() != licenses.len() {
        return bad("settings-error-licenses").await;
    }
    if when::zone(&f.time_zone).is_none() {
        return bad("booking-error-time-zone").await;
    }
    let number = |s: &str, lo: i64, hi: i64| s.trim().parse::<i64>().ok().filter(|n| (lo..=hi).contains(n));
    let (Some(buffer), Some(notice), Some(ahead)) = (number(&f.buffer, 0, 120), number(&f.notice_hours, 0, 24 * 30), number(&f.ahead_days, 1, 366)) else {
        return bad("settings-error-number").await;
    };
    let mut languages = Vec::new();
    if !f.lang_en.is_empty() {
        languages.push("en".to_owned());
    }
    if !f.lang_es.is_empty() {
        languages.push("es".to_owned());
    }
    if languages.is_empty() || f.bio.chars().count() > 2000 || f.credentials.chars().count() > 120 {
        return bad("settings-error-profile").await;
    }
    let profile = ClinicianProfile {
        user: clinician,
        practice,
        name,
        credentials: f.credentials.trim().to_owned(),
        bio: f.bio.trim().to_owned(),
        languages,
        specialties: f.specialties.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(60).collect()).collect(),
        licenses: parsed,
        time_zone: f.time_zone.trim().to_owned(),
        buffer_minutes: buffer,
        min_notice_minutes: notice * 60,
        max_ahead_days: ahead,
        accepting: !f.accepting.is_empty(),
    };
    state.store.save_clinician_profile(&profile, state.clock.now()).await?;
    Ok(saved(&clinician.to_string()))
}

/// Weekly hours arrive as `from_1`/`to_1` … `from_7`/`to_7`; both empty means not working.
pub async fn save_hours(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<Vec<(String, String)>>) -> Result<Response, AppError> {
    let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let raw = get("clinician");
    let (_, clinician, _) = target(&state, &current, &raw).await?;
    if state.store.clinician_profile(clinician).await?.is_none() {
        return render(lang, &state, &current, &raw, None, Some("settings-error-profile-first"), None).await;
    }
    let mut weekly = Vec::new();
    for day in 1..=7 {
        let (from, to) = (get(&format!("from_{day}")), get(&format!("to_{day}")));
        if from.is_empty() && to.is_empty() {
            continue;
        }
        match (from.parse::<Time>(), to.parse::<Time>()) {
            (Ok(a), Ok(b)) if a < b => weekly.push((day, minutes(a), minutes(b))),
            _ => return render(lang, &state, &current, &raw, None, Some("settings-error-hours"), None).await,
        }
    }
    state.store.set_weekly_hours(clinician, &weekly).await?;
    Ok(saved(&clinician.to_string()))
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

pub async fn save_date(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<DateForm>) -> Result<Response, AppError> {
    let (_, clinician, _) = target(&state, &current, &f.clinician).await?;
    let Ok(date) = f.date.parse::<Date>() else {
        return render(lang, &state, &current, &f.clinician, None, Some("settings-error-date"), None).await;
    };
    let day = date.to_string();
    if !f.clear.is_empty() {
        state.store.clear_date_hours(clinician, &day).await?;
    } else if !f.off.is_empty() {
        state.store.set_date_hours(clinician, &day, &[]).await?;
    } else {
        match (f.from.parse::<Time>(), f.to.parse::<Time>()) {
            (Ok(a), Ok(b)) if a < b => state.store.set_date_hours(clinician, &day, &[(minutes(a), minutes(b))]).await?,
            _ => return render(lang, &state, &current, &f.clinician, None, Some("settings-error-hours"), None).await,
        }
    }
    Ok(saved(&clinician.to_string()))
}

/// New visit types arrive with `modality` repeated once per chosen modality.
pub async fn add_visit_type(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<Vec<(String, String)>>) -> Result<Response, AppError> {
    let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let raw = get("clinician");
    let (practice, clinician, _) = target(&state, &current, &raw).await?;
    let modalities: Vec<Modality> = f.iter().filter(|(k, _)| k == "modality").filter_map(|(_, v)| Modality::parse(v)).collect();
    let name = get("name");
    let minutes = get("minutes").parse::<i64>().ok().filter(|m| (5..=480).contains(m));
    let location = match get("location").as_str() {
        "" => None,
        id => id.parse::<LocationId>().ok(),
    };
    let locations = state.store.locations_of(practice).await?;
    let location_ok = location.is_none_or(|l| locations.iter().any(|x| x.id == l));
    let in_person_needs_place = modalities.contains(&Modality::InPerson) && location.is_none();
    let (Some(minutes), false, true, false) = (minutes, name.is_empty() || name.chars().count() > 80 || modalities.is_empty(), location_ok, in_person_needs_place) else {
        return render(lang, &state, &current, &raw, None, Some("settings-error-visit-type"), None).await;
    };
    let visit = VisitType { id: VisitTypeId::new(), clinician, name, minutes, modalities, location, active: true };
    state.store.add_visit_type(&visit, state.clock.now()).await?;
    Ok(saved(&clinician.to_string()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RetireForm {
    clinician: String,
    visit_type: String,
}

pub async fn retire_visit_type(State(state): State<AppState>, current: CurrentUser, Form(f): Form<RetireForm>) -> Result<Response, AppError> {
    let (_, clinician, _) = target(&state, &current, &f.clinician).await?;
    let id: VisitTypeId = f.visit_type.parse().map_err(|_| AppError::NotFound)?;
    state.store.retire_visit_type(clinician, id).await?;
    Ok(saved(&clinician.to_string()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedForm {
    clinician: String,
    action: String,
}

/// Creates (or replaces) the private feed URL, shown once; or revokes it.
pub async fn feed(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<FeedForm>) -> Result<Response, AppError> {
    let (_, clinician, _) = target(&state, &current, &f.clinician).await?;
    if state.store.clinician_profile(clinician).await?.is_none() {
        return render(lang, &state, &current, &f.clinician, None, Some("settings-error-profile-first"), None).await;
    }
    if f.action == "revoke" {
        state.store.set_feed_token(clinician, None).await?;
        let notice = crate::i18n::translate(lang.0, "settings-feed-revoked", &[]);
        return render(lang, &state, &current, &f.clinician, Some(notice), None, None).await;
    }
    let token = SecretToken::generate();
    state.store.set_feed_token(clinician, Some(&token.digest())).await?;
    let url = state.link(&format!("/calendar/{}.ics", token.reveal()));
    render(lang, &state, &current, &f.clinician, None, None, Some(url)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AwayForm {
    clinician: String,
    text: String,
}

/// The automatic reply to patients' messages outside office hours.
pub async fn save_away(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<AwayForm>) -> Result<Response, AppError> {
    let (_, clinician, _) = target(&state, &current, &f.clinician).await?;
    if state.store.clinician_profile(clinician).await?.is_none() {
        return render(lang, &state, &current, &f.clinician, None, Some("settings-error-profile-first"), None).await;
    }
    if f.text.chars().count() > 1000 {
        return render(lang, &state, &current, &f.clinician, None, Some("message-error-long"), None).await;
    }
    state.store.set_away_reply(clinician, f.text.trim()).await?;
    Ok(saved(&clinician.to_string()))
}
