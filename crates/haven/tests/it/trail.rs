//! Reading the audit trail: patients see who accessed their record; admins filter it,
//! see the chain verified, and export CSV after re-entering their password.

use haven_domain::{Email, UserId};
use reqwest::StatusCode;

use crate::support::server::Browser;
use crate::support::{Backend, TestServer};

async fn id_of(server: &TestServer, email: &str) -> UserId {
    server.store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap().id
}

async fn browser_for(server: &TestServer, accounts: &[(String, String, String)], email: &str) -> (Browser, String) {
    let browser = server.new_browser();
    let (_, _, password) = accounts.iter().find(|(_, e, _)| e == email).unwrap();
    browser.sign_in(email, password).await;
    (browser, password.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patients_see_who_accessed_their_record_and_admins_search_and_export() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let practice = server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let jordan = id_of(&server, "jordan@patients.example").await;
    let lee = id_of(&server, "maya.lee@riverbend.example").await;
    server.store.assign_care_team(practice, jordan, lee, jiff::Timestamp::now()).await.unwrap();

    let (clinician, _) = browser_for(&server, &accounts, "maya.lee@riverbend.example").await;
    assert_eq!(clinician.get(&format!("/patients/{jordan}")).await.status(), StatusCode::OK);
    let (ortiz, _) = browser_for(&server, &accounts, "samuel.ortiz@riverbend.example").await;
    assert_eq!(ortiz.get(&format!("/patients/{jordan}")).await.status(), StatusCode::FORBIDDEN);

    // Another patient tries Jordan's record: refused, and Jordan's log never names them.
    let (other, _) = browser_for(&server, &accounts, "casey@patients.example").await;
    assert_eq!(other.get(&format!("/patients/{jordan}")).await.status(), StatusCode::FORBIDDEN);

    let (patient, _) = browser_for(&server, &accounts, "jordan@patients.example").await;
    let (status, html) = patient.get_text("/account/access").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<td>Dr. Maya Lee (Clinician)</td><td>Viewed · clinical record</td><td>Done</td>"), "{html}");
    assert!(html.contains("<td>Dr. Samuel Ortiz (Clinician)</td><td>Was refused access · clinical record</td><td>Refused</td>"), "{html}");
    assert!(html.contains("<td>Someone outside your care team</td><td>Was refused access · clinical record</td>"), "{html}");
    assert!(!html.contains("Casey"), "no other patient is named: {html}");
    assert!(!other.get_text("/account/access").await.1.contains("Dr. Maya Lee"), "only one's own record");

    let (admin, admin_password) = browser_for(&server, &accounts, "admin@riverbend.example").await;
    let (status, html) = admin.get_text("/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("The audit trail is intact"), "{html}");
    let (_, html) = admin.get_text("/admin/audit?patient=jordan%40patients.example&action=read").await;
    assert!(html.contains("<td>Dr. Maya Lee</td><td>Jordan Rivera</td><td>Viewed · clinical record</td>"), "{html}");
    assert!(!html.contains("<td>Was refused access"), "filtered by action");
    let (status, html) = admin.get_text("/admin/audit?person=nobody%40example.org").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("No account uses that email address"));
    let (status, _) = admin.get_text("/admin/audit?from=yesterday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, html) = admin.get_text("/admin/audit?from=2026-12-05&until=2026-12-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "reversed dates are named, not an empty list");
    assert!(html.contains("date is after the"), "{html}");

    let wrong = admin.post_form("/admin/audit/export", &[("password", "wrong"), ("patient", "jordan@patients.example")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "re-authentication before export");
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("id=\"export-error\"") && html.contains("aria-describedby=\"export-error\""),
        "the reason at the export's own field: {html}"
    );
    let csv = admin.post_form("/admin/audit/export", &[("password", &admin_password), ("patient", "jordan@patients.example")]).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["content-disposition"], "attachment; filename=\"haven-audit.csv\"");
    let body = csv.text().await.unwrap();
    let mut lines = body.lines();
    assert_eq!(lines.next().unwrap().trim_start_matches('\u{feff}'), "seq,time_utc,actor,patient,action,category,source,outcome");
    assert!(body.contains("\"Dr. Maya Lee\",\"Jordan Rivera\",\"Viewed\",\"clinical record\",\"127.0.0.1\",\"Done\""), "{body}");
    let exports = server
        .store
        .audit_entries(&haven_store::AuditFilter { action: Some(haven_domain::audit::AuditAction::Export), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(exports.len(), 1, "the export is itself audited");

    // Another practice's admin sees none of Riverbend's entries.
    haven::admin::create_practice(&server.store, "hillside", "Hillside").await.unwrap();
    let hasher = haven_crypto::PasswordHasher::new(haven_crypto::HashCost::MINIMUM).unwrap();
    let account = haven::admin::NewAccount {
        email: "admin@hillside.example".into(),
        name: "Hillside Admin".into(),
        practice: "hillside".into(),
        roles: vec![haven_domain::Role::Admin],
        language: haven_domain::Language::En,
        password: Some("hillside admin pass".into()),
    };
    haven::admin::create_user(&server.store, &hasher, account).await.unwrap();
    let hillside = server.new_browser();
    hillside.sign_in("admin@hillside.example", "hillside admin pass").await;
    let html = hillside.get_text("/admin/audit").await.1;
    assert!(!html.contains("Jordan Rivera") && !html.contains("Dr. Maya Lee"), "{html}");
    assert_eq!(patient.get("/admin/audit").await.status(), StatusCode::FORBIDDEN);
}

/// The admin's audit list comes in pages of 200, newest first, with links between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_trail_pages_past_two_hundred_entries() {
    use haven_domain::audit::{AuditAction, AuditEvent, DataCategory, Outcome};
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let practice = server.store.practice_by_slug("riverbend").await.unwrap().unwrap().id;
    let jordan = id_of(&server, "jordan@patients.example").await;
    let lee = id_of(&server, "maya.lee@riverbend.example").await;
    let start = jiff::Timestamp::now();
    let events: Vec<AuditEvent> = (0..250)
        .map(|i| AuditEvent {
            at: start.checked_add(jiff::SignedDuration::from_secs(i)).unwrap(),
            actor: Some(lee),
            practice: Some(practice),
            patient: Some(jordan),
            action: AuditAction::Read,
            category: DataCategory::Clinical,
            source: Some("127.0.0.1".into()),
            outcome: Outcome::Success,
        })
        .collect();
    server.store.append_audits(&events).await.unwrap();
    let (admin, _) = browser_for(&server, &accounts, "admin@riverbend.example").await;
    let (_, first) = admin.get_text("/admin/audit?action=read").await;
    assert_eq!(first.matches("<tr><td>").count(), 200, "a full first page");
    let older = first.split("href=\"/admin/audit?").find(|s| s.contains("Older entries")).expect("a link to older entries");
    let query = older.split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
    assert!(query.contains("action=read") && query.contains("before="), "the filters carry over: {query}");
    let (_, second) = admin.get_text(&format!("/admin/audit?{query}")).await;
    assert!(second.matches("<tr><td>").count() >= 50, "the rest on the next page");
    assert!(second.contains("Newest entries"), "a way back: {}", second.split("<nav class=\"pager\"").nth(1).unwrap_or(&query));
}
