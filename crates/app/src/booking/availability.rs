//! When a clinician can be booked: their hours, date exceptions and time off, loaded from
//! the store into the domain's [`Availability`], and the open times computed from it.

use haven_domain::AppointmentId;
use haven_domain::scheduling::{Availability, DateHours, WeeklyHours, open_slots};
use haven_store::{ClinicianProfile, VisitType};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::context::Ctx;
use crate::error::Result;
use crate::when;

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
pub async fn load(cx: &Ctx, profile: &ClinicianProfile, from: Timestamp, until: Timestamp) -> Result<Availability> {
    let hours = cx.store.clinician_hours(profile.user).await?;
    let margin = SignedDuration::from_hours(48);
    let off = cx.store.time_off_of(profile.user, from.checked_sub(margin).unwrap_or(from), until.checked_add(margin).unwrap_or(until)).await?;
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
#[must_use]
pub fn step(visit: &VisitType) -> SignedDuration {
    SignedDuration::from_mins(if visit.minutes <= 30 { 30 } else { 60 })
}

/// Open start times for `visit` in `[from, until)` given loaded availability (leaving out
/// `except`, a visit being moved).
pub async fn open_in(
    cx: &Ctx,
    profile: &ClinicianProfile,
    availability: &Availability,
    visit: &VisitType,
    from: Timestamp,
    until: Timestamp,
    except: Option<AppointmentId>,
) -> Result<Vec<Timestamp>> {
    let margin = SignedDuration::from_hours(24);
    let booked =
        cx.store.booked_spans(profile.user, from.checked_sub(margin).unwrap_or(from), until.checked_add(margin).unwrap_or(until), except).await?;
    Ok(open_slots(availability, &booked, SignedDuration::from_mins(visit.minutes), step(visit), cx.now(), from, until))
}

/// Open start times for `visit` in `[from, until)`.
pub async fn open_times(
    cx: &Ctx,
    profile: &ClinicianProfile,
    visit: &VisitType,
    from: Timestamp,
    until: Timestamp,
    except: Option<AppointmentId>,
) -> Result<Vec<Timestamp>> {
    let availability = load(cx, profile, from, until).await?;
    open_in(cx, profile, &availability, visit, from, until, except).await
}

/// The soonest open times from now for each of `visits` (one load of hours, time off and
/// bookings per fortnight searched, whatever the number of visit types).
pub async fn next_open_each(cx: &Ctx, profile: &ClinicianProfile, visits: &[&VisitType], count: usize) -> Result<Vec<Vec<Timestamp>>> {
    let now = cx.now();
    let horizon = now.checked_add(SignedDuration::from_hours(24 * profile.max_ahead_days)).unwrap_or(now);
    let mut found: Vec<Vec<Timestamp>> = vec![Vec::new(); visits.len()];
    let mut from = now;
    // Two weeks at a time keeps each query small.
    while found.iter().any(|f| f.len() < count) && from < horizon {
        let until = from.checked_add(SignedDuration::from_hours(24 * 14)).unwrap_or(horizon).min(horizon);
        let availability = load(cx, profile, from, until).await?;
        let margin = SignedDuration::from_hours(24);
        let booked =
            cx.store.booked_spans(profile.user, from.checked_sub(margin).unwrap_or(from), until.checked_add(margin).unwrap_or(until), None).await?;
        for (visit, list) in visits.iter().zip(found.iter_mut()) {
            if list.len() < count {
                list.extend(open_slots(&availability, &booked, SignedDuration::from_mins(visit.minutes), step(visit), now, from, until));
            }
        }
        from = until;
    }
    for list in &mut found {
        list.truncate(count);
    }
    Ok(found)
}

/// The soonest open times from now, for "just taken" answers.
pub async fn next_open(cx: &Ctx, profile: &ClinicianProfile, visit: &VisitType, count: usize) -> Result<Vec<Timestamp>> {
    Ok(next_open_each(cx, profile, &[visit], count).await?.pop().unwrap_or_default())
}
