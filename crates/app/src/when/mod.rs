//! Showing times in the viewer's time zone, in their language.

use haven_domain::Language;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

mod labels;

/// Zones offered in "show times in" lists; any IANA name is accepted where typed.
pub const COMMON_ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Halifax",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Madrid",
    "UTC",
];

/// An instant as the API takes it (RFC 3339: `2026-12-08T17:00:00Z`, or with an offset),
/// refusing a leap second (`:60`): jiff reads one as `:59`, which would book a time nobody
/// asked for.
#[must_use]
pub fn instant(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.get(17..19) == Some("60") && text.get(16..17) == Some(":") {
        return None;
    }
    text.parse().ok()
}

/// The zone named `name`, if Haven's bundled database knows it.
#[must_use]
pub fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    TimeZone::get(name).ok()
}

/// The viewer's zone: an explicit choice, else their saved one, else the practice's.
#[must_use]
pub fn viewer_zone(choice: Option<&str>, saved: Option<&str>, practice: &str) -> (String, TimeZone) {
    for name in [choice, saved, Some(practice)].into_iter().flatten() {
        if let Some(tz) = zone(name) {
            return (name.trim().to_owned(), tz);
        }
    }
    ("UTC".to_owned(), TimeZone::UTC)
}

/// "Wednesday, December 2" / "miércoles, 2 de diciembre".
#[must_use]
pub fn day_label(lang: Language, date: Date) -> String {
    labels::day(lang, date)
}

/// "11:00 AM" / "11:00 a.m.", in `tz`.
#[must_use]
pub fn time_label(lang: Language, at: Timestamp, tz: &TimeZone) -> String {
    labels::time(lang, &at.to_zoned(tz.clone()))
}

/// "Wed, Dec 2, 11:00 AM CST" / "mié, 2 de dic, 11:00 a.m. CST", in `tz` (the year shown when it
/// isn't this year's).
#[must_use]
pub fn when_label(lang: Language, at: Timestamp, tz: &TimeZone) -> String {
    let this_year = Timestamp::now().to_zoned(tz.clone()).year();
    labels::when(lang, &at.to_zoned(tz.clone()), this_year)
}

/// "Dec 2, 2026, 11:00:05 AM CST": when something was recorded, to the second, in `tz`.
#[must_use]
pub fn stamp_label(lang: Language, at: Timestamp, tz: &TimeZone) -> String {
    labels::stamp(lang, &at.to_zoned(tz.clone()))
}

/// Parses "2026-12-08T17:00:00Z" as sent back by Haven's own forms.
#[must_use]
pub fn parse_instant(s: &str) -> Option<Timestamp> {
    s.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn api_instants_refuse_leap_seconds() {
        assert_eq!(instant("2026-12-08T17:00:00Z"), "2026-12-08T17:00:00Z".parse().ok());
        assert_eq!(instant("2026-12-08T11:00:00-06:00"), "2026-12-08T17:00:00Z".parse().ok());
        assert_eq!(instant("2026-12-31T23:59:60Z"), None);
        assert_eq!(instant("2026-12-31T23:59:60.5+00:00"), None);
        assert_eq!(instant("not a time"), None);
    }

    use super::*;

    #[test]
    fn every_common_zone_is_known_and_bad_names_are_refused() {
        for name in COMMON_ZONES {
            assert!(zone(name).is_some(), "{name}");
        }
        assert!(zone("Mars/Olympus_Mons").is_none());
        assert!(zone("").is_none());
        let (name, _) = viewer_zone(Some("Nowhere/Else"), None, "America/Chicago");
        assert_eq!(name, "America/Chicago");
    }

    #[test]
    fn labels_are_in_the_viewers_zone_and_language() {
        let at: Timestamp = "2026-12-02T17:00:00Z".parse().unwrap();
        let chicago = zone("America/Chicago").unwrap();
        let this_year = at.to_zoned(chicago.clone()).year();
        let local = at.to_zoned(chicago.clone());
        // A plain space before AM/PM, as browsers write it (see `labels::plain`).
        assert_eq!(labels::when(Language::En, &local, this_year), "Wed, Dec 2, 11:00 AM CST");
        assert_eq!(labels::when(Language::Es, &local, this_year), "mié, 2 de dic, 11:00 a.m. CST");
        assert_eq!(labels::when(Language::En, &local, this_year + 1), "Wed, Dec 2, 2026, 11:00 AM CST");
        assert_eq!(time_label(Language::En, at, &chicago), "11:00 AM");
        assert_eq!(time_label(Language::Es, at, &chicago), "11:00 a.m.");
        assert_eq!(day_label(Language::En, local.date()), "Wednesday, December 2");
        assert_eq!(day_label(Language::Es, local.date()), "miércoles, 2 de diciembre");
        // Summer time is named as such, in the zone of the reader.
        let july: Timestamp = "2026-07-01T17:00:00Z".parse().unwrap();
        assert!(stamp_label(Language::En, july, &zone("America/New_York").unwrap()).ends_with("1:00:00 PM EDT"));
    }
}
