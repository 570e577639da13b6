//! Telehealth informed consent: signed before the first visit and renewed every year.

use jiff::{SignedDuration, Timestamp};

/// The consent text's version; a new version asks everyone to sign again.
pub const CONSENT_VERSION: &str = "2026-1";

/// Whether the patient must (re)sign before this visit: never signed, signed an older
/// version, or signed more than a year ago.
#[must_use]
pub fn consent_due(last: Option<(Timestamp, &str)>, now: Timestamp) -> bool {
    match last {
        None => true,
        Some((signed, version)) => {
            version != CONSENT_VERSION || signed.checked_add(SignedDuration::from_hours(365 * 24)).is_ok_and(|until| until <= now)
        }
    }
}

/// The typed signature: the patient's full name, 2–120 characters.
#[must_use]
pub fn check_signature(name: &str) -> Option<String> {
    crate::text::one_line(name, 2, 120)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn due_when_never_signed_old_version_or_a_year_on() {
        let now = at("2026-11-22T12:00:00Z");
        assert!(consent_due(None, now));
        assert!(!consent_due(Some((at("2026-06-01T00:00:00Z"), CONSENT_VERSION)), now));
        assert!(consent_due(Some((at("2026-06-01T00:00:00Z"), "2025-1")), now));
        assert!(consent_due(Some((at("2025-11-22T12:00:00Z"), CONSENT_VERSION)), now));
        assert!(!consent_due(Some((at("2025-11-22T12:00:01Z"), CONSENT_VERSION)), now));
    }

    #[test]
    fn signature_is_a_name() {
        assert_eq!(check_signature("  Ana Ruiz "), Some("Ana Ruiz".into()));
        assert_eq!(check_signature("A"), None);
        assert_eq!(check_signature(&"x".repeat(121)), None);
    }
}
