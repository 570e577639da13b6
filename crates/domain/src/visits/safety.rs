//! What a patient confirms before every visit: where they are (so help can be sent), a
//! number to call back if the call drops, and someone to contact in an emergency.

use serde::{Deserialize, Serialize};

use crate::scheduling::modality::Jurisdiction;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SafetyDetails {
    /// Street address (or a description a dispatcher could use).
    pub address: String,
    /// ISO 3166-2 code of where the patient is ("US-IL"): the clinician's licence must cover it.
    pub region: String,
    pub phone: String,
    pub contact_name: String,
    pub contact_phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafetyProblem {
    Address,
    Region,
    Phone,
    ContactName,
    ContactPhone,
}

impl SafetyProblem {
    /// The field the problem belongs to (the form's input id).
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            SafetyProblem::Address => "address",
            SafetyProblem::Region => "region",
            SafetyProblem::Phone => "phone",
            SafetyProblem::ContactName => "contact_name",
            SafetyProblem::ContactPhone => "contact_phone",
        }
    }

    #[must_use]
    pub fn message_key(self) -> &'static str {
        match self {
            SafetyProblem::Address => "visit-error-address",
            SafetyProblem::Region => "visit-error-region",
            SafetyProblem::Phone => "visit-error-phone",
            SafetyProblem::ContactName => "visit-error-contact-name",
            SafetyProblem::ContactPhone => "visit-error-contact-phone",
        }
    }
}

/// A phone number a person could dial: 7–15 digits (E.164's limit), optionally a leading
/// "+", with spaces, dots, dashes and brackets allowed between.
#[must_use]
pub fn is_phone_number(s: &str) -> bool {
    let s = s.trim();
    let body = s.strip_prefix('+').unwrap_or(s);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits) && body.bytes().all(|b| b.is_ascii_digit() || b" .-()".contains(&b))
}

/// Every problem with the form, in its order (so the page can list them all at once).
pub fn check(details: &SafetyDetails) -> Result<SafetyDetails, Vec<SafetyProblem>> {
    let clean = SafetyDetails {
        address: details.address.trim().to_owned(),
        region: details.region.trim().to_ascii_uppercase(),
        phone: details.phone.trim().to_owned(),
        contact_name: details.contact_name.trim().to_owned(),
        contact_phone: details.contact_phone.trim().to_owned(),
    };
    let mut problems = Vec::new();
    if !(5..=300).contains(&clean.address.chars().count()) || !crate::text::is_one_line(&clean.address) {
        problems.push(SafetyProblem::Address);
    }
    if Jurisdiction::parse(&clean.region).is_none() {
        problems.push(SafetyProblem::Region);
    }
    if !is_phone_number(&clean.phone) {
        problems.push(SafetyProblem::Phone);
    }
    if !(2..=120).contains(&clean.contact_name.chars().count()) || !crate::text::is_one_line(&clean.contact_name) {
        problems.push(SafetyProblem::ContactName);
    }
    if !is_phone_number(&clean.contact_phone) {
        problems.push(SafetyProblem::ContactPhone);
    }
    if problems.is_empty() { Ok(clean) } else { Err(problems) }
}

/// Whether a clinician with `licences` may see a patient who is in `region` (licensure
/// follows where the patient is during the visit).
#[must_use]
pub fn licensed_for(licences: &[Jurisdiction], region: &str) -> bool {
    Jurisdiction::parse(region).is_some_and(|r| licences.contains(&r))
}

/// The emergency number where the patient is, by country; `fallback` (the practice's) for
/// countries Haven doesn't list.
#[must_use]
pub fn emergency_number(region: &str, fallback: &str) -> String {
    let country = region.split('-').next().unwrap_or_default().to_ascii_uppercase();
    let number = match country.as_str() {
        "US" | "CA" | "MX" | "PR" => "911",
        "GB" | "IE" => "999",
        "AU" => "000",
        "NZ" => "111",
        "AT" | "BE" | "DE" | "DK" | "ES" | "FI" | "FR" | "GR" | "IT" | "NL" | "NO" | "PL" | "PT" | "SE" | "CH" => "112",
        _ => return fallback.to_owned(),
    };
    number.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SafetyDetails {
        SafetyDetails {
            address: "12 Elm St, Springfield".into(),
            region: "us-il".into(),
            phone: "+1 (312) 555-0101".into(),
            contact_name: "Sam Ruiz".into(),
            contact_phone: "312.555.0199".into(),
        }
    }

    #[test]
    fn a_complete_form_is_cleaned() {
        let clean = check(&good()).unwrap();
        assert_eq!(clean.region, "US-IL");
    }

    #[test]
    fn every_problem_is_listed() {
        let bad = SafetyDetails {
            address: " ".into(),
            region: "Illinois".into(),
            phone: "555".into(),
            contact_name: String::new(),
            contact_phone: "call me".into(),
        };
        assert_eq!(
            check(&bad).unwrap_err(),
            vec![SafetyProblem::Address, SafetyProblem::Region, SafetyProblem::Phone, SafetyProblem::ContactName, SafetyProblem::ContactPhone]
        );
    }

    #[test]
    fn phone_numbers() {
        assert!(is_phone_number("+44 20 7946 0958"));
        assert!(!is_phone_number("12345"));
        assert!(!is_phone_number("+1 555 0101 x12"));
        assert!(!is_phone_number("1234567890123456"));
    }

    #[test]
    fn licence_follows_the_patient() {
        let licences = Jurisdiction::parse_list("US-CA,US-IL");
        assert!(licensed_for(&licences, "US-IL"));
        assert!(!licensed_for(&licences, "US-NY"));
        assert!(!licensed_for(&licences, "nowhere"));
    }

    #[test]
    fn emergency_numbers_by_country() {
        assert_eq!(emergency_number("US-IL", "112"), "911");
        assert_eq!(emergency_number("GB-LND", "911"), "999");
        assert_eq!(emergency_number("ES-MD", "911"), "112");
        assert_eq!(emergency_number("ZZ-1", "911"), "911");
    }
}
