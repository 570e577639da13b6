//! Booking, moving and cancelling visits: the checks, the database write and everything
//! that goes with it (audit entries, emails, reminders), shared by pages and the JSON API.

use std::net::SocketAddr;

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::scheduling::{Availability, Booker, BookingProblem, DateHours, Jurisdiction, Modality, WeeklyHours, check_time, is_late_cancellation, open_slots};
use haven_domain::{AppointmentId, Role, UserId, VisitTypeId};
use haven_store::{Appointment, AppointmentStatus, ClinicianProfile, Effects, NewAppointment, StoreError, User, VisitType};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::notify::{self, Change};
use super::{is_staff_of, when};
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

/// How many open times a "just taken" answer offers instead.
const ALTERNATIVES: usize = 6;

/// Why a request was refused, in a form pages and the API both present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A translated message key.
    Problem(&'static str),
    /// Someone else got the time first; here are the next open ones.
    Taken(Vec<Timestamp>),
}

impl Refusal {
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::Problem(key) => key,
            Refusal::Taken(_) => BookingProblem::Taken.message_key(),
        }
    }
}

fn minute_time(m: i64) -> Time {
    if m >= 24 * 60 {
        return Time::MAX;
    }
    let m = m.clamp(0, 24 * 60 - 1);
    Time::new(i8::try_from(m / 60).unwrap_or(0), i8::try_from(m % 60).unwrap_or(0), 0, 0).unwrap_or(Time::MIN)
}

#[must_use]
pub fn profile_zone(profile: &ClinicianProfile) -> TimeZone {
    when::zone(&profile.time_zone).unwrap_or(TimeZone::UTC)
}

/// The clinician's availability around `[from, until)`, from the database.
pub async fn availability(state: &AppState, profile: &ClinicianProfile, from: Timestamp, until: Timestamp) -> Result<Availability, AppError> {
    let hours = state.store.clinician_hours(profile.user).await?;
    let margin = SignedDuration::from_hours(48);
    let off = state
        .store
        .time_off_of(profile.user, from.checked_sub(margin).unwrap_or(from), until.checked_add(margin).unwrap_or(until))
        .await?;
    let weekly = hours
        .weekly
        .iter()
        .filter_map(|(day, start, end)| {
            let weekday = Weekday::from_monday_one_offset(i8::try_from(*day).ok()?).ok()?;
            Some(WeeklyHours { weekday, start: minute_time(*start), end: minute_time(*end) })
        })
        .collect();
    let mut exceptions: Vec<DateHours> = Vec::new();
    for (day, start, end) in &hours.dates {
        let Ok(date) = day.parse::<Date>() else { continue };
        let hours = if start == end { None } else { Some((minute_time(*start), minute_time(*end))) };
        match exceptions.iter_mut().find(|e| e.date == date) {
            Some(e) => e.hours.extend(hours),
            None => exceptions.push(DateHours { date, hours: hours.into_iter().collect() }),
        }
    }
    Ok(Availability {
        zone: profile_zone(profile),
        weekly,
        exceptions,
        time_off: off.into_iter().map(|t| (t.starts_at, t.ends_at)).collect(),
        buffer: SignedDuration::from_mins(profile.buffer_minutes),
        min_notice: SignedDuration::from_mins(profile.min_notice_minutes),
        max_ahead: SignedDuration::from_hours(24 * profile.max_ahead_days),
    })
}

/// Slots start on the hour for longer visits and on the half hour for short ones.
fn step(visit: &VisitType) -> SignedDuration {
    SignedDuration::from_mins(if visit.minutes <= 30 { 30 } else { 60 })
}

/// Open start times for `visit` in `[from, until)` (leaving out `except`, a visit being moved).
pub async fn open_times(
    state: &AppState,
    profile: &ClinicianProfile,
    visit: &VisitType,
    from: Timestamp,
    until: Timestamp,
    except: Option<AppointmentId>,
) -> Result<Vec<Timestamp>, AppError> {
    let availability = availability(state, profile, from, until).await?;
    let margin = SignedDuration::from_hours(24);
    let booked = state
        .store
        .booked_spans(profile.user, from.checked_sub(margin).unwrap_or(from), until.checked_add(margin).unwrap_or(until), except)
        .await?;
    let length = SignedDuration::from_mins(visit.minutes);
    Ok(open_slots(&availability, &booked, length, step(visit), state.clock.now(), from, until))
}

/// The soonest open times from now, for "just taken" answers and search results.
pub async fn next_open(state: &AppState, profile: &ClinicianProfile, visit: &VisitType, count: usize) -> Result<Vec<Timestamp>, AppError> {
    let now = state.clock.now();
    let mut from = now;
    let horizon = now.checked_add(SignedDuration::from_hours(24 * profile.max_ahead_days)).unwrap_or(now);
    let mut found = Vec::new();
    // Two weeks at a time keeps each query small.
    while found.len() < count && from < horizon {
        let until = from.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(horizon).min(horizon);
        found.extend(open_times(state, profile, visit, from, until, None).await?);
        from = until;
    }
    found.truncate(count);
    Ok(found)
}

pub struct BookRequest {
    pub patient: UserId,
    pub clinician: UserId,
    pub visit_type: VisitTypeId,
    pub modality: Modality,
    /// Where the patient will be, for remote visits ("US-CA").
    pub jurisdiction: Option<String>,
    /// One start, or the occurrences of a series.
    pub starts: Vec<Timestamp>,
}

/// Everything a booking needs, loaded and checked for who may do it.
pub struct Bookable {
    pub profile: ClinicianProfile,
    pub visit: VisitType,
    pub patient: User,
    pub booker: Booker,
}

/// Loads the clinician, visit type and patient, and checks that `current` may book for the
/// patient with this clinician. `Err(Refusal)` for things the person can fix.
pub async fn bookable(state: &AppState, current: &CurrentUser, patient: UserId, clinician: UserId, visit_type: VisitTypeId) -> Result<Result<Bookable, Refusal>, AppError> {
    let Some(profile) = state.store.clinician_profile(clinician).await? else {
        return Ok(Err(Refusal::Problem("booking-error-unknown-clinician")));
    };
    let visit = match state.store.visit_type(visit_type).await? {
        Some(v) if v.clinician == clinician && v.active => v,
        _ => return Ok(Err(Refusal::Problem("booking-error-unknown-visit-type"))),
    };
    let booker = if patient == current.user.id && current.user.memberships.contains(&(profile.practice, Role::Patient)) {
        Booker::Patient
    } else if is_staff_of(current, profile.practice) {
        Booker::Staff
    } else {
        return Err(AppError::Forbidden);
    };
    // Booking for oneself needs no lookup: the session already loaded the person.
    let patient = if patient == current.user.id {
        current.user.clone()
    } else {
        match state.store.user(patient).await? {
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

/// Checks one start time against hours, time off, notice and the clinician's other visits.
pub async fn check_start(state: &AppState, b: &Bookable, start: Timestamp, except: Option<AppointmentId>) -> Result<Result<(), BookingProblem>, AppError> {
    let length = SignedDuration::from_mins(b.visit.minutes);
    let end = start.checked_add(length).unwrap_or(start);
    let availability = availability(state, &b.profile, start, end).await?;
    check_loaded(state, b, &availability, start, except).await
}

/// As [`check_start`], with the clinician's availability already loaded (it must cover
/// `start`).
async fn check_loaded(state: &AppState, b: &Bookable, availability: &Availability, start: Timestamp, except: Option<AppointmentId>) -> Result<Result<(), BookingProblem>, AppError> {
    let length = SignedDuration::from_mins(b.visit.minutes);
    let end = start.checked_add(length).unwrap_or(start);
    let margin = SignedDuration::from_hours(24);
    let booked = state
        .store
        .booked_spans(b.profile.user, start.checked_sub(margin).unwrap_or(start), end.checked_add(margin).unwrap_or(end), except)
        .await?;
    Ok(check_time(availability, &booked, start, length, state.clock.now(), b.booker))
}

async fn taken(state: &AppState, b: &Bookable) -> Result<Refusal, AppError> {
    Ok(Refusal::Taken(next_open(state, &b.profile, &b.visit, ALTERNATIVES).await?))
}

/// The next open times after a refused `start`, from availability loaded for the two
/// weeks ahead (one more query for the bookings in them); falls back to a wider search.
async fn taken_with(state: &AppState, b: &Bookable, availability: &Availability) -> Result<Refusal, AppError> {
    let now = state.clock.now();
    let until = now.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(now);
    let margin = SignedDuration::from_hours(24);
    let booked = state.store.booked_spans(b.profile.user, now.checked_sub(margin).unwrap_or(now), until.checked_add(margin).unwrap_or(until), None).await?;
    let mut next = open_slots(availability, &booked, SignedDuration::from_mins(b.visit.minutes), step(&b.visit), now, now, until);
    next.truncate(ALTERNATIVES);
    if next.len() < ALTERNATIVES {
        return taken(state, b).await;
    }
    Ok(Refusal::Taken(next))
}

fn entry(current: &CurrentUser, a: &Appointment, action: AuditAction) -> Entry {
    Entry { actor: Some(current.user.id), practice: Some(a.practice), patient: Some(a.patient), action, category: DataCategory::Appointments, outcome: Outcome::Success }
}

/// Books one visit or a series (all or none). Returns the new appointments' ids.
pub async fn book(state: &AppState, peer: SocketAddr, current: &CurrentUser, req: BookRequest) -> Result<Result<Vec<AppointmentId>, Refusal>, AppError> {
    let b = match bookable(state, current, req.patient, req.clinician, req.visit_type).await? {
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
    let now = state.clock.now();
    let fortnight = now.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(now);
    let loaded = availability(state, &b.profile, first.min(now), last.max(fortnight)).await?;
    for start in &req.starts {
        match check_loaded(state, &b, &loaded, *start, None).await? {
            Ok(()) => {}
            Err(BookingProblem::Taken) => return Ok(Err(taken_with(state, &b, &loaded).await?)),
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
                booked_by: current.user.id,
            }
        })
        .collect();
    let mut effects = Effects::default();
    for v in &visits {
        let as_booked = notify::as_appointment(v, &b);
        effects.audit.push(audit::event(state, peer, entry(current, &as_booked, AuditAction::Create)));
        effects.jobs.extend(notify::reminders(state, &as_booked, &b.patient).await?);
    }
    effects.mail.push(notify::change_mail(state, &visits.iter().map(|v| notify::as_appointment(v, &b)).collect::<Vec<_>>(), &b.patient, Change::Booked).await?);
    match state.store.book_appointments(&visits, &effects, now).await {
        Ok(()) => {
            state.mail_wake.notify_one();
            Ok(Ok(visits.iter().map(|v| v.id).collect()))
        }
        Err(StoreError::SlotTaken) => Ok(Err(taken_with(state, &b, &loaded).await?)),
        Err(e) => Err(e.into()),
    }
}

/// Loads an appointment `current` may act on; others' appointments are not found, and the
/// attempt is audited.
pub async fn load(state: &AppState, peer: SocketAddr, current: &CurrentUser, id: AppointmentId) -> Result<Appointment, AppError> {
    let appointment = state.store.appointment(id).await?.ok_or(AppError::NotFound)?;
    if !super::can_see(current, &appointment) {
        let refused = Entry { outcome: Outcome::Denied, ..entry(current, &appointment, AuditAction::AccessDenied) };
        audit::record(state, peer, refused).await?;
        return Err(AppError::NotFound);
    }
    Ok(appointment)
}

/// Moves a booked visit to `start`, if nobody changed it since `seen_sequence`.
pub async fn reschedule(state: &AppState, peer: SocketAddr, current: &CurrentUser, appointment: &Appointment, seen_sequence: i64, start: Timestamp) -> Result<Result<(), Refusal>, AppError> {
    if appointment.status != AppointmentStatus::Booked || appointment.starts_at <= state.clock.now() {
        return Ok(Err(Refusal::Problem("booking-error-not-changeable")));
    }
    let b = match bookable(state, current, appointment.patient, appointment.clinician, appointment.visit_type).await? {
        Ok(b) => b,
        Err(refusal) => return Ok(Err(refusal)),
    };
    match check_start(state, &b, start, Some(appointment.id)).await? {
        Ok(()) => {}
        Err(BookingProblem::Taken) => return Ok(Err(taken(state, &b).await?)),
        Err(problem) => return Ok(Err(Refusal::Problem(problem.message_key()))),
    }
    let end = start.checked_add(SignedDuration::from_mins(b.visit.minutes)).unwrap_or(start);
    let blocked = end.checked_add(SignedDuration::from_mins(b.profile.buffer_minutes)).unwrap_or(end);
    let moved = Appointment { starts_at: start, ends_at: end, sequence: seen_sequence + 1, ..appointment.clone() };
    let mut effects = Effects::default();
    effects.audit.push(audit::event(state, peer, entry(current, appointment, AuditAction::Update)));
    effects.jobs.extend(notify::reminders(state, &moved, &b.patient).await?);
    effects.mail.push(notify::change_mail(state, std::slice::from_ref(&moved), &b.patient, Change::Moved).await?);
    match state.store.reschedule_appointment(appointment.id, seen_sequence, (start, end, blocked), &effects, state.clock.now()).await {
        Ok(true) => {
            state.mail_wake.notify_one();
            notify::tell_waitlist(state, appointment).await?;
            Ok(Ok(()))
        }
        Ok(false) => Ok(Err(Refusal::Problem("booking-error-changed"))),
        Err(StoreError::SlotTaken) => Ok(Err(taken(state, &b).await?)),
        Err(e) => Err(e.into()),
    }
}

/// Cancels (or, for staff, marks a no-show or late cancellation). A patient cancelling
/// inside the practice's window makes it a late cancellation.
pub async fn close(state: &AppState, peer: SocketAddr, current: &CurrentUser, appointment: &Appointment, seen_sequence: i64, requested: AppointmentStatus) -> Result<Result<AppointmentStatus, Refusal>, AppError> {
    let now = state.clock.now();
    let staff = is_staff_of(current, appointment.practice);
    if appointment.status != AppointmentStatus::Booked {
        return Ok(Err(Refusal::Problem("booking-error-not-changeable")));
    }
    let status = match requested {
        AppointmentStatus::NoShow | AppointmentStatus::LateCancelled if !staff => return Err(AppError::Forbidden),
        AppointmentStatus::NoShow if appointment.starts_at > now => return Ok(Err(Refusal::Problem("booking-error-no-show-early"))),
        AppointmentStatus::Cancelled if appointment.starts_at <= now => return Ok(Err(Refusal::Problem("booking-error-not-changeable"))),
        AppointmentStatus::Cancelled if !staff => {
            let window = SignedDuration::from_hours(state.store.practice_settings(appointment.practice).await?.late_cancel_hours);
            if is_late_cancellation(now, appointment.starts_at, window) { AppointmentStatus::LateCancelled } else { AppointmentStatus::Cancelled }
        }
        AppointmentStatus::Booked => return Ok(Err(Refusal::Problem("booking-error-not-changeable"))),
        other => other,
    };
    let patient = state.store.user(appointment.patient).await?.ok_or(AppError::NotFound)?;
    let mut effects = Effects::default();
    effects.audit.push(audit::event(state, peer, entry(current, appointment, AuditAction::Update)));
    if status != AppointmentStatus::NoShow {
        let cancelled = Appointment { status, sequence: seen_sequence + 1, ..appointment.clone() };
        effects.mail.push(notify::change_mail(state, std::slice::from_ref(&cancelled), &patient, Change::Cancelled).await?);
    }
    if state.store.close_appointment(appointment.id, seen_sequence, status, &effects, now).await? {
        state.mail_wake.notify_one();
        if status != AppointmentStatus::NoShow {
            notify::tell_waitlist(state, appointment).await?;
        }
        Ok(Ok(status))
    } else {
        Ok(Err(Refusal::Problem("booking-error-changed")))
    }
}
