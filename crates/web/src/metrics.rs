//! Prometheus metrics: requests and latencies by route, database pool, build info.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::error::AppError;
use crate::state::AppState;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Installs the process-wide recorder once (several servers in one test process share it).
#[expect(clippy::expect_used, reason = "the buckets are a non-empty constant")]
pub fn install_metrics_recorder() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .expect("latency buckets are not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder was installed first; then ours stays unused.
            let _ = metrics::set_global_recorder(recorder);
            metrics::describe_counter!("haven_http_requests_total", "HTTP requests answered, by route and status");
            metrics::describe_histogram!("haven_http_request_duration_seconds", "Time to answer, by route");
            handle
        })
        .clone()
}

/// Records each matched request. Routes are labelled by their pattern (`/static/{file}`),
/// never the concrete path, so no id or token reaches the metrics.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    let elapsed = start.elapsed();
    let code = response.status().as_u16();
    // An access log by route pattern: never the concrete path, query, cookies or body.
    if code >= 500 {
        tracing::warn!(%method, %route, status = code, ms = elapsed.as_millis(), "request failed");
    } else {
        tracing::debug!(%method, %route, status = code, ms = elapsed.as_millis(), "request");
    }
    let status = code.to_string();
    metrics::counter!("haven_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("haven_http_request_duration_seconds", "method" => method, "route" => route).record(elapsed.as_secs_f64());
    response
}

/// `/metrics` on the public listener: only with the configured bearer token; without one
/// configured, as if it didn't exist (the operator may serve it on a separate address).
pub async fn public(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return AppError::NotFound.into_response();
    };
    let given = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
    // Digests compared, not the token: how long the comparison takes says nothing of it.
    if haven_crypto::sha256_hex(given.as_bytes()) != haven_crypto::sha256_hex(token.as_bytes()) {
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"metrics\""));
        return response;
    }
    render(State(state)).await
}

/// A router serving only `/metrics`, unauthenticated, for a private listen address.
pub fn private_router(state: AppState) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(render)).with_state(state)
}

pub async fn render(State(state): State<AppState>) -> Response {
    let store = &state.app.cx.store;
    let pool = store.pool_stats();
    let backend = store.backend().name();
    metrics::gauge!("haven_db_pool_connections", "backend" => backend).set(f64::from(pool.size));
    metrics::gauge!("haven_db_pool_idle_connections", "backend" => backend).set(pool.idle as f64);
    metrics::gauge!("haven_websockets_open").set(state.app.cx.hub.count() as f64);
    if let Ok(queue) = store.queue_stats(state.app.cx.now()).await {
        metrics::gauge!("haven_jobs_pending").set(queue.pending as f64);
        metrics::gauge!("haven_jobs_failed").set(queue.failed as f64);
        let overdue = queue.oldest_due.map_or(0.0, |due| state.app.cx.now().duration_since(due).as_secs_f64().max(0.0));
        metrics::gauge!("haven_jobs_oldest_overdue_seconds").set(overdue);
    }
    metrics::gauge!("haven_db_up").set(if state.health.db_up() { 1.0 } else { 0.0 });
    metrics::gauge!("haven_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    ([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render()).into_response()
}
