//! Charts: the care team reads and writes; everyone else is refused and the refusal is
//! audited; break-glass needs a designation, a reason and the password, lasts an hour,
//! and alerts the admins by mail. Notes are sealed at rest.

use haven_domain::audit::AuditAction;
use haven_domain::{Email, ManualClock, UserId};
use haven_store::AuditFilter;
use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::support::server::Browser;
use crate::support::{Backend, TestServer};

async fn id_of(server: &TestServer, email: &str) -> UserId {
    server.store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id
}

async fn browser_for(server: &TestServer, accounts: &[(String, String, String)], email: &str) -> Browser {
    let browser = server.new_browser();
    let (_, _, password) = accounts.iter().find(|(_, e, _)| e == email).unwrap();
    browser.sign_in(email, password).await;
    browser
}

async fn audit_count(server: &TestServer, patient: UserId, action: AuditAction) -> usize {
    let filter = AuditFilter { patient: Some(patient), action: Some(action), limit: 1000, ..AuditFilter::default() };
    server.store.audit_entries(&filter).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_care_team_reads_and_writes_everyone_else_is_refused_and_audited() {
    let clock = ManualClock::new("2026-10-01T12:00:00Z".parse().unwrap());
    let (server, sink) = TestServer::with_smtp(Backend::Sqlite, Some(clock.clone())).await;
    let accounts = server.seed_demo().await;
    let practice = server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let jordan = id_of(&server, "jordan@patients.example").await;
    let lee = id_of(&server, "maya.lee@riverbend.example").await;
    server.store.assign_care_team(practice, jordan, lee, clock_now(&clock)).await.unwrap();
    let chart = format!("/patients/{jordan}");

    let clinician = browser_for(&server, &accounts, "maya.lee@riverbend.example").await;
    let (status, html) = clinician.get_text(&chart).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Jordan Rivera</h1>") && html.contains("Dr. Maya Lee"));
    assert_eq!(audit_count(&server, jordan, AuditAction::Read).await, 1, "one entry per view");

    let empty = clinician.post_form(&format!("{chart}/notes"), &[("body", "   ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(server.store.notes_of(jordan).await.unwrap().is_empty(), "nothing stored");
    let saved = clinician.post_form(&format!("{chart}/notes"), &[("body", "Sleeping better; practising the breathing exercise.")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let notes = server.store.notes_of(jordan).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert!(!String::from_utf8_lossy(&notes[0].sealed_body).contains("breathing"), "sealed at rest");
    assert!(clinician.get_text(&chart).await.1.contains("practising the breathing exercise"));
    assert_eq!(audit_count(&server, jordan, AuditAction::Create).await, 1);

    // Another clinician, an admin, a patient: refused; the refusals are audited.
    let hasher = haven_crypto::PasswordHasher::new(haven_crypto::HashCost::MINIMUM).unwrap();
    let third = haven::admin::NewAccount {
        email: "kai@riverbend.example".into(),
        name: "Dr. Kai Moreno".into(),
        practice: "riverbend".into(),
        roles: vec![haven_domain::Role::Clinician],
        language: haven_domain::Language::En,
        password: Some("kai moreno passphrase".into()),
    };
    haven::admin::create_user(&server.store, &hasher, third).await.unwrap();
    let kai = server.new_browser();
    kai.sign_in("kai@riverbend.example", "kai moreno passphrase").await;
    let (status, html) = kai.get_text(&chart).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("isn&#39;t open to you") || html.contains("isn't open to you"), "{html}");
    assert!(!html.contains("breathing") && !html.contains("Jordan Rivera"), "nothing of the chart leaks");
    assert!(!html.contains("Emergency access"), "no break-glass form for someone not designated");
    assert_eq!(kai.post_form(&format!("{chart}/notes"), &[("body", "x")]).await.status(), StatusCode::FORBIDDEN);
    let admin = browser_for(&server, &accounts, "admin@riverbend.example").await;
    assert_eq!(admin.get(&chart).await.status(), StatusCode::FORBIDDEN, "admins read no clinical content");
    let patient = browser_for(&server, &accounts, "casey@patients.example").await;
    assert_eq!(patient.get(&chart).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&server, jordan, AuditAction::AccessDenied).await, 4, "two by Dr. Moreno, the admin, the patient");
    assert_eq!(
        kai.post_form(&format!("{chart}/break-glass"), &[("reason", "patient in crisis, on call"), ("password", "kai moreno passphrase")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Dr. Ortiz is designated (the demo does it); break-glass needs a real reason and the
    // password again. He reads Spanish.
    let ortiz = browser_for(&server, &accounts, "samuel.ortiz@riverbend.example").await;
    let (status, html) = ortiz.get_text(&chart).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("no está abierto para usted") && html.contains("Acceso de emergencia"), "{html}");
    let (_, _, ortiz_password) = accounts.iter().find(|(_, e, _)| e == "samuel.ortiz@riverbend.example").unwrap();
    let short = ortiz.post_form(&format!("{chart}/break-glass"), &[("reason", "urgent"), ("password", ortiz_password)]).await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong =
        ortiz.post_form(&format!("{chart}/break-glass"), &[("reason", "Patient called the on-call line in crisis"), ("password", "wrong")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let granted = ortiz
        .post_form(&format!("{chart}/break-glass"), &[("reason", "Patient called the on-call line in crisis"), ("password", ortiz_password)])
        .await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER);
    let (status, html) = ortiz.get_text(&chart).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Acceso de emergencia hasta"));
    assert!(audit_count(&server, jordan, AuditAction::BreakGlass).await >= 2, "the grant and the view");

    // The practice's admins (two in the demo: the admin and Dr. Ortiz) are alerted, without the patient's name.
    let mails = sink.wait_for(2).await;
    let alert = mails.iter().find(|m| m.to == vec!["admin@riverbend.example".to_owned()]).expect("the admin is alerted");
    assert!(mails.iter().any(|m| m.to == vec!["samuel.ortiz@riverbend.example".to_owned()]), "every admin is alerted");
    assert_eq!(alert.subject(), "Emergency access to a patient record");
    assert!(alert.text().contains("Dr. Samuel Ortiz") && !alert.text().contains("Jordan") && !alert.text().contains("crisis"));

    // An hour later (staying active, or the 15-minute staff idle limit would sign him out).
    for _ in 0..5 {
        clock.advance(SignedDuration::from_mins(13));
        assert_eq!(ortiz.get("/home").await.status(), StatusCode::OK);
    }
    assert_eq!(ortiz.get(&chart).await.status(), StatusCode::FORBIDDEN, "the grant expired");
}

fn clock_now(clock: &ManualClock) -> jiff::Timestamp {
    haven_domain::Clock::now(clock)
}
