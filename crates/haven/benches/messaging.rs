//! Messaging benchmark, against a real `haven serve` process (release build) on SQLite:
//!
//! 1. send → receive latency: 20 patients together send 1,000 messages per second for 5
//!    seconds over their live WebSockets (50 each a second), after one second of the same
//!    traffic that isn't measured (warm-up: connections opened, statements prepared); the
//!    clinician's one socket follows all 20 threads and receives each message. Prints p50,
//!    p90, p99 (target p99 <= 10 ms), p99.9 and the worst, and the rate actually offered.
//!    (One socket's requests are handled in order, so a single sender at 1,000 a second
//!    would measure its own queue, not delivery.)
//! 2. memory per idle authenticated WebSocket: the server's resident memory with 1,000 and
//!    with 10,000 open sockets; the slope between them is the cost of one more (target
//!    <= 8 KiB).
//!
//! `cargo bench -p haven --bench messaging`. Needs about 20,000 file descriptors: run it
//! through `scripts/bench.sh`, which raises the limit.
//!
//! Every message waits for one disk sync (`synchronous=FULL`), so the disk under the data
//! directory bounds the tail: the bench first measures that disk's own sync time and prints
//! it beside the result. `TMPDIR=/dev/shm` puts the data in memory and shows Haven's own
//! latency without the disk.
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::{Language, Role};
use haven_store::{Store, StoreOptions};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const RATE: u64 = 1000;
const SECONDS: u64 = 5;
const WARM_UP_SECONDS: u64 = 1;
const SENDERS: usize = 20;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

async fn socket(url: &str, cookie: &str) -> anyhow::Result<Socket> {
    let mut request = format!("{}/ws", url.replace("http://", "ws://")).into_client_request()?;
    request.headers_mut().insert("cookie", HeaderValue::from_str(cookie)?);
    request.headers_mut().insert("origin", HeaderValue::from_str(url)?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    // The server says "ready" first.
    let _ = socket.next().await;
    Ok(socket)
}

async fn cookie(url: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder().default_headers(same_origin()).redirect(reqwest::redirect::Policy::none()).build()?;
    let response = client.post(format!("{url}/sign-in")).form(&[("email", email), ("password", password)]).send().await?;
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|c| c.starts_with("haven_session="))
        .ok_or_else(|| anyhow::anyhow!("sign-in failed for {email}"))
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// Writes 16 KiB and syncs it (fdatasync), once a millisecond for `length`, in `dir`: p50,
/// p99 and worst in ms, and how many.
fn disk_syncs(dir: &std::path::Path, length: Duration) -> anyhow::Result<(f64, f64, f64, usize)> {
    use std::io::{Seek as _, Write as _};
    let path = dir.join("sync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = vec![7u8; 16 * 1024];
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < length {
        file.seek(std::io::SeekFrom::Start((times.len() % 64 * block.len()) as u64))?;
        file.write_all(&block)?;
        let at = Instant::now();
        file.sync_data()?;
        times.push(at.elapsed());
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(file);
    std::fs::remove_file(&path)?;
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok((ms(percentile(&times, 50)), ms(percentile(&times, 99)), ms(times[times.len() - 1]), times.len()))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("Haven messaging benchmark ({cores} cores, SQLite, release server process)");
    let dir = std::env::temp_dir().join(format!("haven-bench-messaging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;

    let disk = disk_syncs(&dir, Duration::from_secs(1))?;
    println!(
        "  the data directory's disk, alone: a 16 KiB write + fdatasync takes p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms ({} in 1 s)",
        disk.0, disk.1, disk.2, disk.3
    );

    // People and a thread, written before the server starts.
    let store = Store::connect(&StoreOptions::new(format!("sqlite://{}", dir.join("haven.db").display()))).await?;
    store.migrate().await?;
    let hasher = PasswordHasher::new(HashCost::MINIMUM).map_err(|e| anyhow::anyhow!("{e}"))?;
    let practice = haven::admin::create_practice(&store, "bench", "Bench Practice").await?.id;
    let account = |email: &str, role| haven::admin::NewAccount {
        email: email.into(),
        name: "Bench Person".into(),
        practice: "bench".into(),
        roles: vec![role],
        language: Language::En,
        password: Some("bench pass phrase".into()),
    };
    let (clinician, _) = haven::admin::create_user(&store, &hasher, account("clinician@bench.example", Role::Clinician)).await?;
    let mut threads = Vec::new();
    for i in 0..SENDERS {
        let (patient, _) = haven::admin::create_user(&store, &hasher, account(&format!("patient{i}@bench.example"), Role::Patient)).await?;
        store.assign_care_team(practice, patient, clinician, jiff::Timestamp::now()).await?;
        threads.push(store.thread_of(practice, patient, jiff::Timestamp::now()).await?.id);
    }
    store.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let url = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("serve")
        .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
        .env("HAVEN_DATA_DIR", &dir)
        .env("HAVEN_REQUIRE_STAFF_MFA", "false")
        .env("HAVEN_LOG_LEVEL", "error")
        .env("HAVEN_MESSAGES_PER_MINUTE", "1000000")
        .env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192")
        .env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1")
        .stdout(Stdio::null())
        .spawn()?;
    let server = Server(child);
    let pid = server.0.id();
    let started = Instant::now();
    while !reqwest::get(format!("{url}/readyz")).await.is_ok_and(|r| r.status().is_success()) {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(20), "the server didn't become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut patient_cookies = Vec::new();
    for i in 0..SENDERS {
        patient_cookies.push(cookie(&url, &format!("patient{i}@bench.example"), "bench pass phrase").await?);
    }
    let patient_cookie = patient_cookies[0].clone();
    let clinician_cookie = cookie(&url, "clinician@bench.example", "bench pass phrase").await?;

    // 1. Latency at 1,000 messages per second.
    let mut receiver = socket(&url, &clinician_cookie).await?;
    for thread in &threads {
        receiver.send(Message::Text(serde_json::json!({ "type": "follow", "thread": thread, "after": 0 }).to_string().into())).await?;
    }
    let total = RATE * SECONDS;
    let sent_at: std::sync::Arc<std::sync::Mutex<HashMap<String, Instant>>> = std::sync::Arc::default();
    let log = sent_at.clone();
    let receiving = tokio::spawn(async move {
        let mut latencies = Vec::new();
        while (latencies.len() as u64) < total {
            let Ok(Some(Ok(Message::Text(text)))) = tokio::time::timeout(Duration::from_secs(20), receiver.next()).await else { break };
            let frame: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if frame["type"] == "message" {
                let body = frame["body"].as_str().unwrap_or_default().to_owned();
                if let Some(at) = log.lock().unwrap().remove(&body) {
                    latencies.push(at.elapsed());
                }
            }
        }
        latencies
    });
    let mut writers = Vec::new();
    for (i, c) in patient_cookies.iter().enumerate() {
        let (write, mut read) = socket(&url, c).await?.split();
        // Drain acknowledgements so the server never waits on a sender.
        tokio::spawn(async move { while let Some(Ok(_)) = read.next().await {} });
        writers.push((write, threads[i]));
    }
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    let warm_up = RATE * WARM_UP_SECONDS;
    let mut begun = Instant::now();
    for i in 0..warm_up + total {
        ticker.tick().await;
        // Warm-up messages aren't timed (the receiver skips bodies it has no time for).
        let body = if i < warm_up { format!("warm-up {i}") } else { format!("bench message {i}") };
        if i == warm_up {
            begun = Instant::now();
        }
        if i >= warm_up {
            sent_at.lock().unwrap().insert(body.clone(), Instant::now());
        }
        let (write, thread) = &mut writers[usize::try_from(i).unwrap_or(0) % SENDERS];
        let frame = serde_json::json!({ "type": "send", "thread": thread, "client_id": format!("bench-{i:08}"), "body": body });
        write.send(Message::Text(frame.to_string().into())).await?;
    }
    let sending = begun.elapsed();
    let mut latencies = receiving.await?;
    let received = latencies.len();
    latencies.sort();
    if latencies.is_empty() {
        println!("  latency: no messages arrived");
    } else {
        let p99 = percentile(&latencies, 99);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  send -> receive at {:.0} messages/s offered ({total} messages after {warm_up} unmeasured, {received} received): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms (target p99 <= 10 ms), p99.9 {:.2} ms, worst {:.2} ms{}",
            total as f64 / sending.as_secs_f64(),
            ms(percentile(&latencies, 50)),
            ms(latencies[latencies.len() * 9 / 10]),
            ms(p99),
            ms(latencies[(latencies.len() * 999 / 1000).min(latencies.len() - 1)]),
            ms(latencies[latencies.len() - 1]),
            if p99 <= Duration::from_millis(10) { "  ok" } else { "  ABOVE TARGET" }
        );
    }
    drop(writers);

    // 2. Memory per idle authenticated socket.
    let mut idle: Vec<Socket> = Vec::new();
    let mut rss = Vec::new();
    for target in [1_000usize, 10_000] {
        while idle.len() < target {
            match socket(&url, &patient_cookie).await {
                Ok(s) => idle.push(s),
                Err(e) => {
                    println!("  memory: stopped at {} sockets ({e}); raise `ulimit -n` (scripts/bench.sh does)", idle.len());
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        rss.push((target, rss_kib(pid)));
    }
    let ((n1, r1), (n2, r2)) = (rss[0], rss[1]);
    let per = (r2.saturating_sub(r1)) as f64 * 1024.0 / (n2 - n1) as f64;
    println!(
        "  idle sockets: server RSS {:.1} MiB at {n1}, {:.1} MiB at {n2}: {:.1} KiB per socket (target <= 8 KiB){}",
        r1 as f64 / 1024.0,
        r2 as f64 / 1024.0,
        per / 1024.0,
        if per <= 8.0 * 1024.0 { "  ok" } else { "  ABOVE TARGET" }
    );
    drop(idle);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// What a browser sends to its own site; Haven refuses state changes without it.
fn same_origin() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    headers
}
