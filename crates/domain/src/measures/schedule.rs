//! When a measure is due. A schedule is a cadence plus an optional end (a date or a count);
//! weekly cadences run on the patient's local calendar, so "Mondays at 9" stays 9 a.m.
//! across daylight-saving changes. Visit-bound cadences are due when the visit starts.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cadence {
    /// Due once, at the schedule's start.
    Once,
    /// Every `weeks` weeks on `weekday` (ISO, Monday 1) at `hour` local time.
    EveryWeeks { weeks: i64, weekday: i8, hour: i8 },
    /// Due at the start of every visit (`every` 1), or every other visit (2).
    BeforeVisits { every: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub cadence: Cadence,
    /// Nothing is due before this.
    pub starts: Timestamp,
    /// Nothing is due after this.
    #[serde(default)]
    pub until: Option<Timestamp>,
    /// At most this many occurrences.
    #[serde(default)]
    pub count: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("every 1 to 12 weeks")]
    Weeks,
    #[error("a weekday from 1 (Monday) to 7 (Sunday) and an hour from 0 to 23")]
    When,
    #[error("every visit or every other visit")]
    Visits,
    #[error("the end comes before the start")]
    Ends,
    #[error("a count from 1 to 520")]
    Count,
}

impl Schedule {
    pub fn check(&self) -> Result<(), ScheduleError> {
        match self.cadence {
            Cadence::EveryWeeks { weeks, .. } if !(1..=12).contains(&weeks) => return Err(ScheduleError::Weeks),
            Cadence::EveryWeeks { weekday, hour, .. } if !(1..=7).contains(&weekday) || !(0..=23).contains(&hour) => {
                return Err(ScheduleError::When);
            }
            Cadence::BeforeVisits { every } if !(1..=2).contains(&every) => return Err(ScheduleError::Visits),
            _ => {}
        }
        if self.until.is_some_and(|u| u < self.starts) {
            return Err(ScheduleError::Ends);
        }
        if self.count.is_some_and(|c| !(1..=520).contains(&c)) {
            return Err(ScheduleError::Count);
        }
        Ok(())
    }

    fn within(&self, at: Timestamp, index: i64) -> bool {
        self.until.is_none_or(|u| at <= u) && self.count.is_none_or(|c| index < c)
    }

    /// The `index`th calendar occurrence (0-based) of a weekly cadence, in `tz`.
    fn weekly(&self, tz: &TimeZone, index: i64) -> Option<Timestamp> {
        let Cadence::EveryWeeks { weeks, weekday, hour } = self.cadence else { return None };
        let start: Date = self.starts.to_zoned(tz.clone()).date();
        let target = Weekday::from_monday_one_offset(weekday).ok()?;
        let at = Time::new(hour, 0, 0, 0).ok()?;
        // The first matching weekday on or after the start's date whose hour is not before the start.
        let mut first = start;
        while first.weekday() != target {
            first = first.tomorrow().ok()?;
        }
        let first_at = first.to_datetime(at).to_zoned(tz.clone()).ok()?.timestamp();
        if first_at < self.starts {
            first = first.checked_add(Span::new().days(7)).ok()?;
        }
        let day = first.checked_add(Span::new().days(7 * weeks * index)).ok()?;
        Some(day.to_datetime(at).to_zoned(tz.clone()).ok()?.timestamp())
    }

    /// The first occurrence strictly after `after`, with its index, for time-based cadences.
    /// `None` once the schedule has ended (or for visit-bound cadences).
    #[must_use]
    pub fn next_after(&self, tz: &TimeZone, after: Option<Timestamp>) -> Option<(i64, Timestamp)> {
        match self.cadence {
            Cadence::Once => {
                let due = self.starts;
                (after.is_none_or(|a| due > a) && self.within(due, 0)).then_some((0, due))
            }
            Cadence::EveryWeeks { weeks, .. } => {
                // Jump close to `after`, then step: a schedule years old costs a few steps.
                let mut index = match after {
                    None => 0,
                    Some(a) => ((a.as_second() - self.starts.as_second()) / (7 * 86_400 * weeks)).max(1) - 1,
                };
                loop {
                    let due = self.weekly(tz, index)?;
                    if !self.within(due, index) {
                        return None;
                    }
                    if after.is_none_or(|a| due > a) {
                        return Some((index, due));
                    }
                    index += 1;
                }
            }
            Cadence::BeforeVisits { .. } => None,
        }
    }

    /// Which of the patient's visits (start times, in order) a visit-bound cadence asks
    /// before: every one, or every other, from the schedule's start, within its end.
    #[must_use]
    pub fn visits_due(&self, visits: &[Timestamp]) -> Vec<Timestamp> {
        let Cadence::BeforeVisits { every } = self.cadence else { return Vec::new() };
        let every = usize::try_from(every.max(1)).unwrap_or(1);
        let mut out = Vec::new();
        for (n, at) in visits.iter().filter(|v| **v >= self.starts).enumerate() {
            if n % every == 0 && self.within(*at, i64::try_from(out.len()).unwrap_or(i64::MAX)) {
                out.push(*at);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn chicago() -> TimeZone {
        TimeZone::get("America/Chicago").unwrap()
    }

    fn weekly(weeks: i64, starts: &str) -> Schedule {
        Schedule { cadence: Cadence::EveryWeeks { weeks, weekday: 1, hour: 9 }, starts: at(starts), until: None, count: None }
    }

    #[test]
    fn mondays_at_nine_stay_at_nine_across_the_autumn_change() {
        // 2026-11-01 is the US fall-back Sunday: 9 a.m. in Chicago is 14:00Z before, 15:00Z after.
        let s = weekly(1, "2026-10-20T12:00:00Z");
        let (i0, first) = s.next_after(&chicago(), None).unwrap();
        assert_eq!((i0, first), (0, at("2026-10-26T14:00:00Z")));
        let (i1, second) = s.next_after(&chicago(), Some(first)).unwrap();
        assert_eq!((i1, second), (1, at("2026-11-02T15:00:00Z")));
    }

    #[test]
    fn and_across_the_spring_change() {
        // 2027-03-14 springs forward: 15:00Z before, 14:00Z after.
        let s = weekly(2, "2027-03-01T00:00:00Z");
        let (_, first) = s.next_after(&chicago(), None).unwrap();
        assert_eq!(first, at("2027-03-01T15:00:00Z"));
        let (_, second) = s.next_after(&chicago(), Some(first)).unwrap();
        assert_eq!(second, at("2027-03-15T14:00:00Z"), "two weeks on, still 9 a.m. local");
    }

    #[test]
    fn a_start_after_the_hour_waits_a_week_and_ends_are_kept() {
        // Monday 2026-10-26 at 10:00 Chicago: that Monday's 9 a.m. has passed.
        let mut s = weekly(1, "2026-10-26T15:00:00Z");
        assert_eq!(s.next_after(&chicago(), None).unwrap().1, at("2026-11-02T15:00:00Z"));
        s.count = Some(2);
        let (_, one) = s.next_after(&chicago(), None).unwrap();
        let (_, two) = s.next_after(&chicago(), Some(one)).unwrap();
        assert_eq!(s.next_after(&chicago(), Some(two)), None, "two occurrences, then done");
        s.count = None;
        s.until = Some(at("2026-11-05T00:00:00Z"));
        assert_eq!(s.next_after(&chicago(), Some(one)), None, "nothing after the end date");
    }

    #[test]
    fn far_along_schedules_jump_rather_than_walk() {
        let s = weekly(1, "2020-01-01T00:00:00Z");
        let (index, due) = s.next_after(&chicago(), Some(at("2026-11-25T00:00:00Z"))).unwrap();
        assert_eq!(due, at("2026-11-30T15:00:00Z"));
        assert!(index > 300);
    }

    #[test]
    fn once_and_visit_bound_cadences() {
        let once = Schedule { cadence: Cadence::Once, starts: at("2026-12-01T00:00:00Z"), until: None, count: None };
        assert_eq!(once.next_after(&chicago(), None), Some((0, at("2026-12-01T00:00:00Z"))));
        assert_eq!(once.next_after(&chicago(), Some(at("2026-12-01T00:00:00Z"))), None);
        let visits = [at("2026-11-01T15:00:00Z"), at("2026-12-02T15:00:00Z"), at("2026-12-09T15:00:00Z"), at("2026-12-16T15:00:00Z")];
        let every = Schedule { cadence: Cadence::BeforeVisits { every: 1 }, ..once.clone() };
        assert_eq!(every.visits_due(&visits), visits[1..].to_vec());
        let other = Schedule { cadence: Cadence::BeforeVisits { every: 2 }, ..once };
        assert_eq!(other.visits_due(&visits), vec![visits[1], visits[3]]);
    }

    #[test]
    fn bad_schedules_are_refused() {
        let mut s = weekly(13, "2026-10-20T12:00:00Z");
        assert_eq!(s.check(), Err(ScheduleError::Weeks));
        s.cadence = Cadence::EveryWeeks { weeks: 2, weekday: 8, hour: 9 };
        assert_eq!(s.check(), Err(ScheduleError::When));
        s.cadence = Cadence::EveryWeeks { weeks: 2, weekday: 1, hour: 9 };
        s.until = Some(at("2026-10-01T00:00:00Z"));
        assert_eq!(s.check(), Err(ScheduleError::Ends));
    }
}
