//! The audit trail: append-only in the database itself, hash-chained, tamper found and
//! named; sign-in events recorded with their source.

use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
use haven_domain::{PracticeId, UserId};
use haven_store::{AuditFilter, Store};
use jiff::Timestamp;

use crate::support::{Backend, TempDir, TestServer, both_backends};

fn event(n: i64, patient: Option<UserId>) -> AuditEvent {
    AuditEvent {
        at: Timestamp::from_second(1_780_000_000 + n).unwrap(),
        actor: Some(UserId::new()),
        practice: Some(PracticeId::new()),
        patient,
        action: if n % 2 == 0 { AuditAction::Read } else { AuditAction::Update },
        category: DataCategory::Clinical,
        source: Some("127.0.0.1".into()),
        outcome: Outcome::Success,
    }
}

async fn exec(store_url: &str, sql: &'static str) -> Result<(), sqlx::Error> {
    use sqlx::Executor as _;
    if store_url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(store_url).await?;
        pool.execute(sql).await?;
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(store_url).await?;
        pool.execute(sql).await?;
        pool.close().await;
    }
    Ok(())
}

both_backends! {
    async fn the_chain_verifies_and_the_database_refuses_changes(store: Store, url: String) {
        let patient = UserId::new();
        for n in 1..=5 {
            assert_eq!(store.append_audit(&event(n, (n == 3).then_some(patient))).await.unwrap(), n);
        }
        let report = store.verify_audit_chain().await.unwrap();
        assert_eq!((report.entries, report.first_bad), (5, None));

        let update = exec(&url, "UPDATE audit_log SET outcome = 'denied' WHERE seq = 2").await;
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = exec(&url, "DELETE FROM audit_log WHERE seq = 5").await;
        assert!(delete.unwrap_err().to_string().contains("append-only"));
        if url.starts_with("postgres") {
            let truncate = exec(&url, "TRUNCATE audit_log").await;
            assert!(truncate.unwrap_err().to_string().contains("append-only"));
        }
        assert_eq!(store.verify_audit_chain().await.unwrap().first_bad, None);

        let mine = store.audit_entries(&AuditFilter { patient: Some(patient), ..AuditFilter::default() }).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].seq, 3);
        let reads = store.audit_entries(&AuditFilter { action: Some(AuditAction::Read), ..AuditFilter::default() }).await.unwrap();
        assert_eq!(reads.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![4, 2]);
        let window = AuditFilter {
            from: Some(Timestamp::from_second(1_780_000_002).unwrap()),
            until: Some(Timestamp::from_second(1_780_000_004).unwrap()),
            ..AuditFilter::default()
        };
        assert_eq!(store.audit_entries(&window).await.unwrap().len(), 2);
    }
}

both_backends! {
    async fn tampering_is_found_and_the_first_bad_entry_named(store: Store, url: String) {
        for n in 1..=6 {
            store.append_audit(&event(n, None)).await.unwrap();
        }
        // Someone with database access lifts the protection and edits entry 3.
        let (off, on) = if url.starts_with("sqlite:") {
            ("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete",
             "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        } else {
            ("ALTER TABLE audit_log DISABLE TRIGGER USER", "ALTER TABLE audit_log ENABLE TRIGGER USER")
        };
        exec(&url, off).await.unwrap();
        exec(&url, "UPDATE audit_log SET outcome = 'denied' WHERE seq = 3").await.unwrap();
        assert_eq!(store.verify_audit_chain().await.unwrap().first_bad, Some(3));

        // Put the outcome back but remove entry 5: the gap is named.
        exec(&url, "UPDATE audit_log SET outcome = 'success' WHERE seq = 3").await.unwrap();
        assert_eq!(store.verify_audit_chain().await.unwrap().first_bad, None);
        exec(&url, "DELETE FROM audit_log WHERE seq = 5").await.unwrap();
        assert_eq!(store.verify_audit_chain().await.unwrap().first_bad, Some(5));
        exec(&url, on).await.unwrap();
    }
}

#[tokio::test]
async fn sign_in_sign_out_and_failures_are_audited_with_their_source() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (_, email, password) = &accounts[1];
    let user = server.store.user_by_email(&haven_domain::Email::parse(email).unwrap()).await.unwrap().unwrap();

    let response = server.client.post(server.at("/sign-in")).form(&[("email", email.as_str()), ("password", "wrong one!")]).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response =
        server.client.post(server.at("/sign-in")).form(&[("email", "nobody@example.org"), ("password", "wrong one!")]).send().await.unwrap();
    assert_eq!(response.status(), 401);
    server.sign_in(email, password).await;
    server.client.post(server.at("/sign-out")).send().await.unwrap();

    let entries = server.store.audit_entries(&AuditFilter::default()).await.unwrap();
    // The demo's own setup (a break-glass designation) is left out.
    let summary: Vec<_> = entries
        .iter()
        .rev()
        .filter(|e| e.event.action != AuditAction::PermissionChange)
        .map(|e| (e.event.action, e.event.actor, e.event.outcome))
        .collect();
    assert_eq!(
        summary,
        vec![
            (AuditAction::SignInFailed, Some(user.id), Outcome::Denied),
            (AuditAction::SignInFailed, None, Outcome::Denied),
            (AuditAction::SignIn, Some(user.id), Outcome::Success),
            (AuditAction::SignOut, Some(user.id), Outcome::Success),
        ]
    );
    assert!(
        entries
            .iter()
            .filter(|e| e.event.action != AuditAction::PermissionChange)
            .all(|e| e.event.source.as_deref() == Some("127.0.0.1") && e.event.category == DataCategory::Account)
    );
    assert_eq!(server.store.verify_audit_chain().await.unwrap().first_bad, None);
}

#[tokio::test]
async fn haven_check_names_the_first_tampered_entry() {
    let dir = TempDir::new("check");
    let url = format!("sqlite://{}", dir.path().join("haven.db").display());
    let store = Store::connect(&haven_store::StoreOptions::new(&url)).await.unwrap();
    store.migrate().await.unwrap();
    for n in 1..=4 {
        store.append_audit(&event(n, None)).await.unwrap();
    }
    store.close().await;

    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .arg("check")
            .env("HAVEN_DATA_DIR", dir.path())
            .env_remove("HAVEN_DATABASE_URL")
            .output()
            .unwrap()
    };
    let output = run();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).contains("audit trail intact (4 entries)"));

    exec(&url, "DROP TRIGGER audit_log_no_update").await.unwrap();
    exec(&url, "UPDATE audit_log SET source = '10.0.0.9' WHERE seq = 2").await.unwrap();
    let output = run();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("FAIL audit trail broken: entry 2"), "{stdout}");
}
