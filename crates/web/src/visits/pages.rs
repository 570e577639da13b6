//! The visit's pages: the way in (`/visits/{id}` sends each party to their next step), the
//! device check, the patient's safety check-in and consent, the room (waiting room and call),
//! and the patient's rating afterwards. The pages work as plain HTML; the call itself needs
//! JavaScript (WebRTC).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::audit::{AuditAction, Outcome};
use haven_domain::scheduling::modality::Jurisdiction;
use haven_domain::visits::consent::{CONSENT_VERSION, check_signature, consent_due};
use haven_domain::visits::safety::{self as rules, SafetyDetails, SafetyProblem};
use haven_domain::visits::{ModalityUsed, VisitState};
use haven_domain::AppointmentId;
use haven_store::{Appointment, CheckIn, NewConsent};
use serde::Deserialize;

use super::{Party, entry, ice, is_phone, load, room_open, safety};
use crate::audit;
use crate::booking::{html, parse_id, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

fn chrome(lang: Lang, state: &AppState, current: &CurrentUser, path: &str) -> Chrome {
    Chrome::new(lang.0, path, &state.config.crisis).for_user(current, &state.config.sessions)
}

async fn loaded(state: &AppState, peer: SocketAddr, current: &CurrentUser, id: &str) -> Result<(Appointment, Party), AppError> {
    load(state, peer, current, parse_id::<AppointmentId>(id)?).await
}

/// `/visits/{id}`: the patient starts with the device check; the clinician goes to the room.
pub async fn start(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    let admitted = state.store.visit(a.id).await?.is_some_and(|v| v.state() == VisitState::Admitted);
    let next = match party {
        // Back after closing the tab: straight into the call, no re-admission.
        Party::Patient if admitted => "room",
        Party::Patient if is_phone(&a) => "safety",
        Party::Patient => "check",
        Party::Clinician => "room",
    };
    Ok(Redirect::to(&format!("/visits/{}/{next}", a.id)).into_response())
}

#[derive(Template)]
#[template(path = "visit_check.html")]
struct CheckPage {
    chrome: Chrome,
    ice: String,
    next: String,
}

/// The device check: camera, microphone, speaker, the connection to Haven and to TURN.
pub async fn check(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    let next = match party {
        Party::Patient => format!("/visits/{}/safety", a.id),
        Party::Clinician => format!("/visits/{}/room", a.id),
    };
    let page = CheckPage { chrome: chrome(lang, &state, &current, &format!("/visits/{}/check", a.id)), ice: ice::rtc_configuration(&state, current.user.id).to_string(), next };
    html(&page).map(IntoResponse::into_response)
}

#[derive(Template)]
#[template(path = "visit_safety.html")]
struct SafetyPage {
    chrome: Chrome,
    id: String,
    with: String,
    when: String,
    form: SafetyDetails,
    regions: Vec<(String, String)>,
    consent_due: bool,
    consent_version: &'static str,
    errors: Vec<(&'static str, String)>,
}

impl SafetyPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SafetyForm {
    address: String,
    region: String,
    phone: String,
    contact_name: String,
    contact_phone: String,
    consent: String,
    signature: String,
}

#[allow(clippy::too_many_arguments)]
async fn render_safety(lang: Lang, state: &AppState, current: &CurrentUser, a: &Appointment, form: SafetyDetails, errors: Vec<(&'static str, String)>, status: StatusCode) -> Result<Response, AppError> {
    let chrome = chrome(lang, state, current, &format!("/visits/{}/safety", a.id));
    let due = consent_due(state.store.latest_consent(a.practice, a.patient).await?.as_ref().map(|(at, v)| (*at, v.as_str())), state.clock.now());
    let (zone, tz) = crate::booking::visits::viewer_zone(state, current, a.practice, None).await?;
    let page = SafetyPage {
        id: a.id.to_string(),
        with: a.clinician_name.clone(),
        when: when::when_label(lang.0, a.starts_at, &tz, &zone),
        form,
        regions: Jurisdiction::known().map(|j| (j.as_str().to_owned(), j.name().to_owned())).collect(),
        consent_due: due,
        consent_version: CONSENT_VERSION,
        errors,
        chrome,
    };
    html(&page).map(|h| (status, h).into_response())
}

/// Before every visit: where the patient is, a call-back number and an emergency contact,
/// prefilled from last time; consent on the first visit and yearly.
pub async fn safety_form(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    if party != Party::Patient {
        return Ok(Redirect::to(&format!("/visits/{}/room", a.id)).into_response());
    }
    // Reading the prefilled details is reading the patient's record.
    audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
    let mut form = safety::last(&state, a.patient).await?.unwrap_or_default();
    if form.region.is_empty() {
        form.region = a.jurisdiction.clone().unwrap_or_default();
    }
    render_safety(lang, &state, &current, &a, form, Vec::new(), StatusCode::OK).await
}

pub async fn safety_submit(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Form(form): Form<SafetyForm>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    if party != Party::Patient {
        return Err(AppError::NotFound);
    }
    let details = SafetyDetails { address: form.address, region: form.region, phone: form.phone, contact_name: form.contact_name, contact_phone: form.contact_phone };
    let t = |key: &str| crate::i18n::translate(lang.0, key, &[]);
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let clean = match rules::check(&details) {
        Ok(clean) => Some(clean),
        Err(problems) => {
            errors.extend(problems.into_iter().map(|p: SafetyProblem| (p.field(), t(p.message_key()))));
            None
        }
    };
    let due = consent_due(state.store.latest_consent(a.practice, a.patient).await?.as_ref().map(|(at, v)| (*at, v.as_str())), state.clock.now());
    let signature = if due {
        if form.consent != "yes" {
            errors.push(("consent", t("visit-error-consent")));
        }
        let s = check_signature(&form.signature);
        if s.is_none() {
            errors.push(("signature", t("visit-error-signature")));
        }
        s
    } else {
        None
    };
    let now = state.clock.now();
    let (Some(clean), true) = (clean, errors.is_empty()) else {
        audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
        return render_safety(lang, &state, &current, &a, details, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !room_open(&a, now) {
        audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
        return render_safety(lang, &state, &current, &a, clean, vec![("address", t("visit-error-closed"))], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let licences = state.store.clinician_profile(a.clinician).await?.map(|p| p.licenses).unwrap_or_default();
    let check_in = CheckIn {
        appointment: a.id,
        practice: a.practice,
        patient: a.patient,
        clinician: a.clinician,
        sealed_safety: safety::seal(&state, a.id, &clean)?,
        outside_licence: !rules::licensed_for(&licences, &clean.region),
    };
    let consent = signature.map(|name| {
        let id = uuid::Uuid::now_v7();
        NewConsent { id, practice: a.practice, patient: a.patient, version: CONSENT_VERSION.to_owned(), sealed_signature: state.vault.seal(&format!("telehealth_consents.signature:{id}"), name.as_bytes()) }
    });
    let event = audit::event(&state, peer, entry(&current, &a, AuditAction::Update, Outcome::Success));
    state.store.check_in(&check_in, consent.as_ref(), &event, now).await?;
    Ok(Redirect::to(&format!("/visits/{}/room", a.id)).into_response())
}

/// What the clinician sees of the patient's check-in: the emergency panel and the phone
/// visit's call-back number.
pub struct Emergency {
    pub address: String,
    pub region: String,
    pub phone: String,
    pub phone_dial: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_dial: String,
    pub emergency_number: String,
}

#[derive(Template)]
#[template(path = "visit_room.html")]
struct RoomPage {
    chrome: Chrome,
    id: String,
    role: &'static str,
    clinician: bool,
    phone: bool,
    ice: String,
    peer_name: String,
    when: String,
    emergency: Option<Emergency>,
    outside_licence: bool,
    note: String,
    /// "%s has been waiting %s min", filled by the page's script.
    waiting_template: String,
}

/// The room: the patient's waiting room that becomes the call once admitted; for the
/// clinician, the lobby (admit, note), the patient's safety details and the call.
pub async fn room(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    let visit = state.store.visit(a.id).await?;
    if party == Party::Patient && visit.is_none() {
        return Ok(Redirect::to(&format!("/visits/{}/safety", a.id)).into_response());
    }
    if visit.as_ref().is_some_and(|v| v.state() == VisitState::Ended) && party == Party::Patient {
        return Ok(Redirect::to(&format!("/visits/{}/done", a.id)).into_response());
    }
    audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
    let emergency = match (&visit, party) {
        (Some(v), Party::Clinician) => {
            let d = safety::open(&state, a.id, &v.sealed_safety)?;
            Some(Emergency {
                emergency_number: rules::emergency_number(&d.region, &state.config.crisis.emergency_number),
                region: Jurisdiction::parse(&d.region).map_or(d.region.clone(), |j| j.name().to_owned()),
                phone_dial: haven_domain::crisis::dial_string(&d.phone),
                contact_dial: haven_domain::crisis::dial_string(&d.contact_phone),
                address: d.address,
                phone: d.phone,
                contact_name: d.contact_name,
                contact_phone: d.contact_phone,
            })
        }
        _ => None,
    };
    let (zone, tz) = crate::booking::visits::viewer_zone(&state, &current, a.practice, None).await?;
    let chrome = chrome(lang, &state, &current, &format!("/visits/{}/room", a.id));
    let page = RoomPage {
        waiting_template: chrome.t2("visit-s-patient-waiting", ("name", "%s"), ("minutes", "%s")),
        chrome,
        id: a.id.to_string(),
        role: party.as_str(),
        clinician: party == Party::Clinician,
        phone: is_phone(&a),
        ice: ice::rtc_configuration(&state, current.user.id).to_string(),
        peer_name: if party == Party::Patient { a.clinician_name.clone() } else { a.patient_name.clone() },
        when: when::when_label(lang.0, a.starts_at, &tz, &zone),
        outside_licence: visit.as_ref().is_some_and(|v| v.outside_licence),
        note: visit.as_ref().and_then(|v| v.waiting_note.clone()).unwrap_or_default(),
        emergency,
    };
    html(&page).map(IntoResponse::into_response)
}

#[derive(Template)]
#[template(path = "visit_done.html")]
struct DonePage {
    chrome: Chrome,
    id: String,
    with: String,
    rated: bool,
    thanks: bool,
    modality: String,
    minutes: Option<i64>,
    error: Option<String>,
}

async fn render_done(lang: Lang, state: &AppState, current: &CurrentUser, a: &Appointment, thanks: bool, error: Option<String>, status: StatusCode) -> Result<Response, AppError> {
    let v = state.store.visit(a.id).await?;
    let minutes = v.as_ref().and_then(|v| Some(v.ended_at?.duration_since(v.connected_at?).as_mins()));
    let used = v.as_ref().map_or(ModalityUsed::None, |v| ModalityUsed::from_modes(a.modality, v.modes));
    let page = DonePage {
        chrome: chrome(lang, state, current, &format!("/visits/{}/done", a.id)),
        id: a.id.to_string(),
        with: a.clinician_name.clone(),
        rated: v.as_ref().is_some_and(|v| v.rating.is_some()),
        thanks,
        modality: crate::i18n::translate(lang.0, &format!("visit-used-{}", used.as_str()), &[]),
        minutes,
        error,
    };
    html(&page).map(|h| (status, h).into_response())
}

/// After the visit: a one-question rating of its quality.
pub async fn done(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    if party != Party::Patient {
        return Ok(Redirect::to("/home").into_response());
    }
    audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
    render_done(lang, &state, &current, &a, false, None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RateForm {
    rating: String,
}

pub async fn rate(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, Form(form): Form<RateForm>) -> Result<Response, AppError> {
    let (a, party) = loaded(&state, peer, &current, &id).await?;
    if party != Party::Patient {
        return Err(AppError::NotFound);
    }
    let Some(rating) = form.rating.parse::<i64>().ok().filter(|r| (1..=5).contains(r)) else {
        audit::record(&state, peer, entry(&current, &a, AuditAction::Read, Outcome::Success)).await?;
        let message = crate::i18n::translate(lang.0, "visit-error-rating", &[]);
        return render_done(lang, &state, &current, &a, false, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    state.store.rate_visit(a.id, a.patient, rating).await?;
    audit::record(&state, peer, entry(&current, &a, AuditAction::Update, Outcome::Success)).await?;
    render_done(lang, &state, &current, &a, true, None, StatusCode::OK).await
}
