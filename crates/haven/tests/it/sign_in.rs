//! Signing in and out with a password, and the session limits.

use haven_domain::ManualClock;
use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::support::{Backend, TestServer, server::client};

fn account<'a>(accounts: &'a [(String, String, String)], role: &str) -> (&'a str, &'a str) {
    let (_, email, password) = accounts.iter().find(|(r, _, _)| r == role).unwrap();
    (email, password)
}

#[tokio::test]
async fn sign_in_opens_the_dashboard_and_sign_out_ends_the_session() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (email, password) = account(&accounts, "patient");

    let response = server.get("/home").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/sign-in");

    let response = server.client.post(server.at("/sign-in")).form(&[("email", email), ("password", password)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = cookies.iter().find(|c| c.starts_with("haven_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"), "{session}");
    let token = session.trim_start_matches("haven_session=").split(';').next().unwrap().to_owned();

    let (status, html) = server.get_text("/home").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome, Jordan Rivera") && html.contains("Patient"), "{html}");
    assert!(html.contains("Signed in as Jordan Rivera"));

    let response = server.client.post(server.at("/sign-out")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The old token is dead on the server, not only forgotten by this browser.
    let replay = client().get(server.at("/home")).header("cookie", format!("haven_session={token}")).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_password_unknown_account_and_malformed_email_get_the_same_answer() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (email, _) = account(&accounts, "clinician");
    let mut bodies = Vec::new();
    for (e, p) in [(email, "wrong password!"), ("nobody@example.org", "wrong password!"), ("not-an-email", "x")] {
        let response = server.client.post(server.at("/sign-in")).form(&[("email", e), ("password", p)]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get("set-cookie").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("role=\"alert\"") && html.contains("match an account here"), "{html}");
        bodies.push(html.replace(e, "EMAIL"));
    }
    if bodies[0] != bodies[1] {
        let diff: Vec<_> = bodies[0].lines().zip(bodies[1].lines()).filter(|(a, b)| a != b).collect();
        panic!("known and unknown accounts must be answered alike; differing lines: {diff:?}");
    }
}

#[tokio::test]
async fn the_language_setting_follows_the_person() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    // Ana's account is set to Spanish in the demo.
    let (_, email, password) = accounts.iter().find(|(_, e, _)| e == "ana@patients.example").unwrap();
    server.sign_in(email, password).await;
    let (_, html) = server.get_text("/home").await;
    assert!(html.contains("<html lang=\"es\">") && html.contains("Hola, Ana García"), "{html}");
}

#[tokio::test]
async fn deactivated_people_and_idle_sessions_are_signed_out() {
    let clock = ManualClock::new("2026-05-04T15:00:00Z".parse().unwrap());
    let server = TestServer::with_clock(Backend::Sqlite, clock.clone()).await;
    let accounts = server.seed_demo().await;
    let (staff_email, staff_password) = account(&accounts, "clinician");
    let (patient_email, patient_password) = account(&accounts, "patient");

    server.sign_in(staff_email, staff_password).await;
    let patient = server.new_browser();
    patient.sign_in(patient_email, patient_password).await;

    // 16 minutes idle: past the staff limit (15), within the patient limit (30).
    clock.advance(SignedDuration::from_mins(16));
    assert_eq!(server.get("/home").await.status(), StatusCode::SEE_OTHER, "staff idle timeout");
    assert_eq!(patient.get("/home").await.status(), StatusCode::OK, "patients get 30 minutes");

    // Activity resets the idle timer; the absolute limit still ends the session.
    for _ in 0..25 {
        clock.advance(SignedDuration::from_mins(29));
        if patient.get("/home").await.status() != StatusCode::OK {
            break;
        }
    }
    assert_eq!(patient.get("/home").await.status(), StatusCode::SEE_OTHER, "12-hour absolute limit");

    patient.sign_in(patient_email, patient_password).await;
    let user = server.store.user_by_email(&haven_domain::Email::parse(patient_email).unwrap()).await.unwrap().unwrap();
    server.store.set_active(user.id, false).await.unwrap();
    assert_eq!(patient.get("/home").await.status(), StatusCode::SEE_OTHER, "deactivated");
    let response =
        patient.client.post(patient.at("/sign-in")).form(&[("email", patient_email), ("password", patient_password)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "a deactivated person can't sign in");
}

#[tokio::test]
async fn guessing_is_throttled_without_locking_the_owner_out_for_long() {
    let clock = ManualClock::new("2026-05-04T15:00:00Z".parse().unwrap());
    let server = TestServer::with_clock(Backend::Sqlite, clock.clone()).await;
    let accounts = server.seed_demo().await;
    let (target, target_password) = account(&accounts, "clinician");
    let (other, other_password) = account(&accounts, "patient");

    // 100 wrong guesses from one address: after 10 failures, 429 with Retry-After.
    let attacker = server.browser_from("127.0.0.1");
    let mut statuses = Vec::new();
    for _ in 0..100 {
        statuses.push(attacker.post_sign_in(target, "guess-guess-guess").await.status());
    }
    assert!(statuses[..10].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let limited = attacker.post_sign_in(target, target_password).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits: no oracle");
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    assert!(limited.text().await.unwrap().contains("Too many attempts"));

    // Other people, even from the same address, still sign in; so does the owner elsewhere.
    attacker.sign_in(other, other_password).await;
    server.browser_from("127.0.0.50").sign_in(target, target_password).await;

    // A distributed flood (ten addresses) pauses the account everywhere, for minutes only.
    for n in 1..=10 {
        let guesser = server.browser_from(&format!("127.0.1.{n}"));
        for _ in 0..10 {
            guesser.post_sign_in(target, "guess-guess-guess").await;
        }
    }
    let owner = server.browser_from("127.0.0.60");
    let response = owner.post_sign_in(target, target_password).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry <= 300, "the owner waits at most five minutes, not {retry} s");
    clock.advance(SignedDuration::from_secs(i64::try_from(retry).unwrap()));
    owner.sign_in(target, target_password).await;

    let denied = server
        .store
        .audit_entries(&haven_store::AuditFilter { action: Some(haven_domain::audit::AuditAction::SignInFailed), limit: 1000, ..Default::default() })
        .await
        .unwrap();
    assert!(denied.len() >= 200, "every refused attempt is audited ({})", denied.len());
}

#[tokio::test]
async fn password_change_and_sign_out_everywhere_end_other_sessions() {
    let server = TestServer::start(Backend::Sqlite).await;
    let accounts = server.seed_demo().await;
    let (email, password) = account(&accounts, "patient");
    let laptop = server.new_browser();
    let phone = server.new_browser();
    laptop.sign_in(email, password).await;
    phone.sign_in(email, password).await;
    let html = laptop.get_text("/account/security").await.1;
    assert_eq!(html.matches("<tr><td>").count(), 2, "two sessions listed: {html}");
    assert!(html.contains("This browser"));

    let wrong =
        laptop.post_form("/account/password", &[("current", "nope nope"), ("password", "new pass phrase"), ("confirm", "new pass phrase")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "re-authentication first");
    let weak = laptop.post_form("/account/password", &[("current", password), ("password", "password1"), ("confirm", "password1")]).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = laptop.post_form("/account/password", &[("current", password), ("password", "new pass phrase"), ("confirm", "new pass phrase")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/home").await.status(), StatusCode::OK, "this browser stays signed in");
    assert_eq!(phone.get("/home").await.status(), StatusCode::SEE_OTHER, "the other device is signed out");
    assert!(laptop.get_text("/account/security?changed=password").await.1.contains("Your password was changed"));

    phone.sign_in(email, "new pass phrase").await;
    laptop.post_form("/account/sessions/end-all", &[]).await;
    assert_eq!(laptop.get("/home").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/home").await.status(), StatusCode::SEE_OTHER, "signed out everywhere");
}
