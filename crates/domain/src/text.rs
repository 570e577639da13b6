//! Text that people type. A name, an address, a kind of visit is one line: a line break or
//! a control character in it is never meant, and where it is passed on (a mail, a calendar
//! file, a log) it can forge what follows — an extra attendee, a header. Longer text (a
//! bio, a message) may hold line breaks, but no other control characters.

/// Characters that end a line or control a terminal: what one line must not hold.
fn breaks_a_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Whether `text` is one line of printable text.
#[must_use]
pub fn is_one_line(text: &str) -> bool {
    !text.chars().any(breaks_a_line)
}

/// Whether `text` holds only printable text, tabs and line breaks.
#[must_use]
pub fn is_plain_text(text: &str) -> bool {
    !text.chars().any(|c| breaks_a_line(c) && !matches!(c, '\n' | '\r' | '\t'))
}

/// `text` trimmed, if it is one line of `min..=max` characters.
#[must_use]
pub fn one_line(text: &str, min: usize, max: usize) -> Option<String> {
    let text = text.trim();
    (is_one_line(text) && (min..=max).contains(&text.chars().count())).then(|| text.to_owned())
}

/// `text` made safe to place in one line of output (a mail, a calendar file): every line
/// break or control character becomes a space. For text stored before it was checked.
#[must_use]
pub fn flattened(text: &str) -> String {
    text.chars().map(|c| if breaks_a_line(c) { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_refuses_breaks_and_controls() {
        assert_eq!(one_line("  Dr. Maya Lee ", 1, 120).as_deref(), Some("Dr. Maya Lee"));
        for forged in ["Dr. Maya Lee\r\nATTENDEE:mailto:x@evil.example", "a\nb", "tab\there", "bell\u{7}", "del\u{7f}", "sep\u{2028}x", "nel\u{85}x"]
        {
            assert!(one_line(forged, 1, 120).is_none(), "{forged:?}");
            assert!(!flattened(forged).chars().any(breaks_a_line), "{forged:?}");
        }
        assert!(one_line("", 1, 120).is_none());
        assert!(one_line(&"x".repeat(121), 1, 120).is_none());
        assert!(one_line("José Ñúñez 李", 1, 120).is_some(), "any script is fine");
    }

    #[test]
    fn plain_text_keeps_line_breaks_only() {
        assert!(is_plain_text("Line one\r\nLine two\n\tindented"));
        assert!(!is_plain_text("escape \u{1b}[31m red"));
        assert!(!is_plain_text("nul \u{0}"));
    }
}
