//! Recurring appointments: the weekly or every-other-week rhythm of therapy. Occurrences
//! keep the local wall-clock time, so a 10:00 session stays at 10:00 after the clocks change.

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// Longest series booked at once (a year of weekly sessions).
pub const MAX_OCCURRENCES: u8 = 52;

/// `count` starts, the first at `first`, then every `every_weeks` weeks at the same local time.
#[must_use]
pub fn occurrences(first: Timestamp, zone: &TimeZone, every_weeks: u8, count: u8) -> Vec<Timestamp> {
    let local = first.to_zoned(zone.clone()).datetime();
    (0..count.min(MAX_OCCURRENCES))
        .filter_map(|i| {
            let days = i64::from(i) * i64::from(every_weeks.max(1)) * 7;
            let when = local.checked_add(Span::new().days(days)).ok()?;
            when.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_sessions_keep_their_local_time_across_the_autumn_change() {
        let zone = TimeZone::get("America/Chicago").unwrap();
        let first: Timestamp = "2026-10-22T15:00:00Z".parse().unwrap(); // 10:00 CDT
        let starts = occurrences(first, &zone, 1, 3);
        let local: Vec<String> = starts.iter().map(|t| t.to_zoned(zone.clone()).strftime("%F %H:%M").to_string()).collect();
        assert_eq!(local, ["2026-10-22 10:00", "2026-10-29 10:00", "2026-11-05 10:00"]);
        assert_eq!(starts[2].to_string(), "2026-11-05T16:00:00Z", "10:00 CST is an hour later in UTC");
    }

    #[test]
    fn every_other_week_and_the_cap() {
        let zone = TimeZone::UTC;
        let first: Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
        let starts = occurrences(first, &zone, 2, 2);
        assert_eq!(starts[1].to_string(), "2026-01-19T09:00:00Z");
        assert_eq!(occurrences(first, &zone, 1, 200).len(), usize::from(MAX_OCCURRENCES));
    }
}
