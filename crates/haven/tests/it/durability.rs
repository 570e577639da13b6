//! Durability: `kill -9` while writes are in flight, 200 times. Every write the server
//! acknowledged is still there afterwards, SQLite's integrity check passes and the audit
//! chain verifies. The writes are real requests: each failed sign-in answers only after its
//! audit entry is committed (synchronous=FULL, WAL).

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use haven_store::{Store, StoreOptions};

use crate::support::TempDir;
use crate::support::server::client;

const LOOPS: usize = 200;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = TempDir::new("durability");
    let url_db = format!("sqlite://{}", dir.path().join("haven.db").display());
    let acknowledged = Arc::new(AtomicU64::new(0));
    for round in 0..LOOPS {
        let port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_haven"))
            .arg("serve")
            .current_dir(dir.path())
            .env("HAVEN_DATA_DIR", dir.path())
            .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("HAVEN_LOG_LEVEL", "error")
            .env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192")
            .env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1")
            .env_remove("HAVEN_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let http = client();
        loop {
            if http.get(format!("{url}/healthz")).send().await.is_ok() {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "round {round}: the server didn't start");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // Two writers hammer sign-in with wrong passwords; a kill lands at a random moment.
        let mut writers = Vec::new();
        for writer in 0..2 {
            let (http, url, acknowledged) = (http.clone(), url.clone(), acknowledged.clone());
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let email = format!("w{writer}-{round}-{n}@example.org");
                    match http.post(format!("{url}/sign-in")).form(&[("email", email.as_str()), ("password", "wrong wrong")]).send().await {
                        Ok(r) if r.status() == 401 || r.status() == 429 => {
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                        }
                        _ => return,
                    }
                }
            }));
        }
        let pause = 20 + (round as u64 * 37) % 80;
        tokio::time::sleep(Duration::from_millis(pause)).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
    }

    let store = Store::connect(&StoreOptions::new(&url_db)).await.unwrap();
    store.integrity_check().await.unwrap();
    let chain = store.verify_audit_chain().await.unwrap();
    assert_eq!(chain.first_bad, None, "the audit chain verifies after {LOOPS} crashes");
    let acked = acknowledged.load(Ordering::SeqCst);
    assert!(acked > LOOPS as u64, "writes happened ({acked})");
    assert!(chain.entries >= acked, "every acknowledged write survived: {} entries for {acked} acknowledgements", chain.entries);
    println!("kill -9 × {LOOPS}: {acked} acknowledged writes, {} audit entries, integrity ok, chain ok", chain.entries);
}
