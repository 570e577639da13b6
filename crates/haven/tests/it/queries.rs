//! Statements per page: the pages a clinician opens all day read a fixed number of SQL
//! statements, whatever the size of their caseload. Counted from sqlx's own statement log
//! of a real `haven serve` process on PostgreSQL (`HAVEN_LOG_LEVEL=error,sqlx::query=debug`,
//! JSON lines on stderr), one line per statement run.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use haven_domain::MessageId;
use haven_store::{NewMessage, Store, StoreOptions};

use crate::support::db::TestDb;
use crate::support::server::client;
use crate::support::{Backend, TempDir, clinic};

/// What the server's background tasks run on their own clock (the health monitor's ping,
/// the job runner's look for due jobs, the sweeper): not part of any page.
const BACKGROUND: [&str; 3] = ["SELECT 1", "UPDATE jobs SET claimed_until", "DELETE FROM"];

/// A `haven serve` child whose statement log lines are counted; killed when dropped.
struct Served {
    child: Child,
    statements: Arc<Mutex<Vec<String>>>,
    url: String,
    _dir: TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    async fn start(database: &str) -> Self {
        let dir = TempDir::new("queries");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
            .arg("serve")
            .env("HAVEN_DATA_DIR", dir.path())
            .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("HAVEN_DATABASE_URL", database)
            .env("HAVEN_LOG_LEVEL", "error,sqlx::query=debug")
            .env("HAVEN_LOG_FORMAT", "json")
            .env("HAVEN_REQUIRE_STAFF_MFA", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let statements = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let counter = statements.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains(r#""target":"sqlx::query""#) {
                    let summary = serde_json::from_str::<serde_json::Value>(&line).ok().and_then(|v| v["summary"].as_str().map(str::to_owned));
                    let summary = summary.unwrap_or_default();
                    if !BACKGROUND.iter().any(|b| summary.starts_with(b)) {
                        counter.lock().unwrap().push(summary);
                    }
                }
            }
        });
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while client().get(format!("{url}/readyz")).send().await.map_or(true, |r| r.status() != 200) {
            assert!(start.elapsed() < Duration::from_secs(20), "haven serve didn't start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, statements, url, _dir: dir }
    }

    /// Statements logged so far (their summaries), once the log has gone quiet.
    async fn logged(&self) -> Vec<String> {
        let mut last = usize::MAX;
        loop {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let now = self.statements.lock().unwrap().clone();
            if now.len() == last {
                return now;
            }
            last = now.len();
        }
    }
}

/// Statements that `GET path` costs a clinician with `patients` care-team patients, each
/// with a thread holding an unread message.
async fn statements_for(patients: usize, path: &str) -> Vec<String> {
    let db = TestDb::new(Backend::Postgres).await;
    let served = Served::start(&db.url).await;
    let store = Store::connect(&StoreOptions::new(&db.url)).await.unwrap();
    let c = clinic::open(&store, patients).await;
    let now = jiff::Timestamp::now();
    for p in &c.patients {
        store.assign_care_team(c.practice, p.id, c.clinician.id, now).await.unwrap();
        let thread = store.thread_of(c.practice, p.id, now).await.unwrap();
        let message = NewMessage {
            id: MessageId::new(),
            thread: thread.id,
            sender: p.id,
            client_id: "hello".into(),
            // The list page shows who wrote and how many are unread, never what.
            sealed_body: vec![0; 8],
            automatic: false,
            attachment: None,
        };
        store.send_message(&message, &[], &[], now).await.unwrap();
    }
    store.close().await;
    let browser = client();
    let signed = browser
        .post(format!("{}/sign-in", served.url))
        .form(&[("email", c.clinician.email.as_str()), ("password", c.clinician.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    // Once to warm the session cache, then the counted one.
    assert_eq!(browser.get(format!("{}{path}", served.url)).send().await.unwrap().status(), 200);
    let before = served.logged().await.len();
    let response = browser.get(format!("{}{path}", served.url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let counted = served.logged().await.split_off(before);
    if path == "/messages" {
        assert_eq!(body.matches("href=\"/messages/").count(), patients, "every patient's thread is listed");
    }
    counted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_messages_list_and_start_page_read_a_fixed_number_of_statements() {
    for path in ["/messages", "/home"] {
        let small = statements_for(10, path).await;
        let large = statements_for(100, path).await;
        println!("GET {path} as a clinician: {} statements with 10 patients, {} with 100: {large:?}", small.len(), large.len());
        assert!(!small.is_empty(), "statements are counted at all");
        assert_eq!(small.len(), large.len(), "GET {path} runs as many statements for 100 patients as for 10");
    }
}
