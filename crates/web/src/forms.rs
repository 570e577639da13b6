//! Small helpers shared by the pages that take new passwords.

use haven_crypto::breached;
use haven_domain::password::{PasswordProblem, check_new_password};

/// The Fluent id of what is wrong with a new password and its confirmation, if anything.
#[must_use]
pub fn new_password_problem(password: &str, confirm: &str) -> Option<&'static str> {
    if password != confirm {
        return Some("password-mismatch");
    }
    match check_new_password(password, breached::is_common) {
        Ok(()) => None,
        Err(PasswordProblem::TooShort) => Some("password-too-short"),
        Err(PasswordProblem::TooLong) => Some("password-too-long"),
        Err(PasswordProblem::Breached) => Some("password-breached"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_named() {
        assert_eq!(new_password_problem("a", "b"), Some("password-mismatch"));
        assert_eq!(new_password_problem("short", "short"), Some("password-too-short"));
        assert_eq!(new_password_problem("password1", "password1"), Some("password-breached"));
        assert_eq!(new_password_problem("lantern orchard quietly", "lantern orchard quietly"), None);
    }
}
