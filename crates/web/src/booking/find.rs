//! Finding a clinician: by where the patient will be (remote visits only with clinicians
//! licensed there), language, specialty and modality, soonest opening first.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::response::Html;
use haven_domain::Language;
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_store::ClinicianProfile;
use jiff::Timestamp;
use serde::Deserialize;

use super::{browsable_practices, html, modality_key, service, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Filters {
    #[serde(rename = "where")]
    pub place: String,
    pub language: String,
    pub specialty: String,
    pub modality: String,
    pub tz: String,
}

pub struct Match {
    pub profile: ClinicianProfile,
    pub modalities: Vec<Modality>,
    pub soonest: Option<Timestamp>,
}

/// The clinicians of the person's practices that fit `filters`, soonest opening first.
pub async fn search(state: &AppState, current: &CurrentUser, filters: &Filters) -> Result<Result<Vec<Match>, &'static str>, AppError> {
    let place = match filters.place.trim() {
        "" => None,
        p => match Jurisdiction::parse(p) {
            Some(j) => Some(j),
            None => return Ok(Err("booking-error-where")),
        },
    };
    let modality = match filters.modality.trim() {
        "" => None,
        m => match Modality::parse(m) {
            Some(m) => Some(m),
            None => return Ok(Err("booking-error-modality")),
        },
    };
    let mut found = Vec::new();
    for practice in browsable_practices(current) {
        for profile in state.store.clinician_profiles(practice).await? {
            if !profile.accepting {
                continue;
            }
            if !filters.language.is_empty() && !profile.languages.iter().any(|l| *l == filters.language) {
                continue;
            }
            if !filters.specialty.is_empty() && !profile.specialties.iter().any(|s| s.eq_ignore_ascii_case(&filters.specialty)) {
                continue;
            }
            let licensed = place.as_ref().is_none_or(|p| profile.licenses.contains(p));
            let visits = state.store.visit_types_of(profile.user).await?;
            // Remote visits need a licence where the patient will be; in-person ones don't.
            let usable = |m: Modality| modality.is_none_or(|wanted| wanted == m) && (!m.is_remote() || licensed);
            let mut modalities: Vec<Modality> = visits.iter().flat_map(|v| v.modalities.iter().copied()).filter(|m| usable(*m)).collect();
            modalities.sort_by_key(|m| m.as_str());
            modalities.dedup();
            if modalities.is_empty() {
                continue;
            }
            let mut soonest = None;
            for visit in visits.iter().filter(|v| v.modalities.iter().any(|m| usable(*m))) {
                if let Some(first) = service::next_open(state, &profile, visit, 1).await?.first() {
                    soonest = Some(soonest.map_or(*first, |s: Timestamp| s.min(*first)));
                }
            }
            found.push(Match { profile, modalities, soonest });
        }
    }
    found.sort_by_key(|m| (m.soonest.is_none(), m.soonest));
    Ok(Ok(found))
}

struct Card {
    id: String,
    name: String,
    credentials: String,
    bio: String,
    languages: String,
    specialties: String,
    modalities: String,
    soonest: Option<String>,
    link: String,
    photo: Option<String>,
}

#[derive(Template)]
#[template(path = "book_find.html")]
struct FindPage {
    chrome: Chrome,
    filters: Filters,
    places: Vec<(String, String)>,
    specialties: Vec<String>,
    modalities: Vec<(String, String)>,
    zones: Vec<String>,
    zone: String,
    cards: Vec<Card>,
    error: Option<String>,
}

fn query_string(filters: &Filters, zone: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("where", &filters.place).append_pair("modality", &filters.modality).append_pair("tz", zone);
    q.finish()
}

pub async fn show(lang: Lang, State(state): State<AppState>, ConnectInfo(_peer): ConnectInfo<SocketAddr>, current: CurrentUser, Query(filters): Query<Filters>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/book", &state.config.crisis).for_user(&current, &state.config.sessions);
    let practice = browsable_practices(&current).first().copied();
    let practice_zone = match practice {
        Some(p) => state.store.practice_settings(p).await?.time_zone,
        None => "UTC".to_owned(),
    };
    let saved = state.store.user_time_zone(current.user.id).await?;
    let mut error = None;
    if !filters.tz.is_empty() && when::zone(&filters.tz).is_none() {
        error = Some(chrome.t("booking-error-time-zone"));
    }
    let (zone, tz) = when::viewer_zone(Some(&filters.tz), saved.as_deref(), &practice_zone);
    let (matches, problem) = match search(&state, &current, &filters).await? {
        Ok(m) => (m, None),
        Err(key) => (Vec::new(), Some(key)),
    };
    if let Some(key) = problem {
        error = Some(chrome.t(key));
    }
    let mut specialties: Vec<String> = Vec::new();
    let mut photos = Vec::new();
    for p in browsable_practices(&current) {
        photos.extend(state.store.clinicians_with_photos(p).await?);
        for profile in state.store.clinician_profiles(p).await? {
            specialties.extend(profile.specialties);
        }
    }
    specialties.sort();
    specialties.dedup();
    let cards = matches
        .into_iter()
        .map(|m| Card {
            photo: photos.contains(&m.profile.user).then(|| crate::schedule::photo_url(m.profile.user)),
            id: m.profile.user.to_string(),
            link: format!("/book/{}?{}", m.profile.user, query_string(&filters, &zone)),
            name: m.profile.name.clone(),
            credentials: m.profile.credentials.clone(),
            bio: m.profile.bio.clone(),
            languages: m.profile.languages.iter().filter_map(|l| Language::from_tag(l)).map(Language::native_name).collect::<Vec<_>>().join(", "),
            specialties: m.profile.specialties.join(", "),
            modalities: m.modalities.iter().map(|x| chrome.t(modality_key(*x))).collect::<Vec<_>>().join(", "),
            soonest: m.soonest.map(|s| when::when_label(lang.0, s, &tz, &zone)),
        })
        .collect();
    let page = FindPage {
        places: Jurisdiction::known().map(|j| (j.as_str().to_owned(), j.name().to_owned())).collect(),
        modalities: Modality::ALL.iter().map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        zones: when::COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!when::COMMON_ZONES.contains(&zone.as_str())).then(|| zone.clone())).collect(),
        filters,
        specialties,
        zone,
        cards,
        error,
        chrome,
    };
    html(&page)
}
