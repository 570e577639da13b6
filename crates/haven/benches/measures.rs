//! Measures benchmark, against a real Haven (in this process, release build) on SQLite:
//!
//! 1. the chart's measures view: a clinician's `GET /patients/{id}` for a patient with 5
//!    instruments × 100 responses (trends drawn as SVG, tables, 500 sealed answers stored),
//!    beside the same chart for a patient with none (the baseline, same run). Prints the
//!    median and p95 of 200 requests each over loopback (target: measures add ≤ 20 ms).
//! 2. the due scan over 10,000 assignments all due: one scan issues 10,000 requests and
//!    20,000 mail and reminder jobs (target ≤ 1 s); the next scan, with nothing due.
//!
//! `cargo bench -p haven --bench measures`: prints figures, asserts nothing.
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use haven::config::{Config, PasswordHashing};
use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::measures::{Answers, Cadence, Schedule, builtins, score};
use haven_domain::{Language, Role, SystemClock, UserId};
use haven_store::{Effects, NewAssignment, NewResponse};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

const RESPONSES: usize = 100;
const REQUESTS: usize = 200;
const ASSIGNMENTS: usize = 10_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn time_gets(client: &reqwest::Client, url: &str) -> (Duration, Duration) {
    for _ in 0..10 {
        client.get(url).send().await.unwrap().bytes().await.unwrap();
    }
    let mut times = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        let r = client.get(url).send().await.unwrap();
        assert!(r.status().is_success());
        r.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("Haven measures benchmark ({cores} cores, SQLite)");
    let dir = std::env::temp_dir().join(format!("haven-bench-measures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.clone(),
        require_staff_mfa: false,
        log_level: "error".into(),
        password_hashing: PasswordHashing { memory_kib: HashCost::MINIMUM.memory_kib, iterations: 1 },
        ..Config::default()
    };
    let running = haven::start(&config, Arc::new(SystemClock)).await?;
    let url = running.url();
    let store = running.store.clone();
    let cx = running.app.cx.clone();
    let hasher = PasswordHasher::new(HashCost::MINIMUM).map_err(|e| anyhow::anyhow!("{e}"))?;
    haven::admin::create_practice(&store, "bench", "Bench Practice").await?;
    let practice = store.practice_by_slug("bench").await?.ok_or_else(|| anyhow::anyhow!("no practice"))?.id;
    let account = |email: &str, role| haven::admin::NewAccount {
        email: email.to_owned(),
        name: "Bench Person".into(),
        practice: "bench".into(),
        roles: vec![role],
        language: Language::En,
        password: Some("bench pass phrase".into()),
    };
    let (clinician, _) = haven::admin::create_user(&store, &hasher, account("clinician@bench.example", Role::Clinician)).await?;
    let (measured, _) = haven::admin::create_user(&store, &hasher, account("measured@bench.example", Role::Patient)).await?;
    let (plain, _) = haven::admin::create_user(&store, &hasher, account("plain@bench.example", Role::Patient)).await?;
    let now = Timestamp::now();
    for p in [measured, plain] {
        store.assign_care_team(practice, p, clinician, now).await?;
    }

    // 5 instruments × 100 responses, a week apart, answers sealed as Haven seals them.
    let started = Instant::now();
    for instrument in builtins() {
        for n in 0..RESPONSES {
            let mut answers = Answers::new();
            // Every question answered; scoring keeps only those asked (the C-SSRS skip logic).
            for (k, item) in instrument.items.iter().enumerate() {
                let options = instrument.options_of(item);
                answers.insert(item.id.clone(), options[(n + k) % options.len()].value);
            }
            let scored = score(instrument, &answers).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let id = Uuid::now_v7();
            let json = serde_json::to_string(&scored.answers)?;
            let at = now.checked_sub(SignedDuration::from_hours(24 * 7 * i64::try_from(RESPONSES - n)?))?;
            let response = NewResponse {
                id,
                request: None,
                practice,
                patient: measured,
                instrument: instrument.key.clone(),
                version: instrument.version,
                answered_by: measured,
                in_session: false,
                total: scored.total,
                band: scored.band.clone(),
                risk: scored.risk.map(|l| l.as_str().to_owned()),
                sealed_answers: cx.seal(&format!("measure_responses.answers:{id}"), json.as_bytes()),
                completed_at: at,
            };
            store.save_response(&response, None, &Effects::default(), at).await?;
        }
    }
    println!("  stored {} responses in {:.1} s", builtins().len() * RESPONSES, started.elapsed().as_secs_f64());

    // What a browser sends to its own site; Haven refuses state changes without it.
    let mut same_origin = reqwest::header::HeaderMap::new();
    same_origin.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    let client = reqwest::Client::builder().default_headers(same_origin).cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let r = client.post(format!("{url}/sign-in")).form(&[("email", "clinician@bench.example"), ("password", "bench pass phrase")]).send().await?;
    anyhow::ensure!(r.status().is_redirection(), "sign-in failed");
    let chart = |p: UserId| format!("{url}/patients/{p}");
    let (base50, base95) = time_gets(&client, &chart(plain)).await;
    let (m50, m95) = time_gets(&client, &chart(measured)).await;
    let page = client.get(chart(measured)).send().await?.text().await?;
    println!("  chart, no measures (baseline):        median {:>6.2} ms  p95 {:>6.2} ms", base50.as_secs_f64() * 1e3, base95.as_secs_f64() * 1e3);
    println!(
        "  chart, 5 instruments x {RESPONSES} responses: median {:>6.2} ms  p95 {:>6.2} ms  ({} trends, {} KB of HTML)",
        m50.as_secs_f64() * 1e3,
        m95.as_secs_f64() * 1e3,
        page.matches("<svg class=\"trend\"").count(),
        page.len() / 1024
    );
    println!("  measures view adds: median {:>6.2} ms (target <= 20 ms server time)", (m50.as_secs_f64() - base50.as_secs_f64()) * 1e3);

    // 10,000 weekly assignments, all due now.
    let started = Instant::now();
    let phq9 = haven_domain::measures::builtin("phq9").unwrap();
    let schedule = serde_json::to_string(&Schedule {
        cadence: Cadence::EveryWeeks { weeks: 1, weekday: 1, hour: 9 },
        starts: now.checked_sub(SignedDuration::from_hours(24 * 8))?,
        until: None,
        count: None,
    })?;
    for chunk in 0..ASSIGNMENTS / 1000 {
        let (patient, _) = haven::admin::create_user(&store, &hasher, account(&format!("p{chunk}@bench.example"), Role::Patient)).await?;
        for _ in 0..1000 {
            let a = NewAssignment {
                id: Uuid::now_v7(),
                practice,
                patient,
                instrument: phq9.key.clone(),
                assigned_by: clinician,
                schedule: schedule.clone(),
                next_due_at: Some(now.checked_sub(SignedDuration::from_mins(1))?),
            };
            store.add_assignment(&a, None, &Effects::default(), now).await?;
        }
    }
    println!("  stored {ASSIGNMENTS} assignments in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let issued = haven_app::measures::due::scan(&cx, Timestamp::now()).await?;
    let first = started.elapsed();
    let started = Instant::now();
    let again = haven_app::measures::due::scan(&cx, Timestamp::now()).await?;
    let second = started.elapsed();
    println!("  due scan over {ASSIGNMENTS} assignments: {issued} requests issued in {:.0} ms (target <= 1000 ms)", first.as_secs_f64() * 1e3);
    println!("  the next scan, nothing due: {again} issued in {:.1} ms", second.as_secs_f64() * 1e3);
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
