//! The canary: a patient whose name is a unique string is invited, signs up, and gets a
//! clinical note; afterwards that name appears in no log line (at debug level, the most
//! Haven ever logs), and the note's text — an encrypted field — appears nowhere in the raw
//! SQLite files, main file or WAL.

use std::io::Write as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::TempDir;
use crate::support::server::{Browser, client};
use crate::support::smtp::ReceivedMail;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn haven(dir: &TempDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_haven"));
    command
        .current_dir(dir.path())
        .env("HAVEN_DATA_DIR", dir.path())
        .env("HAVEN_LOG_LEVEL", "debug")
        .env("HAVEN_REQUIRE_STAFF_MFA", "false")
        .env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192")
        .env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1")
        .env_remove("HAVEN_DATABASE_URL");
    command
}

fn admin(dir: &TempDir, args: &[&str], stdin: &str) {
    let mut child = haven(dir).args(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

async fn wait_ready(url: &str, child: &mut Child) {
    let start = Instant::now();
    loop {
        if let Ok(r) = client().get(format!("{url}/readyz")).send().await
            && r.status() == StatusCode::OK
        {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "haven serve exited");
        assert!(start.elapsed() < Duration::from_secs(20), "not ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn outbox_link(dir: &TempDir, url: &str) -> String {
    let outbox = dir.path().join("outbox");
    let start = Instant::now();
    loop {
        if let Some(entry) = std::fs::read_dir(&outbox).ok().and_then(|mut d| d.next()) {
            let raw = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mail = ReceivedMail { to: Vec::new(), raw };
            return mail.link(&format!("{url}/invitations/")).expect("an invitation link");
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no invitation mail in the outbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_never_reaches_the_logs_and_sealed_text_never_reaches_the_disk() {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let canary_name = format!("Qzx Canary{}", &tag[..12]);
    let canary_email = format!("canary{}@patients.example", &tag[..12]);
    let canary_note = format!("canarynote{tag}");
    let canary_password = format!("canary pass {}", &tag[..8]);

    let dir = TempDir::new("canary");
    admin(&dir, &["admin", "create-practice", "--slug", "canary", "--name", "Canary Practice"], "");
    admin(
        &dir,
        &[
            "admin",
            "create-user",
            "--email",
            "doc@canary.example",
            "--name",
            "Dr Doc",
            "--practice",
            "canary",
            "--role",
            "clinician",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "doctor passphrase here\n",
    );
    let log_path = dir.path().join("haven.log");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = haven(&dir)
        .arg("serve")
        .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    wait_ready(&url, &mut server).await;

    let doctor = Browser { url: url.clone(), client: client() };
    doctor.sign_in("doc@canary.example", "doctor passphrase here").await;
    let invited =
        doctor.post_form("/people/invite", &[("name", &canary_name), ("email", &canary_email), ("role", "patient"), ("language", "en")]).await;
    assert_eq!(invited.status(), StatusCode::OK);
    let link = outbox_link(&dir, &url).await;

    let patient = Browser { url: url.clone(), client: client() };
    let path = link.trim_start_matches(&url).to_owned();
    let accepted = patient.post_form(&path, &[("password", &canary_password), ("confirm", &canary_password)]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert!(patient.get_text("/home").await.1.contains(&canary_name));
    patient.get_text("/account/access").await;

    let dashboard = doctor.get_text("/home").await.1;
    let chart = dashboard.split("href=\"/patients/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let saved = doctor.post_form(&format!("/patients/{chart}/notes"), &[("body", &format!("Session went well. {canary_note}"))]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(doctor.get_text(&format!("/patients/{chart}")).await.1.contains(&canary_note), "the note reads back");
    // A failed sign-in with the canary address, too.
    patient.post_sign_in(&canary_email, "wrong password!").await;

    Command::new("kill").arg("-TERM").arg(server.id().to_string()).status().unwrap();
    let stopped = Instant::now();
    while server.try_wait().unwrap().is_none() {
        assert!(stopped.elapsed() < Duration::from_secs(10), "haven serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.lines().count() > 20, "debug logging was on and wrote plenty ({} lines)", log.lines().count());
    for (what, secret) in [
        ("the patient's name", canary_name.as_str()),
        ("the patient's email", canary_email.as_str()),
        ("the note's text", canary_note.as_str()),
        ("the patient's password", canary_password.as_str()),
        ("the invitation link", link.as_str()),
    ] {
        let hits: Vec<_> = log.lines().filter(|l| l.contains(secret)).collect();
        assert!(hits.is_empty(), "{what} reached the log: {hits:?}");
    }
    let mut files = 0;
    for name in ["haven.db", "haven.db-wal"] {
        let path = dir.path().join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            files += 1;
            assert!(!bytes.windows(canary_note.len()).any(|w| w == canary_note.as_bytes()), "the sealed note is readable in {name}");
        }
    }
    assert!(files >= 1, "the database files were checked");
}
