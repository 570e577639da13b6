//! Who may use each route. Deny by default: the router is built only from the route table
//! in `routes.rs`, and every entry names its [`Access`]: who may call it and, for routes
//! about one thing, the scope that thing must be in for this person (an appointment of
//! theirs, a thread they belong to, a chart of their practice …). The check runs before the
//! handler; the thing it loaded rides along in the request as [`Scoped`], so handlers never
//! re-check membership by hand. A thing outside the person's scope answers like one that
//! doesn't exist (or, for charts and accounts, with a refusal), and the attempt is audited.
//! The authorization-matrix test walks the same table.

use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use haven_app::audit::Entry;
use haven_app::{Actor, Error};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Role, UserId};

use crate::error::AppError;
use crate::identity::session::Signed;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (public pages, sign-in itself, probes).
    Anyone,
    /// Any signed-in, active person.
    SignedIn,
    /// Clinicians and admins.
    Staff,
    /// Practice admins.
    Admin,
    /// `{appointment}`: the patient, the visit's clinician, a clinician of the patient's care
    /// team, or an admin (the front desk) of its practice.
    Appointment,
    /// `{appointment}`: one of the visit's two parties (its patient and its clinician).
    VisitParty,
    /// `{thread}`: a member of the message thread.
    Thread,
    /// `{id}`: a patient of a practice where the person is a clinician. Whether the chart
    /// opens (care team, or break-glass) the page itself shows: a refused clinician is told
    /// how to ask for emergency access.
    Chart,
    /// `{id}`: a person of the practice the signed-in admin runs.
    PracticePerson,
    /// `{clinician}`: a clinician of one of the person's practices.
    PracticeClinician,
}

/// What a scoped route's check loaded, for its handler.
#[derive(Debug, Clone)]
pub struct Scoped<T>(pub T);

impl<S: Send + Sync, T: Clone + Send + Sync + 'static> FromRequestParts<S> for Scoped<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .remove::<Scoped<T>>()
            .ok_or_else(|| AppError::internal("a route's handler asked for a scope its policy doesn't load", "route table and handler disagree"))
    }
}

impl Access {
    fn admits_role(self, actor: &Actor) -> bool {
        let has = |role: Role| actor.has_role(role);
        match self {
            Access::Anyone | Access::SignedIn | Access::Appointment | Access::VisitParty | Access::Thread | Access::PracticeClinician => true,
            Access::Staff | Access::Chart => has(Role::Clinician) || has(Role::Admin),
            Access::Admin | Access::PracticePerson => has(Role::Admin),
        }
    }
}

fn is_programmatic(parts: &Parts) -> bool {
    let path = parts.uri.path();
    path == "/ws" || path.starts_with("/api/") || path.starts_with("/fhir/") || path == "/session/keep-alive"
}

async fn path_param(parts: &mut Parts, state: &AppState, name: &str) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, state).await.ok()?;
    params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_owned())
}

/// Checks the route's policy; the person, once looked up, and the thing the route is about
/// ride along in the request's extensions.
pub async fn enforce(access: Access, State(state): State<AppState>, request: Request, next: Next) -> Response {
    if access == Access::Anyone {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let actor = match Signed::from_request_parts(&mut parts, &state).await {
        Ok(Signed(actor)) => actor,
        // Pages send the person to sign in; scripts and sockets get a plain 401.
        Err(AppError::Unauthorized) if is_programmatic(&parts) => return crate::error::ErrorPage::UNAUTHORIZED.response(),
        Err(e) => return e.into_response(),
    };
    if !access.admits_role(&actor) {
        // A refusal is an audit event; when the route names a patient, the entry does too,
        // so the patient's access history shows the attempt.
        let patient = path_param(&mut parts, &state, "id").await.and_then(|v| v.parse::<UserId>().ok());
        let category = if patient.is_some() { DataCategory::Clinical } else { DataCategory::Account };
        let entry = Entry { actor: Some(actor.id()), practice: None, patient, action: AuditAction::AccessDenied, category, outcome: Outcome::Denied };
        if let Err(e) = state.app.cx.record(&actor, entry).await {
            return AppError::from(e).into_response();
        }
        return AppError::Forbidden.into_response();
    }
    if let Err(e) = load_scope(access, &state, &actor, &mut parts).await {
        return e.into_response();
    }
    parts.extensions.insert(Signed(actor));
    next.run(Request::from_parts(parts, body)).await
}

/// Loads the thing a scoped route is about, or refuses.
async fn load_scope(access: Access, state: &AppState, actor: &Actor, parts: &mut Parts) -> Result<(), AppError> {
    let app = &state.app;
    let name = match access {
        Access::Appointment | Access::VisitParty => "appointment",
        Access::Thread => "thread",
        Access::Chart | Access::PracticePerson => "id",
        Access::PracticeClinician => "clinician",
        Access::Anyone | Access::SignedIn | Access::Staff | Access::Admin => return Ok(()),
    };
    let raw = path_param(parts, state, name).await;
    fn id<T: std::str::FromStr>(raw: Option<&String>) -> Result<T, AppError> {
        raw.and_then(|r| r.parse().ok()).ok_or(AppError::NotFound)
    }
    let raw = raw.as_ref();
    match access {
        Access::Anyone | Access::SignedIn | Access::Staff | Access::Admin => {}
        Access::Appointment => {
            let found = haven_app::access::appointment(app, actor, id(raw)?).await?;
            parts.extensions.insert(Scoped(found));
        }
        Access::VisitParty => {
            let found = haven_app::access::visit(app, actor, id(raw)?).await?;
            parts.extensions.insert(Scoped(found));
        }
        Access::Thread => {
            let found = haven_app::access::thread(app, actor, id(raw)?).await?;
            parts.extensions.insert(Scoped(found));
        }
        Access::Chart => {
            let chart = app.charts.open(actor, id(raw)?).await?;
            if !actor.is(chart.practice, Role::Clinician) {
                app.charts.record(actor, &chart, AuditAction::AccessDenied).await?;
                return Err(AppError::Forbidden);
            }
            parts.extensions.insert(Scoped(chart));
        }
        Access::PracticePerson => {
            let found = haven_app::access::practice_person(app, actor, id(raw)?).await?;
            parts.extensions.insert(Scoped(found));
        }
        Access::PracticeClinician => {
            let found = haven_app::access::practice_clinician(app, actor, id(raw)?).await.map_err(|e| match e {
                Error::NotFound => AppError::NotFound,
                other => other.into(),
            })?;
            parts.extensions.insert(Scoped(found));
        }
    }
    Ok(())
}
