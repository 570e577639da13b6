//! The signed-in person's start page.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use axum::response::Html;

use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::identity::session::role_label_key;
use crate::lang::Lang;
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
    /// A clinician's care-team patients: id and name.
    patients: Vec<(String, String)>,
    /// Unread secure messages across the person's threads.
    unread: i64,
    /// Video and phone visits whose room is open now: link, label.
    visits: Vec<(String, String)>,
}

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/home", &state.config.crisis).for_user(&current, &state.config.sessions);
    let mut roles: Vec<_> = current.user.memberships.iter().map(|(_, r)| *r).collect();
    roles.sort();
    roles.dedup();
    let patients = if current.user.has_role(haven_domain::Role::Clinician) {
        let listed = state.store.care_team_patients(current.user.id).await?;
        // Seeing a patient's name in the list is a read of their record: each one is
        // audited, all in one transaction.
        let entries = listed
            .iter()
            .map(|patient| Entry {
                actor: Some(current.user.id),
                practice: None,
                patient: Some(patient.id),
                action: AuditAction::Read,
                category: DataCategory::Demographics,
                outcome: Outcome::Success,
            })
            .collect();
        audit::record_all(&state, peer, entries).await?;
        listed.into_iter().map(|p| (p.id.to_string(), p.display_name)).collect()
    } else {
        Vec::new()
    };
    let roles = roles.into_iter().map(|r| chrome.t(role_label_key(r))).collect();
    let unread = unread_messages(&state, &current).await?;
    let visits = open_visits(&state, peer, &current, &chrome).await?;
    DashboardPage {
        visits,
        unread,
        name: current.user.display_name.clone(),
        email: current.user.email.to_string(),
        roles,
        staff: current.is_staff(),
        admin: current.user.has_role(haven_domain::Role::Admin),
        patients,
        chrome,
    }
    .render()
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// Unread messages in the threads the person takes part in (their own as a patient, their
/// care team's as a clinician). Only threads that exist are counted; none are created here.
async fn unread_messages(state: &AppState, current: &CurrentUser) -> Result<i64, AppError> {
    let mut total = 0;
    for (practice, role) in &current.user.memberships {
        let patients: Vec<haven_domain::UserId> = match role {
            haven_domain::Role::Patient => vec![current.user.id],
            haven_domain::Role::Clinician => state.store.care_team_patients_in(*practice, current.user.id).await?.into_iter().map(|(p, _)| p).collect(),
            haven_domain::Role::Admin => Vec::new(),
        };
        for thread in state.store.threads_of_patients(*practice, &patients).await? {
            total += state.store.unread_in(thread.id, current.user.id).await?;
        }
    }
    Ok(total)
}

/// Visits whose room is open now. A patient sees theirs; a clinician sees theirs with who is
/// already in the waiting room and for how long (each patient named is an audited read).
async fn open_visits(state: &AppState, peer: SocketAddr, current: &CurrentUser, chrome: &Chrome) -> Result<Vec<(String, String)>, AppError> {
    let now = state.clock.now();
    let day = jiff::SignedDuration::from_hours(24);
    let mut found = Vec::new();
    for (practice, role) in &current.user.memberships {
        let appointments = match role {
            haven_domain::Role::Patient => state.store.appointments_of_patient(current.user.id).await?.into_iter().filter(|a| a.practice == *practice).collect(),
            haven_domain::Role::Clinician => {
                state.store.appointments_between(*practice, Some(current.user.id), now.checked_sub(day).unwrap_or(now), now.checked_add(day).unwrap_or(now)).await?
            }
            haven_domain::Role::Admin => Vec::new(),
        };
        found.extend(appointments.into_iter().filter(|a| crate::visits::room_open(a, now)).map(|a| (a, *role)));
    }
    let mut links = Vec::new();
    let mut entries = Vec::new();
    for (a, role) in found {
        let (_, tz) = crate::booking::visits::viewer_zone(state, current, a.practice, None).await?;
        let when = crate::booking::when::time_label(a.starts_at, &tz);
        let label = if role == haven_domain::Role::Clinician {
            let waiting = state.store.visit(a.id).await?.filter(|v| v.state() == haven_domain::visits::VisitState::Waiting).and_then(|v| v.arrived_at);
            entries.push(crate::visits::entry(current, &a, AuditAction::Read, Outcome::Success));
            match waiting {
                Some(since) => {
                    let minutes = now.duration_since(since).as_mins().max(0).to_string();
                    format!("{when} · {}", chrome.t2("dashboard-waiting-row", ("name", &a.patient_name), ("minutes", &minutes)))
                }
                None => format!("{when} · {}", a.patient_name),
            }
        } else {
            format!("{when} · {}", a.clinician_name)
        };
        links.push((format!("/visits/{}", a.id), label));
    }
    if !entries.is_empty() {
        audit::record_all(state, peer, entries).await?;
    }
    Ok(links)
}
