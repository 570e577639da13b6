//! A database outage while Haven runs (PostgreSQL behind a TCP proxy the test cuts):
//! readiness turns 503, pages answer with a friendly translated 503, the crisis page keeps
//! working, and service resumes by itself when the database is back.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::proxy::TcpProxy;
use crate::support::{Backend, TestDb, TestServer};

/// The host and port of the test PostgreSQL server.
fn pg_addr(url: &str) -> SocketAddr {
    let after_at = url.split('@').nth(1).unwrap_or(url.trim_start_matches("postgres://"));
    let host_port = after_at.split('/').next().unwrap();
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    let host_port = host_port.replace("localhost", "127.0.0.1");
    host_port.parse().unwrap()
}

async fn eventually(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: not within {limit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_outage_and_recovery() {
    let db = TestDb::new(Backend::Postgres).await;
    let proxy = TcpProxy::start(pg_addr(&db.url)).await;
    let proxied_url = {
        let (scheme_user, rest) = db.url.split_once('@').unwrap();
        let path = rest.split_once('/').map(|(_, p)| p).unwrap();
        format!("{scheme_user}@{}/{path}", proxy.addr)
    };
    let server = TestServer::start_with(Backend::Sqlite, |config| config.database_url = Some(haven::config::Secret::new(proxied_url)), None).await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = &accounts[0];
    server.sign_in(email, password).await;
    assert_eq!(server.get("/home").await.status(), StatusCode::OK);

    proxy.cut();

    eventually("readiness turns 503", Duration::from_secs(10), async || server.get("/readyz").await.status() == StatusCode::SERVICE_UNAVAILABLE)
        .await;

    // A visitor whose browser asks for Spanish (the signed-in browser has an English cookie).
    let visitor = server.new_browser();
    for path in ["/", "/home", "/sign-in"] {
        let response = visitor.client.get(visitor.at(path)).header("accept-language", "es").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(response.headers()["retry-after"], "5", "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Haven no está disponible por un momento"), "{path}: translated 503 page");
        assert!(html.contains("href=\"/crisis\""), "{path}: crisis link on the outage page");
    }
    let (status, html) = server.get_text("/home").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(html.contains("Haven is briefly unavailable"), "English for the English-speaking browser");
    let started = Instant::now();
    let (status, html) = server.get_text("/crisis").await;
    assert_eq!(status, StatusCode::OK, "the crisis page works during the outage");
    assert!(html.contains("tel:988") && html.contains("tel:911"));
    assert!(started.elapsed() < Duration::from_secs(1), "the crisis page doesn't wait on the database");
    assert_eq!(server.get("/healthz").await.status(), StatusCode::OK, "alive though not ready");

    proxy.restore();

    eventually("readiness recovers", Duration::from_secs(15), async || server.get("/readyz").await.status() == StatusCode::OK).await;
    eventually("pages recover", Duration::from_secs(10), async || server.get("/home").await.status() == StatusCode::OK).await;
    let (_, html) = server.get_text("/home").await;
    assert!(html.contains("Welcome,"), "the session survived the outage");
    server.stop().await;
    drop(db);
}
