//! Envelope encryption for data at rest.
//!
//! Clinical text, messages, attachments and MFA secrets are sealed with XChaCha20-Poly1305
//! under a data key; data keys are stored in the database wrapped by the key-encryption
//! key (KEK), which lives only in a file on the server. A copy of the database alone reveals
//! nothing. The caller names the row (`"users.totp_secret:<id>"`) as associated data, so a
//! sealed value moved to another row or column fails to open.
//!
//! Sealed format: version (1 byte) ‖ data-key id (16) ‖ nonce (24) ‖ ciphertext and tag.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const ID_LEN: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the key file {path} is readable by other users; run: chmod 600 {path}")]
    Permissions { path: String },
    #[error("the key file {path} can't be used: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("a data key doesn't open with this key file: is this the key file that belongs to this database?")]
    WrongKek,
    #[error("the value can't be decrypted (damaged, or moved from another record)")]
    Open,
    #[error("the value was sealed with an unknown data key")]
    UnknownKey,
}

/// The key-encryption key. `Debug` never shows it.
#[derive(Clone)]
pub struct Kek([u8; 32]);

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(<redacted>)")
    }
}

impl Kek {
    #[must_use]
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// A short fingerprint stored beside wrapped keys, so a mismatched key file is named
    /// as such instead of failing obscurely.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        crate::sha256_hex(&self.0)[..16].to_owned()
    }

    /// Reads the key file, refusing one that other users can read.
    pub fn load(path: &Path) -> Result<Self, VaultError> {
        let shown = path.display().to_string();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(path).map_err(|e| VaultError::KeyFile { path: shown.clone(), reason: e.to_string() })?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(VaultError::Permissions { path: shown });
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| VaultError::KeyFile { path: shown.clone(), reason: e.to_string() })?;
        let bytes = hex::decode(text.trim()).map_err(|_| VaultError::KeyFile { path: shown.clone(), reason: "not a hex key".into() })?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| VaultError::KeyFile { path: shown, reason: "the key must be 32 bytes (64 hex digits)".into() })?;
        Ok(Self(key))
    }

    /// Writes the key file with mode 0600, atomically (a temporary file, then a rename).
    pub fn save(&self, path: &Path) -> Result<(), VaultError> {
        let shown = path.display().to_string();
        let fail = |e: std::io::Error| VaultError::KeyFile { path: shown.clone(), reason: e.to_string() };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let tmp = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(fail)?;
        file.write_all(format!("{}\n", hex::encode(self.0)).as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)?;
        Ok(())
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }
}

/// A data key, unwrapped.
#[derive(Clone)]
pub struct DataKey {
    pub id: [u8; ID_LEN],
    key: [u8; 32],
}

impl DataKey {
    #[must_use]
    pub fn generate(id: [u8; ID_LEN]) -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self { id, key }
    }

    /// The data key sealed under the KEK, for the database.
    #[must_use]
    #[expect(clippy::expect_used, reason = "XChaCha20-Poly1305 encryption fails only past 256 GiB")]
    pub fn wrap(&self, kek: &Kek) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = wrap_aad(&self.id);
        let sealed = kek.cipher().encrypt(&nonce, Payload { msg: &self.key, aad: &aad }).expect("encrypting 32 bytes can't fail");
        [&nonce[..], &sealed].concat()
    }

    pub fn unwrap(id: [u8; ID_LEN], wrapped: &[u8], kek: &Kek) -> Result<Self, VaultError> {
        if wrapped.len() < NONCE_LEN {
            return Err(VaultError::WrongKek);
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_LEN);
        let nonce = nonce_from(nonce).ok_or(VaultError::WrongKek)?;
        let aad = wrap_aad(&id);
        let key = kek.cipher().decrypt(&nonce, Payload { msg: sealed, aad: &aad }).map_err(|_| VaultError::WrongKek)?;
        Ok(Self { id, key: key.try_into().map_err(|_| VaultError::WrongKek)? })
    }
}

fn nonce_from(bytes: &[u8]) -> Option<XNonce> {
    let array: [u8; NONCE_LEN] = bytes.try_into().ok()?;
    Some(XNonce::from(array))
}

fn wrap_aad(id: &[u8; ID_LEN]) -> Vec<u8> {
    [b"haven data key ".as_slice(), id].concat()
}

/// Seals and opens values with the data keys. Cheap to share (`Arc`).
pub struct Vault {
    current: DataKey,
    keys: HashMap<[u8; ID_LEN], DataKey>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({} data keys)", self.keys.len())
    }
}

impl Vault {
    /// `keys` must not be empty; the first seals new values, all of them open old ones.
    #[must_use]
    #[expect(clippy::expect_used, reason = "Haven always loads at least one data key before building a vault")]
    pub fn new(keys: Vec<DataKey>) -> Self {
        let current = keys.first().cloned().expect("a vault needs a data key");
        Self { current, keys: keys.into_iter().map(|k| (k.id, k)).collect() }
    }

    #[must_use]
    #[expect(clippy::expect_used, reason = "XChaCha20-Poly1305 encryption fails only past 256 GiB")]
    pub fn seal(&self, aad: &str, plaintext: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let cipher = XChaCha20Poly1305::new((&self.current.key).into());
        let sealed = cipher.encrypt(&nonce, Payload { msg: plaintext, aad: aad.as_bytes() }).expect("encryption can't fail");
        [&[VERSION][..], &self.current.id, &nonce[..], &sealed].concat()
    }

    pub fn open(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, VaultError> {
        if sealed.len() < 1 + ID_LEN + NONCE_LEN || sealed[0] != VERSION {
            return Err(VaultError::Open);
        }
        let id: [u8; ID_LEN] = sealed[1..=ID_LEN].try_into().map_err(|_| VaultError::Open)?;
        let key = self.keys.get(&id).ok_or(VaultError::UnknownKey)?;
        let nonce = nonce_from(&sealed[1 + ID_LEN..1 + ID_LEN + NONCE_LEN]).ok_or(VaultError::Open)?;
        XChaCha20Poly1305::new((&key.key).into())
            .decrypt(&nonce, Payload { msg: &sealed[1 + ID_LEN + NONCE_LEN..], aad: aad.as_bytes() })
            .map_err(|_| VaultError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> (Kek, Vault, Vec<u8>) {
        let kek = Kek::generate();
        let dek = DataKey::generate([7; 16]);
        let wrapped = dek.wrap(&kek);
        let unwrapped = DataKey::unwrap([7; 16], &wrapped, &kek).unwrap();
        (kek, Vault::new(vec![unwrapped]), wrapped)
    }

    #[test]
    fn seals_and_opens_only_for_the_same_row() {
        let (_, vault, _) = vault();
        let sealed = vault.seal("notes.body:1", b"felt better this week");
        assert!(!sealed.windows(6).any(|w| w == b"better"), "ciphertext hides the text");
        assert_eq!(vault.open("notes.body:1", &sealed).unwrap(), b"felt better this week");
        assert!(matches!(vault.open("notes.body:2", &sealed), Err(VaultError::Open)), "moved to another row");
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(vault.open("notes.body:1", &flipped).is_err(), "tampered");
        assert_ne!(vault.seal("x", b"same"), vault.seal("x", b"same"), "fresh nonce each time");
    }

    #[test]
    fn data_keys_need_the_right_kek() {
        let (_, _, wrapped) = vault();
        assert!(matches!(DataKey::unwrap([7; 16], &wrapped, &Kek::generate()), Err(VaultError::WrongKek)));
    }

    #[test]
    fn key_files_are_private_and_round_trip() {
        let dir = std::env::temp_dir().join(format!("haven-kek-{}", std::process::id()));
        let path = dir.join("haven.kek");
        let kek = Kek::generate();
        kek.save(&path).unwrap();
        assert_eq!(Kek::load(&path).unwrap().fingerprint(), kek.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(Kek::load(&path), Err(VaultError::Permissions { .. })));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
