//! Haven's web layer.
//!
//! Pages are rendered on the server and work without JavaScript; security headers, the
//! CSRF origin check, request metrics and the database-outage page wrap every route.
//! Code is grouped by feature (`identity/`, `pages/`) rather than by kind of file.

mod access;
mod api;
mod assets;
mod audit;
mod booking;
mod charts;
mod chrome;
mod config;
mod cookies;
mod error;
mod forms;
mod health;
mod i18n;
mod identity;
mod lang;
mod live;
mod mail_text;
mod messages;
pub mod visits;
mod metrics;
mod pages;
mod people;
mod routes;
mod schedule;
mod security;
mod state;
mod trail;

pub use config::{SessionPolicy, TurnConfig, WebConfig};
pub use health::{Health, spawn_health_monitor};
pub use live::spawn_signal_listener;
pub use i18n::{all_message_ids, translate};
pub use metrics::install_metrics_recorder;
pub use access::Access;
pub use routes::{RouteSpec, route_table, router};
pub use api::OPENAPI;
pub use state::{AppState, Services};
