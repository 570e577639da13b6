//! Short-lived TURN credentials (the "TURN REST API" scheme coturn implements with
//! `use-auth-secret`): Haven and coturn share a secret; Haven hands a signed-in visit
//! party `username = "<unix expiry>:<user id>"` and `credential = base64(HMAC-SHA1(secret,
//! username))`. coturn recomputes the credential and refuses it after the expiry, so a
//! leaked credential is worth a few hours of relaying at most, and no TURN account list
//! needs syncing.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnCredential {
    pub username: String,
    pub credential: String,
}

#[must_use]
#[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
pub fn turn_credential(secret: &str, user: &str, expires_unix: i64) -> TurnCredential {
    let username = format!("{expires_unix}:{user}");
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(username.as_bytes());
    let credential = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    TurnCredential { username, credential }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_coturns_recipe() {
        // Computed independently: printf '1700000000:alice' | openssl dgst -sha1 -hmac secret -binary | base64
        let c = turn_credential("secret", "alice", 1_700_000_000);
        assert_eq!(c.username, "1700000000:alice");
        assert_eq!(c.credential, "d8soP47RbdIKLDUOpnJPVQyq5Ts=");
    }
}
