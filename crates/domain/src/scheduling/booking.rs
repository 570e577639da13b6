//! Whether a requested visit time can be booked, and if not, why, in words a person can act on.

use jiff::{SignedDuration, Timestamp};

use super::slots::{Availability, overlaps, working_intervals};

/// Why a time can't be booked. Each maps to a translated message in the web layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingProblem {
    InPast,
    /// Sooner than the clinician's minimum notice.
    TooSoon,
    /// Further ahead than patients may book.
    TooFarAhead,
    OutsideHours,
    TimeOff,
    /// Someone else holds that time (or its buffer).
    Taken,
    /// Not one of the start times offered (a patient's times start on the slot grid).
    OffGrid,
}

impl BookingProblem {
    /// The message key that explains it.
    #[must_use]
    pub fn message_key(self) -> &'static str {
        match self {
            BookingProblem::InPast => "booking-error-past",
            BookingProblem::TooSoon => "booking-error-too-soon",
            BookingProblem::TooFarAhead => "booking-error-too-far",
            BookingProblem::OutsideHours => "booking-error-outside-hours",
            BookingProblem::TimeOff => "booking-error-time-off",
            BookingProblem::Taken => "booking-error-taken",
            BookingProblem::OffGrid => "booking-error-off-grid",
        }
    }
}

/// Who is asking: staff may book inside the notice period and beyond the patients' horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booker {
    Patient,
    Staff,
}

/// Checks `[start, start + length)` against the clinician's hours, time off, notice,
/// horizon and `bookings` (other visits, each kept `availability.buffer` apart). A patient's
/// start must also be on the grid the open times are offered on (every `step` from the
/// start of a working interval): a time between two offered ones would block both. Staff
/// may book any time within the hours.
pub fn check_time(
    availability: &Availability,
    bookings: &[(Timestamp, Timestamp)],
    start: Timestamp,
    length: SignedDuration,
    step: SignedDuration,
    now: Timestamp,
    booker: Booker,
) -> Result<(), BookingProblem> {
    let end = start.checked_add(length).map_err(|_| BookingProblem::OutsideHours)?;
    if start <= now {
        return Err(BookingProblem::InPast);
    }
    if booker == Booker::Patient {
        if start < now.checked_add(availability.min_notice).unwrap_or(now) {
            return Err(BookingProblem::TooSoon);
        }
        if start > now.checked_add(availability.max_ahead).unwrap_or(Timestamp::MAX) {
            return Err(BookingProblem::TooFarAhead);
        }
    }
    if availability.time_off.iter().any(|t| overlaps((start, end), *t)) {
        return Err(BookingProblem::TimeOff);
    }
    let date = start.to_zoned(availability.zone.clone()).date();
    let intervals = working_intervals(availability, date);
    let Some((open, _)) = intervals.iter().find(|(open, close)| start >= *open && end <= *close) else {
        return Err(BookingProblem::OutsideHours);
    };
    let from_open = start.duration_since(*open).as_secs();
    if booker == Booker::Patient && (step.as_secs() <= 0 || from_open % step.as_secs() != 0) {
        return Err(BookingProblem::OffGrid);
    }
    let buffer = availability.buffer;
    let taken = bookings.iter().any(|(s, e)| {
        let guarded = (s.checked_sub(buffer).unwrap_or(*s), e.checked_add(buffer).unwrap_or(*e));
        overlaps((start, end), guarded)
    });
    if taken {
        return Err(BookingProblem::Taken);
    }
    Ok(())
}

/// A cancellation is late when it comes within `window` of the start.
#[must_use]
pub fn is_late_cancellation(now: Timestamp, start: Timestamp, window: SignedDuration) -> bool {
    now < start && start < now.checked_add(window).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::{DateHours, WeeklyHours};
    use jiff::civil::{Time, Weekday};
    use jiff::tz::TimeZone;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn availability() -> Availability {
        Availability {
            zone: TimeZone::get("America/Los_Angeles").unwrap(),
            weekly: vec![WeeklyHours { weekday: Weekday::Tuesday, start: "09:00".parse().unwrap(), end: "17:00".parse().unwrap() }],
            exceptions: vec![DateHours { date: "2026-12-15".parse().unwrap(), hours: vec![] }],
            time_off: vec![(ts("2026-12-22T17:00:00Z"), ts("2026-12-22T19:00:00Z"))],
            buffer: SignedDuration::from_mins(10),
            min_notice: SignedDuration::from_hours(24),
            max_ahead: SignedDuration::from_hours(24 * 30),
        }
    }

    #[test]
    fn each_problem_is_named() {
        let a = availability();
        let now = ts("2026-11-30T12:00:00Z");
        let hour = SignedDuration::from_hours(1);
        let booked = [(ts("2026-12-08T18:00:00Z"), ts("2026-12-08T18:45:00Z"))];
        let check = |start: &str, booker| check_time(&a, &booked, ts(start), hour, SignedDuration::from_mins(30), now, booker);
        // Tuesday 2026-12-08, 09:00 PST = 17:00Z.
        assert_eq!(check("2026-12-08T17:00:00Z", Booker::Patient), Err(BookingProblem::Taken), "ends inside the buffer");
        assert_eq!(check("2026-12-08T19:00:00Z", Booker::Patient), Ok(()), "starts after booking + buffer");
        assert_eq!(check("2026-12-08T18:55:00Z", Booker::Staff), Ok(()), "staff may book off the grid");
        assert_eq!(check("2026-12-08T19:15:00Z", Booker::Patient), Err(BookingProblem::OffGrid), "between two offered times");
        assert_eq!(check("2026-12-08T19:30:00Z", Booker::Patient), Ok(()), "on the half-hour grid");
        assert_eq!(check("2026-11-29T17:00:00Z", Booker::Patient), Err(BookingProblem::InPast));
        assert_eq!(check("2026-12-01T10:00:00Z", Booker::Patient), Err(BookingProblem::TooSoon));
        assert_eq!(check("2026-12-01T19:00:00Z", Booker::Staff), Ok(()), "staff may book at short notice");
        assert_eq!(check("2027-01-05T17:00:00Z", Booker::Patient), Err(BookingProblem::TooFarAhead));
        assert_eq!(check("2026-12-08T16:30:00Z", Booker::Patient), Err(BookingProblem::OutsideHours), "before 09:00");
        assert_eq!(check("2026-12-08T00:30:00Z", Booker::Patient), Err(BookingProblem::OutsideHours), "Monday evening locally");
        assert_eq!(check("2026-12-15T18:00:00Z", Booker::Patient), Err(BookingProblem::OutsideHours), "a day off");
        assert_eq!(check("2026-12-22T18:30:00Z", Booker::Patient), Err(BookingProblem::TimeOff));
    }

    #[test]
    fn a_day_open_until_midnight_takes_a_visit_ending_at_midnight() {
        let mut a = availability();
        a.weekly = vec![WeeklyHours { weekday: Weekday::Tuesday, start: Time::MIN, end: Time::MAX }];
        a.min_notice = SignedDuration::ZERO;
        let now = ts("2026-11-30T12:00:00Z");
        // 23:30–00:00 Pacific on Tuesday 2026-12-08.
        let half = SignedDuration::from_mins(30);
        assert_eq!(check_time(&a, &[], ts("2026-12-09T07:30:00Z"), half, half, now, Booker::Patient), Ok(()));
        assert_eq!(
            check_time(&a, &[], ts("2026-12-09T07:45:00Z"), half, SignedDuration::from_mins(15), now, Booker::Patient),
            Err(BookingProblem::OutsideHours)
        );
    }

    #[test]
    fn late_cancellation_window() {
        let start = ts("2026-12-08T17:00:00Z");
        let day = SignedDuration::from_hours(24);
        assert!(is_late_cancellation(ts("2026-12-08T09:00:00Z"), start, day));
        assert!(!is_late_cancellation(ts("2026-12-06T09:00:00Z"), start, day));
        assert!(!is_late_cancellation(ts("2026-12-08T18:00:00Z"), start, day), "after the start it is a no-show, not a cancellation");
    }
}
