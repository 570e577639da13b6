//! Argon2id password hashes in PHC string form (parameters travel with each hash, so the
//! cost can be raised later without invalidating existing passwords).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

/// The work one hash costs. The default is chosen so one hash takes 50–250 ms on a
/// 2-core server: slow for an attacker with a stolen database, quick enough for sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl HashCost {
    /// 64 MiB, 3 passes, one lane.
    pub const STANDARD: HashCost = HashCost { memory_kib: 64 * 1024, iterations: 3 };
    /// The lowest cost Haven accepts (OWASP's floor for Argon2id with one pass more).
    pub const MINIMUM: HashCost = HashCost { memory_kib: 8 * 1024, iterations: 1 };
}

impl Default for HashCost {
    fn default() -> Self {
        Self::STANDARD
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("the password hash parameters are out of range: {0}")]
    Params(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

#[derive(Clone)]
pub struct PasswordHasher {
    argon: Argon2<'static>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHasher(argon2id)")
    }
}

impl PasswordHasher {
    pub fn new(cost: HashCost) -> Result<Self, HashError> {
        let params = Params::new(cost.memory_kib, cost.iterations, 1, None).map_err(|e| HashError::Params(e.to_string()))?;
        Ok(Self { argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params) })
    }

    /// Hashes with a fresh random salt. CPU-heavy: call from a blocking thread.
    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        self.argon.hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError::Hash(e.to_string()))
    }

    /// True when `password` matches `phc`. A malformed stored hash never matches.
    #[must_use]
    pub fn verify(&self, password: &str, phc: &str) -> bool {
        PasswordHash::new(phc).is_ok_and(|parsed| self.argon.verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// A hash of nothing anyone knows, verified against when an account doesn't exist so
    /// that "no such account" takes as long as "wrong password".
    pub fn decoy(&self) -> Result<String, HashError> {
        self.hash(&crate::SecretToken::generate().reveal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let hasher = PasswordHasher::new(HashCost::MINIMUM).unwrap();
        let a = hasher.hash("correct horse battery staple").unwrap();
        let b = hasher.hash("correct horse battery staple").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"), "{a}");
        assert_ne!(a, b);
        assert!(hasher.verify("correct horse battery staple", &a));
        assert!(!hasher.verify("correct horse battery stapler", &a));
        assert!(!hasher.verify("anything", "not a phc string"));
    }

    #[test]
    fn verification_uses_the_cost_stored_in_the_hash() {
        let cheap = PasswordHasher::new(HashCost::MINIMUM).unwrap();
        let stored = cheap.hash("passphrase one").unwrap();
        let standard = PasswordHasher::new(HashCost { memory_kib: 16 * 1024, iterations: 2 }).unwrap();
        assert!(standard.verify("passphrase one", &stored));
    }
}
