//! Booking, moving and cancelling visits: the checks, the database write and everything
//! that goes with it (audit entries, mail, reminders, the waitlist), for pages and the JSON
//! API alike, so both refuse the same things with the same words. The rules themselves live
//! in `haven_domain::scheduling`.
//!
//! Who may act on a visit: the patient; the visit's clinician and the clinicians of the
//! patient's care team; and the practice's admins, who run the front desk's calendar.
//! Anyone else is told the visit doesn't exist, and the attempt is audited.

pub mod availability;
pub mod calendar;
pub mod feed;
pub mod find;
pub mod notify;
pub mod reminders;
pub mod request;
pub mod settings;
pub mod waitlist;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::{AppointmentStatus, Booker, BookingProblem, Jurisdiction, Modality, check_time, is_late_cancellation, open_slots};
use haven_domain::{AppointmentId, PracticeId, Role, UserId, VisitTypeId};
use haven_store::{Appointment, Effects, NewAppointment, StoreError};
use jiff::{SignedDuration, Timestamp};

pub use request::{BookRequest, Bookable, Refusal};

use crate::actor::Actor;
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// How many open times a "just taken" answer offers instead.
const ALTERNATIVES: usize = 6;

/// A translated label for each modality.
#[must_use]
pub fn modality_key(m: Modality) -> &'static str {
    match m {
        Modality::Video => "modality-video",
        Modality::Phone => "modality-phone",
        Modality::InPerson => "modality-in-person",
    }
}

#[must_use]
pub fn status_key(s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Booked => "appt-status-booked",
        AppointmentStatus::Cancelled => "appt-status-cancelled",
        AppointmentStatus::LateCancelled => "appt-status-late-cancelled",
        AppointmentStatus::NoShow => "appt-status-no-show",
        AppointmentStatus::Completed => "appt-status-completed",
    }
}

pub struct Booking {
    cx: Ctx,
}

fn entry(actor: &Actor, a: &Appointment, action: AuditAction) -> Entry {
    Entry::about(actor, Some(a.practice), a.patient, DataCategory::Appointments, action)
}

impl Booking {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }

    /// May `actor` see and change `a`? (See the module's note.)
    pub async fn may_act_on(&self, actor: &Actor, a: &Appointment) -> Result<bool> {
        if a.patient == actor.id() && actor.is(a.practice, Role::Patient) {
            return Ok(true);
        }
        if actor.is(a.practice, Role::Admin) {
            return Ok(true);
        }
        if actor.is(a.practice, Role::Clinician) {
            return Ok(a.clinician == actor.id() || self.cx.store.on_care_team_in(a.practice, a.patient, actor.id()).await?);
        }
        Ok(false)
    }

    /// Loads an appointment `actor` may act on; anyone else's is "not found", and the
    /// attempt is audited with the patient named.
    pub async fn load(&self, actor: &Actor, id: AppointmentId) -> Result<Appointment> {
        let appointment = self.cx.store.appointment(id).await?.ok_or(Error::NotFound)?;
        if !self.may_act_on(actor, &appointment).await? {
            self.cx.record(actor, entry(actor, &appointment, AuditAction::AccessDenied)).await?;
            return Err(Error::NotFound);
        }
        Ok(appointment)
    }

    /// Refuses `actor` something about `a` they may not do (a patient marking a no-show):
    /// audited, then `Forbidden`.
    pub async fn refuse(&self, actor: &Actor, a: &Appointment) -> Error {
        match self.cx.record(actor, entry(actor, a, AuditAction::AccessDenied)).await {
            Ok(()) => Error::Forbidden,
            Err(e) => e,
        }
    }

    /// Records that `actor` read the appointment.
    pub async fn record_read(&self, actor: &Actor, a: &Appointment) -> Result<()> {
        self.cx.record(actor, entry(actor, a, AuditAction::Read)).await
    }

    /// The patient's own appointments, soonest first (their reading is audited).
    pub async fn mine(&self, actor: &Actor) -> Result<Vec<Appointment>> {
        let all = self.cx.store.appointments_of_patient(actor.id()).await?;
        let read = Entry {
            actor: Some(actor.id()),
            practice: None,
            patient: Some(actor.id()),
            action: AuditAction::Read,
            category: DataCategory::Appointments,
            outcome: Outcome::Success,
        };
        self.cx.record(actor, read).await?;
        Ok(all)
    }

    /// Whether `actor` may book for `patient` in `practice`: a patient for themselves; an
    /// admin of the practice for its patients; a clinician for their care team's patients.
    async fn booker(&self, actor: &Actor, practice: PracticeId, patient: UserId) -> Result<Option<Booker>> {
        if patient == actor.id() && actor.is(practice, Role::Patient) {
            return Ok(Some(Booker::Patient));
        }
        if actor.is(practice, Role::Admin) {
            return Ok(Some(Booker::Staff));
        }
        if actor.is(practice, Role::Clinician) && self.cx.store.on_care_team_in(practice, patient, actor.id()).await? {
            return Ok(Some(Booker::Staff));
        }
        Ok(None)
    }

    /// The patients `actor` may book for in `practice`: everyone for admins, the care team
    /// for a clinician.
    pub async fn bookable_patients(&self, actor: &Actor, practice: PracticeId) -> Result<Vec<(UserId, String)>> {
        if actor.is(practice, Role::Admin) {
            let members = self.cx.store.practice_members(practice).await?;
            return Ok(members
                .into_iter()
                .filter(|u| u.active && u.memberships.contains(&(practice, Role::Patient)))
                .map(|u| (u.id, u.display_name))
                .collect());
        }
        Ok(self.cx.store.care_team_patients_in(practice, actor.id()).await?)
    }

    /// Loads the clinician, visit type and patient, and checks that `actor` may book for the
    /// patient with this clinician. `Err(Refusal)` for things the person can fix; a patient
    /// they may not book for is "unknown" to them, and the attempt is audited.
    pub async fn bookable(&self, actor: &Actor, patient: UserId, clinician: UserId, visit_type: VisitTypeId) -> Result<Result<Bookable, Refusal>> {
        let store = &self.cx.store;
        let Some(profile) = store.clinician_profile(clinician).await? else {
            return Ok(Err(Refusal::Problem("booking-error-unknown-clinician")));
        };
        if !actor.user.memberships.iter().any(|(p, _)| *p == profile.practice) {
            return Ok(Err(Refusal::Problem("booking-error-unknown-clinician")));
        }
        let visit = match store.visit_type(visit_type).await? {
            Some(v) if v.clinician == clinician && v.active => v,
            _ => return Ok(Err(Refusal::Problem("booking-error-unknown-visit-type"))),
        };
        let Some(booker) = self.booker(actor, profile.practice, patient).await? else {
            if patient != actor.id() {
                let refused = Entry {
                    actor: Some(actor.id()),
                    practice: Some(profile.practice),
                    patient: Some(patient),
                    action: AuditAction::AccessDenied,
                    category: DataCategory::Appointments,
                    outcome: Outcome::Denied,
                };
                self.cx.record(actor, refused).await?;
            }
            return Ok(Err(Refusal::Problem("booking-error-unknown-patient")));
        };
        // Booking for oneself needs no lookup: the session already loaded the person.
        let patient = if patient == actor.id() {
            actor.user.clone()
        } else {
            match store.user(patient).await? {
                Some(p) => p,
                None => return Ok(Err(Refusal::Problem("booking-error-unknown-patient"))),
            }
        };
        if !patient.active || !patient.memberships.contains(&(profile.practice, Role::Patient)) {
            return Ok(Err(Refusal::Problem("booking-error-unknown-patient")));
        }
        if booker == Booker::Patient && !profile.accepting {
            return Ok(Err(Refusal::Problem("booking-error-not-accepting")));
        }
        Ok(Ok(Bookable { profile, visit, patient, booker }))
    }

    /// Checks one start time against hours, time off, notice and the clinician's other visits.
    pub async fn check_start(&self, b: &Bookable, start: Timestamp, except: Option<AppointmentId>) -> Result<Result<(), BookingProblem>> {
        let length = SignedDuration::from_mins(b.visit.minutes);
        let end = start.checked_add(length).unwrap_or(start);
        let availability = availability::load(&self.cx, &b.profile, start, end).await?;
        self.check_loaded(b, &availability, start, except).await
    }

    /// As [`Booking::check_start`], with the clinician's availability already loaded (it
    /// must cover `start`).
    async fn check_loaded(
        &self,
        b: &Bookable,
        availability: &haven_domain::scheduling::Availability,
        start: Timestamp,
        except: Option<AppointmentId>,
    ) -> Result<Result<(), BookingProblem>> {
        let length = SignedDuration::from_mins(b.visit.minutes);
        let end = start.checked_add(length).unwrap_or(start);
        let margin = SignedDuration::from_hours(24);
        let booked = self
            .cx
            .store
            .booked_spans(b.profile.user, start.checked_sub(margin).unwrap_or(start), end.checked_add(margin).unwrap_or(end), except)
            .await?;
        Ok(check_time(availability, &booked, start, length, availability::step(&b.visit), self.cx.now(), b.booker))
    }

    async fn taken(&self, b: &Bookable) -> Result<Refusal> {
        Ok(Refusal::Taken(availability::next_open(&self.cx, &b.profile, &b.visit, ALTERNATIVES).await?))
    }

    /// The next open times after a refused start, from availability loaded for the two
    /// weeks ahead (one more query for the bookings in them); falls back to a wider search.
    async fn taken_with(&self, b: &Bookable, loaded: &haven_domain::scheduling::Availability) -> Result<Refusal> {
        let now = self.cx.now();
        let until = now.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(now);
        let margin = SignedDuration::from_hours(24);
        let booked = self
            .cx
            .store
            .booked_spans(b.profile.user, now.checked_sub(margin).unwrap_or(now), until.checked_add(margin).unwrap_or(until), None)
            .await?;
        let mut next = open_slots(loaded, &booked, SignedDuration::from_mins(b.visit.minutes), availability::step(&b.visit), now, now, until);
        next.truncate(ALTERNATIVES);
        if next.len() < ALTERNATIVES {
            return self.taken(b).await;
        }
        Ok(Refusal::Taken(next))
    }

    /// Books one visit or a series (all or none). Returns the new appointments' ids.
    pub async fn book(&self, actor: &Actor, req: BookRequest) -> Result<Result<Vec<AppointmentId>, Refusal>> {
        let cx = &self.cx;
        let b = match self.bookable(actor, req.patient, req.clinician, req.visit_type).await? {
            Ok(b) => b,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let place = match check_where(&b, req.modality, req.jurisdiction.as_deref()) {
            Ok(place) => place,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let (Some(first), Some(last)) = (req.starts.iter().min().copied(), req.starts.iter().max().copied()) else {
            return Ok(Err(Refusal::Problem("booking-error-no-time")));
        };
        // One load of hours and time off covers the requested times and the alternatives.
        let now = cx.now();
        let fortnight = now.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(now);
        let loaded = availability::load(cx, &b.profile, first.min(now), last.max(fortnight)).await?;
        for start in &req.starts {
            match self.check_loaded(&b, &loaded, *start, None).await? {
                Ok(()) => {}
                Err(BookingProblem::Taken) => return Ok(Err(self.taken_with(&b, &loaded).await?)),
                Err(problem) => return Ok(Err(Refusal::Problem(problem.message_key()))),
            }
        }
        let series = (req.starts.len() > 1).then(uuid::Uuid::now_v7);
        let buffer = SignedDuration::from_mins(b.profile.buffer_minutes);
        let length = SignedDuration::from_mins(b.visit.minutes);
        let location = if req.modality == Modality::InPerson { b.visit.location } else { None };
        let visits: Vec<NewAppointment> = req
            .starts
            .iter()
            .map(|start| {
                let end = start.checked_add(length).unwrap_or(*start);
                NewAppointment {
                    id: AppointmentId::new(),
                    practice: b.profile.practice,
                    clinician: b.profile.user,
                    patient: b.patient.id,
                    visit_type: b.visit.id,
                    modality: req.modality,
                    location,
                    jurisdiction: place.as_ref().map(|p| p.as_str().to_owned()),
                    starts_at: *start,
                    ends_at: end,
                    blocked_until: end.checked_add(buffer).unwrap_or(end),
                    series,
                    booked_by: actor.id(),
                }
            })
            .collect();
        let booked: Vec<Appointment> = visits.iter().map(|v| notify::as_appointment(v, &b)).collect();
        // The practice's settings and the patient's zone are read once for the whole series.
        let words = notify::Words::load(cx, &b.patient, b.profile.practice).await?;
        let mut effects = Effects::default();
        for a in &booked {
            effects.audit.push(cx.event(actor, entry(actor, a, AuditAction::Create)));
            effects.jobs.extend(reminders::schedule(cx, a, &words.settings)?);
        }
        effects.jobs.push(cx.queue.mail(notify::change_mail(cx, &words, &booked, notify::Change::Booked).await?, now)?);
        match cx.store.book_appointments(&visits, &effects, now).await {
            Ok(()) => {
                cx.queue.kick();
                Ok(Ok(visits.iter().map(|v| v.id).collect()))
            }
            Err(StoreError::SlotTaken) => Ok(Err(self.taken_with(&b, &loaded).await?)),
            Err(e) => Err(e.into()),
        }
    }

    /// Moves a booked visit to `start`, if nobody changed it since `seen_sequence`.
    pub async fn reschedule(&self, actor: &Actor, appointment: &Appointment, seen_sequence: i64, start: Timestamp) -> Result<Result<(), Refusal>> {
        let cx = &self.cx;
        if appointment.status != AppointmentStatus::Booked || appointment.starts_at <= cx.now() {
            return Ok(Err(Refusal::Problem("booking-error-not-changeable")));
        }
        let b = match self.bookable(actor, appointment.patient, appointment.clinician, appointment.visit_type).await? {
            Ok(b) => b,
            Err(refusal) => return Ok(Err(refusal)),
        };
        match self.check_start(&b, start, Some(appointment.id)).await? {
            Ok(()) => {}
            Err(BookingProblem::Taken) => return Ok(Err(self.taken(&b).await?)),
            Err(problem) => return Ok(Err(Refusal::Problem(problem.message_key()))),
        }
        let end = start.checked_add(SignedDuration::from_mins(b.visit.minutes)).unwrap_or(start);
        let blocked = end.checked_add(SignedDuration::from_mins(b.profile.buffer_minutes)).unwrap_or(end);
        let moved = Appointment { starts_at: start, ends_at: end, sequence: seen_sequence + 1, ..appointment.clone() };
        let now = cx.now();
        let words = notify::Words::load(cx, &b.patient, appointment.practice).await?;
        let mut effects = Effects::audit(cx.event(actor, entry(actor, appointment, AuditAction::Update)));
        effects.jobs.extend(reminders::schedule(cx, &moved, &words.settings)?);
        effects.jobs.push(cx.queue.mail(notify::change_mail(cx, &words, std::slice::from_ref(&moved), notify::Change::Moved).await?, now)?);
        effects.jobs.extend(waitlist::opening(cx, appointment)?);
        match cx.store.reschedule_appointment(appointment.id, seen_sequence, (start, end, blocked), &effects, now).await {
            Ok(true) => {
                cx.queue.kick();
                Ok(Ok(()))
            }
            Ok(false) => Ok(Err(Refusal::Problem("booking-error-changed"))),
            Err(StoreError::SlotTaken) => Ok(Err(self.taken(&b).await?)),
            Err(e) => Err(e.into()),
        }
    }

    /// Cancels (or, for staff, marks a no-show or late cancellation). A patient cancelling
    /// inside the practice's window makes it a late cancellation.
    pub async fn close(
        &self,
        actor: &Actor,
        appointment: &Appointment,
        seen_sequence: i64,
        requested: AppointmentStatus,
    ) -> Result<Result<AppointmentStatus, Refusal>> {
        let cx = &self.cx;
        let now = cx.now();
        let staff = actor.is_staff_of(appointment.practice);
        if appointment.status != AppointmentStatus::Booked {
            return Ok(Err(Refusal::Problem("booking-error-not-changeable")));
        }
        let patient = cx.store.user(appointment.patient).await?.ok_or(Error::NotFound)?;
        let words = notify::Words::load(cx, &patient, appointment.practice).await?;
        let status = match requested {
            AppointmentStatus::NoShow | AppointmentStatus::LateCancelled if !staff => return Err(Error::Forbidden),
            AppointmentStatus::NoShow if appointment.starts_at > now => return Ok(Err(Refusal::Problem("booking-error-no-show-early"))),
            AppointmentStatus::Cancelled if appointment.starts_at <= now => return Ok(Err(Refusal::Problem("booking-error-not-changeable"))),
            AppointmentStatus::Cancelled if !staff => {
                let window = SignedDuration::from_hours(words.settings.late_cancel_hours);
                if is_late_cancellation(now, appointment.starts_at, window) { AppointmentStatus::LateCancelled } else { AppointmentStatus::Cancelled }
            }
            AppointmentStatus::Booked | AppointmentStatus::Completed => return Ok(Err(Refusal::Problem("booking-error-not-changeable"))),
            other => other,
        };
        let mut effects = Effects::audit(cx.event(actor, entry(actor, appointment, AuditAction::Update)));
        if status != AppointmentStatus::NoShow {
            let cancelled = Appointment { status, sequence: seen_sequence + 1, ..appointment.clone() };
            effects
                .jobs
                .push(cx.queue.mail(notify::change_mail(cx, &words, std::slice::from_ref(&cancelled), notify::Change::Cancelled).await?, now)?);
            effects.jobs.extend(waitlist::opening(cx, appointment)?);
        }
        if cx.store.close_appointment(appointment.id, seen_sequence, status, &effects, now).await? {
            cx.queue.kick();
            Ok(Ok(status))
        } else {
            Ok(Err(Refusal::Problem("booking-error-changed")))
        }
    }

    /// The appointment again, as stored now.
    pub async fn fresh(&self, a: &Appointment) -> Result<Appointment> {
        Ok(self.cx.store.appointment(a.id).await?.unwrap_or_else(|| a.clone()))
    }
}

/// Checks modality and licensure: remote visits only where the clinician is licensed.
fn check_where(b: &Bookable, modality: Modality, jurisdiction: Option<&str>) -> Result<Option<Jurisdiction>, Refusal> {
    if !b.visit.modalities.contains(&modality) {
        return Err(Refusal::Problem("booking-error-modality"));
    }
    if !modality.is_remote() {
        return Ok(None);
    }
    let Some(place) = jurisdiction.filter(|j| !j.trim().is_empty()) else {
        return Err(Refusal::Problem("booking-error-where"));
    };
    let Some(place) = Jurisdiction::parse(place) else {
        return Err(Refusal::Problem("booking-error-where"));
    };
    if !b.profile.licenses.contains(&place) {
        return Err(Refusal::Problem("booking-error-unlicensed"));
    }
    Ok(Some(place))
}

impl Booking {
    /// "Tell me if an earlier time opens" with this clinician, for openings before `before`
    /// (at most the clinician's booking horizon).
    pub async fn join_waitlist(&self, actor: &Actor, clinician: UserId, visit_type: VisitTypeId, before: Option<Timestamp>) -> Result<()> {
        let cx = &self.cx;
        let profile = cx.store.clinician_profile(clinician).await?.ok_or(Error::NotFound)?;
        if !actor.patient_practices().contains(&profile.practice) {
            return Err(Error::Forbidden);
        }
        let now = cx.now();
        let horizon = now.checked_add(SignedDuration::from_hours(24 * profile.max_ahead_days)).unwrap_or(now);
        let before = before.unwrap_or(horizon).min(horizon);
        cx.store.join_waitlist(actor.id(), clinician, visit_type, before, now).await?;
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(profile.practice),
            patient: Some(actor.id()),
            action: AuditAction::Create,
            category: DataCategory::Appointments,
            outcome: Outcome::Success,
        };
        cx.record(actor, entry).await
    }
}
