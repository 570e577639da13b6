//! The clinician's "to review" list: each care-team patient's latest unreviewed score per
//! instrument over the last month, ranked by worsening (reliable deterioration since the
//! first score) and then by severity. Risk signals stand above it, on their own. Marking
//! a score reviewed covers the earlier ones of that instrument, and is audited.

use std::collections::HashSet;

use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::measures::{self, Direction, Instrument, compare};
use haven_domain::{Role, UserId};
use haven_store::{Effects, ToReview};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{Measures, reliable_change};
use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::{Error, Result};

/// How far back the list looks.
const WINDOW: SignedDuration = SignedDuration::from_hours(30 * 24);

pub struct Review {
    pub item: ToReview,
    pub instrument: &'static Instrument,
    /// Reliably worse than the patient's first score.
    pub deteriorated: bool,
}

/// How severe a total is on its instrument: its band's place, worst last.
fn severity(instrument: &Instrument, total: i64) -> usize {
    let place = instrument.bands.iter().position(|b| (b.min..=b.max).contains(&total)).unwrap_or(0);
    match instrument.change.as_ref().map(|c| c.direction) {
        Some(Direction::HigherBetter) => instrument.bands.len().saturating_sub(place + 1),
        _ => place,
    }
}

impl Measures {
    pub async fn to_review(&self, actor: &Actor) -> Result<Vec<Review>> {
        if !actor.has_role(Role::Clinician) {
            return Ok(Vec::new());
        }
        let since = self.cx.now().checked_sub(WINDOW).map_err(|e| Error::internal("a review window could not be computed", e))?;
        let rows = self.cx.store.to_review_for(actor.id(), since).await?;
        let practice = actor.user.memberships.iter().find(|(_, r)| *r == Role::Clinician).map(|(p, _)| *p).ok_or(Error::Forbidden)?;
        let settings = self.cx.store.measure_settings(practice).await?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        // Rows come newest first: the first of each patient and instrument is the latest.
        for item in rows {
            if !seen.insert((item.patient, item.instrument.clone())) {
                continue;
            }
            let Some(instrument) = measures::builtin(&item.instrument) else { continue };
            let deteriorated = match (&instrument.change, item.baseline) {
                (Some(rules), Some(base)) => compare(rules, reliable_change(instrument, &settings), base, item.total).reliably_deteriorated,
                _ => false,
            };
            out.push(Review { item, instrument, deteriorated });
        }
        out.sort_by(|a, b| {
            (b.deteriorated, severity(b.instrument, b.item.total), b.item.completed_at).cmp(&(
                a.deteriorated,
                severity(a.instrument, a.item.total),
                a.item.completed_at,
            ))
        });
        let patients: HashSet<UserId> = out.iter().map(|r| r.item.patient).collect();
        let entries = patients.into_iter().map(|p| Entry::about(actor, None, p, DataCategory::Clinical, AuditAction::Read)).collect();
        self.cx.record_all(actor, entries).await?;
        Ok(out)
    }

    /// Marks a score (and the earlier ones of its instrument) reviewed; only the care team may.
    pub async fn review_response(&self, actor: &Actor, id: Uuid) -> Result<()> {
        let (practice, patient) = self.cx.store.response_patient(id).await?.ok_or(Error::NotFound)?;
        let allowed = actor.is(practice, Role::Clinician) && self.cx.store.is_on_care_team(patient, actor.id()).await?;
        let entry = |action| Entry::about(actor, Some(practice), patient, DataCategory::Clinical, action);
        if !allowed {
            self.cx.record(actor, entry(AuditAction::AccessDenied)).await?;
            return Err(Error::NotFound);
        }
        let effects = Effects::audit(self.cx.event(actor, entry(AuditAction::Update)));
        self.cx.store.review_response(id, actor.id(), &effects, self.cx.now()).await?;
        Ok(())
    }
}
