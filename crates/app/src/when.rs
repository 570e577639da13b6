//! Showing times in the viewer's time zone, in their language.

use haven_domain::Language;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::i18n::translate;

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

#[must_use]
pub fn weekday_name(lang: Language, date: Date) -> String {
    translate(lang, &format!("weekday-{}", date.weekday().to_monday_one_offset()), &[])
}

/// "Tuesday 2026-12-08".
#[must_use]
pub fn day_label(lang: Language, date: Date) -> String {
    format!("{} {}", weekday_name(lang, date), date)
}

/// "09:00".
#[must_use]
pub fn time_label(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// "Tuesday 2026-12-08, 09:00 (America/New_York)": unambiguous in every language.
#[must_use]
pub fn when_label(lang: Language, at: Timestamp, tz: &TimeZone, zone_name: &str) -> String {
    let local = at.to_zoned(tz.clone());
    format!("{}, {} ({zone_name})", day_label(lang, local.date()), local.strftime("%H:%M"))
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
        let at: Timestamp = "2026-12-08T17:00:00Z".parse().unwrap();
        let tz = zone("America/New_York").unwrap();
        assert_eq!(when_label(Language::En, at, &tz, "America/New_York"), "Tuesday 2026-12-08, 12:00 (America/New_York)");
        assert_eq!(when_label(Language::Es, at, &tz, "America/New_York"), "martes 2026-12-08, 12:00 (America/New_York)");
    }
}
