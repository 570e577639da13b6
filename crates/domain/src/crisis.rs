//! Crisis lines shown on every page. They are configured per deployment region; the
//! defaults are the United States' 988 Suicide & Crisis Lifeline and 911.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Language;

/// Operator-written text with a version per language; English is the fallback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<Language, String>);

impl LocalizedText {
    #[must_use]
    pub fn get(&self, lang: Language) -> &str {
        self.0.get(&lang).or_else(|| self.0.get(&Language::En)).or_else(|| self.0.values().next()).map_or("", String::as_str)
    }

    fn of(en: &str, es: &str) -> Self {
        Self(BTreeMap::from([(Language::En, en.to_owned()), (Language::Es, es.to_owned())]))
    }
}

/// One service a person in crisis can reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisLine {
    pub name: String,
    /// Number to call, as dialled (used for `tel:` links).
    #[serde(default)]
    pub call: Option<String>,
    /// Number to text (used for `sms:` links).
    #[serde(default)]
    pub text: Option<String>,
    /// Web chat address.
    #[serde(default)]
    pub chat_url: Option<String>,
    /// When it is open, languages, who it is for.
    #[serde(default)]
    pub note: LocalizedText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisLines {
    /// The emergency number for immediate danger (911, 112, 999…).
    pub emergency_number: String,
    pub lines: Vec<CrisisLine>,
}

impl Default for CrisisLines {
    fn default() -> Self {
        Self {
            emergency_number: "911".into(),
            lines: vec![CrisisLine {
                name: "988 Suicide & Crisis Lifeline".into(),
                call: Some("988".into()),
                text: Some("988".into()),
                chat_url: Some("https://988lifeline.org/chat".into()),
                note: LocalizedText::of(
                    "Free and confidential, 24 hours a day, 7 days a week. Spanish is available. Veterans: call 988 and press 1.",
                    "Gratuita y confidencial, las 24 horas, los 7 días de la semana. Atención en español: llame al 988 y marque 2. Veteranos: marquen 1.",
                ),
            }],
        }
    }
}

/// Why a crisis-line configuration can't be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CrisisConfigError {
    #[error("the emergency number must not be empty")]
    NoEmergencyNumber,
    #[error("crisis line {0} needs a name")]
    Unnamed(usize),
    #[error("crisis line \"{0}\" needs at least one of call, text or chat_url")]
    Unreachable(String),
    #[error("crisis line \"{0}\" has a number with characters other than digits, spaces, +, - and parentheses")]
    BadNumber(String),
    #[error("crisis line \"{0}\" has a chat_url that is not an https:// address")]
    BadChatUrl(String),
}

impl CrisisLines {
    /// Checks the configuration so that every line shown is one a person can actually reach.
    pub fn validate(&self) -> Result<(), CrisisConfigError> {
        if self.emergency_number.trim().is_empty() {
            return Err(CrisisConfigError::NoEmergencyNumber);
        }
        if !is_dialable(&self.emergency_number) {
            return Err(CrisisConfigError::BadNumber("emergency_number".into()));
        }
        for (i, line) in self.lines.iter().enumerate() {
            if line.name.trim().is_empty() {
                return Err(CrisisConfigError::Unnamed(i + 1));
            }
            if line.call.is_none() && line.text.is_none() && line.chat_url.is_none() {
                return Err(CrisisConfigError::Unreachable(line.name.clone()));
            }
            for number in line.call.iter().chain(line.text.iter()) {
                if !is_dialable(number) {
                    return Err(CrisisConfigError::BadNumber(line.name.clone()));
                }
            }
            if let Some(url) = &line.chat_url
                && !url.starts_with("https://")
            {
                return Err(CrisisConfigError::BadChatUrl(line.name.clone()));
            }
        }
        Ok(())
    }
}

/// The number as it goes into a `tel:` or `sms:` link: digits and a leading `+` only.
#[must_use]
pub fn dial_string(number: &str) -> String {
    number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

fn is_dialable(number: &str) -> bool {
    number.chars().any(|c| c.is_ascii_digit()) && number.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_name_988_and_911() {
        let lines = CrisisLines::default();
        lines.validate().unwrap();
        assert_eq!(lines.emergency_number, "911");
        assert_eq!(lines.lines[0].call.as_deref(), Some("988"));
    }

    #[test]
    fn rejects_lines_nobody_can_reach() {
        let mut lines = CrisisLines::default();
        lines.lines[0].call = None;
        lines.lines[0].text = None;
        lines.lines[0].chat_url = None;
        assert!(matches!(lines.validate(), Err(CrisisConfigError::Unreachable(_))));

        let mut lines = CrisisLines::default();
        lines.lines[0].call = Some("call me".into());
        assert!(matches!(lines.validate(), Err(CrisisConfigError::BadNumber(_))));

        let mut lines = CrisisLines::default();
        lines.lines[0].chat_url = Some("javascript:alert(1)".into());
        assert!(matches!(lines.validate(), Err(CrisisConfigError::BadChatUrl(_))));
    }

    #[test]
    fn dial_string_keeps_digits_and_plus() {
        assert_eq!(dial_string("+44 (0) 116-123"), "+440116123");
    }

    #[test]
    fn localized_text_falls_back_to_english() {
        let text = LocalizedText(BTreeMap::from([(Language::En, "Open 24/7".to_owned())]));
        assert_eq!(text.get(Language::Es), "Open 24/7");
    }
}
