//! The visit's pages: the way in (`/visits/{id}` sends each party to their next step), the
//! device check, the patient's safety check-in and consent, the room (waiting room and call),
//! and the patient's rating afterwards. The pages work as plain HTML; the call itself needs
//! JavaScript (WebRTC).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::visits::{CheckedIn, Party, is_phone};
use haven_app::when;
use haven_domain::audit::AuditAction;
use haven_domain::scheduling::AppointmentStatus;
use haven_domain::scheduling::modality::Jurisdiction;
use haven_domain::visits::consent::CONSENT_VERSION;
use haven_domain::visits::safety::SafetyDetails;
use haven_domain::visits::{ModalityUsed, VisitState};
use haven_store::Appointment;
use serde::Deserialize;

use crate::access::Scoped;
use crate::booking::viewer_zone;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

fn chrome(lang: Lang, state: &AppState, actor: &Actor, path: &str) -> Chrome {
    Chrome::signed(state, lang.0, path, actor)
}

/// Where a visit that has ended sends its parties, instead of through the device check and
/// check-in to a room that would only say "ended": the patient to the summary (with
/// "book your next visit"), the clinician to the appointment.
fn after_the_end(a: &Appointment, party: Party) -> Option<Response> {
    (a.status == AppointmentStatus::Completed).then(|| {
        let to = match party {
            Party::Patient => format!("/visits/{}/done", a.id),
            Party::Clinician => format!("/appointments/{}", a.id),
        };
        Redirect::to(&to).into_response()
    })
}

/// `/visits/{id}`: the patient starts with the device check; the clinician goes to the room.
pub async fn start(State(state): State<AppState>, Scoped((a, party)): Scoped<(Appointment, Party)>) -> Result<Response, AppError> {
    if let Some(done) = after_the_end(&a, party) {
        return Ok(done);
    }
    let admitted = state.app.visits.admitted(&a).await?;
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
pub async fn check(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
) -> Result<Response, AppError> {
    if let Some(done) = after_the_end(&a, party) {
        return Ok(done);
    }
    let next = match party {
        Party::Patient => format!("/visits/{}/safety", a.id),
        Party::Clinician => format!("/visits/{}/room", a.id),
    };
    let page = CheckPage {
        chrome: chrome(lang, &state, &actor, &format!("/visits/{}/check", a.id)),
        ice: state.app.visits.rtc_configuration(actor.id()).to_string(),
        next,
    };
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

async fn render_safety(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    a: &Appointment,
    form: SafetyDetails,
    errors: Vec<(&'static str, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let chrome = chrome(lang, state, actor, &format!("/visits/{}/safety", a.id));
    let due = state.app.visits.consent_due(a).await?;
    let (_, tz) = viewer_zone(state, actor, a.practice, None).await?;
    let page = SafetyPage {
        id: a.id.to_string(),
        with: a.clinician_name.clone(),
        when: when::when_label(lang.0, a.starts_at, &tz),
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
pub async fn safety_form(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
) -> Result<Response, AppError> {
    if let Some(done) = after_the_end(&a, party) {
        return Ok(done);
    }
    if party != Party::Patient {
        return Ok(Redirect::to(&format!("/visits/{}/room", a.id)).into_response());
    }
    let form = state.app.visits.last_details(&actor, &a).await?;
    render_safety(lang, &state, &actor, &a, form, Vec::new(), StatusCode::OK).await
}

pub async fn safety_submit(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
    Form(form): Form<SafetyForm>,
) -> Result<Response, AppError> {
    if party != Party::Patient {
        // The clinician has nothing to check in: their way is the room.
        return Ok(Redirect::to(&format!("/visits/{}/room", a.id)).into_response());
    }
    let details = SafetyDetails {
        address: form.address,
        region: form.region,
        phone: form.phone,
        contact_name: form.contact_name,
        contact_phone: form.contact_phone,
    };
    match state.app.visits.check_in(&actor, &a, details.clone(), form.consent == "yes", &form.signature).await? {
        CheckedIn::Done => Ok(Redirect::to(&format!("/visits/{}/room", a.id)).into_response()),
        CheckedIn::Problems(problems) => {
            let errors = problems.into_iter().map(|(field, key)| (field, haven_app::i18n::translate(lang.0, key, &[]))).collect();
            render_safety(lang, &state, &actor, &a, details, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
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
    /// The questionnaires a clinician can send during the call: key and name.
    instruments: Vec<(String, String)>,
}

/// The room: the patient's waiting room that becomes the call once admitted; for the
/// clinician, the lobby (admit, note), the patient's safety details and the call.
pub async fn room(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
) -> Result<Response, AppError> {
    let visit = state.app.visits.visit(&a).await?;
    if party == Party::Patient && visit.is_none() {
        return Ok(Redirect::to(&format!("/visits/{}/safety", a.id)).into_response());
    }
    if visit.as_ref().is_some_and(|v| v.state() == VisitState::Ended) && party == Party::Patient {
        return Ok(Redirect::to(&format!("/visits/{}/done", a.id)).into_response());
    }
    state.app.visits.record(&actor, &a, AuditAction::Read).await?;
    let emergency = match (&visit, party) {
        (Some(v), Party::Clinician) => {
            let found = state.app.visits.emergency(v, &state.app.config.crisis.emergency_number)?;
            let d = found.details;
            Some(Emergency {
                emergency_number: found.emergency_number,
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
    let (_, tz) = viewer_zone(&state, &actor, a.practice, None).await?;
    let chrome = chrome(lang, &state, &actor, &format!("/visits/{}/room", a.id));
    let page = RoomPage {
        waiting_template: chrome.t2("visit-s-patient-waiting", ("name", "%s"), ("minutes", "%s")),
        chrome,
        id: a.id.to_string(),
        role: party.as_str(),
        clinician: party == Party::Clinician,
        phone: is_phone(&a),
        ice: state.app.visits.rtc_configuration(actor.id()).to_string(),
        peer_name: if party == Party::Patient { a.clinician_name.clone() } else { a.patient_name.clone() },
        when: when::when_label(lang.0, a.starts_at, &tz),
        outside_licence: visit.as_ref().is_some_and(|v| v.outside_licence),
        note: visit.as_ref().and_then(|v| v.waiting_note.clone()).unwrap_or_default(),
        emergency,
        instruments: crate::measures::chart::assignable(lang.0),
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

async fn render_done(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    a: &Appointment,
    thanks: bool,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = state.app.visits.visit(a).await?;
    let minutes = v.as_ref().and_then(|v| Some(v.ended_at?.duration_since(v.connected_at?).as_mins()));
    let used = v.as_ref().map_or(ModalityUsed::None, |v| ModalityUsed::from_modes(a.modality, v.modes));
    let page = DonePage {
        chrome: chrome(lang, state, actor, &format!("/visits/{}/done", a.id)),
        id: a.id.to_string(),
        with: a.clinician_name.clone(),
        rated: v.as_ref().is_some_and(|v| v.rating.is_some()),
        thanks,
        modality: haven_app::i18n::translate(lang.0, &format!("visit-used-{}", used.as_str()), &[]),
        minutes,
        error,
    };
    html(&page).map(|h| (status, h).into_response())
}

/// After the visit: a one-question rating of its quality.
pub async fn done(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
) -> Result<Response, AppError> {
    if party != Party::Patient {
        return Ok(Redirect::to("/home").into_response());
    }
    state.app.visits.record(&actor, &a, AuditAction::Read).await?;
    render_done(lang, &state, &actor, &a, false, None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RateForm {
    rating: String,
}

pub async fn rate(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, party)): Scoped<(Appointment, Party)>,
    Form(form): Form<RateForm>,
) -> Result<Response, AppError> {
    if party != Party::Patient {
        return Ok(Redirect::to("/home").into_response());
    }
    let Some(rating) = form.rating.parse::<i64>().ok().filter(|r| (1..=5).contains(r)) else {
        state.app.visits.record(&actor, &a, AuditAction::Read).await?;
        let message = haven_app::i18n::translate(lang.0, "visit-error-rating", &[]);
        return render_done(lang, &state, &actor, &a, false, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    state.app.visits.rate(&actor, &a, rating).await?;
    render_done(lang, &state, &actor, &a, true, None, StatusCode::OK).await
}
