//! The key file and the vault: opening them at start-up, and rotating the key.
//!
//! Rotation writes the new key beside the old one first (`haven.kek.new`), then re-wraps
//! every data key in one transaction, then renames the new file over the old. If it stops
//! half-way, the next start finds the `.new` file, sees that the database already uses it,
//! and finishes the rename.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use haven_crypto::{DataKey, Kek, Vault};
use haven_store::{Store, WrappedKey};

use crate::config::Config;

#[must_use]
pub fn key_file(config: &Config) -> PathBuf {
    config.key_file.clone().unwrap_or_else(|| config.data_dir.join("keys").join("haven.kek"))
}

fn pending_path(path: &Path) -> PathBuf {
    path.with_extension("kek.new")
}

fn unwrap_all(keys: &[WrappedKey], kek: &Kek) -> Option<Vec<DataKey>> {
    keys.iter().map(|k| DataKey::unwrap(k.id.clone().try_into().ok()?, &k.wrapped, kek).ok()).collect()
}

/// Opens (on first start: creates) the key file and the database's data keys.
pub async fn open_vault(config: &Config, store: &Store) -> anyhow::Result<Vault> {
    let path = key_file(config);
    let mut keys = store.data_keys().await?;
    let kek = if path.exists() {
        Kek::load(&path)?
    } else if keys.is_empty() {
        let kek = Kek::generate();
        kek.save(&path)?;
        tracing::info!(path = %path.display(), "created the key file: back it up, and keep it apart from database backups");
        kek
    } else {
        bail!("the key file {} is missing, but the database holds data sealed with it; restore the key file from your backup", path.display());
    };
    if keys.is_empty() {
        let dek = DataKey::generate(*uuid_bytes().as_bytes());
        let first = WrappedKey { generation: 1, id: dek.id.to_vec(), wrapped: dek.wrap(&kek), kek_fingerprint: kek.fingerprint() };
        store.ensure_first_data_key(&first, jiff::Timestamp::now()).await?;
        keys = store.data_keys().await?;
    }
    if let Some(unwrapped) = unwrap_all(&keys, &kek) {
        return Ok(Vault::new(unwrapped));
    }
    // A rotation that stopped after the database switched keys but before the rename.
    let pending = pending_path(&path);
    if pending.exists() {
        let new = Kek::load(&pending)?;
        if let Some(unwrapped) = unwrap_all(&keys, &new) {
            std::fs::rename(&pending, &path).with_context(|| format!("finishing the key rotation: renaming {}", pending.display()))?;
            tracing::info!("finished an interrupted key rotation");
            return Ok(Vault::new(unwrapped));
        }
    }
    Err(anyhow!(
        "the key file {} does not open this database's data keys (it is fingerprint {}, the database expects {}); use the key file that belongs to this database",
        path.display(),
        kek.fingerprint(),
        keys.first().map_or("?", |k| k.kek_fingerprint.as_str())
    ))
}

fn uuid_bytes() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Re-wraps every data key under a new key-encryption key and replaces the key file.
pub async fn rotate(config: &Config, store: &Store) -> anyhow::Result<String> {
    let path = key_file(config);
    let old = Kek::load(&path)?;
    let keys = store.data_keys().await?;
    let unwrapped = unwrap_all(&keys, &old).ok_or_else(|| anyhow!("the key file doesn't open this database's data keys"))?;
    let new = Kek::generate();
    let pending = pending_path(&path);
    new.save(&pending)?;
    let rewrapped: Vec<WrappedKey> = keys
        .iter()
        .zip(&unwrapped)
        .map(|(k, dek)| WrappedKey { generation: k.generation, id: k.id.clone(), wrapped: dek.wrap(&new), kek_fingerprint: new.fingerprint() })
        .collect();
    store.rewrap_data_keys(&rewrapped).await?;
    std::fs::rename(&pending, &path).with_context(|| format!("renaming {} to {}", pending.display(), path.display()))?;
    Ok(new.fingerprint())
}

/// For `haven check`: does the key file open the database's data keys? Creates nothing.
pub async fn verify(config: &Config, store: &Store) -> anyhow::Result<String> {
    let path = key_file(config);
    let keys = store.data_keys().await?;
    if keys.is_empty() {
        return Ok("no data keys yet: the key file is created on first start".into());
    }
    let kek = Kek::load(&path)?;
    match unwrap_all(&keys, &kek) {
        Some(_) => Ok(format!("the key file {} opens the database's {} data key(s)", path.display(), keys.len())),
        None => bail!("the key file {} does not open this database's data keys", path.display()),
    }
}
