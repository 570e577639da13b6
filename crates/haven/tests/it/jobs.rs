//! The job queue and the live hub as features use them: a worker killed (`kill -9`) in the
//! middle of a job leaves it to be done once after the restart; a new job kind and a new
//! live channel are added the way a feature adds its own, through `haven::Extensions`,
//! without touching the runner or the socket code, and work across two instances.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use haven_app::Ctx;
use haven_app::future::BoxFuture;
use haven_app::jobs::{Done, Job, JobError, Run};
use haven_app::live::{Channel, Connection, Event, Topic};
use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_store::{AuditFilter, Effects, Store, StoreOptions};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::support::live_client::session_cookie;
use crate::support::server::client;
use crate::support::smtp::SmtpSink;
use crate::support::{Backend, TempDir, TestServer};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `haven serve` process, killed when dropped: a failing assertion mustn't leave it running.
struct Served(Child);

impl std::ops::Deref for Served {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Served {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &TempDir, port: u16, smtp: u16) -> Served {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("serve")
        .current_dir(dir.path())
        .env("HAVEN_DATA_DIR", dir.path())
        .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
        .env("HAVEN_LOG_LEVEL", "error")
        .env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192")
        .env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1")
        .env("HAVEN_SMTP__HOST", "127.0.0.1")
        .env("HAVEN_SMTP__PORT", smtp.to_string())
        .env("HAVEN_SMTP__SECURITY", "none")
        .env("HAVEN_MAIL_FROM", "Haven <care@haven.example>")
        // A short lease, so the restarted worker may take the job up without a long wait.
        .env("HAVEN_JOBS__LEASE_SECONDS", "3")
        .env_remove("HAVEN_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(Served)
        .unwrap()
}

async fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn ready(url: &str) {
    let start = Instant::now();
    while client().get(format!("{url}/healthz")).send().await.is_err() {
        assert!(start.elapsed() < Duration::from_secs(15), "the server didn't start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The mail job of a password reset is mid-send (the mail server has taken the message and
/// not answered) when its worker is killed. After a restart the job is taken up again once
/// its lease has run out, and done once: one mail, one completion, two claims.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_mid_run_is_done_once_after_the_restart() {
    let dir = TempDir::new("jobs-kill");
    let url_db = format!("sqlite://{}", dir.path().join("haven.db").display());
    {
        let store = Store::connect(&StoreOptions::new(&url_db)).await.unwrap();
        store.migrate().await.unwrap();
        haven::admin::create_practice(&store, "riverbend", "Riverbend").await.unwrap();
        let hasher = haven_crypto::PasswordHasher::new(haven_crypto::HashCost::MINIMUM).unwrap();
        let account = haven::admin::NewAccount {
            email: "ana@patients.example".into(),
            name: "Ana".into(),
            practice: "riverbend".into(),
            roles: vec![haven_domain::Role::Patient],
            language: haven_domain::Language::En,
            password: None,
        };
        haven::admin::create_user(&store, &hasher, account).await.unwrap();
        store.close().await;
    }
    let sink = SmtpSink::start().await;
    sink.stall(true);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut first = serve(&dir, port, sink.port);
    ready(&url).await;
    let response = client().post(format!("{url}/password-reset")).form(&[("email", "ana@patients.example")]).send().await.unwrap();
    assert!(response.status().is_success());
    until("the mail is mid-send", Duration::from_secs(10), || sink.stalled() == 1).await;
    first.kill().unwrap(); // SIGKILL, in the middle of the job
    first.wait().unwrap();
    assert!(sink.received().is_empty(), "nothing was delivered before the kill");

    sink.stall(false);
    let mut second = serve(&dir, port, sink.port);
    ready(&url).await;
    until("the mail is delivered", Duration::from_secs(15), || !sink.received().is_empty()).await;
    // Past another lease: nothing is sent again.
    tokio::time::sleep(Duration::from_secs(4)).await;
    second.kill().unwrap();
    second.wait().unwrap();
    let mail = sink.received();
    assert_eq!(mail.len(), 1, "one mail");
    assert_eq!(mail[0].to, vec!["ana@patients.example".to_owned()]);

    let store = Store::connect(&StoreOptions::new(&url_db)).await.unwrap();
    assert_eq!(store.jobs_of_kind("mail.send").await.unwrap(), vec![(2, true)], "claimed twice, done once");
    store.close().await;
}

/// A job kind a feature might add: it records that it ran (in its completion's
/// transaction) and says so on the test channel.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Echo {
    note: String,
}

const ECHO: &str = "test-echo";

fn echo_topic() -> Topic {
    Topic::new(ECHO, uuid::Uuid::nil())
}

impl Job for Echo {
    const KIND: &'static str = "test.echo";

    fn unique_key(&self) -> Option<String> {
        Some(format!("echo:{}", self.note))
    }
}

impl Run for Echo {
    async fn run(&self, cx: &Ctx) -> Result<Done, JobError> {
        let frame = json!({ "type": "echo", "note": self.note });
        cx.hub.publish(echo_topic(), Event::Frame { from: None, to: None, frame }).await;
        let ran = AuditEvent {
            at: cx.now(),
            actor: None,
            practice: None,
            patient: None,
            action: AuditAction::Update,
            category: DataCategory::Account,
            source: Some(format!("echo:{}", self.note)),
            outcome: Outcome::Success,
        };
        Ok(Done::with(Effects::audit(ran)))
    }
}

/// A live channel a feature might add: `echo-follow` subscribes the socket; events are
/// passed on as they come.
struct EchoChannel;

impl Channel for EchoChannel {
    fn name(&self) -> &'static str {
        ECHO
    }

    fn accepts(&self, frame_type: &str) -> bool {
        frame_type == "echo-follow"
    }

    fn handle<'a>(&'a self, conn: &'a mut Connection, _frame: &'a Value) -> BoxFuture<'a, haven_app::Result<Vec<Value>>> {
        Box::pin(async move {
            conn.follow(echo_topic());
            Ok(vec![json!({ "type": "echo-following" })])
        })
    }

    fn deliver<'a>(
        &'a self,
        _conn: &'a mut Connection,
        events: Vec<(Topic, Event)>,
        _overflowed: bool,
    ) -> BoxFuture<'a, haven_app::Result<Vec<Value>>> {
        Box::pin(async move {
            Ok(events
                .into_iter()
                .filter_map(|(_, e)| match e {
                    Event::Frame { frame, .. } => Some(frame),
                    _ => None,
                })
                .collect())
        })
    }
}

fn extensions() -> haven::Extensions {
    haven::Extensions {
        jobs: haven_app::jobs::Registry::new().with::<Echo>(),
        channels: vec![Arc::new(|_: &Ctx| -> Arc<dyn Channel> { Arc::new(EchoChannel) })],
        ..haven::Extensions::default()
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn socket(url: &str, cookie: &str) -> Socket {
    let mut request = format!("{}/ws", url.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("cookie", HeaderValue::from_str(cookie).unwrap());
    request.headers_mut().insert("origin", HeaderValue::from_str(url).unwrap());
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

async fn frame_of(s: &mut Socket, kind: &str) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), s.next()).await.expect("a frame in time").unwrap().unwrap();
        if let Message::Text(text) = message {
            let frame: Value = serde_json::from_str(&text).unwrap();
            if frame["type"] == kind {
                return frame;
            }
        }
    }
}

/// The test job and channel on two instances sharing PostgreSQL: the socket is on one, the
/// jobs run wherever they are claimed, and every echo reaches the socket, each job done once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_job_kind_and_a_new_channel_plug_in_and_work_across_instances() {
    let server = TestServer::start_extended(Backend::Postgres, |_| {}, None, extensions()).await;
    let twin = server.twin().await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = accounts.iter().find(|(_, e, _)| e == "jordan@patients.example").unwrap();
    let cookie = session_cookie(&server.url, email, password).await;
    let mut s = socket(&server.url, &cookie).await;
    s.send(Message::Text(json!({ "type": "echo-follow" }).to_string().into())).await.unwrap();
    frame_of(&mut s, "echo-following").await;

    let cx = &twin.app().cx;
    let now = cx.now();
    let jobs: Vec<_> = (0..6).map(|i| cx.queue.job(&Echo { note: format!("n{i}") }, now).unwrap()).collect();
    cx.store.enqueue(&jobs, now).await.unwrap();
    // Scheduling the same key again schedules nothing.
    cx.store.enqueue(&[cx.queue.job(&Echo { note: "n0".into() }, now).unwrap()], now).await.unwrap();
    let mut heard = Vec::new();
    for _ in 0..6 {
        heard.push(frame_of(&mut s, "echo").await["note"].as_str().unwrap().to_owned());
    }
    heard.sort();
    assert_eq!(heard, (0..6).map(|i| format!("n{i}")).collect::<Vec<_>>());
    // The echo is said while the job runs; its completion follows.
    let start = Instant::now();
    while server.store.jobs_of_kind(Echo::KIND).await.unwrap().iter().any(|(_, done)| !done) {
        assert!(start.elapsed() < Duration::from_secs(10), "the jobs complete");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.store.jobs_of_kind(Echo::KIND).await.unwrap(), vec![(1, true); 6], "each job once");
    let ran = server.store.audit_entries(&AuditFilter { limit: 1000, ..AuditFilter::default() }).await.unwrap();
    assert_eq!(ran.iter().filter(|r| r.event.source.as_deref().is_some_and(|s| s.starts_with("echo:"))).count(), 6);
    twin.stop().await;
    server.stop().await;
}
