//! The signed-in person's start page.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use haven_app::visits::Party;
use haven_domain::Role;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::{Signed, role_label_key};
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    name: String,
    email: String,
    roles: Vec<String>,
    staff: bool,
    admin: bool,
    /// Follows risk signals live.
    clinician: bool,
    /// A clinician's care-team patients: id and name.
    patients: Vec<(String, String)>,
    /// Unread secure messages across the person's threads.
    unread: i64,
    /// Video and phone visits whose room is open now: link, label.
    visits: Vec<(String, String)>,
    /// A patient's next booked visit: link and "when · with whom · how".
    next_visit: Option<(String, String)>,
    /// A patient's open check-ins: link and "PHQ-9 from Dr. Lee · about 3 minutes".
    check_ins: Vec<(String, String)>,
    /// A clinician's unreviewed risk signals: signal id, patient link, wording.
    signals: Vec<(String, String, String)>,
    /// Scores to review, worst first: response id, patient link, wording.
    to_review: Vec<(String, String, String)>,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Html<String>, AppError> {
    let app = &state.app;
    let chrome = Chrome::signed(&state, lang.0, "/home", &actor);
    let mut roles: Vec<_> = actor.user.memberships.iter().map(|(_, r)| *r).collect();
    roles.sort();
    roles.dedup();
    let patients = app.charts.my_patients(&actor).await?.into_iter().map(|p| (p.id.to_string(), p.display_name)).collect();
    let unread = app.messaging.unread_total(&actor).await?;
    let now = app.cx.now();
    let mut visits = Vec::new();
    let start = app.visits.start_page(&actor).await?;
    for v in start.open {
        let a = &v.appointment;
        let practice_zone = app.cx.practice_settings(a.practice).await?.time_zone;
        let (_, tz) = haven_app::when::viewer_zone(None, actor.user.time_zone.as_deref(), &practice_zone);
        let when = haven_app::when::time_label(lang.0, a.starts_at, &tz);
        let label = match (v.party, v.waiting_since) {
            (Party::Clinician, Some(since)) => {
                let minutes = now.duration_since(since).as_mins().max(0).to_string();
                format!("{when} · {}", chrome.t2("dashboard-waiting-row", ("name", &a.patient_name), ("minutes", &minutes)))
            }
            (Party::Clinician, None) => format!("{when} · {}", a.patient_name),
            (Party::Patient, _) => format!("{when} · {}", a.clinician_name),
        };
        visits.push((format!("/visits/{}", a.id), label));
    }
    let next_visit = if actor.has_role(Role::Patient) {
        match start.next {
            Some(a) => {
                let practice_zone = app.cx.practice_settings(a.practice).await?.time_zone;
                let (_, tz) = haven_app::when::viewer_zone(None, actor.user.time_zone.as_deref(), &practice_zone);
                let when = haven_app::when::when_label(lang.0, a.starts_at, &tz);
                let how = chrome.t(haven_app::booking::modality_key(a.modality));
                Some((format!("/appointments/{}", a.id), format!("{when} · {} · {how}", a.clinician_name)))
            }
            None => None,
        }
    } else {
        None
    };
    let check_ins = app
        .measures
        .open_for(&actor)
        .await?
        .into_iter()
        .map(|(r, i)| {
            let about = chrome.t2("dashboard-check-in", ("name", &i.short), ("clinician", &r.requested_by_name));
            (format!("/check-ins/{}", r.id), format!("{about} · {}", chrome.t1("checkin-minutes", "minutes", &i.minutes.to_string())))
        })
        .collect();
    // Times in the reader's zone, else their practice's (never UTC by default).
    let tz = crate::booking::reader_zone(&state, &actor).await?;
    let signals = app
        .measures
        .signals_for(&actor)
        .await?
        .into_iter()
        .map(|s| {
            let when = haven_app::when::when_label(lang.0, s.created_at, &tz);
            let what = chrome.t(match (s.instrument.as_str(), s.level.as_str()) {
                ("phq9", _) => "signal-phq9-item9",
                (_, "high") => "signal-cssrs-high",
                (_, "moderate") => "signal-cssrs-moderate",
                _ => "signal-cssrs-low",
            });
            (s.id.to_string(), format!("/patients/{}", s.patient), format!("{} · {what} · {when}", s.patient_name))
        })
        .collect();
    let to_review = app
        .measures
        .to_review(&actor)
        .await?
        .into_iter()
        .map(|r| {
            let band = r.item.band.as_deref().and_then(|k| r.instrument.bands.iter().find(|b| b.key == k)).map(|b| b.label.get(lang.0).to_owned());
            let score = band.map_or_else(|| r.item.total.to_string(), |b| format!("{} ({b})", r.item.total));
            let mut label = format!("{} · {} {score}", r.item.patient_name, r.instrument.short);
            if r.deteriorated {
                label = format!("{label} · {}", chrome.t("measures-change-deteriorated"));
            }
            let when = haven_app::when::when_label(lang.0, r.item.completed_at, &tz);
            (r.item.id.to_string(), format!("/patients/{}#measures-heading", r.item.patient), format!("{label} · {when}"))
        })
        .collect();
    html(&DashboardPage {
        to_review,
        check_ins,
        signals,
        next_visit,
        visits,
        unread,
        name: actor.user.display_name.clone(),
        email: actor.user.email.to_string(),
        roles: roles.into_iter().map(|r| chrome.t(role_label_key(r))).collect(),
        staff: actor.is_staff(),
        admin: actor.has_role(Role::Admin),
        clinician: actor.has_role(Role::Clinician),
        patients,
        chrome,
    })
}
