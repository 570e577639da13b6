//! Booking benchmark: booking requests per second through the JSON API under 64-way
//! contention, on SQLite and on PostgreSQL, with the number of double bookings found
//! afterwards (must be 0).
//!
//! Two phases per backend, each with 64 signed-in patients as concurrent clients:
//! - contended: all 64 ask for the same slot at once, round after round (1 wins, 63 are
//!   told "just taken" with alternatives);
//! - spread: each client books its own run of slots, so every request is a successful
//!   booking and the 64 compete only for the database.
//!
//! `cargo bench -p haven --bench booking` (PostgreSQL at HAVEN_BENCH_PG_URL or
//! postgres://postgres@127.0.0.1:5432/postgres; skipped with a note if unreachable).
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use futures_util::future::join_all;
use haven::config::{Config, PasswordHashing, Secret};
use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{Language, Role, SystemClock, VisitTypeId};
use haven_store::{ClinicianProfile, Store, VisitType};
use jiff::{SignedDuration, Timestamp};
use sqlx::Connection as _;

const CLIENTS: usize = 64;
const ROUNDS: usize = 60;
const EACH: usize = 20;

struct Clinic {
    clinician: haven_domain::UserId,
    visit: VisitTypeId,
    patients: Vec<(String, String)>,
}

async fn clinic(store: &Store) -> anyhow::Result<Clinic> {
    let hasher = PasswordHasher::new(HashCost::MINIMUM).map_err(|e| anyhow::anyhow!("{e}"))?;
    haven::admin::create_practice(store, "bench", "Bench Practice").await?;
    let practice = store.practice_by_slug("bench").await?.ok_or_else(|| anyhow::anyhow!("no practice"))?.id;
    let account = |email: String, role| haven::admin::NewAccount {
        email,
        name: "Bench Person".into(),
        practice: "bench".into(),
        roles: vec![role],
        language: Language::En,
        password: Some("bench pass phrase".into()),
    };
    let (clinician, _) = haven::admin::create_user(store, &hasher, account("clinician@bench.example".into(), Role::Clinician)).await?;
    let now = Timestamp::now();
    let profile = ClinicianProfile {
        user: clinician,
        practice,
        name: String::new(),
        credentials: String::new(),
        bio: haven_domain::Bilingual::default(),
        languages: vec!["en".into()],
        specialties: Vec::new(),
        licenses: Jurisdiction::parse_list("US-IL"),
        time_zone: "America/Chicago".into(),
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_ahead_days: 366,
        accepting: true,
    };
    store.save_clinician_profile(&profile, now).await?;
    store.set_weekly_hours(clinician, &(1..=7).map(|d| (d, 0, 24 * 60)).collect::<Vec<_>>()).await?;
    let visit = VisitType {
        id: VisitTypeId::new(),
        clinician,
        name: haven_domain::Bilingual::english("Therapy"),
        minutes: 15,
        modalities: vec![Modality::Video],
        location: None,
        active: true,
    };
    store.add_visit_type(&visit, now).await?;
    let mut patients = Vec::new();
    for i in 0..CLIENTS {
        let email = format!("patient{i}@bench.example");
        haven::admin::create_user(store, &hasher, account(email.clone(), Role::Patient)).await?;
        patients.push((email, "bench pass phrase".to_owned()));
    }
    Ok(Clinic { clinician, visit: visit.id, patients })
}

/// Slot `n` (15 minutes each) from two days ahead, midnight UTC.
fn slot(n: usize) -> Timestamp {
    let day = Timestamp::now().checked_add(SignedDuration::from_hours(48)).unwrap();
    let midnight = Timestamp::from_second(day.as_second() - day.as_second() % 86_400).unwrap();
    midnight.checked_add(SignedDuration::from_mins(15 * i64::try_from(n).unwrap())).unwrap()
}

async fn run(label: &str, config: &Config) -> anyhow::Result<()> {
    let running = haven::start(config, Arc::new(SystemClock)).await?;
    let url = running.url();
    let store = running.store.clone();
    let c = clinic(&store).await?;
    let mut clients = Vec::new();
    for (email, password) in &c.patients {
        let client =
            reqwest::Client::builder().default_headers(same_origin()).cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
        let r = client.post(format!("{url}/sign-in")).form(&[("email", email.as_str()), ("password", password.as_str())]).send().await?;
        anyhow::ensure!(r.status().is_redirection(), "sign-in failed");
        clients.push(client);
    }
    let body = |start: Timestamp| serde_json::json!({ "clinician": c.clinician, "visit_type": c.visit, "modality": "video", "where": "US-IL", "starts_at": start });
    let endpoint = format!("{url}/api/v1/appointments");

    // Contended: everyone wants the same slot.
    let started = Instant::now();
    let (mut won, mut taken, mut other) = (0, 0, 0);
    for round in 0..ROUNDS {
        let b = body(slot(round));
        let statuses = join_all(clients.iter().map(|client| {
            let b = b.clone();
            let endpoint = endpoint.clone();
            async move { client.post(endpoint).json(&b).send().await.map_or(0, |r| r.status().as_u16()) }
        }))
        .await;
        for s in statuses {
            match s {
                201 => won += 1,
                409 => taken += 1,
                _ => other += 1,
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let requests = ROUNDS * CLIENTS;
    println!(
        "  {label:<10} contended: {:>6.0} booking requests/s ({requests} requests, {CLIENTS} at once for each slot): {won} booked, {taken} told \"just taken\", {other} other",
        requests as f64 / secs
    );

    // Spread: every request books its own slot.
    let started = Instant::now();
    let results = join_all(clients.iter().enumerate().map(|(i, client)| {
        let endpoint = endpoint.clone();
        let body = &body;
        async move {
            let mut ok = 0;
            for k in 0..EACH {
                let n = ROUNDS + 1 + i * EACH + k;
                if client.post(&endpoint).json(&body(slot(n))).send().await.map_or(0, |r| r.status().as_u16()) == 201 {
                    ok += 1;
                }
            }
            ok
        }
    }))
    .await;
    let secs = started.elapsed().as_secs_f64();
    let booked: usize = results.iter().sum();
    println!("  {label:<10} spread:    {:>6.0} bookings/s ({booked} of {} booked, {CLIENTS} clients at once)", booked as f64 / secs, CLIENTS * EACH);
    println!("  {label:<10} double bookings found afterwards: {}", store.double_bookings().await?);
    running.shutdown().await;
    Ok(())
}

fn base_config(dir: &std::path::Path) -> anyhow::Result<Config> {
    Ok(Config {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.to_owned(),
        require_staff_mfa: false,
        log_level: "error".into(),
        // Sign-in cost is not what is measured here.
        password_hashing: PasswordHashing { memory_kib: HashCost::MINIMUM.memory_kib, iterations: 1 },
        ..Config::default()
    })
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("Haven booking benchmark ({cores} cores; target on SQLite: >= 1000 bookings/s, 0 double bookings)");
    let dir = std::env::temp_dir().join(format!("haven-bench-booking-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    run("sqlite", &base_config(&dir)?).await?;
    let _ = std::fs::remove_dir_all(&dir);

    let admin = std::env::var("HAVEN_BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("haven_bench_{}", std::process::id());
    match sqlx::PgConnection::connect(&admin).await {
        Ok(mut conn) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await?;
            let mut config = base_config(&dir)?;
            let url = match admin.rsplit_once('/') {
                Some((base, _)) => format!("{base}/{name}"),
                None => anyhow::bail!("HAVEN_BENCH_PG_URL must end in a database name"),
            };
            config.database_url = Some(Secret::new(url));
            let result = run("postgres", &config).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&mut conn).await?;
            result?;
        }
        Err(e) => println!("  postgres   skipped: can't reach {admin} ({e})"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// What a browser sends to its own site; Haven refuses state changes without it.
fn same_origin() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    headers
}
