//! What every request handler may use: the application's services, the web layer's own
//! settings, the database's health as last seen, and the metrics handle.

use std::sync::Arc;

use haven_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::config::WebConfig;
use crate::db_health::Health;

/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub app: App,
    pub config: WebConfig,
    pub health: Health,
    pub metrics: PrometheusHandle,
}

impl AppState {
    #[must_use]
    pub fn new(app: App, config: WebConfig, metrics: PrometheusHandle) -> Self {
        Self(Arc::new(Inner { app, config, health: Health::default(), metrics }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
