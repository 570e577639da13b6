//! Join-time benchmark for video visits: "admit → first decoded remote frame at the
//! patient", median and 95th percentile over 12 Haven calls, next to the same figure for a
//! bare minimal WebRTC page (no Haven: signaling relayed by the test driver itself) measured
//! in the same run on the same machine. Target: Haven's median ≤ 1.2× the bare page's.
//!
//! This driver seeds a database (one clinician, one patient, twelve five-minute video
//! visits whose rooms are open now), starts the release `haven serve`, and runs
//! `browser/bench/join-time.mjs`, which drives two Chromium instances. Run it inside the
//! loopback-only namespace, as `scripts/bench.sh` does:
//! `unshare -n sh -c 'ip link set lo up && cargo bench --offline -p haven --bench visits'`.
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use haven_crypto::{HashCost, PasswordHasher};
use haven_domain::scheduling::{Jurisdiction, Modality};
use haven_domain::{AppointmentId, Language, Role, VisitTypeId};
use haven_store::{ClinicianProfile, Effects, NewAppointment, Store, StoreOptions, VisitType};
use jiff::{SignedDuration, Timestamp};

const CALLS: i64 = 12;

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("haven-bench-visits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
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
    let (patient, _) = haven::admin::create_user(&store, &hasher, account("patient@bench.example", Role::Patient)).await?;
    let now = Timestamp::now();
    store.assign_care_team(practice, patient, clinician, now).await?;
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
    let visit_type = VisitType {
        id: VisitTypeId::new(),
        clinician,
        name: haven_domain::Bilingual::english("Check-in"),
        minutes: 5,
        modalities: vec![Modality::Video],
        location: None,
        active: true,
    };
    store.add_visit_type(&visit_type, now).await?;
    let mut visits = Vec::new();
    for i in 0..CALLS {
        let start = now.checked_add(SignedDuration::from_mins(2 + 5 * i))?;
        let end = start.checked_add(SignedDuration::from_mins(5))?;
        let id = AppointmentId::new();
        let visit = NewAppointment {
            id,
            practice,
            clinician,
            patient,
            visit_type: visit_type.id,
            modality: Modality::Video,
            location: None,
            jurisdiction: Some("US-IL".into()),
            starts_at: start,
            ends_at: end,
            blocked_until: end,
            series: None,
            booked_by: clinician,
        };
        store.book_appointments(&[visit], &Effects::default(), now).await?;
        visits.push(id.to_string());
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
        .env("HAVEN_PASSWORD_HASHING__MEMORY_KIB", "8192")
        .env("HAVEN_PASSWORD_HASHING__ITERATIONS", "1")
        .stdout(Stdio::null())
        .spawn()?;
    let _server = Server(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(20), "the server didn't start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../browser/bench/join-time.mjs");
    let status = Command::new("node")
        .arg(script)
        .env("HAVEN_URL", &url)
        .env("HAVEN_VISITS", visits.join(","))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../browser"))
        .status()?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(status.success(), "the browser part of the benchmark failed");
    Ok(())
}
