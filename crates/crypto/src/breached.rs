//! The bundled list of commonly used and breached passwords (see `data/README.md`).

static LIST: &str = include_str!("../data/common-passwords.txt");

/// True when `password` (compared lower-cased) is on the list. The list is sorted
/// byte-wise, so this is a binary search over its lines.
#[must_use]
pub fn is_common(password: &str) -> bool {
    use std::sync::OnceLock;
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let lines = LINES.get_or_init(|| LIST.lines().collect());
    lines.binary_search(&password.to_lowercase().as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_passwords_are_found_whatever_their_case() {
        for p in ["password", "12345678", "qwertyuiop", "iloveyou", "PassWord1"] {
            assert!(is_common(p), "{p}");
        }
        assert!(!is_common("lantern orchard quietly 42"));
    }

    #[test]
    fn the_list_is_sorted_so_binary_search_is_sound() {
        let lines: Vec<_> = LIST.lines().collect();
        assert!(lines.len() > 30_000);
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
    }
}
