//! Open slots: a clinician's weekly hours (in their own time zone), date exceptions, time
//! off, existing bookings with buffers, minimum notice and how far ahead patients may book.
//!
//! Hours are local wall-clock times, so "9:00–17:00" stays 9 to 5 across daylight-saving
//! changes; slots are absolute instants, shown later in each viewer's own zone. A slot
//! never straddles a gap or overlap in local time incorrectly: its start and end are both
//! computed in absolute time and checked against the day's working interval.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Recurring working hours on one weekday, local to the clinician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyHours {
    pub weekday: Weekday,
    pub start: Time,
    pub end: Time,
}

/// A date whose hours differ from the weekly pattern; no hours means the day is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateHours {
    pub date: Date,
    pub hours: Vec<(Time, Time)>,
}

#[derive(Debug, Clone)]
pub struct Availability {
    pub zone: TimeZone,
    pub weekly: Vec<WeeklyHours>,
    pub exceptions: Vec<DateHours>,
    /// Blocks of time off, as absolute intervals.
    pub time_off: Vec<(Timestamp, Timestamp)>,
    /// Kept free before and after every booking.
    pub buffer: SignedDuration,
    pub min_notice: SignedDuration,
    pub max_ahead: SignedDuration,
}

/// The working intervals of one local date, as absolute instants.
pub(crate) fn working_intervals(availability: &Availability, date: Date) -> Vec<(Timestamp, Timestamp)> {
    let hours: Vec<(Time, Time)> = match availability.exceptions.iter().find(|e| e.date == date) {
        Some(exception) => exception.hours.clone(),
        None => availability.weekly.iter().filter(|w| w.weekday == date.weekday()).map(|w| (w.start, w.end)).collect(),
    };
    hours
        .into_iter()
        .filter(|(start, end)| start < end)
        .filter_map(|(start, end)| {
            // "Compatible" resolution: a time inside a spring-forward gap moves later, an
            // ambiguous one in a fall-back overlap takes the earlier instant.
            let from = date.to_datetime(start).to_zoned(availability.zone.clone()).ok()?.timestamp();
            // `Time::MAX` stands for 24:00: the working day runs to the next midnight.
            let to = if end == Time::MAX {
                date.tomorrow().ok()?.to_zoned(availability.zone.clone()).ok()?.timestamp()
            } else {
                date.to_datetime(end).to_zoned(availability.zone.clone()).ok()?.timestamp()
            };
            (from < to).then_some((from, to))
        })
        .collect()
}

pub(crate) fn overlaps(a: (Timestamp, Timestamp), b: (Timestamp, Timestamp)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether `at` falls inside the working hours of its local date (office hours for
/// messaging), ignoring time off.
#[must_use]
pub fn is_working(availability: &Availability, at: Timestamp) -> bool {
    let date = at.to_zoned(availability.zone.clone()).date();
    working_intervals(availability, date).iter().any(|(open, close)| at >= *open && at < *close)
}

/// Slot starts of `length`, every `step` from the start of each working interval, within
/// `[from, until)`, that fit the hours, avoid time off and bookings (with buffers) and
/// respect notice and horizon relative to `now`. Sorted and distinct.
#[must_use]
pub fn open_slots(
    availability: &Availability,
    bookings: &[(Timestamp, Timestamp)],
    length: SignedDuration,
    step: SignedDuration,
    now: Timestamp,
    from: Timestamp,
    until: Timestamp,
) -> Vec<Timestamp> {
    if length <= SignedDuration::ZERO || step <= SignedDuration::ZERO || from >= until {
        return Vec::new();
    }
    let earliest = now.checked_add(availability.min_notice).unwrap_or(now).max(from);
    let latest = now.checked_add(availability.max_ahead).unwrap_or(until).min(until);
    let blocked: Vec<(Timestamp, Timestamp)> = bookings
        .iter()
        .map(|(s, e)| (s.checked_sub(availability.buffer).unwrap_or(*s), e.checked_add(availability.buffer).unwrap_or(*e)))
        .chain(availability.time_off.iter().copied())
        .collect();
    // Local dates that can hold a working interval touching [earliest, latest).
    let first = earliest.to_zoned(availability.zone.clone()).date().yesterday().unwrap_or(Date::MIN);
    let last = latest.to_zoned(availability.zone.clone()).date().tomorrow().unwrap_or(Date::MAX);
    let mut slots = Vec::new();
    let mut date = first;
    while date <= last {
        for (open, close) in working_intervals(availability, date) {
            let mut start = open;
            while let Ok(end) = start.checked_add(length) {
                if end > close {
                    break;
                }
                let slot = (start, end);
                if start >= earliest && start <= latest && end <= until && !blocked.iter().any(|b| overlaps(slot, *b)) {
                    slots.push(start);
                }
                match start.checked_add(step) {
                    Ok(next) => start = next,
                    Err(_) => break,
                }
            }
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn weekdays(start: &str, end: &str) -> Vec<WeeklyHours> {
        [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday]
            .into_iter()
            .map(|weekday| WeeklyHours { weekday, start: start.parse().unwrap(), end: end.parse().unwrap() })
            .collect()
    }

    fn availability(zone: &str) -> Availability {
        Availability {
            zone: TimeZone::get(zone).unwrap(),
            weekly: weekdays("09:00", "17:00"),
            exceptions: Vec::new(),
            time_off: Vec::new(),
            buffer: SignedDuration::ZERO,
            min_notice: SignedDuration::ZERO,
            max_ahead: SignedDuration::from_hours(24 * 365),
        }
    }

    #[test]
    fn office_hours_are_local() {
        let a = availability("America/New_York");
        assert!(is_working(&a, ts("2026-06-01T14:00:00Z")), "10:00 EDT");
        assert!(!is_working(&a, ts("2026-06-01T22:00:00Z")), "18:00 EDT");
        assert!(!is_working(&a, ts("2026-06-01T12:59:00Z")), "08:59 EDT");
    }

    #[test]
    fn nine_to_five_stays_nine_to_five_across_the_spring_change() {
        // New York springs forward on 2026-03-08.
        let a = availability("America/New_York");
        let hour = SignedDuration::from_hours(1);
        let slots = open_slots(&a, &[], hour, hour, ts("2026-03-01T00:00:00Z"), ts("2026-03-07T00:00:00Z"), ts("2026-03-10T00:00:00Z"));
        let zone = TimeZone::get("America/New_York").unwrap();
        let local: Vec<_> = slots.iter().map(|s| s.to_zoned(zone.clone()).strftime("%m-%d %H:%M").to_string()).collect();
        for day in ["03-07", "03-08", "03-09"] {
            let of_day: Vec<_> = local.iter().filter(|s| s.starts_with(day)).collect();
            assert_eq!(of_day.len(), 8, "{day}: {of_day:?}");
            assert_eq!(of_day[0], &format!("{day} 09:00"));
            assert_eq!(of_day[7], &format!("{day} 16:00"));
        }
        // In UTC the working day moved an hour earlier.
        assert!(slots.contains(&ts("2026-03-07T14:00:00Z")) && slots.contains(&ts("2026-03-09T13:00:00Z")));
    }

    #[test]
    fn bookings_buffers_time_off_notice_and_exceptions_are_respected() {
        let mut a = availability("Europe/London");
        a.buffer = SignedDuration::from_mins(15);
        a.min_notice = SignedDuration::from_hours(24);
        a.time_off = vec![(ts("2026-06-03T08:00:00Z"), ts("2026-06-03T16:00:00Z"))];
        a.exceptions = vec![DateHours { date: "2026-06-04".parse().unwrap(), hours: vec![] }];
        let booking = (ts("2026-06-02T10:00:00Z"), ts("2026-06-02T10:45:00Z")); // 11:00-11:45 BST
        let slots = open_slots(
            &a,
            &[booking],
            SignedDuration::from_mins(45),
            SignedDuration::from_mins(15),
            ts("2026-06-01T09:00:00Z"),
            ts("2026-06-01T00:00:00Z"),
            ts("2026-06-05T00:00:00Z"),
        );
        assert!(slots.iter().all(|s| *s >= ts("2026-06-02T09:00:00Z")), "24 hours' notice");
        assert!(!slots.contains(&ts("2026-06-02T09:15:00Z")), "ends within the buffer before the booking");
        assert!(slots.contains(&ts("2026-06-02T09:00:00Z")) || slots.contains(&ts("2026-06-02T11:00:00Z")));
        assert!(slots.contains(&ts("2026-06-02T11:00:00Z")), "starts after booking + buffer");
        assert!(!slots.contains(&ts("2026-06-02T10:45:00Z")), "inside the buffer after the booking");
        assert!(slots.iter().all(|s| s.to_zoned(TimeZone::UTC).date() != "2026-06-03".parse().unwrap()), "time off");
        assert!(slots.iter().all(|s| s.to_zoned(TimeZone::UTC).date() != "2026-06-04".parse().unwrap()), "a day off");
    }

    const ZONES: &[&str] = &["America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Sydney", "Asia/Kolkata"];
    /// Days just before the spring and autumn changes in both hemispheres (2026).
    const AROUND: &[&str] = &["2026-03-06", "2026-03-27", "2026-04-03", "2026-10-02", "2026-10-23", "2026-10-30"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn slots_never_collide_and_stay_within_hours(
            zone in 0..ZONES.len(),
            around in 0..AROUND.len(),
            open_hour in 0u8..12,
            hours in 1u8..12,
            length_min in prop::sample::select(vec![30i64, 45, 53, 60, 90]),
            step_min in prop::sample::select(vec![15i64, 30, 60]),
            buffer_min in 0i64..31,
            bookings in prop::collection::vec((0i64..(5 * 24 * 60), 15i64..120), 0..8),
            off in prop::option::of((0i64..(5 * 24 * 60), 30i64..600)),
        ) {
            let zone_name = ZONES[zone];
            let tz = TimeZone::get(zone_name).unwrap();
            let start_date: Date = AROUND[around].parse().unwrap();
            let base = start_date.to_zoned(tz.clone()).unwrap().timestamp();
            let minute = |m: i64| base.checked_add(SignedDuration::from_mins(m)).unwrap();
            let open = Time::new(i8::try_from(open_hour).unwrap(), 0, 0, 0).unwrap();
            let close_hour = (open_hour + hours).min(23);
            let close = Time::new(i8::try_from(close_hour).unwrap(), 30, 0, 0).unwrap();
            let mut a = availability(zone_name);
            a.weekly = weekdays(&open.to_string(), &close.to_string());
            a.buffer = SignedDuration::from_mins(buffer_min);
            a.time_off = off.map(|(s, l)| vec![(minute(s), minute(s + l))]).unwrap_or_default();
            let booked: Vec<_> = bookings.iter().map(|(s, l)| (minute(*s), minute(s + l))).collect();
            let length = SignedDuration::from_mins(length_min);
            let until = minute(5 * 24 * 60);
            let slots = open_slots(&a, &booked, length, SignedDuration::from_mins(step_min), base, base, until);

            for s in &slots {
                let e = s.checked_add(length).unwrap();
                for b in &booked {
                    let guarded = (b.0.checked_sub(a.buffer).unwrap(), b.1.checked_add(a.buffer).unwrap());
                    prop_assert!(!overlaps((*s, e), guarded), "{zone_name}: slot {s} overlaps booking {b:?} with buffer");
                }
                for t in &a.time_off {
                    prop_assert!(!overlaps((*s, e), *t), "{zone_name}: slot {s} overlaps time off");
                }
                // Start and end fall within the same local working interval.
                let local_start = s.to_zoned(tz.clone());
                let day_intervals = working_intervals(&a, local_start.date());
                prop_assert!(
                    day_intervals.iter().any(|(o, c)| *s >= *o && e <= *c),
                    "{zone_name}: slot {} not within working hours {:?}", local_start, day_intervals
                );
                prop_assert!(*s >= base && e <= until);
            }
            prop_assert!(slots.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
            if booked.is_empty() && a.time_off.is_empty() && length <= SignedDuration::from_mins(i64::from(hours) * 60) {
                prop_assert!(!slots.is_empty(), "{zone_name}: free hours but no slot");
            }
        }
    }
}
