//! Finding a clinician: by where the patient will be (remote visits only with clinicians
//! licensed there), language, specialty and modality, soonest opening first.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use haven_app::booking::modality_key;
use haven_app::when;
use haven_domain::Language;
use haven_domain::scheduling::{Jurisdiction, Modality};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
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

impl Filters {
    #[must_use]
    pub fn search(&self) -> haven_app::booking::find::Filters {
        haven_app::booking::find::Filters {
            place: self.place.clone(),
            language: self.language.clone(),
            specialty: self.specialty.clone(),
            modality: self.modality.clone(),
        }
    }
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

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Query(filters): Query<Filters>,
) -> Result<Html<String>, AppError> {
    let store = &state.app.cx.store;
    let chrome = Chrome::signed(&state, lang.0, "/book", &actor);
    let practice = actor.browsable_practices().first().copied();
    let practice_zone = match practice {
        Some(p) => state.app.cx.practice_settings(p).await?.time_zone,
        None => "UTC".to_owned(),
    };
    let saved = actor.user.time_zone.clone();
    let mut error = None;
    if !filters.tz.is_empty() && when::zone(&filters.tz).is_none() {
        error = Some(chrome.t("booking-error-time-zone"));
    }
    let (zone, tz) = when::viewer_zone(Some(&filters.tz), saved.as_deref(), &practice_zone);
    let (matches, problem) = match state.app.booking.search(&actor, &filters.search()).await? {
        Ok(m) => (m, None),
        Err(key) => (Vec::new(), Some(key)),
    };
    if let Some(key) = problem {
        error = Some(chrome.t(key));
    }
    let mut specialties: Vec<String> = Vec::new();
    let mut photos = Vec::new();
    for p in actor.browsable_practices() {
        photos.extend(store.clinicians_with_photos(p).await?);
        for profile in store.clinician_profiles(p).await? {
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
            bio: m.profile.bio.get(lang.0).to_owned(),
            languages: m.profile.languages.iter().filter_map(|l| Language::from_tag(l)).map(Language::native_name).collect::<Vec<_>>().join(", "),
            specialties: m.profile.specialties.join(", "),
            modalities: m.modalities.iter().map(|x| chrome.t(modality_key(*x))).collect::<Vec<_>>().join(", "),
            soonest: m.soonest.map(|s| when::when_label(lang.0, s, &tz)),
        })
        .collect();
    let page = FindPage {
        places: Jurisdiction::known().map(|j| (j.as_str().to_owned(), j.name().to_owned())).collect(),
        modalities: Modality::ALL.iter().map(|m| (m.as_str().to_owned(), chrome.t(modality_key(*m)))).collect(),
        zones: when::COMMON_ZONES
            .iter()
            .map(|z| (*z).to_owned())
            .chain((!when::COMMON_ZONES.contains(&zone.as_str())).then(|| zone.clone()))
            .collect(),
        filters,
        specialties,
        zone,
        cards,
        error,
        chrome,
    };
    html(&page)
}
