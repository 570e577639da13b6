//! Who may use each route. Deny by default: the router is built only from the route table
//! in `routes.rs`, and every entry names its [`Access`], enforced here before the handler
//! runs. The authorization-matrix test walks the same table, so a route added without a
//! policy (or with one the checked-in matrix doesn't expect) fails the build's tests.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Role, UserId};

use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
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
}

impl Access {
    fn admits(self, user: &CurrentUser) -> bool {
        let has = |role: Role| user.user.memberships.iter().any(|(_, r)| *r == role);
        match self {
            Access::Anyone | Access::SignedIn => true,
            Access::Staff => has(Role::Clinician) || has(Role::Admin),
            Access::Admin => has(Role::Admin),
        }
    }
}

fn is_programmatic(parts: &axum::http::request::Parts) -> bool {
    let path = parts.uri.path();
    path == "/ws" || path.starts_with("/api/") || path == "/session/keep-alive"
}

/// Checks the route's policy. The signed-in person, once looked up, rides along in the
/// request's extensions so the handler doesn't look them up again.
pub async fn enforce(access: Access, State(state): State<AppState>, request: Request, next: Next) -> Response {
    if access == Access::Anyone {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(user) => user,
        // Pages send the person to sign in; scripts and sockets get a plain 401.
        Err(AppError::Unauthorized) if is_programmatic(&parts) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => return e.into_response(),
    };
    if !access.admits(&user) {
        // A refusal is an audit event; when the route names a patient, the entry does too,
        // so the patient's access history shows the attempt.
        let patient = RawPathParams::from_request_parts(&mut parts, &state)
            .await
            .ok()
            .and_then(|params| params.iter().find(|(name, _)| *name == "id").and_then(|(_, value)| value.parse::<UserId>().ok()));
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(SocketAddr::from(([0, 0, 0, 0], 0)), |c| c.0);
        let entry = Entry {
            actor: Some(user.user.id),
            practice: None,
            patient,
            action: AuditAction::AccessDenied,
            category: if patient.is_some() { DataCategory::Clinical } else { DataCategory::Account },
            outcome: Outcome::Denied,
        };
        if let Err(e) = audit::record(&state, peer, entry).await {
            return e.into_response();
        }
        return AppError::Forbidden.into_response();
    }
    parts.extensions.insert(user);
    next.run(Request::from_parts(parts, body)).await
}
