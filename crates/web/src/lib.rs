//! Haven's web layer: handlers (parse, authorize by route, call a service, render) and
//! templates. Pages are rendered on the server and work without JavaScript; security
//! headers, the CSRF origin check, request metrics and the database-outage page wrap every
//! route. The application's rules live in `haven_app`; code here is grouped by feature.

mod access;
mod api;
mod assets;
mod booking;
mod charts;
mod chrome;
mod config;
mod cookies;
mod db_health;
mod error;
mod error_pages;
mod fhir;
mod form;
mod health;
mod identity;
mod lang;
mod live;
mod measures;
mod messages;
mod metrics;
mod pages;
mod people;
mod render;
mod routes;
mod schedule;
mod security;
mod state;
mod trail;
mod visits;

pub use access::Access;
pub use api::OPENAPI;
pub use config::WebConfig;
pub use health::spawn_health_monitor;
pub use metrics::{install_metrics_recorder, private_router as metrics_router};
pub use routes::{RouteSpec, route_table, router};
pub use state::AppState;
