//! How a visit is held, and where a patient is when it happens.

/// The ways a visit can be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Video,
    /// Audio only, like a phone call.
    Phone,
    InPerson,
}

impl Modality {
    pub const ALL: [Modality; 3] = [Modality::Video, Modality::Phone, Modality::InPerson];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Video => "video",
            Modality::Phone => "phone",
            Modality::InPerson => "in_person",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Remote visits are governed by where the patient is; in-person ones by the office.
    #[must_use]
    pub fn is_remote(self) -> bool {
        self != Modality::InPerson
    }

    /// Parses a stored comma-separated list, ignoring unknown entries.
    #[must_use]
    pub fn parse_list(s: &str) -> Vec<Modality> {
        s.split(',').filter_map(|m| Modality::parse(m.trim())).collect()
    }

    #[must_use]
    pub fn join(list: &[Modality]) -> String {
        list.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
    }
}

/// A place where a clinician may be licensed: ISO 3166 country and subdivision, "US-CA".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jurisdiction(String);

impl Jurisdiction {
    /// Accepts "US-CA" (any case); refuses anything not shaped like an ISO 3166-2 code.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let (country, region) = s.split_once('-')?;
        let ok = country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && (1..=3).contains(&region.len())
            && region.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then_some(Self(s))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The subdivision's name, when Haven knows it (US states, Canadian provinces).
    #[must_use]
    pub fn name(&self) -> &str {
        KNOWN.iter().find(|(code, _)| *code == self.0).map_or(self.0.as_str(), |(_, name)| name)
    }

    #[must_use]
    pub fn parse_list(s: &str) -> Vec<Jurisdiction> {
        let mut list: Vec<_> = s.split(',').filter_map(Jurisdiction::parse).collect();
        list.sort();
        list.dedup();
        list
    }

    #[must_use]
    pub fn join(list: &[Jurisdiction]) -> String {
        list.iter().map(Jurisdiction::as_str).collect::<Vec<_>>().join(",")
    }

    /// Places offered in "where will you be during the visit" lists.
    pub fn known() -> impl Iterator<Item = Jurisdiction> {
        KNOWN.iter().map(|(code, _)| Jurisdiction((*code).to_owned()))
    }
}

impl std::fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Official names; proper names are not translated.
const KNOWN: &[(&str, &str)] = &[
    ("US-AL", "Alabama"),
    ("US-AK", "Alaska"),
    ("US-AZ", "Arizona"),
    ("US-AR", "Arkansas"),
    ("US-CA", "California"),
    ("US-CO", "Colorado"),
    ("US-CT", "Connecticut"),
    ("US-DE", "Delaware"),
    ("US-DC", "District of Columbia"),
    ("US-FL", "Florida"),
    ("US-GA", "Georgia"),
    ("US-HI", "Hawaii"),
    ("US-ID", "Idaho"),
    ("US-IL", "Illinois"),
    ("US-IN", "Indiana"),
    ("US-IA", "Iowa"),
    ("US-KS", "Kansas"),
    ("US-KY", "Kentucky"),
    ("US-LA", "Louisiana"),
    ("US-ME", "Maine"),
    ("US-MD", "Maryland"),
    ("US-MA", "Massachusetts"),
    ("US-MI", "Michigan"),
    ("US-MN", "Minnesota"),
    ("US-MS", "Mississippi"),
    ("US-MO", "Missouri"),
    ("US-MT", "Montana"),
    ("US-NE", "Nebraska"),
    ("US-NV", "Nevada"),
    ("US-NH", "New Hampshire"),
    ("US-NJ", "New Jersey"),
    ("US-NM", "New Mexico"),
    ("US-NY", "New York"),
    ("US-NC", "North Carolina"),
    ("US-ND", "North Dakota"),
    ("US-OH", "Ohio"),
    ("US-OK", "Oklahoma"),
    ("US-OR", "Oregon"),
    ("US-PA", "Pennsylvania"),
    ("US-PR", "Puerto Rico"),
    ("US-RI", "Rhode Island"),
    ("US-SC", "South Carolina"),
    ("US-SD", "South Dakota"),
    ("US-TN", "Tennessee"),
    ("US-TX", "Texas"),
    ("US-UT", "Utah"),
    ("US-VT", "Vermont"),
    ("US-VA", "Virginia"),
    ("US-WA", "Washington"),
    ("US-WV", "West Virginia"),
    ("US-WI", "Wisconsin"),
    ("US-WY", "Wyoming"),
    ("CA-AB", "Alberta"),
    ("CA-BC", "British Columbia"),
    ("CA-MB", "Manitoba"),
    ("CA-NB", "New Brunswick"),
    ("CA-NL", "Newfoundland and Labrador"),
    ("CA-NS", "Nova Scotia"),
    ("CA-ON", "Ontario"),
    ("CA-PE", "Prince Edward Island"),
    ("CA-QC", "Québec"),
    ("CA-SK", "Saskatchewan"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurisdictions_parse_only_iso_shapes() {
        assert_eq!(Jurisdiction::parse(" us-ca ").unwrap().as_str(), "US-CA");
        assert_eq!(Jurisdiction::parse("US-CA").unwrap().name(), "California");
        for bad in ["", "US", "USA-CA", "U1-CA", "US-", "US-CALI", "US-C A"] {
            assert!(Jurisdiction::parse(bad).is_none(), "{bad}");
        }
        let list = Jurisdiction::parse_list("US-NY,us-ca,nonsense,US-NY");
        assert_eq!(Jurisdiction::join(&list), "US-CA,US-NY");
    }

    #[test]
    fn modality_lists_round_trip() {
        let list = Modality::parse_list("video, in_person,fax");
        assert_eq!(list, vec![Modality::Video, Modality::InPerson]);
        assert_eq!(Modality::join(&list), "video,in_person");
        assert!(Modality::Phone.is_remote() && !Modality::InPerson.is_remote());
    }
}
