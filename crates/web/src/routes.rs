//! The router: every route Haven answers, and the layers around them.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::{assets, error, health, identity, metrics, pages, security};

/// Form posts are small; uploads (later) get their own, larger limit on their route.
const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::show))
        .route("/crisis", get(pages::crisis::show))
        .route("/home", get(pages::dashboard::show))
        .route("/language", post(pages::language::switch))
        .route("/sign-in", get(identity::sign_in::form).post(identity::sign_in::submit))
        .route("/sign-out", post(identity::sign_in::sign_out))
        .route("/static/{file}", get(assets::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route_layer(from_fn(metrics::track))
        .fallback(error::not_found)
        // Outermost last: headers are set on everything, including error pages.
        .layer(from_fn_with_state(state.clone(), health::database_gate))
        .layer(from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
        .with_state(state)
}
