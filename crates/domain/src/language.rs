//! The languages Haven speaks, and how one is chosen for a request.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    /// The BCP 47 tag, as used in `<html lang>` and in cookies.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// The language's own name for itself, as a language switch should show it.
    #[must_use]
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Español",
        }
    }

    /// Accepts `es`, `es-MX`, `ES`… (the primary subtag decides).
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header,
    /// honouring q-values; `None` when nothing supported is asked for.
    #[must_use]
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(f32, usize, Language)> = None;
        for (position, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Language::from_tag) else {
                continue;
            };
            let quality = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            if quality <= 0.0 {
                continue;
            }
            // Higher quality wins; on a tie, the earlier entry wins.
            let better = match best {
                None => true,
                Some((q, _, _)) => quality > q,
            };
            if better {
                best = Some((quality, position, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}

/// Words given in both languages Haven speaks: a practice's own (the name of a kind of
/// visit, a clinician's bio) or a published instrument's. An empty Spanish text falls
/// back to the English one, so a practice that hasn't translated yet still reads whole.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Bilingual {
    pub en: String,
    #[serde(default)]
    pub es: String,
}

impl Bilingual {
    #[must_use]
    pub fn new(en: impl Into<String>, es: impl Into<String>) -> Self {
        Self { en: en.into(), es: es.into() }
    }

    /// English only, for now.
    #[must_use]
    pub fn english(en: impl Into<String>) -> Self {
        Self::new(en, "")
    }

    /// The text in `lang`, or the English text when there is none in it.
    #[must_use]
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Es if !self.es.trim().is_empty() => &self.es,
            _ => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_words_fall_back_to_english_only_when_spanish_is_blank() {
        let both = Bilingual::new("First visit", "Primera consulta");
        assert_eq!(both.get(Language::Es), "Primera consulta");
        assert_eq!(both.get(Language::En), "First visit");
        assert_eq!(Bilingual::new("First visit", "  ").get(Language::Es), "First visit");
    }

    #[test]
    fn negotiates_by_quality_then_order() {
        assert_eq!(Language::negotiate("es-MX,es;q=0.9,en;q=0.8"), Some(Language::Es));
        assert_eq!(Language::negotiate("fr-FR, en;q=0.5, es;q=0.7"), Some(Language::Es));
        assert_eq!(Language::negotiate("en-US,en;q=0.9"), Some(Language::En));
        assert_eq!(Language::negotiate("de, fr"), None);
        assert_eq!(Language::negotiate("es;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(Language::negotiate(""), None);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Language::from_tag("ES_us"), Some(Language::Es));
    }
}
