use std::sync::{Arc, OnceLock};

use haven_crypto::{PasswordHasher, Vault};
use haven_domain::Clock;
use haven_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::Notify;

use crate::config::WebConfig;
use crate::health::Health;

/// Everything a request handler may use. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub config: WebConfig,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub health: Health,
    pub metrics: PrometheusHandle,
    /// Wakes this instance's mail sender when a message is queued.
    pub mail_wake: Arc<Notify>,
    /// Where links in emails point, e.g. `https://care.example.org`.
    pub base_url: String,
    /// Seals and opens data encrypted at rest.
    pub vault: Arc<Vault>,
    /// Open WebSockets, to close them when their session ends.
    pub hub: crate::live::Hub,
    /// The WebAuthn relying party; `None` when passkeys can't work at this address.
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    decoy_hash: OnceLock<String>,
}

/// What the web layer is built from.
pub struct Services {
    pub store: Store,
    pub config: WebConfig,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub metrics: PrometheusHandle,
    pub mail_wake: Arc<Notify>,
    pub base_url: String,
    pub vault: Arc<Vault>,
    /// The port Haven listens on (for passkeys at `http://localhost:<port>`).
    pub port: u16,
}

impl Inner {
    /// A hash verified against when an account doesn't exist, so that answer takes as long
    /// as a wrong password (no account enumeration by timing). Made on first use, not at
    /// start-up, where it would cost a whole password hash before the server is ready.
    /// CPU-heavy the first time: call from a blocking thread.
    pub fn decoy_hash(&self) -> String {
        self.decoy_hash.get_or_init(|| self.hasher.decoy().unwrap_or_default()).clone()
    }
}

impl AppState {
    #[must_use]
    pub fn new(services: Services) -> Self {
        let Services { store, config, clock, hasher, metrics, mail_wake, base_url, vault, port } = services;
        let webauthn = crate::identity::passkeys::relying_party(config.public_url.as_deref(), port).map(Arc::new);
        Self(Arc::new(Inner {
            store,
            config,
            clock,
            hasher,
            health: Health::default(),
            metrics,
            mail_wake,
            base_url: base_url.trim_end_matches('/').to_owned(),
            vault,
            hub: crate::live::Hub::default(),
            webauthn,
            decoy_hash: OnceLock::new(),
        }))
    }

    /// An absolute link for an email.
    #[must_use]
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
