//! What every service works with: the store, the clock, the vault, where links point, the
//! job queue and the live hub. Small and cheap to clone; no web types.

use std::net::IpAddr;
use std::sync::Arc;

use haven_crypto::Vault;
use haven_domain::Clock;
use haven_domain::audit::AuditEvent;
use haven_store::Store;
use jiff::Timestamp;

use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::Result;
use crate::jobs::Queue;
use crate::live::Hub;
use crate::settings_cache::SettingsCache;

#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<Vault>,
    pub links: Links,
    pub queue: Queue,
    pub hub: Arc<Hub>,
    pub settings: Arc<SettingsCache>,
}

/// Absolute links for mail and texts, from the configured public address.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    #[must_use]
    pub fn new(base: &str) -> Self {
        Self { base: base.trim_end_matches('/').to_owned() }
    }

    /// `path` under the public address: `https://care.example.org/appointments/…`.
    #[must_use]
    pub fn to(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Ctx {
    /// The practice's settings (kept for a few seconds; see `settings_cache`).
    pub async fn practice_settings(&self, practice: haven_domain::PracticeId) -> Result<haven_store::PracticeSettings> {
        self.settings.get(&self.store, practice).await
    }

    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The full audit event for `entry`, done by `actor` now, from their address.
    #[must_use]
    pub fn event(&self, actor: &Actor, entry: Entry) -> AuditEvent {
        self.event_from(actor.source, entry)
    }

    #[must_use]
    pub fn event_from(&self, source: IpAddr, entry: Entry) -> AuditEvent {
        entry.at(self.now(), Some(source.to_string()))
    }

    /// Writes one entry in its own transaction.
    pub async fn record(&self, actor: &Actor, entry: Entry) -> Result<()> {
        self.record_from(actor.source, entry).await
    }

    pub async fn record_from(&self, source: IpAddr, entry: Entry) -> Result<()> {
        self.store.append_audit(&self.event_from(source, entry)).await?;
        Ok(())
    }

    /// Writes several entries in one transaction (one disk sync, not one per entry).
    pub async fn record_all(&self, actor: &Actor, entries: Vec<Entry>) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let events: Vec<AuditEvent> = entries.into_iter().map(|e| self.event(actor, e)).collect();
        self.store.append_audits(&events).await?;
        Ok(())
    }

    /// Seals `plain` for storing at rest, bound to `aad` (the row it belongs to).
    #[must_use]
    pub fn seal(&self, aad: &str, plain: &[u8]) -> Vec<u8> {
        self.vault.seal(aad, plain)
    }

    pub fn open(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        Ok(self.vault.open(aad, sealed)?)
    }

    /// Opens sealed text.
    pub fn open_text(&self, aad: &str, sealed: &[u8]) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.open(aad, sealed)?).into_owned())
    }
}
