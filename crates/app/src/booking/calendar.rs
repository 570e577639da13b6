//! Staff calendars: one clinician's or the whole practice's appointments and time off, and
//! blocking time. A clinician sees who their own and their care team's visits are with; a
//! colleague's other visits show only as busy. Admins (the front desk) see everyone's.
//! Showing a patient's name is a read of their record, so every patient listed is audited.

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{PracticeId, Role, UserId};
use haven_store::{Appointment, ClinicianProfile, TimeOff};
use jiff::{SignedDuration, Timestamp};

use super::Booking;
use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::{Error, Result};

/// An appointment on a calendar, and whether the viewer may see who it is with.
pub struct Slot {
    pub appointment: Appointment,
    pub visible: bool,
}

pub struct Calendar {
    pub profiles: Vec<ClinicianProfile>,
    pub slots: Vec<Slot>,
    /// Each block of time off, with its clinician's name.
    pub time_off: Vec<(String, TimeOff)>,
}

impl Booking {
    /// The practice whose schedule this staff member works on (the first where they are staff).
    pub fn staff_practice(actor: &Actor) -> Result<PracticeId> {
        actor.user.memberships.iter().find(|(_, r)| r.is_staff()).map(|(p, _)| *p).ok_or(Error::Forbidden)
    }

    /// Clinicians manage their own time; admins manage everyone's in their practice.
    #[must_use]
    pub fn may_manage(actor: &Actor, practice: PracticeId, clinician: UserId) -> bool {
        actor.id() == clinician || actor.is(practice, Role::Admin)
    }

    /// The practice's (or one clinician's) calendar for `[from, until)`.
    pub async fn calendar(
        &self,
        actor: &Actor,
        practice: PracticeId,
        clinician: Option<UserId>,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Calendar> {
        let store = &self.cx.store;
        let profiles = store.clinician_profiles(practice).await?;
        let appointments = store.appointments_between(practice, clinician, from, until).await?;
        let admin = actor.is(practice, Role::Admin);
        let team: Vec<UserId> =
            if admin { Vec::new() } else { store.care_team_patients_in(practice, actor.id()).await?.into_iter().map(|(p, _)| p).collect() };
        let slots: Vec<Slot> = appointments
            .into_iter()
            .map(|a| {
                let visible = admin || a.clinician == actor.id() || team.contains(&a.patient);
                Slot { appointment: a, visible }
            })
            .collect();
        let mut time_off = Vec::new();
        for p in profiles.iter().filter(|p| clinician.is_none_or(|c| c == p.user)) {
            time_off.extend(store.time_off_of(p.user, from, until).await?.into_iter().map(|t| (p.name.clone(), t)));
        }
        let mut patients: Vec<UserId> = slots.iter().filter(|s| s.visible).map(|s| s.appointment.patient).collect();
        patients.sort();
        patients.dedup();
        let entries = patients
            .iter()
            .map(|p| Entry {
                actor: Some(actor.id()),
                practice: Some(practice),
                patient: Some(*p),
                action: AuditAction::Read,
                category: DataCategory::Appointments,
                outcome: Outcome::Success,
            })
            .collect();
        self.cx.record_all(actor, entries).await?;
        Ok(Calendar { profiles, slots, time_off })
    }

    /// Blocks `[start, end)` in a clinician's calendar (time off). `Err(key)` for times that
    /// make no sense.
    pub async fn block_time(
        &self,
        actor: &Actor,
        clinician: UserId,
        start: Timestamp,
        end: Timestamp,
        label: &str,
    ) -> Result<Result<(), &'static str>> {
        let practice = Self::staff_practice(actor)?;
        if !Self::may_manage(actor, practice, clinician) || self.cx.store.clinician_profile(clinician).await?.is_none_or(|p| p.practice != practice) {
            return Err(Error::Forbidden);
        }
        if end <= start || end.duration_since(start) > SignedDuration::from_hours(24) {
            return Ok(Err("schedule-error-block"));
        }
        let label: String = label.trim().chars().take(80).collect();
        let off = TimeOff { id: uuid::Uuid::now_v7(), clinician, starts_at: start, ends_at: end, label };
        self.cx.store.add_time_off(&off, actor.id(), self.cx.now()).await?;
        Ok(Ok(()))
    }
}
