//! The practice's people, for its admins: who has which role, who uses two-step sign-in,
//! who may use break-glass; deactivating and reactivating accounts (deactivation ends every
//! session at once). Every change is an audited permission change.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_domain::Role;
use haven_store::User;
use serde::Deserialize;

use crate::access::Scoped;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::{Signed, role_label_key};
use crate::lang::Lang;
use crate::render::{html, parse_id};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    people: Vec<PersonRow>,
    invitations: Vec<InvitationRow>,
    /// What the last invitation action did ("sent again to …", "withdrawn").
    done: Option<String>,
}

struct InvitationRow {
    id: String,
    name: String,
    email: String,
    role: String,
    /// "Link valid until …" or "Link expired on …".
    state: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
    to: String,
}

struct PersonRow {
    id: String,
    patient: bool,
    /// A patient's care team: (clinician id, name, the remove button's label).
    team: Vec<(String, String, String)>,
    /// Active clinicians not on the team, for the add control.
    addable: Vec<(String, String)>,
    /// A patient with no active clinician: the front desk reads their messages.
    no_clinician: bool,
    name: String,
    email: String,
    roles: String,
    active: bool,
    totp: bool,
    designee: bool,
    staff: bool,
    is_self: bool,
}

pub async fn list(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/admin/people", &actor);
    let now = state.app.cx.now();
    let practice = haven_app::people::People::admin_practice(&actor)?;
    let practice_zone = state.app.cx.practice_settings(practice).await?.time_zone;
    let (_, tz) = haven_app::when::viewer_zone(None, actor.user.time_zone.as_deref(), &practice_zone);
    let invitations = state
        .app
        .people
        .pending_invitations(&actor)
        .await?
        .into_iter()
        .map(|i| {
            let until = haven_app::when::when_label(lang.0, i.expires_at, &tz);
            InvitationRow {
                id: i.id.to_string(),
                role: chrome.t(role_label_key(i.role)),
                state: if i.expires_at > now {
                    chrome.t1("invitations-valid-until", "when", &until)
                } else {
                    chrome.t1("invitations-expired", "when", &until)
                },
                name: i.display_name,
                email: i.email.to_string(),
            }
        })
        .collect();
    let done = match query.done.as_str() {
        "resent" => Some(chrome.t1("invitations-resent", "email", &query.to)),
        "revoked" => Some(chrome.t("invitations-revoked")),
        _ => None,
    };
    let members = state.app.people.members(&actor).await?;
    let clinicians: Vec<(haven_domain::UserId, String, bool)> =
        members.iter().filter(|m| m.roles.contains(&Role::Clinician)).map(|m| (m.user.id, m.user.display_name.clone(), m.user.active)).collect();
    let people = members
        .into_iter()
        .map(|m| PersonRow {
            id: m.user.id.to_string(),
            patient: m.roles.contains(&Role::Patient),
            team: clinicians
                .iter()
                .filter(|(id, _, _)| m.care_team.contains(id))
                .map(|(id, name, _)| {
                    (id.to_string(), name.clone(), chrome.t2("people-care-team-remove", ("clinician", name), ("name", &m.user.display_name)))
                })
                .collect(),
            addable: clinicians
                .iter()
                .filter(|(id, _, active)| *active && !m.care_team.contains(id))
                .map(|(id, name, _)| (id.to_string(), name.clone()))
                .collect(),
            no_clinician: m.roles.contains(&Role::Patient) && !clinicians.iter().any(|(id, _, active)| *active && m.care_team.contains(id)),
            roles: m.roles.iter().map(|r| chrome.t(role_label_key(*r))).collect::<Vec<_>>().join(", "),
            active: m.user.active,
            totp: m.totp,
            designee: m.designee,
            staff: m.roles.iter().any(|r| r.is_staff()),
            is_self: m.user.id == actor.id(),
            name: m.user.display_name,
            email: m.user.email.to_string(),
        })
        .collect();
    html(&PeoplePage { chrome, people, invitations, done })
}

pub async fn resend_invitation(State(state): State<AppState>, Signed(actor): Signed, Path(id): Path<String>) -> Result<Response, AppError> {
    let email = state.app.people.resend_invitation(&actor, parse_id(&id)?).await?;
    let to: String = form_urlencoded::byte_serialize(email.as_str().as_bytes()).collect();
    Ok(Redirect::to(&format!("/admin/people?done=resent&to={to}#invitations")).into_response())
}

pub async fn revoke_invitation(State(state): State<AppState>, Signed(actor): Signed, Path(id): Path<String>) -> Result<Response, AppError> {
    state.app.people.revoke_invitation(&actor, parse_id(&id)?).await?;
    Ok(Redirect::to("/admin/people?done=revoked#invitations").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(person): Scoped<User>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    let active = form.active == "true";
    let user = state.app.people.set_active(&actor, person.id, active).await?;
    if !active {
        state.app.revoke_user(user).await;
    }
    Ok(Redirect::to("/admin/people").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CareTeamForm {
    clinician: String,
    /// "add" or "remove".
    change: String,
}

pub async fn care_team(
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(person): Scoped<User>,
    Form(form): Form<CareTeamForm>,
) -> Result<Response, AppError> {
    let clinician = parse_id(&form.clinician)?;
    state.app.people.set_care_team(&actor, person.id, clinician, form.change != "remove").await?;
    Ok(Redirect::to("/admin/people").into_response())
}

pub async fn allow_break_glass(State(state): State<AppState>, Signed(actor): Signed, Scoped(person): Scoped<User>) -> Result<Response, AppError> {
    state.app.people.allow_break_glass(&actor, person.id).await?;
    Ok(Redirect::to("/admin/people").into_response())
}
