use std::sync::Arc;

use haven_crypto::PasswordHasher;
use haven_domain::Clock;
use haven_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

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
    /// Verified against when an account doesn't exist, so that answer takes as long as a
    /// wrong password (no account enumeration by timing).
    pub decoy_hash: String,
}

impl AppState {
    #[must_use]
    pub fn new(
        store: Store,
        config: WebConfig,
        clock: Arc<dyn Clock>,
        hasher: PasswordHasher,
        metrics: PrometheusHandle,
    ) -> Self {
        let decoy_hash = hasher.decoy().unwrap_or_default();
        Self(Arc::new(Inner { store, config, clock, hasher, health: Health::default(), metrics, decoy_hash }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
