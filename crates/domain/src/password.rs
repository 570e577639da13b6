//! Password rules (NIST SP 800-63B): length, not composition; never a commonly breached one.

/// Fewer than this and a password falls to guessing.
pub const MIN_CHARS: usize = 8;
/// Long passphrases are welcome; the cap only bounds the hashing work an attacker can cause.
pub const MAX_CHARS: usize = 128;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordProblem {
    #[error("the password needs at least {MIN_CHARS} characters")]
    TooShort,
    #[error("the password can be at most {MAX_CHARS} characters")]
    TooLong,
    #[error("that password is on a list of passwords known from data breaches")]
    Breached,
}

/// Checks a new password. `is_breached` answers whether it is on the breached list.
pub fn check_new_password(password: &str, is_breached: impl Fn(&str) -> bool) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if is_breached(&password.to_lowercase()) {
        return Err(PasswordProblem::Breached);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let never = |_: &str| false;
        assert_eq!(check_new_password("short", never), Err(PasswordProblem::TooShort));
        // Eight accented characters are sixteen bytes but eight characters: allowed.
        assert!(check_new_password("éééééééé", never).is_ok());
        assert!(check_new_password(&"x".repeat(64), never).is_ok());
        assert_eq!(check_new_password(&"x".repeat(129), never), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn breached_passwords_are_refused_whatever_their_case() {
        let list = |p: &str| p == "password1";
        assert_eq!(check_new_password("PassWord1", list), Err(PasswordProblem::Breached));
        assert!(check_new_password("correct horse battery", list).is_ok());
    }
}
