//! Patient charts for clinicians: who may open one is decided by
//! `haven_domain::access::chart_access`; every open, every note and every refusal is
//! audited, with the patient named.

pub mod break_glass;
pub mod view;

use std::net::SocketAddr;

use haven_domain::access::{ChartAccess, ChartFacts, chart_access};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{PracticeId, Role, UserId};
use haven_store::User;
use jiff::Timestamp;

use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

/// A chart the viewer asked for, and what they may do with it.
pub struct Chart {
    pub patient: User,
    pub practice: PracticeId,
    pub access: ChartAccess,
    /// Set when access is by break-glass: when it ends.
    pub glass_until: Option<Timestamp>,
    pub designee: bool,
}

pub async fn open(state: &AppState, current: &CurrentUser, raw_id: &str) -> Result<Chart, AppError> {
    let id: UserId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let patient = state.store.user(id).await?.ok_or(AppError::NotFound)?;
    let practice = patient.memberships.iter().find(|(_, r)| *r == Role::Patient).map(|(p, _)| *p).ok_or(AppError::NotFound)?;
    let clinician_in_practice = current.user.memberships.contains(&(practice, Role::Clinician));
    let on_care_team = clinician_in_practice && state.store.is_on_care_team(patient.id, current.user.id).await?;
    let glass_until = state.store.live_break_glass(current.user.id, patient.id, state.clock.now()).await?;
    let access = chart_access(ChartFacts { clinician_in_practice, on_care_team, break_glass_grant: glass_until.is_some() });
    let designee = state.store.is_break_glass_designee(practice, current.user.id).await?;
    Ok(Chart { patient, practice, access, glass_until: glass_until.filter(|_| access == ChartAccess::BreakGlass), designee })
}

/// One audit entry about this patient's chart.
pub async fn record(state: &AppState, peer: SocketAddr, current: &CurrentUser, chart: &Chart, action: AuditAction, outcome: Outcome) -> Result<(), AppError> {
    let entry = Entry {
        actor: Some(current.user.id),
        practice: Some(chart.practice),
        patient: Some(chart.patient.id),
        action,
        category: DataCategory::Clinical,
        outcome,
    };
    audit::record(state, peer, entry).await.map(|_| ())
}
