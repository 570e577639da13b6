//! The built-in instruments, read once from their JSON files (compiled in).

use std::sync::LazyLock;

use super::instrument::Instrument;

const FILES: [&str; 5] = [
    include_str!("../../instruments/phq9.json"),
    include_str!("../../instruments/gad7.json"),
    include_str!("../../instruments/cssrs.json"),
    include_str!("../../instruments/pcl5.json"),
    include_str!("../../instruments/who5.json"),
];

static BUILTINS: LazyLock<Vec<Instrument>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|text| {
            // The files ship inside the binary and are checked by a unit test: a broken one
            // is a build mistake, never a runtime input.
            #[allow(clippy::expect_used)]
            let instrument: Instrument = serde_json::from_str(text).expect("a built-in instrument's JSON is well formed");
            instrument
        })
        .collect()
});

/// Every built-in instrument, PHQ-9 first.
#[must_use]
pub fn builtins() -> &'static [Instrument] {
    &BUILTINS
}

/// The built-in instrument with this key (`phq9`, `gad7`, `cssrs`, `pcl5`, `who5`).
#[must_use]
pub fn builtin(key: &str) -> Option<&'static Instrument> {
    BUILTINS.iter().find(|i| i.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_is_whole_and_has_both_languages() {
        assert_eq!(builtins().len(), 5);
        for i in builtins() {
            i.check().unwrap_or_else(|e| panic!("{}: {e}", i.key));
            for item in &i.items {
                assert!(!item.text.en.trim().is_empty() && !item.text.es.trim().is_empty(), "{} item {} in both languages", i.key, item.id);
                for o in i.options_of(item) {
                    assert!(!o.label.es.trim().is_empty(), "{} option {} in Spanish", i.key, o.value);
                }
            }
        }
    }

    #[test]
    fn item_counts_and_ranges_are_the_published_ones() {
        let scored = |k: &str| builtin(k).unwrap().items.iter().filter(|i| i.scored).count();
        assert_eq!((scored("phq9"), scored("gad7"), scored("pcl5"), scored("who5"), scored("cssrs")), (9, 7, 20, 5, 0));
        let max = |k: &str| builtin(k).unwrap().max_total();
        assert_eq!((max("phq9"), max("gad7"), max("pcl5"), max("who5"), max("cssrs")), (Some(27), Some(21), Some(80), Some(100), None));
        assert_eq!(builtin("phq9").unwrap().loinc.total.as_deref(), Some("44261-6"));
        assert_eq!(builtin("gad7").unwrap().loinc.total.as_deref(), Some("70274-6"));
    }
}
