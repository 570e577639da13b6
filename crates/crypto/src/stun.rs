//! Just enough STUN/TURN (RFC 5389, RFC 5766) for `haven check` to ask a TURN server for a
//! relay with Haven's credentials: an Allocate request, the long-term-credential
//! MESSAGE-INTEGRITY, and reading the answer. Pure encoding; the socket is the caller's.

use hmac::{Hmac, Mac};
use md5::{Digest as _, Md5};
use sha1::Sha1;

const MAGIC: u32 = 0x2112_A442;
pub const ALLOCATE: u16 = 0x0003;
pub const REFRESH: u16 = 0x0004;
const USERNAME: u16 = 0x0006;
const MESSAGE_INTEGRITY: u16 = 0x0008;
const ERROR_CODE: u16 = 0x0009;
const LIFETIME: u16 = 0x000D;
const REALM: u16 = 0x0014;
const NONCE: u16 = 0x0015;
const REQUESTED_TRANSPORT: u16 = 0x0019;
const UDP: u8 = 17;

/// The long-term credential a request is signed with.
pub struct Credential<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub realm: &'a [u8],
    pub nonce: &'a [u8],
}

fn attribute(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(value);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

fn set_length(message: &mut [u8], length: usize) {
    let length = u16::try_from(length).unwrap_or(u16::MAX).to_be_bytes();
    message[2..4].copy_from_slice(&length);
}

/// A request of `method` (Allocate for UDP, or Refresh with `lifetime`), signed when a
/// credential is given.
#[must_use]
#[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
pub fn request(method: u16, transaction: [u8; 12], credential: Option<&Credential<'_>>, lifetime: Option<u32>) -> Vec<u8> {
    let mut m = Vec::with_capacity(128);
    m.extend_from_slice(&method.to_be_bytes());
    m.extend_from_slice(&[0, 0]);
    m.extend_from_slice(&MAGIC.to_be_bytes());
    m.extend_from_slice(&transaction);
    if method == ALLOCATE {
        attribute(&mut m, REQUESTED_TRANSPORT, &[UDP, 0, 0, 0]);
    }
    if let Some(seconds) = lifetime {
        attribute(&mut m, LIFETIME, &seconds.to_be_bytes());
    }
    if let Some(c) = credential {
        attribute(&mut m, USERNAME, c.username.as_bytes());
        attribute(&mut m, REALM, c.realm);
        attribute(&mut m, NONCE, c.nonce);
        // The integrity covers the message with its length already counting the
        // MESSAGE-INTEGRITY attribute (4 + 20 bytes) that follows.
        let covered = m.len() - 20 + 24;
        set_length(&mut m, covered);
        let mut key = Md5::new();
        key.update(c.username.as_bytes());
        key.update(b":");
        key.update(c.realm);
        key.update(b":");
        key.update(c.password.as_bytes());
        let key = key.finalize();
        let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("HMAC takes any key length");
        mac.update(&m);
        let integrity = mac.finalize().into_bytes();
        attribute(&mut m, MESSAGE_INTEGRITY, &integrity);
    }
    let length = m.len() - 20;
    set_length(&mut m, length);
    m
}

/// What a TURN server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Success,
    /// An error with its code (401 unauthorized, 438 stale nonce…), realm and nonce.
    Error {
        code: u16,
        realm: Vec<u8>,
        nonce: Vec<u8>,
    },
}

/// Reads a response to the request with `transaction`; `None` if it isn't one.
#[must_use]
pub fn answer(message: &[u8], transaction: [u8; 12]) -> Option<Answer> {
    if message.len() < 20 || message[4..8] != MAGIC.to_be_bytes() || message[8..20] != transaction {
        return None;
    }
    let kind = u16::from_be_bytes([message[0], message[1]]);
    let class = kind & 0x0110;
    let mut realm = Vec::new();
    let mut nonce = Vec::new();
    let mut code = 0;
    let mut at = 20;
    while at + 4 <= message.len() {
        let t = u16::from_be_bytes([message[at], message[at + 1]]);
        let len = usize::from(u16::from_be_bytes([message[at + 2], message[at + 3]]));
        let value = message.get(at + 4..at + 4 + len)?;
        match t {
            REALM => realm = value.to_vec(),
            NONCE => nonce = value.to_vec(),
            ERROR_CODE if len >= 4 => code = u16::from(value[2] & 0x07) * 100 + u16::from(value[3]),
            _ => {}
        }
        at += 4 + len.div_ceil(4) * 4;
    }
    match class {
        0x0100 => Some(Answer::Success),
        0x0110 => Some(Answer::Error { code, realm, nonce }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_allocate_is_well_formed() {
        let m = request(ALLOCATE, [7; 12], None, None);
        assert_eq!(&m[0..2], &[0x00, 0x03]);
        assert_eq!(u16::from_be_bytes([m[2], m[3]]), 8);
        assert_eq!(m.len(), 28);
    }

    #[test]
    fn signed_request_ends_with_integrity() {
        let c = Credential { username: "1700000000:alice", password: "pw", realm: b"haven.test", nonce: b"abc" };
        let m = request(ALLOCATE, [1; 12], Some(&c), None);
        let length = usize::from(u16::from_be_bytes([m[2], m[3]]));
        assert_eq!(length + 20, m.len());
        assert_eq!(&m[m.len() - 24..m.len() - 20], &[0x00, 0x08, 0x00, 0x14]);
    }

    #[test]
    fn reads_an_error_with_realm_and_nonce() {
        let mut r = vec![0x01, 0x13, 0, 0];
        r.extend_from_slice(&MAGIC.to_be_bytes());
        r.extend_from_slice(&[9; 12]);
        attribute(&mut r, ERROR_CODE, &[0, 0, 4, 1, b'U']);
        attribute(&mut r, REALM, b"haven.test");
        attribute(&mut r, NONCE, b"n0nce");
        let len = r.len() - 20;
        set_length(&mut r, len);
        assert_eq!(answer(&r, [9; 12]), Some(Answer::Error { code: 401, realm: b"haven.test".to_vec(), nonce: b"n0nce".to_vec() }));
        assert_eq!(answer(&r, [8; 12]), None);
    }
}
