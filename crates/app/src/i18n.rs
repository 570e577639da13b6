//! Translations: Fluent files under `locales/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader as _, langid};
use haven_domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks around arguments would end up inside `tel:` links and
        // e-mail subjects; Haven's two languages are both left-to-right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static ES: LanguageIdentifier = langid!("es");

fn id(lang: Language) -> &'static LanguageIdentifier {
    match lang {
        Language::En => &EN,
        Language::Es => &ES,
    }
}

/// Messages without arguments, as Fluent formatted them the first time, per language. Every
/// page's frame (menus, crisis lines, buttons) asks for dozens of them, and Fluent's own
/// lookup negotiates the language and walks its bundle each time. The keys come from the
/// code, so the table stays as small as the `.ftl` files.
static PLAIN: LazyLock<[RwLock<HashMap<String, String>>; 2]> = LazyLock::new(Default::default);

fn plain(lang: Language, key: &str) -> String {
    let table = &PLAIN[usize::from(lang == Language::Es)];
    if let Some(text) = table.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(key) {
        return text.clone();
    }
    let text = LOCALES.lookup(id(lang), key);
    table.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key.to_owned(), text.clone());
    text
}

/// The message `key` in `lang`, with `args` filled in.
#[must_use]
pub fn translate(lang: Language, key: &str, args: &[(&'static str, &str)]) -> String {
    if args.is_empty() {
        return plain(lang, key);
    }
    // `count` goes in as a number, so a message can choose its plural form by the
    // language's rules (`{ $count -> [one] … *[other] … }`). Only `count`: other values that
    // look like numbers (a one-time code "012345") must stay exactly as written.
    let value = |k: &str, v: &str| match (k, v.parse::<i64>()) {
        ("count", Ok(n)) => FluentValue::from(n),
        _ => FluentValue::from(v.to_string()),
    };
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args.iter().map(|(k, v)| (Cow::Borrowed(*k), value(k, v))).collect();
    LOCALES.lookup_with_args(id(lang), key, &args)
}

/// Every message id of every language's file, for completeness tests.
#[must_use]
pub fn all_message_ids() -> Vec<(Language, Vec<String>)> {
    Language::ALL
        .into_iter()
        .map(|lang| {
            let source = match lang {
                Language::En => include_str!("../locales/en/main.ftl"),
                Language::Es => include_str!("../locales/es/main.ftl"),
            };
            (lang, message_ids(source))
        })
        .collect()
}

fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// A language bound for rendering: templates call `tr.t("key")`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Language);

impl Tr {
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        translate(self.0, key, &[])
    }

    #[must_use]
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        translate(self.0, key, &[(name, value)])
    }

    #[must_use]
    pub fn t2(&self, key: &str, a: (&'static str, &str), b: (&'static str, &str)) -> String {
        translate(self.0, key, &[a, b])
    }

    #[must_use]
    pub fn tag(&self) -> &'static str {
        self.0.tag()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_has_every_message() {
        let all = all_message_ids();
        let en: BTreeSet<_> = all[0].1.iter().cloned().collect();
        for (lang, ids) in &all {
            let ids: BTreeSet<_> = ids.iter().cloned().collect();
            let missing: Vec<_> = en.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&en).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang:?}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let en: BTreeSet<_> = all_message_ids()[0].1.iter().cloned().collect();
        // Message ids appear in templates as `.t("id"` / `.t1("id"`, and in Rust code as
        // `title: "id"`, `detail: "id"` or a match arm `=> "id"`.
        // Only ids that start like one of ours count, so `text("sec-fetch-site")` doesn't.
        let prefixes: BTreeSet<_> = en.iter().filter_map(|k| k.split('-').next()).collect();
        // Both the application layer and the web layer's pages use keys.
        let roots = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../web/templates"),
        ];
        let mut used = BTreeSet::new();
        let mut files = Vec::new();
        let mut dirs: Vec<std::path::PathBuf> = roots.iter().map(std::path::PathBuf::from).collect();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if !path.ends_with("i18n.rs") {
                    files.push(path);
                }
            }
        }
        {
            for path in files {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in [".t(\"", ".t1(\"", ".t2(\"", "title: \"", "detail: \"", "=> \"", "Some(\"", "invalid(\"", "translate(lang, \""] {
                    for piece in text.split(marker).skip(1) {
                        let literal = piece.split('"').next().unwrap_or_default();
                        let shaped = literal.contains('-') && literal.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
                        if shaped && literal.split('-').next().is_some_and(|p| prefixes.contains(p)) {
                            used.insert(literal.to_owned());
                        }
                    }
                }
            }
        }
        let missing: Vec<_> = used.difference(&en).collect();
        assert!(missing.is_empty(), "keys used but not translated: {missing:?}");
        assert!(used.len() > 30, "the scan found too few keys ({}) to be working", used.len());
    }

    /// A clinician's name usually carries a title ("Dr. Maya Lee"), and Spanish puts an
    /// article before a titled name ("con la Dra. Lee"), which Haven can't choose without
    /// knowing the person. So Spanish wording never puts the name straight after a
    /// preposition or as a bare subject: it stands as a label or in apposition ("Profesional:
    /// Dr. Maya Lee", "su profesional (Dr. Maya Lee)").
    /// Messages whose `$name` is a clinician's.
    const CLINICIAN_NAMED: [&str; 10] = [
        "book-see-times",
        "book-photo-of",
        "appt-cancel-confirm",
        "visit-safety-for",
        "visit-room-with",
        "visit-done-with",
        "checkin-done-text",
        "checkin-risk-next",
        "visit-measure-arrived",
        "visit-remote-video",
    ];

    #[test]
    fn spanish_never_puts_a_titled_name_straight_after_a_preposition() {
        let es = include_str!("../locales/es/main.ftl");
        for line in es.lines() {
            let text = line.split_once(" = ").map_or(line, |(_, t)| t).trim();
            for var in ["{ $clinician }", "{ $name }"] {
                for before in ["con ", "de ", " a ", "del ", "al "] {
                    let bad = format!("{before}{var}");
                    // Patients' names ("Desactivar a { $name }") carry no title: `$name` is
                    // held to this only where it names a clinician.
                    let about_clinician = var == "{ $clinician }" || CLINICIAN_NAMED.iter().any(|k| line.starts_with(&format!("{k} = ")));
                    assert!(!(about_clinician && text.contains(&bad)), "{line}");
                }
            }
            if line.contains(" = { $clinician }") {
                panic!("a bare titled subject: {line}");
            }
        }
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let text = translate(Language::Es, "welcome-user", &[("name", "Ana")]);
        assert!(text.contains("Ana"), "{text}");
        assert!(!text.contains('\u{2068}'));
    }

    #[test]
    fn counts_choose_their_plural_form() {
        assert_eq!(translate(Language::En, "series-book-free", &[("count", "1")]), "Book the free time");
        assert!(translate(Language::En, "series-book-free", &[("count", "4")]).contains("free times"));
        assert_eq!(translate(Language::Es, "series-book-free", &[("count", "1")]), "Reservar la hora libre");
    }
}
