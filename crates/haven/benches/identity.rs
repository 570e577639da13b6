//! Identity benchmark: how long one password hash takes with the standard Argon2id cost,
//! how many sign-ins per second a server sustains with it, and what the authorization and
//! audit layer costs on a patient-data request.
//!
//! The layer's cost is measured directly: the same queries and the audit append that
//! the layer performs for `GET /patients/{id}`, timed against the store in-process, next to
//! the whole request's latency over HTTP. The difference is what the route would cost
//! without the layer.
//!
//! Last, authenticated pages at speed: `wrk -c16` against the patient start page `/home`
//! (a session cookie, the page's queries, a rendered template) and against `/healthz` on the
//! same server in the same run, with the ratio of the two rates (target: at least 0.3).
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use haven::config::Config;
use haven_crypto::{HashCost, PasswordHasher, SecretToken};
use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_domain::{Language, Role, SystemClock};
use haven_store::NewSession;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p95(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("Haven identity benchmark ({cores} cores)");

    // 1. One hash at the standard cost.
    let cost = HashCost::STANDARD;
    let hasher = PasswordHasher::new(cost).map_err(|e| anyhow::anyhow!("{e}"))?;
    let times: Vec<Duration> = (0..9)
        .map(|_| {
            let start = Instant::now();
            hasher.hash("a long enough passphrase").unwrap();
            start.elapsed()
        })
        .collect();
    let hash_ms = median(times).as_secs_f64() * 1000.0;
    println!(
        "  argon2id m={} KiB, t={}, p=1: {hash_ms:.0} ms per hash (median of 9; target 50-250 ms){}",
        cost.memory_kib,
        cost.iterations,
        if (50.0..=250.0).contains(&hash_ms) { "  ok" } else { "  OUT OF RANGE" }
    );

    // 2. A real server on SQLite with the standard cost.
    let dir = std::env::temp_dir().join(format!("haven-bench-identity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config =
        Config { listen: "127.0.0.1:0".parse()?, data_dir: dir.clone(), require_staff_mfa: false, log_level: "error".into(), ..Config::default() };
    let running = haven::start(&config, Arc::new(SystemClock)).await?;
    let url = running.url();
    let store = running.store.clone();
    haven::admin::create_practice(&store, "bench", "Bench Practice").await?;
    let account = |email: &str, role: Role| haven::admin::NewAccount {
        email: email.into(),
        name: email.into(),
        practice: "bench".into(),
        roles: vec![role],
        language: Language::En,
        password: Some("bench pass phrase".into()),
    };
    let (patient, _) = haven::admin::create_user(&store, &hasher, account("patient@bench.example", Role::Patient)).await?;
    let (clinician, _) = haven::admin::create_user(&store, &hasher, account("clinician@bench.example", Role::Clinician)).await?;
    let practice = store.practice_by_slug("bench").await?.unwrap().id;
    store.assign_care_team(practice, patient, clinician, jiff::Timestamp::now()).await?;

    // Sign-ins per second: as many concurrent clients as cores, for five seconds.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..cores.max(2) {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().default_headers(same_origin()).redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let mut done = 0u32;
            while Instant::now() < deadline {
                let r = client
                    .post(format!("{url}/sign-in"))
                    .form(&[("email", "patient@bench.example"), ("password", "bench pass phrase")])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 303);
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    println!("  sign-ins: {:.1} per second ({total} in 5 s, {} concurrent clients)", f64::from(total) / 5.0, cores.max(2));

    // 3. The authorization + audit layer on GET /patients/{id}.
    let client = reqwest::Client::builder().default_headers(same_origin()).cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let r = client.post(format!("{url}/sign-in")).form(&[("email", "clinician@bench.example"), ("password", "bench pass phrase")]).send().await?;
    assert_eq!(r.status(), 303);
    let chart = format!("{url}/patients/{patient}");
    for _ in 0..50 {
        client.get(&chart).send().await?;
    }
    let mut full = Vec::new();
    for _ in 0..500 {
        let start = Instant::now();
        let r = client.get(&chart).send().await?;
        assert_eq!(r.status(), 200);
        r.bytes().await?;
        full.push(start.elapsed());
    }

    // What the layer does for that request, step by step, against the same store.
    let token = SecretToken::generate();
    let now = jiff::Timestamp::now();
    store
        .create_session(&NewSession {
            token_hash: token.digest(),
            user: clinician,
            now,
            expires_at: now.checked_add(jiff::SignedDuration::from_hours(1))?,
        })
        .await?;
    let mut layer = Vec::new();
    for _ in 0..500 {
        let start = Instant::now();
        let session = store.session_by_token(&token.digest(), jiff::Timestamp::now()).await?.unwrap();
        let viewer = store.user(session.user).await?.unwrap();
        let _ = viewer.has_role(Role::Clinician);
        let target = store.user(patient).await?.unwrap();
        let _ = store.is_on_care_team(target.id, viewer.id).await?;
        let _ = store.live_break_glass(viewer.id, target.id, jiff::Timestamp::now()).await?;
        let _ = store.is_break_glass_designee(practice, viewer.id).await?;
        store
            .append_audit(&AuditEvent {
                at: jiff::Timestamp::now(),
                actor: Some(viewer.id),
                practice: Some(practice),
                patient: Some(target.id),
                action: AuditAction::Read,
                category: DataCategory::Clinical,
                source: Some("127.0.0.1".into()),
                outcome: Outcome::Success,
            })
            .await?;
        layer.push(start.elapsed());
    }
    let (full_med, layer_med) = (median(full.clone()), median(layer.clone()));
    let without = full_med.saturating_sub(layer_med);
    println!(
        "  GET /patients/{{id}}: {:.2} ms median, {:.2} ms p95 (whole request over HTTP, 500 requests)",
        full_med.as_secs_f64() * 1000.0,
        p95(full).as_secs_f64() * 1000.0
    );
    println!(
        "  authorization + audit layer: {:.2} ms median, {:.2} ms p95 (session, roles, care team, break-glass, one audit append with fsync)",
        layer_med.as_secs_f64() * 1000.0,
        p95(layer).as_secs_f64() * 1000.0
    );
    println!(
        "  the same route without the layer: about {:.2} ms; the layer is {:.0} % of the request",
        without.as_secs_f64() * 1000.0,
        100.0 * layer_med.as_secs_f64() / full_med.as_secs_f64()
    );
    // 4. Authenticated pages against the cheapest route, with wrk (16 connections).
    let r = reqwest::Client::builder()
        .default_headers(same_origin())
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!("{url}/sign-in"))
        .form(&[("email", "patient@bench.example"), ("password", "bench pass phrase")])
        .send()
        .await?;
    let cookie = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let home = wrk(&format!("{url}/home"), Some(&cookie)).await?;
    let health = wrk(&format!("{url}/healthz"), None).await?;
    println!("  GET /home (patient, signed in): {home:.0} requests/s; GET /healthz: {health:.0} requests/s (wrk -t2 -c16 -d5s, same server)");
    println!("  authenticated page / health check: {:.2}x (target at least 0.30x)", home / health);
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Requests per second that `wrk` measures against `url` over five seconds, after a
/// one-second warm-up; fails when any answer is not a success.
async fn wrk(url: &str, cookie: Option<&str>) -> anyhow::Result<f64> {
    let run = |seconds: &str| {
        let mut command = tokio::process::Command::new("wrk");
        command.args(["-t2", "-c16", "-d", seconds, url]);
        if let Some(cookie) = cookie {
            command.args(["-H", &format!("Cookie: {cookie}")]);
        }
        command.output()
    };
    run("1s").await.map_err(|e| anyhow::anyhow!("wrk could not run ({e}); install it with `apt-get install wrk`"))?;
    let out = String::from_utf8_lossy(&run("5s").await?.stdout).into_owned();
    anyhow::ensure!(!out.contains("Non-2xx"), "wrk saw failed answers from {url}:\n{out}");
    out.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("wrk printed no rate for {url}:\n{out}"))
}

/// What a browser sends to its own site; Haven refuses state changes without it.
fn same_origin() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    headers
}
