//! Unguessable bearer secrets (session cookies, invitation and reset links).
//!
//! Only a SHA-256 digest of a token is stored, so a copy of the database can't be used to
//! take over sessions or accept invitations.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// 256 random bits, base64url without padding. `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    #[must_use]
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wraps a token that arrived from a client; shape is checked so junk never reaches SQL.
    #[must_use]
    pub fn from_client(raw: &str) -> Option<Self> {
        let ok = raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(raw.to_owned()))
    }

    /// The value to hand to the client (cookie, link). Never log it.
    #[must_use]
    pub fn reveal(&self) -> String {
        self.0.clone()
    }

    /// What the database keeps.
    #[must_use]
    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_well_formed_and_hidden() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(SecretToken::from_client(&a.reveal()), Some(a.clone()));
        assert!(SecretToken::from_client("short").is_none());
        assert!(SecretToken::from_client(&format!("{}'", &a.reveal()[..42])).is_none());
        assert!(!format!("{a:?}").contains(&a.reveal()));
        assert_eq!(a.digest().len(), 64);
        assert_ne!(a.digest(), a.reveal());
    }
}

/// A random one-time password a person can type: three groups of five characters from an
/// alphabet without look-alikes (no 0/o, 1/l/i), about 73 bits.
#[must_use]
pub fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..3)
        .map(|_| (0..5).map(|_| ALPHABET[rand::Rng::random_range(&mut rng, 0..ALPHABET.len())] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod readable_tests {
    #[test]
    fn readable_passwords_are_long_enough_and_vary() {
        let a = super::readable_password();
        assert_eq!(a.len(), 17);
        assert_ne!(a, super::readable_password());
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_lowercase() || c.is_ascii_digit()));
    }
}
