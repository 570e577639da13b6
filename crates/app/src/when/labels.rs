//! Dates and times as people read them, by ICU4X (CLDR data compiled in): in the reader's
//! language and regional conventions, in the reader's zone, with the zone named.
//! "Wed, Dec 2, 11:00 AM CST" / "mié, 2 de dic, 11:00 a.m. CST". Formatters are built once per
//! language: building one reads its patterns, formatting with it is cheap.

use std::sync::LazyLock;

use haven_domain::Language;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{self, zone};
use icu_datetime::options::TimePrecision;
use icu_locale_core::{Locale, locale};
use jiff::Zoned;
use jiff::civil::Date;

type Formatter<F> = DateTimeFormatter<F>;
type WhenShort = fieldsets::Combo<fieldsets::MDET, zone::SpecificShort>;
type WhenYear = fieldsets::Combo<fieldsets::YMDET, zone::SpecificShort>;

/// The CLDR locale for each of Haven's languages: US conventions, as the practices are in the
/// US; es-US also names US zones ("CST"), where plain "es" would write "GMT-6".
fn locale_of(lang: Language) -> Locale {
    match lang {
        Language::En => locale!("en-US"),
        Language::Es => locale!("es-US"),
    }
}

/// One formatter per language, built on first use.
struct PerLanguage<F> {
    en: F,
    es: F,
}

impl<F> PerLanguage<F> {
    fn get(&self, lang: Language) -> &F {
        match lang {
            Language::En => &self.en,
            Language::Es => &self.es,
        }
    }
}

fn build<F>(make: impl Fn(Locale) -> Option<F>, what: &str) -> PerLanguage<F> {
    // Compiled data covers both locales and every field set used here, so building can only
    // fail if that data were missing from the binary: a build defect, found by the tests.
    let one = |lang| make(locale_of(lang)).unwrap_or_else(|| panic!("ICU data for {what} is compiled in"));
    PerLanguage { en: one(Language::En), es: one(Language::Es) }
}

static WHEN: LazyLock<PerLanguage<Formatter<WhenShort>>> = LazyLock::new(|| {
    build(
        |l| Formatter::try_new(l.into(), fieldsets::MDET::medium().with_time_precision(TimePrecision::Minute).with_zone(zone::SpecificShort)).ok(),
        "dates with times",
    )
});
static WHEN_YEAR: LazyLock<PerLanguage<Formatter<WhenYear>>> = LazyLock::new(|| {
    build(
        |l| Formatter::try_new(l.into(), fieldsets::YMDET::medium().with_time_precision(TimePrecision::Minute).with_zone(zone::SpecificShort)).ok(),
        "dates with years",
    )
});
static STAMP: LazyLock<PerLanguage<Formatter<WhenYear>>> = LazyLock::new(|| {
    build(
        |l| Formatter::try_new(l.into(), fieldsets::YMDET::medium().with_time_precision(TimePrecision::Second).with_zone(zone::SpecificShort)).ok(),
        "records",
    )
});
static TIME: LazyLock<PerLanguage<Formatter<fieldsets::T>>> =
    LazyLock::new(|| build(|l| Formatter::try_new(l.into(), fieldsets::T::short().with_time_precision(TimePrecision::Minute)).ok(), "times"));
static DAY: LazyLock<PerLanguage<Formatter<fieldsets::MDE>>> =
    LazyLock::new(|| build(|l| Formatter::try_new(l.into(), fieldsets::MDE::long()).ok(), "days"));

/// CLDR puts a narrow no-break space before "AM"; browsers' own `Intl` (V8 keeps it, for
/// the web's sake) write a plain space. Haven writes what the pages' scripts write, so a time
/// rendered live reads exactly like one rendered here.
fn plain(text: impl std::fmt::Display) -> String {
    text.to_string().replace('\u{202f}', " ")
}

/// "Wed, Dec 2, 11:00 AM CST"; with the year when it isn't `this_year`.
pub(super) fn when(lang: Language, local: &Zoned, this_year: i16) -> String {
    if local.year() == this_year { plain(WHEN.get(lang).format(local)) } else { plain(WHEN_YEAR.get(lang).format(local)) }
}

/// "Dec 2, 2026, 11:00:05 AM CST": a record's moment, to the second, with its year.
pub(super) fn stamp(lang: Language, local: &Zoned) -> String {
    plain(STAMP.get(lang).format(local))
}

/// "11:00 AM" / "11:00".
pub(super) fn time(lang: Language, local: &Zoned) -> String {
    plain(TIME.get(lang).format(&local.time()))
}

/// "Wednesday, December 2" / "miércoles, 2 de diciembre".
pub(super) fn day(lang: Language, date: Date) -> String {
    plain(DAY.get(lang).format(&date))
}
