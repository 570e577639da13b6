//! A message's text and the client's idempotency key.

/// Long enough for a worried paragraph or two; a document belongs in an attachment.
pub const MAX_BODY_CHARS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    Empty,
    TooLong,
}

impl BodyProblem {
    #[must_use]
    pub fn message_key(self) -> &'static str {
        match self {
            BodyProblem::Empty => "message-error-empty",
            BodyProblem::TooLong => "message-error-long",
        }
    }
}

/// The text as stored: trimmed, with Windows line endings normalised. A message with an
/// attachment may have no text.
pub fn check_body(text: &str, has_attachment: bool) -> Result<String, BodyProblem> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() && !has_attachment {
        return Err(BodyProblem::Empty);
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return Err(BodyProblem::TooLong);
    }
    Ok(text.to_owned())
}

/// Client ids make a resend idempotent: 8–64 characters of letters, digits and dashes
/// (a UUID, typically).
#[must_use]
pub fn check_client_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(check_body("  hello\r\nthere  ", false), Ok("hello\nthere".into()));
        assert_eq!(check_body(" \n\t ", false), Err(BodyProblem::Empty));
        assert_eq!(check_body("", true), Ok(String::new()), "a file alone is a message");
        assert_eq!(check_body(&"é".repeat(MAX_BODY_CHARS), false).map(|b| b.chars().count()), Ok(MAX_BODY_CHARS));
        assert_eq!(check_body(&"a".repeat(MAX_BODY_CHARS + 1), false), Err(BodyProblem::TooLong));
    }

    #[test]
    fn client_ids_are_short_plain_tokens() {
        assert!(check_client_id("0190f1c2-7e1a-7b3c-9d2e-123456789abc"));
        assert!(!check_client_id("short"));
        assert!(!check_client_id("has space in it"));
        assert!(!check_client_id(&"a".repeat(65)));
    }
}
